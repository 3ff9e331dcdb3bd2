"""The no-change rebuild: a fingerprint of every input, taken before anything heavy is imported.

A build records the fingerprint of what it was built from, with a hash of every file it wrote,
in the cache (cache/sites/, one record per output folder). The next build takes the fingerprint
again; when it is the same and the output folder still holds exactly those files, byte for byte,
there is nothing to do: the site on disk is the one this build would write. Only the standard
library is used here, and git in a subprocess: importing Jinja2, markdown-it, GitPython and
WeasyPrint costs several times what a no-change rebuild may take.

What the fingerprint covers: statement/ at HEAD (the commit, and the shallow boundary, which
together fix the whole history) and in the working tree (every file's bytes),
templates/ and locales/, the program (its source and the installed distributions' versions), the
build's options, and the build day (see _clock).
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import defaults

CACHE = ".cache"  # what a rebuild may reuse (history, PDFs, this record); never published
FORMAT = "1"
PROGRAM = Path(__file__).resolve().parent
QUARTER_HOUR = 15 * 60


# The site on disk, found to be the one the build would write: how many files, and the notes its
# build said. A named tuple, not a dataclass: the dataclasses module loads inspect (and ast, dis,
# tokenize), which would cost a no-change rebuild about as long as taking the fingerprint.
Kept = collections.namedtuple("Kept", ["files", "notes"])


def inputs(root: Path, options: Mapping[str, object]) -> str:
    """The fingerprint of everything a build of root with these options reads."""
    digest = hashlib.sha256(FORMAT.encode())
    parts = {
        "git": _git_state(root),
        "options": json.dumps(options, sort_keys=True, default=str),
        "clock": _clock(),
        "python": sys.version,
        "distributions": _distributions(),
    }
    digest.update(json.dumps(parts, sort_keys=True).encode())
    for name, folder in (("program", PROGRAM), ("statement", root / "statement"), *_looks(root)):
        _add_folder(digest, name, folder)
    return digest.hexdigest()


def _looks(root: Path) -> list[tuple[str, Path]]:
    """The project's templates and locales, and the built-in ones they override."""
    return [
        (name, folder)
        for name in (defaults.TEMPLATES, defaults.LOCALES)
        for folder in defaults.folders(root, name)
    ]


def said_unchanged(root: Path, out: Path, cache: Path, options: dict) -> tuple[str, list[str]]:
    """The fingerprint of a build, and what the build says when the site at out was built from
    the same and is intact (else nothing: it must build)."""
    fingerprint = inputs(root, options)
    kept = unchanged(fingerprint, out, cache)
    if kept is None:
        return fingerprint, []
    out = out.resolve()
    shown = f"{out.relative_to(root)}/" if out.is_relative_to(root) else f"{out}/"
    return fingerprint, [
        *kept.notes,
        f"Nothing changed since the last build: {shown} is as it was.",
    ]


def unchanged(fingerprint: str, out: Path, cache: Path) -> Kept | None:
    """What the last build into out recorded, when it was built from this fingerprint and every
    file it wrote is still there as it wrote it, and nothing else is; else None."""
    try:
        record = json.loads(_record(out, cache).read_text(encoding="utf-8"))
        if record["fingerprint"] != fingerprint or record["out"] != str(out.resolve()):
            return None
        files: dict[str, str] = record["files"]
        if not _intact(out, files):
            return None
        return Kept(len(files), tuple(record["notes"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(
    fingerprint: str, out: Path, cache: Path, files: Iterable[tuple[str, str]], notes: Iterable[str]
) -> None:
    """Remember what was written into out, from which fingerprint: files are (path, sha256)."""
    target = _record(out, cache)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "fingerprint": fingerprint,
        "out": str(out.resolve()),
        "files": dict(files),
        "notes": list(notes),
    }
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data), encoding="utf-8")
    partial.replace(target)  # a reader sees the old record or the new one, never half of one


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_of(data) -> str:
    """A file's hash, whether the site holds its bytes or where they are kept (a model.Stored,
    hashed already; the model is not imported here, it costs more than this whole module)."""
    return sha256(data) if isinstance(data, bytes) else data.sha256


def _record(out: Path, cache: Path) -> Path:
    name = sha256(str(out.resolve()).encode())[:16]
    return cache / "sites" / f"{name}.json"


def _intact(out: Path, files: dict[str, str]) -> bool:
    found = {}
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, out).replace(os.sep, "/")] = path
    if found.keys() != files.keys():
        return False
    return all(_file_hash(path) == files[name] for name, path in found.items())


def _file_hash(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _git_state(root: Path) -> list[str]:
    """HEAD and the shallow boundary: with them, the history of statement/ is fixed.
    Outside a git repository, nothing (the working tree is all the build reads)."""
    args = ["git", "rev-parse", "--is-shallow-repository", "--git-path", "shallow", "HEAD"]
    try:
        done = subprocess.run(args, cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return ["no git"]
    lines = done.stdout.split()
    if done.returncode != 0 or len(lines) != 3:
        return ["not a repository, or no commit yet", done.stdout]
    if lines[0] == "true":  # a deeper fetch changes the history but not HEAD
        lines[1] = sha256((root / lines[1]).read_bytes())
    return lines


def _clock() -> str:
    """The build day, in whatever time zone the statement keeps its dates: SOURCE_DATE_EPOCH
    when it is set, else the time to the quarter hour (every zone's day begins at a quarter
    hour of UTC, so within one the day is the same everywhere). A rebuild a quarter hour
    later builds again, which is safe."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    return f"epoch {fixed}" if fixed is not None else f"clock {int(time.time()) // QUARTER_HOUR}"


def _distributions() -> list[str]:
    """Every installed distribution with its version (the dist-info folders' names): a new
    Jinja2, markdown-it or WeasyPrint may write other bytes."""
    found = []
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            found += [n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info"))]
    return sorted(found)


def _add_folder(digest, name: str, folder: Path) -> None:
    """Every file under folder, its path and its bytes; caches and compiled files left out."""
    digest.update(f"\0folder {name}\0".encode())
    for inner, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for file in sorted(names):
            path = os.path.join(inner, file)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            digest.update(_file_hash(path).encode())
