"""`statement release` and `statement diff`: the next version prepared, and what changed.

A release only edits statement.toml: the new date, and a placeholder summary per language that
the build refuses until the editor has written what changed. The text itself is the editor's.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from babel import Locale

from .changes import Piece, section_diff, word_diff
from .command import to_type
from .config import SETTINGS, SUMMARY_PLACEHOLDER, setting_line, settings_from
from .errors import StatementError
from .files import SourceFiles
from .history import read_history
from .model import Section, Settings, Statement, Version
from .source import statement_from
from .timeline import build_day
from .versions import Versions, read_versions, said

FAR_AHEAD = timedelta(days=366)  # a version dated further ahead is most often a mistyped year
TABLE = re.compile(r"\s*\[")
EFFECTIVE = re.compile(r"(\s*effective\s*=\s*)(\S+)(.*)")


@dataclass(frozen=True)
class Changed:
    """One section whose words differ in one language between two versions."""

    lang: str
    section_id: str
    heading: str  # as it reads now (or last read, when removed)
    kind: str  # "added", "removed" or "changed"
    before: Section | None
    after: Section | None


@dataclass(frozen=True)
class Released:
    day: date
    previous: date | None  # the date of the latest committed version
    changed: tuple[Changed, ...]  # since that version, in the working tree
    today: date  # the day it was prepared on: a date before it is backdated


def refuse_far_ahead(source: SourceFiles, day: date, today: date, confirm: str) -> None:
    """A date more than a year ahead is most often a mistyped year, which once committed stays in
    the history: refused unless the editor confirms it with the command `confirm`."""
    if day <= today + FAR_AHEAD:
        return
    message = f"the date {day.isoformat()} is more than a year after today, {today.isoformat()}"
    hint = (
        "check the year: a wrong date, once committed, stays in the history; if it is right, "
        f"confirm it: {confirm}"
    )
    raise StatementError(source.path(SETTINGS), setting_line(source, "effective"), message, hint)


def release(root: Path, day: date, today: date | None = None, far_ahead: bool = False) -> Released:
    """Set the next version's date and reset its summary; refuse a date not after the current,
    or more than a year ahead unless `far_ahead` confirms it. `today` as the build's (see
    timeline.build_day)."""
    source = SourceFiles(root / "statement")
    working = working_statement(source)
    today = build_day(working.settings.timezone, today)
    if not far_ahead:
        refuse_far_ahead(
            source, day, today, to_type(f"release --date {day.isoformat()} --far-ahead")
        )
    found = read_committed(root)
    last = found.versions[-1] if found.versions else None
    current = last.date if last else working.settings.effective
    if any(withdrawal.date == day for withdrawal in found.withdrawn):
        message = f"the version of {day.isoformat()} was withdrawn: its date is not used again"
        hint = f"choose another date: {to_type(f'release --date {_later(day)}')}, for example"
        raise StatementError(
            source.path(SETTINGS), setting_line(source, "effective"), message, hint
        )
    if day <= current:
        message = (
            f"the date {day.isoformat()} is not after the current version's, {current.isoformat()}"
        )
        hint = f"choose a later date: {to_type(f'release --date {_later(current)}')}"
        raise StatementError(
            source.path(SETTINGS), setting_line(source, "effective"), message, hint
        )
    _write_settings(source, day, working.settings)
    changed = differences(last.statement, working) if last else ()
    return Released(day, last.date if last else None, changed, today)


def working_statement(source: SourceFiles) -> Statement:
    """The text as it is being edited; a summary still to be written is no obstacle here."""
    return statement_from(source, settings_from(source, placeholders=True))


def read_committed(root: Path) -> Versions:
    """The versions the history publishes, and those it withdrew; the working tree left out."""
    history = read_history(root)
    if history is None or not history.revisions:
        return Versions((), ())
    return read_versions(root / "statement", dataclasses.replace(history, dirty=False))


def committed_versions(root: Path) -> tuple[Version, ...]:
    """Every version the history publishes, without the working tree's uncommitted changes."""
    return read_committed(root).versions


def last_version(root: Path) -> Version | None:
    versions = committed_versions(root)
    return versions[-1] if versions else None


def _later(day: date) -> str:
    return date.fromordinal(day.toordinal() + 1).isoformat()


# --- statement.toml, rewritten line by line so that the editors' comments stay ----------------


def placeholder(settings: Settings, lang: str) -> str:
    name = Locale.parse(settings.language(lang).locale).get_language_name("en")
    return f"{SUMMARY_PLACEHOLDER} what changed in this version, in {name}"


def _write_settings(source: SourceFiles, day: date, settings: Settings) -> None:
    path = source.folder / SETTINGS
    text = source.text(SETTINGS, "the settings file statement.toml")
    summary = {lang.code: placeholder(settings, lang.code) for lang in settings.languages}
    new = _with_summary(_with_date(text, day), summary)
    try:  # what we wrote must read back as meant, or nothing is written
        data = tomllib.loads(new)
    except tomllib.TOMLDecodeError:  # such as a summary written inline, summary = {…}
        data = {}
    if data.get("effective") != day or data.get("summary") != summary:
        hint = "set effective and the [summary] of every language by hand in statement.toml"
        raise StatementError(path, None, "statement.toml could not be rewritten safely", hint)
    path.write_text(new, encoding="utf-8")


def _with_date(text: str, day: date) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if TABLE.match(line):
            break  # `effective` is a top-level key: it comes before the first table
        if found := EFFECTIVE.fullmatch(line):
            lines[number] = f"{found.group(1)}{day.isoformat()}{found.group(3)}"
            return "\n".join(lines)
    return f"effective = {day.isoformat()}\n{text}"


def _with_summary(text: str, summary: dict[str, str]) -> str:
    """The [summary] table's entries replaced; comments after them stay for the next table."""
    lines = text.split("\n")
    entries = [f'{lang} = "{words}"' for lang, words in summary.items()]
    start = next(
        (n for n, line in enumerate(lines) if re.fullmatch(r"\s*\[summary\]\s*", line)), None
    )
    if start is None:
        return text.rstrip("\n") + "\n\n[summary]\n" + "\n".join(entries) + "\n"
    end = next((n for n in range(start + 1, len(lines)) if TABLE.match(lines[n])), len(lines))
    while end > start + 1 and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    return "\n".join([*lines[: start + 1], *entries, *lines[end:]])


# --- what changed ---------------------------------------------------------------------------------


def differences(before: Statement, after: Statement) -> tuple[Changed, ...]:
    """Every section whose heading or words differ, language by language, in reading order."""
    old, new = said(before), said(after)
    found = []
    for translation in after.translations:
        ids = [s.id for s in translation.parts]  # the introduction too
        earlier = (
            before.translation(translation.lang) if translation.lang in _langs(before) else None
        )
        ids += [s.id for s in earlier.parts if s.id not in ids] if earlier else []
        for section_id in ids:
            key = (translation.lang, section_id)
            if old.get(key) != new.get(key):
                found.append(_changed(translation.lang, section_id, earlier, translation))
    return tuple(found)


def _langs(statement: Statement) -> set[str]:
    return {t.lang for t in statement.translations}


def _changed(lang: str, section_id: str, earlier, translation) -> Changed:
    before = _section(earlier, section_id)
    after = _section(translation, section_id)
    kind = "added" if before is None else "removed" if after is None else "changed"
    return Changed(lang, section_id, (after or before).heading, kind, before, after)


def _section(translation, section_id: str) -> Section | None:
    if translation is None:
        return None
    return next((s for s in translation.parts if s.id == section_id), None)


def diff_lines(changed: Changed) -> list[str]:
    """A changed section as text: deleted words [-so-], inserted words {+so+}; only the
    paragraphs that changed, so that a long section stays short."""
    heading = word_diff(
        changed.before.heading if changed.before else "",
        changed.after.heading if changed.after else "",
    )
    lines = [f"[{changed.lang}] #{changed.section_id} ({changed.kind}): {_marked(heading)}"]
    for paragraph in section_diff(changed.before, changed.after):
        if any(piece.kind != "same" for piece in paragraph):
            lines.append(f"    {_marked(paragraph)}")
    return lines


def _marked(pieces: tuple[Piece, ...]) -> str:
    marks = {"same": "{}", "deleted": "[-{}-]", "inserted": "{{+{}+}}"}
    return " ".join(marks[piece.kind].format(piece.text) for piece in pieces)


def version_named(root: Path, name: str | None) -> Version | None:
    """A version by its date, YYYY-MM-DD; None (the working tree) when no name is given."""
    if name is None:
        return None
    versions = committed_versions(root)
    found = [v for v in versions if v.date.isoformat() == name]
    if found:
        return found[0]
    dates = ", ".join(v.date.isoformat() for v in versions) or "none yet: nothing is committed"
    raise StatementError(
        root / "statement",
        None,
        f"there is no version of {name}",
        f"name a version by its date: {dates}",
    )
