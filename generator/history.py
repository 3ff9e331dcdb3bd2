"""The only `import git`: the first-parent history of statement/, read once, from git objects.

One `git log --raw` lists every commit that touched statement/ with the blobs it wrote; the blobs
are then read through git's batch interface. Nothing is checked out.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# Without git on PATH, GitPython would refuse even to be imported, and every command with it
# (`statement --help` too); quiet, it imports, and checkout.py says that git is missing.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
import git

from .checkout import checked
from .errors import StatementError, stage
from .model import Commit

RECORD, FIELD, TRAILERS = "\x1e", "\x1f", "\x1d"
TRAILER = "%(trailers:key={},valueonly,separator=%x1d)"
LOG_FORMAT = f"%x1e%H%x1f%cI%x1f{TRAILER.format('Editorial')}%x1f{TRAILER.format('Backdated')}"
NO_BLOB = "0" * 40
CACHE_FORMAT = 2


@dataclass(frozen=True)
class Revision:
    """statement/ as one commit left it."""

    commit: str
    editorial: str  # the reason in its `Editorial:` trailer, or ""
    blobs: tuple[tuple[str, str], ...]  # (file name in statement/, blob id)
    committed: str = ""  # when it was committed, ISO 8601 with the committer's offset
    backdated: str = ""  # the reason in its `Backdated:` trailer, or ""

    @property
    def short(self) -> str:
        return self.commit[:7]

    def as_commit(self) -> Commit:
        when = datetime.fromisoformat(self.committed) if self.committed else None
        return Commit(self.commit, when, self.editorial, self.backdated)


@dataclass(frozen=True)
class History:
    revisions: tuple[Revision, ...]  # oldest first
    contents: dict[str, bytes]  # blob id -> the file's bytes
    shallow: bool
    dirty: bool  # uncommitted changes under statement/

    def files(self, revision: Revision) -> dict[str, bytes]:
        return {name: self.contents[blob] for name, blob in revision.blobs}


@stage("history")
@checked
def read_history(root: Path, cache: Path | None = None) -> History | None:
    """The history of root/statement/, or None when root is not in a git repository.

    The walk of the log is kept in `cache` (a JSON file) keyed by HEAD, so that a rebuild with
    nothing committed since does not walk it again."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    with repo:
        folder = _folder_in_repo(repo, root)
        revisions = _cached_revisions(repo, folder, cache) if repo.head.is_valid() else ()
        contents = _contents(repo, revisions)
        dirty = bool(repo.git.status("--porcelain", "--untracked-files=all", "--", folder))
        shallow = repo.git.rev_parse("--is-shallow-repository") == "true"
    return History(revisions, contents, shallow, dirty)


@stage("history")
def require_full(history: History, root: Path) -> None:
    if history.shallow:
        hint = "fetch the whole history with `git fetch --unshallow` (in CI: a full-depth checkout), or build with --allow-shallow"
        message = (
            "this clone is shallow, so older versions of the statement would silently be left out"
        )
        raise StatementError(root / "statement", None, message, hint)


def _folder_in_repo(repo: git.Repo, root: Path) -> str:
    top = Path(repo.working_tree_dir).resolve()
    return (root.resolve() / "statement").relative_to(top).as_posix() + "/"


def _cached_revisions(repo: git.Repo, folder: str, cache: Path | None) -> tuple[Revision, ...]:
    key = {"format": CACHE_FORMAT, "head": repo.head.commit.hexsha, "folder": folder}
    if cache is not None and (found := _read_cache(cache, key)) is not None:
        return found
    revisions = _revisions(repo, folder)
    if cache is not None:
        _write_cache(cache, key, revisions)
    return revisions


def _read_cache(cache: Path, key: dict) -> tuple[Revision, ...] | None:
    """The cached revisions, or None when the cache is missing, stale or damaged in any way."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        return tuple(_cached_revision(r) for r in data["revisions"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cached_revision(r: dict) -> Revision:
    blobs = tuple((name, blob) for name, blob in r["blobs"])
    return Revision(r["commit"], r["editorial"], blobs, r["committed"], r["backdated"])


def _write_cache(cache: Path, key: dict, revisions: tuple[Revision, ...]) -> None:
    entries = [
        {"commit": r.commit, "editorial": r.editorial, "blobs": r.blobs,
         "committed": r.committed, "backdated": r.backdated}
        for r in revisions
    ]  # fmt: skip
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(cache.name + f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({"key": key, "revisions": entries}), encoding="utf-8")
    partial.replace(cache)  # a reader sees the old cache or the new one, never half of one


def _revisions(repo: git.Repo, folder: str) -> tuple[Revision, ...]:
    log = repo.git.log(
        "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev", "--no-renames",
        "--reverse", f"--format={LOG_FORMAT}", "--", folder,
    )  # fmt: skip
    state: dict[str, str] = {}
    revisions = []
    for record in log.split(RECORD)[1:]:
        header, _, raw = record.partition("\n")
        commit, committed, editorial, backdated = header.split(FIELD)
        state = _apply(state, raw, folder)
        blobs = tuple(sorted(state.items()))
        revisions.append(Revision(commit, _first(editorial), blobs, committed, _first(backdated)))
    return tuple(revisions)


def _first(trailers: str) -> str:
    """The value of a commit's first trailer of a kind, or "" when it has none."""
    return trailers.split(TRAILERS)[0].strip()


def _apply(state: dict[str, str], raw: str, folder: str) -> dict[str, str]:
    """The files of statement/ after a commit: the state before, with the commit's raw diff."""
    state = dict(state)
    for line in raw.splitlines():
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        name = path.removeprefix(folder)
        if "/" in name or not path.startswith(folder):
            continue  # only the files directly in statement/
        blob = meta.split()[3]
        if blob == NO_BLOB:
            state.pop(name, None)
        else:
            state[name] = blob
    return state


def _contents(repo: git.Repo, revisions: tuple[Revision, ...]) -> dict[str, bytes]:
    blobs = sorted({blob for revision in revisions for _, blob in revision.blobs})
    return {blob: repo.odb.stream(bytes.fromhex(blob)).read() for blob in blobs}
