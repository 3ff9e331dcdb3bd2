"""Pure: how two versions of the statement differ, section by section and word by word. No I/O."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .model import Change, Section, Statement, Translation

BREAK = "\n"  # between paragraphs, so that a diff keeps the text's blocks apart


@dataclass(frozen=True)
class Piece:
    """A run of words that is the same in both versions, or only in the old, or only in the new."""

    kind: str  # "same", "deleted" or "inserted"
    text: str


def changes_between(before: Statement, after: Statement) -> tuple[Change, ...]:
    """Added, removed and changed sections, in the order of the newer text, removed ones last."""
    old = _sections_by_id(before)
    new = _sections_by_id(after)
    changes = [
        Change(sid, "added" if sid not in old else "changed")
        for sid in new
        if new[sid] != old.get(sid)
    ]
    return (*changes, *(Change(sid, "removed") for sid in old if sid not in new))


def _sections_by_id(statement: Statement) -> dict[str, tuple]:
    """Section id -> what it says in every language (heading and text)."""
    ids = [section.id for section in statement.translations[0].parts]
    return {sid: tuple(_said(t, sid) for t in statement.translations) for sid in ids}


def _said(translation: Translation, section_id: str) -> tuple[str, str] | None:
    found = translation.by_id.get(section_id)
    return (found.heading, found.text) if found else None


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """The words of old and new, each marked same, deleted or inserted."""
    a, b = old.split(" ") if old else [], new.split(" ") if new else []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pieces = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("deleted", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("inserted", " ".join(b[j1:j2])))
    return tuple(pieces)


def section_diff(before: Section | None, after: Section | None) -> tuple[tuple[Piece, ...], ...]:
    """A section's body as paragraphs of pieces: what a reader sees marked up in a comparison."""
    old = f" {BREAK} ".join(before.blocks) if before else ""
    new = f" {BREAK} ".join(after.blocks) if after else ""
    return _paragraphs(word_diff(old, new))


def _paragraphs(pieces: tuple[Piece, ...]) -> tuple[tuple[Piece, ...], ...]:
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        for index, part in enumerate(piece.text.split(BREAK)):
            if index:
                paragraphs.append([])
            if part.strip():
                paragraphs[-1].append(Piece(piece.kind, part.strip()))
    return tuple(tuple(paragraph) for paragraph in paragraphs if paragraph)
