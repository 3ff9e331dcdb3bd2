"""`statement init`: a new project that builds at once, with every FILL IN listed by the check."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import SHARED_CACHE, run_build

from generator.check import disclosures
from generator.cli import main
from generator.config import read_settings
from generator.init import CI_FILES, PARTS
from generator.source import read_statement

FIRST = "2026-01-01"


def init(folder: Path, *args: str):
    result = CliRunner().invoke(main, ["init", str(folder), "--date", FIRST, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_init_writes_a_statement_that_builds_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    done = init(folder, "--language", "nl", "--language", "en", "--publisher", 'Acme "B" Ltd')
    assert done.exit_code == 0, done.stderr
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == sorted(
        [".gitignore", *CI_FILES, "statement/statement.toml", "statement/nl.md", "statement/en.md"]
    )
    result = run_build(folder, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    assert "Placeholders: " in result.stdout  # published as a preview, and said
    page = (folder / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<p class="site-name"><a href="./">Acme &#34;B&#34; Ltd</a></p>' in page
    # no registration number: the footer says nothing of one
    footer = page[page.index('<footer class="site-footer">') :]
    assert footer.split("\n")[1] == (
        "  <p>Acme &#34;B&#34; Ltd · FILL IN: street and number, FILL IN: postcode and town · "
        '<a href="mailto:FILL-IN@example.com">FILL-IN@example.com</a></p>'
    )
    settings = read_settings(folder / "statement" / "statement.toml")
    assert settings.source_language == "nl"
    assert settings.effective == datetime.date(2026, 1, 1)
    assert [language.locale for language in settings.languages] == ["nl_NL", "en_US"]


def test_every_gdpr_disclosure_has_a_section_with_its_id_and_class(tmp_path: Path) -> None:
    init(tmp_path, "--language", "en", "--language", "nl")
    statement = read_statement(
        tmp_path / "statement", read_settings(tmp_path / "statement" / "statement.toml")
    )
    for translation in statement.translations:
        assert [s.id for s in translation.sections] == [part.id for part in PARTS]
        covered = {c for section in translation.sections for c in section.classes}
        assert covered == {d.id for d in disclosures()}


def test_the_check_lists_every_placeholder_and_nothing_else(tmp_path: Path) -> None:
    init(tmp_path, "--language", "en", "--language", "nl")
    result = CliRunner().invoke(
        main, ["check", "--root", str(tmp_path), "--cache", str(SHARED_CACHE), "--format", "json"]
    )
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    errors = {f["kind"] for f in found if f["severity"] == "error"}
    assert errors == {"placeholder"}
    # the words check's warnings (a disclosure declared, its words not yet written) may join them
    assert {f["kind"] for f in found} <= {"placeholder", "declared-not-stated"}
    where = {(f["file"], f["id"]) for f in found}
    assert ("statement/en.md", "retention") in where
    assert ("statement/nl.md", "purposes") in where
    assert ("statement/statement.toml", "publisher.name") in where
    assert ("statement/statement.toml", "publisher.email") in where
    assert ("statement/en.md", "changes") not in where  # no FILL IN in it
    toml = tmp_path / "statement" / "statement.toml"
    text = toml.read_text(encoding="utf-8")
    line = text.split("\n").index('name = "FILL IN: the organisation\'s name"') + 1
    assert next(f for f in found if f["id"] == "publisher.name")["line"] == line


def test_a_release_build_refuses_every_placeholder_with_its_line(tmp_path: Path) -> None:
    init(tmp_path, "--language", "en", "--language", "nl")
    result = run_build(tmp_path, extra=["--release"])
    assert result.exit_code == 1
    assert not (tmp_path / "site").exists()
    english = (tmp_path / "statement" / "en.md").read_text(encoding="utf-8").split("\n")
    line = next(
        n for n, text in enumerate(english, 1) if text.startswith("## ") and "#retention" in text
    )
    assert (
        f"statement/en.md:{line}: the section #retention still says FILL IN: a release would "
        "publish it\n    fix: write your own words in place of the FILL IN"
    ) in result.stderr
    toml = (tmp_path / "statement" / "statement.toml").read_text(encoding="utf-8").split("\n")
    line = toml.index('name = "FILL IN: the organisation\'s name"') + 1
    assert (
        f"statement/statement.toml:{line}: 'publisher.name' in statement.toml still"
        in result.stderr
    )
    assert "still says FILL IN" not in result.stdout


def test_a_language_init_has_no_text_for_is_english_and_says_so(tmp_path: Path) -> None:
    done = init(tmp_path, "--language", "de", "--language", "en")
    assert done.exit_code == 0, done.stderr
    assert "No text of its own for 'de'" in done.stdout
    german = (tmp_path / "statement" / "de.md").read_text(encoding="utf-8")
    assert german.startswith("# FILL IN: Privacy statement\n")
    assert "## FILL IN: Your rights {#rights" in german
    catalog = tmp_path / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    assert catalog.read_text(encoding="utf-8").startswith("# The page's words in 'de'")
    result = run_build(tmp_path, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    assert 'lang="de"' in (tmp_path / "site" / "de" / "index.html").read_text(encoding="utf-8")


def test_init_writes_over_nothing(tmp_path: Path) -> None:
    (tmp_path / "statement").mkdir()
    (tmp_path / "statement" / "nl.md").write_text("# Mijn tekst\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    done = init(tmp_path, "--language", "nl", "--language", "en")
    assert done.exit_code == 1
    assert done.stdout == ""
    assert done.stderr == (
        ".gitignore: the file is there already\n"
        "    fix: run init in a new or empty folder: it writes nothing over a file that is there\n"
        "statement/nl.md: the file is there already\n"
        "    fix: run init in a new or empty folder: it writes nothing over a file that is there\n"
        "Nothing was written: 2 problem(s) to fix.\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == [".gitignore", "nl.md", "statement"]
    assert (tmp_path / "statement" / "nl.md").read_text(encoding="utf-8") == "# Mijn tekst\n"


def test_an_unknown_language_code_is_refused(tmp_path: Path) -> None:
    done = init(tmp_path / "new", "--language", "xx", "--language", "nl", "--language", "nl")
    assert done.exit_code == 1
    assert "'xx' is not a language code" in done.stderr
    assert "the languages repeat or are missing" in done.stderr
    assert not (tmp_path / "new").exists()


def test_a_value_per_language_is_shown_in_its_language(tmp_path: Path) -> None:
    init(tmp_path, "--language", "nl", "--language", "en", "--publisher", "Voorbeeld B.V.")
    toml = tmp_path / "statement" / "statement.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'address = ["FILL IN: street and number", "FILL IN: postcode and town"]',
        'address = [{ nl = "Stationsplein 1", en = "1 Stationsplein" }, "1012 AB Amsterdam"]',
    )
    text = text.replace("[facts]\n", '[facts]\nday = { nl = "maandag", en = "Monday" }\n')
    toml.write_text(text, encoding="utf-8")
    for lang in ("nl", "en"):
        path = tmp_path / "statement" / f"{lang}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n{{day}}\n", encoding="utf-8")
    assert run_build(tmp_path, extra=["--no-pdf"]).exit_code == 0
    nl = (tmp_path / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    en = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Voorbeeld B.V. · Stationsplein 1, 1012 AB Amsterdam ·" in nl
    assert "Voorbeeld B.V. · 1 Stationsplein, 1012 AB Amsterdam ·" in en
    assert "<p>maandag</p>" in nl and "<p>Monday</p>" in en
    assert "Stationsplein 1, 1012 AB Amsterdam, is verantwoordelijk" in nl
