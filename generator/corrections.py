"""statement/corrections: a wrong effective date that was committed, corrected without rewriting
history; and the hash lists both it and statement/editorial-commits are made of.

    # commit   wrong date  right date  reason
    1a2b3c4    2202-03-01  2022-03-01  typed 2202 for 2022 in release --date

The correction holds for that commit and for every later one that kept the wrong date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .command import to_type
from .errors import StatementError, raise_all
from .history import Revision
from .timeline import BACKDATED

CORRECTIONS_FILE = "corrections"
HASH = re.compile(r"[0-9a-f]{7,40}")
HASH_HINT = "write one commit hash (at least 7 hex digits) a line; comments start with #"
CORRECTION_HINT = (
    "write a line as: commit wrong-date right-date reason, "
    "such as 1a2b3c4 2202-03-01 2022-03-01 typed 2202 for 2022"
)


@dataclass(frozen=True)
class Correction:
    commit: str  # a hash or the start of one
    wrong: date
    right: date
    reason: str
    path: Path
    line: int


def entries(path: Path) -> list[tuple[int, str]]:
    """The lines of a hash list that say something: (line number, text), comments left out."""
    if not path.is_file():
        return []
    return _entries(path.read_text(encoding="utf-8", errors="replace"))


def _entries(text: str) -> list[tuple[int, str]]:
    lines = text.splitlines()
    found = [(number, line.split("#", 1)[0].strip()) for number, line in enumerate(lines, 1)]
    return [(number, entry) for number, entry in found if entry]


def commit_lines(path: Path) -> list[tuple[int, str]]:
    """A file of commit hashes, one a line, `#` comments, as .git-blame-ignore-revs."""
    errors = [
        StatementError(path, number, f"'{entry}' is not a commit hash", HASH_HINT)
        for number, entry in entries(path)
        if not HASH.fullmatch(entry.lower())
    ]
    raise_all(errors)
    return [(number, entry.lower()) for number, entry in entries(path)]


def read_corrections(folder: Path) -> tuple[tuple[Correction, ...], list[StatementError]]:
    """The corrections that read, and the problems of the lines that do not."""
    path = folder / CORRECTIONS_FILE
    found, errors = [], []
    for number, entry in entries(path):
        try:
            found.append(_correction(entry, path, number))
        except StatementError as error:
            errors.append(error)
    return tuple(found), errors


def _correction(entry: str, path: Path, number: int) -> Correction:
    fields = entry.split(None, 3)
    if len(fields) < 4 or not HASH.fullmatch(fields[0].lower()):
        raise StatementError(path, number, f"'{entry}' is not a correction", CORRECTION_HINT)
    try:
        wrong, right = date.fromisoformat(fields[1]), date.fromisoformat(fields[2])
    except ValueError:
        raise StatementError(
            path, number, f"'{entry}' does not give two dates as YYYY-MM-DD", CORRECTION_HINT
        ) from None
    return Correction(fields[0].lower(), wrong, right, fields[3], path, number)


class CorrectedDates:
    """Each commit's effective date, corrected: a correction holds from its commit on, along
    every line of history that keeps the wrong date. Worked out a commit at a time, in the
    history's order (parents first), so that each commit is read whole, its date with its texts:
    git gives a long history's files fastest in the order they were committed."""

    def __init__(
        self, corrections: tuple[Correction, ...], day_of: Callable[[Revision], date | None]
    ) -> None:
        self.corrections, self.day_of = corrections, day_of
        self.active: dict[str, frozenset[Correction]] = {}  # per commit: the corrections holding
        self.met: dict[Correction, date | None] = {}  # its commit's own date, per correction

    def of(self, revision: Revision) -> date | None:
        """The commit's date; every commit before it in the history's order was dated first."""
        day = self.day_of(revision)
        if not self.corrections:  # most histories: no date was ever corrected
            return day
        own = {c for c in self.corrections if revision.commit.startswith(c.commit)}
        self.met |= {c: day for c in own}
        inherited = frozenset().union(*(self.active.get(p, frozenset()) for p in revision.parents))
        holding = frozenset(c for c in own | inherited if c.wrong == day)
        self.active[revision.commit] = holding
        return min((c.right for c in holding), default=day)

    def problems(self) -> list[StatementError]:
        """The corrections that name no commit dated so far, or not its date."""
        return [error for c in self.corrections if (error := _unmet(c, self.met))]


def _unmet(correction: Correction, met: dict[Correction, date | None]) -> StatementError | None:
    if correction not in met:
        message = f"commit {correction.commit} is not in the history of statement/"
        hint = "name a commit that changed statement/: git log --oneline -- statement/"
    elif met[correction] != correction.wrong:
        day = met[correction].isoformat() if met[correction] else "no date"
        message = (
            f"commit {correction.commit} has the date {day}, not {correction.wrong.isoformat()}"
        )
        hint = "the wrong date is the one the commit set in statement.toml"
    else:
        return None
    return StatementError(correction.path, correction.line, message, hint)


def in_force_before(
    corrections: tuple[Correction, ...],
    revisions: tuple[Revision, ...],
    text_of: Callable[[Revision], str],
) -> list[StatementError]:
    """A correction mends a date nobody relied on: a version whose wrong date had arrived when
    the correction was first committed (and that was not dated before its own commit, which the
    build refuses) was in force as published, and what applied then cannot change afterwards.
    Nor may it date the version before the day the correction could be read, without a reason."""
    found = (_misdated(correction, revisions, text_of) for correction in corrections)
    return [error for error in found if error]


def _misdated(
    correction: Correction, revisions: tuple[Revision, ...], text_of: Callable[[Revision], str]
) -> StatementError | None:
    wrong = next((r for r in revisions if r.commit.startswith(correction.commit)), None)
    holding = [r for r in revisions if _holds(text_of(r), correction)]
    if not (wrong and holding and wrong.committed and holding[0].committed):
        return None  # not committed yet, or no such commit (said elsewhere)
    committed_on = datetime.fromisoformat(wrong.committed).date()
    corrected_on = datetime.fromisoformat(holding[0].committed).date()
    if committed_on <= correction.wrong <= corrected_on:
        return _took_effect(correction, corrected_on)
    backdated = committed_on <= correction.right < corrected_on and wrong is not revisions[0]
    if backdated and not any(revision.backdated for revision in holding):
        return _backdated(correction, corrected_on)  # before committed_on: timeline.backdated
    return None


def _holds(text: str, correction: Correction) -> bool:
    fields = (entry.split(None, 3) for _, entry in _entries(text))
    return any(
        len(f) == 4 and f[0].lower() == correction.commit and f[1] == correction.wrong.isoformat()
        for f in fields
    )


def _took_effect(correction: Correction, corrected_on: date) -> StatementError:
    message = (
        f"the version of {correction.wrong.isoformat()} had taken effect when this correction was "
        f"committed, on {corrected_on.isoformat()}: the day a published version took effect "
        "cannot be changed"
    )
    hint = f"remove the line, and publish a new version instead: {to_type('release --date YYYY-MM-DD')}"
    return StatementError(correction.path, correction.line, message, hint)


def _backdated(correction: Correction, corrected_on: date) -> StatementError:
    """The right date was there to read only once the correction was committed: a day before
    that is backdating, which needs its reason as a new version does (timeline.backdated). The
    correction's own reason says why the date was wrong, not why it applies from before."""
    right, on = correction.right.isoformat(), corrected_on.isoformat()
    message = f"this correction dates the version {right}, before the day it was committed, {on}"
    hint = (
        f"a version cannot apply before anyone could read its date: correct it to a day from {on} "
        f"on; or, if it must apply from {right}, say why in a trailer '{BACKDATED}: <reason>' in "
        "the message of the commit that adds this line (git commit --amend), or, once it is "
        "shared, of a next commit under statement/"
    )
    return StatementError(correction.path, correction.line, message, hint)
