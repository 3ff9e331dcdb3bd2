"""The differ: word-level pieces that rebuild both texts, and section changes by kind."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from generator.changes import changes_between, section_diff, word_diff
from generator.model import Change, Language, Section, Settings, Statement, Translation

words = st.lists(
    st.sampled_from(["de", "het", "data", "twee", "jaar", "niet", "wij", "u", "."]), max_size=30
)


def side(pieces, keep: str) -> str:
    return " ".join(p.text for p in pieces if p.kind in ("same", keep))


@given(words, words)
def test_the_pieces_rebuild_both_texts(old: list[str], new: list[str]) -> None:
    pieces = word_diff(" ".join(old), " ".join(new))
    assert side(pieces, "deleted") == " ".join(old)
    assert side(pieces, "inserted") == " ".join(new)


@given(words)
def test_a_text_against_itself_has_no_changes(text: list[str]) -> None:
    assert all(piece.kind == "same" for piece in word_diff(" ".join(text), " ".join(text)))


def test_paragraphs_stay_apart() -> None:
    old = Section("s", "H", "", ("Eerste alinea.", "Tweede alinea."), 1)
    new = Section("s", "H", "", ("Eerste alinea.", "Tweede, nieuwe alinea."), 1)
    paragraphs = section_diff(old, new)
    assert len(paragraphs) == 2
    assert [(p.kind, p.text) for p in paragraphs[1]] == [
        ("deleted", "Tweede"),
        ("inserted", "Tweede, nieuwe"),
        ("same", "alinea."),
    ]


def statement(*sections: tuple[str, str]) -> Statement:
    settings = Settings(
        datetime.date(2021, 2, 23), "nl", (Language("nl", "nl_NL", "Nederlands"),), (), None
    )
    body = tuple(
        Section(sid, sid.title(), "", (text,), n) for n, (sid, text) in enumerate(sections)
    )
    return Statement(settings, (Translation("nl", "T", body, None),))


def test_sections_added_removed_and_changed() -> None:
    before = statement(("a", "een"), ("b", "twee"), ("c", "drie"))
    after = statement(("a", "een"), ("c", "drie!"), ("d", "vier"))
    assert changes_between(before, after) == (
        Change("c", "changed"),
        Change("d", "added"),
        Change("b", "removed"),
    )
    assert changes_between(after, after) == ()
