"""The built site in a real browser: Debian's chromium, driven by Playwright, served locally."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, on a free port; its address."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def visit(browser, server):
    """A page in a fresh browser context. Afterwards: every request went to the local server,
    none failed (but the browser's own /favicon.ico: the site has none), no console error."""
    context = browser.new_context()
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("requestfailed", lambda request: failed.append(request.url))
    context.on(
        "response",
        lambda response: (
            response.status >= 400
            and urlsplit(response.url).path != "/favicon.ico"
            and failed.append(f"{response.status} {response.url}")
        ),
    )
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    local = urlsplit(server).netloc
    assert requests, "the browser made no request at all"
    assert [url for url in requests if urlsplit(url).netloc != local] == []
    assert f"{server}/style.css" in requests
    assert failed == []
    assert errors == []


def test_a_section_language_link_goes_to_the_same_section_in_english(visit, server):
    from playwright.sync_api import expect

    page = visit
    page.goto(f"{server}/nl/")
    assert page.locator("html").get_attribute("lang") == "nl-NL"
    link = page.locator('section[aria-labelledby="retention"] .section-languages a[hreflang="en"]')
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_url(f"{server}/en/#retention")
    assert page.url == f"{server}/en/#retention"
    assert page.locator("html").get_attribute("lang") == "en-GB"
    heading = page.locator("#retention")
    expect(heading).to_have_text("Retention period")
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0


def test_the_header_language_switch_goes_from_english_to_dutch(visit, server):
    from playwright.sync_api import expect

    page = visit
    page.goto(f"{server}/en/")
    expect(page.locator('.language-switch a[aria-current="page"]')).to_have_text("English")
    page.locator('.language-switch a[hreflang="nl"]').click()
    page.wait_for_url(f"{server}/nl/")
    assert page.locator("html").get_attribute("lang") == "nl-NL"
    expect(page.locator('.language-switch a[aria-current="page"]')).to_have_text("Nederlands")
    expect(page.locator("#retention")).to_have_text("Bewaartermijn")


def test_the_root_sends_the_browser_to_the_dutch_text(visit, server):
    page = visit
    page.goto(f"{server}/")
    page.wait_for_url(f"{server}/nl/")
    assert page.locator("html").get_attribute("lang") == "nl-NL"
