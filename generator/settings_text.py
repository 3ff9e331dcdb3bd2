"""statement.toml read as far as it goes: the TOML parser's complaints in an editor's words, and
the lines around a mistake read all the same.

tomllib stops at the first mistake and says it in the parser's terms ("Illegal character '\\n'"
for a text without its closing quote). Here each mistake becomes a message that says what is
wrong with the line and shows the line as it should be; the line is then mended as well as can be
(the quote closed, the `=` put in) or left out, and the file read again, so that one run reports
every mistake in it and the texts are still checked against the settings that can be read.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import StatementError

MENDINGS = 100  # lines mended at most before the file is given up on
KEY = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\")")
ODD_SPACE = re.compile(r"[^\S\n\t ]")  # a no-break space and the like: TOML reads no space there
TABLE = re.compile(r"\s*\[+\s*([A-Za-z0-9_.\- ]*)")
AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
NUMERIC_DATE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}")
CURLY = re.compile("[\u2018\u2019\u201c\u201d]")  # curly quotes, as word processors type them
SPACED_NAME = re.compile(r"[ \t]+([A-Za-z0-9_-]+)[ \t]*=")  # `base url =`: a space in a name
EXAMPLE = 'name = "text in quotes", or a date without quotes: effective = 2021-02-23'


def read_toml(path: Path, text: str) -> tuple[dict, list[StatementError]]:
    """The data of the file, mended where it does not read, and a problem per mistake."""
    lines, errors, mended = text.split("\n"), [], set()
    for _ in range(MENDINGS):
        try:
            return tomllib.loads("\n".join(lines)), errors
        except tomllib.TOMLDecodeError as error:
            number, reason = _where(str(error), lines)
            if number in mended:  # mending it did not help: leave the line out, or give up
                if not lines[number - 1]:
                    break
                lines[number - 1] = ""
                continue
            mended.add(number)
            message, hint = explained(reason, lines, number)
            errors.append(StatementError(path, number, message, hint))
            lines[number - 1] = _mended(reason, lines[number - 1])
        except RecursionError:  # Python's reader recurses once per [ or { nested
            raise _too_deep(path, lines) from None  # nothing of it reads: no more to say
    return {}, errors


def _too_deep(path: Path, lines: list[str]) -> StatementError:
    line = max(range(len(lines)), key=lambda n: lines[n].count("[") + lines[n].count("{")) + 1
    hint = "write the settings as the guide shows them: tables of text, nested at most once"
    return StatementError(path, line, "TOML nested too deeply to read", hint)


def _where(message: str, lines: list[str]) -> tuple[int, str]:
    """The line of a mistake (the last line with text, for one at the end of the document)."""
    found = AT.search(message)
    reason = message[: found.start()] if found else message
    if found and found.group(1):
        return min(int(found.group(1)), len(lines)), reason
    if opened := _open_long_text(lines):
        return opened, "Unterminated long text"
    filled = [n for n, line in enumerate(lines, 1) if line.strip()]
    return (filled[-1] if filled else 1), reason


def _open_long_text(lines: list[str]) -> int | None:
    """The line where a text in triple quotes begins that nothing ends."""
    opened = None
    for number, line in enumerate(lines, 1):
        for _ in range(line.count('"""') + line.count("'''")):
            opened = None if opened else number
    return opened


@dataclass(frozen=True)
class _Mistake:
    """A line tomllib refused, and why, in its words."""

    reason: str
    lines: list[str]
    number: int

    @property
    def line(self) -> str:
        return self.lines[self.number - 1]

    @property
    def key(self) -> str:
        return _key(self.line)

    @property
    def after(self) -> str:
        """What follows the name on the line."""
        return self.line[self.line.index(self.key) + len(self.key) :] if self.key else ""

    @property
    def value(self) -> str:
        return self.line.split("=", 1)[1].strip() if "=" in self.line else ""

    @property
    def mended(self) -> str:
        return _mended(self.reason, self.line) or f'{self.key} = "…"'

    def said(self, *starts: str) -> bool:
        return self.reason.startswith(starts)


def explained(reason: str, lines: list[str], number: int) -> tuple[str, str]:
    """What is wrong with the line, in plain words, and the line as it should be."""
    mistake = _Mistake(reason, lines, number)
    for rule in RULES:
        if found := rule(mistake):
            return found
    return f"this line is not a setting TOML can read ({reason})", f"write it as {EXAMPLE}"


def _long_text(m: _Mistake) -> tuple[str, str] | None:
    if m.reason == "Unterminated long text":
        hint = f'end it with """ where it should end: {m.key} = """…"""'
        return "this text in triple quotes has no end", hint
    return None


def _unclosed(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Unclosed"):  # an inline table, { … }, or a list, [ … ]
        return "a { or [ on this line is not closed", f"close it on the same line: {m.mended}"
    return None


def _curly_quotes(m: _Mistake) -> tuple[str, str] | None:
    if CURLY.search(m.value):
        message = f"the value of '{m.key}' is in curly quotes, which TOML does not read as quotes"
        return message, f"type straight quotes (a word processor curls them): {m.mended}"
    return None


def _no_closing_quote(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Illegal character '\\n'", "Unterminated string") and _open_quote(m.line):
        return "this text has no closing quote", f"end it on the same line with a quote: {m.mended}"
    return None


def _backslash(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Unescaped '\\'"):
        single = m.value.strip('"')
        hint = f"write it twice, \\\\, or put the text in single quotes: {m.key} = '{single}'"
        return "a \\ in text in double quotes starts an escape", hint
    return None


def _no_equals(m: _Mistake) -> tuple[str, str] | None:
    if not m.said("Expected '=' after a key", "Invalid initial character", "Invalid statement"):
        return None
    if odd := ODD_SPACE.search(m.line):
        name = unicodedata.name(odd.group(), f"U+{ord(odd.group()):04X}").lower()
        message = f"the space after '{m.key}' is a {name}, which TOML does not read as a space"
        return message, f"type a plain space there: {m.mended}"
    if m.after.lstrip().startswith(":"):
        return f"'{m.key}' has a : where TOML wants =", f"write = instead: {m.mended}"
    if words := SPACED_NAME.match(m.after):
        return (
            f"the name '{m.key} {words.group(1)}' has a space in it",
            f"join its words with _: {m.mended}",
        )
    if m.key and m.after[:1] not in ("", " ", "\t", "="):
        message = f"the name '{m.key}{m.after[0]}…' holds {m.after[0]!r}, which a name cannot"
        return message, "write names with the letters a-z and A-Z, digits, _ and -"
    return (
        f"'{m.key}' has no = before its value",
        f"write an = between the name and the value: {m.mended}",
    )


def _twice(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Cannot overwrite a value") and m.line.lstrip().startswith("["):
        message = (
            f"the table [{_table(m.line)}] is there twice, or clashes with a setting before it"
        )
        return message, "keep one of them and delete the other"
    if m.said("Cannot overwrite a value"):
        return (
            f"'{m.key}' is set twice{_first(m.lines, m.number, m.key)}",
            "keep one of them and delete the other",
        )
    if m.said("Cannot declare"):
        name = ".".join(re.findall(r"'([^']*)'", m.reason))
        message = f"the table [{name}] is there twice{_first(m.lines, m.number, f'[{name}]')}"
        return message, f"write everything of [{name}] under the first and delete this heading"
    return None


def _dates(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Invalid date"):
        hint = f"write a real day, as YYYY-MM-DD without quotes: {m.key} = 2021-02-23"
        return f"{m.value} is not a date that exists", hint
    if NUMERIC_DATE.fullmatch(m.value):
        hint = f"write the year first, without quotes: {m.key} = 2021-02-23"
        return f"{m.value} is not written the way TOML writes a date", hint
    return None


def _values(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Invalid value") and m.key and not m.value:
        return f"'{m.key}' has no value", f'write its value after the =: {m.key} = "…"'
    if m.said("Invalid value") and m.key:
        return f"the value of '{m.key}' is not in quotes", f"write text between quotes: {m.mended}"
    if m.said("Expected newline or end of document") and m.key:
        hint = f'write one setting a line, a quote inside text as \\": {m.key} = "…"'
        return f"the line of '{m.key}' goes on after its value", hint
    return None


def _heading(m: _Mistake) -> tuple[str, str] | None:
    if m.said("Expected ']'") or m.line.lstrip().startswith("["):
        return "this table heading is not written [name]", f"write it as [{_table(m.line)}]"
    return None


RULES = (_long_text, _unclosed, _curly_quotes, _no_closing_quote, _backslash, _no_equals,
         _twice, _dates, _values, _heading)  # fmt: skip


def _key(line: str) -> str:
    found = KEY.match(line)
    return found.group(1).strip('"') if found else ""


def _table(line: str) -> str:
    found = TABLE.match(line)
    return found.group(1).strip() if found and found.group(1).strip() else "name"


def _open_quote(line: str) -> bool:
    value = line.split("=", 1)[1] if "=" in line else line
    return value.replace('\\"', "").count('"') % 2 == 1 or value.count("'") % 2 == 1


def _first(lines: list[str], number: int, key: str) -> str:
    """(first on line N): where the same key or table heading was written before."""
    pattern = re.compile(rf"\s*{re.escape(key)}\s*(=|$)") if not key.startswith("[") else None
    for n, line in enumerate(lines[: number - 1], 1):
        if (pattern and pattern.match(line)) or (not pattern and line.strip() == key):
            return f" (first on line {n})"
    return ""


def _mended(reason: str, line: str) -> str:
    """The line as it was most likely meant, or nothing when that cannot be told."""
    if reason.startswith(("Cannot overwrite", "Cannot declare")):
        return ""  # the first one stands
    if reason == "Unterminated long text":
        return line + ('"""' if '"""' in line else "'''")
    if line.lstrip().startswith("["):
        return f"[{_table(line)}]" if "[[" not in line else ""
    line = CURLY.sub(lambda quote: "'" if quote.group() in "\u2018\u2019" else '"', line)
    key = _key(line)
    if not key:
        return ""
    rest = ODD_SPACE.sub(" ", line[line.index(key) + len(key) :]).strip()
    if words := SPACED_NAME.match(" " + rest):  # `base url = …`: the name's words joined
        key, rest = f"{key}_{words.group(1)}", rest[len(words.group(1)) :].strip()
    rest = "=" + rest[1:] if rest.startswith(":") else rest
    value = rest.split("=", 1)[1].strip() if rest.startswith("=") else rest
    for candidate in (value, _closed(value), f'"{value}"', f'"{_unquoted(value)}"'):
        try:
            tomllib.loads(f"{key} = {candidate}")
            return f"{key} = {candidate}"
        except tomllib.TOMLDecodeError:
            continue
    return ""


def _closed(value: str) -> str:
    """The value with the { and [ it leaves open closed, innermost first."""
    stack = []
    for char in value:
        if char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]" and stack:
            stack.pop()
    return value + "".join(reversed(stack))


def _unquoted(value: str) -> str:
    return value.strip("\"'").replace("\\", "\\\\").replace('"', '\\"')
