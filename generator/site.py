"""The writer: the whole site into a temporary folder beside the output, then swapped in at once.

A failed build never gets here. The swap exchanges the two folders in one step where the system
can (Linux's renameat2), so that at every moment the output folder holds a whole site, the old
or the new, even if the build is killed; a build that was killed leaves a temporary folder,
which the next build removes. Builds into one folder take turns, through a lock on that folder.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StatementError
from .model import Site

RENAME_EXCHANGE = 2  # from <linux/fs.h>
AT_FDCWD = -100


def write_site(site: Site, out: Path) -> None:
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _turn(out):
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


def _remove_leftovers(out: Path) -> None:
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _write_files(site: Site, folder: Path) -> None:
    for path, data in site.files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


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
