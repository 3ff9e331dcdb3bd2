"""`statement check`: what the build refuses, and what the law and good sense ask beyond it.

Beyond the build's own validations: the disclosures Articles 13 and 14 of the GDPR require,
translations behind the source, changes that keep the old date, and facts used nowhere. Nothing
is written: the site is made in memory, and only `statement serve` shows it.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import defaults
from .build import CACHE, make_site
from .config import accepted_gaps, setting_line, settings_from
from .errors import StatementError, attempt
from .files import SourceFiles
from .history import History, read_history
from .model import Site, Statement, Translation, Version
from .source import FACT, statement_from
from .versions import EDITORIAL_FILE, said, versions_of

SEVERITIES = {
    "error": "Errors: fix these before publishing",
    "warning": "Warnings: look at these and fix them",
    "accepted": "Accepted gaps: left out on purpose, for the reason given",
}

# Every kind of finding, in the words the guide uses; the guide explains each one.
KINDS = {
    "settings": "statement.toml cannot be used as it is",
    "text": "a language's Markdown breaks a rule of the source format",
    "broken-link": "a link to a section, #id, goes to no section",
    "history": "the history in git breaks a rule of versions and dates",
    "catalog": "the page's own words in locales/ are missing or untranslated",
    "build": "something else stopped the build",
    "missing-disclosure": "no section tells people something the GDPR always requires",
    "conditional-disclosure": "no section covers a disclosure the GDPR requires in some cases",
    "accepted-gap": "a disclosure left out on purpose, with the reason in statement.toml",
    "gap-covered": "a gap accepted in statement.toml that a section covers after all",
    "unknown-disclosure": "a heading or [accepted_gaps] names a disclosure that does not exist",
    "disclosures-differ": "a translation's heading declares other disclosures than the source's",
    "stale-translation": "a translated section is behind a later change of the source text",
    "undated-change": "uncommitted changes to what the statement says under the current date",
    "unused-fact": "a fact in statement.toml that no text uses",
}
BROKEN_LINK = re.compile(r"the link #(\S+) goes to no section")  # the reader's message
TEMPLATE_FACT = re.compile(r"\bfacts\.([a-z][a-z0-9_]*)|\bfacts\[['\"]([a-z][a-z0-9_]*)")


@dataclass(frozen=True)
class Disclosure:
    """One thing Articles 13 and 14 require a privacy statement to tell people."""

    id: str  # the class a section heading declares: {#rights .right_access}
    article: str
    when: str  # "always", or the case in which it applies
    labels: tuple[tuple[str, str], ...]  # (language, short label)

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

    def where(self, root: Path) -> str:
        return StatementError(self.path, self.line, "", "").where(root)

    @property
    def order(self) -> tuple:
        rank = list(SEVERITIES).index(self.severity)
        return rank, str(self.path), self.line or 0, self.kind, self.id or "", self.message


@dataclass(frozen=True)
class Coverage:
    """A disclosure, the sections that make it (source language ids), or why none does."""

    disclosure: Disclosure
    sections: tuple[str, ...]
    accepted: str | None  # the written reason of an accepted gap


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    coverage: tuple[Coverage, ...]  # empty when the text could not be read
    source_language: str = "en"

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
        Disclosure(key, entry["article"], entry["when"], (("nl", entry["nl"]), ("en", entry["en"])))
        for key, entry in tomllib.loads(text).items()
    )


def examine(root: Path, cache: Path | None = None) -> Examined:
    """Build the site in memory and check the statement; every finding, whatever fails."""
    cache = cache or root / CACHE
    site, errors = attempt(lambda: make_site(root, cache=cache))
    findings = [_from_error(error) for error in errors]
    source = SourceFiles(root / "statement")
    statement, _ = attempt(lambda: statement_from(source, settings_from(source, placeholders=True)))
    coverage: tuple[Coverage, ...] = ()
    if statement is not None:  # when it is None, the build's errors say why
        coverage, gdpr = _gdpr(statement, source)
        findings += gdpr
        findings += _unused_facts(statement, root, source)
        findings += _history_findings(root, cache, statement)
    language = statement.settings.source_language if statement else "en"
    found = tuple(sorted(set(findings), key=lambda f: f.order))
    return Examined(site, Report(found, coverage, language))


# --- the build's own problems ---------------------------------------------------------------


def _from_error(error: StatementError) -> Finding:
    kind = _kind_of(error)
    link = BROKEN_LINK.match(error.message) if error.path.name.endswith(".md") else None
    kind, found_id = ("broken-link", link.group(1)) if link else (kind, None)
    return Finding("error", error.path, error.line, kind, found_id, error.message, error.hint)


def _kind_of(error: StatementError) -> str:
    name = error.path.name
    if "(commit " in name or name in (EDITORIAL_FILE, "statement"):
        return "history"
    if name == "statement.toml":
        return "settings"
    if name.endswith(".md"):
        return "text"
    if name.endswith((".po", ".pot")) or "locales" in error.path.parts:
        return "catalog"
    return "build"


# --- GDPR completeness ------------------------------------------------------------------------


def _gdpr(statement: Statement, source: SourceFiles) -> tuple[tuple[Coverage, ...], list[Finding]]:
    listed = disclosures()
    known = [d.id for d in listed]
    first = statement.translations[0]
    findings = [*_unknown_classes(statement, known), *_differing_classes(statement)]
    gaps, _ = attempt(lambda: accepted_gaps(source))  # a malformed table is a build error
    accepted = {}
    for gap_id, reason, line in gaps or ():
        if gap_id in known:
            accepted[gap_id] = (reason, line)
        else:
            findings.append(_unknown(source.path("statement.toml"), line, gap_id, known))
    coverage = []
    for disclosure in listed:
        sections = tuple(s.id for s in first.sections if disclosure.id in s.classes)
        gap = accepted.get(disclosure.id)
        findings += _coverage_findings(disclosure, sections, gap, first, source)
        coverage.append(Coverage(disclosure, sections, None if sections or not gap else gap[0]))
    return tuple(coverage), findings


def _coverage_findings(
    disclosure: Disclosure,
    sections: tuple[str, ...],
    gap: tuple[str, int | None] | None,
    first: Translation,
    source: SourceFiles,
) -> list[Finding]:
    did, toml = disclosure.id, source.path("statement.toml")
    about = f"'{did}' ({disclosure.label('en')}; GDPR art. {disclosure.article})"
    if gap and sections:
        message = f"the gap {about} is accepted, but section(s) {_ids(sections)} cover it"
        hint = f"remove {did} from [accepted_gaps] in statement.toml"
        return [Finding("warning", toml, gap[1], "gap-covered", did, message, hint)]
    if gap:
        message = f"no section covers {about}; accepted: {gap[0]}"
        hint = "nothing to do while the reason holds; remove the line from [accepted_gaps] when it no longer does"
        return [Finding("accepted", toml, gap[1], "accepted-gap", did, message, hint)]
    if sections:
        return []
    hint = (
        f"tell people this in a section, in every language, and add .{did} to that section's "
        f"heading in each language: ## Heading {{#id .{did}}}; if it truly does not apply, "
        f'accept the gap in statement.toml with the reason: [accepted_gaps] {did} = "…"'
    )
    if disclosure.always:
        message = f"no section covers {about}, which every privacy statement must give"
        return [Finding("error", first.path, None, "missing-disclosure", did, message, hint)]
    message = f"no section covers {about}, required {disclosure.when}"
    return [Finding("warning", first.path, None, "conditional-disclosure", did, message, hint)]


def _ids(sections: tuple[str, ...]) -> str:
    return ", ".join(f"#{section}" for section in sections)


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
        text = translation.path.read_text(encoding="utf-8-sig")
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


def _history_findings(root: Path, cache: Path, statement: Statement) -> list[Finding]:
    history = read_history(root, cache / "history.json")
    folder = root / "statement"
    versions, _ = attempt(lambda: versions_of(folder, history))
    findings = _stale(versions[-1], statement) if versions else []
    if history is not None and history.dirty and history.revisions:
        findings += _undated_changes(folder, history, statement)
    return findings


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


def _undated_changes(folder: Path, history: History, statement: Statement) -> list[Finding]:
    """Uncommitted new words under the last version's date: the build refuses them once
    committed, unless the commit is marked editorial."""
    committed, _ = attempt(lambda: versions_of(folder, dataclasses.replace(history, dirty=False)))
    if not committed or committed[-1].date != statement.settings.effective:
        return []
    before, now = said(committed[-1].statement), said(statement)
    day = statement.settings.effective.isoformat()
    findings = []
    for lang, section_id in sorted(
        k for k in before.keys() | now.keys() if before.get(k) != now.get(k)
    ):
        translation = statement.translation(lang)
        section = next((s for s in translation.sections if s.id == section_id), None)
        message = f"#{section_id} says something new, but the date is still {day}"
        hint = (
            "for a new version, run statement release --date YYYY-MM-DD; for a typo fix that "
            "changes no meaning, commit it with the trailer 'Editorial: <reason>'"
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


def as_text(report: Report, root: Path) -> str:
    """The report as an editor reads it: by severity, then what each disclosure is covered by."""
    lines = []
    for severity, title in SEVERITIES.items():
        found = [f for f in report.findings if f.severity == severity]
        if found:
            lines += [f"{title} ({len(found)})", ""]
            lines += [f"  {f.where(root)}: {f.message}\n      fix: {f.hint}" for f in found]
            lines.append("")
    if report.coverage:
        lines += ["GDPR disclosures (Articles 13 and 14), and the sections that give them", ""]
        lines += [_coverage_line(c, report.source_language) for c in report.coverage]
        lines.append("")
    lines.append(_verdict(report))
    return "\n".join(lines)


def _coverage_line(coverage: Coverage, lang: str) -> str:
    disclosure = coverage.disclosure
    if coverage.sections:
        status = _ids(coverage.sections)
    elif coverage.accepted:
        status = "accepted gap"
    else:
        status = "MISSING" if disclosure.always else f"not covered (required {disclosure.when})"
    return f"  {disclosure.id:<22} {disclosure.label(lang)}: {status}"


def _verdict(report: Report) -> str:
    counts = {s: sum(f.severity == s for f in report.findings) for s in SEVERITIES}
    said_counts = f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['accepted']} accepted gap(s)"
    if report.to_fix:
        return f"{said_counts}: the statement is not ready to publish."
    return f"{said_counts}: nothing to fix."


def as_json(report: Report, root: Path) -> str:
    """The findings for CI: a list, each with kind, id, file, line, message, severity and fix."""
    return json.dumps(
        [
            {
                "kind": f.kind,
                "id": f.id,
                "file": f.where(root).rsplit(":", 1)[0] if f.line else f.where(root),
                "line": f.line,
                "message": f.message,
                "severity": f.severity,
                "fix": f.hint,
            }
            for f in report.findings
        ],
        ensure_ascii=False,
        indent=2,
    )
