"""`statement check --suggest`: the heading classes each section's words support and its heading
does not declare yet; with --write, added to the heading in every language, and nothing else.

The heading line is changed as bytes, so that every other byte of the file (its byte-order mark,
its line ends, its spacing) stays exactly as the editor left it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .check import disclosures, evidence_json
from .disclosures import Evidence, statement_evidence
from .errors import StatementError
from .model import Statement

LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
BRACES_AT_END = re.compile(rb"\}([ \t]*)(\r\n|\r|\n)?$")


@dataclass(frozen=True)
class Suggestion:
    section: str  # the section's id
    disclosure: str  # the class to add
    evidence: tuple[Evidence, ...]  # the words that make it, in each language that has them


def suggestions(statement: Statement) -> tuple[Suggestion, ...]:
    """For each section, in order, the disclosures its words make that its heading does not
    declare (the source language's heading: the build holds every language to the same)."""
    evidence = statement_evidence(statement)
    ids = [d.id for d in disclosures()]
    return tuple(
        Suggestion(section.id, did, said)
        for section in statement.translations[0].sections
        for did in ids
        if did not in section.classes
        and (said := tuple(e for e in evidence if (e.section, e.disclosure) == (section.id, did)))
    )


def suggestion_lines(statement: Statement, found: tuple[Suggestion, ...], root: Path) -> list[str]:
    """One line a suggestion: where the heading is, the class, and the words that support it."""
    if not found:
        return ["Nothing to suggest: every heading declares what its section's words say."]
    first = statement.translations[0]
    lines = ["Heading classes the words support and the headings do not declare yet:"]
    for suggestion in found:
        heading = StatementError(first.path, first.by_id[suggestion.section].line, "", "")
        words = "; ".join(f'{e.lang}: "{e.words}"' for e in suggestion.evidence)
        lines.append(
            f"  {heading.where(root)} #{suggestion.section}: .{suggestion.disclosure} ({words})"
        )
    return lines


def suggestions_json(statement: Statement, found: tuple[Suggestion, ...], root: Path) -> str:
    """The suggestions for a script: each section, class and the evidence for it."""
    first = statement.translations[0]
    return json.dumps(
        [
            {
                "section": suggestion.section,
                "class": suggestion.disclosure,
                "file": StatementError(first.path, None, "", "").where(root),
                "line": first.by_id[suggestion.section].line,
                "evidence": [evidence_json(e, root) for e in suggestion.evidence],
            }
            for suggestion in found
        ],
        ensure_ascii=False,
        indent=2,
    )


def write_suggestions(statement: Statement, found: tuple[Suggestion, ...]) -> list[Path]:
    """Add the suggested classes to the headings in every language; the files changed."""
    changed = []
    for translation in statement.translations:
        added = {}
        for suggestion in found:
            added.setdefault(suggestion.section, []).append(suggestion.disclosure)
        lines = {s.line: added[s.id] for s in translation.sections if s.id in added}
        if lines:
            data = translation.path.read_bytes()
            translation.path.write_bytes(with_classes(data, lines))
            changed.append(translation.path)
    return changed


def with_classes(data: bytes, classes: dict[int, list[str]]) -> bytes:
    """The Markdown with classes added at the end of the braces of the headings on the given
    lines (1-based, as the reader counts them); every other byte as it was."""
    lines = [found.group() for found in LINE.finditer(data) if found.group()]
    for number, names in classes.items():
        lines[number - 1] = _with(lines[number - 1], names)
    return b"".join(lines)


def _with(line: bytes, names: list[str]) -> bytes:
    found = BRACES_AT_END.search(line)
    if found is None:  # not a heading with braces: the reader would not have seen a section
        return line
    added = b"".join(b" ." + name.encode("ascii") for name in names)
    return line[: found.start()] + added + line[found.start() :]
