"""The writer: the whole site into a temporary folder beside the output, then swapped in at once.

A failed build never gets here. The swap exchanges the two folders in one step where the system
can (Linux's renameat2), so that at every moment the output folder holds a whole site, the old
or the new, even if the build is killed; a build that was killed leaves a temporary folder,
which the next build removes. Builds into one folder take turns, through a lock on that folder.

Replacing a folder deletes what was in it, so the writer replaces only a site it wrote itself:
every site carries a mark, MARK, and a folder that is not empty and has no mark is refused, as
is any folder of the project itself (a mistyped --out must never delete an editor's work).
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StatementError
from .model import Site, Stored

RENAME_EXCHANGE = 2  # from <linux/fs.h>
AT_FDCWD = -100
MARK = ".statement-site"  # in every site this program writes, and only there
MARK_TEXT = b"A site written by `statement build`: the next build replaces this folder whole.\n"
PROJECT_FOLDERS = ("statement", "templates", "locales")
LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}")
COPY_PIECE = 1 << 20


def write_site(site: Site, out: Path) -> Site:
    """Write the site, with its mark, in place of the one at out; return what was written."""
    out = out.resolve()
    site = Site(tuple(sorted({**dict(site.files), MARK: MARK_TEXT}.items())), site.notes)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _turn(out):
            refuse_foreign(out)  # again under the lock: the folder may have changed meanwhile
            _remove_leftovers(out)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
            try:
                _write_files(site, staging)
                _readable(staging)
                _swap(staging, out)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        raise _write_error(out, error) from None
    return site


def refuse_output(root: Path, out: Path) -> None:
    """Refuse an output folder whose replacing would delete the project or anything not ours:
    the project's folder or one above it, a folder inside its sources or inside .git, and a
    folder that holds files but no site of ours."""
    root, out = root.resolve(), out.resolve()
    hint = "write the site to a folder of its own: leave out --out (it is then ROOT/site)"
    if root.is_relative_to(out):
        message = f"the output folder {out} holds the project: building there would delete it"
        raise StatementError(root, None, message, hint)
    inside = [f"{p}/" for p in PROJECT_FOLDERS if out.is_relative_to(root / p)]
    if inside or ".git" in out.parts:
        message = f"the site cannot be written inside {(inside or ['.git'])[0]}: building there would delete the project's own files"
        raise StatementError(out, None, message, hint)
    refuse_foreign(out)


def refuse_cache(root: Path, cache: Path | None, out: Path | None = None) -> None:
    """Refuse a cache inside the sources (it would change them: the build turns into a draft, a
    commit of statement/ takes it along) or inside the output (it would be published)."""
    if cache is None:
        return
    root, cache = root.resolve(), cache.resolve()
    inside = [f"{p}/" for p in PROJECT_FOLDERS if cache.is_relative_to(root / p)]
    if inside or ".git" in cache.parts:
        where, why = (inside or [".git"])[0], "it would change the project's own files"
    elif out is not None and cache.is_relative_to(out.resolve()):
        where, why = "the output folder", "it would be published with the site"
    else:
        return
    hint = "leave out --cache (it is then ROOT/.cache), or name a folder of its own"
    raise StatementError(cache, None, f"the cache cannot be kept inside {where}: {why}", hint)


def refuse_foreign(out: Path) -> None:
    """Refuse a folder (or file) at out that is not empty and holds no site this program wrote."""
    if out.is_dir() and ((out / MARK).is_file() or not any(out.iterdir()) or _unmarked_site(out)):
        return
    if not out.exists() and not out.is_symlink():
        return
    message = (
        "this folder holds files but no site this program built: building there would delete them"
    )
    if not out.is_dir():
        message = "this is a file, not a folder: building there would delete it"
    hint = "choose a new or empty folder for --out (a site built before sites had a mark has none: delete that one yourself, once)"
    raise StatementError(out, None, message, hint)


@contextmanager
def _turn(out: Path) -> Iterator[None]:
    """Wait for any other build writing beside the same output to finish (a lock on the parent
    folder itself, so that no lock file is left lying about)."""
    folder = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # closing releases the lock


def _unmarked_site(out: Path) -> bool:
    """A site built before sites had a mark: its statement.json, and nothing beside its own
    files and language folders (a folder holding anything else is not taken for one)."""
    try:
        data = json.loads((out / "statement.json").read_bytes())
    except (OSError, ValueError):
        return False
    ours = {"index.html", "statement.json", "style.css", "print.css", "fonts"}
    names = [path.name for path in out.iterdir()]
    mine = all(name in ours or LANGUAGE_FOLDER.fullmatch(name) for name in names)
    return mine and isinstance(data, dict) and {"versions", "languages"} <= set(data)


def _remove_leftovers(out: Path) -> None:
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _write_files(site: Site, folder: Path) -> None:
    for path, data in site.files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Stored):
            _copy(data, target)
        else:
            target.write_bytes(data)


def _copy(stored: Stored, target: Path) -> None:
    """A file kept on disk (a PDF in the cache), copied a piece at a time and checked against its
    hash: the site never holds a PDF that is not the one the build made."""
    digest = hashlib.sha256()
    with open(stored.path, "rb") as source, open(target, "wb") as copy:
        while piece := source.read(COPY_PIECE):
            digest.update(piece)
            copy.write(piece)
    if digest.hexdigest() != stored.sha256:
        hint = "build again: the cache under --cache was changed while the site was written"
        raise StatementError(stored.path, None, "a cached PDF changed as it was copied", hint)


def _readable(folder: Path) -> None:
    """Folders 755 and files 644, whatever the umask: a web server, not the builder, reads the
    site (mkdtemp makes the folder private, and an umask of 077 would make every file so)."""
    for inner, _, names in os.walk(folder):
        os.chmod(inner, 0o755)
        for name in names:
            os.chmod(os.path.join(inner, name), 0o644)


def _swap(staging: Path, out: Path) -> None:
    """Put staging in out's place; the old site ends up in staging, to be removed."""
    if not out.exists():
        staging.rename(out)
    elif not _exchange(staging, out):
        parked = staging.with_name(staging.name + "-old")
        out.rename(parked)  # no atomic exchange here: two renames, the gap as short as can be
        staging.rename(out)
        parked.rename(staging)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _write_error(out: Path, error: OSError) -> StatementError:
    hint = "make sure the folder can be written and the disk has room, then build again"
    return StatementError(
        out, None, f"the site could not be written: {error.strerror or error}", hint
    )
