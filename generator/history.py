"""The only reader of git's history: the history of statement/, read from git objects, every time.

One `git log --raw` lists every commit reachable from HEAD that touched statement/, merges and the
branches they brought in included, parents before children, with the blobs each wrote; the blobs
are then read through git's batch interface. Nothing is checked out, and nothing is taken from a
cache: the walk costs tens of milliseconds for a thousand commits, and a cached walk could only be
trusted after walking again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import itertools
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .checkout import GitFailed, checked, unreadable
from .errors import StatementError, stage
from .files import MAX_FILE_BYTES, Unread
from .model import Commit

RECORD, FIELD, TRAILERS = "\x1e", "\x1f", "\x1d"
TRAILER = "%(trailers:key={},valueonly,separator=%x1d)"
LOG_FORMAT = (
    f"%x1e%H%x1f%P%x1f%cI%x1f{TRAILER.format('Editorial')}%x1f{TRAILER.format('Backdated')}"
    f"%x1f{TRAILER.format('Withdrawn')}"
)
NO_BLOB = "0" * 40
FILE_MODES = ("100644", "100755")
ODD_MODES = {"120000": "a symbolic link", "160000": "a submodule"}


@dataclass(frozen=True)
class Revision:
    """statement/ as one commit left it."""

    commit: str
    editorial: str  # the reason in its `Editorial:` trailer, or ""
    blobs: tuple[tuple[str, str], ...]  # (file name in statement/, blob id)
    committed: str = ""  # when it was committed, ISO 8601 with the committer's offset
    backdated: str = ""  # the reason in its `Backdated:` trailer, or ""
    parents: tuple[str, ...] = ()  # the nearest earlier revisions, the first parent's first
    odd: tuple[tuple[str, str], ...] = ()  # (name, what it is) of entries that are not files
    withdrawn: str = ""  # the reason in its `Withdrawn:` trailer, or ""

    @property
    def short(self) -> str:
        return self.commit[:7]

    def as_commit(self, changed: bool = True, languages: tuple[str, ...] = ()) -> Commit:
        when = datetime.fromisoformat(self.committed) if self.committed else None
        return Commit(self.commit, when, self.editorial, self.backdated, changed, languages)


@dataclass(frozen=True)
class History:
    revisions: tuple[Revision, ...]  # parents before children; HEAD's state last
    contents: Mapping[str, bytes]  # blob id -> the file's bytes
    shallow: bool
    dirty: bool  # uncommitted changes under statement/

    def files(self, revision: Revision) -> Mapping[str, bytes]:
        """The revision's files by name, each read when it is asked for (see Blobs)."""
        return _Files(self.contents, dict(revision.blobs))

    def without_texts(self) -> History:
        """The history once its versions are read: the files' bytes, most of its memory, let go."""
        return dataclasses.replace(self, contents={})


@dataclass(frozen=True)
class Repository:
    """The git repository root is in, as the history is read from it."""

    top: Path  # its working tree
    git_dir: Path
    shallow: bool

    def run(self, *args: str) -> str:
        return _git(self.top, *args).decode("utf-8", "replace")


@stage("history")
@checked
def read_history(root: Path) -> History | None:
    """The history of root/statement/, or None when root is not in a git repository. git is run
    as a command, not through GitPython: its import alone cost a cold build a tenth of its time."""
    repo = _repository(root)
    if repo is None:
        return None
    folder = (root.resolve() / "statement").relative_to(repo.top).as_posix() + "/"
    status = _started(repo.top, "status", "--porcelain", "--untracked-files=all", "--", folder)
    with status:  # waited for, however the reading ends
        has_head = _git(repo.top, "rev-parse", "--verify", "--quiet", "HEAD", ok=(0, 1)) != b""
        revisions = _revisions(repo, folder) if has_head else ()
        contents = _contents(repo, revisions, root)
        dirty = bool(_finished(status))
    return History(revisions, contents, repo.shallow, dirty)


def _started(where: Path, *args: str) -> subprocess.Popen:
    """A git command started, to run beside the others (`git status` walks the working tree)."""
    return subprocess.Popen(
        ["git", *args], cwd=where, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _finished(started: subprocess.Popen) -> bytes:
    out, error = started.communicate()
    if started.returncode:
        raise GitFailed(started.args, error)
    return out


def _repository(root: Path) -> Repository | None:
    """The repository root is in, or None when it is in none."""
    args = ("rev-parse", "--show-toplevel", "--absolute-git-dir", "--is-shallow-repository")
    try:
        top, git_dir, shallow = _git(root, *args).decode().splitlines()
    except OSError:  # no such folder, or no git: checkout.py has said so if it mattered
        return None
    except GitFailed as failed:
        if "not a git repository" in failed.stderr:
            return None
        raise
    return Repository(Path(top).resolve(), Path(git_dir), shallow == "true")


def _git(where: Path, *args: str, ok: tuple = (0,)) -> bytes:
    command = ["git", *args]
    done = subprocess.run(command, cwd=where, capture_output=True)
    if done.returncode not in ok:
        raise GitFailed(command, done.stderr)
    return done.stdout


@stage("history")
def require_full(history: History, root: Path) -> None:
    if history.shallow:
        hint = "fetch the whole history with `git fetch --unshallow` (in CI: a full-depth checkout), or build with --allow-shallow"
        message = (
            "this clone is shallow, so older versions of the statement would silently be left out"
        )
        raise StatementError(root / "statement", None, message, hint)


def _revisions(repo: Repository, folder: str) -> tuple[Revision, ...]:
    """Every commit that touched statement/, in topological order. A version merged in from a
    branch is as published as one committed on the first-parent line: `git pull` makes such
    merges, and reading the first parents only would drop the versions of the other side.
    Each commit's diff is against its first parent, whose state is known by then."""
    records = _log_records(
        repo.top, "log", "--full-history", "--topo-order", "--reverse", "--parents",
        "--diff-merges=first-parent", "--raw", "--no-abbrev", "--no-renames",
        f"--format={LOG_FORMAT}", "--", folder,
    )  # fmt: skip
    states: dict[str, dict[str, tuple[str, str]]] = {}
    revisions = []
    for record in itertools.islice(records, 1, None):  # what comes before the first: nothing
        header, _, raw = record.partition("\n")
        commit, parents, committed, editorial, backdated, withdrawn = header.split(FIELD)
        parents = tuple(parents.split())
        state = _apply(states.get(parents[0], {}) if parents else {}, raw, folder)
        states[commit] = state
        known = tuple(parent for parent in parents if parent in states)  # none past a shallow end
        trailers = (_first(editorial), committed, _first(backdated), _first(withdrawn))
        revisions.append(_revision(commit, trailers, state, known))
    return tuple(revisions)


def _log_records(where: Path, *args: str) -> Iterator[str]:
    """What `git log` writes, cut at RECORD, each piece as soon as git has written it: git
    works out the diffs of the commits still to come while this process reads the first."""
    command = ["git", *args]
    with tempfile.TemporaryFile() as said:  # git's stderr: never a pipe that could fill
        git_process = subprocess.Popen(command, cwd=where, stdout=subprocess.PIPE, stderr=said)
        try:
            pending = b""
            while chunk := git_process.stdout.read1(1 << 16):
                *done, pending = (pending + chunk).split(RECORD.encode())
                yield from (record.decode("utf-8", "replace") for record in done)
            yield pending.decode("utf-8", "replace")
        finally:
            git_process.stdout.close()
            git_process.wait()
        if git_process.returncode:
            said.seek(0)
            raise GitFailed(command, said.read())


def _first(trailers: str) -> str:
    """The value of a commit's first trailer of a kind, or "" when it has none."""
    return trailers.split(TRAILERS)[0].strip()


def _revision(commit: str, trailers: tuple, state: dict, parents: tuple[str, ...]) -> Revision:
    """Only plain files are read: a symbolic link or a submodule committed in statement/ has no
    text of its own, and is named as what it is."""
    files = sorted((name, blob) for name, (mode, blob) in state.items() if mode in FILE_MODES)
    odd = sorted(
        (name, ODD_MODES.get(mode, "not a file"))
        for name, (mode, _) in state.items()
        if mode not in FILE_MODES
    )
    editorial, committed, backdated, withdrawn = trailers
    return Revision(
        commit, editorial, tuple(files), committed, backdated, parents, tuple(odd), withdrawn
    )


def _apply(state: dict, raw: str, folder: str) -> dict[str, tuple[str, str]]:
    """The entries of statement/ after a commit: the state before, with the commit's raw diff."""
    state = dict(state)
    for line in raw.splitlines():
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        name = path.removeprefix(folder)
        if "/" in name or not path.startswith(folder):
            continue  # only the files directly in statement/
        mode, blob = meta.split()[1], meta.split()[3]
        if blob == NO_BLOB:
            state.pop(name, None)
        else:
            state[name] = (mode, blob)
    return state


@dataclass(frozen=True)
class _Files(Mapping[str, bytes]):
    contents: Mapping[str, bytes]
    ids: dict[str, str]  # file name -> blob id: the bytes' SHA-1, as git worked it out

    def __getitem__(self, name: str) -> bytes:
        return self.contents[self.ids[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


# Read first in each commit: its date, which its texts are checked against.
DATED_FIRST = ("statement.toml", "corrections")


def _contents(repo: Repository, revisions: tuple[Revision, ...], root: Path) -> Blobs:
    """Every blob the revisions name, in the order the versions are read: commit by commit, as
    git stored them (the settings of every commit first made git resolve each one's chain of
    deltas through the texts on its own, and took it longer than all the texts after them)."""
    named = (
        blob
        for revision in revisions
        for _, blob in sorted(revision.blobs, key=lambda file: file[0] not in DATED_FIRST)
    )
    return Blobs(repo.git_dir, list(dict.fromkeys(named)), functools.partial(unreadable, root))


class Blobs(Mapping[str, bytes]):
    """The bytes of the blobs, from one `git cat-file --batch` started when the first is asked
    for: git unpacks the next blobs into a pipe of a megabyte on one core while the reader parses
    this one on the other (git's unpacking was most of a long history's read). They are read in
    the reader's own thread, when it asks for one: a thread that read them beside it took
    Python's lock from it at every read and made it a third slower. A file too large is never held in
    memory; a blob git cannot give raises the StatementError that says so, which no reader may
    take for a commit that does not render."""

    def __init__(self, git_dir: Path, blobs: list[str], word: Callable[[Exception], Exception]):
        self._order, self._wanted, self._read, self._word = blobs, set(blobs), {}, word
        self._answers = _cat_file(git_dir, blobs) if blobs else iter(())
        self._failure: Exception | None = None

    def __getitem__(self, blob: str) -> bytes:
        if (data := self._read.get(blob)) is not None:
            return data
        if blob not in self._wanted:
            raise KeyError(blob)
        try:
            for name, data in self._answers:  # those before it are kept for their commits
                self._read[name] = data
                if name == blob:
                    return data
        except Exception as failure:  # said to whoever asks for a blob it kept from them
            self._failure = failure
        raise self._word(self._failure or ValueError(f"git has no object {blob}"))

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def _cat_file(git_dir: Path, blobs: list[str]) -> Iterator[tuple[str, bytes]]:
    """(blob, its bytes) for each blob, as git gives them. The ids go in from a thread of their
    own, so that neither side waits for the other's pipe."""
    command = ["git", "cat-file", "--batch"]
    git_process = subprocess.Popen(
        command, cwd=git_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, bufsize=0,
    )  # fmt: skip
    feeder = threading.Thread(target=_feed, args=(git_process.stdin, blobs), daemon=True)
    feeder.start()
    try:
        yield from _answers(_Output(git_process.stdout.fileno()), blobs)
    finally:
        git_process.stdout.close()  # git stops at once if it is not done (a broken pipe)
        feeder.join()
        with git_process.stderr:
            error = git_process.stderr.read()
        git_process.wait()
    if git_process.returncode:
        raise GitFailed(command, error)


def _feed(stdin, blobs: list[str]) -> None:
    with contextlib.suppress(BrokenPipeError), stdin:  # git stopped: the reader says why
        stdin.write("".join(f"{blob}\n" for blob in blobs).encode())


class _Output:
    """git's output, read a megabyte at a time into one buffer used again and again: a new
    megabyte for each read cost as much in page faults as the reading."""

    PIECE = 1 << 20

    def __init__(self, fd: int):
        with contextlib.suppress(OSError):  # a larger pipe where Linux allows it: fewer reads
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, self.PIECE)
        self.fd, self.buffer = fd, bytearray(self.PIECE)
        self.view, self.at, self.end = memoryview(self.buffer), 0, 0

    def line(self) -> bytes:
        pieces = []
        while (end := self.buffer.find(b"\n", self.at, self.end)) == -1:
            pieces.append(bytes(self.view[self.at : self.end]))
            if not self._next():
                return b""
        pieces.append(bytes(self.view[self.at : end]))
        self.at = end + 1
        return b"".join(pieces)

    def take(self, size: int) -> bytes | None:
        """The next size bytes, or None when git stopped before them."""
        pieces, wanted = [], size
        while self.end - self.at < wanted:
            pieces.append(bytes(self.view[self.at : self.end]))
            wanted -= len(pieces[-1])
            if not self._next():
                return None
        pieces.append(bytes(self.view[self.at : self.at + wanted]))
        self.at += wanted
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _next(self) -> bool:
        self.at, self.end = 0, os.readv(self.fd, [self.buffer])
        return bool(self.end)


def _answers(output: _Output, blobs: list[str]) -> Iterator[tuple[str, bytes]]:
    for blob in blobs:
        header = output.line().split()
        if len(header) != 3:  # `<id> missing`, or nothing: git stopped
            raise ValueError(f"git has no object {blob}")  # checkout.py says it in words
        size = int(header[2])
        data = _drained(output, size) if size > MAX_FILE_BYTES else output.take(size)
        if data is None or output.take(1) is None:  # the line end after each object
            raise ValueError(f"git stopped in the middle of object {blob}")
        yield blob, data


def _drained(output: _Output, size: int) -> Unread | None:
    """A file too large, passed a piece at a time and never held whole."""
    for start in range(0, size, _Output.PIECE):
        if output.take(min(_Output.PIECE, size - start)) is None:
            return None
    return Unread.of(size)
