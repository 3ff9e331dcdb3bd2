"""The only Jinja2 Environment: pages -> HTML, and the machine-readable index statement.json."""

from __future__ import annotations

import gettext
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import dates
from .model import Page, Settings, Version
from .plan import STYLESHEET


@dataclass(frozen=True)
class Link:
    """Another language's page, as the page being rendered links to it."""

    lang: str
    name: str
    href: str
    language_name: str  # the language's name in the page's own language: "Dutch"
    headings: dict[str, str]  # section id -> heading in that language
    current: bool  # the link is to the page it is on


def environment(templates: Path, translations: gettext.GNUTranslations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations, newstyle=True)
    return env


def render_pages(
    templates: Path, catalogs: dict[str, gettext.GNUTranslations], pages: tuple[Page, ...]
) -> dict[str, bytes]:
    environments = {lang: environment(templates, catalog) for lang, catalog in catalogs.items()}
    files = {page.path: render_page(environments[page.lang], page) for page in pages}
    files[STYLESHEET] = (templates / STYLESHEET).read_bytes()
    return files


def render_page(env: Environment, page: Page) -> bytes:
    return env.get_template(page.template).render(_context(page)).encode("utf-8")


def _context(page: Page) -> dict:
    statement = page.version.statement
    settings = statement.settings
    links = [_link(page, lang, path) for lang, path in page.alternates]
    source = next(link for link in links if link.lang == settings.source_language)
    return {
        "lang": page.lang,
        "facts": settings.fact_values,
        "translation": statement.translation(page.lang),
        "stamp": _stamp(page.version, settings.language(page.lang).locale),
        "is_source": page.lang == settings.source_language,
        "source": source,
        "alternates": links,
        "others": [link for link in links if link.lang != page.lang],
        "stylesheet": url(page.path, STYLESHEET),
        "canonical": _absolute(settings, page.path) if page.path != "index.html" else None,
    }


def _link(page: Page, lang: str, path: str) -> Link:
    statement = page.version.statement
    settings = statement.settings
    language = settings.language(lang)
    page_locale = Locale.parse(settings.language(page.lang).locale)
    href = _absolute(settings, path) or url(page.path, path)
    headings = {section.id: section.heading for section in statement.translation(lang).sections}
    name_here = Locale.parse(language.locale).get_language_name(page_locale) or language.name
    return Link(lang, language.name, href, name_here, headings, path == page.path)


def _stamp(version: Version, locale: str) -> Markup:
    day = version.date
    return Markup('<time datetime="{}">{}</time>').format(
        day.isoformat(), dates.long_date(day, locale)
    )


def url(from_path: str, to_path: str) -> str:
    """A relative link from one file of the site to another; folders end in a slash."""
    target = to_path.removesuffix("index.html")
    link = posixpath.relpath(target or ".", posixpath.dirname(from_path) or ".")
    return "./" if link == "." else link + ("/" if target.endswith("/") else "")


def _absolute(settings: Settings, path: str) -> str | None:
    if settings.base_url is None:
        return None
    return settings.base_url + path.removesuffix("index.html")


def render_index(
    settings: Settings, versions: tuple[Version, ...], pages: tuple[Page, ...]
) -> bytes:
    """site/statement.json: what was built, for machines."""
    index = {
        "languages": [language.code for language in settings.languages],
        "source_language": settings.source_language,
        "facts": settings.fact_values,
        "current": versions[-1].date.isoformat(),
        "versions": [_version_entry(version, pages) for version in versions],
    }
    return (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _version_entry(version: Version, pages: tuple[Page, ...]) -> dict:
    statement = version.statement
    first = statement.translations[0]
    return {
        "date": version.date.isoformat(),
        "pages": {
            p.lang: p.path for p in pages if p.version == version and p.template == "statement.html"
        },
        "sections": [
            {
                "id": section.id,
                "heading": {t.lang: t.section(section.id).heading for t in statement.translations},
            }
            for section in first.sections
        ],
    }
