"""Properties (issue 8), over input hypothesis makes up: whatever the source, the reader and the
build end in a statement (a site) or in StatementErrors, never in another exception, and what
they publish of it is safe; the differ's pieces give back both texts; comparing two statements
puts every section in exactly one of added, removed, changed and unchanged."""

from __future__ import annotations

import contextlib
import datetime
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copy_project
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.build import make_site
from generator.changes import changes_between, section_diff, word_diff
from generator.config import settings_with_problems
from generator.errors import StatementError
from generator.files import SourceFiles
from generator.model import Language, Section, Settings, Statement, Translation
from generator.source import parse_translation, statement_from

FOLDER = Path("/nonexistent/statement")  # where the messages say the files are; never read
SETTINGS = Settings(
    effective=datetime.date(2021, 2, 23),
    source_language="nl",
    languages=(Language("nl", "nl_NL", "Nederlands"), Language("en", "en_GB", "English")),
    facts=(("company", "Voorbeeld B.V."), ("email", "privacy@voorbeeld.example"),
           ("website", "www.voorbeeld.example"), ("kvk", "12345678")),
    base_url=None,
    summary=(("nl", "Eerste versie."), ("en", "First version.")),
)  # fmt: skip


def only_statement_errors(run) -> object | None:
    """run(), which may fail only with StatementErrors (alone or grouped): its result, or None."""
    try:
        return run()
    except* StatementError as group:
        assert all(isinstance(e, StatementError) for e in _leaves(group))
        assert all(e.message and e.hint for e in _leaves(group))
    return None


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


# --- Markdown-ish text ------------------------------------------------------------------------

WORD = st.one_of(
    st.sampled_from(["wij", "bewaren", "uw", "gegevens", "niet", "langer", "dan", "nodig", "KvK"]),
    st.sampled_from(["*nadruk*", "**vet**", "`code`", "_x_", "\\*", "&amp;", "&lt;b&gt;", "&#0;",
                     "{{company}}", "{{ email }}", "{{website}}", "{{kvk_nr}}", "{{", "}}", "{#x}",
                     "<b>", "</i>", "<!--", "<svg onload=x>", "|", "\\", "#", "##", "---", "[x]",
                     "[x](#retention)", "[x](#nergens)", "[x](https://a.example)",
                     "[x](javascript:alert(1))", "[x](jav&#x09;ascript:1)", "[x](mailto:a@b.c)",
                     "![x](https://a.example/x.png)", "<https://a.example>", "<javascript:x>",
                     "[x][r]", "[r]: javascript:x", "\u00a0", "\u200b", "\u202e", "\t", "\x0c",
                     "\r", "é", "Ω", "日本", "🙂"]),
    st.text(max_size=6),
)  # fmt: skip
WORDS = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
ID = st.one_of(
    st.sampled_from(["retention", "rights", "contact", "s1", "a-b", "Retention", "page-x", "1x",
                     "r\u0435tention", "reten\u200btion", ""]),
    st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
    st.text(max_size=5),
)  # fmt: skip
ATTRS = st.one_of(
    ID.map(lambda i: f" {{#{i}}}"),
    st.tuples(ID, st.sampled_from([".retention", ".right_access .complaint", "", ".X"])).map(
        lambda a: f" {{#{a[0]} {a[1]}}}"
    ),
    st.sampled_from(["", ' {#x onclick="y"}', " {#x", " {.x}", " {#a}{#b}"]),
)
HEADING = st.tuples(st.sampled_from(["#", "##", "##", "##", "###", "####", "##\u00a0", "\t##"]),
                    WORDS, ATTRS).map(lambda h: f"{h[0]} {h[1]}{h[2]}")  # fmt: skip
BLOCK = st.one_of(
    HEADING,
    WORDS,
    WORDS.map(lambda w: f"- {w}"),
    WORDS.map(lambda w: f"1. {w}"),
    WORDS.map(lambda w: f"> {w}"),
    WORDS.map(lambda w: f"| {w} | b |\n| --- | --- |\n| c | d |"),
    WORDS.map(lambda w: f"```\n{w}\n```"),
    WORDS.map(lambda w: f"    {w}"),
    st.sampled_from(["", "```", "~~~", "<div>", "</div>", "***", "Kop\n===", "Kop\n---"]),
)
SEPARATOR = st.sampled_from(["\n", "\n\n", "\n\n", "\r\n\r\n", "\n\n\n"])


PLAIN = st.lists(st.sampled_from(["wij", "bewaren", "uw", "gegevens", "*niet*", "`2`", "jaar",
                                  "{{company}}", "[zie](#s0)", "[site](https://a.example)",
                                  "&amp;", "\\<b>", "é", "Ω", "🙂"]),
                 min_size=1, max_size=8).map(" ".join)  # fmt: skip
BODY = st.one_of(PLAIN, PLAIN.map(lambda w: f"- {w}\n- {w}"), PLAIN.map(lambda w: f"### {w}"),
                 PLAIN.map(lambda w: f"> {w}"))  # fmt: skip


@st.composite
def markdown(draw, ids: list[str] | None = None, tricks: bool = True) -> str:
    """A text in the shape of a statement: a title, then sections with the given ids (or any
    blocks at all), with every kind of mistake and trick mixed in now and then (or, without
    tricks, a valid statement: nothing in it is a mistake)."""
    if ids is None and tricks and draw(st.booleans()):
        blocks = draw(st.lists(BLOCK, max_size=14))  # anything at all
        if draw(st.booleans()):
            blocks.insert(0, f"# {draw(WORDS)}")
    else:  # a statement that may well read: each section a heading, its id, and some text
        ids = ids if ids is not None else [f"s{n}" for n in range(draw(st.integers(1, 5)))]
        blocks = [f"# {draw(PLAIN)}"]
        for section_id in ids:
            blocks.append(f"## {draw(PLAIN)} {{#{section_id}}}")
            blocks += draw(st.lists(BODY, min_size=1, max_size=3))
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2] if tricks else [0]))):
            blocks.insert(draw(st.integers(0, len(blocks))), draw(BLOCK))
    return "".join(block + draw(SEPARATOR) for block in blocks)


@st.composite
def translations(draw) -> tuple[str, str]:
    """The Dutch and English texts of one statement: the same sections, mostly."""
    ids = [f"s{n}" for n in range(draw(st.integers(1, 5)))]
    other = ids if draw(st.integers(0, 4)) else draw(st.permutations(ids))
    return draw(markdown(ids)), draw(markdown(other))


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, attrs))


SECTION_TAGS = {"p", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote", "h3",
                "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"}  # fmt: skip
UNSAFE_LINK = re.compile(rb'(href|src)="\s*(javascript|data|vbscript):', re.IGNORECASE)
SAFE_HREF = re.compile(r"(https?:|mailto:|tel:|#)", re.IGNORECASE)


def assert_safe(html: str) -> None:
    parser = Markup()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in SECTION_TAGS, (tag, html)
        for name, value in attrs:
            anchor = name == "id" and tag in ("h3", "h4", "h5", "h6")  # a sub-heading's anchor
            assert anchor or name in ("href", "title", "start", "style"), (tag, name, html)
            if name == "href":
                assert SAFE_HREF.match(value or ""), html
            if name == "style":  # a table column's alignment, the only style Markdown writes
                assert re.fullmatch(r"text-align:(left|right|center)", value or ""), html


VALID_IDS = st.lists(
    st.sampled_from([f"s{n}" for n in range(1, 8)]), max_size=4, unique=True
).flatmap(
    lambda rest: st.permutations(["s0", *rest])  # s0: the texts' links go there
)


@settings(max_examples=300, deadline=None)
@given(markdown())
def test_the_reader_ends_in_a_text_or_in_its_problems(text: str) -> None:
    translation = only_statement_errors(
        lambda: parse_translation(text.replace("\r\n", "\n"), FOLDER / "nl.md", "nl", SETTINGS)
    )
    event("read" if translation else "refused")
    if translation is not None:
        assert translation.sections
        for section in translation.sections:
            assert re.fullmatch(r"[a-z][a-z0-9-]*", section.id) and section.text == " ".join(
                section.blocks
            )
            assert_safe(section.html)


@settings(max_examples=200, deadline=None)
@given(VALID_IDS.flatmap(lambda ids: st.tuples(st.just(ids), markdown(ids, tricks=False))))
def test_a_valid_text_is_read_whole(drawn: tuple[list[str], str]) -> None:
    # the property above holds of a reader that refuses everything: this one would catch it
    ids, text = drawn
    translation = parse_translation(text.replace("\r\n", "\n"), FOLDER / "nl.md", "nl", SETTINGS)
    assert [section.id for section in translation.sections] == ids
    assert all(section.text for section in translation.sections)
    event(f"{len(translation.sections)} section(s)")


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(translations().map(lambda texts: tuple(t.encode() for t in texts)),
              st.tuples(st.binary(max_size=200), st.binary(max_size=50))),
    st.sampled_from([b"", b"\xef\xbb\xbf"]),
)  # fmt: skip
def test_two_texts_as_bytes_end_in_a_statement_or_in_its_problems(texts, bom) -> None:
    nl, en = texts
    source = SourceFiles(FOLDER, {"nl.md": bom + nl, "en.md": en})
    statement = only_statement_errors(lambda: statement_from(source, SETTINGS))
    event("read" if statement else "refused")
    if statement is not None:
        ids = [[s.id for s in t.sections] for t in statement.translations]
        assert ids[0] == ids[1]


# --- settings ---------------------------------------------------------------------------------

KEY = st.one_of(
    st.sampled_from(["effective", "source_language", "base_url", "company", "street", "city",
                     "kvk", "email", "website", "nl", "en", "locale", "name", "dpo_contact",
                     "summary", "facts", "languages", "accepted_gaps", "efective", "KvK"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True),
    st.text(min_size=1, max_size=6).map(lambda k: '"' + k.replace("\\", "").replace('"', "") + '"'),
)  # fmt: skip
STRING = st.text(max_size=12).map(
    lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
)
VALUE = st.one_of(
    STRING,
    st.sampled_from(['"nl_NL"', '"en_GB"', '"nl-NL"', '"xx_YY"', '"../../etc"', '"nl_NL_X_Y_Z"',
                     '"https://a.example"', '"javascript:x"', '"FILL IN: x"', '"\\u0001"',
                     '"\\uFFFF"', "2021-02-23", "2021-02-30", "2021-02-23T10:00:00",
                     "2021-02-23T10:00:00+14:00", "10:00:00", "1", "-0.5", "inf", "true",
                     "[]", '["nl", 1]', "{}", '{ locale = "nl_NL", name = "N" }', '"""a\nb"""',
                     "'literal'", '"', "=", ""]),
)  # fmt: skip
LINE = st.one_of(
    st.tuples(KEY, VALUE).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.sampled_from(["[languages.nl]", "[languages.en]", "[languages.NL]", "[languages]",
                     "[facts]", "[summary]", "[accepted_gaps]", "[x]", "[[facts]]", "# comment",
                     "", "[", "effective = 2021-02-23", 'source_language = "nl"']),
)  # fmt: skip


MINI_TOML = (
    Path(__file__).parent / "accepted" / "mini" / "statement" / "statement.toml"
).read_text(encoding="utf-8")


@st.composite
def settings_text(draw) -> str:
    """Any lines of TOML, or the mini statement's settings with a few lines dropped, changed or
    added: most of those still read, and their mistakes are one or two."""
    if draw(st.booleans()):
        return "\n".join(draw(st.lists(LINE, max_size=20)))
    lines = MINI_TOML.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["drop", "value", "add"]))
        if change == "drop":
            del lines[at]
        elif change == "value" and " = " in lines[at]:
            lines[at] = lines[at].split(" = ")[0] + " = " + draw(VALUE)
        else:
            lines.insert(at, draw(LINE))
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(settings_text())
def test_any_settings_end_in_settings_or_in_their_problems(text: str) -> None:
    source = SourceFiles(FOLDER, {"statement.toml": text.encode("utf-8")})
    found = only_statement_errors(lambda: settings_with_problems(source))
    event("read" if found and found[0] and not found[1] else "refused")
    if found is not None:
        settings_found, errors = found
        assert all(isinstance(error, StatementError) for error in errors)
        if settings_found is not None and not errors:
            codes = [language.code for language in settings_found.languages]
            assert settings_found.source_language == codes[0]


# --- whole builds, fewer: each costs a rendering of the pages ----------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("property") / "project")
    shutil.copyfile(
        Path(__file__).parent / "accepted" / "mini" / "statement" / "statement.toml",
        root / "statement" / "statement.toml",
    )
    return root


@settings(max_examples=10, deadline=None)
@given(
    VALID_IDS.flatmap(
        lambda ids: st.tuples(markdown(ids, tricks=False), markdown(ids, tricks=False))
    )
)
def test_a_valid_statement_builds(project: Path, texts) -> None:
    # the property below holds of a build that refuses everything: this one would catch it
    nl, en = texts
    (project / "statement" / "nl.md").write_text(nl, encoding="utf-8", newline="")
    (project / "statement" / "en.md").write_text(en, encoding="utf-8", newline="")
    site = make_site(project, cache=project / ".cache", pdfs=False)
    assert "nl/index.html" in dict(site.files)


@settings(max_examples=25, deadline=None)
@given(translations())
def test_a_whole_build_ends_in_a_site_or_in_its_problems(project: Path, texts) -> None:
    nl, en = texts
    (project / "statement" / "nl.md").write_text(nl, encoding="utf-8", newline="")
    (project / "statement" / "en.md").write_text(en, encoding="utf-8", newline="")
    site = only_statement_errors(lambda: make_site(project, cache=project / ".cache", pdfs=False))
    event("built" if site else "refused")
    if site is not None:
        files = dict(site.files)
        assert "nl/index.html" in files
        for path, data in files.items():
            if path.endswith(".html"):
                assert b"<script" not in data.lower() and not UNSAFE_LINK.search(data), path


# --- the differ -------------------------------------------------------------------------------

TEXT = st.one_of(
    st.lists(st.sampled_from(["a", "b", "c", "de", "", "a b"]), max_size=12).map(" ".join),
    st.text(max_size=40),
)


def side(pieces, left_out: str) -> str:
    return " ".join(piece.text for piece in pieces if piece.kind != left_out)


@given(TEXT)
def test_a_text_compared_with_itself_is_all_the_same(text: str) -> None:
    pieces = word_diff(text, text)
    assert all(piece.kind == "same" for piece in pieces)
    assert side(pieces, "inserted") == text


@settings(max_examples=300)
@given(TEXT, TEXT)
def test_the_pieces_of_a_diff_give_back_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert side(pieces, "inserted") == old  # the same and the deleted: the old text
    assert side(pieces, "deleted") == new  # the same and the inserted: the new text
    assert all(piece.kind in ("same", "deleted", "inserted") for piece in pieces)
    assert all(a.kind != b.kind or a.kind != "same" for a, b in itertools.pairwise(pieces))


BLOCKS = st.lists(
    st.lists(st.sampled_from(["wij", "bewaren", "uw", "data", "niet", "2", "jaar"]), min_size=1,
             max_size=6).map(" ".join),
    max_size=4,
)  # fmt: skip


def section(blocks: list[str], heading: str = "Kop", section_id: str = "s") -> Section:
    return Section(section_id, heading, "", tuple(blocks), 1)


@given(BLOCKS, BLOCKS)
def test_the_paragraphs_of_a_section_diff_hold_both_sections_words(old, new) -> None:
    paragraphs = section_diff(section(old), section(new))
    pieces = [piece for paragraph in paragraphs for piece in paragraph]
    assert side(pieces, "inserted").split() == " ".join(old).split()
    assert side(pieces, "deleted").split() == " ".join(new).split()
    assert all(paragraph for paragraph in paragraphs)


SAID = st.tuples(st.sampled_from(["Kop", "Titel"]), st.sampled_from(["een", "twee", "drie"]))


@st.composite
def statement(draw) -> Statement:
    """Two languages with the same sections in the same order, each saying one of a few things."""
    ids = draw(st.lists(st.sampled_from([f"s{n}" for n in range(8)]), unique=True, max_size=8))
    translations = []
    for lang in ("nl", "en"):
        sections = []
        for n, section_id in enumerate(ids):
            heading, text = draw(SAID)
            sections.append(Section(section_id, heading, "", (text,), n))
        translations.append(Translation(lang, "T", tuple(sections), FOLDER / f"{lang}.md"))
    return Statement(SETTINGS, tuple(translations))


def said(statement: Statement) -> dict[str, tuple]:
    return {
        s.id: tuple((t.section(s.id).heading, t.section(s.id).text) for t in statement.translations)
        for s in statement.translations[0].sections
    }


@given(statement())
def test_a_statement_compared_with_itself_has_no_changes(a: Statement) -> None:
    assert changes_between(a, a) == ()


@settings(max_examples=300)
@given(statement(), statement())
def test_every_section_is_added_removed_changed_or_unchanged_once(a, b) -> None:
    old, new = said(a), said(b)
    changes = changes_between(a, b)
    kinds = {kind: [c.section_id for c in changes if c.kind == kind] for kind in
             ("added", "removed", "changed")}  # fmt: skip
    unchanged = [sid for sid in new if sid in old and old[sid] == new[sid]]
    assert len(changes) == len({c.section_id for c in changes})  # none twice
    assert set(kinds["added"]) == new.keys() - old.keys()
    assert set(kinds["removed"]) == old.keys() - new.keys()
    assert set(kinds["changed"]) == {sid for sid in new if sid in old and old[sid] != new[sid]}
    total = sum(map(len, kinds.values())) + len(unchanged)
    assert total == len(old.keys() | new.keys())
    # in the order of the newer text, the removed ones last
    order = [sid for sid in new if sid not in unchanged] + kinds["removed"]
    assert [c.section_id for c in changes] == order


LINES = st.sampled_from(
    [
        "## A {#a}",
        "##",
        "##\tB",
        " ## C",
        "###",
        "#",
        "text",
        "",
        "  [a]: https://x",
        "[b]:",
        "x ## y",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=12), st.booleans())
def test_a_text_is_cut_before_each_section_heading(lines, ends) -> None:
    """A text without fenced code is cut before each `##` heading after its first line, each
    stretch starting at its heading's line; a text with a link definition is one stretch."""
    from generator.source import _chunks

    text = "\n".join(lines) + ("\n" if ends else "")
    defines = any(re.match(r" {0,3}\[[^\]]+\]:", line) for line in lines)
    whole = [(0, text if text.endswith("\n") else text + "\n")]
    headings = [n for n, line in enumerate(lines) if n and re.match(r"##(?:[ \t]|$)", line)]
    cut = _chunks(text)
    if defines:
        assert cut == whole
    else:
        assert [line for line, _ in cut] == [0, *headings]
        assert "".join(stretch for _, stretch in cut) == text + "\n"  # nothing lost, nothing added
    event("one stretch" if len(cut) == 1 else "cut")


BYTE_LINES = st.sampled_from(
    [b"## A {#a}", b"##", b"##\tB", b" ## C", b"###", b"text", b"", b"```", b"~~~",
     b"[a]: https://x", b"caf\xc3\xa9 \xe2\x80\x9c", b"bad \xff byte", b"bell \x07", b"c1 \xc2\x85",
     b"cr\r", b"\xef\xbb\xbf# BOM", b"x ## y"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(BYTE_LINES, max_size=10), st.lists(BYTE_LINES, max_size=10), st.booleans())
def test_a_file_cut_as_bytes_is_the_text_cut_whole(before, lines, ends) -> None:
    """Cutting the bytes and decoding each stretch once gives the stretches of the decoded text
    cut whole, or the same problem on the same line; with a cache shared by earlier texts too."""
    from generator.files import decode
    from generator.source import _chunks, _stretches

    data = b"\n".join(lines) + (b"\n" if ends else b"")
    path, shared = FOLDER / "nl.md", {}
    with contextlib.suppress(StatementError):  # an earlier commit's text, read before
        _stretches(b"\n".join(before) + b"\n", path, shared)
    try:
        expected = _chunks(decode(data, path))
    except StatementError as error:
        with pytest.raises(StatementError) as caught:
            _stretches(data, path, shared)
        assert (caught.value.line, caught.value.message) == (error.line, error.message)
        event("refused")
        return
    assert _stretches(data, path, shared) == expected
    assert _stretches(data, path, shared) == expected  # its stretches now from the cache
    event("cut")
