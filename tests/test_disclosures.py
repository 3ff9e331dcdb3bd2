"""What `statement check` reads in the words: the word lists, how a sentence is matched, and how
well it does on the labelled statements of tests/disclosures/ (precision and recall)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from labelled import LABELLED, labelled_set, score

from generator.check import disclosures
from generator.disclosures import WORDS_FOLDER, read_word_list, section_evidence, word_lists
from generator.model import Section

IDS = [d.id for d in disclosures()]
WORDS = Path(__file__).resolve().parents[1] / "generator" / WORDS_FOLDER


def said(text: str, lang: str = "en", heading: str = "Section") -> dict[str, str]:
    """The disclosures one section with this text states, each with the words matched."""
    section = Section("s", heading, "", tuple(text.split("\n\n")), 3)
    return {
        found.disclosure: found.words
        for found in section_evidence(section, Path(f"{lang}.md"), word_lists()[lang])
    }


@pytest.mark.parametrize("path", sorted(WORDS.glob("*.toml")), ids=lambda p: p.name)
def test_each_word_list_has_one_entry_per_disclosure(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["language"] == path.stem
    assert [key for key, value in data.items() if isinstance(value, dict)] == IDS
    assert all(data[did]["phrases"] for did in IDS)


def test_the_dutch_and_english_lists_are_shipped() -> None:
    assert {"nl", "en"} <= set(word_lists())


@pytest.mark.parametrize(
    ("text", "lang", "disclosure", "words"),
    [
        ("We do not transfer your data outside the EEA.", "en", "transfers", "outside the EEA"),
        (
            "We do not use automated decision-making.",
            "en",
            "automated_decisions",
            "automated decision",
        ),
        (
            "Wij nemen geen geautomatiseerde besluiten.",
            "nl",
            "automated_decisions",
            "geautomatiseerde besluiten",
        ),
        ("Uw gegevens gaan nooit naar een land buiten de EER.", "nl", "transfers", "buiten de EER"),
        (
            "We have not appointed a Data Protection\nOfficer.",
            "en",
            "dpo_contact",
            "Data Protection\nOfficer",
        ),
    ],
)
def test_a_statement_that_something_is_not_done_makes_the_disclosure(
    text: str, lang: str, disclosure: str, words: str
) -> None:
    assert said(text, lang).get(disclosure) == words


@pytest.mark.parametrize(
    ("text", "lang", "disclosure"),
    [
        ("Questions or complaints? Ask for the manager.", "en", "complaint"),
        ("Supervisory authorities may receive data where the law requires it.", "en", "complaint"),
        ("Access to the list is restricted to our staff.", "en", "right_restriction"),
        ("Access to the list is restricted to our staff.", "en", "right_access"),
        (
            "The router decides automatically which device gets which address.",
            "en",
            "automated_decisions",
        ),
        ("Wij houden u op de hoogte van nieuwe openingstijden.", "nl", "retention"),
        ("Wij beperken de toegang tot de agenda tot onze medewerkers.", "nl", "right_restriction"),
        ("De server maakt automatisch elke nacht een back-up.", "nl", "automated_decisions"),
        ("Voor de in dit privacy statement genoemde doeleinden delen wij niets.", "nl", "purposes"),
        (
            "Wij verwerken gegevens van derden: degene op wie schade verhaald wordt.",
            "nl",
            "recipients",
        ),
        ("Third parties: the party from whom damage is recovered.", "en", "recipients"),
    ],
)
def test_a_near_miss_does_not_count(text: str, lang: str, disclosure: str) -> None:
    assert disclosure not in said(text, lang)


def test_case_accents_line_breaks_and_inflection_do_not_count() -> None:
    found = said("U kunt een KLACHT\nindienen bij de Autoriteit Persoonsgegevens.", "nl")
    assert found["complaint"] == "KLACHT\nindienen bij de Autoriteit"
    assert "right_portability" in said("Het recht op overdraagbáárheid van uw gegevens.", "nl")
    assert "automated_decisions" in said("No decisions are taken by automated means.")


def test_the_heading_is_read_too() -> None:
    assert said("We keep it short.", heading="Retention")["retention"] == "Retention"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '[purposes]\nphrases = [\n  "for the purpose|end-goal",\n]\n',
            3,
            "in the phrase 'for the purpose|end-goal', each choice of 'purpose|end-goal' must be one word",
        ),
        ('language = "xx"\nstemmer = "klingon"\n', 2, "there is no stemmer 'klingon'"),
        (
            'language = "xx"\n[purposes]\nphrases = ["doel", "..."]\n',
            3,
            "the phrase '...' has no words",
        ),
        ('language = "xx\n', 1, None),  # a TOML mistake: said as statement.toml's are
    ],
)
def test_a_mistake_in_a_word_list_is_named_with_its_file_and_line(
    tmp_path: Path, text: str, line: int, message: str | None
) -> None:
    path = tmp_path / "xx.toml"
    path.write_text(text if "language" in text else 'language = "xx"\n' + text, encoding="utf-8")
    line += "language" not in text
    with pytest.raises(ExceptionGroup) as raised:
        read_word_list(path)
    (error,) = raised.value.exceptions
    assert (error.path, error.line, error.kind) == (path, line, "word-list")
    assert message is None or error.message == message


# --- measured on the labelled statements -----------------------------------------------------


def test_the_labelled_set_says_for_every_disclosure_whether_it_is_made() -> None:
    labels = tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))
    assert len(labels) >= 8
    assert {label["language"] for label in labels.values()} == {"nl", "en"}
    assert {label["part"] for label in labels.values()} == {"development", "held-out"}
    for name, label in labels.items():
        assert (LABELLED / name).is_file()
        assert sorted(label["makes"] + label["lacks"]) == sorted(IDS), name


def test_precision_and_recall_over_the_labelled_set() -> None:
    statements = labelled_set()
    per_disclosure = {did: score(statements, did) for did in IDS}
    shown = "\n".join(
        f"{did}: precision {s.precision:.2f}, recall {s.recall:.2f}"
        for did, s in per_disclosure.items()
    )
    overall = score(statements)
    assert overall.true == sum(s.true for s in per_disclosure.values())
    assert overall.recall >= 0.95, shown
    assert overall.precision >= 0.90, shown


def test_the_held_out_statements_are_measured_on_their_own() -> None:
    held_out, development = labelled_set("held-out"), labelled_set("development")
    assert held_out and development
    assert {s.name for s in held_out}.isdisjoint(s.name for s in development)
    assert score(held_out).true + score(development).true == score(labelled_set()).true
