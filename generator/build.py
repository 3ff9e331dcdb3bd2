"""The pipeline: source -> history -> versions -> changes -> pages -> site, written all at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from . import untranslated
from .changes import changes_between
from .checkout import writable_cache
from .command import to_type
from .config import require_publisher, statement_settings
from .defaults import LOCALES, TEMPLATES, folders
from .errors import StatementError, gather, raise_all, stage
from .files import SourceFiles
from .fingerprint import CACHE
from .history import History, read_history, require_full
from .i18n import load_catalogs
from .model import Publication, Site, Version
from .pdf import Rendered, pdf_checks, render_documents
from .placeholders import placeholders
from .plan import FILE_WORDS, INDEX, plan_site
from .render import render_index, render_pages
from .reuse import Published
from .reuse import published as published_pdfs
from .site import refuse_cache, refuse_output, write_site
from .timeline import backdated, build_day
from .versions import read_versions

UNREAD: Any = object()  # make_site's history when the caller has not read it


def build(root: Path, out: Path, **options: Any) -> Site:
    """Build the site from the project at root and write it to out; raise every problem found.
    The options are make_site's."""
    refuse_output(root, out)  # before the work, not only after it: a mistyped --out is said at once
    refuse_cache(root, options.get("cache"), out)
    return write_site(make_site(root, **options), out)


def make_site(
    root: Path,
    *,
    cache: Path | None = None,
    release: bool = False,
    allow_shallow: bool = False,
    pdfs: bool = True,
    today: date | None = None,
    history: History | None = UNREAD,
    reuse: str | None = None,
) -> Site:
    """The whole site in memory; `pdfs=False` leaves the PDFs, and the links to them, out;
    `today` is the day it is built for (by default the clock's, see timeline.build_day);
    `history` is the one the caller read already (check reads it once for all it does);
    `reuse` is the site published before, whose unchanged PDFs are taken (see reuse.py)."""
    cache = cache or root / CACHE
    writable_cache(cache)  # the PDFs are kept there; said before any work is done
    if history is UNREAD:
        history = read_history(root)
    _check_history(root, history, release, allow_shallow)
    settings, problems = statement_settings(root / "statement" / "statement.toml")
    raise_all(problems if settings is None else [])  # else versions_of reports them with the rest
    templates, locales = folders(root, TEMPLATES), folders(root, LOCALES)
    read, catalogs = gather(
        lambda: read_versions(root / "statement", history),
        lambda: load_catalogs(locales, templates, settings.languages, FILE_WORDS),
    )
    versions = read.versions
    history = history and history.without_texts()  # read: the pages and PDFs reuse their memory
    dropped = _dropped_languages(versions, settings.languages)  # their old pages stay
    catalogs |= load_catalogs(locales, templates, dropped, FILE_WORDS) if dropped else {}
    raise_all(backdated(versions))
    day = build_day(settings.timezone, today)  # read once: every page is built for one day
    shallow = bool(history and history.shallow)
    publication = Publication(
        versions, _changes(versions), shallow, today=day, withdrawn=read.withdrawn
    )
    require_publisher(publication.settings, root / "statement" / "statement.toml")
    left, english = gather(  # a release refuses both: said in one run
        lambda: _placeholders_left(root, publication, release),
        lambda: untranslated.in_build(root, catalogs, publication.settings.languages, release),
    )
    plan = plan_site(publication, _file_words(catalogs), pdfs=pdfs)
    files = render_pages(templates, catalogs, plan, publication)
    published = published_pdfs(reuse) if reuse else None
    documents = render_documents(plan.documents, files, cache / "pdf", published)
    files[INDEX] = render_index(publication, plan, pdf_checks(documents))
    notes = (
        *_notes(history, publication),
        *read.notes,
        *left,
        *english,
        _made(documents, published) if pdfs else "PDFs: left out (--no-pdf).",
    )
    return Site(tuple(sorted((files | documents.files).items())), notes)


def _made(documents: Rendered, published: Published | None) -> str:
    made = f"PDFs: {documents.rendered} rendered, {documents.cached} from the cache"
    if not published:
        return made + "."
    if published.problem:
        return f"{made}; {published.source} could not be read ({published.problem})."
    return f"{made}, {documents.reused} reused from {published.source}."


def _placeholders_left(root: Path, publication: Publication, release: bool) -> tuple[str, ...]:
    """A release refuses the FILL IN words `statement init` wrote; a preview publishes them, and
    says so. The newest version is the one a release publishes, and the working tree's text."""
    left = placeholders(publication.versions[-1].statement, SourceFiles(root / "statement"))
    if release:
        raise_all(_in_release(error) for error in left)
    if not left:
        return ()
    return (
        f"Placeholders: {len(left)} FILL IN left, published as a preview; "
        f"{to_type('check')} lists them, and a release build refuses them.",
    )


def _in_release(error: StatementError) -> StatementError:
    error.message += ": a release would publish it"
    return error


def _file_words(catalogs: dict) -> dict[str, dict[str, str]]:
    return {
        lang: {word: catalog.gettext(word) for word in FILE_WORDS}
        for lang, catalog in catalogs.items()
    }


@stage("history")
def _check_history(root: Path, history: History | None, release: bool, allow_shallow: bool) -> None:
    if history is not None and not allow_shallow:
        require_full(history, root)
    if release and history is not None and history.dirty:
        hint = "commit the changes under statement/ (or undo them), then build the release again"
        raise StatementError(
            root / "statement",
            None,
            "there are uncommitted changes: a release is built from commits only",
            hint,
        )


def _dropped_languages(versions: tuple[Version, ...], current: tuple) -> tuple:
    codes = {language.code for language in current}
    found = {
        language.code: language
        for version in versions
        for language in version.statement.settings.languages
        if language.code not in codes
    }
    return tuple(found.values())


def _changes(versions: tuple[Version, ...]) -> tuple:
    return tuple(
        () if i == 0 else changes_between(versions[i - 1].statement, v.statement)
        for i, v in enumerate(versions)
    )


def _notes(history: History | None, publication: Publication) -> tuple[str, ...]:
    notes = []
    if history is None:
        notes.append("Not a git repository: built the working tree as the only version.")
    if publication.current.draft:
        notes.append(
            f"Uncommitted changes: built as a draft of the version of {publication.current.date.isoformat()}."
        )
    if history is not None and history.shallow:
        notes.append("Shallow clone: versions older than its history are missing.")
    for version in publication.versions:
        if publication.is_upcoming(version):
            day = version.date.isoformat()
            notes.append(
                f"Upcoming: the version of {day} is published as upcoming; a build on or after {day} makes it current."
            )
    return tuple(notes)
