"""A release publishes no words `statement init` left to be replaced: init's CI builds with
--release on every push, and published "FILL IN: the organisation's name" to the web."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import run_build
from repos import IDENTITY

from generator.cli import main


def committed_init(folder: Path) -> Path:
    done = CliRunner().invoke(
        main, ["init", str(folder), "--date", "2026-01-01", "--language", "en"]
    )
    assert done.exit_code == 0, done.output
    env = {
        **IDENTITY,
        "GIT_AUTHOR_DATE": "2025-12-01T10:00:00",
        "GIT_COMMITTER_DATE": "2025-12-01T10:00:00",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(
            ["git", *args], cwd=folder, env={**__import__("os").environ, **env}, check=True
        )
    return folder


def test_a_release_refuses_the_placeholders_init_wrote(tmp_path: Path) -> None:
    folder = committed_init(tmp_path / "new")
    preview = run_build(folder, extra=["--no-pdf"])
    assert preview.exit_code == 0, preview.stderr  # a preview shows them: init's promise
    out = tmp_path / "release"
    result = run_build(folder, out, extra=["--release"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    assert "the section #controller still says FILL IN: a release would publish it" in result.stderr
    assert (
        "'publisher.name' in statement.toml still says FILL IN: a release would publish it"
        in result.stderr
    )
    assert not out.exists()
