"""The rebuild with no change: it answers before loading the renderer, leaves the site as it is,
and any change of an input, or of the site on disk, makes it build again."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BuildResult, run_build, site_files
from repos import StatementRepo, make_repo

from generator import entry, fingerprint

HEAVY = ("jinja2", "markdown_it", "weasyprint", "git", "babel", "click")
SKIPPED = "Nothing changed since the last build"
BUILT = "Built "
# A build in a fresh process, then the heavy modules it had loaded when it was done.
SCRIPT = """
import sys
from generator.entry import main  # what the statement command runs
sys.argv = ["statement", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
print("loaded:", *sorted(name for name in {heavy} if name in sys.modules))
"""


def fresh_process(repo: StatementRepo, cache: Path, heavy: tuple[str, ...] = HEAVY) -> str:
    args = ["build", "--root", str(repo.root), "--cache", str(cache), "--no-pdf"]
    script = SCRIPT.format(heavy=heavy)
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def build(repo: StatementRepo, cache: Path, *flags: str) -> BuildResult:
    result = run_build(repo.root, cache=cache, extra=["--no-pdf", *flags])
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def repo(tmp_path: Path) -> StatementRepo:
    return make_repo(tmp_path / "project")


def test_a_rebuild_with_no_change_loads_no_renderer_and_keeps_the_site(
    repo: StatementRepo, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = fresh_process(repo, cache)
    assert BUILT in first
    assert "jinja2" in first and "markdown_it" in first  # what the next one must not need
    before = site_files(repo.root / "site")
    again = fresh_process(repo, cache)
    assert SKIPPED in again
    assert again.splitlines()[-1] == "loaded:"  # no renderer, not even click
    assert site_files(repo.root / "site") == before


def test_a_cold_build_without_pdfs_loads_only_what_it_renders_with(
    repo: StatementRepo, tmp_path: Path
) -> None:
    """The statement command builds without click, and without what only other commands or
    the PDFs use: WeasyPrint, the importer's mammoth, markdownify and yaml, check's stemmer,
    the preview's mkdocs."""
    others = ("click", "weasyprint", "mammoth", "markdownify", "yaml", "snowballstemmer", "mkdocs")
    done = fresh_process(repo, tmp_path / "cache", ("babel", "jinja2", "markdown_it", *others))
    assert BUILT in done
    assert done.splitlines()[-1] == "loaded: babel jinja2 markdown_it"


def test_a_plain_build_whose_reader_is_gone_exits_1_without_a_traceback(
    repo: StatementRepo, tmp_path: Path
) -> None:
    """`statement build | head`, the head gone before the build says what it did: as click
    has its commands do."""
    read, write = os.pipe()
    os.close(read)
    args = ["build", "--root", str(repo.root), "--cache", str(tmp_path / "cache"), "--no-pdf"]
    program = "from generator.entry import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", program, *args], stdout=write, stderr=subprocess.PIPE, text=True
    )
    os.close(write)
    assert (done.returncode, done.stderr) == (1, "")


def test_a_cold_rebuild_of_the_same_inputs_makes_the_same_site(
    repo: StatementRepo, tmp_path: Path
) -> None:
    """What the no-change rebuild keeps is what a build from nothing would write."""
    build(repo, tmp_path / "cache")
    assert SKIPPED in build(repo, tmp_path / "cache").stdout
    kept = site_files(repo.root / "site")
    shutil.rmtree(repo.root / "site")
    assert BUILT in build(repo, tmp_path / "other-cache").stdout
    assert site_files(repo.root / "site") == kept


def in_template(repo: StatementRepo) -> None:
    path = repo.root / "templates" / "style.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n/* a comment */\n", "utf-8")


def in_locale(repo: StatementRepo) -> None:
    path = repo.root / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a translator's note\n", "utf-8")


def in_statement(repo: StatementRepo) -> None:
    """A line broken in two: the same words, other bytes."""
    path = repo.statement / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" the ", " the\n", 1), encoding="utf-8")


def committed(repo: StatementRepo) -> None:
    """The working tree as it was built (a draft), now committed: only HEAD differs."""
    repo.commit("Reflow a line\n\nEditorial: the same words")


def untracked(repo: StatementRepo) -> None:
    (repo.statement / "notes.txt").write_text("a file the editor left here\n", "utf-8")


CHANGES: dict[str, Callable[..., None]] = {
    "a template": in_template,
    "a locale": in_locale,
    "a statement file in the working tree": in_statement,
    "a file added to statement/": untracked,
}


@pytest.mark.parametrize("what", CHANGES)
def test_a_changed_input_is_built_again(repo: StatementRepo, tmp_path: Path, what: str) -> None:
    cache = tmp_path / "cache"
    build(repo, cache)
    assert SKIPPED in build(repo, cache).stdout
    CHANGES[what](repo)
    assert BUILT in build(repo, cache).stdout
    assert SKIPPED in build(repo, cache).stdout  # and then it is the new site that is kept


def test_a_commit_of_what_was_built_as_a_draft_is_built_again(
    repo: StatementRepo, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    in_statement(repo)
    assert "draft" in build(repo, cache).stdout
    assert SKIPPED in build(repo, cache).stdout
    committed(repo)  # the same files in the working tree, a new HEAD
    result = build(repo, cache)
    assert BUILT in result.stdout and "draft" not in result.stdout


def test_another_option_or_another_day_is_built_again(
    repo: StatementRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(repo, cache)
    assert SKIPPED in build(repo, cache).stdout
    assert BUILT in build(repo, cache, "--allow-shallow").stdout
    assert BUILT in build(repo, cache).stdout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 86400))
    assert BUILT in build(repo, cache).stdout
    assert SKIPPED in build(repo, cache).stdout


def test_a_new_program_is_built_again(
    repo: StatementRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "program"
    shutil.copytree(fingerprint.PROGRAM, program, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PROGRAM", program)
    cache = tmp_path / "cache"
    build(repo, cache)
    assert SKIPPED in build(repo, cache).stdout
    (program / "render.py").write_text("# a new version of the program\n", "utf-8")
    assert BUILT in build(repo, cache).stdout


@pytest.mark.parametrize("damage", ["changed", "removed", "added"])
def test_a_site_changed_on_disk_is_built_again(
    repo: StatementRepo, tmp_path: Path, damage: str
) -> None:
    cache, site = tmp_path / "cache", repo.root / "site"
    build(repo, cache)
    built = site_files(site)
    page = site / "en" / "index.html"
    if damage == "changed":
        page.write_bytes(page.read_bytes().replace(b"</h1>", b"!</h1>", 1))
    elif damage == "removed":
        page.unlink()
    else:
        (site / "en" / "extra.html").write_text("<p>not ours</p>", "utf-8")
    assert BUILT in build(repo, cache).stdout
    assert site_files(site) == built


def test_the_entry_answers_only_a_plain_build_and_as_cli_would(
    repo: StatementRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build(repo, cache)
    monkeypatch.setenv("STATEMENT_ROOT", str(repo.root))  # as bin/statement sets it
    plain = ["build", f"--cache={cache}", "--no-pdf"]
    assert SKIPPED in "\n".join(unchanged(plain))
    assert SKIPPED in "\n".join(unchanged(["build", "--root", str(repo.root), *plain[1:]]))
    assert unchanged(["build", f"--cache={cache}"]) == []  # with the PDFs: another build
    day = entry._request([*plain, "--today", "2021-2-3"])  # a day as click reads it: strptime's
    assert day is not None and day[3]["today"] == datetime.date(2021, 2, 3)
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    for other in (
        [*plain, "--today", "20210203"],  # ISO's, which click refuses
        [*plain, "--help"],
        [*plain, "--root"],
        [*plain, "--out", str(tmp_path / "a-file")],  # click.Path(file_okay=False) refuses it
        [*plain, "--release"],
        ["check", f"--cache={cache}"],
    ):
        assert entry._request(other) is None, other


def unchanged(args: list[str]) -> list[str]:
    """What the entry says for the command line without building: a rebuild with nothing to do."""
    request = entry._request(args)
    assert request is not None, args
    return fingerprint.said_unchanged(*request)[1]
