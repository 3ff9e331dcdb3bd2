"""The writer: a site is swapped in whole, whatever happens while it is written."""

from __future__ import annotations

import errno
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project, edit, run_build, site_files
from repos import make_repo

from generator.errors import StatementError
from generator.model import Site
from generator.site import MARK, MARK_TEXT, write_site

RETENTION = "niet langer dan nodig is"


def build_command(root: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--root", str(root), "--cache", str(cache)]


def staging(root: Path) -> bool:
    return any(path.name.startswith(".site.new-") for path in root.iterdir())


def test_a_build_killed_while_it_writes_the_site_leaves_a_whole_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    subprocess.run(build_command(root, cache), check=True, capture_output=True)
    old = site_files(root / "site")
    edit(root / "statement" / "nl.md", RETENTION, "niet langer dan strikt nodig is")
    fresh = [*build_command(root, cache), "--out", str(tmp_path / "new")]
    subprocess.run(fresh, check=True, capture_output=True)  # also warms the PDF cache
    new = site_files(tmp_path / "new")
    random.seed(7)  # the same moments on every run
    killed = 0
    for _ in range(40):  # until 10 builds were killed while they wrote: the swap is what is tested
        build = subprocess.Popen(
            build_command(root, cache), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while build.poll() is None and not staging(root):
            pass  # no sleep: the staging folder may live for a few milliseconds only
        time.sleep(random.choice([0, 0, 0.001, 0.003, 0.01, 0.03]))
        build.send_signal(signal.SIGKILL)
        killed += build.wait() == -signal.SIGKILL
        assert site_files(root / "site") in (old, new)
        if killed == 10:
            break
    assert killed == 10, f"only {killed} builds were killed while they wrote the site"
    subprocess.run(build_command(root, cache), check=True, capture_output=True)
    assert site_files(root / "site") == new
    assert sorted(p.name for p in root.iterdir()) == ["locales", "site", "statement", "templates"]


def test_two_builds_at_once_give_one_whole_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    subprocess.run(build_command(root, cache), check=True, capture_output=True)
    expected = site_files(root / "site")
    builds = [
        subprocess.Popen(build_command(root, cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    assert [b.wait() for b in builds] == [0, 0, 0]
    assert site_files(root / "site") == expected
    assert sorted(p.name for p in root.iterdir()) == ["locales", "site", "statement", "templates"]


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_site(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "site"
    write_site(Site((("index.html", b"old"),)), out)
    written = []

    def full_disk(self: Path, data: bytes) -> int:
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(self)
        return len(data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(StatementError) as raised:
        write_site(Site((("a.html", b"a"), ("b.html", b"b"))), out)
    monkeypatch.undo()
    assert "No space left on device" in raised.value.message
    assert site_files(out) == {"index.html": b"old", MARK: MARK_TEXT}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_an_output_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (tmp_path / "blocked").write_text("a file where the site's folder should go\n")
    result = run_build(root, tmp_path / "blocked" / "site")
    assert result.exit_code == 1
    assert "the site could not be written" in result.stderr and "fix:" in result.stderr
    assert "Traceback" not in result.stderr


# --- the output folder: only a site of ours is ever replaced ------------------------------------

FIX = "    fix: write the site to a folder of its own: leave out --out (it is then ROOT/site)\n"
FOREIGN = (
    "{out}: this folder holds files but no site this program built: building there would "
    "delete them\n    fix: choose a new or empty folder for --out (a site built before sites had "
    "a mark has none: delete that one yourself, once)\n"
)
NOT_CHANGED = "The site was not changed: 1 problem(s) to fix.\n"


def everything(folder: Path) -> dict[str, bytes]:
    """Every file and folder under folder, with a file's bytes: what must not be lost."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"/"
            for p in sorted(folder.rglob("*"))}  # fmt: skip


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A project in git with uncommitted work and a file of the editor's own beside it."""
    root = make_repo(tmp_path / "project").root
    edit(root / "statement" / "nl.md", RETENTION, "niet langer dan strikt nodig is")
    (root / "notes.txt").write_text("the editor's own notes\n")
    return root


@pytest.mark.parametrize(
    ("out", "said"),
    [
        (".", "the output folder {root} holds the project: building there would delete it\n"),
        ("..", "the output folder {parent} holds the project: building there would delete it\n"),
        ("statement", "statement: the site cannot be written inside statement/: building there "
                      "would delete the project's own files\n"),
        ("statement/site", "statement/site: the site cannot be written inside statement/: "
                           "building there would delete the project's own files\n"),
        ("templates", "templates: the site cannot be written inside templates/: building there "
                      "would delete the project's own files\n"),
        ("locales/nl", "locales/nl: the site cannot be written inside locales/: building there "
                       "would delete the project's own files\n"),
        (".git", ".git: the site cannot be written inside .git: building there would delete the "
                 "project's own files\n"),
    ],
)  # fmt: skip
def test_an_output_folder_of_the_project_is_refused_and_nothing_is_deleted(
    checkout: Path, out: str, said: str
) -> None:
    parent = checkout.parent
    before = everything(parent)
    result = run_build(checkout, checkout / out)
    assert (result.exit_code, result.stdout) == (1, "")
    said = said.format(root=checkout, parent=parent)
    assert result.stderr == said + FIX + NOT_CHANGED
    assert everything(parent) == before


def test_out_dot_in_the_project_refuses_from_the_command_line_too(checkout: Path) -> None:
    before = everything(checkout)
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--out", "."],
                          cwd=checkout, capture_output=True, text=True)  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(f"the output folder {checkout} holds the project")
    assert everything(checkout) == before


@pytest.mark.parametrize(
    ("cache", "said"),
    [
        ("statement/cache", "statement/cache: the cache cannot be kept inside statement/: it would "
                            "change the project's own files\n"),
        ("site", "site: the cache cannot be kept inside the output folder: it would be published "
                 "with the site\n"),
        ("site/cache", "site/cache: the cache cannot be kept inside the output folder: it would be "
                       "published with the site\n"),
    ],
)  # fmt: skip
def test_a_cache_in_the_sources_or_in_the_site_is_refused(
    checkout: Path, cache: str, said: str
) -> None:
    """--cache statement made the next build a draft (and a commit of statement/ would take the
    cache along); --cache site published the cache, with the builder's folders, on the web."""
    run_build(checkout, extra=["--no-pdf"])
    before = everything(checkout)
    result = run_build(checkout, cache=checkout / cache, extra=["--no-pdf"])
    assert (result.exit_code, result.stdout) == (1, "")
    hint = "    fix: leave out --cache (it is then ROOT/.cache), or name a folder of its own\n"
    assert result.stderr == said + hint + NOT_CHANGED
    assert everything(checkout) == before


def test_a_folder_of_other_files_is_refused_and_kept(checkout: Path, tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "contract.pdf").write_bytes(b"%PDF-1.7 not ours")
    result = run_build(checkout, out)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == FOREIGN.format(out=out) + NOT_CHANGED
    assert site_files(out) == {"contract.pdf": b"%PDF-1.7 not ours"}


def test_a_site_of_ours_and_an_empty_folder_are_replaced(checkout: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert run_build(checkout, out, extra=["--no-pdf"]).exit_code == 0
    assert (out / MARK).read_bytes() == MARK_TEXT
    (out / "stray.html").write_text("a file left by hand in a site of ours\n")
    assert run_build(checkout, out, extra=["--no-pdf"]).exit_code == 0
    assert not (out / "stray.html").exists()


def test_the_writer_checks_the_mark_itself(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n")
    with pytest.raises(StatementError):
        write_site(Site((("index.html", b"new"),)), out)
    assert site_files(out) == {"keep.txt": b"mine\n"}


def test_a_site_built_before_sites_had_a_mark_is_replaced_but_not_one_with_more_in_it(
    checkout: Path, tmp_path: Path
) -> None:
    out = tmp_path / "old-site"
    assert run_build(checkout, out, extra=["--no-pdf"]).exit_code == 0
    (out / MARK).unlink()  # as a build before this version left it
    assert run_build(checkout, out, extra=["--no-pdf"]).exit_code == 0
    assert (out / MARK).is_file()
    (out / MARK).unlink()
    (out / "notes.txt").write_text("not the build's\n")
    result = run_build(checkout, out, extra=["--no-pdf"])
    assert result.stderr == FOREIGN.format(out=out) + NOT_CHANGED
    assert (out / "notes.txt").read_text() == "not the build's\n"
