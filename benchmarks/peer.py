"""The peer: the same statement as an mkdocs site, with the plugins a Python team would pick.

mkdocs-static-i18n (a Dutch and an English page), mkdocs-git-revision-date-localized-plugin (the
date of the last commit, in each language's words; so the project is a git repository) and, for
the PDF variant, mkdocs-to-pdf. The Markdown is ours made plain: the `{#id}` heading attributes
stripped, the {{fact}} placeholders replaced by their values from statement.toml.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from babel.dates import format_date
from synth import git

from generator.config import read_settings

LANGUAGES = (("nl", "Nederlands", "nl_NL"), ("en", "English", "en_GB"))
ATTRIBUTES = re.compile(r"\s*\{#[^}]*\}\s*$")
FACT = re.compile(r"\{\{\s*([a-z_.0-9]+)\s*\}\}")


def plain_markdown(text: str, facts: dict[str, str], effective: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name.endswith("email"):
            return f"[{facts[name]}](mailto:{facts[name]})"
        if name.endswith("website"):
            return f"[{facts[name]}](https://{facts[name]})"
        if name == "effective":
            return effective
        return facts[name]

    lines = []
    for line in text.split("\n"):
        if line.startswith("#"):
            line = ATTRIBUTES.sub("", line)
        lines.append(FACT.sub(value, line))
    # under the title: the date of the last commit, as the git-date plugin writes it
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[title + 1 : title + 1] = ["", "*{{ git_revision_date_localized }}*"]
    return "\n".join(lines)


def config(pdf: bool) -> str:
    languages = "".join(
        f"        - locale: {code}\n"
        f"          name: {name}\n"
        f"          build: true\n" + ("          default: true\n" if code == "nl" else "")
        for code, name, _ in LANGUAGES
    )
    text = (
        "site_name: Privacy statement\n"
        "theme:\n  name: mkdocs\n  locale: nl\n"
        "plugins:\n"
        "  - i18n:\n      docs_structure: suffix\n      languages:\n"
        + languages
        + "  - git-revision-date-localized:\n      type: date\n"
    )
    if pdf:
        text += "  - to-pdf:\n      cover: false\n      output_path: pdf/privacy-statement.pdf\n"
    return text


def make_peer(source: Path, folder: Path) -> Path:
    """The mkdocs project for the statement in source (a statement/ folder), as a git repository."""
    settings = tomllib.loads((source / "statement.toml").read_text(encoding="utf-8"))
    read = read_settings(source / "statement.toml")  # the facts as each language reads them
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for code, _, locale in LANGUAGES:
        effective = format_date(settings["effective"], format="long", locale=locale)
        text = (source / f"{code}.md").read_text(encoding="utf-8")
        facts = read.facts_in(code)
        (docs / f"index.{code}.md").write_text(plain_markdown(text, facts, effective), "utf-8")
    (folder / "mkdocs.yml").write_text(config(pdf=False), encoding="utf-8")
    (folder / "mkdocs-pdf.yml").write_text(config(pdf=True), encoding="utf-8")
    (folder / ".gitignore").write_text("/site*/\n", encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    when = "2021-02-23T12:00:00+01:00"
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(folder, "commit", "-q", "-m", "The statement of 23 February 2021", env=dates)
    return folder
