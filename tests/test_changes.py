"""The differ: word-level pieces that rebuild both texts, and section changes by kind."""

from __future__ import annotations

import datetime
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from generator import changes
from generator.changes import BREAK, changes_between, section_diff, word_diff
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


paragraphs = st.lists(words.filter(bool), max_size=6).map(
    lambda found: f" {BREAK} ".join(" ".join(paragraph) for paragraph in found)
)


@given(paragraphs, paragraphs)
def test_the_pieces_rebuild_both_texts_when_they_are_too_long_to_compare_word_by_word(
    old: str, new: str
) -> None:
    with mock.patch.multiple(changes, BUDGET=4, SECTION_BUDGET=8):  # every text is "long"
        pieces = word_diff(old, new)
    assert side(pieces, "deleted") == old
    assert side(pieces, "inserted") == new


FEW_WORDS = ["persoonsgegevens", "bewaren", "verwerken", "doel", "grondslag", "rechten"]


def long_text(seed: int, words: int = 20_000) -> str:
    """A text of few distinct words, the worst case of a word diff: each word matches everywhere."""
    return " ".join(FEW_WORDS[(n * n + seed * n + seed) % 7 % 6] for n in range(words))


def test_a_wholly_rewritten_long_section_is_shown_removed_and_added() -> None:
    # word by word this took minutes: every word of one text compared with every word of the other
    old, new = long_text(1), long_text(2)
    assert [piece.kind for piece in word_diff(old, new)] == ["deleted", "inserted"]


def test_one_word_changed_in_a_long_section_is_still_one_word() -> None:
    old = long_text(1).split(" ")
    new = [*old[:10_000], "anders", *old[10_001:]]
    pieces = word_diff(" ".join(old), " ".join(new))
    assert [(p.kind, p.text) for p in pieces[1:3]] == [
        ("deleted", old[10_000]),
        ("inserted", "anders"),
    ]
    assert [p.kind for p in pieces] == ["same", "deleted", "inserted", "same"]


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
