"""Pure: how two versions of the statement differ, section by section and word by word. No I/O."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .model import Change, Section, Statement, Translation

BREAK = "\n"  # between paragraphs, so that a diff keeps the text's blocks apart
# Pairs of words one comparison may weigh (about 0.1 s in the worst case, a text of few distinct
# words), and all comparisons of one section together: a diff's time stays near-linear.
BUDGET, SECTION_BUDGET = 1_000_000, 4_000_000


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
    """The words of old and new, each marked same, deleted or inserted. Word by word costs time
    in proportion to the product of the two lengths: a long text is first matched paragraph by
    paragraph, and a stretch too long to compare even then is shown removed and added whole."""
    a, b = old.split(" ") if old else [], new.split(" ") if new else []
    if len(a) * len(b) <= BUDGET:
        return _word_pieces(a, b)
    start = _common_start(a, b)
    end = _common_start(a[start:][::-1], b[start:][::-1])  # a one-word change stays one word
    middle = a[start : len(a) - end], b[start : len(b) - end]
    if len(middle[0]) * len(middle[1]) <= BUDGET:
        pieces = _word_pieces(*middle)
    else:
        pieces = _paragraph_pieces(_paragraphs_of(middle[0]), _paragraphs_of(middle[1]))
    before = (Piece("same", " ".join(a[:start])),) if start else ()
    after = (Piece("same", " ".join(a[len(a) - end :])),) if end else ()
    return before + pieces + after


def _common_start(a: list[str], b: list[str]) -> int:
    return next(
        (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _word_pieces(a: list[str], b: list[str]) -> tuple[Piece, ...]:
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


def _paragraphs_of(words: list[str]) -> list[str]:
    return " ".join(words).split(f" {BREAK} ")


def _paragraph_pieces(a: list[str], b: list[str]) -> tuple[Piece, ...]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pieces: list[Piece] = []
    left, had = SECTION_BUDGET, (False, False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = f" {BREAK} ".join(a[i1:i2]), f" {BREAK} ".join(b[j1:j2])
        pieces += _break(had, (bool(old), bool(new)))  # the stretches are whole paragraphs
        had = (had[0] or bool(old), had[1] or bool(new))
        cost = len(old.split(" ")) * len(new.split(" "))
        if tag == "equal":
            pieces.append(Piece("same", old))
        elif old and new and cost <= min(BUDGET, left):
            left -= cost
            pieces += _word_pieces(old.split(" "), new.split(" "))
        else:
            pieces += [
                Piece(kind, text) for kind, text in (("deleted", old), ("inserted", new)) if text
            ]
    return tuple(pieces)


def _break(had: tuple[bool, bool], has: tuple[bool, bool]) -> list[Piece]:
    """The paragraph break before a stretch, on the side(s) with text before it and in it."""
    old, new = had[0] and has[0], had[1] and has[1]
    if not (old or new):
        return []
    return [Piece("same" if old and new else "deleted" if old else "inserted", BREAK)]


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
