"""The changelog, comparison pages and feeds of a two-version history, read back as a visitor's
tools read them: a feed parser, the Atom schema, and the words inside <del> and <ins>."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import feedparser
import pytest
from conftest import run_build
from repos import StatementRepo, make_repo
from test_versions import second_version

SCHEMA = Path(__file__).resolve().parent / "standards" / "atom-rfc4287.rnc"  # RFC 4287 App. B


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> StatementRepo:
    repo = make_repo(tmp_path_factory.mktemp("changelog") / "project")
    second_version(repo)
    result = run_build(repo.root)
    assert result.exit_code == 0, result.stderr
    return repo


def page(repo: StatementRepo, path: str) -> str:
    return (repo.root / "site" / path).read_text(encoding="utf-8")


def marked(html: str, tag: str) -> list[str]:
    """The words inside every <tag>, without the screen reader's hidden label."""
    found = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)
    return [
        unescape(re.sub(r'<span class="visually-hidden">[^<]*</span>', "", f)).strip()
        for f in found
    ]


def test_the_changelog_lists_versions_newest_first_with_summaries(built: StatementRepo) -> None:
    html = page(built, "en/changelog/index.html")
    assert html.index('id="version-2022-03-01"') < html.index('id="version-2021-02-23"')
    assert "Retention period tightened." in html
    assert "1 March 2022" in html and "23 February 2021" in html
    assert 'href="../2021-02-23/"' in html and 'href="../2022-03-01/changes/"' in html
    assert 'href="../2022-03-01/#retention">Retention period</a>' in html
    nl = page(built, "nl/changelog/index.html")
    assert "Bewaartermijn aangescherpt." in nl and "1 maart 2022" in nl and "Gewijzigd" in nl


def test_the_word_diff_marks_exactly_the_changed_words(built: StatementRepo) -> None:
    html = page(built, "en/changelog/index.html")
    # "We do not retain your personal data for longer" -> "We retain … for at most two years and no longer"
    assert marked(html, "del") == ["do not", "23 February 2021."]
    assert marked(html, "ins") == ["at most two years and no", "1 March 2022."]
    assert '<span class="visually-hidden">[deleted: </span>' in html  # heard, not only seen


def test_the_comparison_shows_the_whole_statement_in_context(built: StatementRepo) -> None:
    html = page(built, "nl/2022-03-01/changes/index.html")
    assert html.count("<section ") == 10
    assert 'class="section compare-changed" aria-labelledby="retention"' in html
    assert 'class="section compare-same" aria-labelledby="controller"' in html
    assert "uiterlijk twee jaar en" in " ".join(marked(html, "ins"))


def test_the_feed_is_atom_that_a_feed_parser_reads(built: StatementRepo) -> None:
    feed = feedparser.parse(page(built, "en/feed.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Version of 1 March 2022", "Version of 23 February 2021"]
    assert feed.entries[0].summary == "In force from 1 March 2022. Retention period tightened."
    assert feed.entries[0].link.endswith("changelog/#version-2022-03-01")
    # published and updated when it was committed (the fixture's clock), in UTC
    assert feed.entries[0].published == feed.entries[0].updated == "2021-01-06T23:00:00Z"
    assert len({entry.id for entry in feed.entries}) == 2
    dutch = feedparser.parse(page(built, "nl/feed.xml"))
    assert dutch.entries[0].title == "Versie van 1 maart 2022"


def test_feed_entry_ids_are_stable_across_builds(built: StatementRepo, tmp_path: Path) -> None:
    first = feedparser.parse(page(built, "en/feed.xml"))
    assert run_build(built.root, tmp_path / "again").exit_code == 0
    again = feedparser.parse((tmp_path / "again" / "en" / "feed.xml").read_text(encoding="utf-8"))
    assert [e.id for e in first.entries] == [e.id for e in again.entries]


def test_the_feed_is_valid_against_the_rfc_4287_schema(
    built: StatementRepo, tmp_path: Path
) -> None:
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed: make test installs it (Debian package jing)")
    for lang in ("nl", "en"):
        done = subprocess.run(
            [jing, "-c", str(SCHEMA), str(built.root / "site" / lang / "feed.xml")],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    # and the schema is one that refuses: a feed without its id is not Atom
    feed = (built.root / "site" / "en" / "feed.xml").read_text(encoding="utf-8")
    broken = tmp_path / "feed.xml"
    broken.write_text(re.sub(r"<id>[^<]*</id>", "", feed, count=1), encoding="utf-8")
    done = subprocess.run([jing, "-c", str(SCHEMA), str(broken)], capture_output=True, text=True)
    assert done.returncode != 0


# --- a long history: no page grows with it ------------------------------------------------------

VERSIONS = 100
KB = 1024


@pytest.fixture(scope="module")
def hundred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history of 100 versions, five weeks apart (2021 to 2030), built without PDFs."""
    repo = make_repo(tmp_path_factory.mktemp("hundred") / "project")
    first = datetime.date(2021, 2, 23)
    for number in range(1, VERSIONS):
        day = (first + datetime.timedelta(weeks=5 * number)).isoformat()
        repo.new_version(day, f"Versie {number}.", f"Version {number}.")
        repo.commit(f"Version {number}")
    result = run_build(repo.root, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    return repo.root / "site"


def year_pages(site: Path, lang: str) -> list[Path]:
    """The changelog's pages by year, oldest first."""
    return sorted((site / lang / "changelog").glob("*/index.html"))


def test_no_changelog_page_of_a_hundred_versions_reaches_150_kb(hundred: Path) -> None:
    for lang in ("nl", "en"):
        pages = [hundred / lang / "changelog" / "index.html", *year_pages(hundred, lang)]
        assert len(pages) == 1 + 10  # the changelog and a page for each year, 2021 to 2030
        for path in [*pages, hundred / lang / "feed.xml"]:
            assert path.stat().st_size < 150 * KB, path


def test_the_changelog_shows_the_newest_in_full_and_every_version_by_year(hundred: Path) -> None:
    main = (hundred / "en" / "changelog" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<h2 id="version-([\d-]+)"', main)
    assert len(shown) == 5 and shown == sorted(shown, reverse=True)
    assert "<del>" in main  # word for word
    assert 'href="2021/">2021</a>' in main and 'href="2030/">2030</a>' in main
    listed = []
    for path in year_pages(hundred, "en"):
        year = path.read_text(encoding="utf-8")
        days = re.findall(r'<h2 id="version-([\d-]+)"', year)
        assert days == sorted(days, reverse=True) and "<del>" not in year  # in short
        for day in days[:-1] if days[-1] == "2021-02-23" else days:
            assert f'href="../../{day}/changes/"' in year  # what changed, a click away
        listed += days
    assert len(listed) == VERSIONS == len(set(listed))
    assert set(shown) <= set(listed)


def test_the_feed_holds_the_newest_versions_each_linking_where_it_is_told(hundred: Path) -> None:
    feed = feedparser.parse((hundred / "en" / "feed.xml").read_text(encoding="utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 20 and feed.entries[0].title.endswith("2030")
    for number, entry in enumerate(feed.entries):
        day = entry.link.rsplit("#version-", 1)[1]
        where = "changelog/" if number < 5 else f"changelog/{day[:4]}/"  # in full, or in short
        assert entry.link == f"{where}#version-{day}"
