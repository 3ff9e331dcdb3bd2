"""The tool as an organisation installs it: a wheel (not this checkout) in a virtual environment of
its own, run in a folder that holds a statement and nothing else of ours."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow  # a wheel, a virtual environment and its dependencies: a minute


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with the project's wheel installed."""
    folder = tmp_path_factory.mktemp("install")
    wheels = folder / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", wheels, REPO], check=True)
    subprocess.run([sys.executable, "-m", "venv", folder / "venv"], check=True)
    [wheel] = wheels.glob("*.whl")
    bin_ = folder / "venv" / "bin"
    subprocess.run([bin_ / "python", *pip[1:], "install", wheel], check=True)
    return bin_


def statement(bin_: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [bin_ / "statement", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_wheel_carries_the_templates_the_words_the_fonts_and_the_gdpr_list(
    installed: Path,
) -> None:
    [wheel] = (installed.parent.parent / "wheels").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "generator/templates/base.html",
        "generator/templates/style.css",
        "generator/templates/fonts/noto-sans-latin-400-normal.woff2",
        "generator/templates/fonts/OFL.txt",
        "generator/locales/nl/LC_MESSAGES/messages.po",
        "generator/locales/en/LC_MESSAGES/messages.po",
        "generator/data/gdpr-disclosures.toml",
    ):
        assert name in names


def test_an_installed_tool_builds_a_statement_with_no_templates_or_locales(
    installed: Path, tmp_path: Path
) -> None:
    shutil.copytree(REPO / "statement", tmp_path / "statement")
    done = statement(installed, "build", "--no-pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in tmp_path.iterdir()} - {".cache"} == {"site", "statement"}
    page = (tmp_path / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="page-contents">Inhoud</h2>' in page
    assert (tmp_path / "site" / "fonts" / "OFL.txt").is_file()
    imported = statement(installed, "--help", cwd=tmp_path)
    assert imported.returncode == 0
    # the tool ran from the virtual environment, not from this checkout
    where = subprocess.run(
        [installed / "python", "-c", "import generator; print(generator.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "site-packages" in where.stdout


def test_an_installed_tool_starts_a_statement_and_builds_it(
    installed: Path, tmp_path: Path
) -> None:
    made = statement(
        installed, "init", "privacy", "--language", "en", "--language", "nl", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    root = tmp_path / "privacy"
    assert not (root / "templates").exists() and not (root / "locales").exists()
    done = statement(installed, "build", "--no-pdf", "--root", str(root), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "en" / "index.html").is_file()
    workflow = (root / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert 'TOOL: "privacy-statement==0.1.0"' in workflow  # the version that wrote it
