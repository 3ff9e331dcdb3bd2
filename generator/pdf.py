"""The only weasyprint import: a page's own HTML -> a tagged A4 PDF, the same bytes every time.

WeasyPrint is imported only when a PDF must really be rendered: its import alone costs about half
a second, more than the rest of a rebuild, and a PDF whose input did not change comes from the
cache under .cache/pdf/, checked against its hash before it is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import StatementError
from .model import Document, Stored
from .reuse import Published, reused
from .workers import each_result

ORIGIN = "https://statement.invalid/"  # pages and assets are served to WeasyPrint from memory
CACHE_FORMAT = "1"
ASSETS = (".css", ".woff2")  # what a page may fetch while it is printed


@dataclass(frozen=True)
class Rendered:
    files: dict[str, Stored]  # path in the site -> the PDF, kept in the cache
    rendered: int  # made by WeasyPrint in this build
    cached: int  # taken from the cache
    made_from: dict[str, str]  # path -> the hash of all it was made from (its cache key)
    reused: int = 0  # taken from the site published before (--reuse)


def render_documents(
    documents: tuple[Document, ...],
    site: dict[str, bytes],
    cache: Path,
    published: Published | None = None,
) -> Rendered:
    """Every document as PDF, into the cache: from the cache where its input is unchanged, else
    from the published site (--reuse), else rendered in parallel. No PDF is held in memory: a
    build of thousands stays small."""
    keys = {document.path: _key(document, site) for document in documents}
    files = {d.path: stored for d in documents if (stored := _from_cache(cache, keys[d.path]))}
    cached = len(files)
    files |= _reuse([d for d in documents if d.path not in files], keys, cache, published)
    todo = [d for d in documents if d.path not in files]
    files |= _render_all(todo, site, cache, keys)
    reused = len(documents) - len(todo) - cached
    return Rendered(files, len(todo), cached, keys, reused)


def pdf_checks(documents: Rendered) -> dict[str, dict[str, str]]:
    """What statement.json publishes of each PDF, for a later build's --reuse."""
    return {
        path: {"sha256": stored.sha256, "made_from": documents.made_from[path]}
        for path, stored in sorted(documents.files.items())
    }


def _reuse(
    documents: list[Document], keys: dict[str, str], cache: Path, published: Published | None
) -> dict[str, Stored]:
    """The published PDFs made from what these would be made from, into the cache."""
    if published is None:
        return {}
    found = {d.path: reused(published, d.path, keys[d.path]) for d in documents}
    return {path: _to_cache(cache, keys[path], data) for path, data in found.items() if data}


def _key(document: Document, site: dict[str, bytes]) -> str:
    """A hash of everything that makes the PDF: the page, every asset, the renderer's version."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {_weasyprint_version()} {document.page}".encode())
    digest.update(site[document.page])
    for path in sorted(p for p in site if p.endswith(ASSETS)):
        digest.update(path.encode() + b"\0" + hashlib.sha256(site[path]).digest())
    return digest.hexdigest()


def _weasyprint_version() -> str:
    import importlib.metadata  # here: a build without PDFs does without its 10 ms of import

    return importlib.metadata.version("weasyprint")


def _from_cache(cache: Path, key: str) -> Stored | None:
    """The cached PDF, or None when it is missing or its bytes do not match the hash stored with it."""
    try:
        expected = (cache / f"{key}.sha256").read_text(encoding="ascii").strip()
        with open(cache / f"{key}.pdf", "rb") as file:
            found = hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None
    return Stored(cache / f"{key}.pdf", expected) if found == expected else None


def _to_cache(cache: Path, key: str, data: bytes) -> Stored:
    cache.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    for name, content in ((f"{key}.pdf", data), (f"{key}.sha256", digest.encode())):
        partial = cache / f"{name}.{os.getpid()}.tmp"
        partial.write_bytes(content)
        partial.replace(cache / name)
    return Stored(cache / f"{key}.pdf", digest)


def _render_all(
    documents: list[Document], site: dict[str, bytes], cache: Path, keys: dict[str, str]
) -> dict[str, Stored]:
    """Render the documents, each into the cache as it arrives; raise every one that failed."""
    if not documents:
        return {}
    assets = {path: _unpacked(data) for path, data in site.items() if path.endswith(ASSETS)}
    jobs = [(d, site[d.page]) for d in documents]
    made, problems = {}, []
    # closed however this loop ends (Ctrl+C, SIGTERM, a full disk): the workers stop at once
    with contextlib.closing(_results(jobs, assets)) as results:
        for document, (data, error) in zip(documents, results, strict=True):
            if error:
                message = f"the PDF ({document.label}) could not be made: {error}"
                problems.append(StatementError(Path(document.page), None, message, HINT))
            else:
                made[document.path] = _to_cache(cache, keys[document.path], data)
    if problems:
        raise ExceptionGroup("PDFs failed", problems)
    return made


def _results(jobs: list[tuple[Document, bytes]], assets: dict[str, bytes]) -> Iterator:
    """Each job's (PDF, failure), in order, as the workers finish them; the assets go to each
    worker once, not with every job."""
    workers = min(len(jobs), os.cpu_count() or 1)
    preload = ("weasyprint", __name__)  # imported once, by the process the workers fork from
    return each_result(_render_job, jobs, workers, _use_assets, (assets,), preload)


HINT = "reinstall the project (make site) so that its fonts and stylesheets are in place; if it persists, report it"


def _unpacked(data: bytes) -> bytes:
    """A WOFF2 font as the plain font inside it, unpacked once here: WeasyPrint would otherwise
    unpack every font of the stylesheet, in pure Python, for every PDF (most of a render's time)."""
    if not data.startswith(b"wOF2"):
        return data
    from fontTools.ttLib import TTFont

    font, unpacked = TTFont(io.BytesIO(data), recalcTimestamp=False), io.BytesIO()  # no clock
    font.flavor = None
    font.save(unpacked, reorderTables=False)
    return unpacked.getvalue()


ASSETS_OF_WORKER: dict[str, bytes] = {}  # the stylesheets and fonts, sent once to each worker


def _use_assets(assets: dict[str, bytes]) -> None:
    ASSETS_OF_WORKER.clear()
    ASSETS_OF_WORKER.update(assets)


def _render_job(job: tuple[Document, bytes]) -> tuple[bytes, str]:
    """One PDF, or the reason it failed. Runs in a worker process."""
    from weasyprint.urls import FatalURLFetchingError  # a BaseException, not an Exception

    document, html = job
    missing: list[str] = []
    try:
        data, failure = _render(document, html, ASSETS_OF_WORKER, missing), ""
    except (Exception, FatalURLFetchingError) as error:
        data, failure = b"", f"{type(error).__name__}: {error}"
    if missing:  # what the page asked for that the site does not have: the reason, said plainly
        return b"", f"missing {', '.join(sorted(set(missing)))}"
    return data, failure


def _render(document: Document, html: bytes, assets: dict[str, bytes], missing: list[str]) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        """Serves the site's own files from memory; nothing leaves the build, nothing goes missing."""

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            path = url.removeprefix(ORIGIN)
            if not url.startswith(ORIGIN) or path not in assets:
                missing.append(url)
                raise ValueError(f"{url} is not part of the site")
            return URLFetcherResponse(url, assets[path], {"Content-Type": _mime(path)})

    fetcher = SiteFetcher(fail_on_errors=True)
    page = weasyprint.HTML(
        string=html.decode("utf-8"), base_url=ORIGIN + document.page, url_fetcher=fetcher
    )
    identifier = hashlib.sha256(html).hexdigest()[:32].encode()
    return page.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier)


def _mime(path: str) -> str:
    return {"css": "text/css", "woff2": "font/woff2"}.get(
        path.rsplit(".", 1)[-1], "application/octet-stream"
    )
