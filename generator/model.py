"""The statement as plain data: what every stage reads and returns. Imports nothing from the package."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

INTRO = "page-intro"  # the id of a text's introduction: page-…, so no section can take it


@dataclass(frozen=True)
class Language:
    code: str  # "nl": the folder and the hreflang
    locale: str  # "nl_NL": babel's name, for dates and catalogs
    name: str  # "Nederlands": how the language calls itself, for the switch


# A fact's value: one text for every language, or ((language, text), ...) for each of them.
FactValue = str | tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Publisher:
    """Who publishes the statement, in one language: the page's header, footer and PDF show it."""

    name: str
    address: tuple[str, ...] = ()  # lines: "Stationsplein 1", "1012 AB Amsterdam"
    registration: tuple[str, str] | None = None  # (label, number): ("Companies House", "01234567")
    email: str = ""
    website: str = ""

    @property
    def facts(self) -> dict[str, str]:
        """The publisher as the text may quote it: {{publisher.name}}, {{publisher.address}} (its
        lines joined by commas), {{publisher.address.1}} (its first line) …"""
        label, number = self.registration or ("", "")
        found = {
            "publisher.name": self.name,
            "publisher.address": ", ".join(self.address),
            "publisher.registration": f"{label} {number}".strip(),
            "publisher.registration.label": label,
            "publisher.registration.number": number,
            "publisher.email": self.email,
            "publisher.website": self.website,
        }
        lines = {f"publisher.address.{n}": line for n, line in enumerate(self.address, 1)}
        return {name: value for name, value in (found | lines).items() if value}


@dataclass(frozen=True)
class Settings:
    """statement/statement.toml, checked."""

    effective: date
    source_language: str
    languages: tuple[Language, ...]  # the source language first
    facts: tuple[tuple[str, FactValue], ...]  # (name, value), in the order they were typed
    base_url: str | None
    summary: tuple[tuple[str, str], ...] = ()  # (language, what changed in this version)
    timezone: str = "Europe/Amsterdam"  # where the statement's days begin and end
    publishers: tuple[tuple[str, Publisher], ...] = ()  # (language, [publisher]); () if none

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)

    def publisher(self, lang: str) -> Publisher | None:
        return dict(self.publishers).get(self._known(lang))

    def _known(self, lang: str) -> str:
        """The language, or, for one the statement no longer has (the pages of an older version
        in it stay), the source language, whose values the page around them then shows."""
        return (
            lang
            if any(language.code == lang for language in self.languages)
            else self.source_language
        )

    def facts_in(self, lang: str) -> dict[str, str]:
        """Every fact as the language's text reads it, the publisher's among them."""
        lang = self._known(lang)
        facts = {
            name: value if isinstance(value, str) else dict(value)[lang]
            for name, value in self.facts
        }
        publisher = self.publisher(lang)
        return facts | (publisher.facts if publisher else {})

    @property
    def fact_values(self) -> dict[str, str]:
        """The facts as the source language reads them."""
        return self.facts_in(self.source_language)


@dataclass(frozen=True)
class Section:
    id: str  # shared by every language; links, diffs and checks hang on it
    heading: str  # plain text, in the translation's language
    html: str  # the body, rendered and safe
    blocks: tuple[str, ...]  # each paragraph or list item as plain text, whitespace folded
    line: int  # the heading's line in the Markdown file
    classes: tuple[str, ...] = ()  # `{#rights .right_access}`: the GDPR disclosures it covers

    @property
    def text(self) -> str:
        """What a reader reads of the body: compared to tell a change from a reflow."""
        return " ".join(self.blocks)


@dataclass(frozen=True)
class Translation:
    """One language's text of the statement (the source language's too)."""

    lang: str
    title: str
    sections: tuple[Section, ...]
    path: Path
    intro: Section | None = None  # the text between the title and the first section, id INTRO
    title_line: int = 1  # the line of its title, the `#` heading: where the whole text is named

    def section(self, section_id: str) -> Section:
        return next(section for section in self.parts if section.id == section_id)

    @property
    def parts(self) -> tuple[Section, ...]:
        """Everything the text says, in order: the introduction, if any, then the sections.
        What compares versions (the guard, the diffs, stale translations) compares these."""
        return self.sections if self.intro is None else (self.intro, *self.sections)

    @functools.cached_property
    def by_id(self) -> dict[str, Section]:
        return {section.id: section for section in self.parts}

    @functools.cached_property
    def headings(self) -> dict[str, str]:
        """Section id -> heading (worked out once: every page links every language's)."""
        return {section.id: section.heading for section in self.sections}


@dataclass(frozen=True)
class Statement:
    settings: Settings
    translations: tuple[Translation, ...]  # in the order of settings.languages

    def translation(self, lang: str) -> Translation:
        return next(t for t in self.translations if t.lang == lang)


@dataclass(frozen=True)
class Commit:
    """A commit that carries a version's date, as the history recorded it."""

    id: str
    committed: datetime | None  # with the committer's offset
    editorial: str = ""  # the reason in its `Editorial:` trailer
    backdated: str = ""  # the reason in its `Backdated:` trailer
    changed: bool = True  # it changed what the version says (a comment or reflow does not)
    languages: tuple[str, ...] = ()  # the languages whose pages it changed; () for every one


@dataclass(frozen=True)
class Version:
    """A statement as it is in force from its effective date."""

    date: date
    statement: Statement
    commit: str | None = None  # the newest commit carrying this date; None for the working tree
    draft: bool = False  # uncommitted changes: the next version, not yet published
    stale: frozenset[tuple[str, str]] = frozenset()  # (language, section id) behind the source
    commits: tuple[Commit, ...] = ()  # every commit carrying its date, oldest first

    @property
    def summary(self) -> dict[str, str]:
        return dict(self.statement.settings.summary)


@dataclass(frozen=True)
class Withdrawal:
    """An announced version withdrawn before it took effect: it is no version, but people may
    have read the announcement, so the changelog and the feeds say it was withdrawn, and why."""

    date: date  # the day it was to take effect
    commit: str  # the commit that withdrew it, with a `Withdrawn:` trailer
    withdrawn: datetime  # when that commit was made, with the committer's offset
    reason: str
    announced: datetime | None = None  # when it was first committed


@dataclass(frozen=True)
class Change:
    """How one section differs between a version and the one before it."""

    section_id: str
    kind: str  # "added", "removed" or "changed"


@dataclass(frozen=True)
class Publication:
    """Every version the site publishes, oldest first, with what changed in each."""

    versions: tuple[Version, ...]
    changes: tuple[tuple[Change, ...], ...]  # per version, against the one before; () for the first
    history_incomplete: bool = False  # built from a shallow clone: older versions are missing
    today: date | None = None  # the day the site is built for; None: the newest is current
    withdrawn: tuple[Withdrawal, ...] = ()  # announced versions withdrawn before their day

    @functools.cached_property
    def current(self) -> Version:
        """The version in force today: the newest not dated after it (the first, if all are)."""
        if self.today is None:
            return self.versions[-1]
        in_force = [version for version in self.versions if version.date <= self.today]
        return in_force[-1] if in_force else self.versions[0]

    def is_upcoming(self, version: Version) -> bool:
        return self.today is not None and version.date > self.today

    @property
    def settings(self) -> Settings:
        return self.versions[-1].statement.settings

    def index(self, version: Version) -> int:
        # by identity: comparing versions field by field would compare whole statements
        return next(i for i, known in enumerate(self.versions) if known is version)

    def before(self, version: Version) -> Version | None:
        index = self.index(version)
        return self.versions[index - 1] if index else None

    def after(self, version: Version) -> Version | None:
        index = self.index(version)
        return self.versions[index + 1] if index + 1 < len(self.versions) else None


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template renders it, and for what."""

    path: str  # relative to the site's root, with forward slashes
    template: str
    lang: str
    version: Version
    alternates: tuple[tuple[str, str], ...]  # (language, path) of the same page in every language


@dataclass(frozen=True)
class Document:
    """A PDF made from one page of the site: the page's own HTML, printed."""

    path: str
    page: str  # the path of the page it is made from
    label: str  # how messages name it: "nl, version of 2021-02-23"


@dataclass(frozen=True)
class Plan:
    pages: tuple[Page, ...]
    documents: tuple[Document, ...]
    pdfs: dict[
        tuple[str, str, str], str
    ]  # (kind, language, YYYY-MM-DD) -> path; kind "statement" or "changes"

    def pdf(self, kind: str, lang: str, version: Version) -> str | None:
        return self.pdfs.get((kind, lang, version.date.isoformat()))


@dataclass(frozen=True)
class Stored:
    """A file of the site kept on disk, not in memory (a PDF, in the cache): copied into the site
    when it is written, and checked against its hash as it is copied."""

    path: Path
    sha256: str


@dataclass(frozen=True)
class Site:
    """Everything the build made: file path (relative, forward slashes) to bytes, or to where
    they are kept on disk."""

    files: tuple[tuple[str, bytes | Stored], ...]
    notes: tuple[str, ...] = ()  # what the editor should know about this build
