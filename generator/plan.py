"""The site map: which file goes where, for every (language, version). Refuses two outputs on one path."""

from __future__ import annotations

from .model import Page, Settings, Version

STYLESHEET = "style.css"


def statement_path(lang: str) -> str:
    return f"{lang}/index.html"


def plan_pages(settings: Settings, versions: tuple[Version, ...]) -> tuple[Page, ...]:
    current = versions[-1]
    alternates = tuple(
        (language.code, statement_path(language.code)) for language in settings.languages
    )
    root = Page("index.html", "root.html", settings.source_language, current, alternates)
    pages = [Page(path, "statement.html", lang, current, alternates) for lang, path in alternates]
    return _unique((root, *pages))


def _unique(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    paths = [page.path for page in pages]
    doubled = sorted({path for path in paths if paths.count(path) > 1})
    if doubled:
        # a bug of ours, not an editor's mistake: keep the traceback
        raise AssertionError(f"two pages planned on one path: {', '.join(doubled)}")
    return pages
