"""statement/statement.toml -> Settings, with every problem in it reported together."""

from __future__ import annotations

import codecs
import datetime
import difflib
import re
import zoneinfo
from pathlib import Path

from . import dates, publisher
from .errors import StatementError, raise_all, stage, tagged
from .files import MAX_FILE_BYTES, SourceFiles, unprintable
from .model import FactValue, Language, Settings
from .settings_text import read_toml

SETTINGS = "statement.toml"
KNOWN_SETTINGS = (
    "effective",
    "source_language",
    "base_url",
    "languages",
    "publisher",
    "facts",
    "summary",
    "accepted_gaps",
    "timezone",
)
DEFAULT_TIMEZONE = "Europe/Amsterdam"
# How `statement release` starts each language's summary: the build refuses it until rewritten.
SUMMARY_PLACEHOLDER = "FILL IN:"
FACT_NAME = re.compile(r"[a-z][a-z0-9_]*")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
EMAIL = publisher.EMAIL


def read_settings(path: Path) -> Settings:
    """Read and check the settings; raise every problem found, not just the first."""
    return settings_from(SourceFiles(path.parent))


def statement_settings(path: Path) -> tuple[Settings | None, list[StatementError]]:
    """The settings file at path, read as settings_with_problems reads it."""
    return settings_with_problems(SourceFiles(path.parent))


def settings_from(source: SourceFiles, *, placeholders: bool = False) -> Settings:
    """The settings of one revision; `placeholders` lets a summary `statement release` reset
    through (the diff and release read a statement whose summary is still to be written)."""
    settings, errors = settings_with_problems(source, placeholders=placeholders)
    raise_all(errors)
    return settings


@stage("settings")
def settings_with_problems(
    source: SourceFiles, *, placeholders: bool = False
) -> tuple[Settings | None, list[StatementError]]:
    """The settings and every problem in them. Where the problems leave the languages usable,
    the settings come back all the same (a missing fact as empty text), so that the texts can be
    checked in the same run and an editor sees every problem at once."""
    path = source.path(SETTINGS)
    text, encoding = _settings_text(source)
    data, syntax = read_toml(path, text)  # mended where it does not read: see settings_text
    syntax = [*encoding, *syntax]
    where = _Locator(path, text)
    errors = [*_unknown_settings(data, where)]
    effective = _effective(data, where, errors)
    languages = _languages(data, where, errors)
    source_language = _source_language(data, languages, where, errors)
    codes = _declared(data)
    facts = _facts(data, codes, where, errors)
    publishers = publisher.publishers(data.get("publisher"), codes, where, errors)
    base_url = _base_url(data, where, errors)
    summary = _summary(data, languages, where, errors, placeholders)
    _accepted_gaps(data, where, errors)
    timezone = _timezone(data, where, errors)
    mended = {error.line for error in syntax}  # a mended line's value is a guess: said once
    errors = [*syntax, *(error for error in errors if error.line not in mended)]
    if syntax and source_language not in [language.code for language in languages]:
        languages, source_language = _languages_of_files(source, source_language)
        errors = syntax  # the rest follows from the mistakes: the texts are what is left to check
    if source_language not in [language.code for language in languages]:
        return None, tagged("settings", errors)
    ordered = tuple(sorted(languages, key=lambda language: language.code != source_language))
    settings = Settings(
        effective, source_language, ordered, facts, base_url, summary, timezone, publishers
    )
    return settings, tagged("settings", errors)


def _settings_text(source: SourceFiles) -> tuple[str, list[StatementError]]:
    """The text of statement.toml. One not saved as UTF-8 is said to be so, at the line of its
    first byte that is not, and read as it was most likely saved, so that the rest of it and the
    texts are still checked in the same run: UTF-16 or UTF-32 by its byte-order mark (Notepad's
    "Unicode"), else Windows' Western code page (its "ANSI": é is one byte, 0xE9)."""
    try:
        return source.text(SETTINGS, "the settings file statement.toml"), []
    except StatementError as error:
        raw = _raw(source)
        if raw is None or _is_utf8(raw):
            raise  # missing, a folder, too large, an unprintable character: nothing to read on
        text = raw.decode(_saved_as(raw), errors="replace")
        return text.replace("\r\n", "\n").replace("\r", "\n"), [error]


def _raw(source: SourceFiles) -> bytes | None:
    """statement.toml's bytes, if it is a file small enough to read (files.py said if not)."""
    if source.blobs is not None:
        return source.blobs.get(SETTINGS)
    path = source.folder / SETTINGS
    if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
        return None
    return path.read_bytes()


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


UNICODE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's, which begins it
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _saved_as(raw: bytes) -> str:
    return next((codec for mark, codec in UNICODE_MARKS if raw.startswith(mark)), "cp1252")


def _languages_of_files(source: SourceFiles, wanted: str) -> tuple[list[Language], str]:
    """When the languages cannot be read for a TOML mistake: those the texts' file names give
    (nl.md: nl, with babel's locale nl), so that the texts are still checked in the same run."""
    names = (
        source.blobs if source.blobs is not None else [p.name for p in source.folder.glob("*.md")]
    )
    codes = sorted(n[:-3] for n in names if n.endswith(".md") and LANGUAGE_CODE.fullmatch(n[:-3]))
    languages = [Language(code, code, code) for code in codes if dates.is_known_locale(code)]
    found = [language.code for language in languages]
    return languages, wanted if wanted in found else (found[0] if found else wanted)


def _parse(path: Path, text: str) -> dict:
    data, errors = read_toml(path, text)
    raise_all(errors)
    return data


class _Locator:
    """Finds the line of a key or table in the TOML text, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")

    def line(self, key: str, table: str | None = None) -> int | None:
        start = self._table_start(table) if table else 0
        if start is None:
            return None
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=|\s*\[{re.escape(key)}\]")
        for number, line in enumerate(self.lines[start:], start + 1):
            if pattern.match(line):
                return number
        return start or None

    def _table_start(self, table: str) -> int | None:
        header = re.compile(rf"\s*\[\s*{re.escape(table)}\s*\]")
        found = (n for n, line in enumerate(self.lines, 1) if header.match(line))
        return next(found, None)

    def error(self, message: str, hint: str, key: str, table: str | None = None):
        return StatementError(self.path, self.line(key, table), message, hint)

    def locate(self, key: str, table: str | None = None):
        """A maker of errors about one key: (message, hint) -> StatementError at its line."""
        return lambda message, hint: self.error(message, hint, key, table)


def _unknown_settings(data: dict, where: _Locator) -> list[StatementError]:
    errors = []
    for key in data:
        if key not in KNOWN_SETTINGS:
            close = difflib.get_close_matches(key, KNOWN_SETTINGS, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"use one of {', '.join(KNOWN_SETTINGS)}"
            )
            errors.append(where.error(f"unknown setting '{key}'", hint, key))
    return errors


def _effective(data: dict, where: _Locator, errors: list) -> datetime.date:
    value = data.get("effective")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    hint = "write the version date as a TOML date without quotes: effective = 2021-02-23"
    if value is None:
        errors.append(StatementError(where.path, None, "the setting 'effective' is missing", hint))
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        hint = f"remove the quotes: effective = {value}"
        errors.append(where.error("the date is in quotes, which makes it text", hint, "effective"))
    else:
        shown = (
            value.isoformat() if isinstance(value, datetime.date | datetime.time) else repr(value)
        )
        errors.append(where.error(f"'effective' must be a date, not {shown}", hint, "effective"))
    return datetime.date(1970, 1, 1)


def _languages(data: dict, where: _Locator, errors: list) -> list[Language]:
    table = data.get("languages")
    hint = 'add a table per language: [languages.nl] with locale = "nl_NL" and name = "Nederlands"'
    if not isinstance(table, dict) or not table:
        errors.append(where.error("no languages are set", hint, "languages"))
        return []
    return [
        lang for code, entry in table.items() if (lang := _language(code, entry, where, errors))
    ]


def _language(code: str, entry: object, where: _Locator, errors: list) -> Language | None:
    table = f"languages.{code}"
    if not LANGUAGE_CODE.fullmatch(code):
        hint = "use the two-letter ISO 639-1 code in lower case, such as nl or en"
        errors.append(where.error(f"'{code}' is not a language code", hint, table))
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("locale"), str):
        hint = f'add locale = "{code}_XX" (a babel locale such as nl_NL or en_GB) under [{table}]'
        errors.append(where.error(f"language '{code}' has no locale", hint, table))
        return None
    locale, name = entry["locale"], entry.get("name")
    if not dates.is_known_locale(locale) or not locale.startswith(code):
        hint = (
            f"use a babel locale of language '{code}' written with an underscore, such as {code}_NL"
        )
        errors.append(where.error(f"unknown locale '{locale}'", hint, "locale", table))
        return None
    if not isinstance(name, str) or not name.strip():
        hint = f'add name = "…" under [{table}]: the language\'s name in itself, such as "English"'
        errors.append(where.error(f"language '{code}' has no name", hint, table))
        return None
    if _unprintable(name, f"the name of language '{code}'", where, errors, "name", table):
        return None
    return Language(code, locale, name)


def _unprintable(
    value: str, what: str, where: _Locator, errors: list, key: str, table: str | None = None
) -> bool:
    """A text the pages show, checked for a character they cannot: true if it holds one."""
    if found := unprintable(value):
        hint = "delete it: a TOML escape such as \\u0001 writes a character no page can show"
        message = f"{what} holds the unprintable character {found}"
        errors.append(where.error(message, hint, key, table))
    return bool(found)


def _declared(data: dict) -> list[str]:
    """The language codes the file names, usable or not: one bad language is one problem."""
    table = data.get("languages")
    return [str(code) for code in table] if isinstance(table, dict) else []


def _source_language(data: dict, languages: list, where: _Locator, errors: list) -> str:
    source = data.get("source_language")
    codes = [language.code for language in languages]
    if source in _declared(data) or (source and not _declared(data)):
        return source  # a language not declared, or not usable, is reported with the languages
    hint = f"set source_language to the language that legally prevails, one of: {', '.join(codes)}"
    if not codes:
        hint = 'set source_language to the language that legally prevails, such as "nl"'
    if source is None:
        errors.append(StatementError(where.path, None, "'source_language' is missing", hint))
    else:
        message = f"the source language '{source}' is not one of the languages"
        errors.append(where.error(message, hint, "source_language"))
    return str(source)


def _facts(
    data: dict, codes: list[str], where: _Locator, errors: list
) -> tuple[tuple[str, FactValue], ...]:
    """[facts]: any names, each one text, or one per language: street = { nl = "…", en = "…" }."""
    table = data.get("facts", {})
    if not isinstance(table, dict):
        hint = 'write it as a table: [facts] with one line per fact: phone = "…"'
        errors.append(where.error("'facts' must be a table", hint, "facts"))
        return ()
    facts = tuple(
        (name, value)
        for name, given in table.items()
        if (value := _fact(name, given, codes, where, errors)) is not None
    )
    email = dict(facts).get("email")
    for value in [email] if isinstance(email, str) else dict(email or ()).values():
        _email(value, where, errors)
    return facts


def _email(value: str | None, where: _Locator, errors: list) -> None:
    """One plain address: a mailto: link carries anything after a ? (a bcc=, a body=) along."""
    if value is not None and not EMAIL.fullmatch(value):
        hint = 'write one e-mail address and nothing else: email = "privacy@example.com"'
        message = f"the fact 'email' is not an e-mail address: {value!r}"
        errors.append(where.error(message, hint, "email", "facts"))


# A fact whose value is wrong still exists: the texts that use it are checked with this in its
# place, so that the one problem is said in statement.toml, not also as "unknown fact" in every
# text. Its problem stops the build, so it is never published.
STAND_IN = "…"


def _fact(
    name: str, given: object, codes: list[str], where: _Locator, errors: list
) -> FactValue | None:
    if not FACT_NAME.fullmatch(name):
        hint = "name facts with lower-case letters, digits and underscores, such as phone"
        errors.append(where.error(f"'{name}' is not a usable fact name", hint, name, "facts"))
        return None
    what = f"the fact '{name}'"
    values = publisher.per_language(given, codes, what, where.locate(name, "facts"), errors)
    if values is None:
        return STAND_IN
    for value in values.values():
        if not isinstance(value, str) or not value.strip():
            hint = f'write the fact as text in quotes: {name} = "…"'
            errors.append(where.error(f"{what} must be non-empty text", hint, name, "facts"))
            return STAND_IN
        if _unprintable(value, what, where, errors, name, "facts"):
            return STAND_IN
    texts = {lang: value.strip() for lang, value in values.items()}
    return publisher.one_or_each(texts)


def require_publisher(settings: Settings, path: Path) -> None:
    """The current version must name its publisher: the page around the text shows it. (A
    version of long ago may predate [publisher]: it is published with the current one's.)"""
    if not settings.publishers:
        hint = f"add {publisher.EXAMPLE}"
        raise StatementError(path, None, "the [publisher] table is missing", hint)


def _base_url(data: dict, where: _Locator, errors: list) -> str | None:
    value = data.get("base_url")
    if value is None:
        return None
    if (
        isinstance(value, str)
        and re.fullmatch(r"https?://[^\s\"'<>]+", value)
        and not unprintable(value)
    ):
        return value if value.endswith("/") else value + "/"
    hint = (
        'write the address the site is published at: base_url = "https://www.example.com/privacy/"'
    )
    errors.append(where.error(f"'base_url' is not a web address: {value!r}", hint, "base_url"))
    return None


def _summary(
    data: dict, languages: list, where: _Locator, errors: list, placeholders: bool = False
) -> tuple[tuple[str, str], ...]:
    """What changed in this version, in every language; required per version by the history."""
    table = data.get("summary", {})
    if not isinstance(table, dict):
        hint = 'write it as a table: [summary] with nl = "…" and en = "…"'
        errors.append(
            where.error("'summary' must be a table of one text per language", hint, "summary")
        )
        return ()
    codes = [language.code for language in languages]
    for lang, text in table.items():
        if lang not in codes and lang not in _declared(data) and _declared(data):
            hint = f"use the language codes: {', '.join(codes)}"
            errors.append(
                where.error(f"the summary has unknown language '{lang}'", hint, lang, "summary")
            )
        elif not isinstance(text, str) or not text.strip():
            hint = f'write what changed, in plain words: {lang} = "…"'
            errors.append(
                where.error(f"the {lang} summary must be non-empty text", hint, lang, "summary")
            )
        elif not placeholders and text.strip().startswith(SUMMARY_PLACEHOLDER):
            hint = f'replace it with what changed in this version, in plain words: {lang} = "…"'
            message = f"the {lang} summary is still the placeholder `statement release` wrote"
            errors.append(where.error(message, hint, lang, "summary"))
        else:
            _unprintable(text, f"the {lang} summary", where, errors, lang, "summary")
    return tuple(
        (lang, " ".join(text.split()))
        for lang, text in table.items()
        if lang in codes and isinstance(text, str) and text.strip()
    )


def _timezone(data: dict, where: _Locator, errors: list) -> str:
    """The zone whose calendar the statement's dates follow: where a day begins and ends."""
    value = data.get("timezone", DEFAULT_TIMEZONE)
    try:
        zoneinfo.ZoneInfo(value)
        return value
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        close = difflib.get_close_matches(str(value), zoneinfo.available_timezones(), n=1)
        hint = f'write an IANA time zone name, such as timezone = "{DEFAULT_TIMEZONE}"'
        hint = f'did you mean timezone = "{close[0]}"?' if close else hint
        errors.append(where.error(f"unknown time zone {value!r}", hint, "timezone"))
        return DEFAULT_TIMEZONE


def accepted_gaps(source: SourceFiles) -> tuple[tuple[str, str, int | None], ...]:
    """[accepted_gaps]: the GDPR disclosures the statement knowingly leaves out, as
    (disclosure id, the editor's written reason, its line in statement.toml)."""
    path = source.path(SETTINGS)
    text, _ = _settings_text(source)  # one not saved as UTF-8: said by settings_with_problems
    where, errors = _Locator(path, text), []
    gaps = _accepted_gaps(_parse(path, text), where, errors)
    raise_all(errors)
    return gaps


def setting_line(source: SourceFiles, key: str, table: str | None = None) -> int | None:
    """The line of a key (in a table) in statement.toml, for messages about it."""
    return _Locator(source.path(SETTINGS), _settings_text(source)[0]).line(key, table)


def _accepted_gaps(
    data: dict, where: _Locator, errors: list
) -> tuple[tuple[str, str, int | None], ...]:
    table = data.get("accepted_gaps", {})
    if not isinstance(table, dict):
        hint = 'write it as a table: [accepted_gaps] with one line per gap: dpo_contact = "why"'
        errors.append(where.error("'accepted_gaps' must be a table", hint, "accepted_gaps"))
        return ()
    gaps = []
    for name, reason in table.items():
        line = where.line(name, "accepted_gaps")
        if isinstance(reason, str) and reason.strip():
            gaps.append((name, " ".join(reason.split()), line))
            continue
        hint = f'write why the statement leaves it out, in plain words: {name} = "…"'
        message = f"the accepted gap '{name}' needs its reason as text"
        errors.append(StatementError(where.path, line, message, hint))
    return tuple(gaps)
