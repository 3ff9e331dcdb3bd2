"""`statement serve` as a real process on a free port, asked over real HTTP (and by chromium):
the preview, its findings banner, rebuilds on save, errors and the recovery after them."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, SHARED_CACHE, run_build, site_files
from repos import StatementRepo, make_repo

CHROMIUM = Path("/usr/bin/chromium")
OLD, NEW = "niet langer dan nodig", "uiterlijk twee jaar en niet langer dan nodig"
PATIENCE = 30.0  # seconds a rebuild may take on a slow machine


@dataclass
class Preview:
    url: str
    repo: StatementRepo
    process: subprocess.Popen
    log: Path

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=PATIENCE) as response:
            return response.read().decode("utf-8")

    def until(self, path: str, ready: Callable[[str], bool]) -> str:
        """The page once ready(page) holds, asking again while it does not, for PATIENCE at most."""
        deadline, page = time.monotonic() + PATIENCE, ""
        while time.monotonic() < deadline:
            page = self.get(path)
            if ready(page):
                return page
            time.sleep(0.2)
        raise AssertionError(f"{path} never became ready; last:\n{page[:2000]}")

    def terminal(self) -> str:
        return self.log.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(root: Path, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "generator", "serve", "--root", str(root)]
    command += ["--port", str(port), "--cache", str(SHARED_CACHE)]
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True)


def started(repo: StatementRepo, log: Path) -> Preview:
    """A preview listening on a free port. The port is free when asked for, but another process
    may take it before the preview binds it: then the preview says so, and another is tried."""
    for _ in range(5):
        port = free_port()
        process = start(repo.root, port, log)
        preview = Preview(f"http://127.0.0.1:{port}", repo, process, log)
        deadline = time.monotonic() + PATIENCE
        while "Preview at" not in preview.terminal() and process.poll() is None:
            assert time.monotonic() < deadline, preview.terminal()
            time.sleep(0.1)
        if process.poll() is None:
            return preview
        assert f"port {port} is already in use" in preview.terminal(), preview.terminal()
    raise AssertionError("no free port in five tries")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    preview = started(make_repo(tmp_path / "project"), tmp_path / "terminal.txt")
    process = preview.process
    try:
        yield preview
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_preview_shows_the_statement_with_the_checks_findings(preview: Preview) -> None:
    page = preview.get("/nl/")
    assert "Wij bewaren uw persoonsgegevens niet langer dan nodig" in page
    banner = page.split('<div class="preview-banner"', 1)[1].split("</div>", 1)[0]
    # the preview runs as `python -m generator serve`: its banner names the command so started
    assert "python -m generator check finds 3 error(s), 2 warning(s)" in banner
    assert ": complaint)" in banner and ": right_portability)" in banner
    assert "complain to a supervisory authority" in banner
    assert ".pdf" not in page  # the preview makes no PDF, and links to none
    assert "livereload(" in page  # mkdocs' reload script, which the preview's policy lets run
    assert "script-src 'unsafe-inline'; connect-src 'self'" in page
    assert preview.get("/") and "Preview at http://127.0.0.1:" in preview.terminal()


def test_a_save_rebuilds_the_preview(preview: Preview) -> None:
    preview.repo.edit("nl.md", OLD, NEW)
    page = preview.until("/nl/", lambda page: NEW in page)
    assert "#retention says something new, but the date is still 2021-02-23" in page
    assert "Rebuilt:" in preview.terminal()


def test_a_broken_save_shows_its_error_and_the_next_good_save_recovers(preview) -> None:
    preview.repo.edit("nl.md", "KVK {{publisher.registration.number}}", "KVK {{kvk_nr}}")
    page = preview.until("/nl/", lambda page: "preview-failed" in page)
    assert "<code>statement/nl.md:5</code>: unknown fact {{kvk_nr}}" in page
    assert "Wij bewaren uw persoonsgegevens" in page  # the last good build, under the error
    assert "statement/nl.md:5: unknown fact {{kvk_nr}}" in preview.terminal()
    preview.repo.edit("nl.md", "KVK {{kvk_nr}}", "KVK {{publisher.registration.number}}")
    page = preview.until("/nl/", lambda page: "preview-failed" not in page)
    assert "python -m generator check finds 3 error(s)" in page


def test_the_published_build_never_carries_the_preview(preview: Preview) -> None:
    preview.get("/nl/")
    assert not (preview.repo.root / "site").exists()  # the preview writes elsewhere
    assert run_build(preview.repo.root).exit_code == 0
    for path, data in site_files(preview.repo.root / "site").items():
        for mark in (b"preview-banner", b"livereload", b"_preview", b"unsafe-inline"):
            assert mark not in data, f"{mark!r} in {path}"


def test_a_path_with_a_null_byte_is_not_found_not_a_traceback(preview: Preview) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        preview.get("/%00")
    assert refused.value.code == 404
    assert preview.get("/nl/")  # still serving
    assert "Traceback" not in preview.terminal() and "500" not in preview.terminal()


def test_a_rebuild_that_cannot_read_the_history_shows_why(preview: Preview) -> None:
    repo = preview.repo
    first = repo.git("rev-parse", "HEAD:statement/nl.md")
    repo.edit("nl.md", OLD, NEW)
    repo.commit("Wording\n\nEditorial: a clearer retention period")
    preview.until("/nl/", lambda page: NEW in page)
    (repo.root / ".git" / "objects" / first[:2] / first[2:]).unlink()  # the old text, lost
    (repo.statement / "nl.md").touch()
    page = preview.until("/nl/", lambda page: "preview-failed" in page)
    said = "git could not read the history of statement/: an object git keeps is missing or damaged"
    assert said in page and said in preview.terminal()
    assert NEW in page  # the last good build, under the banner
    assert "Traceback" not in preview.terminal()


def test_a_busy_port_makes_the_preview_take_the_next_free_one_and_say_so(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        log = tmp_path / "terminal.txt"
        process = start(repo.root, port, log)
        try:
            deadline = time.monotonic() + PATIENCE
            while "Preview at" not in log.read_text(encoding="utf-8"):
                assert process.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=PATIENCE)
    said = log.read_text(encoding="utf-8")
    taken = int(re.search(r"Preview at http://127\.0\.0\.1:(\d+)/", said).group(1))
    assert port < taken < port + 20
    assert f"Port {port} is in use (by another preview, or the guide?): using {taken}." in said
    assert "Traceback" not in said


def test_the_guide_and_the_preview_want_different_ports() -> None:
    from generator.cli import serve

    guide = re.search(r"^dev_addr: 127\.0\.0\.1:(\d+)$", (REPO / "mkdocs.yml").read_text(), re.M)
    preview = next(p.default for p in serve.params if p.name == "port")
    assert guide and int(guide.group(1)) != preview == 8000


def test_the_open_page_reloads_itself_after_a_save(preview: Preview) -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []  # a refused script would say so here
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on(
                "response",  # the browser's own /favicon.ico aside: the site has none
                lambda r: (
                    r.status >= 400 and not r.url.endswith("/favicon.ico") and errors.append(r.url)
                ),
            )
            page.goto(preview.url + "/nl/")
            assert NEW not in page.content()
            preview.repo.edit("nl.md", OLD, NEW)
            page.wait_for_selector(f"text={NEW}", timeout=PATIENCE * 1000)  # no goto: it reloaded
            assert [e for e in errors if not e.startswith("Failed to load resource")] == []
        finally:
            browser.close()
