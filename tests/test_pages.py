"""Every HTML page of a built two-version site, proven in a real browser: Debian's chromium, driven
by Playwright, the site served on 127.0.0.1 by the test itself.

axe-core finds no accessibility violation at a phone's width and a desktop's, the Nu Html Checker
no error; no page asks anything of another host, runs a script or sets a cookie; the keyboard
reaches what the links promise; the language links keep the reader's place; print leaves the
chrome out. Screenshots for a person to look at go to tests/output/screenshots/.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import run_build
from repos import make_repo
from test_versions import second_version

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "tests" / "output" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {"phone": 375, "desktop": 1280}
HEIGHT = 800
OLD, NEW = "2021-02-23", "2022-03-01"
LANGS = ("nl", "en")
OTHER = {"nl": "en", "en": "nl"}

# Every page the two-version build writes, by what it is; the build must write exactly these.
PAGES = {
    "index.html": "root",
    **{f"{lang}/index.html": "current" for lang in LANGS},
    **{f"{lang}/{NEW}/index.html": "version" for lang in LANGS},
    **{f"{lang}/{OLD}/index.html": "archived" for lang in LANGS},
    **{f"{lang}/changelog/index.html": "changelog" for lang in LANGS},
    **{f"{lang}/{NEW}/changes/index.html": "comparison" for lang in LANGS},
}
STATEMENT_PAGES = [path for path, kind in PAGES.items() if kind in ("current", "archived")]


def need(present: bool, message: str) -> None:
    """A tool the tests need: a failure in CI, a skip on a developer's machine."""
    if present:
        return
    message += ": `make test` installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def address(path: str) -> str:
    """The address of a written file, as a link to it reads: folders end in a slash."""
    return "/" + path.removesuffix("index.html")


# --- the site, the server, the browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The EMS statement with a second version, built once from a temporary git repository."""
    repo = make_repo(tmp_path_factory.mktemp("pages") / "project")
    second_version(repo)
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr
    return repo.root / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, on a free port; its address."""
    handler = functools.partial(_QuietHandler, directory=str(site))
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
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """What a browser context did: every request, every failure, every error on a console."""

    def __init__(self, context, server: str) -> None:
        self.local = urlsplit(server).netloc
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.stopped: set[str] = set()  # navigations a test answered with 204 on purpose
        self.leaving = False  # the page goes on at once, cancelling what it was still loading
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        context.on("page", self._page)

    def _failed(self, request) -> None:
        if not (self.leaving and request.failure == "net::ERR_ABORTED"):
            self.failed.append(request.url)

    def _response(self, response) -> None:
        # the browser asks for /favicon.ico by itself: the site has none
        if response.status >= 400 and urlsplit(response.url).path != "/favicon.ico":
            self.failed.append(f"{response.status} {response.url}")

    def _page(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def check(self) -> None:
        assert self.requests, "the browser made no request at all"
        assert [url for url in self.requests if urlsplit(url).netloc != self.local] == []
        assert [url for url in self.failed if url not in self.stopped] == []
        assert self.errors == []

    def stop(self, page, url: str) -> None:
        """Answer navigations to url with 204 No Content: the browser stays where it is."""
        self.stopped.add(url)
        page.route(url, lambda route: route.fulfill(status=204))


@pytest.fixture
def open_context(browser, server):
    """open_context(width=1280, **options) -> a fresh browser context, its Watch as .watch;
    afterwards every request went to the local server, none failed and no console showed an
    error."""
    opened = []

    def open_(width: int = WIDTHS["desktop"], **options):
        context = browser.new_context(viewport={"width": width, "height": HEIGHT}, **options)
        context.watch = Watch(context, server)
        opened.append(context)
        return context

    yield open_
    for context in opened:
        context.close()
    for context in opened:
        context.watch.check()


@pytest.fixture
def visit(open_context):
    """A page in a fresh browser context at desktop width, watched as open_context watches."""
    return open_context().new_page()


@pytest.fixture
def load(open_context, server):
    """load(path, width=1280, **context options) -> a page showing that written file, in a fresh
    watched context. The root page stays put: the browser is not sent on to the Dutch text."""

    def load_(path: str, width: int = WIDTHS["desktop"], **options):
        context = open_context(width, **options)
        page = context.new_page()
        if path == "index.html":
            # the root sends the browser on at once; a 204 answer to that keeps it on the root
            context.watch.stop(page, f"{server}/nl/")
        page.goto(server + address(path))
        assert page.url == server + address(path)
        return page

    return load_


def test_the_build_wrote_every_kind_of_page(site: Path) -> None:
    written = {path.relative_to(site).as_posix() for path in site.rglob("*.html")}
    assert written == set(PAGES)


# --- accessibility: axe-core --------------------------------------------------------------------


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation_on_a_phone_or_a_desktop(load, path: str) -> None:
    need(AXE.is_file(), f"{AXE.relative_to(REPO)} is missing (the npm package axe-core)")
    # axe is a script, which the pages' policy forbids: only this context bypasses the policy
    page = load(path, WIDTHS["phone"], bypass_csp=True)
    page.add_script_tag(path=str(AXE))
    found = {}
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": HEIGHT})
        assert page.evaluate("innerWidth") == width
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        assert {"html-has-lang", "document-title", "color-contrast"} <= {
            rule["id"] for rule in results["passes"]
        }, "axe did not check the page"
        found[width] = axe_report(results["violations"])
    assert found == dict.fromkeys(WIDTHS.values(), ""), "\n".join(
        f"at {width} px:\n{report}" for width, report in found.items() if report
    )


# --- validity: the Nu Html Checker --------------------------------------------------------------


@pytest.fixture(scope="module")
def java() -> str:
    found = shutil.which("java")
    need(found is not None, "java is missing (Debian's default-jre-headless)")
    return found


def test_the_nu_html_checker_finds_no_error(site: Path, java: str, tmp_path: Path) -> None:
    need(VNU.is_file(), f"{VNU.relative_to(REPO)} is missing (the npm package vnu-jar)")
    # a page with a known error, checked in the same run: proof that the checker read the files
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title><p><li>x</li></html>', encoding="utf-8"
    )
    files = [site / path for path in PAGES]
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", broken, *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr)["messages"]
    by_file: dict[str, list[str]] = {}
    for message in messages:
        where = urlsplit(message.get("url", "")).path
        by_file.setdefault(where, []).append(
            f"{message['type']} line {message.get('lastLine')}: {message['message']}"
        )
    assert by_file.pop(str(broken), None), (
        "the checker missed a known error: did it read the files?"
    )
    assert by_file == {}
    assert done.returncode == 1  # the broken page, and nothing else


# --- privacy: no other host, no script, no cookie -----------------------------------------------


def scripts_run(context, page, url: str) -> list[str]:
    """Load url; every script the page's own world parsed (by its address), found through the
    DevTools protocol before the test evaluates anything there itself."""
    cdp = context.new_cdp_session(page)
    parsed: list[dict] = []
    cdp.on("Debugger.scriptParsed", lambda event: parsed.append(event))
    cdp.send("Debugger.enable")
    page.goto(url)
    page.wait_for_load_state("load")
    found = [
        event.get("url") or "(inline)"
        for event in parsed
        if event.get("executionContextAuxData", {}).get("isDefault")
    ]
    cdp.detach()
    return found


def test_the_script_detector_sees_a_script(open_context, server) -> None:
    context = open_context()
    page = context.new_page()
    canary = f"{server}/canary.html"
    page.route(
        canary,
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!DOCTYPE html><html lang="en"><title>t</title><script>let x = 1;</script>',
        ),
    )
    assert scripts_run(context, page, canary) == [canary]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_asks_no_other_host_runs_no_script_and_sets_no_cookie(
    open_context, server, path: str
) -> None:
    context = open_context()
    page = context.new_page()
    if path == "index.html":
        context.watch.stop(page, f"{server}/nl/")  # the root itself, not the Dutch text
    assert scripts_run(context, page, server + address(path)) == []
    assert page.url == server + address(path)
    assert page.evaluate("document.scripts.length") == 0
    assert (
        page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(element =>
        [...element.attributes].map(a => a.name).filter(name => name.startsWith('on')))""")
        == []
    )
    assert page.locator('[href^="javascript:" i]').count() == 0
    # the policy forbids scripts, and the browser holds the page to it
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'none'" in policy and "script-src" not in policy
    refused = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', event => resolve(event.effectiveDirective));
        const script = document.createElement('script');
        script.textContent = 'document.documentElement.dataset.ran = "yes"';
        document.head.append(script);
        setTimeout(() => resolve(null), 2000);
    })""")
    assert refused == "script-src-elem"
    assert page.evaluate("document.documentElement.dataset.ran") is None
    watch = context.watch
    assert len(watch.errors) == 1 and "Content Security Policy" in watch.errors[0]
    watch.errors.clear()
    # nothing stored in the browser
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    # what it did load came from the local server (Watch checks that): its stylesheet, its font
    assert f"{server}/style.css" in watch.requests
    assert any(url.startswith(f"{server}/fonts/") for url in watch.requests)


# --- keyboard -----------------------------------------------------------------------------------


def tab_to(page, locator, limit: int = 80) -> int:
    """Press Tab until locator has the focus; how many presses that took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")


def assert_focus_visible(page) -> None:
    style = page.evaluate("""() => {
        const element = document.activeElement, style = getComputedStyle(element);
        return {visible: element.matches(':focus-visible'), outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth), color: style.outlineColor};
    }""")
    assert style["visible"], style
    assert style["outline"] not in ("none", "hidden") and style["width"] >= 2, style
    assert style["color"] not in ("transparent", "rgba(0, 0, 0, 0)"), style


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and 0 <= box["y"] < viewport["height"] and box["height"] > 0


@pytest.mark.parametrize("path", PAGES)
def test_the_skip_link_moves_the_focus_to_the_text(load, path: str) -> None:
    page = load(path)
    skip = page.locator(".skip-link")
    assert tab_to(page, skip, limit=1) == 1  # the first thing the keyboard reaches
    assert_focus_visible(page)
    assert in_viewport(page, skip)
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#page-content"
    assert page.evaluate("document.activeElement.id") == "page-content"
    # the next Tab goes on from the text, not back through the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert_focus_visible(page)


@pytest.mark.parametrize("path", STATEMENT_PAGES)
def test_every_contents_link_moves_the_focus_to_its_section(load, path: str) -> None:
    page = load(path)
    links = page.locator(".contents a")
    ids = [
        href.removeprefix("#")
        for href in links.evaluate_all("all => all.map(a => a.getAttribute('href'))")
    ]
    assert len(ids) == 10
    tab_to(page, links.first)  # from the top of the page, as a reader gets there
    for number, section in enumerate(ids):
        if number:
            links.nth(number).focus()  # back in the contents, after the previous link's trip
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == f"#{section}"
        heading = page.locator(f"#{section}")
        assert heading.evaluate("element => element.matches(':target')")
        assert in_viewport(page, heading)
        # the keyboard goes on from the section: its first link is the next one focused
        page.keyboard.press("Tab")
        assert page.evaluate(
            f"document.querySelector('section[aria-labelledby=\"{section}\"]')"
            ".contains(document.activeElement)"
        ), f"Tab after the contents link to #{section} did not go on in that section"
        assert_focus_visible(page)


# --- the language links -------------------------------------------------------------------------

HTML_LANG = {"nl": "nl-NL", "en": "en-GB"}


@pytest.mark.parametrize("path", STATEMENT_PAGES)
def test_every_section_links_to_the_same_section_in_the_other_language(
    load, server, path: str
) -> None:
    from playwright.sync_api import expect

    page = load(path)
    lang = path.split("/")[0]
    other = OTHER[lang]
    assert page.locator("html").get_attribute("lang") == HTML_LANG[lang]
    there = server + address(path.replace(lang, other, 1))  # the same version, other language
    sections = page.locator("section.section")
    ids = sections.evaluate_all("all => all.map(s => s.getAttribute('aria-labelledby'))")
    assert len(ids) == 10
    for section in ids:
        link = page.locator(
            f'section[aria-labelledby="{section}"] .section-languages a[hreflang="{other}"]'
        )
        expect(link).to_have_count(1)
        promised = link.locator(".visually-hidden").text_content().removeprefix(": ")
        link.click()
        page.wait_for_url(f"{there}#{section}")
        assert page.locator("html").get_attribute("lang") == HTML_LANG[other]
        heading = page.locator(f"#{section}")
        expect(heading).to_have_text(promised)
        assert heading.evaluate("element => element.matches(':target')")
        expect(heading).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 0
        assert page.locator(".archive-notice").count() == (OLD in path)
        page.go_back()
        page.wait_for_url(server + address(path))
    if path == "nl/index.html":
        expect(page.locator('#retention + .section-languages a[hreflang="en"]')).to_have_text(
            "English: Retention period"
        )


@pytest.mark.parametrize("path", ["en/index.html", f"en/{OLD}/index.html"])
def test_the_header_language_switch_goes_from_english_to_dutch(load, server, path: str) -> None:
    from playwright.sync_api import expect

    page = load(path)
    expect(page.locator('.language-switch a[aria-current="page"]')).to_have_text("English")
    page.locator('.language-switch a[hreflang="nl"]').click()
    page.wait_for_url(server + address(path.replace("en", "nl", 1)))
    assert page.locator("html").get_attribute("lang") == "nl-NL"
    expect(page.locator('.language-switch a[aria-current="page"]')).to_have_text("Nederlands")
    expect(page.locator("#retention")).to_have_text("Bewaartermijn")


def test_the_root_sends_the_browser_to_the_dutch_text(visit, server) -> None:
    page = visit
    page.context.watch.leaving = True  # the root's font may still be on its way when it goes
    page.goto(f"{server}/")
    page.wait_for_url(f"{server}/nl/")
    assert page.locator("html").get_attribute("lang") == "nl-NL"


# --- print --------------------------------------------------------------------------------------

CHROME = (".skip-link", ".site-header", ".site-nav", ".language-switch", ".section-languages")
SHOWN = "all => all.map(element => element.checkVisibility({visibilityProperty: true}))"


@pytest.mark.parametrize("path", PAGES)
def test_print_shows_the_text_without_the_navigation(load, path: str) -> None:
    page = load(path)
    chrome = page.locator(", ".join(CHROME))
    # a comparison prints only what changed (print.css); all else in main is text to print
    text = page.locator(
        "main :is(h1, h2, p, li):not(.section-languages, .pdf-link, .version-links, .compare-same *)"
    )
    assert chrome.count() >= 4 and text.count() >= 3
    assert all(chrome.evaluate_all(SHOWN)), "the navigation is not even on the screen"
    page.emulate_media(media="print")
    assert not any(chrome.evaluate_all(SHOWN)), "navigation in print"
    assert all(text.evaluate_all(SHOWN)), "text missing in print"
    if PAGES[path] in ("current", "archived", "version"):
        assert page.locator(".section h2").count() == 10
        assert all(page.locator(".section > :not(.section-languages)").evaluate_all(SHOWN))


# --- screenshots for a person to look at --------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ["nl/index.html", "en/index.html", "en/changelog/index.html"])
def test_a_screenshot_fits_the_width(load, path: str, width: int) -> None:
    page = load(path, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "it scrolls sideways"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.removesuffix("index.html").strip("/").replace("/", "-")
    picture = page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    assert int.from_bytes(picture[16:20], "big") == width  # the PNG's own width
