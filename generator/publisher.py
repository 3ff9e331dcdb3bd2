"""[publisher] in statement.toml, and values given once per language.

The page around the text (its header, footer and the PDF's running head) names who publishes the
statement: `name` (required), `address` (lines), `registration` (a label and a number, such as a
company register's; none at all is fine), `email` and `website`. Any of them, and any fact, may
be given once for every language or as a table with one value per language:
`street = { nl = "Stationsplein 1", en = "1 Stationsplein" }`; such a table gives every language.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from .files import unprintable
from .model import FactValue, Publisher

FIELDS = ("name", "address", "registration", "email", "website")
LANGUAGE_KEY = re.compile(r"[a-z]{2,3}")
# One plain address: a mailto: link carries anything after a ? (a bcc=, a body=) along.
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
EXAMPLE = '[publisher] with name = "…" (and address, registration, email, website if you like)'
Problem = Callable[[str, str], Exception]  # (message, hint) -> the error at the key's line


def is_per_language(value: object) -> bool:
    """A table whose keys are all language codes gives one value per language."""
    return isinstance(value, dict) and bool(value) and all(map(LANGUAGE_KEY.fullmatch, value))


def per_language(
    value: object, codes: list[str], what: str, problem: Problem, errors: list
) -> dict[str, object] | None:
    """The value as each language reads it (tables of languages at any depth resolved), or None
    with the problem reported when a table of languages leaves one out."""
    gaps = sorted(set(_gaps(value, codes)))
    for lang in gaps:
        hint = f'add {lang} = "…" to the table: it gives one value per language, so every language'
        errors.append(problem(f"{what} gives no value for the language '{lang}'", hint))
    return None if gaps else {lang: _in(value, lang) for lang in codes}


def _gaps(value: object, codes: list[str]) -> list[str]:
    """The languages a table of languages leaves out, at any depth. (A value for a language the
    statement does not have is let be: a version may drop a language and keep its tables.)"""
    if is_per_language(value):
        found = [lang for lang in codes if lang not in value]
        return found + [gap for entry in value.values() for gap in _gaps(entry, codes)]
    entries = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    return [gap for entry in entries for gap in _gaps(entry, codes)]


def _in(value: object, lang: str) -> object:
    """The value as one language reads it."""
    if is_per_language(value):
        return _in(value.get(lang), lang)
    if isinstance(value, list):
        return [_in(entry, lang) for entry in value]
    if isinstance(value, dict):
        return {key: _in(entry, lang) for key, entry in value.items()}
    return value


def one_or_each(texts: dict[str, str]) -> FactValue:
    """One text when every language has the same, else (language, text) for each."""
    return next(iter(texts.values())) if len(set(texts.values())) == 1 else tuple(texts.items())


def publishers(table: object, codes: list[str], where, errors: list) -> tuple:
    """[publisher] as each language reads it: ((language, Publisher), ...); () when there is no
    table (the build asks for one; a version of long ago may predate it)."""
    if table is None:
        return ()
    if not isinstance(table, dict):
        errors.append(where.error("'publisher' must be a table", f"write {EXAMPLE}", "publisher"))
        return ()
    for key in table:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(FIELDS)}"
            errors.append(where.error(f"unknown publisher field '{key}'", hint, key, "publisher"))
    if "name" not in table:
        hint = 'add name = "…" under [publisher]: the name the page shows, such as "Example Ltd"'
        errors.append(where.error("the publisher has no name", hint, "publisher"))
    values = {key: _field(key, table[key], codes, where, errors) for key in FIELDS if key in table}
    if any(values.get("name", {}).get(lang) is None for lang in codes):
        return ()
    # a field with a problem is left out, so that the texts are checked in the same run
    return tuple(
        (lang, Publisher(**{k: v[lang] for k, v in values.items() if v.get(lang) is not None}))
        for lang in codes
    )


def _field(key: str, given: object, codes: list[str], where, errors: list) -> dict:
    problem = where.locate(key, "publisher")
    values = per_language(given, codes, f"the publisher's {key}", problem, errors) or {}
    shaped = {lang: SHAPES[key](value) for lang, value in values.items()}
    if any(value is None for value in shaped.values()):
        errors.append(problem(f"the publisher's {key} is not {WHAT[key]}", f"write {HOW[key]}"))
    for value in shaped.values():
        if found := unprintable(" ".join(_texts(value))):
            hint = "delete it: a TOML escape such as \\u0001 writes a character no page can show"
            errors.append(
                problem(f"the publisher's {key} holds the unprintable character {found}", hint)
            )
            break
    # a text that is not what the field wants (an e-mail address with a ?bcc=) still stands in
    # for it: the texts quoting it are checked in the same run, and the build stops anyway
    return {lang: value or _text(values[lang]) for lang, value in shaped.items()}


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _email(value: object) -> str | None:
    text = _text(value)
    return text if text and EMAIL.fullmatch(text) else None


def _lines(value: object) -> tuple[str, ...] | None:
    lines = [value] if isinstance(value, str) else value if isinstance(value, list) else [None]
    texts = tuple(_text(line) for line in lines)
    return None if None in texts else texts


def _registration(value: object) -> tuple[str, str] | None:
    if not isinstance(value, dict) or set(value) - {"label", "number"}:
        return None
    label, number = value.get("label", ""), _text(value.get("number"))
    if not isinstance(label, str) or number is None:
        return None
    return label.strip(), number


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [text for entry in (value or ()) for text in _texts(entry)]


SHAPES = {
    "name": _text,
    "address": _lines,
    "registration": _registration,
    "email": _email,
    "website": _text,
}
WHAT = {
    "name": "non-empty text",
    "address": "a list of lines of text",
    "registration": "a label and a number",
    "email": "one e-mail address",
    "website": "non-empty text",
}
HOW = {
    "name": 'it as text in quotes: name = "Example Ltd"',
    "address": 'it as lines in quotes: address = ["1 Example Street", "London EC1A 1AA"]',
    "registration": 'registration = { label = "Companies House", number = "01234567" }, or leave it out',
    "email": 'one e-mail address and nothing else: email = "privacy@example.com"',
    "website": 'it as text in quotes: website = "www.example.com"',
}
