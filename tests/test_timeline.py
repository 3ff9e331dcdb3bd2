"""Honest time, on real git histories: the day a build is for, upcoming versions, backdating, and
archived versions with the days they were in force and the corrections made after."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_build, site_files
from repos import StatementRepo, make_repo
from test_versions import RETENTION_EN, RETENTION_EN_NEW, RETENTION_NL, RETENTION_NL_NEW

from generator.cli import main
from generator.timeline import build_day

NO_PDF = ["--no-pdf"]


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def new_version(repo: StatementRepo, day: str, committed: str, message: str = "") -> str:
    """A version of `day` that tightens the retention period, committed at `committed`."""
    repo.new_version(day, "Bewaartermijn aangescherpt.", "Retention period tightened.")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    repo.edit("en.md", RETENTION_EN, RETENTION_EN_NEW)
    return repo.commit(message or f"Version of {day}", when=committed)


def build_for(repo: StatementRepo, today: str | None, out: str = "site", pdf: bool = False):
    extra = [] if pdf else NO_PDF
    extra += ["--today", today] if today else []
    return run_build(repo.root, repo.root / out, extra=extra)


def page(repo: StatementRepo, path: str, out: str = "site") -> str:
    return (repo.root / out / path).read_text(encoding="utf-8")


def index(repo: StatementRepo) -> dict:
    return json.loads(page(repo, "statement.json"))


# --- the day ---------------------------------------------------------------------------------


def test_the_day_is_given_else_source_date_epoch_else_the_clock_in_the_zone() -> None:
    given = datetime.date(2026, 11, 29)
    assert build_day("Europe/Amsterdam", given, {"SOURCE_DATE_EPOCH": "0"}) == given
    # 2026-12-31 23:30 UTC is already New Year's Day in Amsterdam, and not yet in New York
    epoch = {"SOURCE_DATE_EPOCH": "1798759800"}
    assert build_day("Europe/Amsterdam", None, epoch) == datetime.date(2027, 1, 1)
    assert build_day("America/New_York", None, epoch) == datetime.date(2026, 12, 31)
    now = datetime.datetime.now(datetime.UTC)
    clock = build_day("Pacific/Kiritimati", None, {})  # UTC+14: a day ahead of UTC most hours
    assert clock in {now.date(), now.date() + datetime.timedelta(days=1)}


def test_a_source_date_epoch_that_is_no_time_is_refused(repo, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = build_for(repo, None)
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH is not a moment in time: 'yesterday'" in result.stderr
    assert not (repo.root / "site").exists()


def test_the_statements_time_zone_decides_when_a_version_takes_effect(repo, monkeypatch) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798759800")  # 2026-12-31 23:30 UTC
    assert build_for(repo, None).exit_code == 0
    assert index(repo)["current"] == "2027-01-01"  # half past midnight in Amsterdam
    repo.edit(
        "statement.toml", 'source_language = "nl"\n', 'source_language = "nl"\ntimezone = "UTC"\n'
    )
    repo.commit("Days in UTC\n\nEditorial: the statement's days follow UTC")
    assert build_for(repo, None).exit_code == 0
    assert index(repo)["current"] == "2021-02-23"  # still the old year in UTC


def test_the_same_source_on_the_same_day_gives_the_same_bytes(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2026-12-01", "one").exit_code == 0
    assert build_for(repo, "2026-12-01", "two").exit_code == 0
    assert build_for(repo, "2027-01-01", "three").exit_code == 0
    one, two = site_files(repo.root / "one"), site_files(repo.root / "two")
    assert one == two
    assert one != site_files(repo.root / "three")  # the day it takes effect, the site changes


# --- backdating -------------------------------------------------------------------------------


def test_a_version_dated_before_the_day_it_was_committed_is_refused(repo) -> None:
    commit = new_version(repo, "2022-03-01", "2022-05-10T09:00:00+02:00")
    result = build_for(repo, "2022-06-01")
    assert result.exit_code == 1
    assert (
        f"statement/statement.toml (commit {commit[:7]}): commit {commit[:7]} dates a new version "
        "2022-03-01, before the day it was committed, 2022-05-10" in result.stderr
    )
    assert "'Backdated: <reason>'" in result.stderr
    assert not (repo.root / "site").exists()


def test_a_backdated_version_with_its_reason_is_published(repo) -> None:
    message = "Version of 1 March 2022\n\nBackdated: the board decided on 1 March; published late"
    new_version(repo, "2022-03-01", "2022-05-10T09:00:00+02:00", message)
    assert build_for(repo, "2022-06-01").exit_code == 0
    assert index(repo)["current"] == "2022-03-01"


def test_a_shared_backdated_version_is_mended_by_a_next_commit_with_the_reason(repo) -> None:
    new_version(repo, "2022-03-01", "2022-05-10T09:00:00+02:00")
    assert build_for(repo, "2022-06-01").exit_code == 1
    repo.edit("statement.toml", "[summary]", "# Backdated: see the commit message\n[summary]")
    repo.commit(
        "Why 1 March\n\nBackdated: the board decided on 1 March", "2022-05-11T09:00:00+02:00"
    )
    assert build_for(repo, "2022-06-01").exit_code == 0


def test_a_version_committed_on_its_own_day_is_not_backdated(repo) -> None:
    # 00:30 on 1 March in Amsterdam is still 28 February in UTC, the committer's zone
    new_version(repo, "2022-03-01", "2022-02-28T23:30:00+00:00")
    assert build_for(repo, "2022-03-01").exit_code == 0


def test_the_first_version_may_be_older_than_its_history(repo) -> None:
    # a statement in force since 2021, first committed here years later, as this project's was
    repo.git("commit", "--amend", "-q", "--no-edit", when="2026-11-25T15:00:00+01:00")
    assert build_for(repo, "2026-11-29").exit_code == 0
    assert index(repo)["current"] == "2021-02-23"


def test_release_with_a_past_date_says_the_commit_needs_its_reason(repo) -> None:
    result = CliRunner().invoke(
        main, ["release", "--root", str(repo.root), "--date", "2022-03-01", "--today", "2022-05-10"]
    )
    assert result.exit_code == 0, result.stderr
    assert "2022-03-01 is before today, 2022-05-10" in result.stderr
    assert "Backdated: <reason>" in result.stderr
    later = CliRunner().invoke(
        main, ["release", "--root", str(repo.root), "--date", "2022-06-01", "--today", "2022-05-10"]
    )
    assert later.exit_code == 0 and "Backdated" not in later.stderr
