"""`statement init`: a new project folder holding a statement that builds at once.

It has the sections a GDPR statement needs (generator/data/gdpr-disclosures.toml: every
disclosure is declared by one of them), with text marked `FILL IN:` wherever the organisation's
own words are needed (`statement check` lists each one left), a commented statement.toml, a
.gitignore and the CI files that publish the site. Nothing is written over: a file already there
stops it before it writes anything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from . import defaults
from .config import SUMMARY_PLACEHOLDER
from .errors import StatementError, raise_all
from .i18n import catalog_path

FILL_IN = SUMMARY_PLACEHOLDER  # "FILL IN:", the mark of words still to be written
TEXT_LANGUAGES = ("en", "nl")  # the languages init has a text in; others get English, marked
CI_FILES = {
    ".github/workflows/publish.yml": "github-publish.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}
GITIGNORE = "# what the build makes: never committed\n/site/\n/.cache/\n"


@dataclass(frozen=True)
class Part:
    """One section of the new statement: its id, the disclosures it covers, and its heading
    and text per language."""

    id: str
    covers: tuple[str, ...]
    headings: dict[str, str]
    texts: dict[str, str]


TITLES = {"en": "Privacy statement", "nl": "Privacyverklaring"}
PARTS = (
    Part(
        "controller",
        ("controller_identity", "dpo_contact"),
        {
            "en": "Who is responsible for your data?",
            "nl": "Wie is verantwoordelijk voor uw gegevens?",
        },
        {
            "en": "{{publisher.name}}, {{publisher.address}}, is responsible for the processing of your personal data. FILL IN: how to reach the data protection officer, or that none is appointed.",
            "nl": "{{publisher.name}}, {{publisher.address}}, is verantwoordelijk voor de verwerking van uw persoonsgegevens. FILL IN: hoe u de functionaris gegevensbescherming bereikt, of dat er geen is aangesteld.",
        },
    ),
    Part(
        "data",
        ("data_categories", "source"),
        {"en": "Which personal data do we process?", "nl": "Welke persoonsgegevens verwerken wij?"},
        {
            "en": "FILL IN: the kinds of personal data you process, and where you get the data that people do not give you themselves.",
            "nl": "FILL IN: welke soorten persoonsgegevens u verwerkt, en waar u de gegevens vandaan haalt die mensen u niet zelf geven.",
        },
    ),
    Part(
        "purposes",
        ("purposes", "legal_basis", "legitimate_interests", "requirement"),
        {"en": "Why do we process your data?", "nl": "Waarom verwerken wij uw gegevens?"},
        {
            "en": "FILL IN: each purpose, its legal basis (GDPR article 6), the legitimate interests you pursue where that is the basis, and whether people must give the data and what happens if they do not.",
            "nl": "FILL IN: elk doel, de grondslag ervan (AVG artikel 6), de gerechtvaardigde belangen waar dat de grondslag is, en of mensen de gegevens moeten geven en wat er gebeurt als zij dat niet doen.",
        },
    ),
    Part(
        "retention",
        ("retention",),
        {"en": "How long do we keep your data?", "nl": "Hoe lang bewaren wij uw gegevens?"},
        {
            "en": "FILL IN: how long you keep each kind of data, or how you decide how long.",
            "nl": "FILL IN: hoe lang u elke soort gegevens bewaart, of hoe u dat bepaalt.",
        },
    ),
    Part(
        "recipients",
        ("recipients", "transfers"),
        {"en": "Who receives your data?", "nl": "Wie ontvangen uw gegevens?"},
        {
            "en": "FILL IN: who receives the data, and whether any of it goes to a country outside the European Economic Area (with which safeguards), or that none does.",
            "nl": "FILL IN: wie de gegevens ontvangen, en of er gegevens naar een land buiten de Europese Economische Ruimte gaan (met welke waarborgen), of dat dat niet gebeurt.",
        },
    ),
    Part(
        "rights",
        (
            "right_access",
            "right_rectification",
            "right_erasure",
            "right_restriction",
            "right_objection",
            "right_portability",
            "withdraw_consent",
        ),
        {"en": "Your rights", "nl": "Uw rechten"},
        {
            "en": "You may see the personal data we hold about you and have a copy, have it corrected or erased, restrict its processing or object to it, and have your data in a machine-readable form or sent to another organisation. Where we process data with your consent, you may withdraw that consent at any time. FILL IN: how people use these rights.",
            "nl": "U kunt vragen uw persoonsgegevens in te zien, te corrigeren of te wissen, de verwerking ervan te beperken of er bezwaar tegen te maken, en ze te ontvangen om ze elders te gebruiken. Waar wij gegevens met uw toestemming verwerken, kunt u die toestemming altijd intrekken. FILL IN: hoe mensen deze rechten uitoefenen.",
        },
    ),
    Part(
        "automated-decisions",
        ("automated_decisions",),
        {"en": "Automated decisions", "nl": "Geautomatiseerde besluiten"},
        {
            "en": "FILL IN: whether you take decisions about people by automated means, profiling included, and if so how; or that you do not.",
            "nl": "FILL IN: of u besluiten over mensen geautomatiseerd neemt, profilering inbegrepen, en zo ja hoe; of dat u dat niet doet.",
        },
    ),
    Part(
        "complaint",
        ("complaint",),
        {"en": "Complaints", "nl": "Klachten"},
        {
            "en": "You may lodge a complaint with a data protection supervisory authority. FILL IN: the authority of your country and how to reach it.",
            "nl": "U kunt een klacht indienen bij een toezichthouder op de gegevensbescherming. FILL IN: de toezichthouder van uw land en hoe u die bereikt.",
        },
    ),
    Part(
        "changes",
        (),
        {"en": "Changes to this statement", "nl": "Wijzigingen van deze verklaring"},
        {
            "en": "This version applies since {{effective}}. Every earlier version stays available, with what changed in each.",
            "nl": "Deze versie geldt sinds {{effective}}. Elke eerdere versie blijft beschikbaar, met wat er in elke versie veranderde.",
        },
    ),
    Part(
        "contact",
        (),
        {"en": "Contact", "nl": "Contact"},
        {
            "en": "Questions about this statement: {{publisher.email}}.",
            "nl": "Vragen over deze verklaring: {{publisher.email}}.",
        },
    ),
)
SUMMARIES = {
    "en": "The first version of this privacy statement.",
    "nl": "De eerste versie van deze privacyverklaring.",
}


def text(lang: str) -> str:
    """The statement's Markdown in a language: English, marked FILL IN, where init has none."""
    known = lang in TEXT_LANGUAGES
    mark = "" if known else f"{FILL_IN} "  # the heading is English: say so, until translated
    words = lang if known else "en"
    parts = [f"# {mark}{TITLES[words]}\n"]
    for part in PARTS:
        braces = " ".join([f"#{part.id}", *(f".{c}" for c in part.covers)])
        parts.append(f"## {mark}{part.headings[words]} {{{braces}}}\n\n{part.texts[words]}\n")
    return "\n".join(parts)


def locale_of(code: str) -> tuple[str, str]:
    """A language code's babel locale (with its most likely country) and its name in itself."""
    try:
        locale = Locale.parse(get_global("likely_subtags").get(code, code))
    except (ValueError, UnknownLocaleError):
        return "", ""
    name = locale.get_language_name(locale) or code
    return f"{locale.language}_{locale.territory}", name[:1].upper() + name[1:]


def settings_text(languages: list[str], publisher: str | None, day: datetime.date) -> str:
    tables = ""
    for code in languages:
        locale, name = locale_of(code)
        tables += f'[languages.{code}]\nlocale = "{locale}"\nname = "{name}"\n\n'
    summary = "".join(f'{code} = "{SUMMARIES.get(code, SUMMARIES["en"])}"\n' for code in languages)
    name = (
        publisher.replace("\\", "\\\\").replace('"', '\\"')
        if publisher
        else f"{FILL_IN} the organisation's name"
    )
    return SETTINGS.format(
        day=day.isoformat(), source=languages[0], languages=tables, name=name, summary=summary
    )


SETTINGS = """\
# The privacy statement's settings. `statement check` lists every FILL IN still to replace.

# The version date: the day this text takes effect, a TOML date without quotes. For a later
# version, `statement release --date YYYY-MM-DD` sets it and resets the summary below.
effective = {day}

# The language whose text legally prevails; the others are translations of it.
source_language = "{source}"

# Where the site will be published, for canonical links and the feeds.
# base_url = "https://www.example.com/privacy/"

# Each language: its babel locale (dates in its own words) and its name in itself.
{languages}\
# Who publishes the statement: the page's header and footer and the PDFs show it, and the text
# quotes it as {{{{publisher.name}}}}, {{{{publisher.address}}}}, {{{{publisher.email}}}} (a mail link)
# and {{{{publisher.website}}}} (a web link). Any value may differ per language:
# name = {{ en = "…", nl = "…" }}; such a table gives every language.
[publisher]
name = "{name}"
address = ["FILL IN: street and number", "FILL IN: postcode and town"]
# A register's number, if the organisation has one (leave it out if not):
# registration = {{ label = "Companies House", number = "01234567" }}
email = "FILL-IN@example.com"
website = "FILL-IN.example.com"

# Anything else the text repeats, typed once here and written {{{{name}}}} in the text.
[facts]

# What changed in this version, in plain words, one line per language: it heads the version's
# entry in the changelog and the feed.
[summary]
{summary}
# GDPR disclosures the statement leaves out on purpose, each with the reason, such as
# dpo_contact = "No data protection officer is appointed." (`statement check` lists them).
[accepted_gaps]
"""


def files(languages: list[str], publisher: str | None, day: datetime.date, tool: str) -> dict:
    """Every file init writes, by its path in the new folder."""
    written = {
        "statement/statement.toml": settings_text(languages, publisher, day),
        **{f"statement/{code}.md": text(code) for code in languages},
        ".gitignore": GITIGNORE,
    }
    for path, name in CI_FILES.items():
        written[path] = ci_file(name).replace('TOOL: "."', f'TOOL: "{tool}"')
    for code in languages:
        if not catalog_path(defaults.builtin(defaults.LOCALES), code).is_file():
            written[f"locales/{code}/LC_MESSAGES/messages.po"] = english_catalog(code)
    return written


def ci_file(name: str) -> str:
    """A CI file as this repository keeps it (generator/data/ci/)."""
    return resources.files("generator").joinpath(f"data/ci/{name}").read_text("utf-8")


def english_catalog(code: str) -> str:
    """The page's words for a language the tool has none for: the English ones, to translate."""
    english = catalog_path(defaults.builtin(defaults.LOCALES), "en").read_text(encoding="utf-8")
    note = f"# The page's words in '{code}': still the English ones. Translate every msgstr.\n"
    return note + english


def init(
    folder: Path, languages: list[str], publisher: str | None, day: datetime.date, tool: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write a new statement project into folder; every problem at once, and nothing written
    while there is one. The paths written, and what the editor should know."""
    raise_all(_problems(folder, languages))
    written = files(languages, publisher, day, tool)
    there = [path for path in written if (folder / path).exists()]
    hint = "run init in a new or empty folder: it writes nothing over a file that is there"
    raise_all(StatementError(folder / p, None, "the file is there already", hint) for p in there)
    for path, content in written.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(content, encoding="utf-8")
    return tuple(written), _notes(languages, written)


def _notes(languages: list[str], written: dict) -> tuple[str, ...]:
    """What init could not write in a language's own words."""
    notes = [
        f"No text of its own for '{code}': its headings and text are in English, marked {FILL_IN}"
        for code in languages
        if code not in TEXT_LANGUAGES
    ]
    notes += [
        f"No page words for '{path.split('/')[1]}': {path} holds the English ones to translate"
        for path in written
        if path.startswith("locales/")
    ]
    return tuple(notes)


def _problems(folder: Path, languages: list[str]) -> list[StatementError]:
    problems = []
    if len(set(languages)) != len(languages) or not languages:
        hint = "name each language once: --language nl --language en (the first prevails)"
        problems.append(StatementError(folder, None, "the languages repeat or are missing", hint))
    for code in languages:
        if not locale_of(code)[0] or locale_of(code)[0].split("_")[0] != code:
            hint = "use a two- or three-letter ISO 639 code in lower case, such as nl, en or de"
            problems.append(StatementError(folder, None, f"'{code}' is not a language code", hint))
    if folder.exists() and not folder.is_dir():
        hint = "choose a folder: init makes it if it is not there"
        problems.append(StatementError(folder, None, "this is a file, not a folder", hint))
    return problems
