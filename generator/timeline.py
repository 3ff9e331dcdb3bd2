"""Time: the day a build is for, and what each version is on that day.

On the build's day a version is archived (a later one has taken effect), current (in force) or
upcoming (dated after the day). The day is read once per build, in the statement's own time zone,
so that the same source on the same day gives the same site: publishing an upcoming version ahead
of its date, and making it current on the day, takes nothing but a build each day. A version's
commits tell when it was published, whether its date was set in the past (backdated), and the
corrections made to it after it took effect.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .command import to_type
from .errors import StatementError
from .files import SourceFiles
from .model import Commit, Publication, Version, Withdrawal

EPOCH = "SOURCE_DATE_EPOCH"
BACKDATED = "Backdated"
WITHDRAWN = "Withdrawn"


def build_day(timezone: str, given: date | None = None, environ: Mapping = os.environ) -> date:
    """The day the site is built for: `given` (--today), else SOURCE_DATE_EPOCH, else the
    system clock, as a date in the statement's time zone."""
    if given is not None:
        return given
    zone = ZoneInfo(timezone)
    epoch = environ.get(EPOCH)
    if epoch is None:
        return datetime.now(zone).date()
    try:
        return datetime.fromtimestamp(int(epoch), zone).date()
    except (ValueError, OverflowError, OSError):
        hint = f"set {EPOCH} to whole seconds since 1970 (git log -1 --format=%ct), or unset it; or give the day with --today YYYY-MM-DD"
        message = f"{EPOCH} is not a moment in time: {epoch!r}"
        raise StatementError(Path(EPOCH), None, message, hint) from None


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class Amendment:
    """An editorial correction of a version made after it took effect."""

    day: date
    reason: str  # its `Editorial:` trailer; "" when it was marked in statement/editorial-commits


@dataclass(frozen=True)
class Standing:
    """What a version is on the build's day, as its page says it."""

    kind: str  # "archived", "current" or "upcoming"
    last_day: date | None  # an archived version's last day in force
    announced: Version | None  # the next version to take effect, announced by the current one
    amendments: tuple[Amendment, ...]


def standing(publication: Publication, version: Version, lang: str) -> Standing:
    """What the version is on the build's day, as its page in `lang` says it."""
    current = publication.current
    following = publication.after(version)
    amended = amendments(version, lang, publication.settings.timezone)
    if publication.is_upcoming(version):
        return Standing("upcoming", None, None, amended)
    if version.date < current.date:
        last_day = date.fromordinal(following.date.toordinal() - 1)
        return Standing("archived", last_day, None, amended)
    announced = following if following and publication.is_upcoming(following) else None
    return Standing("current", None, announced, amended)


def corrections(version: Version, lang: str) -> list[Commit]:
    """The commits carrying the version's date that changed its page in `lang`: a correction of
    the English translation is none of the Dutch text's."""
    return [
        commit
        for commit in version.commits
        if commit.changed and (not commit.languages or lang in commit.languages)
    ]


def amendments(version: Version, lang: str, timezone: str) -> tuple[Amendment, ...]:
    """The corrections committed on or after the day the version took effect (each commit that
    carries its date but the first, which published it)."""
    found = []
    for commit in corrections(version, lang):
        if commit is version.commits[0] or not commit.committed:
            continue
        if (day := local_day(commit.committed, timezone)) >= version.date:
            found.append(Amendment(day, commit.editorial))
    return tuple(found)


def published(version: Version) -> datetime | None:
    """When the version was published: the commit that first carried its date."""
    return version.commits[0].committed if version.commits else None


def updated(version: Version, lang: str) -> datetime | None:
    """When its page in `lang` last changed: the newest commit carrying its date that changed it."""
    changed = corrections(version, lang)
    return changed[-1].committed if changed else published(version)


def atom_time(moment: datetime | None, fallback: date) -> str:
    """An Atom date, in UTC; a version without commits (no git) is stamped with its date."""
    if moment is None:
        return f"{fallback.isoformat()}T00:00:00Z"
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def backdated(versions: tuple[Version, ...]) -> list[StatementError]:
    """Versions dated before the day their date was first committed, with no reason given in a
    `Backdated:` trailer of any commit carrying the date. The day is the committer's own (a
    version committed on its day anywhere in the world is not backdated). The first version is
    exempt: it records a statement that was already in force before its history here began."""
    errors = []
    for version in versions[1:]:
        first = version.commits[0] if version.commits else None
        if first is None or first.committed is None:
            continue
        committed_on = first.committed.date()
        if version.date < committed_on and not any(c.backdated for c in version.commits):
            errors.append(_backdated_error(version, first, committed_on))
    return errors


def _backdated_error(version: Version, first: Commit, committed_on: date) -> StatementError:
    folder = version.statement.translations[0].path.parent
    where = SourceFiles(folder, None, first.id[:7]).path("statement.toml")
    day, on = version.date.isoformat(), committed_on.isoformat()
    message = (
        f"commit {first.id[:7]} dates a new version {day}, before the day it was committed, {on}"
    )
    hint = (
        f"a version cannot apply before anyone could read it: set a date from {on} on; or, if it "
        f"must apply from {day}, say why in a trailer '{BACKDATED}: <reason>' in that commit's "
        "message (git commit --amend), or, once it is shared, in the message of a next commit "
        "under statement/ that keeps the date"
    )
    return StatementError(where, None, message, hint)


def committed_day(committed: str) -> date | None:
    """The day a commit was made, as its committer's own calendar had it ("": not known)."""
    return datetime.fromisoformat(committed).date() if committed else None


def withdrawable(dropped: frozenset[date], committed: str) -> bool:
    """Whether a commit made at `committed` may withdraw the versions of the `dropped` dates:
    only while every one was still upcoming. A version that had taken effect was in force as
    published, and what applied then cannot be taken back; a new version replaces it."""
    day = committed_day(committed)
    return bool(dropped) and day is not None and min(dropped) > day


def withdrawals(
    dropped: frozenset[date], commit: str, committed: str, reason: str
) -> list[Withdrawal]:
    """The versions a commit with a `Withdrawn:` trailer withdraws, one per dropped date."""
    when = datetime.fromisoformat(committed)
    return [Withdrawal(day, commit, when, reason) for day in sorted(dropped)]


def withdraw_hint(wrong: str, dropped: frozenset[date], committed: str, asked: str) -> str:
    """What the refusal of a date that goes back adds: the way to withdraw a version still
    upcoming; or, to a commit that `asked` to withdraw one in force, why it cannot."""
    if not asked and withdrawable(dropped, committed):
        command = to_type('commit --withdraw "reason"')
        return (
            f"; or, if the version of {wrong} was announced but must not take effect, withdraw it "
            f"before its day: say why in a trailer '{WITHDRAWN}: <reason>' in the commit's message "
            f"(git commit --amend), as {command} writes it"
        )
    if asked and dropped:
        return (
            f". Its '{WITHDRAWN}:' trailer cannot help: a version that had taken effect when the "
            "commit was made was in force, and cannot be withdrawn; a new version replaces it"
        )
    return ""
