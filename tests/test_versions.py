"""Versions from real git histories: archive, guard, dates, summaries, drafts, stale translations."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_build, site_files
from repos import StatementRepo, make_repo

RETENTION_NL = "Wij bewaren uw persoonsgegevens niet langer dan nodig is"
RETENTION_NL_NEW = "Wij bewaren uw persoonsgegevens uiterlijk twee jaar en niet langer dan nodig is"
RETENTION_EN = "We do not retain your personal data for longer than is necessary"
RETENTION_EN_NEW = (
    "We retain your personal data for at most two years and no longer than is necessary"
)


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def second_version(repo: StatementRepo) -> str:
    repo.new_version("2022-03-01", "Bewaartermijn aangescherpt.", "Retention period tightened.")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    repo.edit("en.md", RETENTION_EN, RETENTION_EN_NEW)
    return repo.commit("Version of 1 March 2022")


def index(repo: StatementRepo) -> dict:
    return json.loads((repo.root / "site" / "statement.json").read_text(encoding="utf-8"))


def test_two_versions_are_archived_in_every_language(repo: StatementRepo) -> None:
    first = repo.git("rev-parse", "HEAD")
    second = second_version(repo)
    assert run_build(repo.root).exit_code == 0
    site = repo.root / "site"
    for lang in ("nl", "en"):
        old = (site / lang / "2021-02-23" / "index.html").read_text(encoding="utf-8")
        new = (site / lang / "2022-03-01" / "index.html").read_text(encoding="utf-8")
        assert "archive-notice" in old and "archive-notice" not in new
    old_nl = (site / "nl" / "2021-02-23" / "index.html").read_text(encoding="utf-8")
    assert RETENTION_NL in old_nl and RETENTION_NL_NEW not in old_nl
    assert "Dit is niet de huidige versie." in old_nl
    assert '<time datetime="2022-02-28">28 februari 2022</time>' in old_nl  # its last day
    versions = index(repo)["versions"]
    assert [(v["date"], v["commit"]) for v in versions] == [
        ("2021-02-23", first),
        ("2022-03-01", second),
    ]
    assert versions[1]["summary"] == {
        "nl": "Bewaartermijn aangescherpt.",
        "en": "Retention period tightened.",
    }
    assert {"section": "retention", "kind": "changed"} in versions[1]["changes"]
    assert versions[0]["changes"] == []
    assert index(repo)["feeds"] == {"nl": "nl/feed.xml", "en": "en/feed.xml"}


def test_the_current_page_is_the_newest_version(repo: StatementRepo) -> None:
    second_version(repo)
    assert run_build(repo.root).exit_code == 0
    current = (repo.root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert RETENTION_EN_NEW in current
    assert '<time datetime="2022-03-01">1 March 2022</time>' in current


def test_three_versions_with_editorial_commits_between_them(repo: StatementRepo) -> None:
    second_version(repo)
    repo.edit("en.md", "at most two years", "at most 2 years")
    repo.commit("Spell out the number\n\nEditorial: a spelling change, the meaning is the same")
    repo.edit("nl.md", "uiterlijk twee jaar", "uiterlijk 2 jaar")
    marked = repo.commit("Cijfers in de tekst")
    (repo.statement / "editorial-commits").write_text(
        f"# digits\n{marked[:10]}\n", encoding="utf-8"
    )
    repo.commit("Mark the digits commit editorial")
    repo.new_version("2023-05-01", "Contact via e-mail.", "Contact by e-mail.")
    repo.edit("nl.md", "schriftelijk contact", "per e-mail contact")
    repo.edit("en.md", "contact us in writing", "contact us by e-mail")
    repo.commit("Version of 1 May 2023")
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr
    versions = index(repo)["versions"]
    assert [v["date"] for v in versions] == ["2021-02-23", "2022-03-01", "2023-05-01"]
    middle = (repo.root / "site" / "en" / "2022-03-01" / "index.html").read_text(encoding="utf-8")
    assert "at most 2 years" in middle  # the newest commit carrying the date is published


def test_an_unmarked_change_under_the_same_date_is_refused(repo: StatementRepo) -> None:
    assert run_build(repo.root).exit_code == 0
    before = site_files(repo.root / "site")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    sha = repo.commit("Bewaartermijn aangepast")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert f"commit {sha[:7]}" in result.stderr
    assert "nl: retention" in result.stderr and "2021-02-23" in result.stderr
    assert "new effective date" in result.stderr and "Editorial:" in result.stderr
    assert "editorial-commits" in result.stderr
    assert f"statement/nl.md (commit {sha[:7]}):" in result.stderr
    assert site_files(repo.root / "site") == before


def test_reflowing_markdown_is_not_a_change(repo: StatementRepo) -> None:
    repo.edit(
        "nl.md",
        "niet langer dan nodig is voor het bereiken",
        "niet langer dan nodig is\nvoor   het bereiken",
    )
    repo.commit("Reflow")
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr


def test_a_date_going_backwards_is_refused(repo: StatementRepo) -> None:
    repo.new_version("2020-01-01", "Terug.", "Back.")
    sha = repo.commit("Backwards")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert f"commit {sha[:7]} moves the effective date back to 2020-01-01" in result.stderr


def test_reusing_an_earlier_date_is_refused(repo: StatementRepo) -> None:
    second_version(repo)
    repo.new_version("2021-02-23", "Weer.", "Again.")
    sha = repo.commit("Reuse")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert f"commit {sha[:7]} reuses the earlier date 2021-02-23" in result.stderr


def test_a_new_date_without_a_summary_in_every_language_is_refused(repo: StatementRepo) -> None:
    second_version(repo)
    toml = repo.statement / "statement.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[: text.index("\nen = ") + 1], encoding="utf-8")
    repo.commit("No English summary")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert "the version of 2022-03-01 has no summary in en" in result.stderr


def test_a_summary_must_be_rewritten_for_each_version(repo: StatementRepo) -> None:
    toml = repo.statement / "statement.toml"
    summary = toml.read_text(encoding="utf-8").split("[summary]")[1]
    second_version(repo)
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.split("[summary]")[0] + "[summary]" + summary, encoding="utf-8")
    repo.commit("Same summary")
    result = run_build(repo.root)
    assert result.exit_code == 1
    assert "repeats the summary of 2021-02-23" in result.stderr


def test_a_version_with_no_summary_table_is_pointed_at_its_date(repo: StatementRepo) -> None:
    second_version(repo)
    toml = repo.statement / "statement.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[summary]")
    end = text.find("\n[", start + 1)
    toml.write_text(text[:start] + (text[end + 1 :] if end > 0 else ""), encoding="utf-8")
    sha = repo.commit("No summary at all")
    result = run_build(repo.root)
    assert result.exit_code == 1
    line = toml.read_text(encoding="utf-8").split("\n").index("effective = 2022-03-01") + 1
    assert (
        f"statement/statement.toml (commit {sha[:7]}):{line}: the version of 2022-03-01 has no "
        "summary in nl, en"
    ) in result.stderr


def test_a_stale_translation_is_marked_on_its_section(repo: StatementRepo) -> None:
    repo.new_version(
        "2022-03-01", "Bewaartermijn aangescherpt.", "Retention period: see the Dutch text."
    )
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    repo.commit("Dutch only")
    assert run_build(repo.root).exit_code == 0
    en = (repo.root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    notice = en[en.index('id="retention"') :].split("</section>")[0]
    assert "stale-notice" in notice and 'href="../nl/#retention"' in notice
    assert en.count("stale-notice") == 1
    assert "stale-notice" not in (repo.root / "site" / "nl" / "index.html").read_text(
        encoding="utf-8"
    )
    assert index(repo)["versions"][1]["stale"] == ["en:retention"]


def test_an_editorial_source_change_does_not_make_a_translation_stale(repo: StatementRepo) -> None:
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL + " ")  # whitespace only: not even a change
    repo.edit("nl.md", "## Bewaartermijn {#retention", "## Bewaartermijnen {#retention")
    repo.commit("Meervoud\n\nEditorial: the heading reads better in the plural")
    assert run_build(repo.root).exit_code == 0
    assert index(repo)["versions"][0]["stale"] == []


def test_a_translation_update_clears_the_stale_mark(repo: StatementRepo) -> None:
    repo.new_version("2022-03-01", "Bewaartermijn aangescherpt.", "Retention: see Dutch.")
    repo.edit("nl.md", RETENTION_NL, RETENTION_NL_NEW)
    repo.commit("Dutch first")
    repo.edit("en.md", RETENTION_EN, RETENTION_EN_NEW)
    repo.commit("English follows\n\nEditorial: translation of the 2022-03-01 change")
    assert run_build(repo.root).exit_code == 0
    assert index(repo)["versions"][1]["stale"] == []


def test_uncommitted_changes_are_a_draft_and_release_refuses_them(repo: StatementRepo) -> None:
    repo.new_version("2022-03-01", "Concepttekst.", "Draft text.")
    result = run_build(repo.root)
    assert result.exit_code == 0
    assert "draft" in result.stdout.lower()
    nl = (repo.root / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    en = (repo.root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Concept" in nl and "Draft" in en
    from click.testing import CliRunner

    from generator.cli import main

    released = CliRunner().invoke(main, ["build", "--root", str(repo.root), "--release"])
    assert released.exit_code == 1
    assert "uncommitted changes" in released.stderr


def test_a_shallow_clone_is_refused_unless_allowed(repo: StatementRepo, tmp_path: Path) -> None:
    second_version(repo)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.root.as_uri(), str(clone)], check=True
    )
    result = run_build(clone)
    assert result.exit_code == 1
    assert "shallow" in result.stderr and "git fetch --unshallow" in result.stderr
    assert not (clone / "site").exists()
    from click.testing import CliRunner

    from generator.cli import main

    allowed = CliRunner().invoke(main, ["build", "--root", str(clone), "--allow-shallow"])
    assert allowed.exit_code == 0, allowed.stderr
    changelog = (clone / "site" / "en" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "Older history is missing" in changelog


def test_no_git_builds_the_working_tree_and_says_so(tmp_path: Path) -> None:
    from conftest import copy_project

    root = copy_project(tmp_path / "plain")
    result = run_build(root)
    assert result.exit_code == 0
    assert "Not a git repository" in result.stdout
    assert [
        v["date"] for v in json.loads((root / "site" / "statement.json").read_text())["versions"]
    ] == ["2021-02-23"]


def test_a_merge_and_other_files_and_a_detached_head(repo: StatementRepo) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    second_version(repo)
    (repo.root / "README.txt").write_text("not the statement\n", encoding="utf-8")
    repo.commit("Touches another file")
    repo.git("checkout", "-q", "main")
    (repo.root / "other.txt").write_text("x\n", encoding="utf-8")
    repo.commit("Main moves on")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the 2022 version", "feature")
    repo.git("checkout", "-q", "--detach", "HEAD")
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr
    assert [v["date"] for v in index(repo)["versions"]] == ["2021-02-23", "2022-03-01"]


def test_statement_files_moved_into_place(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    repo.git("mv", "statement", "bron")
    repo.commit("Move away")
    repo.git("mv", "bron", "statement")
    repo.commit("Move back")
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr
    assert [v["date"] for v in index(repo)["versions"]] == ["2021-02-23"]
