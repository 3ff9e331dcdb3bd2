"""Messages name the command the editor typed: `bin/statement` in a project that keeps the
launcher, `statement` where pip installed it on the PATH, the path where they typed one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, copy_project, edit

from generator.command import LAUNCHER, typed_as


def installed(folder: Path) -> Path:
    """A `statement` program in folder, as pip installs one."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "statement"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    return program


def test_the_installed_command_on_the_path_is_named_statement(tmp_path: Path) -> None:
    program = installed(tmp_path / "venv" / "bin")
    assert typed_as(str(program), {"PATH": f"/usr/bin:{program.parent}"}) == "statement"


def test_a_program_typed_by_its_path_is_named_by_that_path(tmp_path: Path) -> None:
    installed(tmp_path / ".venv" / "bin")
    other = installed(tmp_path / "elsewhere")  # another `statement` first on the PATH
    assert typed_as(".venv/bin/statement", {"PATH": str(other.parent)}) == ".venv/bin/statement"
    assert typed_as("/my tools/statement", {"PATH": ""}) == "'/my tools/statement'"


def test_the_launcher_says_how_it_was_typed(tmp_path: Path) -> None:
    venv = installed(tmp_path / ".venv" / "bin")
    for typed in ("bin/statement", "../bin/statement"):
        environ = {LAUNCHER: typed, "PATH": str(venv.parent)}
        assert typed_as(str(venv), environ) == typed


def test_python_m_and_python_itself(tmp_path: Path) -> None:
    assert typed_as(str(REPO / "generator" / "__main__.py"), {}) == "python -m generator"
    assert typed_as("/usr/lib/python3/dist-packages/pytest", {}) == "statement"


# --- the real programs: the launcher and the installed command, run as an editor runs them ---


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project as `make site` leaves it: the launcher in bin/, the command in .venv/."""
    root = copy_project(tmp_path / "project")
    (root / "bin").mkdir()
    shutil.copy2(REPO / "bin" / "statement", root / "bin" / "statement")
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def terminal(*on_path: Path) -> dict[str, str]:
    """A new terminal's environment: no virtual environment, and on the PATH what is given."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", LAUNCHER, "STATEMENT_ROOT")
    }
    paths = [p for p in env.get("PATH", "").split(os.pathsep) if "venv" not in p]
    return env | {"PATH": os.pathsep.join([*map(str, on_path), *paths])}


def typed(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_bin_statement_hints_say_bin_statement(project: Path) -> None:
    done = typed("bin/statement release --date 2020-01-01", project, terminal())
    assert done.returncode == 1
    assert "fix: choose a later date: bin/statement release --date 2021-02-24\n" in done.stderr
    done = typed("../bin/statement check", project / "statement", terminal())
    assert done.returncode == 1
    assert "; ../bin/statement check --verbose shows how to fix each" in done.stdout


def test_the_installed_statement_hints_say_statement(project: Path) -> None:
    done = typed("statement check", project, terminal(REPO / ".venv" / "bin"))
    assert done.returncode == 1
    assert "; statement check --verbose shows how to fix each" in done.stdout
    assert "bin/statement" not in done.stdout + done.stderr
    done = typed(".venv/bin/statement release --date 2020-01-01", project, terminal())
    assert "fix: choose a later date: .venv/bin/statement release --date 2021-02-24\n" in (
        done.stderr
    )


def test_a_plain_build_names_the_command_as_typed(project: Path) -> None:
    """A build with only its own options runs without click (entry.py): its notes still name
    the command the editor typed."""
    text = project / "statement" / "en.md"
    heading = next(line for line in text.read_text("utf-8").splitlines() if line.startswith("## "))
    edit(text, f"{heading}\n", f"{heading}\n\nFILL IN the name.\n")
    done = typed("bin/statement build --no-pdf", project, terminal())
    assert done.returncode == 0, done.stderr
    assert "; bin/statement check lists them, and a release build refuses them.\n" in done.stdout
