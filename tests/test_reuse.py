"""`statement build --reuse SITE`: a build with no cache takes the published site's PDFs whose
source did not change, checked by the hashes statement.json publishes, and renders the rest."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BuildResult, run_build, site_files
from repos import StatementRepo, make_repo
from test_versions import RETENTION_EN

NL_PDF = "nl/2021-02-23/privacyverklaring-ems-nederland-2021-02-23.pdf"
EN_PDF = "en/2021-02-23/privacy-statement-ems-nederland-2021-02-23.pdf"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The EMS statement's site as it was published, PDFs and statement.json."""
    folder = tmp_path_factory.mktemp("published")
    repo = make_repo(folder / "project")
    result = run_build(repo.root, folder / "site", cache=folder / "cache")
    assert "PDFs: 2 rendered, 0 from the cache." in result.stdout
    return folder / "site"


def build(repo: StatementRepo, out: Path, source: str) -> BuildResult:
    """A build as a fresh CI clone makes it: no cache."""
    result = run_build(repo.root, out, cache=out.parent / "new-cache", extra=["--reuse", source])
    assert result.exit_code == 0, result.stderr
    return result


def checks(site: Path) -> dict:
    return json.loads((site / "statement.json").read_text(encoding="utf-8"))["pdf_checks"]


def test_an_unchanged_statement_renders_no_pdf_and_makes_the_same_site(
    published: Path, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "project")
    result = build(repo, tmp_path / "site", str(published))
    assert f"PDFs: 0 rendered, 0 from the cache, 2 reused from {published}." in result.stdout
    assert site_files(tmp_path / "site") == site_files(published)
    assert set(checks(published)) == {NL_PDF, EN_PDF}


def test_an_edit_renders_only_the_pdf_whose_source_changed(published: Path, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    repo.edit("en.md", RETENTION_EN, RETENTION_EN.replace("longer", "any longer"))
    repo.commit("A better word\n\nEditorial: the same meaning")
    result = build(repo, tmp_path / "site", str(published))
    assert "PDFs: 1 rendered, 0 from the cache, 1 reused from" in result.stdout
    now, before = checks(tmp_path / "site"), checks(published)
    assert now[NL_PDF] == before[NL_PDF]  # made from the same, the same bytes
    assert now[EN_PDF]["made_from"] != before[EN_PDF]["made_from"]


def test_a_published_pdf_that_differs_from_its_hash_is_rendered_again(
    published: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "published"
    shutil.copytree(published, tampered)
    (tampered / NL_PDF).write_bytes(b"%PDF-1.7 something else")
    repo = make_repo(tmp_path / "project")
    result = build(repo, tmp_path / "site", str(tampered))
    assert "PDFs: 1 rendered, 0 from the cache, 1 reused from" in result.stdout
    assert (tmp_path / "site" / NL_PDF).read_bytes() == (published / NL_PDF).read_bytes()


@pytest.fixture
def served(published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The published site at an https:// address of this machine, its certificate trusted."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    handler = functools.partial(QuietHandler, directory=str(published))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_the_published_site_is_read_from_its_https_address(served: str, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    result = build(repo, tmp_path / "site", served)
    assert f"PDFs: 0 rendered, 0 from the cache, 2 reused from {served}." in result.stdout


def test_a_site_that_cannot_be_read_is_said_and_the_pdfs_are_rendered(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    result = build(repo, tmp_path / "site", str(tmp_path / "nothing-here"))
    assert "PDFs: 2 rendered, 0 from the cache; " in result.stdout
    assert "nothing-here could not be read (FileNotFoundError" in result.stdout


def test_only_a_folder_or_an_https_address_is_taken(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    result = run_build(repo.root, extra=["--reuse", "http://example.com/"])
    assert result.exit_code == 2
    assert "--reuse takes a folder or an https:// address" in result.stderr
