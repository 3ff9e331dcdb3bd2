"""`statement check`: what the build refuses, and what the law and good sense ask beyond it.

Beyond the build's own validations: the disclosures Articles 13 and 14 of the GDPR require, each
found where a heading declares it or where the words say it (disclosures.py reads them, with
evidence); translations behind the source, changes that keep the old date, and facts used
nowhere. Each finding is marked new or standing: standing when the last committed version has it
too. Nothing is written and no PDF is made: the site is built in memory, for the preview only.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from . import defaults, untranslated
from .build import CACHE, make_site
from .command import to_type
from .config import accepted_gaps, setting_line, settings_from
from .disclosures import Evidence, statement_evidence, word_lists
from .errors import StatementError, attempt
from .files import SourceFiles
from .history import History, read_history
from .model import Site, Statement, Translation, Version
from .placeholders import placeholders
from .release import FAR_AHEAD
from .source import FACT, statement_from
from .versions import said, versions_of

SEVERITIES = {
    "error": "Errors: fix these before publishing",
    "warning": "Warnings: look at these and fix them",
    "accepted": "Accepted gaps: left out on purpose, for the reason given",
}

# Every kind of finding, in the words the guide uses; the guide explains each one. The order is
# the order a report lists them in, within a severity.
KINDS = {
    "settings": "statement.toml cannot be used as it is",
    "text": "a language's Markdown breaks a rule of the source format",
    "broken-link": "a link to a section, #id, goes to no section",
    "history": "the history in git breaks a rule of versions and dates",
    "catalog": "the page's own words in locales/ are missing or untranslated",
    "template": "a template of the project's own, in templates/, cannot be read or filled in",
    "word-list": "a word list check reads the disclosures with cannot be used",
    "build": "something else stopped the build",
    "missing-disclosure": "no section tells people something the GDPR always requires",
    "conditional-disclosure": "no section covers a disclosure the GDPR requires in some cases",
    "declared-not-stated": "a heading declares a disclosure that its text does not seem to make",
    "accepted-gap": "a disclosure left out on purpose, with the reason in statement.toml",
    "gap-covered": "a gap accepted in statement.toml that a section covers after all",
    "unknown-disclosure": "a heading or [accepted_gaps] names a disclosure that does not exist",
    "disclosures-differ": "a translation's heading declares other disclosures than the source's",
    "stale-translation": "a translated section is behind a later change of the source text",
    "undated-change": "uncommitted changes to what the statement says under the current date",
    "unused-fact": "a fact in statement.toml that no text uses",
    "far-ahead": "a version takes effect more than a year after it was committed",
    "placeholder": "words `statement init` wrote to be replaced, marked FILL IN",
}
TEMPLATE_FACT = re.compile(r"\bfacts\.([a-z][a-z0-9_]*)|\bfacts\[['\"]([a-z][a-z0-9_]*)")


@dataclass(frozen=True)
class Disclosure:
    """One thing Articles 13 and 14 require a privacy statement to tell people."""

    id: str  # the class a section heading declares: {#rights .right_access}
    article: str
    when: str  # "always", or the case in which it applies
    labels: tuple[tuple[str, str], ...]  # (language, short label)
    asks: str = ""  # what the law asks the statement to tell people, in plain words

    @property
    def always(self) -> bool:
        return self.when.startswith("always")

    def label(self, lang: str) -> str:
        labels = dict(self.labels)
        return labels.get(lang) or labels["en"]


@dataclass(frozen=True)
class Finding:
    severity: str  # "error", "warning" or "accepted"
    path: Path
    line: int | None
    kind: str  # one of KINDS
    id: str | None  # the disclosure, section or fact it is about
    message: str
    hint: str
    evidence: tuple[Evidence, ...] = ()  # the words that make a disclosure, where it matters
    new: bool = True  # False: the last committed version has it too

    def where(self, root: Path) -> str:
        return StatementError(self.path, self.line, "", "").where(root)

    @property
    def order(self) -> tuple:
        rank = list(SEVERITIES).index(self.severity), list(KINDS).index(self.kind)
        return not self.new, *rank, str(self.path), self.line or 0, self.id or "", self.message

    @property
    def key(self) -> tuple[str, str | None]:
        """What makes it the same finding in another version of the text."""
        return self.kind, self.id


@dataclass(frozen=True)
class Coverage:
    """A disclosure: the sections whose headings declare it (source language ids), the words
    that state it, or why none does."""

    disclosure: Disclosure
    sections: tuple[str, ...]
    accepted: str | None  # the written reason of an accepted gap
    evidence: tuple[Evidence, ...] = ()

    @property
    def status(self) -> str:
        if self.sections or self.evidence:
            declared, stated = bool(self.sections), bool(self.evidence)
            return (
                "declared and stated"
                if declared and stated
                else "declared"
                if declared
                else "stated"
            )
        return "accepted" if self.accepted else "missing"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    coverage: tuple[Coverage, ...]  # empty when the text could not be read
    source_language: str = "en"
    baseline: str | None = None  # the date of the committed version findings are compared with

    @property
    def to_fix(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != "accepted")


@dataclass(frozen=True)
class Examined:
    site: Site | None  # None when the build failed
    report: Report


def disclosures() -> tuple[Disclosure, ...]:
    """The GDPR's list, shipped with the package (generator/data/gdpr-disclosures.toml)."""
    text = resources.files("generator").joinpath("data/gdpr-disclosures.toml").read_text("utf-8")
    return tuple(
        Disclosure(
            key,
            entry["article"],
            entry["when"],
            (("nl", entry["nl"]), ("en", entry["en"])),
            entry.get("asks", ""),
        )
        for key, entry in tomllib.loads(text).items()
    )


def examine(root: Path, cache: Path | None = None, today: date | None = None) -> Examined:
    """Build the site in memory (for `today`, as the build's), without PDFs, and check the
    statement; every finding, whatever fails. The history is read once, for the build and the
    checks."""
    cache = cache or root / CACHE
    history, unread = attempt(lambda: read_history(root))
    site, errors = (None, unread) if unread else _site(root, cache, history, today)
    findings = [_from_error(error) for error in errors]
    source = SourceFiles(root / "statement")
    statement, _ = attempt(lambda: statement_from(source, settings_from(source, placeholders=True)))
    if statement is None:  # the build's errors say why
        return Examined(site, Report(_ordered(findings), ()))
    coverage, found = _statement_findings(statement, source, root)
    versions, committed = _versions(root, None if unread else history)
    findings += found + _history_findings(
        versions, committed, statement, _build_day(statement, today)
    )
    baseline, standing = _standing(root, history, committed)
    if baseline:
        findings = [dataclasses.replace(f, new=f.key not in standing) for f in findings]
    report = Report(_ordered(findings), coverage, statement.settings.source_language, baseline)
    return Examined(site, report)


def _ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(set(findings), key=lambda f: f.order))


def _site(
    root: Path, cache: Path, history: History | None, today: date | None
) -> tuple[Site | None, list]:
    return attempt(lambda: make_site(root, cache=cache, pdfs=False, history=history, today=today))


def _statement_findings(
    statement: Statement, source: SourceFiles, root: Path
) -> tuple[tuple[Coverage, ...], list[Finding]]:
    """What one text of the statement leaves out or gets wrong, whatever its history."""
    coverage, findings = _gdpr(statement, source)
    findings += [_from_error(left) for left in placeholders(statement, source)]
    findings += map(_from_error, untranslated.in_check(root, statement.settings.languages))
    return coverage, findings + _unused_facts(statement, root, source)


# --- the build's own problems ---------------------------------------------------------------


def _from_error(error: StatementError) -> Finding:
    kind = error.kind if error.kind in KINDS else "build"
    return Finding("error", error.path, error.line, kind, error.about, error.message, error.hint)


# --- GDPR completeness ------------------------------------------------------------------------


def _gdpr(statement: Statement, source: SourceFiles) -> tuple[tuple[Coverage, ...], list[Finding]]:
    listed = disclosures()
    known = [d.id for d in listed]
    first = statement.translations[0]
    evidence, unreadable = attempt(lambda: statement_evidence(statement))
    evidence = evidence or ()
    findings = [*map(_from_error, unreadable), *_unknown_classes(statement, known)]
    findings += _differing_classes(statement)
    findings += [] if unreadable else _unstated_classes(statement, evidence, listed)
    accepted = _accepted(source, known, findings)
    coverage = []
    for disclosure in listed:
        sections = tuple(s.id for s in first.sections if disclosure.id in s.classes)
        stated = tuple(e for e in evidence if e.disclosure == disclosure.id)
        gap = accepted.get(disclosure.id)
        findings += _coverage_findings(disclosure, sections, stated, gap, first, source)
        reason = None if sections or stated or not gap else gap[0]
        coverage.append(Coverage(disclosure, sections, reason, stated))
    return tuple(coverage), findings


def _accepted(source: SourceFiles, known: list[str], findings: list[Finding]) -> dict:
    """[accepted_gaps]: disclosure -> (reason, line); a gap for no disclosure is a finding."""
    gaps, _ = attempt(lambda: accepted_gaps(source))  # a malformed table is a build error
    accepted = {}
    for gap_id, reason, line in gaps or ():
        if gap_id in known:
            accepted[gap_id] = (reason, line)
        else:
            findings.append(_unknown(source.path("statement.toml"), line, gap_id, known))
    return accepted


def _coverage_findings(
    disclosure: Disclosure,
    sections: tuple[str, ...],
    stated: tuple[Evidence, ...],
    gap: tuple[str, int | None] | None,
    first: Translation,
    source: SourceFiles,
) -> list[Finding]:
    did, toml = disclosure.id, source.path("statement.toml")
    about = f"'{did}' ({disclosure.label('en')}; GDPR art. {disclosure.article})"
    if gap and (sections or stated):
        message = f"the gap {about} is accepted, but the statement covers it ({_covered_by(sections, stated)})"
        hint = f"remove {did} from [accepted_gaps] in statement.toml"
        return [Finding("warning", toml, gap[1], "gap-covered", did, message, hint, stated)]
    if gap:
        message = f"no section covers {about}; accepted: {gap[0]}"
        hint = "nothing to do while the reason holds; remove the line from [accepted_gaps] when it no longer does"
        return [Finding("accepted", toml, gap[1], "accepted-gap", did, message, hint)]
    if sections or stated:
        return []
    return [_missing(disclosure, first)]


def _missing(disclosure: Disclosure, first: Translation) -> Finding:
    did, article = disclosure.id, disclosure.article
    hint = (
        f"add a section, or a sentence to a section, that tells people {disclosure.asks}, in "
        f"every language (check finds it by its words; the line given is the title's, as what is "
        f"missing belongs to the whole statement), or add .{did} to the heading of the section that "
        f"does, in each language: ## Heading {{#id .{did}}}; if it truly does not apply, accept "
        f'the gap in statement.toml with the reason: [accepted_gaps] {did} = "…"'
    )
    line = first.title_line  # no one section is wrong: the statement as a whole leaves it out
    if disclosure.always:
        message = f"no section tells people {disclosure.asks}, as the GDPR requires of every privacy statement (art. {article}: {did})"
        return Finding("error", first.path, line, "missing-disclosure", did, message, hint)
    message = f"no section tells people {disclosure.asks}, as the GDPR requires {disclosure.when} (art. {article}: {did})"
    return Finding("warning", first.path, line, "conditional-disclosure", did, message, hint)


def _covered_by(sections: tuple[str, ...], stated: tuple[Evidence, ...]) -> str:
    """Each section that declares or states it: '#rights: declared, says "inzage"'."""
    parts = {section: ["declared"] for section in sections}
    for found in _first_per_section(stated):
        parts.setdefault(found.section, []).append(f'says "{found.words}"')
    return "; ".join(f"#{section}: {', '.join(how)}" for section, how in parts.items())


def _first_per_section(evidence: tuple[Evidence, ...]) -> list[Evidence]:
    """One piece of evidence per section: the first language's (the source's, when it has a
    word list)."""
    first: dict[str, Evidence] = {}
    for found in evidence:
        first.setdefault(found.section, found)
    return list(first.values())


def _unstated_classes(
    statement: Statement, evidence: tuple[Evidence, ...], listed: tuple[Disclosure, ...]
) -> list[Finding]:
    """Headings that declare what their text does not seem to say: a class does not silence the
    check. Only where some language has a word list to read the text with."""
    if not any(t.lang in word_lists() for t in statement.translations):
        return []
    stated = {(e.disclosure, e.section) for e in evidence}
    first, by_id = statement.translations[0], {d.id: d for d in listed}
    return [
        _unstated(first, section.id, section.line, by_id[name])
        for section in first.sections
        for name in section.classes
        if name in by_id and (name, section.id) not in stated
    ]


def _unstated(first: Translation, section_id: str, line: int, disclosure: Disclosure) -> Finding:
    did = disclosure.id
    message = f"the heading of #{section_id} declares '{did}', but its text does not seem to tell people {disclosure.asks}"
    hint = (
        f"say it in the text of #{section_id} in every language, or move .{did} to the heading "
        f"of the section that does; if the text says it in words check does not know, add them "
        f"to the word list (generator/data/disclosure-words/)"
    )
    return Finding("warning", first.path, line, "declared-not-stated", did, message, hint)


def _unknown_classes(statement: Statement, known: list[str]) -> list[Finding]:
    return [
        _unknown(translation.path, section.line, name, known)
        for translation in statement.translations
        for section in translation.sections
        for name in section.classes
        if name not in known
    ]


def _unknown(path: Path, line: int | None, name: str, known: list[str]) -> Finding:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(known)}"
    message = f"'{name}' is not one of the GDPR disclosures"
    return Finding("error", path, line, "unknown-disclosure", name, message, hint)


def _differing_classes(statement: Statement) -> list[Finding]:
    first, findings = statement.translations[0], []
    for translation in statement.translations[1:]:
        for section in translation.sections:
            expected = first.section(section.id).classes
            if set(section.classes) != set(expected):
                shown = " ".join(f".{name}" for name in expected) or "no classes"
                message = f"the heading of #{section.id} declares other disclosures than in {first.path.name}"
                hint = f"give it the same classes in every language: {shown}"
                findings.append(
                    Finding(
                        "error",
                        translation.path,
                        section.line,
                        "disclosures-differ",
                        section.id,
                        message,
                        hint,
                    )
                )
    return findings


# --- facts ----------------------------------------------------------------------------------


def _unused_facts(statement: Statement, root: Path, source: SourceFiles) -> list[Finding]:
    used = set()
    for translation in statement.translations:
        text = source.text(f"{translation.lang}.md", translation.path.name)
        used |= {name for name in FACT.findall(text)}
    templates = defaults.files(defaults.folders(root, defaults.TEMPLATES), "**/*")
    for template in [path for name, path in templates.items() if name.endswith((".html", ".xml"))]:
        for found in TEMPLATE_FACT.finditer(template.read_text(encoding="utf-8")):
            used.add(found.group(1) or found.group(2))
    path = source.path("statement.toml")
    return [
        Finding(
            "warning",
            path,
            setting_line(source, name, "facts"),
            "unused-fact",
            name,
            f"the fact '{name}' is used nowhere",
            f"write {{{{{name}}}}} where the text needs it, or remove it from [facts]",
        )
        for name, _ in statement.settings.facts
        if name not in used
    ]


# --- what the history says ----------------------------------------------------------------------


def _versions(
    root: Path, history: History | None
) -> tuple[tuple[Version, ...], tuple[Version, ...]]:
    """The versions with the draft of the next one, and the committed ones only."""
    if history is None:
        return (), ()
    folder = root / "statement"
    versions, _ = attempt(lambda: versions_of(folder, history))
    if not history.dirty:
        return versions or (), versions or ()
    committed, _ = attempt(lambda: versions_of(folder, dataclasses.replace(history, dirty=False)))
    return versions or (), committed or ()


def _build_day(statement: Statement, today: date | None) -> date:
    """The build's day; a SOURCE_DATE_EPOCH that is no time is the build's finding, and leaves
    no day to tell an upcoming version by (date.max: none is)."""
    from .timeline import build_day

    day, _ = attempt(lambda: build_day(statement.settings.timezone, today))
    return day or date.max


def _history_findings(
    versions: tuple[Version, ...], committed: tuple[Version, ...], statement: Statement, today: date
) -> list[Finding]:
    findings = _stale(versions[-1], statement) if versions else []
    if versions and versions[-1].draft and committed:
        findings += _undated_changes(committed[-1], statement)
    settings = statement.translations[0].path.parent / "statement.toml"
    upcoming = [v for v in committed if v.date > today]  # one in force is history, not a typo
    return findings + [f for v in upcoming if (f := _far_ahead(v, settings))]


def _far_ahead(version: Version, settings: Path) -> Finding | None:
    """An upcoming version dated more than a year after its first commit: most often a mistyped
    year, committed past release's and commit's question (with plain git)."""
    first = version.commits[0] if version.commits else None
    if first is None or first.committed is None:
        return None
    day = first.committed.date()
    if version.date <= day + FAR_AHEAD:
        return None
    wrong = version.date.isoformat()
    message = f"the version of {wrong} takes effect more than a year after it was committed, on {day.isoformat()}: is the year right?"
    hint = (
        f"if it is wrong, add the line '{first.id[:7]} {wrong} <right date> <reason>' to "
        "statement/corrections and set the right date in statement.toml; if it is right, nothing"
    )
    return Finding("warning", settings, None, "far-ahead", wrong, message, hint)


def _standing(
    root: Path, history: History | None, committed: tuple[Version, ...]
) -> tuple[str | None, set]:
    """The date of the last committed version, and what the check finds in it: the findings an
    editor's changes since did not bring."""
    if not committed or history is None or not history.revisions:
        return None, set()
    last, head = committed[-1], history.revisions[-1]
    source = SourceFiles(root / "statement", history.files(head), head.short)
    _, found = _statement_findings(last.statement, source, root)
    found += _stale(last, last.statement)
    return last.date.isoformat(), {finding.key for finding in found}


def _stale(version: Version, statement: Statement) -> list[Finding]:
    source = statement.translations[0]
    findings = []
    for lang, section_id in sorted(version.stale):
        translation = statement.translation(lang)
        section = translation.section(section_id)
        message = f"#{section_id} changed in {source.path.name} after its translation in {translation.path.name}"
        hint = (
            f"bring the {lang} text of '{section.heading}' in line with "
            f"'{source.section(section_id).heading}' in {source.path.name}, and commit both"
        )
        findings.append(
            Finding(
                "warning",
                translation.path,
                section.line,
                "stale-translation",
                section_id,
                message,
                hint,
            )
        )
    return findings


def _undated_changes(committed: Version, statement: Statement) -> list[Finding]:
    """Uncommitted new words under the last version's date: the build refuses them once
    committed, unless the commit is marked editorial."""
    if committed.date != statement.settings.effective:
        return []
    before, now = said(committed.statement), said(statement)
    day = statement.settings.effective.isoformat()
    findings = []
    for lang, section_id in sorted(
        k for k in before.keys() | now.keys() if before.get(k) != now.get(k)
    ):
        translation = statement.translation(lang)
        section = translation.by_id.get(section_id)  # the introduction too
        message = f"#{section_id} says something new, but the date is still {day}"
        hint = (
            f"for a new version, run {to_type('release --date YYYY-MM-DD')}; for a typo fix that "
            f'changes no meaning, commit it with {to_type("commit --editorial")} "<reason>"'
        )
        findings.append(
            Finding(
                "warning",
                translation.path,
                section.line if section else None,
                "undated-change",
                section_id,
                message,
                hint,
            )
        )
    return findings


# --- the report -------------------------------------------------------------------------------


def as_text(report: Report, root: Path, verbose: bool = False) -> str:
    """The report as an editor reads it: what is new first, what was there before after, one
    line each, then a line that sums up; --verbose adds each fix and every disclosure's
    evidence."""
    lines = []
    for title, found in _groups(report):
        lines += [title, *(_line(f, root, verbose) for f in found)]
    if verbose and report.coverage:
        lines += ["GDPR disclosures (Articles 13 and 14), and where the statement makes them:"]
        lines += [_coverage_line(c, report.source_language) for c in report.coverage]
    lines.append(_verdict(report, verbose))
    return "\n".join(lines)


def _groups(report: Report) -> list[tuple[str, list[Finding]]]:
    if report.baseline is None:  # nothing to compare with: one list
        return (
            [(f"Findings ({len(report.findings)}):", list(report.findings))]
            if report.findings
            else []
        )
    since = f"the version of {report.baseline} as committed"
    new = [f for f in report.findings if f.new]
    standing = [f for f in report.findings if not f.new]
    groups = [
        (f"New since {since} ({len(new)}):", new),
        (f"Standing, as in {since} ({len(standing)}):", standing),
    ]
    return [(title, found) for title, found in groups if found]


def _line(finding: Finding, root: Path, verbose: bool) -> str:
    line = f"  {finding.severity:<8} {finding.where(root)}: {finding.message}"
    return f"{line}\n           fix: {finding.hint}" if verbose else line


def _coverage_line(coverage: Coverage, lang: str) -> str:
    disclosure = coverage.disclosure
    if coverage.sections or coverage.evidence:
        status = _covered_by(coverage.sections, _preferring(coverage.evidence, lang))
    elif coverage.accepted:
        status = "accepted gap"
    else:
        status = "MISSING" if disclosure.always else f"not covered (required {disclosure.when})"
    return f"  {disclosure.id:<22} {disclosure.label(lang)}: {status}"


def _preferring(evidence: tuple[Evidence, ...], lang: str) -> tuple[Evidence, ...]:
    """The evidence with the given language's first."""
    return tuple(sorted(evidence, key=lambda e: e.lang != lang))


def _verdict(report: Report, verbose: bool) -> str:
    counts = {s: sum(f.severity == s for f in report.findings) for s in SEVERITIES}
    said_counts = f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['accepted']} accepted gap(s)"
    if report.baseline is not None:
        said_counts += f", {sum(f.new for f in report.findings)} new"
    more = (
        "" if verbose else f"; {to_type('check --verbose')} shows how to fix each, and the evidence"
    )
    if report.to_fix:
        return f"{said_counts}: the statement is not ready to publish{more}."
    return f"{said_counts}: nothing to fix."


def as_json(report: Report, root: Path) -> str:
    """The report for CI: the findings, each with kind, id, file, line, message, severity, fix,
    whether it is new and its evidence; every disclosure with where it is declared and stated."""
    return json.dumps(
        {
            "findings": [_finding_json(f, root) for f in report.findings],
            "disclosures": [_coverage_json(c, root) for c in report.coverage],
            "compared_with": report.baseline,
        },
        ensure_ascii=False,
        indent=2,
    )


def _finding_json(finding: Finding, root: Path) -> dict:
    where = finding.where(root)
    return {
        "kind": finding.kind,
        "id": finding.id,
        "file": where.rsplit(":", 1)[0] if finding.line else where,
        "line": finding.line,
        "message": finding.message,
        "severity": finding.severity,
        "fix": finding.hint,
        "new": finding.new,
        "evidence": [evidence_json(e, root) for e in finding.evidence],
    }


def _coverage_json(coverage: Coverage, root: Path) -> dict:
    disclosure = coverage.disclosure
    return {
        "id": disclosure.id,
        "article": disclosure.article,
        "required": disclosure.when,
        "status": coverage.status,
        "declared_by": list(coverage.sections),
        "evidence": [evidence_json(e, root) for e in coverage.evidence],
        "accepted": coverage.accepted,
    }


def evidence_json(evidence: Evidence, root: Path) -> dict:
    return {
        "language": evidence.lang,
        "section": evidence.section,
        "file": StatementError(evidence.path, None, "", "").where(root),
        "line": evidence.line,
        "words": evidence.words,
        "phrase": evidence.phrase,
    }
