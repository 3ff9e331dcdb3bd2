"""The only weasyprint import: a page's own HTML -> a tagged A4 PDF, the same bytes every time.

WeasyPrint is imported only when a PDF must really be rendered: its import alone costs about half
a second, more than the rest of a rebuild, and a PDF whose input did not change comes from the
cache under .cache/pdf/, checked against its hash before it is used.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import StatementError
from .model import Document
from .workers import run_all

ORIGIN = "https://statement.invalid/"  # pages and assets are served to WeasyPrint from memory
CACHE_FORMAT = "1"
ASSETS = (".css", ".woff2")  # what a page may fetch while it is printed


@dataclass(frozen=True)
class Rendered:
    files: dict[str, bytes]  # path in the site -> PDF bytes
    rendered: int  # made by WeasyPrint in this build
    cached: int  # taken from the cache


def render_documents(
    documents: tuple[Document, ...], site: dict[str, bytes], cache: Path
) -> Rendered:
    """Every document as PDF: from the cache where its input is unchanged, else rendered in parallel."""
    keys = {document.path: _key(document, site) for document in documents}
    files = {
        d.path: data for d in documents if (data := _from_cache(cache, keys[d.path])) is not None
    }
    todo = [d for d in documents if d.path not in files]
    made = _render_all(todo, site)
    for document in todo:
        _to_cache(cache, keys[document.path], made[document.path])
    return Rendered(files | made, len(todo), len(documents) - len(todo))


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


def _from_cache(cache: Path, key: str) -> bytes | None:
    """The cached PDF, or None when it is missing or its bytes do not match the hash stored with it."""
    try:
        data = (cache / f"{key}.pdf").read_bytes()
        expected = (cache / f"{key}.sha256").read_text(encoding="ascii").strip()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == expected else None


def _to_cache(cache: Path, key: str, data: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    for name, content in (
        (f"{key}.pdf", data),
        (f"{key}.sha256", hashlib.sha256(data).hexdigest().encode()),
    ):
        partial = cache / f"{name}.{os.getpid()}.tmp"
        partial.write_bytes(content)
        partial.replace(cache / name)


def _render_all(documents: list[Document], site: dict[str, bytes]) -> dict[str, bytes]:
    if not documents:
        return {}
    import weasyprint  # noqa: F401 - once here, so that forked workers do not import it again

    assets = {path: _unpacked(data) for path, data in site.items() if path.endswith(ASSETS)}
    jobs = [(d, site[d.page], assets) for d in documents]
    results = run_all(_render_job, jobs, min(len(jobs), os.cpu_count() or 1))
    problems = [
        StatementError(Path(d.page), None, f"the PDF ({d.label}) could not be made: {error}", HINT)
        for d, (_, error) in zip(documents, results, strict=True)
        if error
    ]
    if problems:
        raise ExceptionGroup("PDFs failed", problems)
    return {d.path: data for d, (data, _) in zip(documents, results, strict=True)}


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


def _render_job(job: tuple[Document, bytes, dict[str, bytes]]) -> tuple[bytes, str]:
    """One PDF, or the reason it failed. Runs in a worker process."""
    from weasyprint.urls import FatalURLFetchingError  # a BaseException, not an Exception

    document, html, assets = job
    missing: list[str] = []
    try:
        data, failure = _render(document, html, assets, missing), ""
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
