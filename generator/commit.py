"""`statement commit`: statement/ committed as a typo fix or as a new version, with the message
the build expects, for an editor who does not know git's trailers.

It runs the very commands the guide shows beside it, `git add` and
`git commit -m "Editorial change: typo" -m "Editorial: typo" -- statement`, through the git
command line (history.py reads the history; nothing here reads it).
Only statement/ is committed, whatever else is staged; a statement that does not read, or a
date that does not fit the kind of commit, is refused before anything is written.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .command import to_type
from .config import SETTINGS, setting_line
from .errors import StatementError
from .files import SourceFiles
from .model import Version, Withdrawal
from .release import read_committed, refuse_far_ahead
from .timeline import BACKDATED, WITHDRAWN
from .versions import read_working_tree

TRAILER = "Editorial"  # the key history.py reads: %(trailers:key=Editorial)


@dataclass(frozen=True)
class Committed:
    short: str  # the new commit's short hash
    subject: str
    trailer: str  # "Editorial: …" and/or "Backdated: …" lines, or ""
    day: date  # the effective date the commit carries


def commit(
    root: Path,
    reason: str | None,
    message: str | None = None,
    backdated: str | None = None,
    far_ahead: bool = False,
    withdraw: str | None = None,
) -> Committed:
    """Commit statement/: as an editorial change when there is a reason, else as a new version;
    `backdated` is the reason a new version applies from a day before today, `far_ahead`
    confirms one dated more than a year ahead; `withdraw`, the reason the upcoming versions
    dated after statement.toml's date are withdrawn."""
    folder = root / "statement"
    _require_changes(root)
    statement = read_working_tree(folder)  # a statement that does not build is not committed
    day, committed = statement.settings.effective, read_committed(root)
    last = committed.versions[-1] if committed.versions else None
    trailers = (
        [f"{BACKDATED}: {_one_line(backdated, root, '--backdated')}"]
        if backdated is not None
        else []
    )
    if withdraw is not None:
        dropped = [version for version in committed.versions if version.date > day]
        subject, trailers = _withdrawal(
            folder, day, dropped, _one_line(withdraw, root, "--withdraw"), message
        )
    elif reason is not None:
        reason = _one_line(reason, root)
        _require_same_date(folder, day, last and last.date)
        subject, trailers = (
            message or f"Editorial change: {reason}",
            [f"{TRAILER}: {reason}", *trailers],
        )
    else:
        _require_new_date(folder, day, last and last.date, bool(trailers))
        _require_not_withdrawn(folder, day, committed.withdrawn)
        if not far_ahead:
            confirm = to_type("commit --version --far-ahead")
            refuse_far_ahead(SourceFiles(folder), day, date.today(), confirm)
        subject = message or f"The version of {day.isoformat()}"
    _git(root, "add", "--all", "--", "statement")
    paragraphs = [subject, "\n".join(trailers)] if trailers else [subject]
    _git(root, "commit", "--quiet", *(f"--message={p}" for p in paragraphs), "--", "statement")
    return Committed(
        _git(root, "rev-parse", "--short=7", "HEAD"), subject, "\n".join(trailers), day
    )


def _withdrawal(
    folder: Path, day: date, dropped: list[Version], reason: str, message: str | None
) -> tuple[str, list[str]]:
    """The subject and trailer of a commit that withdraws the `dropped` versions, dated after
    `day`, refused unless there are such versions and none of them has taken effect."""
    _require_upcoming(folder, day, dropped)
    dates = ", ".join(v.date.isoformat() for v in dropped)
    return message or f"Withdraw the version of {dates}", [f"{WITHDRAWN}: {reason}"]


def _require_upcoming(folder: Path, day: date, dropped: list[Version]) -> None:
    in_force = [v for v in dropped if v.date <= date.today()]
    if dropped and not in_force:
        return
    if not dropped:
        message = f"no version is dated after {day.isoformat()}: there is nothing to withdraw"
        hint = "set effective in statement.toml back to the date of the version that is to stay in force"
    else:
        message = f"the version of {in_force[0].date.isoformat()} has taken effect: a version that was in force cannot be withdrawn"
        hint = f"publish a new version that replaces it: {to_type('release --date YYYY-MM-DD')}"
    raise StatementError(folder / SETTINGS, _effective_line(folder), message, hint)


def _require_not_withdrawn(folder: Path, day: date, withdrawn: tuple[Withdrawal, ...]) -> None:
    if any(withdrawal.date == day for withdrawal in withdrawn):
        message = f"the version of {day.isoformat()} was withdrawn: its date is not used again"
        hint = "give the new version another date: the changelog and the feeds say that one was withdrawn"
        raise StatementError(folder / SETTINGS, _effective_line(folder), message, hint)


def _require_changes(root: Path) -> None:
    if not _git(root, "status", "--porcelain", "--untracked-files=all", "--", "statement"):
        hint = f"edit the text first; {to_type('diff')} shows what changed since the last version"
        raise StatementError(root / "statement", None, "there is nothing to commit", hint)


EMPTY_REASONS = {  # option -> (what is empty, what to say instead)
    "--editorial": ("the editorial reason", 'why the meaning stays the same: --editorial "typo"'),
    "--backdated": (
        "the reason for the earlier date",
        'why the version applies from before it is committed: --backdated "the board decided on 1 March"',
    ),
    "--withdraw": (
        "the reason for the withdrawal",
        'why the announced version will not take effect: --withdraw "the works council did not agree"',
    ),
}


def _one_line(reason: str, root: Path, option: str = "--editorial") -> str:
    reason = " ".join(reason.split())
    if not reason:
        what, say = EMPTY_REASONS[option]
        hint = f"say in a few words {say}"
        raise StatementError(root / "statement", None, f"{what} is empty", hint)
    return reason


def _require_same_date(folder: Path, day: date, last: date | None) -> None:
    if last is None or day == last:
        return
    message = f"the date changed to {day.isoformat()}: a new date is a new version, not an editorial change"
    hint = f"commit it as a new version, {to_type('commit --version')}, or set effective back to {last.isoformat()}"
    raise StatementError(folder / SETTINGS, _effective_line(folder), message, hint)


def _require_new_date(folder: Path, day: date, last: date | None, backdated: bool) -> None:
    if last is not None and day <= last:
        message = f"a new version needs a date after the last version's, {last.isoformat()}"
        hint = (
            f"set it and reset the summary with {to_type('release --date YYYY-MM-DD')}; "
            'a change that keeps the meaning is committed with --editorial "reason" instead'
        )
        raise StatementError(folder / SETTINGS, _effective_line(folder), message, hint)
    if last is not None and day < date.today() and not backdated:
        message = f"the new version's date {day.isoformat()} is before today"
        hint = (
            "a version cannot apply before anyone could read it: set a date from today on, or "
            f"say why it must apply from that day: {to_type('commit --version --backdated')} "
            '"reason"'
        )
        raise StatementError(folder / SETTINGS, _effective_line(folder), message, hint)


def _effective_line(folder: Path) -> int | None:
    return setting_line(SourceFiles(folder), "effective")


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if done.returncode == 0:
        return done.stdout.strip()
    said = done.stderr.strip()
    if "Please tell me who you are" in said or "empty ident" in said:
        hint = (
            'tell it once: git config --global user.name "Your Name", and user.email the same way'
        )
        raise StatementError(root, None, "git does not know your name and e-mail yet", hint)
    if "not a git repository" in said:
        hint = f"keep the project in git: git init, then {to_type('commit --version')}"
        raise StatementError(root, None, "the project is not a git repository", hint)
    message = f"git {args[0]} failed: {said.splitlines()[-1] if said else done.returncode}"
    hint = "commit with git itself, as the guide shows, to see all that git says"
    raise StatementError(root, None, message, hint)
