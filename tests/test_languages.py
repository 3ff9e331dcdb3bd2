"""Beyond Dutch and English: a synthetic statement in all 24 official EU languages, 50 sections,
100 versions. Nothing in the pipeline knows which languages it publishes."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po, write_po
from conftest import REPO, run_build
from fontTools.ttLib import TTFont

LOCALES = [
    "bg_BG", "cs_CZ", "da_DK", "de_DE", "el_GR", "en_IE", "es_ES", "et_EE", "fi_FI", "fr_FR",
    "ga_IE", "hr_HR", "hu_HU", "it_IT", "lt_LT", "lv_LV", "mt_MT", "nl_NL", "pl_PL", "pt_PT",
    "ro_RO", "sk_SK", "sl_SI", "sv_SE",
]  # fmt: skip
# Letters each language needs beyond plain ASCII: a missing one shows as a box or a fallback.
LETTERS = {
    "bg": "Декларация за поверителност: жщъюя", "cs": "Prohlášení: ěščřžýůú", "da": "Erklæring: æøå",
    "de": "Datenschutzerklärung: äöüß", "el": "Δήλωση απορρήτου: αβγδεζηθ", "en": "Privacy statement",
    "es": "Declaración: ñ ¿¡", "et": "Privaatsusteade: õäöüšž", "fi": "Tietosuojaseloste: äö",
    "fr": "Déclaration: œçéèêë", "ga": "Ráiteas príobháideachta: áéíóú", "hr": "Izjava: čćđšž",
    "hu": "Adatvédelmi nyilatkozat: őű", "it": "Informativa: àèéìòù", "lt": "Pranešimas: ąčęėįšųūž",
    "lv": "Paziņojums: āčēģīķļņšūž", "mt": "Stqarrija: ħġżċ", "nl": "Privacyverklaring: ë",
    "pl": "Oświadczenie: ąćęłńóśźż", "pt": "Declaração: ãõç", "ro": "Declarație: șțăîâ",
    "sk": "Vyhlásenie: ľĺŕäô", "sl": "Izjava: čšž", "sv": "Integritetspolicy: åäö",
}  # fmt: skip
DATES = {  # babel's long dates, written out (Bulgarian puts a narrow no-break space before г.)
    "bg": "23 февруари 2021\u202fг.", "de": "23. Februar 2021", "el": "23 Φεβρουαρίου 2021",
    "hu": "2021. február 23.", "lt": "2021 m. vasario 23 d.", "lv": "2021. gada 23. februāris",
    "mt": "23 ta’ Frar 2021", "fi": "23. helmikuuta 2021", "en": "23 February 2021",
}  # fmt: skip
SECTIONS = 50
pytestmark = pytest.mark.slow


def code(locale: str) -> str:
    return locale.split("_")[0]


def settings(day: datetime.date, version: int) -> str:
    languages = "".join(
        f'[languages.{code(loc)}]\nlocale = "{loc}"\nname = "{Locale.parse(loc).get_language_name(loc)}"\n\n'
        for loc in LOCALES
    )
    summary = "".join(f'{code(loc)} = "{LETTERS[code(loc)]} ({version})"\n' for loc in LOCALES)
    return (
        f'effective = {day.isoformat()}\nsource_language = "en"\n\n{languages}'
        '[publisher]\nname = "Acme Europa SE"\naddress = ["Rue de la Loi 1", "1000 Bruxelles"]\n'
        'registration = { label = "BCE/KBO", number = "0123456789" }\n'
        'email = "privacy@acme.example"\nwebsite = "www.acme.example"\n\n'
        f"[summary]\n{summary}"
    )


def text(lang: str, version: int) -> str:
    letters = LETTERS[lang]
    parts = [f"# {letters.split(':')[0]}\n"]
    for n in range(SECTIONS):
        body = f"{letters} — {{{{publisher.name}}}}, {n}."
        if n == version % SECTIONS:
            body += f" ({version})"
        if n == SECTIONS - 1:
            body += " {{effective}}"
        parts.append(f"## {letters.split(':')[0]} {n} {{#s{n}}}\n\n{body}\n\n- {letters}\n- {n}\n")
    return "\n".join(parts)


def catalogs(root: Path) -> None:
    """Every language's catalog: the page's words left in English (the test is about the text)."""
    with (REPO / "locales" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        english = read_po(file)
    for loc in LOCALES:
        folder = root / "locales" / code(loc) / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        english.locale = Locale.parse(loc)
        with (folder / "messages.po").open("wb") as file:
            write_po(file, english, omit_header=True)


def project(root: Path, versions: int) -> Path:
    """The synthetic project; its history written with one git fast-import."""
    shutil.copytree(REPO / "templates", root / "templates")
    catalogs(root)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    stream = []
    for version in range(versions):
        day = datetime.date(2021, 2, 23) + datetime.timedelta(days=7 * version)
        files = {"statement/statement.toml": settings(day, version)}
        files |= {f"statement/{code(loc)}.md": text(code(loc), version) for loc in LOCALES}
        stream.append(_commit(version, files))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    return root


def _commit(version: int, files: dict[str, str]) -> bytes:
    def data(content: str) -> bytes:
        raw = content.encode("utf-8")
        return f"data {len(raw)}\n".encode() + raw + b"\n"

    when = 1614074400 + version * 604800
    record = f"commit refs/heads/main\ncommitter Editor <e@acme.example> {when} +0100\n".encode()
    record += data(f"Version {version}\n")
    for path, content in files.items():
        record += f"M 100644 inline {path}\n".encode() + data(content)
    return record


@pytest.fixture(scope="module")
def hundred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("eu") / "project", 100)
    result = run_build(root, cache=root / "cache", extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    return root


def test_a_hundred_versions_in_24_languages_build(hundred: Path) -> None:
    index = json.loads((hundred / "site" / "statement.json").read_text(encoding="utf-8"))
    assert len(index["languages"]) == 24 and index["source_language"] == "en"
    assert len(index["versions"]) == 100
    # version 99 moves its mark from section 48 to 49, and 49 holds the date
    assert [c["section"] for c in index["versions"][-1]["changes"]] == ["s48", "s49"]
    for loc in LOCALES:
        lang = code(loc)
        first = (hundred / "site" / lang / "2021-02-23" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{loc.replace("_", "-")}">' in first
        assert first.count('<section class="section"') == SECTIONS
        changelog = hundred / "site" / lang / "changelog"
        shown = changelog_versions(changelog / "index.html")
        assert shown == 5  # the newest in full; each year's page lists its versions in short
        assert sum(changelog_versions(page) for page in changelog.glob("*/index.html")) == 100


def changelog_versions(page: Path) -> int:
    return page.read_text(encoding="utf-8").count('<section class="version"')


@pytest.mark.parametrize("lang", sorted(DATES))
def test_every_page_is_dated_in_its_own_language(hundred: Path, lang: str) -> None:
    page = (hundred / "site" / lang / "2021-02-23" / "index.html").read_text(encoding="utf-8")
    assert f'<time datetime="2021-02-23">{DATES[lang]}</time>' in page


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("eu-pdf") / "project", 1)
    result = run_build(root, cache=root / "cache")
    assert result.exit_code == 0, result.stderr
    assert "PDFs: 24 rendered" in result.stdout
    return root


def covered() -> set[int]:
    """Every character our fonts have a glyph for."""
    return {
        char
        for path in (REPO / "templates" / "fonts").glob("*-400-normal.woff2")
        for char in TTFont(path).getBestCmap()
    }


@pytest.mark.parametrize("lang", [code(loc) for loc in LOCALES])
def test_every_letter_is_in_the_pdf_in_our_font(printed: Path, lang: str) -> None:
    [pdf] = (printed / "site" / lang / "2021-02-23").glob("*.pdf")
    assert not set(map(ord, LETTERS[lang])) - covered()
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert all(
        row.split()[0].split("+")[1].startswith("Noto-Sans")
        for row in fonts.stdout.splitlines()[2:]
    )
    extracted = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert f"{LETTERS[lang]} — Acme Europa SE, 7." in extracted
