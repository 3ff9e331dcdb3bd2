"""The checkout as the history reader finds it: git installed, statement/ a plain folder that git
tracks, and what git could not read said in words rather than as a traceback.

The versions, the date guard and --release all rest on the history of statement/: a statement/
that git does not see (a symbolic link, a submodule, an ignored folder) would build with none of
them, the current text as a draft, so it is refused instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import StatementError

T = TypeVar("T")
GIT_HINT = "install git (on Debian: apt-get install git) and make sure the git command is on PATH"


class GitFailed(Exception):
    """A git command that failed: what it said on stderr (checkout.py puts it in words)."""

    def __init__(self, command: list[str], stderr: bytes) -> None:
        self.stderr = stderr.decode("utf-8", "replace")
        super().__init__(f"{' '.join(command)}: {self.stderr.strip()}")


def checked(read: Callable[..., T]) -> Callable[..., T]:
    """read_history(root, …), with the checkout checked first and git's failures put in words."""

    @functools.wraps(read)
    def reading(root: Path, *args, **kwargs) -> T:
        top = repository_top(root)
        if top is None:
            return read(root, *args, **kwargs)  # not in git: it reads no history either
        _require_git(root)
        _require_plain_folder(root)
        try:
            history = read(root, *args, **kwargs)
        except (ValueError, GitFailed) as error:
            raise unreadable(root, error) from None
        _require_tracked(root, history)
        return history

    return reading


def repository_top(root: Path) -> Path | None:
    """The folder of the git repository root is in (the nearest with a .git), or None."""
    root = root.resolve()
    return next((folder for folder in (root, *root.parents) if (folder / ".git").exists()), None)


def _require_git(root: Path) -> None:
    if shutil.which("git") is None:
        message = "git is not installed, or not on PATH: the versions are read from git"
        raise StatementError(root, None, message, GIT_HINT)


def _require_plain_folder(root: Path) -> None:
    folder = root / "statement"
    if folder.is_symlink():
        message = "statement/ is a symbolic link: git keeps the link, not the statement's history"
        hint = "make statement/ a real folder of the project, committed with it"
        raise StatementError(folder, None, message, hint)
    if (folder / ".git").exists():
        message = "statement/ is a git repository of its own (a submodule): its history is not the project's"
        hint = "make statement/ a plain folder of the project's repository, committed with it"
        raise StatementError(folder, None, message, hint)


def _require_tracked(root: Path, history) -> None:
    """No commit and no change under statement/ while it holds the settings: git ignores it."""
    if history is None or history.revisions or history.dirty:
        return
    if (root / "statement" / "statement.toml").exists():
        message = "git ignores statement/ (a .gitignore names it): it has no history"
        hint = "remove the line that names statement/ from .gitignore, then commit statement/"
        raise StatementError(root / "statement", None, message, hint)


def unreadable(root: Path, error: Exception) -> StatementError:
    """What git could not read, in words: a ValueError is the history's word for an object git
    could not give it."""
    top = repository_top(root) or root
    if isinstance(error, ValueError):
        return _unreadable(root, top, "an object git keeps is missing or damaged")
    return _unreadable(root, top, _first_line(error))


def _unreadable(root: Path, top: Path, reason: str) -> StatementError:
    message = f"git could not read the history of statement/: {reason}"
    hint = "run `git fsck` to see what is wrong; a fresh `git clone` of the repository mends most"
    if "dubious ownership" in reason:  # the checkout belongs to another user than the build's
        message = "git refuses to read this repository: it belongs to another user"
        hint = f"if you trust it, tell git so: git config --global --add safe.directory {top}"
    elif _partial(top):
        message = "git could not read an older version of statement/: this partial clone lacks it and its remote cannot be reached"
        hint = "make the remote reachable again, or clone the repository in full (without --filter)"
    return StatementError(root / "statement", None, message, hint)


def _partial(top: Path) -> bool:
    """A partial clone (git clone --filter): git fetches old objects from its remote on demand."""
    done = subprocess.run(
        ["git", "-C", str(top), "config", "--get-regexp", r"^(remote\..*\.promisor|extensions\.partialclone)$"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    return bool(done.stdout.strip())


def _first_line(error: Exception) -> str:
    stderr = str(getattr(error, "stderr", "") or error).strip()
    lines = [line.strip() for line in stderr.split("\n") if line.strip()]
    return (lines[0] if lines else type(error).__name__).removeprefix("stderr: ").strip("'")


def writable_cache(cache: Path) -> None:
    """The cache folder, made if need be and proved writable, or a StatementError saying why."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        probe = cache / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        message = f"the cache folder cannot be written: {error.strerror or error}"
        hint = "build with --cache naming a folder you may write (the cache is only for speed)"
        raise StatementError(cache, None, message, hint) from None
