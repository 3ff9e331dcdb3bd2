"""An introduction, the text between the title and the first section: on the page above the
contents, in the PDF, in the changelog and comparison, and held to the date guard."""

from __future__ import annotations

import json

import pypdf
import pytest
from click.testing import CliRunner
from conftest import run_build
from repos import StatementRepo, make_repo

from generator.cli import main

TITLE = "# Privacy policy\n"
INTRO_NL = "Welkom. Deze verklaring geldt voor al onze diensten."
INTRO_EN = "Welcome. This statement applies to all our services."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> StatementRepo:
    """The EMS statement, then a second version that adds an introduction in both languages."""
    repo = make_repo(tmp_path_factory.mktemp("intro") / "project")
    repo.new_version("2022-03-01", "Een inleiding erbij.", "An introduction added.")
    repo.edit("nl.md", TITLE, f"{TITLE}\n{INTRO_NL}\n")
    repo.edit("en.md", TITLE, f"{TITLE}\n{INTRO_EN}\n")
    repo.commit("Version of 1 March 2022: an introduction")
    result = run_build(repo.root, cache=repo.root / "cache")
    assert result.exit_code == 0, result.stderr
    return repo


def page(repo: StatementRepo, path: str) -> str:
    return (repo.root / "site" / path).read_text(encoding="utf-8")


def test_the_introduction_stands_above_the_contents(built: StatementRepo) -> None:
    html = page(built, "nl/index.html")
    intro = html.index('<div class="intro" id="page-intro">')
    assert html.index("<h1>") < intro < html.index(f"<p>{INTRO_NL}</p>")
    assert html.index(f"<p>{INTRO_NL}</p>") < html.index('<nav class="contents"')
    assert INTRO_NL not in page(built, "nl/2021-02-23/index.html")


def test_statement_json_gives_the_introduction_where_there_is_one(built: StatementRepo) -> None:
    index = json.loads(page(built, "statement.json"))
    first, second = index["versions"]
    assert first["introduction"] is None
    assert second["introduction"] == {
        "id": "page-intro",
        "heading": {"nl": "Privacy policy", "en": "Privacy policy"},
    }
    assert {"section": "page-intro", "kind": "added"} in second["changes"]


def test_the_pdf_holds_the_introduction(built: StatementRepo) -> None:
    pdfs = sorted((built.root / "site" / "en" / "2022-03-01").glob("*.pdf"))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdfs[0]).pages[:1])
    assert " ".join(INTRO_EN.split()) in " ".join(text.split())


def test_the_changelog_and_comparison_show_the_introduction_added(built: StatementRepo) -> None:
    changelog = page(built, "en/changelog/index.html")
    assert '<a href="../2022-03-01/#page-intro">Privacy policy</a>' in changelog
    comparison = page(built, "en/2022-03-01/changes/index.html")
    added = comparison[comparison.index('aria-labelledby="page-intro"') :].split("</section>")[0]
    assert "compare-added" in comparison and "Welcome." in added


def test_a_changed_introduction_under_the_same_date_is_refused(built: StatementRepo) -> None:
    built.edit("en.md", "all our services", "all our shops")
    sha = built.commit("Shops, not services")
    result = run_build(built.root, cache=built.root / "cache")
    assert result.exit_code == 1
    assert f"commit {sha[:7]} changes what the statement says (en: page-intro)" in result.stderr


def test_statement_diff_shows_an_introduction_written(tmp_path) -> None:
    repo = make_repo(tmp_path / "project")
    repo.edit("nl.md", TITLE, f"{TITLE}\n{INTRO_NL}\n")
    repo.edit("en.md", TITLE, f"{TITLE}\n{INTRO_EN}\n")  # every language has one, or none
    result = CliRunner().invoke(main, ["diff", "--root", str(repo.root)])
    assert result.exit_code == 0, result.output
    assert "[nl] #page-intro (added): {+Privacy policy+}" in result.stdout
    assert "{+Welkom. Deze verklaring geldt voor al onze diensten.+}" in result.stdout
    assert "{+Welcome. This statement applies to all our services.+}" in result.stdout


def test_an_introduction_behind_the_source_is_marked_stale(tmp_path) -> None:
    repo = make_repo(tmp_path / "project")
    repo.edit("nl.md", TITLE, f"{TITLE}\n{INTRO_NL}\n")
    repo.edit("en.md", TITLE, f"{TITLE}\n{INTRO_EN}\n")
    repo.commit("An introduction\n\nEditorial: welcome words, no new meaning")
    repo.new_version("2022-03-01", "Ook de winkels.", "See the Dutch text.")
    repo.edit("nl.md", "al onze diensten", "al onze diensten en winkels")
    repo.commit("Version of 1 March 2022")
    assert run_build(repo.root, extra=["--no-pdf"]).exit_code == 0
    english = (repo.root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    intro = english[english.index('<div class="intro"') :].split("</div>")[0]
    assert 'class="stale-notice"' in intro and 'href="../nl/#page-intro"' in intro
    result = CliRunner().invoke(main, ["check", "--root", str(repo.root)])
    assert "#page-intro changed in nl.md after its translation in en.md" in result.stdout


def test_a_version_whose_introduction_is_in_the_source_language_only_is_refused(
    tmp_path,
) -> None:
    """The prevailing text gains an introduction its translation lacks: a missing part, said
    plainly, as a missing section is (it once ended the build and check in a traceback)."""
    repo = make_repo(tmp_path / "project")
    repo.new_version("2022-03-01", "Een inleiding erbij.", "An introduction added.")
    repo.edit("nl.md", TITLE, f"{TITLE}\n{INTRO_NL}\n")
    sha = repo.commit("Version of 1 March 2022: an introduction in Dutch only")
    result = run_build(repo.root, extra=["--no-pdf"])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    said = (
        f"statement/en.md (commit {sha[:7]}):3: the introduction is missing (nl.md has one, line 3"
    )
    assert said in result.stderr
    checked = CliRunner().invoke(main, ["check", "--root", str(repo.root)])
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert "the introduction is missing" in checked.output
