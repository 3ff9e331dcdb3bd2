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

from .config import settings_from
from .errors import StatementError, attempt, raise_all
from .files import SourceFiles
from .history import History, Revision
from .model import Statement, Version
from .source import statement_from

EDITORIAL_FILE = "editorial-commits"
HASH = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True)
class Parsed:
    """One revision of statement/, read; `statement` is None when it did not read cleanly."""

    revision: Revision
    source: SourceFiles
    statement: Statement | None
    errors: tuple[StatementError, ...]

    @property
    def date(self) -> date:
        return self.statement.settings.effective


def read_working_tree(folder: Path, cache: dict | None = None) -> Statement:
    source = SourceFiles(folder)
    return statement_from(source, settings_from(source), cache)


def versions_of(folder: Path, history: History | None) -> tuple[Version, ...]:
    """Every published version, oldest first, and the draft of the next one if there is one."""
    cache: dict = {}
    if history is None or not history.revisions:
        statement = read_working_tree(folder, cache)
        return _checked_summaries(
            (Version(statement.settings.effective, statement, draft=history is not None),)
        )
    marked = editorial_commits(folder)
    parsed = [_parse(folder, history, revision, cache) for revision in history.revisions]
    raise_all(
        [*_final_errors(parsed), *_backward_dates(parsed), *_unmarked_changes(parsed, marked)]
    )
    good = [p for p in parsed if p.statement is not None]
    versions = [_version(good[: i + 1], marked) for i, p in enumerate(good) if _is_final(good, i)]
    if history.dirty:
        versions = _with_draft(versions, read_working_tree(folder, cache), good, marked)
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


def _parse(folder: Path, history: History, revision: Revision, cache: dict) -> Parsed:
    source = SourceFiles(folder, history.files(revision), revision.short)
    statement, errors = attempt(lambda: statement_from(source, settings_from(source), cache))
    return Parsed(revision, source, statement, tuple(errors))


def _is_final(good: list[Parsed], index: int) -> bool:
    """The newest commit carrying its date: the one whose text is published."""
    return index == len(good) - 1 or good[index + 1].date != good[index].date


def _final_errors(parsed: list[Parsed]) -> list[StatementError]:
    """A commit that does not read is passed over (history cannot be mended); the newest must read."""
    return list(parsed[-1].errors)


def _backward_dates(parsed: list[Parsed]) -> list[StatementError]:
    errors, seen = [], []
    for p in (p for p in parsed if p.statement is not None):
        if seen and p.date != seen[-1] and (p.date < seen[-1] or p.date in seen):
            path = p.source.path("statement.toml")
            word = (
                "reuses the earlier date" if p.date in seen else "moves the effective date back to"
            )
            message = f"commit {p.revision.short} {word} {p.date.isoformat()} (the version before is {seen[-1].isoformat()})"
            hint = "effective dates only go forward: set a date after the latest version's in statement.toml"
            errors.append(StatementError(path, None, message, hint))
        elif not seen or p.date != seen[-1]:
            seen.append(p.date)
    return errors


def said(statement: Statement) -> dict[tuple[str, str], tuple[str, str]]:
    """What the statement says, section by section: (language, id) -> (heading, text)."""
    return {
        (translation.lang, section.id): (section.heading, section.text)
        for translation in statement.translations
        for section in translation.sections
    }


def _changed(before: Statement, after: Statement) -> list[tuple[str, str]]:
    old, new = said(before), said(after)
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def _is_editorial(revision: Revision, marked: tuple[str, ...]) -> bool:
    return bool(revision.editorial) or any(revision.commit.startswith(entry) for entry in marked)


def _unmarked_changes(parsed: list[Parsed], marked: tuple[str, ...]) -> list[StatementError]:
    """The effective-date guard: new words under an old date must be marked editorial."""
    good = [p for p in parsed if p.statement is not None]
    errors = []
    for before, after in itertools.pairwise(good):
        if after.date != before.date or _is_editorial(after.revision, marked):
            continue
        if changed := _changed(before.statement, after.statement):
            errors.append(_guard_error(after, changed))
    return errors


def _guard_error(parsed: Parsed, changed: list[tuple[str, str]]) -> StatementError:
    lang, section_id = changed[0]
    translation = parsed.statement.translation(lang)
    line = next((s.line for s in translation.sections if s.id == section_id), None)
    by_language: dict[str, list[str]] = {}
    for changed_lang, changed_id in changed:
        by_language.setdefault(changed_lang, []).append(changed_id)
    where = "; ".join(f"{code}: {', '.join(ids)}" for code, ids in by_language.items())
    short, day = parsed.revision.short, parsed.date.isoformat()
    message = f"commit {short} changes what the statement says ({where}) but keeps the date {day}"
    hint = (
        f"either set a new effective date with a [summary] in every language in statement.toml, or mark the "
        f"commit editorial: add the trailer 'Editorial: <reason>' to its message, or add {short} to statement/{EDITORIAL_FILE}"
    )
    return StatementError(translation.path, line, message, hint)


def _version(history: list[Parsed], marked: tuple[str, ...]) -> Version:
    final = history[-1]
    return Version(
        final.date, final.statement, final.revision.commit, stale=_stale(history, marked)
    )


def _stale(history: list[Parsed], marked: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """Translated sections whose source text changed later than they did (editorial source edits
    do not count: they change no meaning the translation must follow)."""
    source = history[-1].statement.settings.source_language
    last_change: dict[tuple[str, str], int] = {}
    for index, (before, after) in enumerate(zip([None, *history], history, strict=False)):
        changed = (
            said(after.statement).keys()
            if before is None
            else _changed(before.statement, after.statement)
        )
        for lang, section_id in changed:
            if lang != source or index == 0 or not _is_editorial(after.revision, marked):
                last_change[(lang, section_id)] = index
    translations = history[-1].statement.translations
    return frozenset(
        (t.lang, s.id)
        for t in translations[1:]
        for s in t.sections
        if last_change.get((source, s.id), -1) > last_change.get((t.lang, s.id), -1)
    )


def _with_draft(
    versions: list[Version], draft: Statement, good: list[Parsed], marked: tuple[str, ...]
) -> list[Version]:
    day, last = draft.settings.effective, versions[-1]
    if day < last.date or (day != last.date and day in [v.date for v in versions]):
        message = f"the effective date {day.isoformat()} is not after the latest version's, {last.date.isoformat()}"
        hint = "effective dates only go forward: set a later date in statement.toml"
        raise StatementError(Path("statement/statement.toml"), None, message, hint)
    working = Parsed(
        Revision("", "", ()), SourceFiles(draft.translations[0].path.parent), draft, ()
    )
    version = Version(day, draft, None, draft=True, stale=_stale([*good, working], marked))
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
