"""statement/statement.toml -> Settings: the values, and every problem with its line."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from generator.config import read_settings, settings_with_problems, statement_settings
from generator.errors import StatementError, flatten
from generator.model import Publisher

REPO_SETTINGS = Path(__file__).resolve().parents[1] / "statement" / "statement.toml"


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "statement.toml"
    shutil.copyfile(REPO_SETTINGS, path)
    return path


def problems(path: Path) -> list[StatementError]:
    with pytest.raises((StatementError, ExceptionGroup)) as caught:
        read_settings(path)
    errors = flatten(caught.value)
    assert errors, "the settings raised something other than StatementErrors"
    return errors


def only_problem(path: Path) -> StatementError:
    errors = problems(path)
    assert len(errors) == 1, [str(error) for error in errors]
    return errors[0]


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def test_the_repository_settings():
    settings = read_settings(REPO_SETTINGS)
    assert settings.effective == datetime.date(2021, 2, 23)
    assert settings.source_language == "nl"
    assert [(lang.code, lang.locale, lang.name) for lang in settings.languages] == [
        ("nl", "nl_NL", "Nederlands"),
        ("en", "en_GB", "English"),
    ]
    assert settings.publisher("nl") == Publisher(
        "EMS Nederland B.V.",
        ("Transistorstraat 91", "Almere"),
        ("KvK", "56150075"),
        "info@ems.claims",
        "www.ems-csp.com",
    )
    assert settings.publisher("en").registration == ("Chamber of Commerce (KvK)", "56150075")
    assert settings.facts_in("en")["publisher.registration"] == "Chamber of Commerce (KvK) 56150075"
    assert settings.facts == ()
    assert settings.base_url is None


def test_the_source_language_comes_first_whatever_the_order_in_the_file(settings_file, edit):
    text = settings_file.read_text(encoding="utf-8")
    nl = '[languages.nl]\nlocale = "nl_NL"\nname = "Nederlands"\n'
    en = '[languages.en]\nlocale = "en_GB"\nname = "English"\n'
    assert nl + "\n" + en in text
    settings_file.write_text(text.replace(nl + "\n" + en, en + "\n" + nl), encoding="utf-8")
    assert [lang.code for lang in read_settings(settings_file).languages] == ["nl", "en"]
    edit(settings_file, 'source_language = "nl"', 'source_language = "en"')
    assert [lang.code for lang in read_settings(settings_file).languages] == ["en", "nl"]


def test_base_url_gets_a_trailing_slash(settings_file, edit):
    edit(settings_file, "# base_url = ", "base_url = ")
    assert read_settings(settings_file).base_url == "https://www.ems-csp.com/privacy/"
    edit(settings_file, '"https://www.ems-csp.com/privacy/"', '"https://example.org/p"')
    assert read_settings(settings_file).base_url == "https://example.org/p/"


def test_base_url_must_be_a_web_address(settings_file, edit):
    edit(settings_file, '# base_url = "https://www.ems-csp.com/privacy/"', 'base_url = "ftp://x"')
    error = only_problem(settings_file)
    assert "'base_url' is not a web address" in error.message
    assert error.line == line_of(settings_file, "base_url =")


def test_a_bom_and_crlf_line_ends_are_accepted(settings_file):
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_settings(settings_file) == read_settings(REPO_SETTINGS)


def test_toml_syntax_error_names_its_line(settings_file, edit):
    edit(settings_file, 'source_language = "nl"', 'source_language = "nl')
    error = only_problem(settings_file)
    assert error.message == "this text has no closing quote"
    assert error.hint == 'end it on the same line with a quote: source_language = "nl"'
    assert error.line == line_of(settings_file, "source_language =")
    assert "(at line" not in error.message


def test_missing_effective(settings_file, edit):
    edit(settings_file, "effective = 2021-02-23\n", "")
    error = only_problem(settings_file)
    assert "'effective' is missing" in error.message
    assert "effective = 2021-02-23" in error.hint


def test_an_impossible_date_is_a_syntax_error_with_a_date_hint(settings_file, edit):
    edit(settings_file, "effective = 2021-02-23", "effective = 2021-02-30")
    error = only_problem(settings_file)
    assert error.line == line_of(settings_file, "effective =")
    assert error.message == "2021-02-30 is not a date that exists"
    assert "write a real day, as YYYY-MM-DD" in error.hint


def test_a_quoted_date_is_refused(settings_file, edit):
    edit(settings_file, "effective = 2021-02-23", 'effective = "2021-02-23"')
    error = only_problem(settings_file)
    assert error.message == "the date is in quotes, which makes it text"
    assert error.hint == "remove the quotes: effective = 2021-02-23"
    assert error.line == line_of(settings_file, "effective =")


def test_a_date_and_time_is_refused(settings_file, edit):
    edit(settings_file, "effective = 2021-02-23", "effective = 2021-02-23T10:00:00")
    assert "'effective' must be a date" in only_problem(settings_file).message


def test_facts_take_any_name_and_one_value_per_language(settings_file, edit):
    facts = '[facts]\nphone = "+44 20 7946 0000"\nstreet = { nl = "Stationsplein 1", en = "1 Stationsplein" }\n'
    edit(settings_file, "[facts]\n", facts)
    settings = read_settings(settings_file)
    assert settings.facts_in("nl")["street"] == "Stationsplein 1"
    assert settings.facts_in("en")["street"] == "1 Stationsplein"
    assert (
        settings.facts_in("en")["phone"] == settings.facts_in("nl")["phone"] == "+44 20 7946 0000"
    )


def test_a_table_of_languages_gives_every_language(settings_file, edit):
    edit(settings_file, "[facts]\n", '[facts]\nstreet = { nl = "Stationsplein 1" }\n')
    error = only_problem(settings_file)
    assert error.message == "the fact 'street' gives no value for the language 'en'"
    assert error.line == line_of(settings_file, "street =")


def test_a_value_for_a_language_the_statement_does_not_have_is_let_be(settings_file, edit):
    # a version may drop a language without rewriting every table of languages
    edit(
        settings_file, 'name = "EMS Nederland B.V."', 'name = { nl = "EMS", en = "EMS", de = "X" }'
    )
    assert read_settings(settings_file).publisher("en").name == "EMS"


def test_a_publisher_without_a_registration_or_an_address(settings_file, edit):
    edit(settings_file, 'address = ["Transistorstraat 91", "Almere"]\n', "")
    start = "registration = { label"
    text = settings_file.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith(start))
    edit(settings_file, line + "\n", "")
    publisher = read_settings(settings_file).publisher("en")
    assert (publisher.name, publisher.address, publisher.registration) == (
        "EMS Nederland B.V.",
        (),
        None,
    )
    assert "publisher.registration" not in read_settings(settings_file).facts_in("en")


def test_a_publisher_without_a_name(settings_file, edit):
    edit(settings_file, 'name = "EMS Nederland B.V."\n', "")
    error = only_problem(settings_file)
    assert error.message == "the publisher has no name"
    assert error.line == line_of(settings_file, "[publisher]")


def test_a_misspelt_publisher_field_and_an_address_that_is_no_text(settings_file, edit):
    edit(settings_file, 'email = "info@ems.claims"', 'e_mail = "info@ems.claims"')
    edit(settings_file, 'address = ["Transistorstraat 91", "Almere"]', "address = [91]")
    messages = sorted(error.message for error in problems(settings_file))
    assert messages == [
        "the publisher's address is not a list of lines of text",
        "unknown publisher field 'e_mail'",
    ]


def test_an_empty_fact_is_refused(settings_file, edit):
    edit(settings_file, "[facts]\n", '[facts]\ncity = "  "\n')
    error = only_problem(settings_file)
    assert "'city' must be non-empty text" in error.message
    assert error.line == line_of(settings_file, "city =")


@pytest.mark.parametrize("locale", ["en_XX", "xx_YY", "en-GB", "nl_NL"])
def test_unknown_or_foreign_locale(settings_file, edit, locale):
    edit(settings_file, 'locale = "en_GB"', f'locale = "{locale}"')
    error = only_problem(settings_file)
    assert error.message == f"unknown locale '{locale}'"
    assert error.line == line_of(settings_file, "[languages.en]") + 1
    assert settings_file.read_text().split("\n")[error.line - 1] == f'locale = "{locale}"'


def test_a_misspelt_setting_gets_a_suggestion(settings_file, edit):
    edit(settings_file, "# base_url = ", "bas_url = ")
    error = only_problem(settings_file)
    assert error.message == "unknown setting 'bas_url'"
    assert "did you mean 'base_url'?" in error.hint
    assert error.line == line_of(settings_file, "bas_url =")


def test_every_problem_is_reported_together(settings_file, edit):
    edit(settings_file, "[facts]\n", '[facts]\nkvk = ""\n')
    edit(settings_file, 'locale = "en_GB"', 'locale = "en_XX"')
    edit(settings_file, 'source_language = "nl"', 'source_language = "fr"')
    messages = sorted(error.message for error in problems(settings_file))
    assert messages == [
        "the fact 'kvk' must be non-empty text",
        "the source language 'fr' is not one of the languages",
        "unknown locale 'en_XX'",
    ]


def test_missing_settings_file(tmp_path):
    error = only_problem(tmp_path / "statement.toml")
    assert error.path == tmp_path / "statement.toml"
    assert "missing" in error.message


def test_every_toml_mistake_is_said_at_once_and_the_rest_still_read(settings_file, edit):
    edit(settings_file, "[facts]\n", '[facts]\ncity = Almere\nkvk "56150075"\n')
    edit(settings_file, 'source_language = "nl"', 'source_language = "nl')
    settings, errors = statement_settings(settings_file)
    assert [(e.line, e.message) for e in errors] == [
        (line_of(settings_file, "source_language ="), "this text has no closing quote"),
        (line_of(settings_file, "city = Almere"), "the value of 'city' is not in quotes"),
        (line_of(settings_file, 'kvk "5615'), "'kvk' has no = before its value"),
    ]
    # read as they were meant: the texts are checked against these in the same run
    assert settings.source_language == "nl"
    assert dict(settings.facts)["city"] == "Almere" and dict(settings.facts)["kvk"] == "56150075"


def test_languages_lost_to_a_toml_mistake_are_taken_from_the_texts_file_names(settings_file):
    from generator.files import SourceFiles

    text = settings_file.read_text(encoding="utf-8")
    start, end = text.index("[languages.nl]"), text.index("[facts]")
    text = text[:start] + "languages = [nl, en]\n\n" + text[end:]
    source = SourceFiles(
        settings_file.parent, {"statement.toml": text.encode(), "nl.md": b"", "en.md": b""}
    )
    settings, errors = settings_with_problems(source)
    assert [(e.line, e.message) for e in errors] == [
        (text[:start].count("\n") + 1, "the value of 'languages' is not in quotes")
    ]
    assert [(lang.code, lang.locale) for lang in settings.languages] == [("nl", "nl"), ("en", "en")]


@pytest.mark.parametrize(
    ("codec", "line"), [("cp1252", "facts_line"), ("utf-16", 1), ("utf-32", 1)]
)
def test_a_file_not_saved_as_utf8_is_said_and_read_as_it_was_saved(
    settings_file, edit, codec, line
):
    # Notepad's "ANSI" (Windows-1252) and "Unicode" (UTF-16, marked): the editor is told, and
    # the settings are read all the same, so that the texts are checked in the same run
    edit(settings_file, "[facts]\n", '[facts]\ncity = "Zürich"\n')
    facts_line = line_of(settings_file, "Zürich")
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_bytes(text.encode(codec))
    settings, errors = statement_settings(settings_file)
    expected = facts_line if line == "facts_line" else line
    assert [(e.line, e.message) for e in errors] == [(expected, "this file is not UTF-8 text")]
    assert dict(settings.facts)["city"] == "Zürich"
    assert [language.code for language in settings.languages] == ["nl", "en"]


@pytest.mark.parametrize(
    ("line", "message", "hint"),
    [
        ('city = "Almere', "this text has no closing quote", 'city = "Almere"'),
        ("city = “Almere”", "the value of 'city' is in curly quotes", 'city = "Almere"'),
        ('city: "Almere"', "'city' has a : where TOML wants =", 'city = "Almere"'),
        ('the city = "Almere"', "the name 'the city' has a space in it", 'the_city = "Almere"'),
        ("city =", "'city' has no value", 'city = "…"'),
        ("city = Almere", "the value of 'city' is not in quotes", 'city = "Almere"'),
        (
            'city = "C:\\Almere"',
            "a \\ in text in double quotes starts an escape",
            "city = 'C:\\Almere'",
        ),
        ("[facts.city", "this table heading is not written [name]", "[facts.city]"),
    ],
)
def test_a_toml_mistake_is_said_in_plain_words_with_the_line_as_it_should_be(
    settings_file, edit, line, message, hint
):
    edit(settings_file, "[facts]\n", f"[facts]\n{line}\n")
    _, errors = statement_settings(settings_file)
    error = errors[0]  # what follows from it, if anything, comes after
    assert error.line == line_of(settings_file, line)
    assert error.message.startswith(message) and error.hint.endswith(hint)
