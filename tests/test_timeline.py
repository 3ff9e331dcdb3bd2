"""Honest time, on real git histories: the day a build is for, upcoming versions, backdating, and
archived versions with the days they were in force and the corrections made after."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import pypdf
import pytest
from click.testing import CliRunner
from conftest import run_build, site_files
from repos import StatementRepo, make_repo
from test_changelog import SCHEMA
from test_pages import (
    AXE,
    AXE_TAGS,
    HEIGHT,
    WIDTHS,
    axe_report,
    browser,  # noqa: F401 - the one browser fixture, shared
    need,
)
from test_versions import RETENTION_EN, RETENTION_EN_NEW, RETENTION_NL, RETENTION_NL_NEW

from generator.cli import main
from generator.serve import Preview
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


def test_the_preview_builds_for_its_day(repo, tmp_path) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    for today, text in (("2026-12-31", RETENTION_EN), ("2027-01-01", RETENTION_EN_NEW)):
        preview = Preview(repo.root, tmp_path / "cache", tmp_path / today, lambda *a, **k: None,
                          datetime.date.fromisoformat(today))  # fmt: skip
        preview.rebuild()
        assert text in (tmp_path / today / "en" / "index.html").read_text(encoding="utf-8")


def test_check_reports_a_source_date_epoch_that_is_no_time(repo, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    checked = CliRunner().invoke(main, ["check", "--root", str(repo.root), "--format", "json"])
    findings = json.loads(checked.stdout)["findings"]
    assert checked.exit_code == 1
    assert any("SOURCE_DATE_EPOCH is not a moment in time" in f["message"] for f in findings)


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
    assert "Last amended" not in page(repo, "en/index.html")  # a comment is no correction


def test_a_version_committed_on_its_own_day_anywhere_is_not_backdated(repo) -> None:
    # 23:30 on 1 March at UTC-11 is already 2 March in Amsterdam: the committer's day counts
    new_version(repo, "2022-03-01", "2022-03-01T23:30:00-11:00")
    assert build_for(repo, "2022-06-01").exit_code == 0
    repo.new_version("2022-07-01", "Nieuw adres.", "New address.")
    repo.commit("Version of 1 July 2022", "2022-07-02T00:30:00+02:00")
    result = build_for(repo, "2022-08-01")
    assert result.exit_code == 1 and "before the day it was committed, 2022-07-02" in result.stderr


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


# --- upcoming versions ------------------------------------------------------------------------


def jing_valid(feed: Path) -> None:
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed: make test installs it (Debian package jing)")
    done = subprocess.run([jing, "-c", str(SCHEMA), str(feed)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_upcoming_version_is_published_and_announced_but_not_yet_current(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2026-11-29").exit_code == 0
    current = page(repo, "en/index.html")
    assert RETENTION_EN in current and RETENTION_EN_NEW not in current
    assert (
        'A new version takes effect on <time datetime="2027-01-01">1 January 2027</time>.'
        in current
    )
    assert 'href="2027-01-01/">Read the new version' in current
    assert 'href="2027-01-01/changes/">See what changes' in current
    in_force = page(repo, "en/2021-02-23/index.html")
    assert "archive-notice" not in in_force and "not the current version" not in in_force
    assert 'href="../2027-01-01/changes/"' in in_force
    upcoming = page(repo, "en/2027-01-01/index.html")
    assert RETENTION_EN_NEW in upcoming and "archive-notice" not in upcoming
    assert (
        'This version takes effect on <time datetime="2027-01-01">1 January 2027</time>.'
        in upcoming
    )
    assert (
        "Until then, the version of <time" in upcoming and 'href="../">Read the version' in upcoming
    )
    assert "Op <time" in page(repo, "nl/index.html")  # in Dutch words too
    assert "1 januari 2027</time> gaat een nieuwe versie in." in page(repo, "nl/index.html")


def test_an_upcoming_version_is_in_the_changelog_feed_and_index(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2026-11-29").exit_code == 0
    versions = index(repo)["versions"]
    assert index(repo)["current"] == "2021-02-23"
    assert [(v["date"], v["upcoming"]) for v in versions] == [
        ("2021-02-23", False),
        ("2027-01-01", True),
    ]
    changelog = page(repo, "en/changelog/index.html")
    entry = changelog[changelog.index('id="version-2027-01-01"') :]
    assert entry.index("Takes effect on") < entry.index('id="version-2021-02-23"')
    assert "In force now." in entry[entry.index('id="version-2021-02-23"') :]
    feed = feedparser.parse(page(repo, "en/feed.xml"))
    assert feed.entries[0].summary == "Takes effect on 1 January 2027. Retention period tightened."
    assert feed.entries[0].published == "2026-11-29T09:00:00Z"
    assert feed.entries[1].summary.startswith("In force from 23 February 2021. ")
    jing_valid(repo.root / "site" / "en" / "feed.xml")


def test_the_pdf_of_an_upcoming_version_says_when_it_takes_effect(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2026-11-29", pdf=True).exit_code == 0
    pdf = repo.root / "site/en/2027-01-01/privacy-statement-ems-nederland-2027-01-01.pdf"
    text = " ".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
    assert "This version takes effect on 1 January 2027. Until then, the version of" in text
    assert "Read the version" not in text  # a link has no use on paper


def test_the_first_build_on_its_day_makes_the_upcoming_version_current(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2027-01-01").exit_code == 0
    current = page(repo, "en/index.html")
    assert RETENTION_EN_NEW in current and "upcoming-notice" not in current
    old = page(repo, "en/2021-02-23/index.html")
    assert "This is not the current version." in old
    assert (
        'It was in force from <time datetime="2021-02-23">23 February 2021</time> to '
        '<time datetime="2026-12-31">31 December 2026</time> inclusive.' in old
    )
    assert index(repo)["current"] == "2027-01-01"
    assert not any(v["upcoming"] for v in index(repo)["versions"])


def test_a_first_statement_published_before_its_day_says_when_it_takes_effect(repo) -> None:
    assert build_for(repo, "2021-02-01").exit_code == 0  # the fixture commits it in January
    current = page(repo, "en/index.html")
    assert "This version takes effect on <time" in current and "Until then" not in current
    assert index(repo)["current"] is None
    assert [v["upcoming"] for v in index(repo)["versions"]] == [True]


# --- archived versions: the days in force, and corrections ------------------------------------


def test_an_archived_version_shows_its_days_and_the_corrections_made_after(repo) -> None:
    new_version(repo, "2022-03-01", "2022-02-01T10:00:00+01:00")
    repo.edit("en.md", "at most two years", "at most 2 years")
    repo.commit("Digits\n\nEditorial: digits before it applies", "2022-02-15T10:00:00+01:00")
    repo.edit("en.md", "at most 2 years", "at most two (2) years")
    repo.commit("Words\n\nEditorial: the number in words too", "2022-04-10T10:00:00+02:00")
    toml = repo.statement / "statement.toml"
    toml.write_text(
        "# a note for the editors\n" + toml.read_text(encoding="utf-8"), encoding="utf-8"
    )
    repo.commit("A comment: the page stays the same", "2022-05-20T10:00:00+02:00")
    repo.edit("statement.toml", "[facts]\n", '[facts]\nphone = "+31 20 000 0000"\n')
    repo.commit("A fact no text quotes\n\nEditorial: for later", "2022-05-21T10:00:00+02:00")
    repo.edit("nl.md", "uiterlijk twee jaar", "uiterlijk twee (2) jaar")
    marked = repo.commit("Ook in cijfers", "2022-06-01T10:00:00+02:00")  # marked in the file
    (repo.statement / "editorial-commits").write_text(f"{marked}\n", encoding="utf-8")
    repo.commit("Mark it editorial", "2022-06-02T10:00:00+02:00")
    repo.new_version("2023-01-01", "Nieuw adres.", "New address.")
    repo.commit("Version of 1 January 2023", "2022-12-01T10:00:00+01:00")
    assert build_for(repo, "2023-06-01").exit_code == 0
    archived = page(repo, "en/2022-03-01/index.html")
    assert "1 June 2022" not in archived  # that correction was of the Dutch text only
    assert (
        'It was in force from <time datetime="2022-03-01">1 March 2022</time> to '
        '<time datetime="2022-12-31">31 December 2022</time> inclusive.' in archived
    )
    assert 'Last amended on <time datetime="2022-04-10">10 April 2022</time>.' in archived
    assert "10 April 2022</time>: the number in words too</li>" in archived
    assert "digits before it applies" not in archived  # corrected before it took effect
    assert "20 May 2022" not in archived  # a comment changes no word: no amendment
    assert "21 May 2022" not in archived  # nor does a fact no text quotes
    nl = page(repo, "nl/2022-03-01/index.html")
    assert 'Laatst gecorrigeerd op <time datetime="2022-06-01">1 juni 2022</time>.' in nl
    assert '<li><time datetime="2022-06-01">1 juni 2022</time></li>' in nl  # marked in the file
    assert "april" not in nl and "2 juni" not in nl  # not its correction; marking it is none
    assert "tot en met <time" in nl
    feed = feedparser.parse(page(repo, "en/feed.xml"))
    entry = next(e for e in feed.entries if e.title == "Version of 1 March 2022")
    assert entry.published == "2022-02-01T09:00:00Z"
    assert entry.updated == "2022-04-10T08:00:00Z"
    dutch = feedparser.parse(page(repo, "nl/feed.xml"))
    assert next(e for e in dutch.entries if "1 maart 2022" in e.title).updated == (
        "2022-06-01T08:00:00Z"
    )
    assert feed.feed.updated == "2022-12-01T09:00:00Z"
    jing_valid(repo.root / "site" / "en" / "feed.xml")


# --- withdrawing an upcoming version -----------------------------------------------------------

WHY = "the works council did not agree"


def withdraw(repo: StatementRepo, committed: str, trailer: str = f"Withdrawn: {WHY}") -> str:
    """`git revert` of the newest version, committed at `committed` with `trailer`."""
    repo.git("revert", "--no-commit", "HEAD")
    return repo.commit(f"Withdraw the version of 2027-01-01\n\n{trailer}".strip(), committed)


def test_an_upcoming_version_is_withdrawn_before_its_day(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    withdrawn = withdraw(repo, "2026-12-10T10:00:00+01:00")
    result = build_for(repo, "2026-12-15")
    assert result.exit_code == 0, result.stderr
    assert not (repo.root / "site/en/2027-01-01").exists()  # no page, no PDF, no comparison
    assert not (repo.root / "site/nl/2027-01-01").exists()
    current = page(repo, "en/index.html")
    assert RETENTION_EN in current and "A new version takes effect" not in current
    assert "2027-01-01" not in page(repo, "en/2021-02-23/index.html")
    assert [v["date"] for v in index(repo)["versions"]] == ["2021-02-23"]
    assert index(repo)["current"] == "2021-02-23"
    assert index(repo)["withdrawn"] == [
        {
            "date": "2027-01-01",
            "commit": withdrawn,
            "withdrawn": "2026-12-10T09:00:00Z",
            "reason": WHY,
        }
    ]
    changelog = page(repo, "en/changelog/index.html")
    assert (
        'id="withdrawn-2027-01-01"><strong>The version announced to take effect on <time '
        'datetime="2027-01-01">1 January 2027</time> was withdrawn on <time datetime="2026-12-10">'
        f"10 December 2026</time>, before it took effect.</strong> Reason: {WHY}</p>" in changelog
    )
    assert 'id="version-2027-01-01"' not in changelog and "Takes effect on" not in changelog
    assert "De versie die op <time" in page(repo, "nl/changelog/index.html")
    assert "10 december 2026</time> ingetrokken" in page(repo, "nl/changelog/index.html")


def test_the_feed_says_the_announced_version_was_withdrawn(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2026-11-30", "announced").exit_code == 0
    withdraw(repo, "2026-12-10T10:00:00+01:00")
    assert build_for(repo, "2026-12-15").exit_code == 0
    feed = feedparser.parse(page(repo, "en/feed.xml"))
    notice, version = feed.entries
    assert notice.title == "Version of 1 January 2027: withdrawn"
    assert notice.summary == (
        "The version announced to take effect on 1 January 2027 was withdrawn on "
        f"10 December 2026, before it took effect. Reason: {WHY}"
    )
    assert (notice.published, notice.updated) == ("2026-11-29T09:00:00Z", "2026-12-10T09:00:00Z")
    assert feed.feed.updated == "2026-12-10T09:00:00Z"
    announced = feedparser.parse(page(repo, "en/feed.xml", "announced")).entries[0]
    assert notice.id == announced.id  # a feed reader replaces the announcement it showed
    assert version.title == "Version of 23 February 2021"
    assert feedparser.parse(page(repo, "nl/feed.xml")).entries[0].title == (
        "Versie van 1 januari 2027: ingetrokken"
    )
    jing_valid(repo.root / "site" / "en" / "feed.xml")


def test_a_withdrawn_version_stays_withdrawn_on_and_after_its_day(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    withdraw(repo, "2026-12-10T10:00:00+01:00")
    assert build_for(repo, "2026-12-15", "before").exit_code == 0
    assert build_for(repo, "2026-12-15", "again").exit_code == 0
    assert site_files(repo.root / "before") == site_files(repo.root / "again")
    assert build_for(repo, "2027-01-02").exit_code == 0
    assert index(repo)["current"] == "2021-02-23"
    assert not (repo.root / "site/en/2027-01-01").exists()


def test_a_version_already_in_force_cannot_be_withdrawn(repo) -> None:
    new_version(repo, "2026-12-01", "2026-11-20T10:00:00+01:00")
    withdraw(repo, "2026-12-05T10:00:00+01:00")
    result = build_for(repo, "2026-12-06")
    assert result.exit_code == 1
    assert "reuses the earlier date 2021-02-23 (the version before is 2026-12-01)" in result.stderr
    assert "a version that had taken effect when the commit was made was in force" in result.stderr
    assert not (repo.root / "site").exists()


def test_a_version_taking_effect_on_the_day_of_the_withdrawal_is_in_force(repo) -> None:
    new_version(repo, "2026-12-10", "2026-11-20T10:00:00+01:00")
    withdraw(repo, "2026-12-10T08:00:00+01:00")
    assert build_for(repo, "2026-12-10").exit_code == 1


def test_going_back_without_the_trailer_is_refused_and_told_how_to_withdraw(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    reverted = withdraw(repo, "2026-12-10T10:00:00+01:00", trailer="")
    result = build_for(repo, "2026-12-15")
    assert result.exit_code == 1
    assert (
        f"commit {reverted[:7]} reuses the earlier date 2021-02-23 (the version before is "
        "2027-01-01)" in result.stderr
    )
    assert (
        "or, if the version of 2027-01-01 was announced but must not take effect, withdraw it "
        "before its day: say why in a trailer 'Withdrawn: <reason>' in the commit's message"
        in " ".join(result.stderr.split())
    )


def test_a_withdrawal_that_changes_the_restored_text_needs_the_editorial_mark(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    repo.git("revert", "--no-commit", "HEAD")
    repo.edit("en.md", RETENTION_EN, RETENTION_EN_NEW)  # the old date, with the new words
    repo.commit(f"Withdraw\n\nWithdrawn: {WHY}", "2026-12-10T10:00:00+01:00")
    result = build_for(repo, "2026-12-15")
    assert result.exit_code == 1
    assert "but keeps the date 2021-02-23" in result.stderr


def test_a_withdrawal_may_go_back_to_a_new_date_between(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    repo.new_version("2026-12-20", "Eerder ingevoerd.", "Brought forward.")
    repo.commit(f"Sooner\n\nWithdrawn: {WHY}", "2026-12-10T10:00:00+01:00")
    assert build_for(repo, "2026-12-15").exit_code == 0
    assert [(v["date"], v["upcoming"]) for v in index(repo)["versions"]] == [
        ("2021-02-23", False),
        ("2026-12-20", True),
    ]
    assert RETENTION_EN_NEW in page(repo, "en/2026-12-20/index.html")
    assert [w["date"] for w in index(repo)["withdrawn"]] == ["2027-01-01"]


def test_a_branch_made_before_the_withdrawal_merges_in(repo) -> None:
    """Its commits carry the withdrawn date, rightly: they were made while it was announced."""
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    repo.git("checkout", "-q", "-b", "editor")
    repo.edit("en.md", "We process personal data in", "We process personal data in many and")
    repo.commit("Which\n\nEditorial: better English", "2026-12-01T10:00:00+01:00")
    repo.git("checkout", "-q", "main")
    withdraw(repo, "2026-12-10T10:00:00+01:00")
    repo.git("merge", "-q", "-m", "Merge\n\nEditorial: better English", "editor")
    result = build_for(repo, "2026-12-15")
    assert result.exit_code == 0, result.stderr
    assert [v["date"] for v in index(repo)["versions"]] == ["2021-02-23"]
    current = page(repo, "en/index.html")
    assert "personal data in many and various" in current and RETENTION_EN in current


def test_a_withdrawn_date_is_not_used_again(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    withdraw(repo, "2026-12-10T10:00:00+01:00")
    new_version(repo, "2027-01-01", "2026-12-11T10:00:00+01:00")
    result = build_for(repo, "2026-12-15")
    assert result.exit_code == 1
    assert (
        "dates a version 2027-01-01, the date of the version withdrawn by commit" in result.stderr
    )
    repo.git("reset", "--hard", "HEAD~1")
    new_version(repo, "2026-12-20", "2026-12-11T10:00:00+01:00")  # before it: dates go forward
    assert build_for(repo, "2026-12-15").exit_code == 0
    assert [v["date"] for v in index(repo)["versions"]] == ["2021-02-23", "2026-12-20"]


def test_release_refuses_the_date_of_a_withdrawn_version(repo) -> None:
    new_version(repo, "2027-01-01", "2026-11-29T10:00:00+01:00")
    withdraw(repo, "2026-12-10T10:00:00+01:00")
    before = (repo.statement / "statement.toml").read_bytes()
    result = CliRunner().invoke(main, ["release", "--root", str(repo.root), "--date", "2027-01-01"])
    assert result.exit_code == 1
    assert "the version of 2027-01-01 was withdrawn: its date is not used again" in result.stderr
    assert "fix: choose another date: statement release --date 2027-01-02" in result.stderr
    assert (repo.statement / "statement.toml").read_bytes() == before


# --- as a reader sees it: the notices in a browser ------------------------------------------


@pytest.fixture(scope="module")
def timed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four versions on 29 November 2026: one archived, one archived and corrected after it took
    effect, one in force, and one upcoming."""
    repo = make_repo(tmp_path_factory.mktemp("timed") / "project")
    new_version(repo, "2022-03-01", "2022-02-01T10:00:00+01:00")
    repo.edit("en.md", "at most two years", "at most two (2) years")
    repo.commit("Words\n\nEditorial: the number in words too", "2022-04-10T10:00:00+02:00")
    repo.new_version("2026-06-01", "Nieuw adres.", "New address.")
    repo.commit("Version of 1 June 2026", "2026-05-01T10:00:00+02:00")
    repo.new_version("2027-01-01", "Nieuwe termijn.", "New period.")
    repo.commit("Version of 1 January 2027", "2026-11-29T10:00:00+01:00")
    assert build_for(repo, "2026-11-29").exit_code == 0
    return repo.root / "site"


@pytest.mark.parametrize(
    "path",
    [f"{lang}/{where}index.html" for lang in ("nl", "en")
     for where in ("", "2022-03-01/", "2027-01-01/", "changelog/", "2027-01-01/changes/")],
)  # fmt: skip
def test_the_notices_pass_axe_on_a_phone_and_a_desktop(browser, timed_site, path) -> None:
    need(AXE.is_file(), "the npm package axe-core is missing")
    context = browser.new_context(bypass_csp=True)  # axe is a script: only this context runs it
    try:
        page = context.new_page()
        page.goto((timed_site / path).as_uri())
        assert page.locator(".upcoming-notice, .archive-notice").count() >= 1
        page.add_script_tag(path=str(AXE))
        for width in WIDTHS.values():
            page.set_viewport_size({"width": width, "height": HEIGHT})
            results = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            assert results["violations"] == [], axe_report(results["violations"])
    finally:
        context.close()
