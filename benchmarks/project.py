"""The project under measurement: copies of it as git repositories, edits of it, the commands that build it."""

from __future__ import annotations

import compileall
import os
import shutil
import sys
from pathlib import Path

from synth import PROJECT_PARTS, Text, git, gray

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = Path(sys.executable)  # the project's venv: `make bench` runs us with .venv/bin/python
STATEMENT = PYTHON.parent / "statement"

GIT_DATES = iter(range(10**9))


def commit_all(root: Path, message: str) -> None:
    when = f"@{1_700_000_000 + next(GIT_DATES) * 60} +0100"
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, env=dates)


def copy_project(target: Path) -> Path:
    """statement/, templates/ and locales/ as a git repository with one commit (the statement's)."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        shutil.copytree(
            REPO / part, target / part, ignore=shutil.ignore_patterns("*.mo", "__pycache__")
        )
    (target / "statement" / "editorial-commits").unlink(missing_ok=True)  # names our repo's commits
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "The statement of 23 February 2021")
    return target


class Editor:
    """Edits one section of the statement in both languages, a different word every time."""

    def __init__(self, root: Path, start: int = 0) -> None:
        self.root = root
        self.texts = {
            lang: Text((REPO / "statement" / f"{lang}.md").read_text(encoding="utf-8"), lang)
            for lang in ("nl", "en")
        }
        self.count = start

    def edit(self, commit: bool) -> None:
        self.count += 1
        state = gray(self.count, self.texts["nl"].sections)
        for lang, text in self.texts.items():
            (self.root / "statement" / f"{lang}.md").write_bytes(text.render(state))
        if commit:
            commit_all(
                self.root, f"Reword a sentence ({self.count})\n\nEditorial: a word, same meaning"
            )


def pages_with_changed_pdf_source(before: dict[str, bytes], out: Path) -> int:
    """How many of the site's PDFs have a page (the index.html beside them) that changed."""
    changed = 0
    for pdf in out.rglob("*.pdf"):
        page = (pdf.parent / "index.html").relative_to(out).as_posix()
        if before.get(page) != (out / page).read_bytes():
            changed += 1
    return changed


def html_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def stages_cmd(root: Path, out: Path, cache: Path, *flags: str) -> list:
    return [PYTHON, BENCH / "stages.py", root, out, cache, *flags]


def compile_program() -> None:
    """generator/'s modules compiled to bytecode, as pip compiles an installed tool's (and the
    peer's, in its venv). The measured runs write no bytecode (project_env), nor do any where
    PYTHONDONTWRITEBYTECODE is set: without this, each of them would compile again every module
    changed since generator/__pycache__ was last written (50 to 70 ms of a cold build here)."""
    compileall.compile_dir(REPO / "generator", quiet=1)


def project_env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}


def fresh(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
