"""Dates in each language's own words, on the pages and in the text."""

from __future__ import annotations

import datetime

import pytest

from generator import dates

EFFECTIVE = datetime.date(2021, 2, 23)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("nl_NL", "23 februari 2021"),
        ("en_GB", "23 February 2021"),
        ("nl_BE", "23 februari 2021"),
        ("en_US", "February 23, 2021"),
    ],
)
def test_long_date(locale, words):
    assert dates.long_date(EFFECTIVE, locale) == words


@pytest.mark.parametrize(
    ("name", "known"),
    [("nl_NL", True), ("en_GB", True), ("nl", True), ("en_XX", False), ("xx_YY", False)],
)
def test_known_locales(name, known):
    assert dates.is_known_locale(name) is known


def test_a_hyphenated_locale_is_not_known():
    assert not dates.is_known_locale("en-GB")


@pytest.mark.parametrize(
    ("lang", "stamp"),
    [
        ("nl", 'Versie van <time datetime="2021-02-23">23 februari 2021</time>'),
        ("en", 'Version of <time datetime="2021-02-23">23 February 2021</time>'),
    ],
)
def test_the_version_stamp_on_each_page(built_site, lang, stamp):
    html = (built_site / lang / "index.html").read_text(encoding="utf-8")
    assert stamp in html


def test_the_effective_date_in_the_text_of_each_page(built_site):
    nl = (built_site / "nl" / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert "De laatste versie dateert van 23 februari 2021." in nl
    assert "The latest version dates from 23 February 2021." in en
    assert "February" not in nl
    assert "februari" not in en


def test_another_effective_date_changes_every_date(project, build, edit):
    toml = project / "statement" / "statement.toml"
    edit(toml, "effective = 2021-02-23", "effective = 2022-01-05")
    edit(
        toml, "sinds 23 februari 2021", "sinds 5 januari 2022"
    )  # the summary is the editor's words
    edit(toml, "since 23 February 2021", "since 5 January 2022")
    result = build(project)
    assert result.exit_code == 0, result.stderr
    nl = (project / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    en = (project / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert 'Versie van <time datetime="2022-01-05">5 januari 2022</time>' in nl
    assert "dateert van 5 januari 2022." in nl
    assert 'Version of <time datetime="2022-01-05">5 January 2022</time>' in en
    assert "dates from 5 January 2022." in en
    assert "2021" not in nl + en
