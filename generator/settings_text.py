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
from pathlib import Path

from .errors import StatementError

MENDINGS = 100  # lines mended at most before the file is given up on
KEY = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\")")
ODD_SPACE = re.compile(r"[^\S\n\t ]")  # a no-break space and the like: TOML reads no space there
TABLE = re.compile(r"\s*\[+\s*([A-Za-z0-9_.\- ]*)")
AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
NUMERIC_DATE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}")
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


def explained(reason: str, lines: list[str], number: int) -> tuple[str, str]:
    """What is wrong with the line, in plain words, and the line as it should be."""
    line = lines[number - 1]
    key = _key(line)
    value = line.split("=", 1)[1].strip() if "=" in line else ""
    mended = _mended(reason, line) or f'{key} = "…"'
    if reason == "Unterminated long text":
        return (
            "this text in triple quotes has no end",
            f'end it with """ where it should end: {key} = """…"""',
        )
    if reason.startswith("Unclosed"):  # an inline table, { … }, or a list, [ … ]
        return "a { or [ on this line is not closed", f"close it on the same line: {mended}"
    if reason.startswith(("Illegal character '\\n'", "Unterminated string")) and _open_quote(line):
        return "this text has no closing quote", f"end it on the same line with a quote: {mended}"
    if reason.startswith("Expected '=' after a key") and (odd := ODD_SPACE.search(line)):
        name = unicodedata.name(odd.group(), f"U+{ord(odd.group()):04X}").lower()
        message = f"the space after '{key}' is a {name}, which TOML does not read as a space"
        return message, f"type a plain space there: {mended}"
    if reason.startswith("Expected '=' after a key"):
        return (
            f"'{key}' has no = before its value",
            f"write an = between the name and the value: {mended}",
        )
    if reason.startswith("Cannot overwrite a value") and line.lstrip().startswith("["):
        message = f"the table [{_table(line)}] is there twice, or clashes with a setting before it"
        return message, "keep one of them and delete the other"
    if reason.startswith("Cannot overwrite a value"):
        return (
            f"'{key}' is set twice{_first(lines, number, key)}",
            "keep one of them and delete the other",
        )
    if reason.startswith("Cannot declare"):
        name = ".".join(re.findall(r"'([^']*)'", reason))
        message = f"the table [{name}] is there twice{_first(lines, number, f'[{name}]')}"
        return message, f"write everything of [{name}] under the first and delete this heading"
    if reason.startswith("Invalid date"):
        return (
            f"{value} is not a date that exists",
            f"write a real day, as YYYY-MM-DD without quotes: {key} = 2021-02-23",
        )
    if NUMERIC_DATE.fullmatch(value):
        return (
            f"{value} is not written the way TOML writes a date",
            f"write the year first, without quotes: {key} = 2021-02-23",
        )
    if reason.startswith("Invalid value") and key:
        return f"the value of '{key}' is not in quotes", f"write text between quotes: {mended}"
    if reason.startswith("Expected newline or end of document") and key:
        return (
            f"the line of '{key}' goes on after its value",
            f'write one setting a line, a quote inside text as \\": {key} = "…"',
        )
    if reason.startswith("Expected ']'") or line.lstrip().startswith("["):
        return "this table heading is not closed", f"end it with ]: [{_table(line)}]"
    return f"this line is not a setting TOML can read ({reason})", f"write it as {EXAMPLE}"


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
    key = _key(line)
    if not key:
        return ""
    rest = ODD_SPACE.sub(" ", line[line.index(key) + len(key) :]).strip()
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
