"""The words of the page itself: gettext catalogs under locales/, checked against the templates.

A missing catalog or an untranslated message is an error, never a silent fallback to English.
"""

from __future__ import annotations

import collections
import functools
import gettext
import io
import re
from collections.abc import Sequence
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from jinja2 import nodes
from jinja2.ext import extract_from_ast
from markupsafe import Markup, escape

from . import defaults, jinja
from .errors import StatementError, gather, raise_all, stage
from .files import unprintable

# A translation is text: the only HTML in it is the message's own tags, the only % signs its
# placeholders (Jinja fills them in) and %%. The templates' words are trusted; a catalog's are not.
TAG = re.compile(r"<[^<>]*>")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
PERCENT = re.compile(r"%%|%\(\w+\)s")
PO_LINE = re.compile(
    r'\s*(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*)?'
)
FILE_WORD = re.compile(r"[\w-]{1,60}")  # in a file name: no slash, dot, space or %, not long


def catalog_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / "messages.po"


def template_messages(templates: Path | Sequence[Path]) -> tuple[str, ...]:
    """Every message the templates ask to translate, in a stable order (of several folders,
    only the templates in use: the first folder's of each name)."""
    found = set().union(*map(_messages, jinja.parsed(templates).values()))
    return tuple(sorted(message for message in found if isinstance(message, str)))


@functools.lru_cache(maxsize=64)
def _messages(tree: nodes.Template) -> frozenset:
    """The messages of one parsed template, as babel's extract() picks them by keyword. Once
    for each tree: the preview builds again on every save, with the same trees of the
    templates that did not change."""
    return frozenset(m[1] for m in extract(functools.partial(_in_tree, tree), io.BytesIO()))


def _in_tree(tree: nodes.Template, fileobj, keywords, comment_tags, options):
    """jinja2.ext.babel_extract, for a template parsed already, and without the translators'
    comments (found in a second pass over its tokens), which no catalog here reads."""
    for line, function, message in extract_from_ast(tree, tuple(keywords)):
        yield line, function, message, []


def load_translations(
    locales: Path | Sequence[Path],
    lang: str,
    locale: str,
    needed: tuple[str, ...],
    words: tuple[str, ...] = (),
) -> gettext.GNUTranslations:
    """The language's catalog, compiled, after checking that it translates every needed message,
    as text (see TAG), and the `words` of file names as words that can stand in one. Of several
    locales folders, the first one's messages replace the others'."""
    folders = defaults.as_folders(locales)
    paths = [catalog_path(folder, lang) for folder in folders]
    if odd := [path for path in paths if path.exists() and not path.is_file()]:
        hint = f"remove it, or put {lang}'s catalog file messages.po in its place"
        raise StatementError(odd[0], None, "this is a folder, not a catalog file", hint)
    if not any(path.is_file() for path in paths):
        raise StatementError(
            paths[0], None, f"the catalog for '{lang}' is missing", _copy(folders, lang)
        )
    catalog, origin = _merged(paths, locale)
    raise_all([*_untranslated(catalog, origin, needed), *_unsafe(catalog, origin, needed, words)])
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _copy(folders: tuple[Path, ...], lang: str) -> str:
    """How to start a language's catalog: from the English one the build reads (the project's
    own, else the tool's, which lies deep in the installed package: named, to be found)."""
    english = next((p for f in folders if (p := catalog_path(f, "en")).is_file()), None)
    if english is None:
        return f"write it: every message of the templates, with its translation into {lang}"
    root = folders[0].parent  # the project's own locales/ is the first folder, there or not
    shown = english.relative_to(root) if english.is_relative_to(root) else english
    return f"copy the English catalog, {shown}, there and translate every msgstr into {lang}"


def _merged(paths: list[Path], locale: str):
    """The catalogs at paths that exist, as one, the first one's messages over the others', and
    the file each message comes from (a message in none of them: the first path, to add it to)."""
    found = [path for path in paths if path.is_file()]
    catalog = _read(found[-1], locale)
    origin = collections.defaultdict(lambda: paths[0])
    origin |= {message.id: found[-1] for message in catalog if message.id}
    for path in reversed(found[:-1]):
        for message in _read(path, locale):
            if message.id:
                if message.id in catalog:
                    del catalog[message.id]
                catalog[message.id] = message
                origin[message.id] = path
    return catalog, origin


def _read(path: Path, locale: str):
    try:
        data = path.read_bytes()
        _unquoted(data.decode("utf-8-sig"))
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
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


def _unquoted(text: str) -> None:
    """Babel reads `msgstr Inhoud` as "nhou" (it cuts a quote from each end, there or not): a line
    must be a comment, or a text in double quotes, after its keyword or on its own."""
    for number, line in enumerate(text.split("\n")):
        if not PO_LINE.fullmatch(line.rstrip("\r")):
            raise PoFileError("the text is not in double quotes", None, line, number)


def _untranslated(catalog, origin: dict, needed: tuple[str, ...]) -> list[StatementError]:
    errors = []
    for msgid in needed:
        message, path = catalog.get(msgid), origin[msgid]
        if message is None:
            hint = "add it to this catalog with its translation as msgstr (in the tool's own repository: make catalogs)"
            errors.append(StatementError(path, None, f"the message {msgid!r} is missing", hint))
        elif not message.string or message.fuzzy:
            state = "marked fuzzy" if message.fuzzy else "not translated"
            hint = "write its translation in msgstr and remove any '#, fuzzy' line above it"
            errors.append(
                StatementError(path, message.lineno, f"the message {msgid!r} is {state}", hint)
            )
    return errors


def _unsafe(catalog, origin: dict, needed: tuple[str, ...], words: tuple[str, ...]) -> list:
    """Translations that are not plain text: the pages would show them as HTML, or break."""
    errors = []
    for msgid in needed:
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            continue  # reported as missing or untranslated
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if problem := _problem(msgid, text, msgid in words):
                errors.append(StatementError(origin[msgid], message.lineno, *problem))
    return errors


def _problem(msgid: str, text: str, file_word: bool) -> tuple[str, str] | None:
    """What is wrong with one translation, as (message, hint); None when nothing is."""
    tags, names = _tags(msgid), _placeholders(msgid)
    if found := unprintable(text):
        message = f"the translation of {msgid!r} holds the unprintable character {found}"
        hint = "delete it: it is invisible in most editors (it often comes with a copy and paste)"
    elif file_word and not FILE_WORD.fullmatch(text):
        message = f"the file-name word {msgid!r} is translated as {text!r}, which cannot stand in a file name"
        hint = "use at most 60 letters, digits and hyphens, as in privacyverklaring"
    elif _tags(text) != tags:
        message = f"the translation of {msgid!r} has other HTML than the message"
        hint = (
            f"keep the message's own tags exactly as they are, {' '.join(TAG.findall(msgid))}, and add none"
            if tags
            else "write it as plain text: the message has no HTML, so its translation has none"
        )
    elif _placeholders(text) != names:
        message = f"the translation of {msgid!r} has other placeholders than the message"
        kept = ", ".join(f"%({name})s" for name in names or ())
        hint = (
            f"keep {kept} exactly as written, and write a percent sign as %%"
            if names
            else "the message has no placeholders: write a percent sign as %%"
        )
    else:
        return None
    return message, hint


def _tags(text: str) -> list[str]:
    """A message's HTML tags, sorted (a < or > that makes no tag is text, escaped as such)."""
    return sorted(TAG.findall(text))


def _placeholders(text: str) -> list[str] | None:
    """A message's %(name)s, sorted; None when any other % sign stands in it (Jinja would fail)."""
    return None if "%" in PERCENT.sub("", text) else sorted(set(PLACEHOLDER.findall(text)))


def as_markup(text: str) -> Markup:
    """A translation as the page's HTML: its tags (only the message's own, checked on loading)
    kept, every other character escaped, so that a quote or an ampersand in the words shows as
    itself in any attribute or feed."""
    parts, at = [], 0
    for tag in TAG.finditer(text):
        parts += [escape(text[at : tag.start()]), tag.group()]
        at = tag.end()
    return Markup("".join([*parts, escape(text[at:])]))


@stage("catalog")
def load_catalogs(
    locales: Path | Sequence[Path],
    templates: Path | Sequence[Path],
    languages,
    words: tuple[str, ...] = (),
) -> dict[str, gettext.GNUTranslations]:
    """Every language's catalog, checked against the templates' messages and the generator's own
    `words` (of file names); all problems at once."""
    needed = tuple(sorted({*template_messages(templates), *words}))
    steps = [
        lambda lang=language: load_translations(locales, lang.code, lang.locale, needed, words)
        for language in languages
    ]
    return dict(zip((language.code for language in languages), gather(*steps), strict=True))
