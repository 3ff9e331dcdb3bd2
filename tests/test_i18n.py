"""The page's own words: gettext catalogs under locales/, checked against the templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import read_settings
from generator.errors import StatementError, flatten
from generator.i18n import catalog_path, load_catalogs, template_messages

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def languages():
    return read_settings(REPO / "statement" / "statement.toml").languages


def problems(project: Path, languages) -> list[StatementError]:
    with pytest.raises((StatementError, ExceptionGroup)) as caught:
        load_catalogs(project / "locales", project / "templates", languages)
    errors = flatten(caught.value)
    assert errors
    return errors


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if line == text)


def test_the_templates_ask_for_the_page_words():
    messages = template_messages(REPO / "templates")
    assert list(messages) == sorted(set(messages))
    for message in ("Contents", "Version of %(date)s", "Language", "Skip to the text"):
        assert message in messages


def test_every_template_message_is_translated_in_every_catalog(languages):
    catalogs = load_catalogs(REPO / "locales", REPO / "templates", languages)
    assert set(catalogs) == {"nl", "en"}
    for message in template_messages(REPO / "templates"):
        assert catalogs["nl"].gettext(message).strip(), message
        assert catalogs["en"].gettext(message).strip(), message


def test_the_dutch_words(languages):
    nl = load_catalogs(REPO / "locales", REPO / "templates", languages)["nl"]
    assert nl.gettext("Contents") == "Inhoud"
    assert nl.gettext("Version of %(date)s") % {"date": "X"} == "Versie van X"


def test_a_missing_catalog(project, languages):
    path = catalog_path(project / "locales", "en")
    path.unlink()
    [error] = problems(project, languages)
    assert error.path == path
    assert error.message == "the catalog for 'en' is missing"
    assert error.hint == "write it: every message of the templates, with its translation into en"


def test_a_missing_catalog_names_the_english_one_to_copy_even_deep_in_the_package(tmp_path):
    # an installed tool's project: no locales/ of its own, the built-in words in the package
    from generator.defaults import LOCALES, builtin
    from generator.model import Language

    project = tmp_path / "project"
    german = (Language("de", "de_DE", "Deutsch"),)
    with pytest.raises(ExceptionGroup) as caught:
        load_catalogs((project / "locales", builtin(LOCALES)), REPO / "templates", german)
    [error] = flatten(caught.value)
    assert error.path == catalog_path(project / "locales", "de")
    english = catalog_path(builtin(LOCALES), "en")
    assert english.is_file() and english.is_absolute()
    assert (
        error.hint
        == f"copy the English catalog, {english}, there and translate every msgstr into de"
    )


def test_an_untranslated_message(project, languages, edit):
    path = catalog_path(project / "locales", "nl")
    edit(path, 'msgstr "Inhoud"', 'msgstr ""')
    [error] = problems(project, languages)
    assert error.path == path
    assert error.message == "the message 'Contents' is not translated"
    assert error.line == line_of(path, 'msgid "Contents"')


def test_a_fuzzy_message(project, languages, edit):
    path = catalog_path(project / "locales", "en")
    edit(path, 'msgid "Contents"', '#, fuzzy\nmsgid "Contents"')
    [error] = problems(project, languages)
    assert error.message == "the message 'Contents' is marked fuzzy"


def test_a_message_missing_from_a_catalog(project, languages, edit):
    path = catalog_path(project / "locales", "nl")
    edit(path, 'msgid "Language"\nmsgstr "Taal"\n', "")
    [error] = problems(project, languages)
    assert (error.path, error.message) == (path, "the message 'Language' is missing")


def test_problems_in_both_catalogs_are_reported_together(project, languages, edit):
    edit(catalog_path(project / "locales", "nl"), 'msgstr "Inhoud"', 'msgstr ""')
    catalog_path(project / "locales", "en").unlink()
    errors = problems(project, languages)
    assert sorted(error.path.parent.parent.name for error in errors) == ["en", "nl"]


def test_a_catalog_that_cannot_be_read(project, languages, edit):
    path = catalog_path(project / "locales", "nl")
    edit(path, 'msgstr "Inhoud"', 'msgtsr "Inhoud"')
    [error] = problems(project, languages)
    assert error.path == path
    assert error.message.startswith("the catalog cannot be read")
    assert error.line == line_of(path, 'msgtsr "Inhoud"')
    assert not error.message.rstrip("0123456789").endswith(" on "), error.message
