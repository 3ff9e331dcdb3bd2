"""`statement build --reuse SITE`: the PDFs of the site published before, where nothing they are
made from has changed, instead of rendering them again.

A fresh CI clone has no cache, so it would render every PDF of every version again; the published
site has them. Its statement.json lists, for every PDF, the hash of what it was made from (the
PDF cache's key: the page, the stylesheets and fonts, the renderer's version) and the hash of its
bytes. A PDF is reused when it was made from exactly what this build would render it from, and
its bytes, fetched, have the published hash: WeasyPrint writes the same bytes from the same input,
so it is the PDF a render would make. Anything else, or a site that cannot be read, is rendered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

INDEX = "statement.json"
KEY = "pdf_checks"  # in statement.json: PDF path -> {"sha256": …, "made_from": …}
TIMEOUT = 30  # seconds for each file fetched


@dataclass(frozen=True)
class Published:
    """The PDFs a published site says it has: path -> (sha256 of the bytes, what it was made from)."""

    source: str  # the folder or https:// address, as given
    checks: dict[str, tuple[str, str]]
    problem: str = ""  # why the site could not be read, or ""


def is_address(source: str) -> bool:
    return source.startswith("https://")


def published(source: str) -> Published:
    """What statement.json of the site at source (a folder, or an https:// address) publishes."""
    try:
        index = json.loads(_fetch(source, INDEX))
        checks = {path: (entry["sha256"], entry["made_from"]) for path, entry in index[KEY].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return Published(source, {}, f"{type(error).__name__}: {error}")
    return Published(source, checks)


def reused(site: Published, path: str, made_from: str) -> bytes | None:
    """The published PDF at path, if it was made from made_from and its bytes are the published
    ones; else None."""
    sha256, published_from = site.checks.get(path, ("", ""))
    if published_from != made_from:
        return None
    try:
        data = _fetch(site.source, path)
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def _fetch(source: str, path: str) -> bytes:
    """A file of the site: path is the site's own (relative, forward slashes, planned by us)."""
    if not is_address(source):
        return (Path(source) / path).read_bytes()
    import urllib.request  # here: most builds fetch nothing

    with urllib.request.urlopen(f"{source.rstrip('/')}/{path}", timeout=TIMEOUT) as response:
        return response.read()
