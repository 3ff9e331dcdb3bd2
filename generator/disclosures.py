"""What a statement's words disclose: the GDPR disclosures each section states, with evidence.

The words and phrases that state each disclosure are data, one file per language in
generator/data/disclosure-words/, for a lawyer to read and correct. They are matched on the text
of each section as the reader renders it (the Section's heading and blocks), folded the same way
on both sides: case, accents, punctuation and line breaks do not count, and each word is reduced
to its stem (Snowball's stemmer for the language), so that "besluit" also finds "besluiten".
A phrase may have a word end in `*` (any word that starts so), offer choices (`EER|EU`) and let
any words come between two of its words (`...`); its words stand in one sentence, in order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import snowballstemmer

from .errors import StatementError, attempt, raise_all, stage
from .files import read_text
from .model import Section, Statement, Translation
from .settings_text import read_toml

WORDS_FOLDER = "data/disclosure-words"
NEAR = 2  # other words that may stand between two words a phrase writes side by side
ANY = "..."  # in a phrase: any number of words may stand here, within the sentence
TOKEN = re.compile(r"[^\W_]+|@")  # a word, or the @ of an e-mail address
PHRASE_WORD = re.compile(r"[^\W_]+\*?|@")  # as a word list writes it: `bewaar*` too
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


@dataclass(frozen=True)
class Token:
    text: str  # folded: lower case, no accents
    stem: str
    start: int  # where it stands in the sentence as written, for the evidence
    end: int


@dataclass(frozen=True)
class Word:
    """One place in a phrase: its choices, each a stem or a prefix (`bewaar*`)."""

    stems: frozenset[str]  # a word whose stem is one of these
    prefixes: tuple[str, ...]  # or a word, or its stem, that starts with one of these
    gap: int | None  # other words allowed before it; None: any

    def matches(self, token: Token) -> bool:
        return token.stem in self.stems or (
            bool(self.prefixes)
            and (token.text.startswith(self.prefixes) or token.stem.startswith(self.prefixes))
        )


@dataclass(frozen=True)
class Phrase:
    written: str  # as the word list has it
    words: tuple[Word, ...]


@dataclass(frozen=True)
class WordList:
    lang: str
    stem: Callable[[str], str]
    phrases: dict[str, tuple[Phrase, ...]]  # disclosure id -> the phrases that state it
    unless: dict[str, tuple[Phrase, ...]]  # disclosure id -> phrases of a sentence that does not


@dataclass(frozen=True)
class Evidence:
    """A section's words that state a disclosure."""

    disclosure: str
    lang: str
    path: Path  # the language's Markdown
    section: str  # the section's id
    line: int  # its heading's line there
    words: str  # the words matched, as the text has them
    phrase: str  # the word list's phrase they match


def fold(text: str) -> str:
    """Lower case without accents: "Financiële" and "financiele" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def word_lists() -> dict[str, WordList]:
    """Every language's word list shipped with the package, by language code; every problem in
    any of them at once."""
    folder = Path(str(resources.files("generator").joinpath(WORDS_FOLDER)))
    lists, errors = [], []
    for path in sorted(folder.glob("*.toml")):
        words, problems = attempt(functools.partial(read_word_list, path))
        lists += [words] if words else []
        errors += problems
    raise_all(errors)
    return {words.lang: words for words in lists}


@stage("word-list")
def read_word_list(path: Path) -> WordList:
    """One language's word list; a mistake in it is a StatementError at its line."""
    text = read_text(path, f"the word list {path.name}")
    data, errors = read_toml(path, text)
    raise_all(errors)
    try:
        return word_list(data)
    except Unreadable as error:
        lines = text.split("\n")
        line = next((n for n, said in enumerate(lines, 1) if error.fragment in said), None)
        raise StatementError(path, line, error.message, error.hint) from None


class Unreadable(ValueError):
    """A part of a word list that cannot be used: what is wrong, where (a fragment of the line
    it is on), and what to do."""

    def __init__(self, message: str, fragment: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.fragment, self.hint = message, fragment, hint


def word_list(data: dict) -> WordList:
    """A word list from its TOML: `language`, `stemmer`, and a table per disclosure."""
    if not isinstance(data.get("language"), str):
        hint = 'write its language code at the top: language = "nl"'
        raise Unreadable("the word list does not say its language", "", hint)
    stem = _stemmer(data.get("stemmer"))
    tables = {key: value for key, value in data.items() if isinstance(value, dict)}
    phrases, unless = _compiled(tables, "phrases", stem), _compiled(tables, "unless", stem)
    return WordList(data["language"], stem, phrases, unless)


def _stemmer(name: str | None) -> Callable[[str], str]:
    if not name:
        return lambda word: word  # no stemmer: each word as it is written
    if name not in snowballstemmer.algorithms():
        hint = f"use one of: {', '.join(snowballstemmer.algorithms())}; or leave stemmer out"
        raise Unreadable(f"there is no stemmer '{name}'", "stemmer", hint)
    return functools.lru_cache(maxsize=1 << 16)(snowballstemmer.stemmer(name).stemWord)


def _compiled(
    tables: dict[str, dict], key: str, stem: Callable[[str], str]
) -> dict[str, tuple[Phrase, ...]]:
    return {
        disclosure: tuple(_phrase(written, stem) for written in table.get(key, ()))
        for disclosure, table in tables.items()
    }


def _phrase(written: str, stem: Callable[[str], str]) -> Phrase:
    words, gap = [], NEAR
    for item in written.split():
        if item == ANY:
            gap = None
            continue
        for choices in _places(item, written):
            forms = [_choice(choice, stem) for choice in choices]
            stems = frozenset(form for form, prefix in forms if not prefix)
            words.append(Word(stems, tuple(form for form, prefix in forms if prefix), gap))
            gap = NEAR
    if not words:
        hint = "write its words, or remove it"
        raise Unreadable(f"the phrase '{written}' has no words", f'"{written}"', hint)
    return Phrase(written, tuple(words))


def _places(item: str, written: str) -> list[list[str]]:
    """An item of a phrase as the places it takes: "decision-making" is two words side by side,
    "EER|EU" one word with two choices (each choice must then be a single word)."""
    if "|" not in item:
        return [[piece] for piece in PHRASE_WORD.findall(item)]
    choices = item.split("|")
    if any(len(PHRASE_WORD.findall(choice)) != 1 for choice in choices):
        message = f"in the phrase '{written}', each choice of '{item}' must be one word"
        hint = "write a choice of longer wordings as phrases of their own, one for each"
        raise Unreadable(message, f'"{written}"', hint)
    return [choices]


def _choice(written: str, stem: Callable[[str], str]) -> tuple[str, bool]:
    form = fold(written)
    return (form[:-1], True) if form.endswith("*") else (stem(form), False)


def tokens(sentence: str, stem: Callable[[str], str]) -> list[Token]:
    return [
        Token(text, stem(text), found.start(), found.end())
        for found in TOKEN.finditer(sentence)
        if (text := fold(found.group()))
    ]


def sentences(section: Section) -> Iterator[str]:
    """The heading, then each sentence of each paragraph and list item."""
    return sentences_of(section.heading, section.blocks)


def sentences_of(heading: str, blocks: tuple[str, ...]) -> Iterator[str]:
    yield heading
    for block in blocks:
        yield from (part for part in SENTENCE_END.split(block) if part)


def match(
    phrase: Phrase, found: list[Token], stems: set[str] | None = None
) -> tuple[int, int] | None:
    """Where the phrase stands in a sentence's tokens (whose stems are `stems`): the first and
    last token, or None."""
    stems = {token.stem for token in found} if stems is None else stems
    if any(not word.prefixes and word.stems.isdisjoint(stems) for word in phrase.words):
        return None  # a word it needs is not in the sentence: most phrases end here, quickly
    for start, token in enumerate(found):
        if phrase.words[0].matches(token):
            end = _rest(phrase.words[1:], found, start)
            if end is not None:
                return start, end
    return None


def _rest(words: tuple[Word, ...], found: list[Token], before: int) -> int | None:
    if not words:
        return before
    word = words[0]
    last = len(found) if word.gap is None else min(len(found), before + 2 + word.gap)
    for position in range(before + 1, last):
        if word.matches(found[position]):
            end = _rest(words[1:], found, position)
            if end is not None:
                return end
    return None


def section_evidence(section: Section, path: Path, words: WordList) -> list[Evidence]:
    """Each disclosure the section states, with the first words that state it."""
    heading, blocks = section.heading, section.blocks
    if word_lists().get(words.lang) is words:  # the usual case: remembered for each text
        said = _remembered(heading, blocks, words.lang)
    else:
        said = _said(heading, blocks, words)
    return [
        Evidence(disclosure, words.lang, path, section.id, section.line, found, written)
        for disclosure, found, written in said
    ]


def _said(heading: str, blocks: tuple[str, ...], words: WordList) -> tuple:
    """What a section's words state: (disclosure, the words, the phrase) for each disclosure."""
    said: dict[str, tuple[str, str, str]] = {}
    for sentence in sentences_of(heading, blocks):
        for disclosure, phrase, found in _stated(sentence, words, set(said)):
            said[disclosure] = (disclosure, found, phrase.written)
    return tuple(said.values())


@functools.lru_cache(maxsize=4096)
def _remembered(heading: str, blocks: tuple[str, ...], lang: str) -> tuple:
    """_said, once for each text in a process: check reads the committed text as well as the
    one being edited, and the preview checks on every save, mostly the same sections."""
    return _said(heading, blocks, word_lists()[lang])


def _stated(sentence: str, words: WordList, done: set[str]) -> Iterator[tuple[str, Phrase, str]]:
    """The disclosures a sentence states, of those not found yet: each with its phrase and the
    words of the sentence that match it."""
    found = tokens(sentence, words.stem)
    stems = {token.stem for token in found}
    for disclosure, phrases in words.phrases.items():
        unless = words.unless.get(disclosure, ())
        if disclosure in done or any(match(phrase, found, stems) for phrase in unless):
            continue
        for phrase in phrases:
            if where := match(phrase, found, stems):
                yield disclosure, phrase, sentence[found[where[0]].start : found[where[1]].end]
                break


def translation_evidence(translation: Translation) -> list[Evidence]:
    """What every section of one language states; nothing for a language without a word list."""
    words = word_lists().get(translation.lang)
    if words is None:
        return []
    return [
        found
        for section in translation.sections
        for found in section_evidence(section, translation.path, words)
    ]


def statement_evidence(statement: Statement) -> tuple[Evidence, ...]:
    """What the statement states, in every language that has a word list."""
    return tuple(
        found
        for translation in statement.translations
        for found in translation_evidence(translation)
    )
