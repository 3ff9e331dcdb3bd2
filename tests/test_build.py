"""Whole builds through the command line: the site they write, and what a mistake does."""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SECTION_IDS

from generator.config import read_settings
from generator.source import read_statement

REPO = Path(__file__).resolve().parents[1]
SEED_TEXT = REPO.parent / "shared" / "source-text" / "privacy-statement-nl-2021-02-23.txt"
ESSENTIAL_FILES = {"index.html", "nl/index.html", "en/index.html", "statement.json", "style.css"}
NL_CATALOG = "locales/nl/LC_MESSAGES/messages.po"

LOCALES = {"nl": "nl-NL", "en": "en-GB"}  # the page language, as a screen reader and a PDF want it


# --- helpers ---------------------------------------------------------------------------------


def line_of(path: Path, fragment: str) -> int:
    """The 1-based number of the only line of a UTF-8 file that contains fragment."""
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    found = [number for number, line in enumerate(lines, 1) if fragment in line]
    assert len(found) == 1, f"{fragment!r} is on lines {found} of {path.name}"
    return found[0]


def staging_leftovers(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir() if path.name.startswith(".site."))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def move_section(text: str, heading: str, before: str | None) -> str:
    """The text with the `##` section starting with heading moved before another (None: removed)."""
    start = text.index(heading)
    end = text.find("\n## ", start)
    end = len(text) if end < 0 else end + 1
    section, rest = text[start:end], text[:start] + text[end:]
    if before is None:
        return rest
    at = rest.index(before)
    return rest[:at] + section + rest[at:]


class Links(HTMLParser):
    """Every element's attributes, in order, and the ids on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])


def parsed(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    parser.close()
    return parser


# --- a good build ----------------------------------------------------------------------------


def test_python_m_generator_build(project):
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project)],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert re.search(r"^Built \d+ files into site/$", completed.stdout, re.MULTILINE)
    built = {
        path.relative_to(project / "site").as_posix()
        for path in (project / "site").rglob("*")
        if path.is_file()
    }
    assert built >= ESSENTIAL_FILES
    assert f"Built {len(built)} files" in completed.stdout
    assert staging_leftovers(project) == []


def test_out_option_writes_elsewhere(project, tmp_path, build):
    out = tmp_path / "elsewhere" / "public"
    result = build(project, out)
    assert result.exit_code == 0, result.stderr
    assert f"into {out}/" in result.stdout
    assert (out / "nl" / "index.html").is_file()
    assert not (project / "site").exists()


def test_a_second_build_replaces_the_site_whole(project, build, edit, site_files):
    assert build(project).exit_code == 0
    (project / "site" / "stray.txt").write_text("left from before")
    edit(
        project / "statement" / "nl.md",
        "## Bewaartermijn {#retention .retention}",
        "## Bewaren {#retention .retention}",
    )
    result = build(project)
    assert result.exit_code == 0, result.stderr
    files = site_files(project / "site")
    assert "stray.txt" not in files
    assert b'<h2 id="retention">Bewaren</h2>' in files["nl/index.html"]
    assert staging_leftovers(project) == []


# --- every bad input: exit 1, file and line, a fix, no traceback, the old site untouched --------


def _toml(project: Path) -> Path:
    return project / "statement" / "statement.toml"


def _nl(project: Path) -> Path:
    return project / "statement" / "nl.md"


def _en(project: Path) -> Path:
    return project / "statement" / "en.md"


def _break_nl(old: str, new: str, message: str):
    """A case: replace old by new in nl.md; the problem is on the line that then holds new."""

    def breaks(project: Path, edit) -> tuple[str, str]:
        edit(_nl(project), old, new)
        return f"statement/nl.md:{line_of(_nl(project), new.split(chr(10))[0])}", message

    return breaks


def _toml_syntax(project, edit):
    edit(_toml(project), 'source_language = "nl"', 'source_language = "nl')
    return (
        f"statement/statement.toml:{line_of(_toml(project), 'source_language')}",
        "no closing quote",
    )


def _missing_effective(project, edit):
    edit(_toml(project), "effective = 2021-02-23\n", "")
    return "statement/statement.toml: ", "the setting 'effective' is missing"


def _fact_missing_a_language(project, edit):
    edit(_toml(project), "[facts]\n", '[facts]\nstreet = { nl = "Stationsplein 1" }\n')
    line = line_of(_toml(project), "street =")
    return f"statement/statement.toml:{line}", "'street' gives no value for the language 'en'"


def _impossible_date(project, edit):
    edit(_toml(project), "effective = 2021-02-23", "effective = 2021-02-30")
    return (
        f"statement/statement.toml:{line_of(_toml(project), 'effective =')}",
        "not a date that exists",
    )


def _quoted_date(project, edit):
    edit(_toml(project), "effective = 2021-02-23", 'effective = "2021-02-23"')
    line = line_of(_toml(project), "effective =")
    return f"statement/statement.toml:{line}", "the date is in quotes, which makes it text"


def _unknown_locale(project, edit):
    edit(_toml(project), 'locale = "en_GB"', 'locale = "en_XX"')
    return f"statement/statement.toml:{line_of(_toml(project), 'en_XX')}", "unknown locale 'en_XX'"


def _missing_summary(project, edit):
    text = read(_toml(project))
    assert "\nen = " in text
    _toml(project).write_text(re.sub(r"\nen = .*\n", "\n", text), encoding="utf-8")
    return f"statement/statement.toml:{line_of(_toml(project), '[summary]')}: ", "no summary in en"


def _reordered_translation(project, edit):
    text = move_section(read(_en(project)), "## With whom", before="## Retention period")
    _en(project).write_text(text, encoding="utf-8")
    line = line_of(_en(project), "## With whom")
    return (
        f"statement/en.md:{line}",
        "the section 'recipients' is out of order: nl.md has 'retention'",
    )


def _dropped_section(project, edit):
    _en(project).write_text(move_section(read(_en(project)), "## Security", None), "utf-8")
    line = line_of(_en(project), "## Rights of data subjects")
    return f"statement/en.md:{line}", "the section 'security' is missing (in nl.md it comes after"


def _dropped_last_section(project, edit):
    _en(project).write_text(move_section(read(_en(project)), "## Contact", None), "utf-8")
    line = line_of(_en(project), "## Changes to")
    return f"statement/en.md:{line}", "the section 'contact' is missing (in nl.md it comes after"


def _missing_language_file(project, edit):
    _en(project).unlink()
    return "statement/en.md: ", "en.md is missing"


def _unknown_fact_in_english(project, edit):
    edit(
        _en(project), "please contact us via {{publisher.email}}", "please contact us via {{mail}}"
    )
    return f"statement/en.md:{line_of(_en(project), '{{mail}}')}", "unknown fact {{mail}}"


def _latin1(project, edit):
    path = _nl(project)
    data = path.read_bytes()
    old = b"wet- en regelgeving te voldoen.\n"
    assert data.count(old) == 1
    path.write_bytes(data.replace(old, "wet- en regelgeving te voldoen café.\n".encode("latin-1")))
    lines = data.decode("utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if "regelgeving te voldoen." in text)
    return f"statement/nl.md:{line}", "not UTF-8"


def _untranslated_message(project, edit):
    edit(project / NL_CATALOG, 'msgstr "Inhoud"', 'msgstr ""')
    line = line_of(project / NL_CATALOG, 'msgid "Contents"')
    return f"{NL_CATALOG}:{line}", "'Contents' is not translated"


BAD_INPUTS = {
    "toml-syntax-error": _toml_syntax,
    "missing-effective": _missing_effective,
    "fact-missing-a-language": _fact_missing_a_language,
    "impossible-date": _impossible_date,
    "date-as-string": _quoted_date,
    "unknown-locale": _unknown_locale,
    "missing-summary": _missing_summary,
    "unknown-fact": _break_nl(
        "niet langer dan nodig", "niet {{langer}} dan nodig", "unknown fact {{langer}}"
    ),
    "unknown-fact-in-english": _unknown_fact_in_english,
    "heading-without-id": _break_nl(
        "## Bewaartermijn {#retention .retention}",
        "## Bewaartermijn\n",
        "the section 'Bewaartermijn' has no id",
    ),
    "id-used-twice": _break_nl(
        "## Beveiliging {#security}",
        "## Beveiliging {#retention}",
        "the id 'retention' is used twice",
    ),
    "unusable-id": _break_nl(
        "## Beveiliging {#security}", "## Beveiliging {#page-content}", "is not usable"
    ),
    "sections-in-another-order": _reordered_translation,
    "section-dropped": _dropped_section,
    "last-section-dropped": _dropped_last_section,
    "missing-language-file": _missing_language_file,
    "raw-html-block": _break_nl(
        "Wij bewaren uw persoonsgegevens niet",
        '<div class="x">Bewaren</div>\n\nWij bewaren uw persoonsgegevens niet',
        "raw HTML is not allowed",
    ),
    "raw-html-inline": _break_nl(
        "Wij bewaren uw persoonsgegevens niet", "Wij <em>bewaren</em> uw", "raw HTML"
    ),
    "raw-html-second-line-of-a-paragraph": _break_nl(
        "Informatie die we krijgen door", "Informatie <span>die</span> we krijgen door", "raw HTML"
    ),
    "script-tag": _break_nl(
        "Wij bewaren uw persoonsgegevens niet",
        "<script>alert(1)</script>\n\nWij bewaren uw persoonsgegevens niet",
        "raw HTML is not allowed",
    ),
    "javascript-link": _break_nl(
        "niet langer dan nodig",
        "niet [langer](javascript:alert(1)) dan nodig",
        "the link 'javascript:alert(1)' is not allowed",
    ),
    "data-link": _break_nl(
        "niet langer dan nodig",
        "niet [langer](data:text/html;base64,PGI+) dan nodig",
        "the link 'data:text/html;base64,PGI+' is not allowed",
    ),
    "image": _break_nl(
        "niet langer dan nodig",
        "niet ![langer](https://example.com/x.png) dan nodig",
        "images are not allowed",
    ),
    "link-to-a-missing-section": _break_nl(
        "niet langer dan nodig", "niet [langer](#bewaren) dan nodig", "#bewaren goes to no section"
    ),
    "heading-attributes": _break_nl(
        "## Bewaartermijn {#retention .retention}",
        "## Bewaartermijn {#retention onclick=foo}",
        "heading attributes {#retention onclick=foo} are not allowed",
    ),
    "not-utf8": _latin1,
    "untranslated-message": _untranslated_message,
}


@pytest.mark.parametrize("breaks", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_a_bad_input_stops_the_build_and_keeps_the_site(project, build, edit, site_files, breaks):
    good = build(project)
    assert good.exit_code == 0, good.stderr
    before = site_files(project / "site")
    assert set(before) >= ESSENTIAL_FILES

    where, message = breaks(project, edit)
    result = build(project)

    assert result.exit_code == 1
    assert where in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert "\n    fix: " in result.stderr
    assert "The site was not changed" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Built" not in result.stdout
    assert site_files(project / "site") == before
    assert staging_leftovers(project) == []


@pytest.mark.parametrize("case", ["javascript-link", "not-utf8", "untranslated-message"])
def test_a_bad_input_in_a_real_process(project, edit, case):
    where, message = BAD_INPUTS[case](project, edit)
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1
    assert where in completed.stderr and message in completed.stderr, completed.stderr
    assert "fix:" in completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr
    assert not (project / "site").exists()


def test_problems_in_several_files_are_reported_together(project, build, edit, site_files):
    assert build(project).exit_code == 0
    before = site_files(project / "site")
    edit(_nl(project), "niet langer dan nodig", "niet <b>langer</b> dan nodig")
    edit(_nl(project), "## Beveiliging {#security}", "## Beveiliging")
    edit(
        _en(project), "please contact us via {{publisher.email}}", "please contact us via {{mail}}"
    )
    edit(project / NL_CATALOG, 'msgstr "Inhoud"', 'msgstr ""')
    result = build(project)
    assert result.exit_code == 1
    contents = line_of(project / NL_CATALOG, 'msgid "Contents"')
    expected = [
        f"{NL_CATALOG}:{contents}: the message 'Contents' is not translated",
        f"statement/en.md:{line_of(_en(project), '{{mail}}')}: unknown fact {{{{mail}}}}",
        f"statement/nl.md:{line_of(_nl(project), '<b>langer')}: raw HTML is not allowed",
        f"statement/nl.md:{line_of(_nl(project), '## Beveiliging')}: the section 'Beveiliging'",
    ]
    listed = [line for line in result.stderr.splitlines() if not line.startswith(" ")]
    assert len(listed) == len(expected) + 1, result.stderr
    for line, prefix in zip(listed, expected, strict=False):
        assert line.startswith(prefix), result.stderr
    assert listed[-1] == "The site was not changed: 4 problem(s) to fix."
    assert result.stderr.count("\n    fix: ") == 4
    assert site_files(project / "site") == before


def test_a_settings_problem_is_reported_with_the_other_files_problems(project, build, edit):
    edit(_toml(project), "[facts]\n", '[facts]\nkvk = ""\n')
    edit(_nl(project), "niet langer dan nodig", "niet <b>langer</b> dan nodig")
    result = build(project)
    assert result.exit_code == 1
    assert "the fact 'kvk' must be non-empty text" in result.stderr
    assert "raw HTML is not allowed" in result.stderr


def test_a_bom_and_crlf_line_ends_build_the_same_site(project, tmp_path, build, site_files):
    assert build(project, tmp_path / "lf").exit_code == 0
    text = read(_nl(project))
    _nl(project).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = build(project, tmp_path / "crlf")
    assert result.exit_code == 0, result.stderr
    lf, crlf = site_files(tmp_path / "lf"), site_files(tmp_path / "crlf")
    assert crlf == lf
    for section_id in SECTION_IDS:
        assert f'<h2 id="{section_id}">'.encode() in crlf["nl/index.html"]


# --- the Dutch text as published is all there ------------------------------------------------


def seed_blocks(text: str) -> list[str]:
    """The published text's title, headings, paragraphs and bullets, whitespace folded."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = chunk.split("\n")
        if any(line.strip().startswith("•") for line in lines):
            blocks += [" ".join(line.strip().lstrip("•").split()) for line in lines]
        else:
            blocks.append(" ".join(chunk.split()))
    return [block for block in blocks if block]


def test_every_paragraph_of_the_published_dutch_text_is_on_the_dutch_page(built_site, page_text):
    if not SEED_TEXT.is_file():
        message = f"the published text is not at {SEED_TEXT} (shared/ beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    blocks = seed_blocks(SEED_TEXT.read_text(encoding="utf-8"))
    assert len(blocks) > 40
    assert "Bewaartermijn" in blocks
    assert "medewerkers van onze klanten;" in blocks
    page = page_text(read(built_site / "nl" / "index.html"))
    position = 0
    for block in blocks:
        found = page.find(block, position)
        assert found >= 0, f"not on the Dutch page (in this order): {block!r}"
        position = found + len(block)


# --- determinism -----------------------------------------------------------------------------


def test_two_builds_into_two_folders_are_identical(project, tmp_path, build, site_files):
    assert build(project, tmp_path / "one").exit_code == 0
    assert build(project, tmp_path / "two" / "deeper").exit_code == 0
    one, two = site_files(tmp_path / "one"), site_files(tmp_path / "two" / "deeper")
    assert one and one == two


def test_two_copies_of_the_project_build_the_same_site(tmp_path, build, site_files, copy_project):
    first = copy_project(tmp_path / "a" / "project")
    second = copy_project(tmp_path / "somewhere" / "else" / "statement-site")
    assert build(first).exit_code == 0
    assert build(second).exit_code == 0
    files = site_files(first / "site")
    assert files == site_files(second / "site")
    today = datetime.date.today()
    year = re.compile(rf"(?<![\w-]){today.year}(?![\w-])".encode())
    for path, data in files.items():
        assert str(tmp_path).encode() not in data, path
        assert str(REPO).encode() not in data, path
        assert b"/tmp/" not in data, path
        assert today.isoformat().encode() not in data, path
        assert not year.search(data), f"{path} contains this year, {today.year}"


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def statement():
    return read_statement(REPO / "statement", read_settings(REPO / "statement" / "statement.toml"))


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, str]:
    return {
        path.relative_to(built_site).as_posix(): read(path)
        for path in sorted(built_site.rglob("*.html"))
    }


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_statement_page(pages, statement, lang):
    html = pages[f"{lang}/index.html"]
    translation = statement.translation(lang)
    assert f'<html lang="{LOCALES[lang]}">' in html
    assert "<title>Privacy policy · EMS Nederland B.V.</title>" in html
    for section in translation.sections:
        assert f'<h2 id="{section.id}">{section.heading}</h2>' in html
        assert f'<section class="section" aria-labelledby="{section.id}">' in html
    assert [section.id for section in translation.sections] == SECTION_IDS


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_table_of_contents_links_to_every_section(pages, lang):
    html = pages[f"{lang}/index.html"]
    contents = html[
        html.index('<nav class="contents"') : html.index(
            "</nav>", html.index('<nav class="contents"')
        )
    ]
    hrefs = [attrs["href"] for tag, attrs in parsed(contents).elements if tag == "a"]
    assert hrefs == [f"#{section_id}" for section_id in SECTION_IDS]


@pytest.mark.parametrize(
    ("lang", "alternates"),
    [("nl", {"nl": "./", "en": "../en/"}), ("en", {"nl": "../nl/", "en": "./"})],
)
def test_alternate_links_for_both_languages(pages, lang, alternates):
    links = parsed(pages[f"{lang}/index.html"]).elements
    found = {
        attrs["hreflang"]: attrs["href"]
        for tag, attrs in links
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs
    }
    assert found == alternates
    assert not [attrs for tag, attrs in links if tag == "link" and attrs.get("rel") == "canonical"]


def test_canonical_links_only_with_a_base_url(project, build, edit):
    assert build(project).exit_code == 0
    for lang in ("nl", "en"):
        assert 'rel="canonical"' not in read(project / "site" / lang / "index.html")
    edit(
        _toml(project),
        '# base_url = "https://www.ems-csp.com/privacy/"',
        'base_url = "https://example.org/privacy"',
    )
    result = build(project)
    assert result.exit_code == 0, result.stderr
    for lang in ("nl", "en"):
        html = read(project / "site" / lang / "index.html")
        assert f'<link rel="canonical" href="https://example.org/privacy/{lang}/">' in html
        assert html.count('rel="canonical"') == 1
        for other in ("nl", "en"):  # search engines want full addresses in hreflang links
            assert f'hreflang="{other}" href="https://example.org/privacy/{other}/">' in html
    assert 'rel="canonical"' not in read(project / "site" / "index.html")


def test_the_english_page_says_it_is_a_translation_of_the_dutch(pages):
    en = pages["en/index.html"]
    notice = en[
        en.index('<p class="translation-notice">') : en.index(
            "</p>", en.index('<p class="translation-notice">')
        )
    ]
    anchors = [attrs for tag, attrs in parsed(notice).elements if tag == "a"]
    assert anchors == [{"href": "../nl/", "hreflang": "nl"}]
    assert "Dutch text</a> is the one that legally applies" in notice
    assert "translation-notice" not in pages["nl/index.html"]


def test_the_root_page_sends_readers_to_the_dutch_text(pages):
    root = pages["index.html"]
    assert '<html lang="nl-NL">' in root
    assert '<meta http-equiv="refresh" content="0; url=nl/">' in root
    assert "<script" not in root.lower()


def test_no_file_has_a_script(built_site):
    for path in built_site.rglob("*"):
        if path.is_file():
            assert b"<script" not in path.read_bytes().lower(), path


def test_every_link_between_pages_arrives(built_site, pages):
    ids = {path: parsed(html).ids for path, html in pages.items()}
    for path, html in pages.items():
        for tag, attrs in parsed(html).elements:
            href = attrs.get("href", "")
            if tag not in ("a", "link") or not href or re.match(r"[a-z]+:", href):
                continue
            target, _, fragment = href.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target or "."))
            if not target:
                resolved = path
            elif target.endswith("/") or resolved == ".":
                resolved = posixpath.normpath(posixpath.join(resolved, "index.html"))
            assert (built_site / resolved).is_file(), f"{path}: {href} goes nowhere"
            if fragment:
                assert fragment in ids[resolved], f"{path}: {href} has no #{fragment}"


def test_statement_json(built_site, pages):
    index = json.loads(read(built_site / "statement.json"))
    assert index["languages"] == ["nl", "en"]
    assert index["source_language"] == "nl"
    assert index["facts"]["nl"]["publisher.name"] == "EMS Nederland B.V."
    assert index["facts"]["en"]["publisher.registration"] == "Chamber of Commerce (KvK) 56150075"
    assert index["current"] == "2021-02-23"
    first = index["versions"][0]
    assert first["date"] == "2021-02-23"
    assert set(first["pages"]) == {"nl", "en"}
    for lang, path in first["pages"].items():
        assert f'<html lang="{LOCALES[lang]}">' in pages[path]
        assert path.startswith(f"{lang}/") and path.endswith("index.html")
    assert [section["id"] for section in first["sections"]] == SECTION_IDS
    headings = {section["id"]: section["heading"] for section in first["sections"]}
    assert headings["retention"] == {"nl": "Bewaartermijn", "en": "Retention period"}
    assert headings["controller"] == {
        "nl": "Wie verwerkt uw gegevens?",
        "en": "Who processes your data?",
    }
