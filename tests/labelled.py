"""The labelled statements of tests/disclosures/: each read by the real reader, what `statement
check` finds in its words set beside what a lawyer says it discloses, and the precision and
recall that follow. Used by tests/test_disclosures.py and benchmarks/accuracy.py."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.disclosures import translation_evidence
from generator.model import Language, Settings
from generator.source import parse_translation

LABELLED = Path(__file__).resolve().parent / "disclosures"
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


@dataclass(frozen=True)
class Labelled:
    name: str
    lang: str
    part: str  # "development" or "held-out"
    makes: frozenset[str]  # the disclosures a lawyer says it makes
    lacks: frozenset[str]
    found: frozenset[str]  # the disclosures check finds in its words


@dataclass(frozen=True)
class Score:
    true: int  # found and made
    false: int  # found, not made
    missed: int  # made, not found

    @property
    def precision(self) -> float:
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def recall(self) -> float:
        return self.true / (self.true + self.missed) if self.true + self.missed else 1.0


def labelled_set(part: str | None = None) -> list[Labelled]:
    """Every labelled statement (or those of one part), with what check finds in it."""
    labels = tomllib.loads((LABELLED / "labels.toml").read_text(encoding="utf-8"))
    return [
        Labelled(
            name,
            label["language"],
            label["part"],
            frozenset(label["makes"]),
            frozenset(label["lacks"]),
            found_in(LABELLED / name, label["language"]),
        )
        for name, label in labels.items()
        if part is None or label["part"] == part
    ]


def found_in(path: Path, lang: str) -> frozenset[str]:
    settings = Settings(date(2024, 1, 1), lang, (Language(lang, LOCALES[lang], lang),), (), None)
    translation = parse_translation(path.read_text(encoding="utf-8"), path, lang, settings)
    return frozenset(found.disclosure for found in translation_evidence(translation))


def score(statements: list[Labelled], disclosure: str | None = None) -> Score:
    """Counted over the statements, for one disclosure or for all of them."""
    true = false = missed = 0
    for statement in statements:
        ids = statement.makes | statement.lacks
        for did in sorted(ids) if disclosure is None else [disclosure]:
            found, made = did in statement.found, did in statement.makes
            true, false, missed = (
                true + (found and made),
                false + (found and not made),
                missed + (made and not found),
            )
    return Score(true, false, missed)
