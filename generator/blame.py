"""Which of two files of statement/ changed last, as git sees it: a message about a difference
between languages then points at the file the editor changed, not at the one that was right.

Uncommitted changes are the newest (between two changed files, the one saved last); otherwise
the file's last commit decides (up to the commit being read, for a file of an earlier commit). Asked of the git command line only when such a message is made.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def changed_last(paths: list[Path]) -> Path | None:
    """The file among paths changed most recently, or None when git cannot tell them apart."""
    stamps = {path: _stamp(path) for path in paths}
    if None in stamps.values() or len(set(stamps.values())) < len(stamps):
        return None
    return max(stamps, key=lambda path: stamps[path])


def _stamp(path: Path) -> tuple[int, float] | None:
    """(1, when saved) for a file with uncommitted changes, (0, when committed) for the others;
    a file of a commit, `nl.md (commit abc1234)`, by the commits up to that one."""
    name, _, commit = path.name.partition(" (commit ")
    if commit:
        committed = _git(path, "log", "-1", "--format=%ct", commit.rstrip(")"), "--", name)
        return (0, float(committed)) if committed else None
    changed = _git(path, "status", "--porcelain", "--", name)
    if changed is None or not path.is_file():
        return None
    if changed:
        return 1, path.stat().st_mtime
    committed = _git(path, "log", "-1", "--format=%ct", "--", name)
    return (0, float(committed)) if committed else None


def _git(path: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=path.parent, capture_output=True, text=True)
    except OSError:  # no git on this machine
        return None
    return done.stdout.strip() if done.returncode == 0 else None
