"""`statement release` and `statement diff` on real git histories, as an editor runs them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_build
from repos import StatementRepo, make_repo

from generator.cli import main

RETENTION_NL = "niet langer dan nodig"
RETENTION_NL_NEW = "uiterlijk twee jaar en niet langer dan nodig"


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def run(repo: StatementRepo, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [args[0], "--root", str(repo.root), *args[1:]])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def settings(repo: StatementRepo) -> dict:
    return tomllib.loads((repo.statement / "statement.toml").read_text(encoding="utf-8"))


def test_release_sets_the_date_resets_the_summary_and_lists_the_changes(repo) -> None:
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    code, out, _ = run(repo, "release", "--date", "2022-03-01")
    assert code == 0
    assert settings(repo)["effective"].isoformat() == "2022-03-01"
    assert settings(repo)["summary"] == {
        "nl": "FILL IN: what changed in this version, in Dutch",
        "en": "FILL IN: what changed in this version, in English",
    }
    assert "What changed since the version of 2021-02-23:" in out
    assert "  [nl] #retention (changed): Bewaartermijn" in out
    assert "[en]" not in out  # the English text has not followed yet


def test_release_keeps_the_editors_comments(repo) -> None:
    before = (repo.statement / "statement.toml").read_text(encoding="utf-8")
    assert run(repo, "release", "--date", "2022-03-01")[0] == 0
    after = (repo.statement / "statement.toml").read_text(encoding="utf-8")
    comments = [line for line in before.split("\n") if line.startswith("#")]
    assert comments == [line for line in after.split("\n") if line.startswith("#")]
    assert settings(repo)["accepted_gaps"] == tomllib.loads(before)["accepted_gaps"]


def test_the_build_refuses_the_placeholder_until_the_summary_is_written(repo) -> None:
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    run(repo, "release", "--date", "2022-03-01")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert "the nl summary is still the placeholder `statement release` wrote" in result.stderr
    assert "the en summary is still the placeholder" in result.stderr
    repo.new_version("2022-03-01", "Bewaartermijn van twee jaar.", "A retention of two years.")
    assert run_build(repo.root).exit_code == 0


@pytest.mark.parametrize("day", ["2021-02-23", "2020-12-31"])
def test_release_refuses_a_date_not_after_the_current_version(repo, day: str) -> None:
    before = (repo.statement / "statement.toml").read_bytes()
    code, _, err = run(repo, "release", "--date", day)
    assert code == 1
    assert (
        f"statement/statement.toml:5: the date {day} is not after the current version's, 2021-02-23"
        in err
    )
    assert "fix: choose a later date: statement release --date 2021-02-24" in err
    assert "Traceback" not in err
    assert (repo.statement / "statement.toml").read_bytes() == before


def test_release_refuses_a_date_that_does_not_exist(repo) -> None:
    code, _, err = run(repo, "release", "--date", "2022-02-30")
    assert code == 2 and "'2022-02-30' does not match the format" in err


def test_release_refuses_while_the_text_has_a_mistake(repo) -> None:
    repo.edit("en.md", "no. {{publisher.registration.number}}", "no. {{kvk_number}}")
    before = (repo.statement / "statement.toml").read_bytes()
    code, _, err = run(repo, "release", "--date", "2022-03-01")
    assert code == 1 and "statement/en.md:5: unknown fact {{kvk_number}}" in err
    assert (repo.statement / "statement.toml").read_bytes() == before


def test_diff_shows_the_words_changed_since_the_last_version(repo) -> None:
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    code, out, _ = run(repo, "diff")
    assert code == 0
    assert "Changes from the version of 2021-02-23 to the text being edited:" in out
    assert "[nl] #retention (changed): Bewaartermijn" in out
    assert "Wij bewaren uw persoonsgegevens {+uiterlijk twee jaar en+} niet langer" in out
    assert "#controller" not in out


def test_diff_between_two_committed_versions(repo) -> None:
    repo.new_version("2022-03-01", "Bewaartermijn van twee jaar.", "A retention of two years.")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    repo.commit("Version of 1 March 2022")
    repo.edit("nl.md", "Bewaartermijn {#", "Bewaren {#")  # not part of either version
    code, out, _ = run(repo, "diff", "2021-02-23", "2022-03-01")
    assert code == 0
    assert "to the version of 2022-03-01:" in out
    assert "[nl] #retention (changed): Bewaartermijn" in out and "Bewaren" not in out
    assert "De laatste versie dateert van [-23 februari 2021.-] {+1 maart 2022.+}" in out


def test_diff_names_the_versions_there_are(repo) -> None:
    code, _, err = run(repo, "diff", "2021-03-01")
    assert code == 1
    assert "statement: there is no version of 2021-03-01" in err
    assert "fix: name a version by its date: 2021-02-23" in err
