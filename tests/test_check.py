"""`statement check` through the command line, on copies of the real statement and real git
histories: what it finds, where it points, and its exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED_CACHE, edit
from repos import StatementRepo, make_repo

from generator.check import KINDS, disclosures
from generator.cli import main

ALWAYS_MISSING_IN_EMS = {"complaint", "right_portability", "automated_decisions"}


def check(root: Path, *options: str) -> tuple[int, str]:
    args = ["check", "--root", str(root), "--cache", str(SHARED_CACHE), *options]
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug of ours, never an editor's message
    return result.exit_code, result.stdout


def findings(root: Path) -> list[dict]:
    code, out = check(root, "--format", "json")
    found = json.loads(out)
    assert {f["kind"] for f in found} <= set(KINDS)  # the guide explains every kind
    assert code == (1 if any(f["severity"] != "accepted" for f in found) else 0)
    return found


def of_kind(found: list[dict], kind: str) -> dict[str, dict]:
    return {f["id"]: f for f in found if f["kind"] == kind}


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def tag(project: Path, section_id: str, *classes: str, langs: tuple[str, ...] = ("nl", "en")):
    """Add classes to a section's heading, in the given languages."""
    for lang in langs:
        path = project / "statement" / f"{lang}.md"
        heading = next(
            line
            for line in path.read_text(encoding="utf-8").split("\n")
            if f"{{#{section_id}" in line
        )
        edit(path, heading, heading[:-1] + "".join(f" .{name}" for name in classes) + "}")


def accept(project: Path, **gaps: str) -> None:
    path = project / "statement" / "statement.toml"
    lines = "".join(f'{gap} = "{reason}"\n' for gap, reason in gaps.items())
    edit(path, "[accepted_gaps]\n", "[accepted_gaps]\n" + lines)


def test_the_ems_statement_lacks_the_complaint_right_and_data_portability(project: Path) -> None:
    code, text = check(project)
    assert code == 1
    errors = text.split("Errors:")[1].split("Warnings:")[0]
    assert "'complaint' (Right to lodge a complaint" in errors
    assert "Autoriteit Persoonsgegevens" in errors
    assert "'right_portability' (Right to data portability" in errors
    assert (
        "  complaint              Recht om een klacht in te dienen bij de Autoriteit Persoonsgegevens: MISSING"
        in text
    )
    assert "  right_access           Recht op inzage: #rights" in text
    assert "the statement is not ready to publish" in text.splitlines()[-1]
    missing = of_kind(findings(project), "missing-disclosure")
    assert set(missing) == ALWAYS_MISSING_IN_EMS
    assert missing["complaint"]["file"] == "statement/nl.md"
    assert missing["complaint"]["severity"] == "error"
    assert set(missing["complaint"]) >= {"kind", "id", "file", "line", "message"}


def test_the_repository_statement_is_tagged_the_same_in_both_languages() -> None:
    # the real source, not a copy: its tags must go on reporting the gaps until the text fills them
    found = findings(Path(__file__).resolve().parents[1])
    assert {"complaint", "right_portability"} <= set(of_kind(found, "missing-disclosure"))
    assert of_kind(found, "disclosures-differ") == {}
    assert of_kind(found, "unknown-disclosure") == {}
    assert "dpo_contact" in of_kind(found, "accepted-gap")


def test_a_section_that_declares_a_disclosure_covers_it(project: Path) -> None:
    tag(project, "contact", "complaint")
    found = findings(project)
    assert "complaint" not in of_kind(found, "missing-disclosure")
    _, text = check(project)
    assert "Autoriteit Persoonsgegevens: #contact" in text


def test_a_disclosure_declared_in_one_language_only_is_an_error(project: Path) -> None:
    tag(project, "contact", "complaint", langs=("nl",))
    differ = of_kind(findings(project), "disclosures-differ")
    en = project / "statement" / "en.md"
    assert differ["contact"]["file"] == "statement/en.md"
    assert differ["contact"]["line"] == line_of(en, "{#contact")
    assert ".controller_identity .complaint" in differ["contact"]["fix"]


def test_a_misspelt_disclosure_is_named_with_the_likely_one(project: Path) -> None:
    tag(project, "rights", "right_acces")
    unknown = of_kind(findings(project), "unknown-disclosure")
    assert unknown["right_acces"]["line"] == line_of(project / "statement" / "nl.md", "{#rights")
    assert "did you mean 'right_access'?" in unknown["right_acces"]["fix"]


def test_an_accepted_gap_is_still_shown_with_its_reason(project: Path) -> None:
    accept(project, automated_decisions="EMS takes no decision by automated means alone.")
    found = findings(project)
    accepted = of_kind(found, "accepted-gap")["automated_decisions"]
    toml = project / "statement" / "statement.toml"
    assert accepted["severity"] == "accepted"
    assert accepted["line"] == line_of(toml, "automated_decisions =")
    assert "EMS takes no decision by automated means alone." in accepted["message"]
    assert "automated_decisions" not in of_kind(found, "missing-disclosure")


def test_with_every_gap_filled_or_accepted_there_is_nothing_to_fix(project: Path) -> None:
    tag(project, "contact", "complaint")
    tag(project, "rights", "right_portability")
    accept(
        project,
        automated_decisions="No decision is taken by automated means alone.",
        legitimate_interests="To be written by legal.",
        requirement="To be written by legal.",
    )
    code, text = check(project)
    assert code == 0, text
    assert text.splitlines()[-1] == "0 error(s), 0 warning(s), 4 accepted gap(s): nothing to fix."


def test_an_accepted_gap_that_a_section_covers_is_a_warning(project: Path) -> None:
    accept(project, retention="Kept as long as needed.")
    covered = of_kind(findings(project), "gap-covered")
    assert covered["retention"]["severity"] == "warning"
    assert "#retention" in covered["retention"]["message"]


def test_an_accepted_gap_without_a_reason_stops_the_build_too(project: Path) -> None:
    accept(project, complaint=" ")
    toml = project / "statement" / "statement.toml"
    settings = [f for f in findings(project) if f["kind"] == "settings"]
    assert [(f["line"], f["message"]) for f in settings] == [
        (line_of(toml, "complaint ="), "the accepted gap 'complaint' needs its reason as text")
    ]


def test_a_gap_accepted_for_no_disclosure_is_named(project: Path) -> None:
    accept(project, complaints="typo")
    unknown = of_kind(findings(project), "unknown-disclosure")
    assert unknown["complaints"]["file"] == "statement/statement.toml"
    assert "did you mean 'complaint'?" in unknown["complaints"]["fix"]


def test_a_fact_no_text_uses_is_a_warning(project: Path) -> None:
    toml = project / "statement" / "statement.toml"
    edit(toml, "[facts]\n", '[facts]\nphone = "036 123 45 67"\n')
    unused = of_kind(findings(project), "unused-fact")
    assert set(unused) == {"phone"}
    assert unused["phone"]["line"] == line_of(toml, "phone =")
    number = "{{publisher.registration.number}}"
    edit(project / "statement" / "nl.md", f"KVK {number}.", f"KVK {number}, {{{{phone}}}}.")
    assert of_kind(findings(project), "unused-fact") == {}  # used in one language is used


def test_a_link_to_a_missing_section_is_a_broken_link(project: Path) -> None:
    nl = project / "statement" / "nl.md"
    edit(nl, "niet langer dan nodig", "niet [langer](#bewaren) dan nodig")
    broken = of_kind(findings(project), "broken-link")
    assert broken["bewaren"]["line"] == line_of(nl, "(#bewaren)")
    assert broken["bewaren"]["file"] == "statement/nl.md"


def test_what_stops_the_build_is_reported_and_nothing_is_written(project: Path) -> None:
    edit(
        project / "statement" / "en.md",
        "no. {{publisher.registration.number}}",
        "no. {{kvk_number}}",
    )
    code, text = check(project)
    assert code == 1
    assert "statement/en.md:5: unknown fact {{kvk_number}}" in text
    assert "Traceback" not in text
    assert not (project / "site").exists()


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def test_a_translation_behind_its_source_is_stale(repo: StatementRepo) -> None:
    repo.new_version("2022-03-01", "Bewaartermijn aangescherpt.", "Retention tightened.")
    repo.edit("nl.md", "niet langer dan nodig", "uiterlijk twee jaar en niet langer dan nodig")
    repo.commit("Version of 1 March 2022, the Dutch text only")
    stale = of_kind(findings(repo.root), "stale-translation")
    assert set(stale) == {"retention"}
    assert stale["retention"]["file"] == "statement/en.md"
    assert stale["retention"]["line"] == line_of(repo.statement / "en.md", "{#retention")


def test_new_words_under_the_old_date_are_an_undated_change(repo: StatementRepo) -> None:
    repo.edit("en.md", "We process personal data in various ways", "We process data in many ways")
    undated = of_kind(findings(repo.root), "undated-change")
    assert set(undated) == {"data"}
    assert undated["data"]["line"] == line_of(repo.statement / "en.md", "{#data")
    assert "statement release --date" in undated["data"]["fix"]
    repo.new_version("2022-03-01", "Anders verwoord.", "Reworded.")
    assert of_kind(findings(repo.root), "undated-change") == {}  # a new date: a new version


def test_the_disclosures_are_the_shared_legal_list() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "legal" / "gdpr-disclosures.toml"
    if not shared.is_file():
        pytest.skip("shared/ is not beside the repository")
    import tomllib

    listed = tomllib.loads(shared.read_text(encoding="utf-8"))
    assert [d.id for d in disclosures()] == list(listed)
    assert all(d.always == listed[d.id]["when"].startswith("always") for d in disclosures())
