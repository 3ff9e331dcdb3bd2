"""The words of the page itself: gettext catalogs under locales/, checked against the templates.

A missing catalog or an untranslated message is an error, never a silent fallback to English.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import StatementError, gather, raise_all

_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
TEMPLATE_EXTRACTION = (
    [("**.html", "jinja2.ext:babel_extract"), ("**.xml", "jinja2.ext:babel_extract")],
    {"**.html": _OPTIONS, "**.xml": _OPTIONS},
)


def catalog_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / "messages.po"


def template_messages(templates: Path) -> tuple[str, ...]:
    """Every message the templates ask to translate, in a stable order."""
    method_map, options_map = TEMPLATE_EXTRACTION
    found = extract_from_dir(templates, method_map, options_map)
    return tuple(sorted({message for _, _, message, _, _ in found if isinstance(message, str)}))


def load_translations(
    locales: Path, lang: str, locale: str, needed: tuple[str, ...]
) -> gettext.GNUTranslations:
    """The language's catalog, compiled, after checking that it translates every needed message."""
    path = catalog_path(locales, lang)
    if not path.is_file():
        hint = f"create it from locales/messages.pot (make catalogs) and translate every message into {lang}"
        raise StatementError(path, None, f"the catalog for '{lang}' is missing", hint)
    catalog = _read(path, locale)
    raise_all(_untranslated(catalog, path, needed))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _read(path: Path, locale: str):
    try:
        with path.open("rb") as file:
            return read_po(file, locale=locale, abort_invalid=True)
    except PoFileError as error:
        # babel counts lines from 0 and ends its message with that count: " on 23"
        lineno = getattr(error, "lineno", None)
        reason = re.sub(r" on \d+$", "", str(error))
        raise StatementError(
            path,
            None if lineno is None else lineno + 1,
            f"the catalog cannot be read: {reason}",
            "correct the PO syntax on that line",
        ) from None
    except UnicodeDecodeError:
        raise StatementError(
            path, None, "the catalog is not UTF-8 text", "save it as UTF-8"
        ) from None


def _untranslated(catalog, path: Path, needed: tuple[str, ...]) -> list[StatementError]:
    errors = []
    for msgid in needed:
        message = catalog.get(msgid)
        if message is None:
            hint = "run make catalogs to add it, then write its translation"
            errors.append(StatementError(path, None, f"the message {msgid!r} is missing", hint))
        elif not message.string or message.fuzzy:
            state = "marked fuzzy" if message.fuzzy else "not translated"
            hint = "write its translation in msgstr and remove any '#, fuzzy' line above it"
            errors.append(
                StatementError(path, message.lineno, f"the message {msgid!r} is {state}", hint)
            )
    return errors


def load_catalogs(
    locales: Path, templates: Path, languages, words: tuple[str, ...] = ()
) -> dict[str, gettext.GNUTranslations]:
    """Every language's catalog, checked against the templates' messages and the generator's own
    `words`; all problems at once."""
    needed = tuple(sorted({*template_messages(templates), *words}))
    steps = [
        lambda lang=language: load_translations(locales, lang.code, lang.locale, needed)
        for language in languages
    ]
    return dict(zip((language.code for language in languages), gather(*steps), strict=True))
