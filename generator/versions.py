"""The history of statement/ -> the published versions, each checked as the law expects.

A version is an effective date. Dates only go forward; a commit that changes what the statement
says under the same date must be marked editorial; every version says what changed in every
language. Uncommitted changes are a draft of the next version.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import settings_from, settings_with_problems
from .errors import StatementError, attempt, raise_all, stage
from .files import SourceFiles, read_text
from .history import History, Revision
from .model import Settings, Statement, Version
from .source import section_fingerprints, statement_from

EDITORIAL_FILE = "editorial-commits"
HASH = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True)
class Revised:
    """One commit of statement/, read cheaply: its date and what each section says.

    Only the commits a version publishes are parsed in full; for the others, fingerprints of the
    sections' Markdown (whitespace folded) tell which sections a commit touched."""

    revision: Revision
    source: SourceFiles
    settings: Settings | None  # None when its statement.toml does not read
    said: dict[tuple[str, str], str]  # (language, section id) -> fingerprint
    settings_blob: str

    @property
    def date(self) -> date:
        return self.settings.effective


class Reader:
    """Reads the revisions of one history, each file and each statement at most once."""

    def __init__(self, folder: Path, history: History) -> None:
        self.folder, self.history = folder, history
        self.settings: dict[str, Settings | None] = {}
        self.fingerprints: dict[str, dict[str, str]] = {}
        self.statements: dict[str, tuple[Statement | None, list[StatementError]]] = {}
        self.translations: dict = {}  # statement_from's cache: unchanged texts are parsed once

    def revised(self, revision: Revision) -> Revised:
        blobs = dict(revision.blobs)
        source = SourceFiles(self.folder, self.history.files(revision), revision.short)
        settings_blob = blobs.get("statement.toml", "")
        if settings_blob not in self.settings:
            self.settings[settings_blob] = attempt(lambda: settings_from(source))[0]
        settings = self.settings[settings_blob]
        said = {} if settings is None else self._said(source, blobs, settings)
        return Revised(revision, source, settings, said, settings_blob)

    def _said(self, source: SourceFiles, blobs: dict, settings: Settings) -> dict:
        said = {}
        for language in settings.languages:
            blob = blobs.get(f"{language.code}.md", "")
            if blob not in self.fingerprints:
                text = source.blobs.get(f"{language.code}.md", b"").decode("utf-8", "replace")
                self.fingerprints[blob] = section_fingerprints(text.replace("\r\n", "\n"))
            said |= {(language.code, sid): f for sid, f in self.fingerprints[blob].items()}
        return said

    def statement(self, revised: Revised) -> tuple[Statement | None, list[StatementError]]:
        """The revision parsed in full, or the problems that kept it from reading."""
        key = revised.revision.commit
        if key not in self.statements:
            source = revised.source
            self.statements[key] = attempt(lambda: statement_of(source, self.translations))
        return self.statements[key]


def read_working_tree(folder: Path, cache: dict | None = None) -> Statement:
    return statement_of(SourceFiles(folder), cache)


def statement_of(source: SourceFiles, cache: dict | None = None) -> Statement:
    """The statement of one revision; a problem in its settings does not keep the texts from
    being checked too, unless it leaves no languages to check them in."""
    settings, problems = settings_with_problems(source)
    if settings is None:
        raise_all(problems)
    statement, errors = attempt(lambda: statement_from(source, settings, cache))
    raise_all([*problems, *errors])
    return statement


@stage("history")
def versions_of(folder: Path, history: History | None) -> tuple[Version, ...]:
    """Every published version, oldest first, and the draft of the next one if there is one."""
    if history is None or not history.revisions:
        statement = read_working_tree(folder)
        draft = history is not None
        return _checked_summaries((Version(statement.settings.effective, statement, draft=draft),))
    marked = editorial_commits(folder)
    reader = Reader(folder, history)
    revised = [reader.revised(revision) for revision in history.revisions]
    _, head_errors = reader.statement(revised[-1])
    raise_all(head_errors)  # history cannot be mended, but what is published now must read
    good = [r for r in revised if r.settings is not None]
    raise_all([*_backward_dates(good), *_unmarked_changes(good, marked, reader)])
    stale = _stale(good, marked)
    versions = [_version(good, i, stale[i], reader) for i in range(len(good)) if _is_final(good, i)]
    if history.dirty:
        versions = _with_draft(versions, folder, good, marked)
    return _checked_summaries(tuple(versions))


def editorial_commits(folder: Path) -> tuple[str, ...]:
    """statement/editorial-commits: one hash a line, `#` comments, as .git-blame-ignore-revs."""
    path = folder / EDITORIAL_FILE
    if not path.is_file():
        return ()
    hashes, errors = [], []
    for number, line in enumerate(
        path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
    ):
        entry = line.split("#", 1)[0].strip().lower()
        if entry and not HASH.fullmatch(entry):
            hint = "write one commit hash (at least 7 hex digits) a line; comments start with #"
            errors.append(StatementError(path, number, f"'{entry}' is not a commit hash", hint))
        elif entry:
            hashes.append(entry)
    raise_all(errors)
    return tuple(hashes)


def _is_final(good: list[Revised], index: int) -> bool:
    """The newest commit carrying its date: the one whose text is published."""
    return index == len(good) - 1 or good[index + 1].date != good[index].date


def _version(good: list[Revised], index: int, stale: frozenset, reader: Reader) -> Version:
    """The version whose newest commit is good[index]; a commit that does not read is passed
    over for the one before it with the same date."""
    day = good[index].date
    carrying = [r for r in good[: index + 1] if r.date == day]
    commits = tuple(r.revision.as_commit() for r in carrying)
    for candidate in reversed(carrying):
        statement, _ = reader.statement(candidate)
        if statement is not None:
            return Version(day, statement, candidate.revision.commit, stale=stale, commits=commits)
    _, errors = reader.statement(good[index])
    raise_all(errors)
    raise AssertionError("a revision without a statement had no errors")


def _backward_dates(good: list[Revised]) -> list[StatementError]:
    errors, seen = [], []
    for r in good:
        if seen and r.date != seen[-1] and (r.date < seen[-1] or r.date in seen):
            path = r.source.path("statement.toml")
            word = (
                "reuses the earlier date" if r.date in seen else "moves the effective date back to"
            )
            message = f"commit {r.revision.short} {word} {r.date.isoformat()} (the version before is {seen[-1].isoformat()})"
            hint = "effective dates only go forward: set a date after the latest version's in statement.toml"
            errors.append(StatementError(path, None, message, hint))
        elif not seen or r.date != seen[-1]:
            seen.append(r.date)
    return errors


def said(statement: Statement) -> dict[tuple[str, str], tuple[str, str]]:
    """What the statement says, section by section: (language, id) -> (heading, text)."""
    return {
        (translation.lang, section.id): (section.heading, section.text)
        for translation in statement.translations
        for section in translation.parts
    }


def _changed(old: dict, new: dict) -> list[tuple[str, str]]:
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def _is_editorial(revision: Revision, marked: tuple[str, ...]) -> bool:
    return bool(revision.editorial) or any(revision.commit.startswith(entry) for entry in marked)


def _unmarked_changes(
    good: list[Revised], marked: tuple[str, ...], reader: Reader
) -> list[StatementError]:
    """The effective-date guard: new words under an old date must be marked editorial. Commits
    whose sections' Markdown is the same but for whitespace are passed without parsing; the rest
    are compared by what they render to."""
    errors = []
    for before, after in itertools.pairwise(good):
        if after.date != before.date or _is_editorial(after.revision, marked):
            continue
        if before.said == after.said and before.settings_blob == after.settings_blob:
            continue
        (old, _), (new, _) = reader.statement(before), reader.statement(after)
        if old is not None and new is not None and (changed := _changed(said(old), said(new))):
            errors.append(_guard_error(after, new, changed))
    return errors


def _guard_error(
    revised: Revised, statement: Statement, changed: list[tuple[str, str]]
) -> StatementError:
    lang, section_id = changed[0]
    translation = statement.translation(lang)
    line = next((s.line for s in translation.sections if s.id == section_id), None)
    by_language: dict[str, list[str]] = {}
    for changed_lang, changed_id in changed:
        by_language.setdefault(changed_lang, []).append(changed_id)
    where = "; ".join(f"{code}: {', '.join(ids)}" for code, ids in by_language.items())
    short, day = revised.revision.short, revised.date.isoformat()
    message = f"commit {short} changes what the statement says ({where}) but keeps the date {day}"
    hint = (
        f"either set a new effective date with a [summary] in every language in statement.toml, or mark the "
        f"commit editorial: add the trailer 'Editorial: <reason>' to its message, or add {short} to statement/{EDITORIAL_FILE}"
    )
    return StatementError(translation.path, line, message, hint)


def _stale(good: list[Revised], marked: tuple[str, ...]) -> list[frozenset[tuple[str, str]]]:
    """For each revision, the translated sections whose source text changed later than they did,
    in one pass. Editorial source edits do not count: they change no meaning to follow."""
    last_change: dict[tuple[str, str], int] = {}
    stale = []
    for index, revised in enumerate(good):
        source = revised.settings.source_language
        before = good[index - 1].said if index else {}
        for lang, section_id in _changed(before, revised.said):
            if lang != source or index == 0 or not _is_editorial(revised.revision, marked):
                last_change[(lang, section_id)] = index
        stale.append(frozenset(
            (lang, sid) for lang, sid in revised.said
            if lang != source and last_change.get((source, sid), -1) > last_change.get((lang, sid), -1)
        ))  # fmt: skip
    return stale


def _with_draft(
    versions: list[Version], folder: Path, good: list[Revised], marked: tuple[str, ...]
) -> list[Version]:
    draft = read_working_tree(folder)
    day, last = draft.settings.effective, versions[-1]
    if day < last.date or (day != last.date and day in [v.date for v in versions]):
        message = f"the effective date {day.isoformat()} is not after the latest version's, {last.date.isoformat()}"
        hint = "effective dates only go forward: set a later date in statement.toml"
        raise StatementError(folder / "statement.toml", None, message, hint)
    said_now = {
        (t.lang, sid): f
        for t in draft.translations
        for sid, f in section_fingerprints(read_text(t.path, t.path.name)).items()
    }
    working = Revised(Revision("", "", ()), SourceFiles(folder), draft.settings, said_now, "")
    stale = _stale([*good, working], marked)[-1]
    version = Version(day, draft, None, draft=True, stale=stale)
    return [*versions[:-1], version] if day == last.date else [*versions, version]


def _checked_summaries(versions: tuple[Version, ...]) -> tuple[Version, ...]:
    errors = []
    for before, version in zip((None, *versions), versions, strict=False):
        errors.extend(_summary_problems(version, before))
    raise_all(errors)
    return versions


def _summary_problems(version: Version, before: Version | None) -> list[StatementError]:
    settings = version.statement.settings
    folder = version.statement.translations[0].path.parent
    where = SourceFiles(folder, None, version.commit[:7] if version.commit else None).path(
        "statement.toml"
    )
    missing = [lang.code for lang in settings.languages if lang.code not in version.summary]
    day = version.date.isoformat()
    if missing:
        lines = ", ".join(f'{lang} = "…"' for lang in missing)
        hint = (
            f"add a [summary] table to statement.toml saying what changed, in plain words: {lines}"
        )
        return [
            StatementError(
                where, None, f"the version of {day} has no summary in {', '.join(missing)}", hint
            )
        ]
    if before is not None and before.summary == version.summary:
        hint = "rewrite [summary] for the new version: say what changed since the version before"
        return [
            StatementError(
                where,
                None,
                f"the version of {day} repeats the summary of {before.date.isoformat()}",
                hint,
            )
        ]
    return []
