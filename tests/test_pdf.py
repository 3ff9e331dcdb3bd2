"""The PDFs, read back: tagged A4 with embedded fonts, the page's own text, the same bytes on every
build, and no rendering at all when nothing changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import run_build, site_files
from repos import StatementRepo, make_repo
from test_versions import RETENTION_EN, RETENTION_EN_NEW, second_version

from generator.build import make_site
from generator.config import read_settings
from generator.errors import StatementError
from generator.model import Stored
from generator.site import write_site
from generator.source import read_statement

NAMES = {
    ("nl", "2021-02-23"): "nl/2021-02-23/privacyverklaring-ems-nederland-2021-02-23.pdf",
    ("en", "2021-02-23"): "en/2021-02-23/privacy-statement-ems-nederland-2021-02-23.pdf",
    ("nl", "2022-03-01"): "nl/2022-03-01/privacyverklaring-ems-nederland-2022-03-01.pdf",
    ("en", "2022-03-01"): "en/2022-03-01/privacy-statement-ems-nederland-2022-03-01.pdf",
}
CHANGES = {
    "nl": "nl/2022-03-01/changes/privacyverklaring-ems-nederland-2022-03-01-wijzigingen.pdf",
    "en": "en/2022-03-01/changes/privacy-statement-ems-nederland-2022-03-01-changes.pdf",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> StatementRepo:
    repo = make_repo(tmp_path_factory.mktemp("pdf") / "project")
    second_version(repo)
    result = run_build(repo.root, cache=repo.root / "cache")
    assert result.exit_code == 0, result.stderr
    assert "PDFs: 6 rendered, 0 from the cache." in result.stdout
    return repo


def site(repo: StatementRepo) -> Path:
    return repo.root / "site"


def fold(text: str) -> str:
    return " ".join(text.split())


def body_text(pdf: Path) -> str:
    """The PDF's text without the running header and footer (cropped off), whitespace folded."""
    done = subprocess.run(
        ["pdftotext", "-r", "72", "-x", "0", "-y", "58", "-W", "595", "-H", "714", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return fold(done.stdout)


def unhyphenated(text: str) -> str:
    # pdftotext joins "e-" at a line's end with "mail" on the next as "email": compare without
    return text.replace("-", "")


def test_every_version_and_language_has_its_pdf_named_for_people(built: StatementRepo) -> None:
    for path in [*NAMES.values(), *CHANGES.values()]:
        assert (site(built) / path).read_bytes().startswith(b"%PDF-")
    index = json.loads((site(built) / "statement.json").read_text(encoding="utf-8"))
    assert index["versions"][0]["pdfs"] == {
        "nl": NAMES["nl", "2021-02-23"],
        "en": NAMES["en", "2021-02-23"],
    }
    assert index["versions"][1]["changes_pdfs"] == CHANGES


def test_pages_and_the_changelog_link_their_pdfs(built: StatementRepo) -> None:
    current = (site(built) / "nl" / "index.html").read_text(encoding="utf-8")
    assert 'href="2022-03-01/privacyverklaring-ems-nederland-2022-03-01.pdf"' in current
    archived = (site(built) / "en" / "2021-02-23" / "index.html").read_text(encoding="utf-8")
    assert 'href="privacy-statement-ems-nederland-2021-02-23.pdf"' in archived
    changelog = (site(built) / "en" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert (
        'href="../2022-03-01/changes/privacy-statement-ems-nederland-2022-03-01-changes.pdf"'
        in changelog
    )
    assert 'href="../2021-02-23/privacy-statement-ems-nederland-2021-02-23.pdf"' in changelog


@pytest.mark.parametrize(("lang", "locale"), [("nl", "nl-NL"), ("en", "en-GB")])
def test_the_pdf_is_tagged_a4_with_its_metadata(
    built: StatementRepo, lang: str, locale: str
) -> None:
    pdf = site(built) / NAMES[lang, "2022-03-01"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "595.276 x 841.89 pts (A4)" in info
    assert "Author:          EMS Nederland B.V." in info
    assert "Privacy policy" in info.split("Title:")[1].splitlines()[0]
    assert "Subject:" in info
    assert "CreationDate:    Tue Mar  1 00:00:00 2022 UTC" in info
    reader = pypdf.PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == locale
    assert reader.metadata.author == "EMS Nederland B.V."


def test_every_font_is_embedded_and_ours(built: StatementRepo) -> None:
    for path in [*NAMES.values(), *CHANGES.values()]:
        fonts = subprocess.run(
            ["pdffonts", str(site(built) / path)], capture_output=True, text=True, check=True
        )
        rows = fonts.stdout.splitlines()[2:]
        assert rows, path
        for row in rows:
            assert "Noto-Sans" in row.split()[0], row
            assert row.split()[-5] == "yes", row  # the "emb" column


def test_the_outline_has_one_entry_per_section(built: StatementRepo) -> None:
    reader = pypdf.PdfReader(site(built) / NAMES["en", "2022-03-01"])
    titles = [item.title for item in reader.outline]
    statement = read_statement(built.statement, read_settings(built.statement / "statement.toml"))
    assert titles == [section.heading for section in statement.translation("en").sections]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pdf_says_what_the_page_says_section_by_section(
    built: StatementRepo, lang: str
) -> None:
    text = unhyphenated(body_text(site(built) / NAMES[lang, "2022-03-01"]))
    statement = read_statement(built.statement, read_settings(built.statement / "statement.toml"))
    for section in statement.translation(lang).sections:
        assert unhyphenated(section.heading) in text
        for block in section.blocks:
            assert unhyphenated(block) in text, f"{section.id}: {block[:60]}…"
    header = subprocess.run(
        ["pdftotext", str(site(built) / NAMES[lang, "2022-03-01"]), "-"],
        capture_output=True,
        text=True,
    ).stdout
    words = {
        "nl": ("Versie van 1 maart 2022", "pagina 1 van"),
        "en": ("Version of 1 March 2022", "page 1 of"),
    }[lang]
    assert all(word in header for word in words)


def test_the_contents_list_gives_page_numbers(built: StatementRepo) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(site(built) / NAMES["en", "2022-03-01"]), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert any(
        line.strip().startswith("1. Who processes your data?") and line.rstrip().endswith(" 1")
        for line in text.splitlines()
    )


def test_the_changes_pdf_shows_only_what_changed(built: StatementRepo) -> None:
    text = body_text(site(built) / CHANGES["en"])
    assert "Retention period tightened." in text
    assert "Retention period" in text and "at most two years" in text
    assert "Who processes your data?" not in text  # an unchanged section stays out


def test_two_builds_give_the_same_pdf_bytes(built: StatementRepo, tmp_path: Path) -> None:
    assert run_build(built.root, tmp_path / "again", cache=tmp_path / "fresh-cache").exit_code == 0
    for path in [*NAMES.values(), *CHANGES.values()]:
        assert (tmp_path / "again" / path).read_bytes() == (site(built) / path).read_bytes(), path


def test_a_rebuild_with_no_change_renders_no_pdf_and_never_imports_weasyprint(
    built: StatementRepo,
) -> None:
    script = (
        "import sys; from pathlib import Path; from generator.build import make_site\n"
        f"site = make_site(Path({str(built.root)!r}), cache=Path({str(built.root / 'cache')!r}))\n"
        "print(site.notes[-1]); print('weasyprint' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["PDFs: 0 rendered, 6 from the cache.", "False"]


def test_a_one_section_edit_renders_only_the_pdfs_whose_text_changed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "project")
    second_version(repo)
    cache = tmp_path / "cache"
    assert run_build(repo.root, cache=cache).exit_code == 0
    repo.edit("en.md", RETENTION_EN_NEW, RETENTION_EN_NEW.replace("two years", "24 months"))
    repo.commit("Months\n\nEditorial: the same period, counted in months")
    result = run_build(repo.root, cache=cache)
    assert (
        "PDFs: 2 rendered, 4 from the cache." in result.stdout
    )  # en: the statement and its changes
    assert RETENTION_EN not in body_text(repo.root / "site" / NAMES["en", "2022-03-01"])


def test_the_pdfs_stay_on_disk_and_a_copy_that_differs_is_refused(
    built: StatementRepo, tmp_path: Path
) -> None:
    """The build keeps its PDFs in the cache, not in memory, and writes the site from there; a
    cached PDF that changes in between never reaches the site."""
    site = make_site(built.root, cache=built.root / "cache")
    pdfs = {path: data for path, data in site.files if path.endswith(".pdf")}
    assert len(pdfs) == 6 and all(isinstance(data, Stored) for data in pdfs.values())
    out = tmp_path / "site"
    write_site(site, out)
    for path, stored in pdfs.items():
        assert (out / path).read_bytes() == stored.path.read_bytes()
    before = site_files(out)
    stored = pdfs[NAMES["nl", "2021-02-23"]]
    shutil.copy(stored.path, tmp_path / "good.pdf")
    try:
        stored.path.write_bytes(b"%PDF-1.7 not the one")
        with pytest.raises(StatementError, match="a cached PDF changed as it was copied"):
            write_site(site, out)
    finally:
        shutil.copy(tmp_path / "good.pdf", stored.path)  # the module's cache, as it was
    assert site_files(out) == before


def test_a_damaged_cache_entry_is_rendered_again_not_published(
    built: StatementRepo, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "site"
    assert run_build(built.root, out, cache=cache).exit_code == 0
    good = (out / NAMES["nl", "2021-02-23"]).read_bytes()
    entry = next(p for p in (cache / "pdf").glob("*.pdf") if p.read_bytes() == good)
    entry.write_bytes(good[: len(good) // 2])  # a build killed while writing, a bad disk
    (out / "statement.json").unlink()  # else the site, intact, would be kept as it is
    result = run_build(built.root, out, cache=cache)
    assert "PDFs: 1 rendered, 5 from the cache." in result.stdout
    assert (out / NAMES["nl", "2021-02-23"]).read_bytes() == good


def test_a_missing_stylesheet_is_a_clear_error_and_the_site_stays(
    built: StatementRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's own templates/ may leave any file to the tool; one the tool lacks too (a
    broken installation) stops the build."""
    from generator import defaults

    out = tmp_path / "site"
    assert run_build(built.root, out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    installed = tmp_path / "installed"
    for part in ("templates", "locales"):
        shutil.copytree(defaults.builtin(part), installed / part)
    (installed / "templates" / "print.css").unlink()
    monkeypatch.setattr(defaults, "PACKAGE", installed / "generator")
    printed = built.root / "templates" / "print.css"
    kept = printed.read_bytes()
    printed.unlink()
    try:
        result = run_build(built.root, out)
    finally:
        printed.write_bytes(kept)
    assert result.exit_code == 1
    assert "templates/print.css: the stylesheet print.css is missing" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_no_pdf_leaves_the_pdfs_and_their_links_out(built: StatementRepo, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path / "quick"
    result = CliRunner().invoke(
        main, ["build", "--root", str(built.root), "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert "PDFs: left out (--no-pdf)." in result.output
    assert not list(out.rglob("*.pdf"))
    assert all(".pdf" not in page.read_text(encoding="utf-8") for page in out.rglob("*.html"))
    refused = CliRunner().invoke(
        main, ["build", "--root", str(built.root), "--no-pdf", "--release"]
    )
    assert refused.exit_code == 2 and "leave out --no-pdf" in refused.output
