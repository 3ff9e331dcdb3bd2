"""The only Jinja2 Environment: pages -> HTML and Atom, and the machine-readable statement.json."""

from __future__ import annotations

import functools
import gettext
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from jinja2 import Environment, TemplateError, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import dates, defaults, jinja, timeline
from .changes import Piece, section_diff, word_diff
from .errors import StatementError
from .i18n import as_markup
from .model import INTRO, Change, Page, Plan, Publication, Section, Statement, Version, Withdrawal
from .plan import (
    PRINT_STYLESHEET,
    STYLESHEET,
    changelog_path,
    changelog_year_path,
    changelog_years,
    comparison_path,
    current_path,
    feed_path,
    in_full,
    in_language,
    version_path,
)

SECTION_LINKS = 3  # languages a section links to before it links only the source language
FEED_ENTRIES = 20  # the newest versions; a feed reader keeps the ones it has seen


@dataclass(frozen=True)
class Link:
    """A page in another (or the same) language, as the page being rendered links to it."""

    lang: str
    name: str  # the language's name in itself: "Nederlands"
    href: str
    language_name: str  # the language's name in the page's language: "Dutch"
    headings: dict[str, str]  # section id -> heading in that language
    current: bool  # the link is to the page it is on
    absolute: str  # the full address when base_url is set, for <link rel="alternate" hreflang>


@dataclass(frozen=True)
class SectionChange:
    """One changed section as a changelog or comparison page shows it."""

    kind: str  # "added", "removed", "changed" or "same"
    id: str
    heading: str
    href: str  # the section in the version where it last stood
    heading_diff: tuple[Piece, ...]
    paragraphs: tuple[tuple[Piece, ...], ...]
    html: str  # the section as it now reads, for a comparison's unchanged sections


@dataclass(frozen=True)
class Entry:
    """A version as the changelog and the feed list it."""

    version: Version
    stamp: Markup
    day: str  # 2021-02-23
    date_text: str  # 23 February 2021
    summary: str
    href: str
    comparison_href: str | None
    changes: tuple[SectionChange, ...]
    pdf_href: str | None
    changes_pdf_href: str | None
    upcoming: bool = False  # takes effect after the build's day
    current: bool = False  # in force on the build's day
    published: str = ""  # Atom dates: when it was first committed, and last corrected
    updated: str = ""


@dataclass(frozen=True)
class Withdrawn:
    """An announced version withdrawn before its day, as the changelog and the feed tell of it."""

    day: str  # 2027-01-01: the day it was to take effect
    stamp: Markup
    date_text: str
    on_stamp: Markup  # the day it was withdrawn
    on_text: str
    reason: str
    id: str  # its announcement's feed id: a feed reader replaces the announcement with this
    published: str  # Atom dates: when it was announced, and withdrawn
    updated: str


@dataclass(frozen=True)
class Announced:
    """The upcoming version a current page announces."""

    stamp: Markup
    href: str
    comparison_href: str


def environment(
    templates: Path | Sequence[Path], catalogs: dict[str, gettext.GNUTranslations]
) -> Environment:
    """One environment for every language: each template is compiled once, and its words are
    translated by the catalog of the language being rendered (the context's `lang`). Of several
    template folders, the first that has a template of the name gives it."""
    env = jinja.environment(templates)

    @pass_context
    def translate(context: Context, message: str) -> str:
        return as_markup(catalogs[context["lang"]].gettext(message))  # text, not HTML

    @pass_context
    def translate_plural(context: Context, singular: str, plural: str, n: int) -> str:
        return as_markup(catalogs[context["lang"]].ngettext(singular, plural, n))

    env.install_gettext_callables(translate, translate_plural, newstyle=True)
    return env


def render_pages(
    templates: Path | Sequence[Path],
    catalogs: dict[str, gettext.GNUTranslations],
    plan: Plan,
    publication: Publication,
) -> dict[str, bytes]:
    """Every page of the plan, and the stylesheets and fonts they use."""
    env = environment(templates, catalogs)
    files = {page.path: render_page(env, page, publication, plan) for page in plan.pages}
    return files | assets(templates)


def render_page(env: Environment, page: Page, publication: Publication, plan: Plan) -> bytes:
    context = _common(page, publication, plan) | EXTRA[page.template](page, publication, plan)
    try:
        return env.get_template(page.template).render(context).encode("utf-8")
    except TemplateError as error:  # a project's own template, mistyped: said at its line
        raise jinja.problem(error, page.template) from None


def assets(templates: Path | Sequence[Path]) -> dict[str, bytes]:
    """Our stylesheets, and the font the pages and PDFs share, served from our own host."""
    folders = defaults.as_folders(templates)
    found = defaults.files(folders, "*.css") | defaults.files(folders, "fonts/*")
    files = {}
    for name in (STYLESHEET, PRINT_STYLESHEET):
        if name not in found:
            hint = f"restore templates/{name} (git checkout -- templates/{name}), or reinstall the tool"
            path = folders[-1] / name
            raise StatementError(path, None, f"the stylesheet {name} is missing", hint)
        files[name] = found[name].read_bytes()
    fonts = [name for name in found if name.endswith(".woff2")]
    if not fonts:
        hint = "restore templates/fonts/ (git checkout -- templates/fonts), or reinstall the tool"
        path = folders[-1] / "fonts"
        raise StatementError(path, None, "the font files are missing", hint)
    for name in [*fonts, "fonts/OFL.txt"]:
        files[name] = found[name].read_bytes()
    return files


# --- what every page has ------------------------------------------------------------------------


def _common(page: Page, publication: Publication, plan: Plan) -> dict:
    settings = publication.settings
    if not _in(publication.current, page.lang):  # a dropped language: its last version's words
        settings = page.version.statement.settings
    links = _links(page, publication)
    version = page.version
    return {
        "lang": page.lang,
        "html_lang": _locale(page).replace("_", "-"),
        "created": _timestamp(version),
        "description": version.summary.get(page.lang, ""),
        "facts": settings.facts_in(page.lang),
        "publisher": settings.publisher(page.lang),
        "alternates": links,
        "others": [link for link in links if link.lang != page.lang],
        "source": next(link for link in links if link.lang == settings.source_language),
        "stylesheet": url(page.path, STYLESHEET),
        "print_stylesheet": url(page.path, PRINT_STYLESHEET),
        "running_date": dates.long_date(version.date, _locale(page)),
        "canonical": _absolute(publication, page.path) if page.path != "index.html" else None,
        "home": url(page.path, current_path(page.lang)),
        "changelog": url(page.path, changelog_path(page.lang)),
        "feed": url(page.path, feed_path(page.lang)),
        "draft": publication.versions[-1].draft,
        "history_incomplete": publication.history_incomplete,
    }


def _links(page: Page, publication: Publication) -> list[Link]:
    base_url = publication.settings.base_url
    return [_link(page, lang, path, base_url) for lang, path in page.alternates]


def _link(page: Page, lang: str, path: str, base_url: str | None) -> Link:
    statement = page.version.statement
    settings = statement.settings
    language = settings.language(lang)
    href = url(page.path, path)
    headings = statement.translation(lang).headings
    name_here = (
        _language_name(language.locale, settings.language(page.lang).locale) or language.name
    )
    absolute = base_url + path.removesuffix("index.html") if base_url else href
    return Link(lang, language.name, href, name_here, headings, path == page.path, absolute)


@functools.cache
def _language_name(locale: str, in_locale: str) -> str | None:
    """A language's name in another's words: "Dutch" for nl_NL in en_GB."""
    return Locale.parse(locale).get_language_name(Locale.parse(in_locale))


def _stamp(day, locale: str) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(
        day.isoformat(), dates.long_date(day, locale)
    )


def _locale(page: Page) -> str:
    return page.version.statement.settings.language(page.lang).locale


def url(from_path: str, to_path: str) -> str:
    """A relative link from one file of the site to another; folders end in a slash. (Both paths
    are the site's own, relative and normalized: no need for posixpath.relpath, which asks the
    operating system for the working folder on every call.)"""
    here = from_path.split("/")[:-1]
    there = to_path.removesuffix("index.html").split("/")
    shared = 0
    while shared < min(len(here), len(there) - 1) and here[shared] == there[shared]:
        shared += 1
    link = "/".join([".."] * (len(here) - shared) + there[shared:])
    return link or "./"


def _href(page: Page, publication: Publication, path: str, absolute: bool = False) -> str:
    return (absolute and _absolute(publication, path)) or url(page.path, path)


def _absolute(publication: Publication, path: str) -> str | None:
    base = publication.settings.base_url
    return None if base is None else base + path.removesuffix("index.html")


# --- one template each --------------------------------------------------------------------------


def _statement(page: Page, publication: Publication, plan: Plan) -> dict:
    version, current = page.version, publication.current
    locale = _locale(page)
    standing = timeline.standing(publication, version, page.lang)
    return {
        "translation": version.statement.translation(page.lang),
        "stamp": _stamp(version.date, locale),
        "is_source": page.lang == version.statement.settings.source_language,
        "version_draft": version.draft,
        "archived": standing.kind == "archived",
        "upcoming": standing.kind == "upcoming",
        "until": _stamp(standing.last_day, locale) if standing.last_day else None,
        "in_force": None if publication.is_upcoming(current) else _stamp(current.date, locale),
        "announced": _announced(page, standing.announced),
        "amendments": [(_stamp(a.day, locale), a.reason) for a in standing.amendments],
        "current_href": url(page.path, current_path(_or_source(current, page.lang))),
        "stale": {sid for lang, sid in version.stale if lang == page.lang},
        "pdf": _pdf_href(page, plan, "statement", version),
        "section_links": _section_links(page, _links(page, publication)),
    }


def _announced(page: Page, version: Version | None) -> Announced | None:
    if version is None:
        return None
    stamp = _stamp(version.date, _locale(page))
    href = url(page.path, version_path(page.lang, version))
    return Announced(stamp, href, url(page.path, comparison_path(page.lang, version)))


def _section_links(page: Page, links: list[Link]) -> list[Link]:
    """The other languages each section links to, to read the same section there: all of them
    while they are few; beyond that a line of links under every heading is clutter, so a
    translation links its source only (the header still lists every language)."""
    others = [link for link in links if link.lang != page.lang]
    if len(others) <= SECTION_LINKS:
        return others
    source = page.version.statement.settings.source_language
    return [link for link in others if link.lang == source]


def _changelog(page: Page, publication: Publication, plan: Plan) -> dict:
    shown = [
        v
        for v in reversed(publication.versions)
        if in_full(publication, v) and _in(v, page.lang)  # a language added later starts there
    ]
    return {
        "entries": [_entry(page, publication, plan, version) for version in shown],
        "stamp": _stamp(publication.current.date, _locale(page)),
        "years": _years(page, publication),
        "withdrawn": _withdrawn(page, publication),
    }


def _withdrawn(page: Page, publication: Publication) -> list[Withdrawn]:
    """The withdrawn versions, the last withdrawn first."""
    found = sorted(publication.withdrawn, key=lambda w: (w.withdrawn, w.date), reverse=True)
    return [_withdrawn_notice(page, publication, withdrawal) for withdrawal in found]


def _withdrawn_notice(page: Page, publication: Publication, withdrawal: Withdrawal) -> Withdrawn:
    locale, on = (
        _locale(page),
        timeline.local_day(withdrawal.withdrawn, publication.settings.timezone),
    )
    return Withdrawn(
        day=withdrawal.date.isoformat(),
        stamp=_stamp(withdrawal.date, locale),
        date_text=dates.long_date(withdrawal.date, locale),
        on_stamp=_stamp(on, locale),
        on_text=dates.long_date(on, locale),
        reason=withdrawal.reason,
        id=_urn(publication, f"version/{page.lang}/{withdrawal.date.isoformat()}"),
        published=timeline.atom_time(withdrawal.announced, withdrawal.date),
        updated=timeline.atom_time(withdrawal.withdrawn, withdrawal.date),
    )


def _changelog_year(page: Page, publication: Publication, plan: Plan) -> dict:
    """Every version of one year, in short: its summary, what sections changed, its links."""
    year = page.version.date.year
    versions = [
        v for v in reversed(publication.versions) if v.date.year == year and _in(v, page.lang)
    ]
    return {
        "year": year,
        "entries": [_entry(page, publication, plan, version) for version in versions],
        "years": _years(page, publication),
    }


def _years(page: Page, publication: Publication) -> list[tuple[int, str]]:
    return [
        (year, url(page.path, changelog_year_path(page.lang, year)))
        for year in changelog_years(publication)
        if in_language(publication, year, page.lang)
    ]


def _changelog_entry(page: Page, publication: Publication, version: Version) -> str:
    """Where the changelog tells of a version: the changelog itself, or the page of its year."""
    full = in_full(publication, version)
    path = changelog_year_path(page.lang, version.date.year) if not full else None
    return _href(page, publication, path or changelog_path(page.lang), absolute=True)


def _comparison(page: Page, publication: Publication, plan: Plan) -> dict:
    version, before = page.version, publication.before(page.version)
    ids = [s.id for s in version.statement.translation(page.lang).parts]
    ids += [s.id for s in before.statement.translation(page.lang).parts if s.id not in ids]
    kinds = {
        change.section_id: change.kind for change in publication.changes[publication.index(version)]
    }
    sections = [
        _section_change(page, before, version, Change(sid, kinds.get(sid, "same"))) for sid in ids
    ]
    return {
        "entry": _entry(page, publication, plan, version),
        "before_stamp": _stamp(before.date, _locale(page)),
        "before_href": url(page.path, version_path(page.lang, before)),
        "sections": sections,
    }


def _feed(page: Page, publication: Publication, plan: Plan) -> dict:
    """Feed readers want absolute links: they are, when base_url is set."""
    published = [v for v in reversed(publication.versions) if not v.draft and _in(v, page.lang)]
    newest = published[:FEED_ENTRIES]
    entries = [_entry(page, publication, plan, version, absolute=True) for version in newest]
    withdrawn = _withdrawn(page, publication)
    return {
        "entries": entries,
        "withdrawn": withdrawn,
        "entry_hrefs": {e.day: _changelog_entry(page, publication, e.version) for e in entries},
        "feed_id": _urn(publication, f"feed/{page.lang}"),
        "entry_ids": {e.day: _urn(publication, f"version/{page.lang}/{e.day}") for e in entries},
        "updated": max((e.updated for e in [*entries, *withdrawn]), default="1970-01-01T00:00:00Z"),
        "self_href": _href(page, publication, page.path, absolute=True),
        "changelog_href": _href(page, publication, changelog_path(page.lang), absolute=True),
    }


def _root(page: Page, publication: Publication, plan: Plan) -> dict:
    return {"translation": publication.current.statement.translation(page.lang)}


EXTRA = {
    "statement.html": _statement,
    "changelog.html": _changelog,
    "changelog-year.html": _changelog_year,
    "comparison.html": _comparison,
    "feed.xml": _feed,
    "root.html": _root,
}


def _entry(
    page: Page, publication: Publication, plan: Plan, version: Version, absolute: bool = False
) -> Entry:
    before = publication.before(version)
    changes = publication.changes[publication.index(version)]
    comparison = _href(page, publication, comparison_path(page.lang, version), absolute)
    return Entry(
        version=version,
        stamp=_stamp(version.date, _locale(page)),
        day=version.date.isoformat(),
        date_text=dates.long_date(version.date, _locale(page)),
        summary=version.summary.get(page.lang, ""),
        href=_href(page, publication, version_path(page.lang, version), absolute),
        comparison_href=comparison if before and _in(before, page.lang) else None,
        changes=tuple(_section_change(page, before, version, change) for change in changes),
        pdf_href=_pdf_href(page, plan, "statement", version),
        changes_pdf_href=_pdf_href(page, plan, "changes", version),
        upcoming=publication.is_upcoming(version),
        current=version is publication.current,
        published=timeline.atom_time(timeline.published(version), version.date),
        updated=timeline.atom_time(timeline.updated(version, page.lang), version.date),
    )


def _section_change(
    page: Page, before: Version | None, after: Version, change: Change
) -> SectionChange:
    old = _sections(before, page.lang).get(change.section_id)
    new = _sections(after, page.lang).get(change.section_id)
    shown = new or old
    where = after if new else before
    href = url(page.path, version_path(page.lang, where)) + f"#{change.section_id}"
    if change.kind == "same":  # shown as it reads: nothing to mark
        return SectionChange(
            change.kind, change.section_id, shown.heading, href, (), (), shown.html
        )
    heading_diff = word_diff(old.heading if old else "", new.heading if new else "")
    paragraphs = section_diff(old, new)
    return SectionChange(
        change.kind, change.section_id, shown.heading, href, heading_diff, paragraphs, shown.html
    )


def _sections(version: Version | None, lang: str) -> dict[str, Section]:
    return version.statement.translation(lang).by_id if version and _in(version, lang) else {}


def _in(version: Version, lang: str) -> bool:
    """Whether the version is in the language: a version may add a language or drop one."""
    return any(t.lang == lang for t in version.statement.translations)


def _or_source(version: Version, lang: str) -> str:
    """The language, or where the version dropped it, its source language."""
    return lang if _in(version, lang) else version.statement.settings.source_language


def _pdf_href(page: Page, plan: Plan, kind: str, version: Version) -> str | None:
    path = plan.pdf(kind, page.lang, version)
    return url(page.path, path) if path else None


def _timestamp(version: Version) -> str:
    return f"{version.date.isoformat()}T00:00:00Z"


def _urn(publication: Publication, name: str) -> str:
    """A stable id: the same statement, language and version give the same id in every build."""
    website = publication.settings.fact_values.get("publisher.website", "")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://{website}/privacy-statement/{name}").urn


# --- statement.json ----------------------------------------------------------------------------


def render_index(
    publication: Publication, plan: Plan, pdf_checks: dict[str, dict[str, str]] | None = None
) -> bytes:
    """site/statement.json: what was built, for machines; with each PDF's hash and the hash of
    what it was made from, for a later build's --reuse."""
    settings, current = publication.settings, publication.current
    index = {
        "languages": [language.code for language in settings.languages],
        "source_language": settings.source_language,
        "facts": {lang.code: settings.facts_in(lang.code) for lang in settings.languages},
        "current": None if publication.is_upcoming(current) else current.date.isoformat(),
        "changelog": {lang.code: changelog_path(lang.code) for lang in settings.languages},
        "feeds": {lang.code: feed_path(lang.code) for lang in settings.languages},
        "versions": [_version_entry(publication, plan, v) for v in publication.versions],
        "withdrawn": [_withdrawn_entry(withdrawal) for withdrawal in publication.withdrawn],
        "pdf_checks": pdf_checks or {},
    }
    return (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _introduction(statement: Statement) -> dict | None:
    """The text before the first section, given as a section is: its id (the page's anchor) and,
    in each language that has one, its heading, which is the statement's title; None without."""
    headings = {t.lang: t.intro.heading for t in statement.translations if t.intro}
    return {"id": INTRO, "heading": headings} if headings else None


def _withdrawn_entry(withdrawal: Withdrawal) -> dict:
    return {
        "date": withdrawal.date.isoformat(),
        "commit": withdrawal.commit,
        "withdrawn": timeline.atom_time(withdrawal.withdrawn, withdrawal.date),
        "reason": withdrawal.reason,
    }


def _version_entry(publication: Publication, plan: Plan, version: Version) -> dict:
    statement = version.statement
    languages = [t.lang for t in statement.translations]
    return {
        "date": version.date.isoformat(),
        "commit": version.commit,
        "draft": version.draft,
        "upcoming": publication.is_upcoming(version),
        "summary": version.summary,
        "pages": {lang: version_path(lang, version) for lang in languages},
        "pdfs": {lang: plan.pdf("statement", lang, version) for lang in languages},
        "changes_pdfs": {
            lang: path for lang in languages if (path := plan.pdf("changes", lang, version))
        },
        "sections": [
            {
                "id": section.id,
                "heading": {t.lang: t.section(section.id).heading for t in statement.translations},
            }
            for section in statement.translations[0].sections
        ],
        "introduction": _introduction(statement),
        "changes": [
            {"section": c.section_id, "kind": c.kind}
            for c in publication.changes[publication.index(version)]
        ],
        "stale": sorted(f"{lang}:{sid}" for lang, sid in version.stale),
    }
