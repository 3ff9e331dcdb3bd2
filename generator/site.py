"""The writer: the whole site into a temporary folder beside the output, then swapped in at once.

A failed build never gets here, and an interrupted write leaves the previous site in place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .model import Site


def write_site(site: Site, out: Path) -> None:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        _write_files(site, staging)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_files(site: Site, folder: Path) -> None:
    for path, data in site.files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    out.rename(old / out.name)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
