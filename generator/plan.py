"""The site map: which file goes where, for every (language, version). Refuses two outputs on one path.

Every version keeps a permanent address, <lang>/<YYYY-MM-DD>/; the current one is also at <lang>/.
"""

from __future__ import annotations

from collections import Counter

from .model import Page, Publication, Version

STYLESHEET = "style.css"
INDEX = "statement.json"


def current_path(lang: str) -> str:
    return f"{lang}/index.html"


def version_path(lang: str, version: Version) -> str:
    return f"{lang}/{version.date.isoformat()}/index.html"


def comparison_path(lang: str, version: Version) -> str:
    return f"{lang}/{version.date.isoformat()}/changes/index.html"


def changelog_path(lang: str) -> str:
    return f"{lang}/changelog/index.html"


def feed_path(lang: str) -> str:
    return f"{lang}/feed.xml"


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
    pages += _each_language(codes, "feed.xml", current, feed_path)
    for version in publication.versions:
        pages += _each_language(
            codes, "statement.html", version, lambda lang, v=version: version_path(lang, v)
        )
        if publication.before(version) is not None:
            pages += _each_language(
                codes, "comparison.html", version, lambda lang, v=version: comparison_path(lang, v)
            )
    return _unique(tuple(pages))


def _each_language(codes: list[str], template: str, version: Version, path) -> list[Page]:
    alternates = _alternates(codes, path)
    return [Page(where, template, lang, version, alternates) for lang, where in alternates]


def _alternates(codes: list[str], path) -> tuple[tuple[str, str], ...]:
    return tuple((lang, path(lang)) for lang in codes)


def _unique(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    counts = Counter(page.path for page in pages)
    doubled = sorted(path for path, count in counts.items() if count > 1)
    if doubled:
        # a bug of ours, not an editor's mistake: keep the traceback
        raise AssertionError(f"two pages planned on one path: {', '.join(doubled)}")
    return pages
