"""Faults of the machine and the checkout (issue 13): git missing, a cache that cannot be written,
a statement/ that git does not see, a history git cannot read, a file too large to read. Each is
a clear message and exit 1, never a traceback, and the site that was there stays as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED_CACHE, copy_project, run_build, site_files
from repos import IDENTITY, StatementRepo, make_repo

NOT_CHANGED = "The site was not changed: 1 problem(s) to fix.\n"


def built(repo: StatementRepo) -> dict[str, bytes]:
    """The repository's site, built once: what a failed build must leave as it is."""
    result = run_build(repo.root, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    return site_files(repo.root / "site")


def refused(root: Path, before: dict[str, bytes], *args: str) -> str:
    """What the build says on stderr, once it is sure it exited 1 and changed nothing."""
    result = run_build(root, extra=["--no-pdf", *args])
    assert (result.exit_code, result.stdout) == (1, ""), result.stderr
    assert site_files(root / "site") == before
    return result.stderr


def without_git(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH holds Python and nothing else: no git."""
    folder = tmp_path / "bin-without-git"
    folder.mkdir()
    (folder / "python").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PYTHON")}
    return {**env, "PATH": str(folder)}


def test_help_and_a_build_without_git_on_path(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    env = without_git(tmp_path)
    command = [sys.executable, "-m", "generator"]
    done = subprocess.run([*command, "--help"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "build" in done.stdout, done.stderr
    done = subprocess.run(
        [*command, "build", "--root", str(repo.root), "--no-pdf"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "git is not installed, or not on PATH: the versions are read from git\n"
        "    fix: install git (on Debian: apt-get install git) and make sure the git command is on PATH\n"
        + NOT_CHANGED
    )
    assert site_files(repo.root / "site") == before


def test_a_project_outside_git_builds_without_git_too(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--no-pdf"],
        env=without_git(tmp_path), capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Not a git repository" in done.stdout


def test_a_cache_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the cache's folder should go\n")
    said = refused(repo.root, before, "--cache", str(blocked / "cache"))
    assert said == (
        f"{blocked / 'cache'}: the cache folder cannot be written: Not a directory\n"
        "    fix: build with --cache naming a folder you may write (the cache is only for speed)\n"
        + NOT_CHANGED
    )


def test_a_cache_that_cannot_be_written_is_a_finding_of_the_check(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    repo = make_repo(tmp_path / "project")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n")
    args = ["check", "--root", str(repo.root), "--cache", str(blocked / "cache")]
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert "the cache folder cannot be written" in result.stdout


def test_a_statement_folder_that_is_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    shutil.move(repo.statement, tmp_path / "elsewhere")
    repo.statement.symlink_to(tmp_path / "elsewhere")
    repo.commit("statement/ kept elsewhere")
    assert refused(repo.root, before) == (
        "statement: statement/ is a symbolic link: git keeps the link, not the statement's history\n"
        "    fix: make statement/ a real folder of the project, committed with it\n" + NOT_CHANGED
    )


def test_a_statement_folder_that_git_ignores_is_refused_and_no_draft_is_released(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "project")
    (root / ".gitignore").write_text("statement/\n")
    repo = StatementRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("The project, its statement ignored by mistake")
    said = (
        "statement: git ignores statement/ (a .gitignore names it): it has no history\n"
        "    fix: remove the line that names statement/ from .gitignore, then commit statement/\n"
        + NOT_CHANGED
    )
    for args in ([], ["--release"]):
        result = run_build(root, extra=args)
        assert (result.exit_code, result.stderr) == (1, said)
        assert not (root / "site").exists()


def test_a_statement_folder_that_is_a_submodule_is_refused(tmp_path: Path) -> None:
    inner = make_repo(tmp_path / "statement-repo")
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    shutil.rmtree(repo.statement)
    repo.git("rm", "-q", "-r", "--cached", "statement")
    repo.git("-c", "protocol.file.allow=always", "submodule", "-q", "add",
             str(inner.statement.parent), "statement")  # fmt: skip
    repo.commit("statement/ as a submodule")
    shutil.copytree(inner.statement, repo.statement, dirs_exist_ok=True)
    assert refused(repo.root, before) == (
        "statement: statement/ is a git repository of its own (a submodule): its history is not "
        "the project's\n"
        "    fix: make statement/ a plain folder of the project's repository, committed with it\n"
        + NOT_CHANGED
    )


def partial_clone(origin: StatementRepo, target: Path) -> Path:
    """A clone that fetched no old file contents (--filter=blob:none), whose remote is then gone."""
    origin.git("config", "uploadpack.allowFilter", "true")
    origin.git("config", "uploadpack.allowAnySHA1InWant", "true")
    env = {**os.environ, **IDENTITY}
    subprocess.run(
        ["git", "clone", "-q", "--filter=blob:none", origin.root.as_uri(), str(target)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    shutil.rmtree(origin.root)
    return target


def test_a_partial_clone_whose_remote_is_gone_is_said_so(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    origin.edit("nl.md", "niet langer dan nodig", "niet langer dan strikt nodig")
    origin.commit("Wording\n\nEditorial: one word added")
    root = partial_clone(origin, tmp_path / "clone")
    assert refused(root, {}) == (
        "statement: git could not read an older version of statement/: this partial clone lacks "
        "it and its remote cannot be reached\n"
        "    fix: make the remote reachable again, or clone the repository in full (without "
        "--filter)\n" + NOT_CHANGED
    )


def test_a_file_too_large_to_read_is_refused_before_it_is_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    with (repo.statement / "en.md").open("ab") as text:
        text.truncate(150_000_000)  # sparse: 150 MB that take no room on the disk
    said = refused(repo.root, before)
    assert said == (
        "statement/en.md: this file is too large to read: 150,000,000 bytes, more than "
        "10,000,000\n"
        "    fix: a statement's text is far smaller: check that this is the file you meant\n"
        + NOT_CHANGED
    )


def test_release_with_an_inline_summary_changes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    repo = make_repo(tmp_path / "project")
    path = repo.statement / "statement.toml"
    text = path.read_text(encoding="utf-8")
    text = text[: text.index("[summary]")] + text[text.index("[accepted_gaps]") :]
    text = text.replace("effective =", 'summary = { nl = "Nieuw.", en = "New." }\neffective =')
    path.write_text(text, encoding="utf-8")
    repo.commit("The summary written inline")
    args = ["release", "--root", str(repo.root), "--date", "2030-01-01", "--far-ahead"]
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert result.stderr == (
        "statement/statement.toml: statement.toml could not be rewritten safely\n"
        "    fix: set effective and the [summary] of every language by hand in statement.toml\n"
        "Nothing was changed: 1 problem(s) to fix.\n"
    )
    assert path.read_text(encoding="utf-8") == text


def test_a_page_too_large_to_make_is_refused(tmp_path: Path) -> None:
    # a 1 kB fact used 30,000 times: a 300 kB source that would make a page of 30 MB
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    settings = repo.statement / "statement.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "[facts]\n", f'[facts]\nlang = "{"x" * 1000}"\n'
        ),
        encoding="utf-8",
    )
    with (repo.statement / "en.md").open("a", encoding="utf-8") as text:
        text.write("\n" + "{{lang}} " * 30_000 + "\n")
    assert refused(repo.root, before) == (
        "statement/en.md: the text makes a page of more than 25,000,000 characters\n"
        "    fix: a fact adds its whole length every time it is used: use a long fact less often, "
        "or shorten it\n" + NOT_CHANGED
    )


def test_control_characters_in_messages_reach_the_terminal_escaped(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    root = copy_project(tmp_path / "project")
    settings = root / "statement" / "statement.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace(
        "[accepted_gaps]\n", '[accepted_gaps]\nright_portability = "no\\u001b[2J data"\n'
    )
    settings.write_text(text, encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", "--root", str(root), "--cache", str(SHARED_CACHE)])
    assert "no\\x1b[2J data" in checked.stdout  # an accepted gap, with its reason
    settings.write_text(text.replace("[facts]\n", '[facts]\n"kvk\\u001b]0;owned\\u0007" = "1"\n'))
    result = run_build(root, extra=["--no-pdf"])
    assert result.exit_code == 1
    assert "'kvk\\x1b]0;owned\\x07' is not a usable fact name" in result.stderr
    for said in (result.stderr, checked.stdout):
        assert not any(c in said for c in "\x1b\x07"), said


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give the checkout to another user")
def test_a_checkout_of_another_user_is_said_so(tmp_path: Path, monkeypatch) -> None:
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    for path in [repo.root, *repo.root.rglob("*")]:
        os.lchown(path, 65534, 65534)  # nobody's, as a CI cache or a shared folder may be
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # no safe.directory of this machine's
    assert refused(repo.root, before, "--cache", str(tmp_path / "cache")) == (
        "statement: git refuses to read this repository: it belongs to another user\n"
        "    fix: if you trust it, tell git so: git config --global --add safe.directory "
        f"{repo.root}\n" + NOT_CHANGED
    )


def test_a_committed_file_too_large_is_never_read_into_memory(tmp_path: Path) -> None:
    from generator.files import Unread
    from generator.history import read_history

    repo = make_repo(tmp_path / "project")
    with (repo.statement / "scan.pdf").open("wb") as scan:  # not read by the build at all
        scan.truncate(50_000_000)
    repo.commit("A scan of the signed statement, kept beside it")
    history = read_history(repo.root)
    unread = [data for data in history.contents.values() if isinstance(data, Unread)]
    assert [(data.size, len(data)) for data in unread] == [(50_000_000, 0)]
    assert run_build(repo.root, extra=["--no-pdf"]).exit_code == 0
    with (repo.statement / "en.md").open("ab") as text:
        text.truncate(12_000_000)
    short = repo.commit("An English text far too long")[:7]
    said = refused(repo.root, site_files(repo.root / "site"))
    assert said.startswith(
        f"statement/en.md (commit {short}): this file is too large to read: 12,000,000 bytes"
    )


def test_an_old_text_git_has_lost_stops_the_build_and_is_not_passed_over(tmp_path: Path) -> None:
    """The history's texts arrive from git while the versions are read: one that git cannot
    give in the middle of the history is said as git's problem, not taken for a commit that
    does not render and passed over."""
    repo = make_repo(tmp_path / "project")
    first = repo.git("rev-parse", "HEAD:statement/nl.md")
    repo.edit("nl.md", "niet langer dan nodig", "niet langer dan echt nodig")
    repo.commit("Wording\n\nEditorial: a clearer retention period")
    before = built(repo)
    (repo.root / ".git" / "objects" / first[:2] / first[2:]).unlink()  # the first text, lost
    said = refused(repo.root, before, "--today", "2030-01-01")  # not the site's build: read
    assert said.startswith(
        "statement: git could not read the history of statement/: "
        "an object git keeps is missing or damaged\n"
    ), said
    assert "Passed over" not in said


@pytest.mark.parametrize(
    ("mistake", "said"),
    [
        (("{% block", "{% blok"), "the template cannot be read: Encountered unknown tag 'blok'."),
        (
            ("{{ translation.title }}", "{{ translation.titel.x }}"),
            "the template fails as a page is made: "
            "'generator.model.Translation object' has no attribute 'titel'",
        ),
    ],
    ids=["unknown tag", "unknown attribute"],
)
def test_a_mistake_in_a_projects_own_template_is_said_at_its_line(tmp_path, mistake, said) -> None:
    """An organisation's own templates/ are its editors' to change: a mistake there is said in
    the template at its line, as a text's is, and the site is left as it was."""
    repo = make_repo(tmp_path / "project")
    before = built(repo)
    own = repo.root / "templates" / "statement.html"
    own.parent.mkdir(exist_ok=True)
    text = (REPO / "templates" / "statement.html").read_text(encoding="utf-8")
    own.write_text(text.replace(*mistake, 1), encoding="utf-8")
    line = text[: text.index(mistake[0])].count("\n") + 1
    assert refused(repo.root, before) == (
        f"templates/statement.html:{line}: {said}\n"
        "    fix: mend it (a Jinja2 template), or delete it from templates/ to use the built-in one\n"
        + NOT_CHANGED
    )
