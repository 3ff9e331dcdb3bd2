"""The words `statement init` wrote to be replaced, marked FILL IN, wherever they are left.

One finder for both readers: `statement check` lists them, and `statement build --release`
refuses them (a plain build publishes them as a preview, with a note).
"""

from __future__ import annotations

import re

from .config import setting_line
from .errors import StatementError
from .files import SourceFiles
from .model import Statement

FILL_IN = re.compile(r"FILL[ -]IN")  # init's mark: "FILL IN: …", and "FILL-IN@example.com"
FILL_IN_HINT = "write your own words in place of the FILL IN (see the guide: Your own statement)"


def placeholders(statement: Statement, source: SourceFiles) -> list[StatementError]:
    """Every title, section and statement.toml value still holding words init wrote."""
    found = []
    for t in statement.translations:
        if FILL_IN.search(t.title):
            found.append(_left(t.path, t.title_line, "title", "the title still says FILL IN"))
        for s in t.parts:
            if FILL_IN.search(f"{s.heading} {s.text}"):
                found.append(_left(t.path, s.line, s.id, f"the section #{s.id} still says FILL IN"))
    return found + _in_settings(statement, source)


def _in_settings(statement: Statement, source: SourceFiles) -> list[StatementError]:
    settings, names = statement.settings, {}
    for language in settings.languages:
        for name, value in settings.facts_in(language.code).items():
            if FILL_IN.search(value):  # publisher.address.1: the publisher's address
                names.setdefault(".".join(name.split(".")[:2]), None)
    path = source.path("statement.toml")
    return [
        _left(
            path,
            setting_line(source, *reversed(name.split(".")) if "." in name else (name, "facts")),
            name,
            f"'{name}' in statement.toml still says FILL IN",
        )
        for name in names
    ]


def _left(path, line: int | None, about: str, message: str) -> StatementError:
    return StatementError(path, line, message, FILL_IN_HINT, kind="placeholder", about=about)
