"""`statement import`: an organisation's own statement, as Markdown, a saved web page or a Word
file, becomes statement/<lang>.md that builds, with what was changed said and what is left listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import copy_project, run_build
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config import read_settings
from generator.errors import attempt
from generator.importer import import_statement
from generator.source import read_translation

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
JEKYLL = """\
---
layout: page
title: Privacy Policy
permalink: /privacy/
---
<!-- reviewed by legal, 2023 -->

Effective 1 May 2023. Read about [your rights](#your-rights) and [cookies](/policies/cookies/).

# Who we are

Acme Ltd runs this site. See [retention per purpose](#per-purpose).

<a id="contact-us"></a>
Write to [us](mailto:privacy@acme.example).

# How long we keep data

We keep it short.

### Per purpose

| Purpose | Period |
| --- | --- |
| Orders | 7 years |

# Your rights

Ask us: see [contact](#contact-us) and [terms](../terms.html).
"""
PAGE = """\
<!DOCTYPE html>
<html><head><title>Privacy | Acme</title><script>track()</script></head>
<body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<main>
  <h1>Privacy notice</h1>
  <p>Last updated: <strong>1 May 2023</strong>.</p>
  <h2 id="who">1. Who we are</h2>
  <p>Acme Ltd, see <a href="#keep">how long</a> and <a href="/terms">terms</a>.</p>
  <img src="logo.png" alt="logo">
  <h2>2. How long we keep data</h2>
  <h3 id="keep">Orders and invoices</h3>
  <ul><li>Orders: 7 years</li><li>Mail: 1 year</li></ul>
  <table><tr><th>What</th><th>How long</th></tr><tr><td>CV</td><td>4 weeks</td></tr></table>
  <h2>3. Your rights</h2>
  <p id="ask">Ask <a href="mailto:privacy@acme.example">us</a>, <a href="#ask">here</a>.</p>
</main>
<footer>Acme</footer>
</body></html>
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with the small statement's settings (nl, then en) and no texts yet."""
    project = tmp_path / "project"
    (project / "statement").mkdir(parents=True)
    shutil.copy(HERE / "accepted" / "mini" / "statement" / "statement.toml", project / "statement")
    return project


def run_import(root: Path, file: Path, lang: str, *extra: str):
    args = ["import", str(file), "--language", lang, "--root", str(root), *extra]
    return CliRunner().invoke(main, args)


def imported(root: Path, file: Path, lang: str, *extra: str) -> tuple[str, str]:
    """Import that must succeed: the text written, and what the import said."""
    result = run_import(root, file, lang, *extra)
    assert result.exit_code == 0, result.output
    return written(root, lang), result.stdout


def listed(root: Path, file: Path, lang: str, *extra: str) -> str:
    """Import that leaves problems: what it printed on stderr."""
    result = run_import(root, file, lang, *extra)
    assert result.exit_code == 1
    return result.stderr


def written(root: Path, lang: str) -> str:
    return (root / "statement" / f"{lang}.md").read_text(encoding="utf-8")


def source(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_jekyll_statement_is_mended_and_says_what_changed(root: Path, tmp_path: Path) -> None:
    file = source(tmp_path, "privacy.md", JEKYLL)
    text, said = imported(root, file, "nl", "--base-url", "https://acme.example/privacy/")
    assert text == (
        "# Privacy Policy\n\n"
        "Effective 1 May 2023. Read about [your rights](#your-rights) and "
        "[cookies](https://acme.example/policies/cookies/).\n\n"
        "## Who we are {#who-we-are}\n\n"
        "Acme Ltd runs this site. See [retention per purpose](#how-long-we-keep-data-per-purpose).\n\n"
        "Write to [us](mailto:privacy@acme.example).\n\n"
        "## How long we keep data {#how-long-we-keep-data}\n\n"
        "We keep it short.\n\n"
        "### Per purpose\n\n"
        "| Purpose | Period |\n| --- | --- |\n| Orders | 7 years |\n\n"
        "## Your rights {#your-rights}\n\n"
        "Ask us: see [contact](#who-we-are) and [terms](https://acme.example/terms.html).\n"
    )
    for change in (
        "the title 'Privacy Policy' from the front matter",
        "dropped 1 HTML comments",
        "gave 3 section headings ids made of their words",
        "changed the level of 3 headings",
        "pointed 2 #links at the section or sub-heading that holds their anchor",
        "made 2 relative links absolute with the base URL",
    ):
        assert change in said


def test_relative_links_without_a_base_url_are_listed(root: Path, tmp_path: Path) -> None:
    stderr = listed(root, source(tmp_path, "privacy.md", JEKYLL), "nl")
    assert stderr == (
        "statement/nl.md:3: the link '/policies/cookies/' is relative\n"
        "    fix: import again with --base-url https://…/ (the address the page was published at), "
        "or write the full address\n"
        "statement/nl.md:23: the link '../terms.html' is relative\n"
        "    fix: import again with --base-url https://…/ (the address the page was published at), "
        "or write the full address\n"
        "The file was written: 2 problem(s) to fix.\n"
    )
    assert "[terms](../terms.html)" in written(root, "nl").split("\n")[22]


def test_a_saved_web_page_gives_its_main_content(root: Path, tmp_path: Path) -> None:
    file = source(tmp_path, "privacy.html", PAGE)
    text, said = imported(root, file, "nl", "--base-url", "https://acme.example/")
    assert text == (
        "# Privacy notice\n\n"
        "Last updated: **1 May 2023**.\n\n"
        "## 1. Who we are {#who}\n\n"
        "Acme Ltd, see [how long](#how-long-we-keep-data-orders-and-invoices) and "
        "[terms](https://acme.example/terms).\n\n"
        "## 2. How long we keep data {#how-long-we-keep-data}\n\n"
        "### Orders and invoices\n\n"
        "- Orders: 7 years\n- Mail: 1 year\n\n"
        "| What | How long |\n| --- | --- |\n| CV | 4 weeks |\n\n"
        "## 3. Your rights {#your-rights}\n\n"
        "Ask [us](mailto:privacy@acme.example), [here](#your-rights).\n"
    )
    assert "took the page's main content, <main>" in said
    assert "left out 1 images, scripts, forms, menus, headers and footers" in said  # in <main>


def test_a_page_without_main_gives_its_body_without_the_sites_parts(
    root: Path, tmp_path: Path
) -> None:
    page = (
        "<html><body><header><a href='/'>Acme</a></header><h1>Privacy</h1>"
        "<h2>Who</h2><p>Acme.</p><aside>Buy now</aside><footer>(c) Acme</footer></body></html>"
    )
    text, said = imported(root, source(tmp_path, "p.htm", page), "nl")
    assert text == "# Privacy\n\n## Who {#who}\n\nAcme.\n"
    assert "took the page's main content, <body>" in said


def test_a_word_file_through_mammoth(root: Path, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Privacyverklaring", level=0)  # Word's Title style
    document.add_paragraph("Welkom.")
    document.add_heading("Wie wij zijn", level=1)
    paragraph = document.add_paragraph("Wij zijn Acme. ")
    paragraph.add_run("Let op.").bold = True
    document.add_heading("Bewaartermijn", level=1)
    document.add_heading("Per doel", level=2)
    document.add_paragraph("Bestellingen: zeven jaar.", style="List Bullet")
    document.save(tmp_path / "privacy.docx")
    text, said = imported(root, tmp_path / "privacy.docx", "nl")
    assert text == (
        "# Privacyverklaring\n\nWelkom.\n\n"
        "## Wie wij zijn {#wie-wij-zijn}\n\nWij zijn Acme. **Let op.**\n\n"
        "## Bewaartermijn {#bewaartermijn}\n\n### Per doel\n\n- Bestellingen: zeven jaar.\n"
    )
    assert "converted the Word file to Markdown" in said


def test_a_translation_takes_the_source_ids_and_classes_by_position(
    root: Path, tmp_path: Path
) -> None:
    dutch = "# Privacy\n\n## Wie wij zijn {#controller}\n\nA.\n\n## Bewaren {#retention .retention}\n\nB.\n"
    (root / "statement" / "nl.md").write_text(dutch, encoding="utf-8")
    english = (
        "# Privacy\n\n## Who we are\n\nA, see [keeping](#keeping-data).\n\n## Keeping data\n\nB.\n"
    )
    text, said = imported(root, source(tmp_path, "en.md", english), "en")
    assert text == (
        "# Privacy\n\n## Who we are {#controller}\n\nA, see [keeping](#retention).\n\n"
        "## Keeping data {#retention .retention}\n\nB.\n"  # the disclosures it gives, too
    )
    assert "gave 2 sections the ids of the source language's, in the same order" in said


def test_a_translation_with_a_section_more_is_listed(root: Path, tmp_path: Path) -> None:
    (root / "statement" / "nl.md").write_text("# P\n\n## A {#a}\n\nA.\n", encoding="utf-8")
    english = "# P\n\n## A\n\nA.\n\n## B\n\nB.\n"
    stderr = listed(root, source(tmp_path, "en.md", english), "en")
    assert "statement/en.md:7: the text has 2 sections, the source language's 1" in stderr
    assert "## A {#a}" in written(root, "en")


def test_it_will_not_write_over_a_text_unless_forced(root: Path, tmp_path: Path) -> None:
    (root / "statement" / "nl.md").write_text("# Mine\n", encoding="utf-8")
    file = source(tmp_path, "p.md", "# P\n\n## A\n\nA.\n")
    result = run_import(root, file, "nl")
    assert result.exit_code == 1 and written(root, "nl") == "# Mine\n"
    assert "statement/nl.md: this file exists already\n    fix: " in result.stderr
    assert "--force" in result.stderr
    assert run_import(root, file, "nl", "--force").exit_code == 0
    assert written(root, "nl") == "# P\n\n## A {#a}\n\nA.\n"


def test_what_the_reader_refuses_is_listed_with_its_line(root: Path, tmp_path: Path) -> None:
    file = source(tmp_path, "p.md", "# P\n\n## A\n\nMail {{ site.email }}.\n")
    stderr = listed(root, file, "nl")
    assert "statement/nl.md:5: {{ site.email }} is not a fact\n" in stderr


def test_a_file_of_another_kind_is_refused(root: Path, tmp_path: Path) -> None:
    result = run_import(root, source(tmp_path, "p.pdf", "%PDF"), "nl")
    assert result.exit_code == 1 and "cannot import a .pdf" in result.stderr
    assert not (root / "statement" / "nl.md").exists()


def test_both_languages_imported_build(tmp_path: Path) -> None:
    """No hand edits: the imported texts of a project build into a site."""
    project = copy_project(tmp_path / "project")
    for text in ("nl.md", "en.md", "editorial-commits"):
        (project / "statement" / text).unlink(missing_ok=True)
    dutch = "---\ntitle: Privacy\n---\n\nWelkom.\n\n# Wie\n\n{{publisher.name}}.\n\n# Bewaren\n\nKort.\n"
    english = "# Privacy\n\nWelcome.\n\n## Who\n\n{{publisher.name}}.\n\n## Keeping\n\nShort.\n"
    assert run_import(project, source(tmp_path, "nl.md", dutch), "nl").exit_code == 0
    assert run_import(project, source(tmp_path, "en.md", english), "en").exit_code == 0
    result = run_build(project, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    page = (project / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="bewaren">Keeping</h2>' in page and "<p>Welcome.</p>" in page


def test_html_blocks_in_markdown_become_markdown(root: Path, tmp_path: Path) -> None:
    markdown = "# P\n\n## A\n\n<table><tr><th>Doel</th></tr><tr><td>Vragen</td></tr></table>\n"
    text, said = imported(root, source(tmp_path, "p.md", markdown), "nl")
    assert text == "# P\n\n## A {#a}\n\n| Doel |\n| --- |\n| Vragen |\n"
    assert "made 1 blocks of HTML Markdown" in said


def test_a_link_to_an_anchor_on_no_heading_is_listed(root: Path, tmp_path: Path) -> None:
    markdown = "# P\n\n## A\n\nSee [cookies](#cookies).\n\n### Sub\n\nS.\n"
    stderr = listed(root, source(tmp_path, "p.md", markdown), "nl")
    assert stderr.startswith(
        "statement/nl.md:5: the link #cookies goes to nothing in the text\n"
        "    fix: point it at one of: a, a-sub, or remove the link\n"
    )


def test_a_language_missing_from_the_settings_is_listed(root: Path, tmp_path: Path) -> None:
    stderr = listed(root, source(tmp_path, "p.md", "# P\n\n## A\n\nA.\n"), "de")
    assert "statement/statement.toml: the language 'de' is not in statement.toml" in stderr
    assert written(root, "de") == "# P\n\n## A {#a}\n\nA.\n"


def test_a_language_code_that_is_no_code_is_refused(root: Path, tmp_path: Path) -> None:
    result = run_import(root, source(tmp_path, "p.md", "# P\n"), "../../x")
    assert result.exit_code == 1 and "'../../x' is not a language code" in result.stderr
    assert sorted(p.name for p in root.rglob("*")) == ["statement", "statement.toml"]


def test_addresses_without_their_scheme_are_completed(root: Path, tmp_path: Path) -> None:
    markdown = (
        "# P\n\n## A\n\nMail [us](privacy@acme.example) or see [the site](www.acme.example).\n"
    )
    text, said = imported(root, source(tmp_path, "p.md", markdown), "nl")
    assert "[us](mailto:privacy@acme.example)" in text
    assert "[the site](https://www.acme.example)" in text
    assert "gave 2 links their mailto: or https:" in said


def test_without_settings_the_text_is_written_and_that_is_said(tmp_path: Path) -> None:
    stderr = listed(tmp_path, source(tmp_path, "p.md", "# P\n\n## A\n\nA.\n"), "en")
    assert stderr.startswith(
        "statement/statement.toml: there is no statement.toml: no build reads the text yet\n"
    )
    assert written(tmp_path, "en") == "# P\n\n## A {#a}\n\nA.\n"


def test_another_systems_template_tags_are_listed(root: Path, tmp_path: Path) -> None:
    markdown = "# P\n\n## A\n\nWrite to us:\n{% include contact.html %}\n"
    stderr = listed(root, source(tmp_path, "p.md", markdown), "nl")
    assert stderr.startswith(
        "statement/nl.md:6: {% include contact.html %} is a template tag of another system\n"
    )


def test_line_breaks_and_footnotes_of_markdown(root: Path, tmp_path: Path) -> None:
    markdown = "# P\n\n## A\n\nLine one<br>\nline two.\n\nA note [^1].\n\n[^1]: Said once.\n"
    text, said = imported(
        root, source(tmp_path, "p.md", markdown), "nl", "--base-url", "https://x.example/"
    )
    assert "Line one\\\nline two." in text and "[^1]: Said once." in text
    assert "wrote 1 <br> as Markdown line breaks" in said and "relative" not in said


def test_an_anchor_inside_a_heading_points_at_that_heading(root: Path, tmp_path: Path) -> None:
    page = (
        '<main><h1>P</h1><p>See <a href="#_Toc2">who</a>.</p>'
        '<h2><a id="_Toc2"></a>Who we are</h2><p>Acme.</p></main>'
    )  # as Word's bookmarks come out of mammoth
    text, _ = imported(root, source(tmp_path, "p.html", page), "nl")
    assert text == "# P\n\nSee [who](#who-we-are).\n\n## Who we are {#who-we-are}\n\nAcme.\n"


def test_a_link_to_a_place_on_the_same_page_by_its_address(root: Path, tmp_path: Path) -> None:
    markdown = "# P\n\n## Who we are\n\nSee [rights](https://acme.example/privacy/#your-rights).\n\n## Your rights\n\nR.\n"
    text, _ = imported(
        root,
        source(tmp_path, "p.md", markdown),
        "nl",
        "--base-url",
        "https://acme.example/privacy/",
    )
    assert "See [rights](#your-rights)." in text


def test_a_text_in_our_own_format_comes_out_as_it_went_in(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "statement").mkdir(parents=True)
    shutil.copy(REPO / "statement" / "statement.toml", project / "statement")
    for lang in ("nl", "en"):  # the source language first, then its translation
        text, said = imported(project, REPO / "statement" / f"{lang}.md", lang)
        assert text == (REPO / "statement" / f"{lang}.md").read_text(encoding="utf-8")
    assert "gave 10 sections the ids of the source language's" in said


LINE = st.one_of(
    st.sampled_from(["", "Tekst.", "Zie [dit](#wie-wij-zijn).", "[rel](/a/b)", "<!-- x -->",
                     '<a id="hier"></a>', "[mail](a@b.example)", "| a | b |", "| --- | --- |",
                     "{{company}}", "Regel<br>", "---", "===", "> quote", "- item", "    code"]),
    st.builds(lambda level, words: "#" * level + " " + words, st.integers(1, 6),
              st.sampled_from(["Wie wij zijn", "Bewaren", "2. Rechten", "Ελληνικά", "x {#id}"])),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(LINE, max_size=25), front_matter=st.booleans())
def test_any_markdown_is_written_and_what_the_build_refuses_is_listed(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], front_matter: bool
) -> None:
    root = tmp_path_factory.mktemp("any")
    (root / "statement").mkdir()
    shutil.copy(HERE / "accepted" / "mini" / "statement" / "statement.toml", root / "statement")
    text = ("---\ntitle: Privacy\n---\n" if front_matter else "") + "\n".join(lines)
    file = source(root, "in.md", text)
    done = import_statement(file, "nl", root, "https://x.example/", force=True)
    written = done.path.read_text(encoding="utf-8")
    assert written.startswith("# ") and written.endswith("\n")
    _, errors = attempt(
        lambda: read_translation(
            done.path, "nl", read_settings(root / "statement" / "statement.toml")
        )
    )
    listed = {(p.line, p.message) for p in done.problems}
    lines = {line for line, _ in listed}
    for error in errors:  # nothing the build refuses goes unsaid; a link's, in the import's words
        said = (error.line, error.message) in listed
        assert said or (error.message.startswith("the link ") and error.line in lines), error
    again = import_statement(source(root, "again.md", written), "nl", root, force=True)
    assert again.path.read_text(encoding="utf-8") == written  # what import writes, it keeps
