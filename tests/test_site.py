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

from generator.errors import StatementError
from generator.model import Site
from generator.site import write_site

RETENTION = "niet langer dan nodig is"


def build_command(root: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--root", str(root), "--cache", str(cache)]


def test_a_build_killed_at_any_moment_leaves_a_whole_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    subprocess.run(build_command(root, cache), check=True, capture_output=True)
    old = site_files(root / "site")
    edit(root / "statement" / "nl.md", RETENTION, "niet langer dan strikt nodig is")
    fresh = [*build_command(root, cache), "--out", str(tmp_path / "new")]
    subprocess.run(fresh, check=True, capture_output=True)  # also warms the PDF cache
    new = site_files(tmp_path / "new")
    random.seed(7)  # the same moments on every run
    for _ in range(12):
        build = subprocess.Popen(
            build_command(root, cache), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(random.uniform(0.05, 0.8))
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert site_files(root / "site") in (old, new)
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
    assert site_files(out) == {"index.html": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_an_output_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (tmp_path / "blocked").write_text("a file where the site's folder should go\n")
    result = run_build(root, tmp_path / "blocked" / "site")
    assert result.exit_code == 1
    assert "the site could not be written" in result.stderr and "fix:" in result.stderr
    assert "Traceback" not in result.stderr
