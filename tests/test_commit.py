"""`statement commit`: a typo fix or a new version committed with the message the build expects,
in a real git repository; the build then publishes what the editor meant."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_build
from repos import IDENTITY, StatementRepo, make_repo

from generator.cli import main

TYPO = ("Wij bewaren uw persoonsgegevens", "Wij bewaren uw persoonsgegevenss")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StatementRepo:
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    return make_repo(tmp_path / "project")


def statement(repo: StatementRepo, *args: str):
    return CliRunner().invoke(main, ["commit", "--root", str(repo.root), *args])


def said_committed(repo: StatementRepo, done, subject: str, *lines: str) -> None:
    """The commit was made, and the command said so: its hash and subject, then each line."""
    assert (done.exit_code, done.stderr) == (0, "")
    short = repo.git("rev-parse", "--short=7", "HEAD")
    assert done.stdout == f"Committed {short}: {subject}\n" + "".join(f"  {x}\n" for x in lines)


def test_a_typo_fix_is_committed_with_the_editorial_trailer_and_keeps_the_date(repo) -> None:
    repo.edit("nl.md", *TYPO)
    (repo.root / "notes.txt").write_text("not the statement's\n", encoding="utf-8")
    repo.git("add", "notes.txt")
    done = statement(repo, "--editorial", "typo")
    said_committed(
        repo, done, "Editorial change: typo", "with the trailer 'Editorial: typo'",
        "the date stays 2021-02-23.",
    )  # fmt: skip
    # exactly what `git commit -m "Editorial change: typo" -m "Editorial: typo"` makes
    assert repo.git("log", "-1", "--format=%B") == "Editorial change: typo\n\nEditorial: typo"
    assert repo.git("show", "--name-only", "--format=", "HEAD") == "statement/nl.md"
    assert "A  notes.txt" in repo.git("status", "--porcelain")  # staged, left for the editor
    built = run_build(repo.root, extra=["--no-pdf"])
    assert built.exit_code == 0, built.stderr  # the guard lets it through under the old date
    assert "persoonsgegevenss" in (repo.root / "site/nl/2021-02-23/index.html").read_text()


def test_a_new_version_is_committed_with_its_date(repo) -> None:
    # committed today, by the clock: dated ahead of it, or it would be backdated (test_timeline)
    repo.edit("nl.md", *TYPO)
    repo.new_version("2099-03-01", "Nieuw.", "New.")
    done = statement(repo, "--version", "--far-ahead")  # decades ahead, on purpose
    assert done.exit_code == 0, done.stderr
    assert done.stdout.endswith(
        ": The version of 2099-03-01\n  a new version, in force from 2099-03-01.\n"
    )
    assert repo.git("log", "-1", "--format=%B") == "The version of 2099-03-01"
    built = run_build(repo.root, extra=["--no-pdf"])
    assert built.exit_code == 0, built.stderr
    assert (repo.root / "site/nl/2099-03-01/index.html").is_file()


def test_a_backdated_version_is_committed_with_its_reason(repo) -> None:
    repo.edit("nl.md", *TYPO)
    repo.new_version("2022-03-01", "Nieuw.", "New.")
    assert refused(repo, "--version") == (
        "statement/statement.toml:5: the new version's date 2022-03-01 is before today\n"
        "    fix: a version cannot apply before anyone could read it: set a date from today on, "
        'or say why it must apply from that day: statement commit --version --backdated "reason"\n'
        "Nothing was committed: 1 problem(s) to fix.\n"
    )
    done = statement(repo, "--version", "--backdated", "published on paper that day")
    assert done.exit_code == 0, done.stderr
    assert "  with the trailer 'Backdated: published on paper that day'\n" in done.stdout
    assert repo.git("log", "-1", "--format=%B") == (
        "The version of 2022-03-01\n\nBackdated: published on paper that day"
    )
    built = run_build(repo.root, extra=["--no-pdf"])
    assert built.exit_code == 0, built.stderr  # the build's backdating guard reads the reason
    assert (repo.root / "site/nl/2022-03-01/index.html").is_file()


def test_a_date_typed_a_century_ahead_is_refused_as_release_refuses_it(repo) -> None:
    """2202 for 2022, typed into statement.toml by hand: committed, it stays in the history and
    is published as upcoming for 180 years. Refused unless confirmed, as release --date does."""
    repo.edit("nl.md", *TYPO)
    repo.new_version("2202-03-01", "Nieuw.", "New.")
    said = refused(repo, "--version")
    assert said.startswith(
        "statement/statement.toml:5: the date 2202-03-01 is more than a year after today, "
    )
    assert said.endswith(
        "    fix: check the year: a wrong date, once committed, stays in the history; if it is "
        "right, confirm it: statement commit --version --far-ahead\n"
        "Nothing was committed: 1 problem(s) to fix.\n"
    )


def refused(repo: StatementRepo, *args: str) -> str:
    head = repo.git("rev-parse", "HEAD")
    done = statement(repo, *args)
    assert (done.exit_code, done.stdout) == (1, "")
    assert repo.git("rev-parse", "HEAD") == head  # nothing was committed
    return done.stderr


def test_a_new_date_is_not_an_editorial_change(repo) -> None:
    repo.new_version("2022-03-01", "Nieuw.", "New.")
    assert refused(repo, "--editorial", "typo") == (
        "statement/statement.toml:5: the date changed to 2022-03-01: a new date is a new "
        "version, not an editorial change\n"
        "    fix: commit it as a new version, statement commit --version, or set effective "
        "back to 2021-02-23\n"
        "Nothing was committed: 1 problem(s) to fix.\n"
    )


def test_a_new_version_needs_a_new_date(repo) -> None:
    repo.edit("nl.md", *TYPO)
    assert refused(repo, "--version") == (
        "statement/statement.toml:5: a new version needs a date after the last version's, "
        "2021-02-23\n"
        "    fix: set it and reset the summary with statement release --date YYYY-MM-DD; a "
        'change that keeps the meaning is committed with --editorial "reason" instead\n'
        "Nothing was committed: 1 problem(s) to fix.\n"
    )


def test_nothing_changed_and_a_broken_text_are_refused(repo) -> None:
    assert "statement: there is nothing to commit\n" in refused(repo, "--editorial", "typo")
    repo.edit("nl.md", "KVK {{publisher.registration.number}}", "KVK {{kvk_nr}}")
    assert refused(repo, "--editorial", "typo").startswith(
        "statement/nl.md:5: unknown fact {{kvk_nr}}\n"
    )


def test_it_says_which_kind_of_commit_when_not_told(repo) -> None:
    repo.edit("nl.md", *TYPO)
    for args in ([], ["--version", "--editorial", "typo"]):
        done = statement(repo, *args)
        assert done.exit_code == 2
        assert 'say which: --editorial "REASON" (the date stays) or --version' in done.stderr


def test_an_announced_version_is_withdrawn_before_its_day(repo) -> None:
    repo.edit("nl.md", *TYPO)
    repo.new_version("2099-03-01", "Nieuw.", "New.")
    assert statement(repo, "--version", "--far-ahead").exit_code == 0
    repo.git("revert", "--no-commit", "HEAD")
    done = statement(repo, "--withdraw", "announced by mistake")
    said_committed(
        repo, done, "Withdraw the version of 2099-03-01",
        "with the trailer 'Withdrawn: announced by mistake'",
        "withdrawn; the date is back at 2021-02-23.",
    )  # fmt: skip
    assert repo.git("log", "-1", "--format=%B") == (
        "Withdraw the version of 2099-03-01\n\nWithdrawn: announced by mistake"
    )
    built = run_build(repo.root, extra=["--no-pdf"])
    assert built.exit_code == 0, built.stderr  # the build's date guard reads the trailer
    assert not (repo.root / "site/nl/2099-03-01").exists()
    assert "announced by mistake" in (repo.root / "site/nl/changelog/index.html").read_text()
    repo.new_version("2099-03-01", "Opnieuw.", "Again.")
    assert refused(repo, "--version", "--far-ahead").startswith(
        "statement/statement.toml:5: the version of 2099-03-01 was withdrawn: its date is not "
        "used again\n"
    )


def test_a_version_in_force_or_none_at_all_is_not_withdrawn(repo) -> None:
    repo.edit("nl.md", *TYPO)
    assert refused(repo, "--withdraw", "why") == (
        "statement/statement.toml:5: no version is dated after 2021-02-23: there is nothing to "
        "withdraw\n"
        "    fix: set effective in statement.toml back to the date of the version that is to stay "
        "in force\n"
        "Nothing was committed: 1 problem(s) to fix.\n"
    )
    repo.new_version("2022-03-01", "Nieuw.", "New.")
    assert statement(repo, "--version", "--backdated", "on paper").exit_code == 0
    repo.git("revert", "--no-commit", "HEAD")
    assert refused(repo, "--withdraw", "why") == (
        "statement/statement.toml:5: the version of 2022-03-01 has taken effect: a version that "
        "was in force cannot be withdrawn\n"
        "    fix: publish a new version that replaces it: statement release --date YYYY-MM-DD\n"
        "Nothing was committed: 1 problem(s) to fix.\n"
    )


def test_without_a_git_identity_it_says_how_to_set_one(repo, monkeypatch) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("EMAIL", "")
    subprocess.run(["git", "config", "user.useConfigOnly", "true"], cwd=repo.root, check=True)
    repo.edit("nl.md", *TYPO)
    assert refused(repo, "--editorial", "typo").startswith(
        "git does not know your name and e-mail yet\n"
    )


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--editorial", "statement: the editorial reason is empty"),
        ("--withdraw", "statement: the reason for the withdrawal is empty"),
        ("--backdated", "statement: the reason for the earlier date is empty"),
    ],
)
def test_an_empty_reason_is_refused_in_the_words_of_its_option(repo, option, said) -> None:
    repo.edit("nl.md", *TYPO)
    extra = ["--version"] if option == "--backdated" else []
    assert refused(repo, *extra, option, "  ").startswith(said)
    assert "fix: say in a few words why " in refused(repo, *extra, option, "")
