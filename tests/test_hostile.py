"""Hostile input (issue 8): script, markup and Unicode tricks in every place text enters the site.

Each attempt is either refused with a clear error (exit 1, file:line, a fix) or shown as the
harmless text it is. The shown ones are asserted on the pages, the Atom feeds, statement.json
and the PDFs, and opened in headless Chromium, where no injected script runs and nothing asks for
an address the attack names.

Where text enters: the statement's Markdown (title, headings, text, lists, tables, link texts and
titles, code), section ids, the facts and summaries and language names of statement.toml, the
page words of the catalogs (locales/), and git: commit messages, author names and Editorial
trailers, which the site shows nowhere (tested below).
"""

from __future__ import annotations

import functools
import json
import re
import string
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import edit, page_text, run_build, site_files
from repos import make_repo
from test_pages import browser  # noqa: F401 - the one browser fixture, shared

ATOM = "{http://www.w3.org/2005/Atom}"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; "
    "form-action 'none'"
)
NL_CATALOG = "locales/nl/LC_MESSAGES/messages.po"
MARKERS = ("AUTHOR-MARKER-4b1d", "COMMIT-MARKER-8e2f", "EDITORIAL-MARKER-51c0")
BASE_URL = "https://example.com/privacy/?next=javascript:alert(1)&x=1"
LINK_HREF = "https://example.com/?q=%22%3E%3Cscript%3E"

# What our templates and the Markdown we allow can put on a page: nothing else may appear.
TAGS = {
    "html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer", "article",
    "section", "div", "p", "a", "span", "strong", "em", "code", "pre", "blockquote", "ul", "ol",
    "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "br",
    "hr", "time", "del", "ins",
}  # fmt: skip
ATTRIBUTES = {
    "lang", "charset", "name", "content", "http-equiv", "rel", "href", "hreflang", "media",
    "type", "title", "class", "id", "tabindex", "aria-label", "aria-labelledby", "aria-current",
    "datetime", "download", "start", "data-company", "data-version", "data-page-word",
    "data-of-word",
}  # fmt: skip
SAFE_LINK = re.compile(
    r"(https?:|mailto:|tel:|#|\.\./|\./|[a-z0-9-]+/|[a-z0-9.-]+\.(css|xml|pdf)$)"
)


def payload(where: str) -> str:
    """An attack that says where it came from, should it ever run or load anything: a quote and
    tag breakout, script, an image and an SVG with handlers, a javascript: link, entities, the
    end of a CDATA section and of a comment, and Unicode's bidi override, zero-width space and
    isolates around its name."""
    return (
        f"\"'><script>window.pwned='{where}';document.title='pwned';fetch('/pwned/{where}')"
        f'</script><img src="/pwned/{where}.png" onerror="window.pwned=\'{where}\'">'
        f"<svg onload=\"window.pwned='{where}'\"></svg>"
        f"<a href=\"javascript:window.pwned='{where}'\">x</a> "
        f"&lt;b&gt; &amp; &#x3C;i&#x3E; ]]> <!-- \u202e{where}\u200b \u2066x\u2069"
    )


def md(text: str) -> str:
    """Markdown that reads as exactly text: every ASCII punctuation mark backslash-escaped."""
    return "".join("\\" + c if c in string.punctuation else c for c in text)


def toml(text: str) -> str:
    """A TOML basic string holding text (JSON's escapes are TOML's, but for \\/, unused here)."""
    return json.dumps(text, ensure_ascii=False)


def po(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# --- a two-version site with an attack in every place that is shown --------------------------


def hostile_section(lang: str) -> str:
    w = functools.partial(lambda lang, where: payload(f"{where}-{lang}"), lang)
    return (
        f"## {md(w('heading'))} {{#hostile}}\n\n"
        f"{md(w('text'))}\n\n"
        "&lt;script&gt;window.pwned='entity'&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;"
        "\n\n"
        "`<script>window.pwned='code'</script>`\n\n"
        f"- {md(w('item'))}\n- {{{{hostile}}}}\n\n"
        f"| {md(w('head'))} | b |\n| --- | --- |\n| {md(w('cell'))} | d |\n\n"
        f'[{md(w("link-text"))}]({LINK_HREF} "{md(w("link-title"))}")'
        " {{email}} {{website}}\n\n"
        f"> {md(w('quote'))}\n\n"
        "```html\n<script>window.pwned='fence'</script>\n```\n"
    )


def make_hostile(root: Path) -> Path:
    repo = make_repo(root)
    toml_path = repo.statement / "statement.toml"
    text = toml_path.read_text(encoding="utf-8")
    facts = {
        "company": toml(payload("company")),
        "street": toml(payload("street")),
        "city": toml(payload("city")),
        "kvk": toml(payload("kvk")),
        "email": toml("privacy@example.com"),  # one with more in it is refused: see below
        "website": toml("javascript:window.pwned='website'//\"><script>"),
    }
    start, end = text.index("[facts]"), text.index("[summary]")
    text = (
        text[:start]
        + "[facts]\n"
        + "".join(f"{name} = {value}\n" for name, value in facts.items())
        + f"hostile = {toml(payload('fact'))}\n\n"
        + "[summary]\n"
        + f"nl = {toml(payload('summary-nl'))}\nen = {toml(payload('summary-en'))}\n"
        + text[text.index("[accepted_gaps]") - 1 :]
    )
    assert end > start
    start, end = text.index("[publisher]"), text.index("# Other facts")
    publisher = (
        f"[publisher]\nname = {facts['company']}\n"
        f"address = [{facts['street']}, {facts['city']}]\n"
        f"registration = {{ label = {toml(payload('label'))}, number = {facts['kvk']} }}\n"
        f"email = {facts['email']}\nwebsite = {facts['website']}\n\n"
    )
    text = text[:start] + publisher + text[end:]
    text = text.replace("effective = 2021-02-23", "effective = 2022-03-01")
    text = text.replace(
        '# base_url = "https://www.ems-csp.com/privacy/"', f"base_url = {toml(BASE_URL)}"
    )
    text = text.replace('name = "English"', f"name = {toml(payload('language-name'))}")
    toml_path.write_text(text, encoding="utf-8")
    for lang, title in (("nl", "# Privacy policy\n"), ("en", "# Privacy policy\n")):
        path = repo.statement / f"{lang}.md"
        body = path.read_text(encoding="utf-8")
        assert body.startswith(title)
        body = f"# {md(payload('title-' + lang))}\n" + body[len(title) :]
        path.write_text(body.rstrip("\n") + "\n\n" + hostile_section(lang), encoding="utf-8")
    repo.edit("nl.md", "doeleinden dan wel", f"doeleinden {md(payload('changed-nl'))} dan wel")
    repo.edit("en.md", "to comply with laws", f"to comply {md(payload('changed-en'))} with laws")
    catalog = repo.root / NL_CATALOG
    for msgid, msgstr in CATALOG_TEXT.items():
        old = catalog.read_text(encoding="utf-8")
        found = re.search(rf'msgid "{re.escape(po(msgid))}"\nmsgstr "[^\n]*"', old)
        assert found, msgid
        new = f'msgid "{po(msgid)}"\nmsgstr "{po(msgstr)}"'
        catalog.write_text(old[: found.start()] + new + old[found.end() :], encoding="utf-8")
    repo.git("add", "-A")
    author = "x\"'); window.pwned='author'; (' &amp; AUTHOR-MARKER-4b1d <author@example.com>"
    message = "<script>window.pwned='commit'</script> COMMIT-MARKER-8e2f\n\n\"><svg onload=1>"
    repo.git("commit", "-q", f"--author={author}", "-m", message)
    repo.edit("en.md", "## Retention period", "## Retention")
    editorial = "<script>window.pwned='editorial'</script> EDITORIAL-MARKER-51c0"
    repo.commit(f"Shorter heading\n\nEditorial: {editorial}")
    return repo.root


# Page words with quotes and ampersands: text, to be shown as such even inside an attribute.
CATALOG_TEXT = {
    "Language": 'Taal" onmouseover="window.pwned=\'catalog\'" data-x="',
    "Contents": "Inhoud &lt;script&gt; & \"x\" 'y'",
    "Skip to the text": "Naar de tekst' onfocus='window.pwned=1",
    "Privacy statement of %(company)s: changes": 'Privacy & "statement" van %(company)s: ]]>',
    "Version of %(date)s": 'Versie" onclick="window.pwned=\'version\'" van %(date)s',
    "Site": "Site <!-- x & 1 < 2",  # a < or > that makes no tag is text too
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built hostile site (with its PDFs)."""
    root = make_hostile(tmp_path_factory.mktemp("hostile") / "project")
    result = run_build(root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the <title>'s text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, attrs))
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)


def elements(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def test_every_attack_is_shown_as_the_text_it_is(hostile: Path) -> None:
    for lang in ("nl", "en"):
        page = read(hostile, f"{lang}/index.html")
        shown = page_text(page)
        for where in ("heading", "text", "item", "head", "cell", "link-text", "quote", "changed"):
            assert payload(f"{where}-{lang}") in shown, where
        for where in ("fact", "company", "street", "city", "label", "kvk"):
            assert payload(where) in shown, where
        assert "<script>window.pwned='entity'</script> <img src=x onerror=alert(1)>" in shown
        assert "<script>window.pwned='code'</script>" in shown
        assert "<script>window.pwned='fence'</script>" in shown
        title = f"{payload('title-' + lang)} · {payload('company')}"
        assert "".join(elements(page).title) == title
        attributes = [dict(attrs) for _, attrs in elements(page).elements]
        assert {"href": LINK_HREF, "title": payload(f"link-title-{lang}")} in attributes
        assert {"name": "description", "content": payload(f"summary-{lang}")} in attributes
    # the language's name, in the switch of every page
    assert payload("language-name") in page_text(read(hostile, "nl/index.html"))
    changelog = page_text(read(hostile, "nl/changelog/index.html"))
    assert payload("summary-nl") in changelog and payload("heading-nl") in changelog
    comparison = page_text(read(hostile, "nl/2022-03-01/changes/index.html"))
    assert payload("heading-nl") in comparison and payload("text-nl") in comparison


def test_the_page_words_with_quotes_stay_text_inside_their_attributes(hostile: Path) -> None:
    page = read(hostile, "nl/index.html")
    navs = [dict(attrs) for tag, attrs in elements(page).elements if tag == "nav"]
    assert {"class": "language-switch", "aria-label": CATALOG_TEXT["Language"]} in navs
    assert {"class": "site-nav", "aria-label": "Site <!-- x & 1 < 2"} in navs
    body = next(dict(attrs) for tag, attrs in elements(page).elements if tag == "body")
    assert body["data-version"] == 'Versie" onclick="window.pwned=\'version\'" van 1 maart 2022'
    assert "Inhoud &lt;script&gt; & \"x\" 'y'" in page_text(page)
    assert "Naar de tekst' onfocus='window.pwned=1" in page_text(page)


def test_no_page_holds_markup_an_attack_brought(hostile: Path) -> None:
    pages = sorted(hostile.rglob("*.html"))
    assert len(pages) == 11
    for path in pages:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(hostile).as_posix()
        lowered = text.lower()
        for tag in ("<script", "<svg", "<img", "<iframe", "<style", "<object", "<base", "<form"):
            assert tag not in lowered, f"{where}: {tag}"
        # the policy comes before anything a page says
        assert text.index(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">') < (
            text.index("<title>")
        )
        for tag, attrs in elements(text).elements:
            assert tag in TAGS, f"{where}: <{tag}>"
            for name, value in attrs:
                assert name in ATTRIBUTES, f"{where}: <{tag} {name}>"
                if name == "id":
                    assert re.fullmatch(r"[a-z0-9-]+", value or ""), f"{where}: id {value!r}"
                if name == "href":
                    # what a browser reads as the scheme: control characters and spaces left out
                    href = re.sub(r"[\x00-\x20]", "", value or "").lower()
                    assert SAFE_LINK.match(href), f"{where}: href {value!r}"
                    assert not href.startswith(("javascript:", "data:", "vbscript:"))
        assert not [
            (tag, name) for tag, attrs in elements(text).elements for name, _ in attrs
            if name.startswith("on")
        ]  # fmt: skip


def test_the_feeds_are_well_formed_atom_with_the_attacks_as_text(hostile: Path) -> None:
    for lang in ("nl", "en"):
        feed = ET.parse(hostile / lang / "feed.xml").getroot()
        tags = {element.tag for element in feed.iter()}
        expected = {"feed", "title", "id", "updated", "published", "author", "name", "link",
                    "entry", "summary"}  # fmt: skip
        assert tags == {ATOM + tag for tag in expected}
        assert all("type" not in e.attrib for e in feed.iter() if e.tag != ATOM + "link")
        entries = feed.findall(ATOM + "entry")
        assert len(entries) == 2
        effective = {"nl": "Geldt vanaf 1 maart 2022. ", "en": "In force from 1 March 2022. "}
        summary = entries[0].findtext(ATOM + "summary")
        assert summary == effective[lang] + payload(f"summary-{lang}")
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == payload("company")
        for link in feed.iter(ATOM + "link"):
            assert link.attrib["href"].startswith(BASE_URL), link.attrib
    title = ET.parse(hostile / "nl" / "feed.xml").getroot().findtext(ATOM + "title")
    assert title == f'Privacy & "statement" van {payload("company")}: ]]>'


def test_statement_json_holds_the_words_as_data(hostile: Path) -> None:
    index = json.loads(read(hostile, "statement.json"))
    assert index["facts"]["nl"]["publisher.name"] == payload("company")
    assert index["facts"]["nl"]["hostile"] == payload("fact")
    assert index["facts"]["en"]["website"] == "javascript:window.pwned='website'//\"><script>"
    newest = index["versions"][-1]
    assert newest["summary"] == {"nl": payload("summary-nl"), "en": payload("summary-en")}
    headings = {section["id"]: section["heading"] for section in newest["sections"]}
    assert headings["hostile"] == {"nl": payload("heading-nl"), "en": payload("heading-en")}
    assert [v["date"] for v in index["versions"]] == ["2021-02-23", "2022-03-01"]


def test_the_fact_links_cannot_be_turned_into_script(hostile: Path) -> None:
    hrefs = [
        dict(attrs)["href"]
        for tag, attrs in elements(read(hostile, "en/index.html")).elements
        if tag == "a" and "href" in dict(attrs)
    ]
    # {{website}} is always a web address, {{email}} always a mail address: once or twice in the
    # EMS text, once in the hostile section and, for the e-mail, in the footer
    website = "https://javascript:window.pwned='website'//\"><script>"
    email = "mailto:privacy@example.com"
    assert (hrefs.count(website), hrefs.count(email)) == (2, 4)
    schemes = {href.split(":")[0] for href in hrefs if "pwned=" in href}
    assert schemes == {"https"}


def test_commit_messages_and_author_names_are_shown_nowhere(hostile: Path) -> None:
    # The history is read for its hashes and for whether a commit carries an Editorial trailer:
    # no commit message, trailer text or author name reaches a page, feed, statement.json or PDF.
    from pypdf import PdfReader

    files = site_files(hostile)
    texts = {path: data.decode("utf-8") for path, data in files.items() if not path.endswith(
        (".pdf", ".woff2"))}  # fmt: skip
    texts |= {
        path: "".join(page.extract_text() for page in PdfReader(hostile / path).pages)
        for path in files
        if path.endswith(".pdf")
    }
    pdfs = [path for path in texts if path.endswith(".pdf")]
    assert len(pdfs) == 6
    assert all("Bewaartermijn" in texts[path] for path in pdfs if path.startswith("nl/"))
    for path, text in texts.items():
        for marker in MARKERS:
            assert marker not in text, f"{marker} in {path}"


PDF_ACTIONS = ("/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/AA", "/RichMedia")


def pdf_links_and_actions(path: Path) -> tuple[list[str], list[str]]:
    """Every /URI in a PDF, and every key or action that would run or open something."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    uris: list[str] = []
    actions: list[str] = []
    todo: list = [PdfReader(path).trailer["/Root"]]
    while todo:
        node = todo.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            actions += [key for key in node if key in PDF_ACTIONS]
            actions += [str(node["/S"])] if node.get("/S") in PDF_ACTIONS else []
            uris += [str(node["/URI"])] if "/URI" in node else []
            todo += [value for key, value in node.items() if key not in ("/Parent", "/P")]
        elif isinstance(node, ArrayObject):
            todo += list(node)
    return uris, actions


def test_the_pdfs_link_only_to_safe_addresses_and_run_nothing(hostile: Path) -> None:
    pdfs = sorted(hostile.rglob("*.pdf"))
    assert len(pdfs) == 6
    for path in pdfs:
        uris, actions = pdf_links_and_actions(path)
        assert actions == [], f"{path.name}: {actions}"
        if path.name.endswith("2022-03-01.pdf"):  # the statement with the hostile facts
            assert "https://javascript:window.pwned='website'//%22%3E%3Cscript%3E" in uris
        assert any(uri.startswith("mailto:") for uri in uris), path.name
        for uri in uris:
            assert uri.startswith(("https://", "http://", "mailto:", "tel:")), (path.name, uri)


# --- Chromium: nothing an attack wrote runs, loads or changes the page -------------------------


class _Recorder(SimpleHTTPRequestHandler):
    """Serves the site and remembers every path asked for."""

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.server.asked.append(self.path)
        super().do_GET()


@pytest.fixture(scope="module")
def served(hostile: Path) -> Iterator[tuple[str, list[str]]]:
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Recorder, directory=str(hostile))
    )
    httpd.asked = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.asked
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


PROVOKE = """() => {
    // every event an attack's handler could wait for, on every element (links are not followed)
    for (const element of document.querySelectorAll('*')) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'error', 'load', 'animationstart']) {
            element.dispatchEvent(new Event(type));
        }
    }
    return typeof window.pwned;
}"""


def test_no_attack_runs_in_chromium(browser, served, hostile: Path) -> None:
    from test_pages import Watch, address, scripts_run

    server, asked = served
    pages = sorted(p.relative_to(hostile).as_posix() for p in hostile.rglob("*.html"))
    for path in pages:
        context = browser.new_context()
        watch = Watch(context, server)
        page = context.new_page()
        if path == "index.html":
            watch.stop(page, f"{server}/nl/")  # the root itself, not where it sends the browser
        assert scripts_run(context, page, server + address(path)) == [], path
        assert page.evaluate("typeof window.pwned") == "undefined", path
        assert page.title() == "".join(elements(read(hostile, path)).title), path
        assert page.evaluate(PROVOKE) == "undefined", path
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert policy == CSP, path
        assert page.evaluate("document.querySelectorAll('script, svg, img, iframe').length") == 0
        context.close()
        watch.check()  # only the local server asked, nothing failed, no console error (no CSP report)
    assert len(asked) > len(pages)  # the pages and their stylesheets and fonts
    assert [path for path in asked if "pwned" in path] == []


@pytest.mark.parametrize("policy", [False, True], ids=["without-policy", "with-our-policy"])
def test_the_browser_test_would_see_an_attack_run(browser, served, policy: bool) -> None:
    """The same attack, unescaped, in a page of its own: it runs and asks for its address (so
    the test above would see it), unless the page carries our policy, which stops the script."""
    server, asked = served
    before = len(asked)
    head = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' if policy else ""
    canary = f"{server}/canary-{policy}.html"
    context = browser.new_context()
    page = context.new_page()
    body = f'<!DOCTYPE html><html lang="en"><head>{head}<title>t</title></head><body>{payload("canary")}'
    page.route(canary, lambda route: route.fulfill(content_type="text/html", body=body))
    if policy:
        page.goto(canary)  # the inline script and the image's error handler come before "load"
        assert (page.evaluate("typeof window.pwned"), page.title()) == ("undefined", "t")
    else:
        with page.expect_request(lambda request: request.url.endswith("/pwned/canary")):
            page.goto(canary)
        assert (page.evaluate("typeof window.pwned"), page.title()) == ("string", "pwned")
    context.close()
    assert ("/pwned/canary" in asked[before:]) is not policy


# --- refused: each with its file, line, message and fix -----------------------------------------

RAW_HTML = (
    "raw HTML is not allowed",
    "write it in Markdown, or escape the < with a backslash: \\<",
)
LINK_FIX = "link to a web address (https://…), an e-mail address (mailto:…) or a section (#id)"
ID_FIX = (
    "use lower-case letters, digits and hyphens, starting with a letter but not with page-: "
    "{#retention}"
)
ATTRS_FIX = "write only an id and classes in the braces, such as {#retention}"


def link(href: str) -> tuple[str, str]:
    return f"the link {href!r} is not allowed", LINK_FIX


REFUSED_TEXT = [  # a paragraph of Markdown, and the problem reported on its line
    ("<script>window.pwned=1</script>", RAW_HTML),
    ('<svg onload="window.pwned=1"></svg>', RAW_HTML),
    ('<img src="x" onerror="window.pwned=1">', RAW_HTML),
    ('Tekst <iframe src="javascript:alert(1)"></iframe> tekst', RAW_HTML),
    ('Een <a href="javascript:alert(1)">link</a>', RAW_HTML),
    ("<!-- <script>window.pwned=1</script> -->", RAW_HTML),
    ("<style>body { display: none }</style>", RAW_HTML),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', RAW_HTML),
    ('Tekst <b onmouseover="window.pwned=1">vet</b>', RAW_HTML),
    ("[klik](javascript:alert(1))", link("javascript:alert(1)")),
    ("[klik](JaVaScRiPt:alert(1))", link("JaVaScRiPt:alert(1)")),
    ("[klik](jav&#x09;ascript:alert(1))", link("jav%09ascript:alert(1)")),
    ("[klik](java&NewLine;script:alert(1))", link("java%0Ascript:alert(1)")),
    ("[klik](&#106;avascript:alert(1))", link("javascript:alert(1)")),
    ("[klik](&#x6A;&#x61;vascript&colon;alert(1))", link("javascript:alert(1)")),
    ("[klik](%6Aavascript:alert(1))", link("%6Aavascript:alert(1)")),
    ("[klik](<java\tscript:alert(1)>)", link("java%09script:alert(1)")),
    ("[klik]( javascript:alert(1))", link("javascript:alert(1)")),
    ("[klik](vbscript:msgbox(1))", link("vbscript:msgbox(1)")),
    ("[klik](VBScript:msgbox(1))", link("VBScript:msgbox(1)")),
    ("[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
     link("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")),
    ("[klik](DATA:text/html,<script>alert(1)</script>)",
     link("DATA:text/html,%3Cscript%3Ealert(1)%3C/script%3E")),
    ("<javascript:alert(1)>", link("javascript:alert(1)")),
    ("[klik](//evil.example/pwned)", link("//evil.example/pwned")),
    ("[klik](file:///etc/passwd)", link("file:///etc/passwd")),
    ("[klik][ref]\n\n[ref]: javascript:alert(1)", link("javascript:alert(1)")),
    ("![beeld](https://evil.example/pwned.png)",
     ("images are not allowed", "remove the image: the statement is text only")),
    ("![beeld](javascript:alert(1))",
     ("images are not allowed", "remove the image: the statement is text only")),
]  # fmt: skip

REFUSED_HEADINGS = [  # a section heading, and the problem reported on its line
    ("## <b>Vet</b> {#vet}", RAW_HTML),
    ('## Kop {#kop-a onclick="window.pwned=1"}',
     ('heading attributes {#kop-a onclick="window.pwned=1"} are not allowed', ATTRS_FIX)),
    ('## Kop {#kop-b style="display:none"}',
     ('heading attributes {#kop-b style="display:none"} are not allowed', ATTRS_FIX)),
    ("## Kop {#r\u0435tention}",  # a Cyrillic e
     ("the section id 'r\\u0435tention' is not usable", ID_FIX)),
    ("## Kop {#reten\u200btion}",  # a zero-width space
     ("the section id 'reten\\u200btion' is not usable", ID_FIX)),
    ("## Kop {#\uff52etention}",  # a full-width r
     ("the section id '\\uff52etention' is not usable", ID_FIX)),
    ("## Kop {#kop\u202e}",  # a right-to-left override
     ("the section id 'kop\\u202e' is not usable", ID_FIX)),
    ("## Kop {#page-content}", ("the section id 'page-content' is not usable", ID_FIX)),
]  # fmt: skip


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    [number] = [number for number, line in enumerate(lines, 1) if fragment in line]
    return number


def problems(stderr: str) -> list[tuple[str, str]]:
    """(file:line: message, fix) for every problem the build printed, in its order."""
    lines = stderr.splitlines()
    assert lines[-1].startswith("The site was not changed: "), stderr
    return [
        (line, fix.removeprefix("    fix: "))
        for line, fix in zip(lines[:-1:2], lines[1:-1:2], strict=True)
    ]


def test_markup_and_unsafe_links_in_the_text_are_refused_each_on_its_line(project: Path) -> None:
    path = project / "statement" / "nl.md"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines[0] == "# Privacy policy"
    lines[0] = "# Privacy <script>window.pwned=1</script> policy"
    expected = [(1, RAW_HTML)]
    lines += ["", "## Vijandig {#hostile}"]
    for markdown, problem in REFUSED_TEXT:
        lines.append("")
        expected.append((len(lines) + 1, problem))
        lines += markdown.split("\n")
    for heading, problem in REFUSED_HEADINGS:
        lines.append("")
        expected.append((len(lines) + 1, problem))
        lines += [heading, "", "Tekst."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_build(project)
    assert result.exit_code == 1
    assert problems(result.stderr) == [
        (f"statement/nl.md:{line}: {message}", fix)
        for line, (message, fix) in sorted(expected, key=lambda item: (item[0], item[1][0]))
    ]
    assert not (project / "site").exists()


TOML_FIX = "delete it: a TOML escape such as \\u0001 writes a character no page can show"
BASE_FIX = (
    'write the address the site is published at: base_url = "https://www.example.com/privacy/"'
)


@pytest.mark.parametrize(
    ("old", "new", "message", "fix"),
    [
        ('# base_url = "https://www.ems-csp.com/privacy/"', 'base_url = "javascript:alert(1)"',
         "'base_url' is not a web address: 'javascript:alert(1)'", BASE_FIX),
        ('# base_url = "https://www.ems-csp.com/privacy/"', 'base_url = "data:text/html,x"',
         "'base_url' is not a web address: 'data:text/html,x'", BASE_FIX),
        ('# base_url = "https://www.ems-csp.com/privacy/"',
         'base_url = "https://example.com/\\"><script>"',
         "'base_url' is not a web address: 'https://example.com/\"><script>'", BASE_FIX),
        ('name = "EMS Nederland B.V."', 'name = "EMS\\u001b[2J Nederland"',
         "the publisher's name holds the unprintable character U+001B", TOML_FIX),
        ('address = ["Transistorstraat 91", "Almere"]', 'address = ["Transistorstraat 91", "Almere\\u0000"]',
         "the publisher's address holds the unprintable character U+0000", TOML_FIX),
        ('name = "English"', 'name = "Engl\\u0085ish"',
         "the name of language 'en' holds the unprintable character U+0085", TOML_FIX),
        ('en = "The text', 'en = "\\uFFFFThe text',
         "the en summary holds the unprintable character U+FFFF", TOML_FIX),
        ('# base_url = "https://www.ems-csp.com/privacy/"',
         'base_url = "https://example.com/\\u0001privacy/"',
         "'base_url' is not a web address: 'https://example.com/\\x01privacy/'", BASE_FIX),
        ('email = "info@ems.claims"', 'email = "info@ems.claims?bcc=x@evil.example"',
         "the publisher's email is not one e-mail address",
         'write one e-mail address and nothing else: email = "privacy@example.com"'),
        ('email = "info@ems.claims"', 'email = "info@ems.claims\\"><script>"',
         "the publisher's email is not one e-mail address",
         'write one e-mail address and nothing else: email = "privacy@example.com"'),
    ],
    ids=["javascript-base-url", "data-base-url", "breakout-base-url", "escape-in-a-fact",
         "nul-in-a-fact", "c1-control-in-a-name", "non-character-in-a-summary",
         "control-in-base-url", "bcc-in-email", "breakout-email"],
)  # fmt: skip
def test_settings_that_no_page_can_hold_are_refused(project, old, new, message, fix) -> None:
    path = project / "statement" / "statement.toml"
    edit(path, old, new)
    line = line_of(path, new)
    result = run_build(project)
    assert result.exit_code == 1
    assert problems(result.stderr) == [(f"statement/statement.toml:{line}: {message}", fix)]


def test_a_control_character_in_the_text_is_refused(project: Path) -> None:
    path = project / "statement" / "nl.md"
    edit(path, "## Bewaartermijn {#retention .retention}", "## Bewaar\x1b[8mtermijn {#retention}")
    line = line_of(path, "\x1b[8m")
    result = run_build(project)
    assert result.exit_code == 1
    fix = "delete it: it is invisible in most editors (it often comes with a copy and paste)"
    message = "this file holds the unprintable character U+001B"
    assert problems(result.stderr) == [(f"statement/nl.md:{line}: {message}", fix)]


PLAIN = "write it as plain text: the message has no HTML, so its translation has none"
NOTICE = (
    'This is a translation. The <a href="%(href)s" hreflang="%(hreflang)s">%(language)s text</a> '
    "is the one that legally applies."
)
REFUSED_CATALOG = [  # msgid, a hostile msgstr, the message and the fix
    ("Contents", "<script>window.pwned=1</script>Inhoud",
     "the translation of 'Contents' has other HTML than the message", PLAIN),
    ("Draft", '<svg onload="window.pwned=1">Concept</svg>',
     "the translation of 'Draft' has other HTML than the message", PLAIN),
    ("Language", 'Taal"><img src=x onerror=alert(1)>',
     "the translation of 'Language' has other HTML than the message", PLAIN),
    ("Read the current version", "Lees de <b>huidige</b> versie",
     "the translation of 'Read the current version' has other HTML than the message", PLAIN),
    (NOTICE,
     'Dit is een vertaling. Juridisch geldt de <a href="%(href)s" onclick="window.pwned=1">'
     "%(language)s tekst</a>.",
     f"the translation of {NOTICE!r} has other HTML than the message",
     "keep the message's own tags exactly as they are, "
     '<a href="%(href)s" hreflang="%(hreflang)s"> </a>, and add none'),
    ("Version of %(date)s", "Versie van %(datum)s",
     "the translation of 'Version of %(date)s' has other placeholders than the message",
     "keep %(date)s exactly as written, and write a percent sign as %%"),
    ("Choose a language:", "Kies 100% zeker een taal:",
     "the translation of 'Choose a language:' has other placeholders than the message",
     "the message has no placeholders: write a percent sign as %%"),
    ("Changes", "Wijzigingen %s",
     "the translation of 'Changes' has other placeholders than the message",
     "the message has no placeholders: write a percent sign as %%"),
    ("Added", "Toegevoegd\x07",
     "the translation of 'Added' holds the unprintable character U+0007",
     "delete it: it is invisible in most editors (it often comes with a copy and paste)"),
    ("privacy-statement", "../../../../../tmp/pwned",
     "the file-name word 'privacy-statement' is translated as '../../../../../tmp/pwned', "
     "which cannot stand in a file name",
     "use at most 60 letters, digits and hyphens, as in privacyverklaring"),
    ("changes", "wijzigingen/../../x",
     "the file-name word 'changes' is translated as 'wijzigingen/../../x', which cannot stand "
     "in a file name",
     "use at most 60 letters, digits and hyphens, as in privacyverklaring"),
]  # fmt: skip


def test_page_words_that_are_not_plain_text_are_refused(project: Path) -> None:
    catalog = project / NL_CATALOG
    text = catalog.read_text(encoding="utf-8")
    expected = []
    for msgid, msgstr, message, fix in REFUSED_CATALOG:
        found = re.search(rf'msgid "{re.escape(po(msgid))}"\nmsgstr "[^\n]*"', text)
        assert found, msgid
        text = (
            text[: found.start()]
            + f'msgid "{po(msgid)}"\nmsgstr "{po(msgstr)}"'
            + (text[found.end() :])
        )
        line = text.count("\n", 0, found.start()) + 1
        expected.append((f"{NL_CATALOG}:{line}: {message}", fix))
    catalog.write_text(text, encoding="utf-8")
    result = run_build(project)
    assert result.exit_code == 1
    assert problems(result.stderr) == sorted(expected, key=lambda e: int(e[0].split(":")[1]))
    assert not Path("/tmp/pwned-ems-nederland-2021-02-23.pdf").exists()


def test_the_quick_look_at_the_bytes_misses_no_unprintable_character() -> None:
    """A text is searched for unprintable characters only when its bytes may hold one: for
    every character there is, the bytes' look says maybe wherever the search would find it."""
    from generator.files import UNPRINTABLE, may_be_unprintable

    missed = [
        code
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
        and UNPRINTABLE.match(chr(code))
        and not may_be_unprintable(f"a{chr(code)}b".encode())
    ]
    assert missed == []
    assert not may_be_unprintable("Één café, “quoted” \u2013 © 2026\n\tline".encode())
