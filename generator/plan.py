"""The site map: which file goes where, for every (language, version). Refuses two outputs on one path.

Every version keeps a permanent address, <lang>/<YYYY-MM-DD>/, with its PDF beside it; the current
one is also at <lang>/.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .model import Document, Page, Plan, Publication, Version

STYLESHEET = "style.css"
PRINT_STYLESHEET = "print.css"
INDEX = "statement.json"
LEGAL_FORMS = re.compile(
    r"\b(b\.?\s?v|n\.?\s?v|v\.?\s?o\.?\s?f|gmbh|ltd|inc|llc|s\.?a|plc)\b\.?", re.I
)


def N_(message: str) -> str:
    """Marks a word of ours for the catalogs; translated where it is used."""
    return message


# Words in the names people save PDFs under; translated by the catalogs, like the pages' words.
FILE_WORDS = (N_("privacy-statement"), N_("changes"))


def current_path(lang: str) -> str:
    return f"{lang}/index.html"


def version_path(lang: str, version: Version) -> str:
    return f"{lang}/{version.date.isoformat()}/index.html"


def comparison_path(lang: str, version: Version) -> str:
    return f"{lang}/{version.date.isoformat()}/changes/index.html"


def changelog_path(lang: str) -> str:
    return f"{lang}/changelog/index.html"


def changelog_year_path(lang: str, year: int) -> str:
    return f"{lang}/changelog/{year}/index.html"


# The changelog shows the newest versions in full, word for word; beyond them every version is
# on a page of its year, in short, linking its comparison page: no page grows with the history.
FULL_VERSIONS = 5


def in_full(publication: Publication, version: Version) -> bool:
    return publication.index(version) >= len(publication.versions) - FULL_VERSIONS


def changelog_years(publication: Publication) -> tuple[int, ...]:
    """The years with a changelog page of their own, newest first: none while every version is
    shown in full."""
    if len(publication.versions) <= FULL_VERSIONS:
        return ()
    return tuple(sorted({version.date.year for version in publication.versions}, reverse=True))


def feed_path(lang: str) -> str:
    return f"{lang}/feed.xml"


SLUG_LENGTH = 60  # a file name has at most 255 bytes; a company's name is never this long


def slug(text: str) -> str:
    """A publisher's name as it stands in a file name: 'Voorbeeld Holding B.V.' -> 'voorbeeld-holding'."""
    ascii_text = (
        unicodedata.normalize("NFKD", LEGAL_FORMS.sub("", text)).encode("ascii", "ignore").decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_LENGTH].strip("-")


def plan_site(
    publication: Publication, words: dict[str, dict[str, str]], pdfs: bool = True
) -> Plan:
    """Every page and PDF; `words` are the translated FILE_WORDS per language."""
    pages = plan_pages(publication)
    if not pdfs:
        return Plan(pages, (), {})
    company = slug(publication.settings.fact_values.get("publisher.name", ""))
    pdfs, documents = {}, []
    for page in pages:
        if kind := _document_kind(page, publication):
            name = "-".join(
                filter(
                    None,
                    [words[page.lang]["privacy-statement"], company, page.version.date.isoformat()],
                )
            )
            name = f"{name}-{words[page.lang]['changes']}" if kind == "changes" else name
            path = page.path.removesuffix("index.html") + f"{name}.pdf"
            pdfs[(kind, page.lang, page.version.date.isoformat())] = path
            documents.append(
                Document(
                    path,
                    page.path,
                    f"{page.lang}, {kind} of the version of {page.version.date.isoformat()}",
                )
            )
    _unique([*(p.path for p in pages), *(d.path for d in documents)])
    return Plan(pages, tuple(documents), pdfs)


def _document_kind(page: Page, publication: Publication) -> str | None:
    if page.template == "statement.html" and page.path == version_path(page.lang, page.version):
        return "statement"
    if page.template == "comparison.html":
        return "changes"
    return None


def plan_pages(publication: Publication) -> tuple[Page, ...]:
    settings = publication.settings
    current = publication.current
    codes = [language.code for language in settings.languages]
    pages = [
        Page(
            "index.html",
            "root.html",
            settings.source_language,
            current,
            _alternates(codes, current_path),
        )
    ]
    pages += _each_language(codes, "statement.html", current, current_path)
    pages += _each_language(codes, "changelog.html", current, changelog_path)
    dropped = _dropped(publication, codes)
    for year in changelog_years(publication):
        pages += _year_pages(publication, year, [*codes, *(lang for lang, _ in dropped)])
    pages += _each_language(codes, "feed.xml", current, feed_path)
    for lang, last in dropped:
        for template, path in LANGUAGE_PAGES:  # they stay, with the last version in the language
            pages.append(Page(path(lang), template, lang, last, _kept(lang, last, path, codes)))
    for version in publication.versions:
        # each version in its own languages: one that added a language has no page in it before,
        # and the pages of a language dropped later stay where they were
        langs = _languages(version)
        pages += _each_language(
            langs, "statement.html", version, lambda lang, v=version: version_path(lang, v)
        )
        if (before := publication.before(version)) is not None:
            both = [lang for lang in langs if lang in _languages(before)]
            pages += _each_language(
                both, "comparison.html", version, lambda lang, v=version: comparison_path(lang, v)
            )
    _unique([page.path for page in pages])
    return tuple(pages)


def _year_pages(publication: Publication, year: int, codes: list[str]) -> list[Page]:
    """The changelog of a year in each language it had a version in, dated by its newest one."""
    newest = {
        lang: version
        for version in publication.versions
        if version.date.year == year
        for lang in _languages(version)
        if lang in codes
    }
    alternates = tuple((lang, changelog_year_path(lang, year)) for lang in codes if lang in newest)
    return [
        Page(path, "changelog-year.html", lang, newest[lang], alternates)
        for lang, path in alternates
    ]


def in_language(publication: Publication, year: int, lang: str) -> bool:
    """Whether a version of the year was in the language: only then has it a changelog page."""
    return any(v.date.year == year and lang in _languages(v) for v in publication.versions)


LANGUAGE_PAGES = (
    ("statement.html", current_path),
    ("changelog.html", changelog_path),
    ("feed.xml", feed_path),
)


def _dropped(publication: Publication, codes: list[str]) -> list[tuple[str, Version]]:
    """The languages an earlier version had and the current one has not, each with the last
    version in it."""
    last = {lang: v for v in publication.versions for lang in _languages(v) if lang not in codes}
    return sorted(last.items())


def _kept(lang: str, last: Version, path, codes: list[str]) -> tuple[tuple[str, str], ...]:
    """The alternates of a dropped language's page: the other languages' page of the same kind,
    for its statement page the same version's."""
    same = path is current_path
    return tuple(
        (code, path(code) if code == lang or not same else version_path(code, last))
        for code in _languages(last)
        if code == lang or code in codes
    )


def _languages(version: Version) -> list[str]:
    return [language.code for language in version.statement.settings.languages]


def _each_language(codes: list[str], template: str, version: Version, path) -> list[Page]:
    alternates = _alternates(codes, path)
    return [Page(where, template, lang, version, alternates) for lang, where in alternates]


def _alternates(codes: list[str], path) -> tuple[tuple[str, str], ...]:
    return tuple((lang, path(lang)) for lang in codes)


def _unique(paths: list[str]) -> None:
    doubled = sorted(path for path, count in Counter(paths).items() if count > 1)
    if doubled:
        # a bug of ours, not an editor's mistake: keep the traceback
        raise AssertionError(f"two outputs planned on one path: {', '.join(doubled)}")
    outside = sorted(p for p in paths if p.startswith("/") or {"", ".", ".."} & set(p.split("/")))
    if outside:  # the catalogs' file words are checked: a bug of ours too
        raise AssertionError(f"outputs planned outside the site: {', '.join(outside)}")
