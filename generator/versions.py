"""The history of statement/ -> the published versions, each checked as the law expects.

A version is an effective date. Dates only go forward; a commit that changes what the statement
says under the same date must be marked editorial; every version says what changed in every
language. Uncommitted changes are a draft of the next version.

What a commit says is what its pages would show: every commit is read by the reader that renders
the site, and compared by its rendered sections, titles, order and facts. A commit that does not
render is no version: it is passed over with a note, and the commit after it is judged against
the last one that rendered.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .command import to_type
from .config import setting_line, settings_with_problems
from .corrections import (
    CORRECTIONS_FILE,
    CorrectedDates,
    commit_lines,
    in_force_before,
    read_corrections,
)
from .errors import StatementError, attempt, raise_all, stage
from .files import SourceFiles
from .history import History, Revision
from .model import Commit, Settings, Statement, Version, Withdrawal
from .source import statement_from
from .timeline import withdraw_hint, withdrawable, withdrawals

EDITORIAL_FILE = "editorial-commits"
PRE, SPACES = re.compile(r"(<pre[\s>].*?</pre>)", re.S), re.compile(r"\s+")
TITLE, ORDER, FACTS = "the title", "the order of the sections", ("statement.toml", "[facts]")
PUBLISHER = ("statement.toml", "[publisher]")
PREVAILS = ("statement.toml", "source_language")


@dataclass(frozen=True)
class Revised:
    """One commit of statement/, read as the site would render it, or the problems it has."""

    revision: Revision
    source: SourceFiles
    day: date | None  # its effective date, corrected; None when its settings do not read
    statement: Statement | None  # None when it does not render
    errors: tuple[StatementError, ...]
    says: dict  # what its pages show, part by part (see published); {} when it does not render


@dataclass(frozen=True)
class Versions:
    versions: tuple[Version, ...]
    notes: tuple[str, ...]  # the commits passed over, and why
    withdrawn: tuple[Withdrawal, ...] = ()  # announced versions withdrawn before their day


class Reader:
    """Reads the revisions of one history: each statement.toml once, each text's sections once."""

    def __init__(self, folder: Path, history: History) -> None:
        self.folder, self.history = folder, history
        self.settings: dict[str, tuple] = {}  # statement.toml's blob -> what it reads to
        self.translations: dict = {}  # statement_from's cache: unchanged texts are parsed once

    def source(self, revision: Revision) -> SourceFiles:
        return SourceFiles(self.folder, self.history.files(revision), revision.short)

    def day(self, revision: Revision) -> date | None:
        """The effective date the commit's statement.toml sets."""
        settings = self._settings(revision)[0]
        day = settings.effective if settings else None
        return day if isinstance(day, date) else None

    def _settings(self, revision: Revision) -> tuple[Settings | None, list[StatementError]]:
        """Its statement.toml read, or the problems that keep it from reading."""
        blob = dict(revision.blobs).get("statement.toml", "")
        if blob not in self.settings:
            source = self.source(revision)  # outside attempt: a blob git cannot give stops all
            found, errors = attempt(lambda: settings_with_problems(source))
            self.settings[blob] = found or (None, errors)
        return self.settings[blob]

    def revised(self, revision: Revision, day: date | None) -> Revised:
        """The commit read in full; its texts' unchanged sections come from the parse cache."""
        source = self.source(revision)  # outside attempt: a blob git cannot give stops all
        statement, errors = attempt(lambda: self._statement(revision, source, day))
        says = published(statement) if statement else {}
        return Revised(revision, source, day, statement, tuple(errors), says)

    def _statement(self, revision: Revision, source: SourceFiles, day: date | None) -> Statement:
        raise_all(
            StatementError(source.path(name), None, f"{name} is {what}, not a file", _ODD_HINT)
            for name, what in revision.odd
        )
        return statement_of(source, self.translations, day, self._settings(revision))


_ODD_HINT = "commit the file itself in statement/, not a link to it or a submodule"


def read_working_tree(folder: Path, cache: dict | None = None) -> Statement:
    return statement_of(SourceFiles(folder), cache)


def statement_of(
    source: SourceFiles,
    cache: dict | None = None,
    effective: date | None = None,
    settings_read: tuple | None = None,
) -> Statement:
    """The statement of one revision; a problem in its settings does not keep the texts from
    being checked too, unless it leaves no languages to check them in. `effective` is its date
    as corrected in statement/corrections; `settings_read`, its settings if read before."""
    settings, problems = settings_read or settings_with_problems(source)
    if settings is None:
        raise_all(problems)
    if effective is not None and effective != settings.effective:  # corrected: most are not
        settings = dataclasses.replace(settings, effective=effective)
    statement, errors = attempt(lambda: statement_from(source, settings, cache))
    raise_all([*problems, *errors])
    return statement


def versions_of(folder: Path, history: History | None) -> tuple[Version, ...]:
    """Every published version, oldest first, and the draft of the next one if there is one."""
    return read_versions(folder, history).versions


@stage("history")
def read_versions(folder: Path, history: History | None) -> Versions:
    """The versions, with a note on each commit that was passed over."""
    if history is None or not history.revisions:
        statement = read_working_tree(folder)
        draft = history is not None
        return Versions(
            _checked_summaries(
                (Version(statement.settings.effective, statement, draft=draft),),
                _sources(folder, []),
            ),
            (),
        )
    marked = editorial_commits(folder)
    reader = Reader(folder, history)
    corrections, unread = read_corrections(folder)
    dates = CorrectedDates(corrections, reader.day)
    revised = [reader.revised(revision, dates.of(revision)) for revision in history.revisions]
    errors = dates.problems()
    errors += in_force_before(corrections, history.revisions, _corrections_text(history))
    raise_all([*unread, *errors, *revised[-1].errors])  # what is published now must read
    walk = _Walk(revised, marked)
    raise_all(walk.errors)
    versions = walk.versions()
    if history.dirty:
        versions = _with_draft(versions, folder, walk)
    notes = _summary_notes(tuple(versions), _sources(folder, revised))
    return Versions(tuple(versions), (*walk.notes(), *notes), walk.withdrawn())


def _corrections_text(history: History) -> Callable[[Revision], str]:
    def text(revision: Revision) -> str:
        data = history.files(revision).get(CORRECTIONS_FILE, b"")
        return data.decode("utf-8", errors="replace")

    return text


def editorial_commits(folder: Path) -> tuple[str, ...]:
    """statement/editorial-commits: one hash a line, `#` comments, as .git-blame-ignore-revs."""
    return tuple(entry for _, entry in commit_lines(folder / EDITORIAL_FILE))


class _Walk:
    """The revisions that render, in the history's order, each checked against the ones it was
    made from: its parents, or where a parent does not render, the last one before it that did."""

    def __init__(self, revised: list[Revised], marked: tuple[str, ...]) -> None:
        self.all, self.marked = revised, marked
        self.good = [r for r in revised if r.statement is not None]
        self.bases = _bases(revised)
        self.by_commit = {r.revision.commit: r for r in self.good}
        self.errors: list[StatementError] = []
        self.seen: dict[str, frozenset[date]] = {}  # the dates before each revision, itself's too
        self.since: dict[str, str] = {}  # the commit that set each revision's date
        self.changed_at: dict[str, dict] = {}  # per revision: part -> index of its last change
        self.stale: dict[str, frozenset] = {}
        self.changing: dict[str, tuple] = {}  # the commits that changed what a version says: the
        # languages whose pages they changed, () for every one
        self.gone: dict[date, Withdrawal] = {}  # the versions withdrawn before their day
        self.gone_at: dict[str, frozenset[date]] = {}  # per revision: the withdrawn dates it
        # descends from (a branch made before a withdrawal still carries its date, rightly)
        self.carrier: dict[date, Revised] = {}  # the last revision so far carrying each date
        for index, r in enumerate(self.good):
            self._check(index, r)

    def _check(self, index: int, r: Revised) -> None:
        bases = [self.by_commit[c] for c in self.bases[r.revision.commit]]
        if self._check_date(r, bases) and r.day in self.carrier:
            bases = [self.carrier[r.day]]  # a withdrawal is judged against the version it restores
        self.carrier[r.day] = r
        editorial = _is_editorial(r.revision, self.marked)
        changed = _changed(bases, r)
        shown = [part for part in changed if part not in (FACTS, PUBLISHER)]  # on a page only
        if shown or not bases:  # where the text quotes them, which its sections then show
            self.changing[r.revision.commit] = _languages(shown) if bases else ()
        if not editorial and any(b.day == r.day for b in bases) and changed:
            self.errors.append(_guard_error(r, changed))
        self._follow(index, r, bases, changed, editorial)

    def _check_date(self, r: Revised, bases: list[Revised]) -> bool:
        """Whether the commit withdraws upcoming versions; a date that goes back otherwise is
        an error."""
        seens = [self.seen[b.revision.commit] for b in bases]
        gone = _gone(self.gone_at, bases)
        seen = seens[0] if len(seens) == 1 else frozenset().union(*seens).difference(gone)
        withdrawn = self._withdraw(r, seen) if r.revision.withdrawn else frozenset()
        withdrawing = bool(withdrawn)
        if withdrawing:
            seen, gone = seen.difference(withdrawn), gone.union(withdrawn)
        self.gone_at[r.revision.commit] = gone
        if r.day in gone and not withdrawing:
            who = f"commit {r.revision.short}"
            self.errors.append(_reused_error(r.source, who, r.day, self.gone[r.day]))
        # shared, not copied, while the date stays: a copy per commit grew with the history
        self.seen[r.revision.commit] = seen if r.day in seen else seen | {r.day}
        same = [b for b in bases if b.day == r.day]
        same = same or ([self.carrier[r.day]] if withdrawing and r.day in self.carrier else [])
        self.since[r.revision.commit] = (
            self.since[same[0].revision.commit] if same else r.revision.short
        )
        if not bases or same or withdrawing or r.day > max(seen):
            return withdrawing
        self._went_back(r, bases, seen)
        return False

    def _went_back(self, r: Revised, bases: list[Revised], seen: frozenset[date]) -> None:
        newest = max(bases, key=lambda b: b.day)
        day, wrong = r.day.isoformat(), newest.day.isoformat()
        word = "reuses the earlier date" if r.day in seen else "moves the effective date back to"
        message = f"commit {r.revision.short} {word} {day} (the version before is {wrong})"
        hint = (
            "effective dates only go forward: set a date after the latest version's in "
            f"statement.toml; or, if {wrong} was a mistake, correct it without rewriting history: "
            f"add the line '{self.since[newest.revision.commit]} {wrong} <right date> <reason>' "
            f"to statement/{CORRECTIONS_FILE}"
        ) + withdraw_hint(wrong, _after(seen, r.day), r.revision.committed, r.revision.withdrawn)
        line = setting_line(r.source, "effective")
        self.errors.append(StatementError(r.source.path("statement.toml"), line, message, hint))

    def _withdraw(self, r: Revised, seen: frozenset[date]) -> frozenset[date]:
        """The dates of the versions the commit withdraws, those after its own date, when its
        `Withdrawn:` trailer asks and every one of them was still upcoming when it was made."""
        dropped = _after(seen, r.day)
        if not withdrawable(dropped, r.revision.committed):
            return frozenset()
        made = withdrawals(dropped, r.revision.commit, r.revision.committed, r.revision.withdrawn)
        self.gone |= {withdrawal.date: withdrawal for withdrawal in made}
        return dropped

    def _follow(
        self, index: int, r: Revised, bases: list[Revised], changed: list, editorial: bool
    ) -> None:
        """The translated sections whose source changed later than they did. Editorial source
        edits do not count: they change no meaning to follow."""
        ats = [self.changed_at[base.revision.commit] for base in bases]
        at = dict(ats[0]) if len(ats) == 1 else _latest(ats)  # most commits: one parent
        source = r.statement.settings.source_language
        for lang, part in changed:
            if lang != source or not bases or not editorial:
                at[(lang, part)] = index
        self.changed_at[r.revision.commit] = at
        self.stale[r.revision.commit] = _stale_in(r, at)

    def versions(self) -> list[Version]:
        """Per date, the last commit carrying it; by date. A branch's version merged in is as
        published as one made on the main line, so none is dropped and none is reordered."""
        carrying: dict[date, list[Revised]] = {}
        for r in self.good:
            if r.day not in self.gone:  # a withdrawn version is no version
                carrying.setdefault(r.day, []).append(r)
        return [
            Version(
                day, rs[-1].statement, rs[-1].revision.commit,
                stale=self.stale[rs[-1].revision.commit],
                commits=tuple(_commit(r, self.changing) for r in rs),
            )
            for day, rs in sorted(carrying.items())
        ]  # fmt: skip

    def withdrawn(self) -> tuple[Withdrawal, ...]:
        """The withdrawn versions, each with when it was first announced."""
        first: dict[date, Revised] = {}
        for r in self.good:
            first.setdefault(r.day, r)
        return tuple(
            dataclasses.replace(w, announced=first[day].revision.as_commit().committed)
            for day, w in sorted(self.gone.items())
        )

    def notes(self) -> tuple[str, ...]:
        notes = [_passed_over(r) for r in self.all if r.statement is None]
        published = {r.day for r in self.good}
        lost = sorted({r.day for r in self.all if r.day and r.day not in published})
        notes += [
            f"The version of {day.isoformat()} is left out: none of its commits renders."
            for day in lost
        ]
        return tuple(notes)


def _latest(ats: list[dict]) -> dict:
    """Per part, the latest change any of a merge's bases had seen."""
    at: dict = {}
    for before in ats:
        for part, when in before.items():
            at[part] = max(at.get(part, -1), when)
    return at


def _gone(gone_at: dict[str, frozenset[date]], bases: list[Revised]) -> frozenset[date]:
    """The withdrawn dates a revision descends from: shared, not copied, from a single parent."""
    gones = [gone_at[base.revision.commit] for base in bases]
    return gones[0] if len(gones) == 1 else frozenset().union(*gones)


def _after(seen: frozenset[date], day: date) -> frozenset[date]:
    """The dates a commit of `day` would withdraw: those after it, if any version stays before
    them (the first version has none to go back to); else none."""
    after = frozenset(seen_day for seen_day in seen if seen_day > day)
    return after if len(after) < len(seen) else frozenset()


def _reused_error(
    source: SourceFiles, who: str, day: date, withdrawal: Withdrawal
) -> StatementError:
    """A withdrawn version's date stays its own: the feeds and the changelog say it was
    withdrawn, and a new text under it would pass for the one announced."""
    by = withdrawal.commit[:7]
    message = (
        f"{who} dates a version {day.isoformat()}, the date of the version withdrawn by commit {by}"
    )
    hint = "give the new version another date in statement.toml: that version was withdrawn"
    line = setting_line(source, "effective")
    return StatementError(source.path("statement.toml"), line, message, hint)


def _withdraw_draft_hint(last: date) -> str:
    """Said of the text being edited only while the last version is upcoming by the clock: a
    commit of it made now is judged by the day it is made."""
    command = to_type('commit --withdraw "reason"')
    return (
        f"; or, to withdraw the version of {last.isoformat()} before it takes effect, "
        f"commit this with {command}"
    )


def _bases(revised: list[Revised]) -> dict[str, tuple[str, ...]]:
    """Per revision, the revisions it is judged against: for each parent, that parent if it
    renders, else the last revision before it on its first-parent line that does."""
    last_good: dict[str, str | None] = {}
    bases = {}
    for r in revised:
        found = (last_good.get(parent) for parent in r.revision.parents)
        bases[r.revision.commit] = tuple(dict.fromkeys(c for c in found if c))
        parent = r.revision.parents[0] if r.revision.parents else None
        last_good[r.revision.commit] = r.revision.commit if r.statement else last_good.get(parent)
    return bases


def _passed_over(r: Revised) -> str:
    first = r.errors[0]
    more = f" (and {len(r.errors) - 1} more)" if len(r.errors) > 1 else ""
    return f"Passed over commit {r.revision.short}, which does not render: {first.where()}: {first.message}{more}."


def said(statement: Statement) -> dict[tuple[str, str], tuple]:
    """What the statement says, section by section: (language, id) -> (heading, HTML). A
    section's classes are left out: they mark the disclosures it makes, and no page shows them."""
    return {
        (translation.lang, section.id): (section.heading, shown(section.html))
        for translation in statement.translations
        for section in translation.parts
    }


@functools.lru_cache(maxsize=1 << 16)  # a long history shares most sections' HTML
def shown(html: str) -> str:
    """HTML as a browser shows it: outside <pre>, a run of white space is one space."""
    pieces = PRE.split(html)
    return "".join(p if p.startswith("<pre") else SPACES.sub(" ", p) for p in pieces)


def published(statement: Statement) -> dict[tuple[str, str], object]:
    """Everything of a version its pages show: its sections as rendered, each language's title
    and order of sections, the facts and the publisher."""
    parts: dict[tuple[str, str], object] = said(statement)  # a new dict, its own
    for translation in statement.translations:
        parts[(translation.lang, TITLE)] = translation.title
        parts[(translation.lang, ORDER)] = tuple(s.id for s in translation.sections)
    parts[FACTS] = statement.settings.facts
    parts[PUBLISHER] = statement.settings.publishers  # the header and footer show it
    parts[PREVAILS] = statement.settings.source_language  # which text legally applies
    return parts


def _changed(bases: list[Revised], r: Revised) -> list[tuple[str, str]]:
    """The parts that differ from every base: a merge brings its parents' words, and only what
    none of them said is new."""
    if not bases:
        return sorted(r.says)
    order = list(r.says)
    if len(bases) == 1 and order == list(bases[0].says):  # most commits: one parent, same parts
        said, says = bases[0].says.values(), r.says.values()  # compared side by side
        return sorted(itertools.compress(order, map(operator.ne, said, says)))
    keys = set(r.says).union(*(b.says for b in bases))
    return sorted(k for k in keys if all(b.says.get(k) != r.says.get(k) for b in bases))


def _languages(changed: list[tuple[str, str]]) -> tuple[str, ...]:
    """The languages whose pages a change shows in; () for every one."""
    everywhere = PREVAILS in changed  # the translation notice is on every page
    return () if everywhere else tuple(sorted({lang for lang, _ in changed}))


def _commit(r: Revised, changing: dict[str, tuple]) -> Commit:
    commit = r.revision.commit
    return r.revision.as_commit(commit in changing, changing.get(commit, ()))


def _stale_in(r: Revised, at: dict) -> frozenset[tuple[str, str]]:
    """The translated parts whose source part changed later than they did (at: each part's
    last change), looked up side by side: a long history asks this of every commit."""
    source, stale = r.statement.settings.source_language, []
    for translation in r.statement.translations:
        if (lang := translation.lang) == source:
            continue
        ids = [section.id for section in translation.parts]
        source_at = map(at.get, [(source, sid) for sid in ids], itertools.repeat(-1))
        own_at = map(at.get, [(lang, sid) for sid in ids], itertools.repeat(-1))
        stale += [
            (lang, sid) for sid in itertools.compress(ids, map(operator.gt, source_at, own_at))
        ]
    return frozenset(stale)


def _is_editorial(revision: Revision, marked: tuple[str, ...]) -> bool:
    return bool(revision.editorial) or any(revision.commit.startswith(entry) for entry in marked)


def _guard_error(revised: Revised, changed: list[tuple[str, str]]) -> StatementError:
    statement = revised.statement
    changed = sorted(changed, key=lambda part: _reading_order(statement, part))
    by_language: dict[str, list[str]] = {}
    for changed_lang, changed_id in changed:
        by_language.setdefault(changed_lang, []).append(changed_id)
    where = "; ".join(f"{code}: {', '.join(ids)}" for code, ids in by_language.items())
    short, day = revised.revision.short, revised.day.isoformat()
    message = f"commit {short} changes what the statement says ({where}) but keeps the date {day}"
    hint = (
        f"either set a new effective date with a [summary] in every language in statement.toml, or mark the "
        f"commit editorial: add the trailer 'Editorial: <reason>' to its message, or add {short} to statement/{EDITORIAL_FILE}"
    )
    path, line = _where(revised, statement, changed[0])
    return StatementError(path, line, message, hint)


def _reading_order(statement: Statement, part: tuple[str, str]) -> tuple[int, int, str]:
    """Languages in their order, the settings last; in each, the title, the sections, the order."""
    langs = [t.lang for t in statement.translations]
    lang, name = part
    if lang not in langs:
        return (len(langs), 0, name)
    sections = [s.id for s in statement.translation(lang).parts]
    place = -1 if name == TITLE else sections.index(name) if name in sections else len(sections)
    return (langs.index(lang), place, name)


def _where(
    revised: Revised, statement: Statement, part: tuple[str, str]
) -> tuple[Path, int | None]:
    lang, name = part
    if lang not in {t.lang for t in statement.translations}:
        return revised.source.path("statement.toml"), None
    translation = statement.translation(lang)
    line = (
        1 if name == TITLE else translation.by_id[name].line if name in translation.by_id else None
    )
    return translation.path, line


def _effective_line(folder: Path) -> int | None:
    return setting_line(SourceFiles(folder), "effective")  # where the date is fixed


def _with_draft(versions: list[Version], folder: Path, walk: _Walk) -> list[Version]:
    draft = read_working_tree(folder)
    day, last = draft.settings.effective, versions[-1]
    if day < last.date or (day != last.date and day in [v.date for v in versions]):
        message = f"the effective date {day.isoformat()} is not after the latest version's, {last.date.isoformat()}"
        hint = "effective dates only go forward: set a later date in statement.toml" + (
            _withdraw_draft_hint(last.date) if day < last.date and last.date > date.today() else ""
        )
        raise StatementError(folder / "statement.toml", _effective_line(folder), message, hint)
    if day in walk.gone:
        raise _reused_error(SourceFiles(folder), "statement.toml", day, walk.gone[day])
    head = walk.good[-1]
    working = Revised(Revision("", "", ()), SourceFiles(folder), day, draft, (), published(draft))
    walk.changed_at[""] = {}  # the draft is judged against the head, as a commit would be
    walk._follow(len(walk.good), working, [head], _changed([head], working), False)
    version = Version(day, draft, None, draft=True, stale=walk.stale[""])
    return [*versions[:-1], version] if day == last.date else [*versions, version]


def _summary_notes(
    versions: tuple[Version, ...], source_of: Callable[[Version], SourceFiles]
) -> tuple[str, ...]:
    """The summaries of the newest committed version, and of the draft, must be right; an older
    version's can no longer be mended in its commits, so a problem there is a note, not an end."""
    newest = max((i for i, v in enumerate(versions) if not v.draft), default=0)
    _checked_summaries(versions[max(newest - 1, 0) :], source_of, first=newest > 0)
    return tuple(
        f"{problem.message[0].upper()}{problem.message[1:]} (published as it was committed)."
        for i, v in enumerate(versions[:newest])
        for problem in _summary_problems(v, versions[i - 1] if i else None, source_of(v))
    )


def _checked_summaries(
    versions: tuple[Version, ...],
    source_of: Callable[[Version], SourceFiles],
    first: bool = False,
) -> tuple[Version, ...]:
    """Raise the summaries' problems; with `first`, versions[0] is only the one to compare with.
    `source_of` gives the files each version was read from, for the line of its [summary]."""
    errors = []
    for before, version in zip((None, *versions), versions, strict=False):
        if not (first and before is None):
            errors.extend(_summary_problems(version, before, source_of(version)))
    raise_all(errors)
    return versions


def _summary_problems(
    version: Version, before: Version | None, source: SourceFiles
) -> list[StatementError]:
    settings, day = version.statement.settings, version.date.isoformat()
    missing = [lang.code for lang in settings.languages if lang.code not in version.summary]
    if missing:
        lines = ", ".join(f'{lang} = "…"' for lang in missing)
        hint = (
            f"add a [summary] table to statement.toml saying what changed, in plain words: {lines}"
        )
        message = f"the version of {day} has no summary in {', '.join(missing)}"
        return [StatementError(source.path("statement.toml"), _summary_line(source), message, hint)]
    if before is not None and before.summary == version.summary:
        hint = "rewrite [summary] for the new version: say what changed since the version before"
        message = f"the version of {day} repeats the summary of {before.date.isoformat()}"
        return [StatementError(source.path("statement.toml"), _summary_line(source), message, hint)]
    return []


def _summary_line(source: SourceFiles) -> int | None:
    """Where a summary is written: its [summary] table, or beside the date when there is none."""
    return setting_line(source, "summary") or setting_line(source, "effective")


def _sources(folder: Path, revised: list[Revised]) -> Callable[[Version], SourceFiles]:
    """The files each version was read from: its commit's, or the working tree's."""
    by_commit = {r.revision.commit: r.source for r in revised}
    return lambda version: by_commit.get(version.commit or "") or SourceFiles(folder)
