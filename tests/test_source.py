"""The reader: statement/<lang>.md -> sections with ids, headings and safe HTML."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import SECTION_IDS

from generator.config import read_settings
from generator.errors import StatementError, flatten
from generator.source import read_statement, read_translation

REPO = Path(__file__).resolve().parents[1]
DUTCH_HEADINGS = [
    "Wie verwerkt uw gegevens?",
    "Welke persoonsgegevens verwerken wij?",
    "Van wie verwerken wij persoonsgegevens?",
    "Voor welke doeleinden verzamelen wij persoonsgegevens?",
    "Bewaartermijn",
    "Met wie delen wij uw gegevens?",
    "Beveiliging",
    "Rechten van betrokkenen",
    "Wijziging privacy statement",
    "Contact",
]
DASH = "\N{EN DASH}"
MAILTO = '<a href="mailto:info@ems.claims">info@ems.claims</a>'


@pytest.fixture(scope="module")
def settings():
    return read_settings(REPO / "statement" / "statement.toml")


@pytest.fixture(scope="module")
def statement(settings):
    return read_statement(REPO / "statement", settings)


@pytest.fixture
def read(tmp_path, settings):
    """read(markdown, lang="nl") -> the Translation of a small text written to a file."""

    def read(markdown: str, lang: str = "nl", facts=None):
        path = tmp_path / f"{lang}.md"
        path.write_text(markdown, encoding="utf-8")
        used = settings if facts is None else dataclasses.replace(settings, facts=facts)
        return read_translation(path, lang, used)

    return read


@pytest.fixture
def problems(read):
    """problems(markdown) -> the StatementErrors reading it raises (it must raise), each
    (line, message) once, as the command line shows them."""

    def problems(markdown: str, lang: str = "nl") -> list[StatementError]:
        with pytest.raises((StatementError, ExceptionGroup)) as caught:
            read(markdown, lang)
        errors = {(error.line or 0, error.message): error for error in flatten(caught.value)}
        assert errors
        return [errors[key] for key in sorted(errors)]

    return problems


def one_section(body: str, heading: str = "## Bewaartermijn {#retention}") -> str:
    return f"# Privacy policy\n\n{heading}\n\n{body}\n"


def test_dutch_section_ids_in_order(statement):
    nl = statement.translation("nl")
    assert [section.id for section in nl.sections] == SECTION_IDS


def test_every_language_has_the_same_ids(statement):
    assert [t.lang for t in statement.translations] == ["nl", "en"]
    for translation in statement.translations:
        assert [section.id for section in translation.sections] == SECTION_IDS


def test_title_and_headings(statement):
    nl = statement.translation("nl")
    assert nl.title == "Privacy policy"
    assert [section.heading for section in nl.sections] == DUTCH_HEADINGS
    en = statement.translation("en")
    assert en.section("retention").heading == "Retention period"
    assert en.section("controller").heading == "Who processes your data?"


def test_heading_lines_point_into_the_markdown(statement):
    nl = statement.translation("nl")
    lines = (REPO / "statement" / "nl.md").read_text(encoding="utf-8").split("\n")
    for section in nl.sections:
        assert lines[section.line - 1].startswith("## ")
        tags = "".join(f" .{name}" for name in section.classes)
        assert lines[section.line - 1].endswith("{#" + section.id + tags + "}")


def test_facts_are_substituted(statement):
    for translation in statement.translations:
        controller = translation.section("controller").html
        assert f"EMS Nederland B.V. {DASH} Transistorstraat 91 {DASH} Almere" in controller
        assert "56150075" in controller
        assert '<a href="https://www.ems-csp.com">www.ems-csp.com</a>' in (
            translation.section("data").html
        )
        for section in translation.sections:
            assert "{{" not in section.html
            assert "}}" not in section.html


def test_email_fact_becomes_a_mail_link(statement):
    nl = statement.translation("nl")
    assert MAILTO in nl.section("security").html
    assert f"via: {MAILTO}.</p>" in nl.section("contact").html


def test_effective_date_in_each_language(statement):
    nl = statement.translation("nl").section("changes").html
    en = statement.translation("en").section("changes").html
    assert "De laatste versie dateert van 23 februari 2021.</p>" in nl
    assert "The latest version dates from 23 February 2021.</p>" in en


def test_fact_values_are_escaped(read, settings):
    facts = (*settings.facts[1:], ("company", "A & B <script>"))
    translation = read(one_section("Wij zijn {{ company }}."), facts=facts)
    html = translation.sections[0].html
    assert html == "<p>Wij zijn A &amp; B &lt;script&gt;.</p>\n"


def test_heading_with_id_and_class_is_accepted(read):
    translation = read("# Privacy policy\n\n## H {#x .cls}\n\nText.\n")
    [section] = translation.sections
    assert (section.id, section.heading, section.line) == ("x", "H", 3)
    assert section.html == "<p>Text.</p>\n"


@pytest.mark.parametrize(
    "braces", ["{#x onclick=foo}", "{#x style=color:red}", "{#x .cls data-x=y}", "{#x #y"]
)
def test_heading_attributes_other_than_id_and_class_are_refused(problems, braces):
    errors = problems(f"# Privacy policy\n\n## H {braces}\n\nText.\n")
    assert all(error.line == 3 for error in errors)
    if braces.endswith("}"):
        # one mistake, one message: the id still counts, so no "has no id" on top
        assert [error.message for error in errors] == [
            f"heading attributes {braces} are not allowed"
        ]
    else:
        assert any("has no id" in error.message for error in errors)


def test_a_heading_without_id_is_refused(problems):
    [error] = problems(one_section("Tekst.", heading="## Bewaartermijn"))
    assert (error.line, error.message) == (3, "the section 'Bewaartermijn' has no id")
    assert "{#retention}" in error.hint


@pytest.mark.parametrize("bad_id", ["Retention", "1st", "page-contents", "re_tention"])
def test_unusable_ids_are_refused(problems, bad_id):
    [error] = problems(one_section("Tekst.", heading=f"## Bewaartermijn {{#{bad_id}}}"))
    assert error.message == f"the section id '{bad_id}' is not usable"
    assert error.line == 3


def test_an_id_used_twice(problems):
    text = "# Privacy policy\n\n## A {#a}\n\nOne.\n\n## B {#a}\n\nTwo.\n"
    [error] = problems(text)
    assert (error.line, error.message) == (7, "the id 'a' is used twice (first on line 3)")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<div>blok</div>", "raw HTML is not allowed"),
        ("Een <b>vet</b> woord.", "raw HTML is not allowed"),
        ("Een <!-- opmerking --> hier.", "raw HTML is not allowed"),
        ("Een [link](javascript:alert(1)).", "the link 'javascript:alert(1)' is not allowed"),
        ("Een [link](JavaScript:alert(1)).", "the link 'JavaScript:alert(1)' is not allowed"),
        ("Een [link](data:text/html,hoi).", "the link 'data:text/html,hoi' is not allowed"),
        ("Een <javascript:alert(1)> autolink.", "the link 'javascript:alert(1)' is not allowed"),
        ("Een [link](//evil.example/).", "the link '//evil.example/' is not allowed"),
        ("Een ![plaatje](https://example.com/x.png).", "images are not allowed"),
        ("Een [link](#nergens).", "the link #nergens goes to no section"),
    ],
)
def test_unsafe_markdown_is_refused(problems, body, message):
    [error] = problems(one_section(f"Eerste regel.\n\n{body}"))
    assert (error.line, error.message) == (7, message)
    assert error.hint


def test_the_line_of_a_problem_inside_a_paragraph(problems):
    body = "Eerste regel,\ntweede <b>regel</b>,\nderde [x](javascript:1) {{nergens}}."
    errors = problems(one_section(body))
    assert [(error.line, error.message) for error in errors] == [
        (6, "raw HTML is not allowed"),
        (7, "the link 'javascript:1' is not allowed"),
        (7, "unknown fact {{nergens}}"),
    ]


def test_unknown_fact(problems):
    [error] = problems(one_section("Wij zijn {{bedrijf}}."))
    assert (error.line, error.message) == (5, "unknown fact {{bedrijf}}")
    assert "publisher." in error.hint


def test_safe_links_are_kept(read):
    body = (
        "Zie [de site](https://example.com/a?b=1&c=2), [mail](mailto:a@example.com), "
        "[bel](tel:+31201234567), [http](http://example.com) en [hier](#retention). "
        "Ook \\<b> mag, als tekst."
    )
    html = read(one_section(body)).sections[0].html
    assert '<a href="https://example.com/a?b=1&amp;c=2">de site</a>' in html
    assert '<a href="mailto:a@example.com">mail</a>' in html
    assert '<a href="tel:+31201234567">bel</a>' in html
    assert '<a href="#retention">hier</a>' in html
    assert "&lt;b&gt; mag" in html


def test_the_text_must_start_with_a_title(problems):
    errors = problems("## Bewaartermijn {#retention}\n\nTekst.\n")
    assert [(error.line, error.message) for error in errors] == [
        (1, "heading level 2 follows level 0"),
        (1, "the text does not start with a title"),
    ]


def test_text_between_title_and_first_section_is_the_introduction(read):
    translation = read(
        "# Privacy policy\n\nInleiding, zie [B](#b).\n\nMeer.\n\n## B {#b}\n\nTekst.\n"
    )
    intro = translation.intro
    assert (intro.id, intro.heading, intro.line) == ("page-intro", "Privacy policy", 3)
    assert intro.html == '<p>Inleiding, zie <a href="#b">B</a>.</p>\n<p>Meer.</p>\n'
    assert intro.blocks == ("Inleiding, zie B.", "Meer.")
    assert [part.id for part in translation.parts] == ["page-intro", "b"]
    assert [section.id for section in translation.sections] == ["b"]


def test_a_text_without_introduction_has_none(read):
    translation = read(one_section("Tekst."))
    assert translation.intro is None and translation.parts == translation.sections


def test_a_problem_in_the_introduction_is_reported_on_its_line(problems):
    [error] = problems("# Privacy policy\n\nInleiding\nmet {{nergens}}.\n\n## B {#b}\n\nTekst.\n")
    assert (error.line, error.message) == (4, "unknown fact {{nergens}}")


def test_sub_headings_get_anchors_of_their_section_and_words(read):
    body = (
        "Tekst.\n\n### Hoe lang?\n\nA.\n\n#### Über {{publisher.name}}\n\nB.\n\n### Hoe lang?\n\nC."
    )
    html = read(one_section(body)).sections[0].html
    assert '<h3 id="retention-hoe-lang">Hoe lang?</h3>' in html
    assert '<h4 id="retention-uber-ems-nederland-b-v">Über EMS Nederland B.V.</h4>' in html
    assert '<h3 id="retention-hoe-lang-2">Hoe lang?</h3>' in html  # unique on the page


def test_a_sub_heading_keeps_its_anchor_when_other_sections_change(read):
    sub = "## B {#b}\n\nTekst.\n\n### Termijn\n\nX.\n"
    alone = read(f"# T\n\n{sub}").sections[0].html
    after = read(f"# T\n\n## A {{#a}}\n\nA.\n\n### Termijn\n\nY.\n\n{sub}").sections[1].html
    assert alone == after and 'id="b-termijn"' in after


def test_links_to_sub_headings_are_valid(read, problems):
    text = "# T\n\nZie [x](#b-termijn).\n\n## B {#b}\n\n[y](#b-termijn)\n\n### Termijn\n\nX.\n"
    assert read(text).intro.html == '<p>Zie <a href="#b-termijn">x</a>.</p>\n'
    [error] = problems(text.replace("(#b-termijn)", "(#b-termijnen)", 1))
    assert (error.line, error.message) == (3, "the link #b-termijnen goes to no section")


def test_a_sub_heading_anchor_may_not_be_a_section_id(problems):
    text = "# T\n\n## A {#a}\n\nA.\n\n### B\n\nX.\n\n## AB {#a-b}\n\nY.\n"
    [error] = problems(text)
    assert (error.line, error.message) == (7, "the sub-heading's anchor #a-b is also a section id")


def test_a_gfm_table_is_rendered(read):
    body = "| Doel | Termijn |\n| :--- | ---: |\n| Vragen | een `jaar` |"
    section = read(one_section(body)).sections[0]
    assert "<table>" in section.html and '<th style="text-align:left">Doel</th>' in section.html
    assert '<td style="text-align:right">een <code>jaar</code></td>' in section.html
    assert section.blocks == ("Doel", "Termijn", "Vragen", "een jaar")


def test_a_fact_in_a_link_target_is_its_value(read):
    body = "Mail [{{publisher.email}}](mailto:{{publisher.email}}) of [de site](https://{{publisher.website}}/privacy)."
    html = read(one_section(body)).sections[0].html
    assert html == (
        '<p>Mail <a href="mailto:info@ems.claims">info@ems.claims</a> of '
        '<a href="https://www.ems-csp.com/privacy">de site</a>.</p>\n'
    )  # one link, not a link in a link, and no %7B%7B in the address


def test_a_fact_in_a_link_target_is_checked_like_any_link(problems):
    body = "Zie [x](mailto:{{nergens}}) en [y]({{publisher.website}})."
    assert [(error.line, error.message) for error in problems(one_section(body))] == [
        (5, "the link 'www.ems-csp.com' is not allowed"),
        (5, "unknown fact {{nergens}}"),
    ]


def test_another_systems_tag_is_refused_not_published(problems):
    [error] = problems(one_section("Tekst.\n\nBel ons: {{ site.data.contact }}."))
    assert (error.line, error.message) == (7, "{{ site.data.contact }} is not a fact")
    assert "publisher." in error.hint and "\\{" in error.hint


def test_braces_written_as_text_stay_text(read):
    html = read(one_section("Zo: \\{\\{ site.x }} en `{{ y.z }}`.")).sections[0].html
    assert html == "<p>Zo: {{ site.x }} en <code>{{ y.z }}</code>.</p>\n"


def test_a_section_without_text(problems):
    [error] = problems("# Privacy policy\n\n## A {#a}\n\n## B {#b}\n\nTekst.\n")
    assert (error.line, error.message) == (3, "the section 'A' has no text")


def test_every_problem_in_a_file_is_reported(problems):
    text = (
        "# Privacy policy\n\n## A\n\nEen <b>vet</b> woord.\n\n## B {#b}\n\n"
        "Zie [x](#c) en {{geen}}.\n\n## C {#b}\n\n![p](https://example.com/p.png)\n"
    )
    assert [(error.line, error.message) for error in problems(text)] == [
        (3, "the section 'A' has no id"),
        (5, "raw HTML is not allowed"),
        (9, "the link #c goes to no section"),
        (9, "unknown fact {{geen}}"),
        (11, "the id 'b' is used twice (first on line 7)"),
        (13, "images are not allowed"),
    ]


def _statement_problems(folder: Path, settings) -> list[StatementError]:
    with pytest.raises(ExceptionGroup) as caught:
        read_statement(folder, settings)
    return flatten(caught.value)


def _swap_sections(text: str, first: str, second: str) -> str:
    a, b = text.index(first), text.index(second)
    end = text.index("\n## ", b)
    return text[:a] + text[b:end] + "\n" + text[a:b].rstrip("\n") + text[end:]


def test_a_translation_in_another_order_is_refused(tmp_path, settings, edit):
    folder = tmp_path / "statement"
    folder.mkdir()
    (folder / "nl.md").write_bytes((REPO / "statement" / "nl.md").read_bytes())
    en = (REPO / "statement" / "en.md").read_text(encoding="utf-8")
    swapped = _swap_sections(en, "## Retention period", "## With whom")
    (folder / "en.md").write_text(swapped, encoding="utf-8")
    [error] = _statement_problems(folder, settings)
    assert error.path == folder / "en.md"
    assert error.line == 52
    assert error.message == "the section 'recipients' is out of order: nl.md has 'retention' here"
    assert (
        error.hint == "put the sections in the order of nl.md: after 'purposes' comes 'retention'"
    )


def test_a_translation_missing_its_last_section_is_refused(tmp_path, settings):
    folder = tmp_path / "statement"
    folder.mkdir()
    (folder / "nl.md").write_bytes((REPO / "statement" / "nl.md").read_bytes())
    en = (REPO / "statement" / "en.md").read_text(encoding="utf-8")
    (folder / "en.md").write_text(en[: en.index("## Contact")], encoding="utf-8")
    [error] = _statement_problems(folder, settings)
    assert error.path == folder / "en.md"
    assert error.message == "the section 'contact' is missing (in nl.md it comes after 'changes')"
    assert error.hint.startswith("add it at the end of the file, translated from nl.md line ")


def test_a_bom_and_crlf_give_the_same_sections(tmp_path, settings, statement):
    folder = tmp_path / "statement"
    folder.mkdir()
    nl = (REPO / "statement" / "nl.md").read_text(encoding="utf-8")
    (folder / "nl.md").write_bytes(b"\xef\xbb\xbf" + nl.replace("\n", "\r\n").encode("utf-8"))
    (folder / "en.md").write_bytes((REPO / "statement" / "en.md").read_bytes())
    read = read_statement(folder, settings).translation("nl")
    expected = statement.translation("nl")
    assert read.title == expected.title
    assert read.sections == expected.sections


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_latin1_byte_is_reported_on_its_line(tmp_path, settings, line_end):
    lines = ["# Privacy policy", "", "## A {#a}", "", f"Één {DASH} twee,", "drie café."]
    data = b"\xef\xbb\xbf" + line_end.join(lines[:5]).encode("utf-8")
    data += line_end.encode() + lines[5].encode("latin-1") + b"\n"
    path = tmp_path / "nl.md"
    path.write_bytes(data)
    with pytest.raises(StatementError) as caught:
        read_translation(path, "nl", settings)
    assert (caught.value.line, caught.value.message) == (6, "this file is not UTF-8 text")


def test_a_section_read_before_is_reused_wherever_it_moves() -> None:
    """Reading stretch by stretch gives the same translation as a fresh read, lines included."""
    import dataclasses

    from generator.config import read_settings
    from generator.source import parse_translation

    statement = Path(__file__).resolve().parents[1] / "statement"
    settings = read_settings(statement / "statement.toml")
    text = (statement / "nl.md").read_text(encoding="utf-8")
    cache: dict = {}
    parse_translation(text, statement / "nl.md", "nl", settings, cache)
    moved = text.replace("\n## Bewaartermijn", "\nEen nieuwe alinea.\n\n## Bewaartermijn", 1)
    moved = moved.replace("# Privacy policy\n", "# Privacy policy\n\n\n", 1)
    reused = parse_translation(moved, statement / "nl.md", "nl", settings, cache)
    fresh = parse_translation(moved, statement / "nl.md", "nl", settings)
    assert reused == fresh
    assert [dataclasses.astuple(s) for s in reused.sections] == [
        dataclasses.astuple(s) for s in fresh.sections
    ]
    assert (
        reused.section("retention").line == text[: text.index("## Bewaartermijn")].count("\n") + 5
    )


def test_a_mistyped_id_is_said_together_with_the_texts_other_mistakes(tmp_path, settings):
    folder = tmp_path / "statement"
    folder.mkdir()
    nl = (REPO / "statement" / "nl.md").read_text(encoding="utf-8")
    en = (REPO / "statement" / "en.md").read_text(encoding="utf-8")
    (folder / "nl.md").write_text(
        nl.replace("KVK {{publisher.registration.number}}", "KVK {{kvk_nr}}"), encoding="utf-8"
    )
    en = en.replace("{#retention ", "{#retentoin ").replace("## Security", "## Safety <b>")
    (folder / "en.md").write_text(
        en.replace("## Contact {#contact", "## Contact {#contacts"), "utf-8"
    )
    errors = sorted(_statement_problems(folder, settings), key=lambda e: (e.path, e.line))
    assert [(error.path.name, error.message) for error in errors] == [
        ("en.md", "the id 'retentoin' differs from 'retention' in nl.md (line 52)"),
        ("en.md", "raw HTML is not allowed"),
        ("en.md", "the id 'contacts' differs from 'contact' in nl.md (line 94)"),
        ("nl.md", "unknown fact {{kvk_nr}}"),
    ]
    assert (
        errors[0].hint == "write {#retention} as nl.md does"
    )  # not in git: who changed is unknown


def test_a_fact_with_spaces_in_a_link_address_is_refused(problems):
    [error] = problems(one_section("Mail [ons](mailto:{{ publisher.email }})."))
    assert (error.line, error.message) == (
        5,
        "{{ publisher.email }} in a link's address is written with spaces",
    )
    assert "{{publisher.email}}" in error.hint
