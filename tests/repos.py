"""Real git repositories in temporary folders, with fixed names, e-mails and dates, so that every
run makes the same commits."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import copy_project, edit

IDENTITY = {
    "GIT_AUTHOR_NAME": "Legal Editor",
    "GIT_AUTHOR_EMAIL": "legal@example.nl",
    "GIT_COMMITTER_NAME": "Legal Editor",
    "GIT_COMMITTER_EMAIL": "legal@example.nl",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


class StatementRepo:
    """A project folder under git: the EMS statement as its first commit, then what a test does."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.statement = root / "statement"
        self.clock = 0

    def git(self, *args: str, when: str | None = None) -> str:
        """Run git; its commits dated `when` (ISO 8601), else by the fixture's own clock."""
        self.clock += 1
        when = when or _date(self.clock)
        env = {**os.environ, **IDENTITY, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(self, message: str, when: str | None = None) -> str:
        """Commit everything in the work tree (dated `when`, if given); the commit's full hash."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when)
        return self.git("rev-parse", "HEAD")

    def edit(self, name: str, old: str, new: str) -> None:
        edit(self.statement / name, old, new)

    def new_version(self, day: str, nl: str, en: str) -> None:
        """Set a new effective date with its summary in both languages."""
        path = self.statement / "statement.toml"
        text = path.read_text(encoding="utf-8")
        start = text.index("effective = ") + len("effective = ")
        text = text[:start] + day + text[start + 10 :]
        text = text[: text.index("[summary]")] + f'[summary]\nnl = "{nl}"\nen = "{en}"\n'
        path.write_text(text, encoding="utf-8")


def _date(day: int) -> str:
    # a fixed, increasing date per git call: the same history, commit for commit, on every run
    return f"2021-01-{1 + day % 28:02d}T{day // 28 % 24:02d}:00:00+01:00"


def make_repo(folder: Path) -> StatementRepo:
    """The EMS project as the first commit of a new repository (its drafting marked editorial)."""
    root = copy_project(folder)
    (root / "statement" / "editorial-commits").unlink(missing_ok=True)
    repo = StatementRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("The statement of 23 February 2021")
    return repo
