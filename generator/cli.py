"""The command line. The one place where a StatementError becomes a message and exit status 1
(with building.py, which says build's, for this and for entry.py)."""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import building, command, fingerprint
from .errors import StatementError, flatten

if TYPE_CHECKING:
    from .release import Released

# Each command imports the stages it runs when it runs (python -X importtime): a rebuild with
# no change must answer before Jinja2, markdown-it or WeasyPrint is even loaded.


@click.group()
def main() -> None:
    """Publish the privacy statement kept under statement/ as a static site."""
    command.use(command.typed_as(sys.argv[0], os.environ))  # the name every hint suggests


TODAY = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to build for, YYYY-MM-DD: which version is in force and which is upcoming "
    "[default: SOURCE_DATE_EPOCH if set, else the clock, in the statement's time zone].",
)


def _day(today) -> date | None:
    return today.date() if today else None


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="STATEMENT_ROOT",  # set by bin/statement: its project, from whatever folder it is run
    help="The project folder (holds statement/, templates/, locales/).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site [default: ROOT/site].",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where rebuilds keep what they may reuse [default: ROOT/.cache].",
)
@click.option(
    "--release", is_flag=True, help="Refuse to build while statement/ has uncommitted changes."
)
@click.option(
    "--allow-shallow",
    is_flag=True,
    help="Build from a shallow clone, with the older versions missing.",
)
@click.option(
    "--no-pdf",
    is_flag=True,
    help="Leave the PDFs and the links to them out: a quicker look, not a site to publish.",
)
@click.option(
    "--reuse",
    metavar="SITE",
    default=None,
    help="The site published before (a folder, or its https:// address): take its PDFs where "
    "nothing they are made from changed, checked against the hashes its statement.json lists.",
)
@TODAY
def build(
    root: Path,
    out: Path | None,
    cache: Path | None,
    release: bool,
    allow_shallow: bool,
    no_pdf: bool,
    reuse: str | None,
    today,
) -> None:
    """Build the site: every version in every language, changelog, feeds and PDFs."""
    root = root.resolve()
    out = out or root / "site"
    if release and no_pdf:
        raise click.UsageError("a release is built with its PDFs: leave out --no-pdf")
    if reuse and "://" in reuse and not reuse.startswith("https://"):
        raise click.UsageError("--reuse takes a folder or an https:// address")
    options = {
        "release": release,
        "allow_shallow": allow_shallow,
        "pdfs": not no_pdf,
        "today": _day(today),
        "reuse": reuse,
    }
    building.build_command(root, out, cache or root / fingerprint.CACHE, options)


ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="STATEMENT_ROOT",  # set by bin/statement: its project, from whatever folder it is run
    help="The project folder (holds statement/, templates/, locales/).",
)
CACHE = click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where rebuilds keep what they may reuse [default: ROOT/.cache].",
)


@main.command()
@ROOT
@CACHE
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text for people; json for CI: the findings and every disclosure, with evidence.",
)
@click.option(
    "--verbose", is_flag=True, help="Add how to fix each finding, and every disclosure's evidence."
)
@click.option(
    "--suggest",
    is_flag=True,
    help="List the heading classes each section's words support and its heading does not declare.",
)
@click.option(
    "--write", is_flag=True, help="With --suggest: add them to the headings, in every language."
)
@TODAY
def check(
    root: Path,
    cache: Path | None,
    output: str,
    verbose: bool,
    suggest: bool,
    write: bool,
    today,
) -> None:
    """Check the statement without writing a site: everything the build refuses, the GDPR's
    required disclosures (declared by a heading or found in the words), stale translations,
    undated changes and unused facts."""
    root = root.resolve()
    if write and not suggest:
        raise click.UsageError("--write adds the suggested classes: use it with --suggest")
    if suggest:
        _suggest(root, write, output)
        return
    from .check import as_json, as_text, examine

    report = examine(root, cache, _day(today)).report
    click.echo(
        as_json(report, root) if output == "json" else building.safe(as_text(report, root, verbose))
    )
    sys.exit(1 if report.to_fix else 0)


def _suggest(root: Path, write: bool, output: str) -> None:
    from .files import SourceFiles
    from .release import working_statement
    from .suggest import suggestion_lines, suggestions, suggestions_json, write_suggestions

    try:
        statement = working_statement(SourceFiles(root / "statement"))
        found = suggestions(statement)
    except* StatementError as group:
        _stop(flatten(group), root, "No suggestions")
    if output == "json":
        click.echo(suggestions_json(statement, found, root))
    else:
        click.echo(building.safe("\n".join(suggestion_lines(statement, found, root))))
    aside = output == "json"  # the JSON alone on stdout, for a script to read
    if write and found:
        changed = write_suggestions(statement, found)
        shown = " and ".join(str(path.relative_to(root)) for path in changed)
        said = f"Added {len(found)} class(es) to the headings in {shown}; nothing else changed."
        click.echo(said, err=aside)
    elif found and not aside:
        click.echo(
            f"{command.to_type('check --suggest --write')} adds them to the headings in every "
            "language."
        )


@main.command(name="release")
@ROOT
@click.option(
    "--date",
    "day",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The new version's effective date, YYYY-MM-DD: after the current version's.",
)
@click.option(
    "--far-ahead",
    is_flag=True,
    help="Confirm a date more than a year ahead (else refused as a likely mistyped year).",
)
@TODAY
def release_command(root: Path, day, far_ahead: bool, today) -> None:
    """Prepare the next version: set its date, reset [summary] to be written, and list what
    changed in each language since the last version."""
    from .release import release

    root = root.resolve()
    try:
        released = release(root, day.date(), _day(today), far_ahead)
    except* StatementError as group:
        _stop(flatten(group), root, "Nothing was changed")
    click.echo(
        f"statement/statement.toml: effective = {released.day.isoformat()}; [summary] reset."
    )
    if released.previous is None:
        click.echo("There is no committed version before it to compare with.")
    else:
        click.echo(f"What changed since the version of {released.previous.isoformat()}:")
        for changed in released.changed:
            click.echo(
                f"  [{changed.lang}] #{changed.section_id} ({changed.kind}): {changed.heading}"
            )
        if not released.changed:
            click.echo("  nothing yet: no section says anything new.")
    click.echo(
        "Now write in [summary] what changed, in every language, in place of each "
        '"FILL IN: …"; the build refuses the version until you have.'
    )
    if released.day < released.today:
        _warn_backdated(released)


def _warn_backdated(released: Released) -> None:
    from .timeline import BACKDATED

    day, today = released.day.isoformat(), released.today.isoformat()
    click.echo(
        f"Note: {day} is before today, {today}: the version would apply before anyone could "
        "read it. The build refuses such a version unless its commit says why, in a trailer "
        f"line at the end of the commit message: '{BACKDATED}: <reason>'. Otherwise choose a "
        f"date from {today} on.",
        err=True,
    )


@main.command(name="commit")
@ROOT
@click.option(
    "--editorial",
    "reason",
    metavar="REASON",
    help='A change of words, not of meaning: the date stays. REASON says why: "typo".',
)
@click.option(
    "--version",
    "new_version",
    is_flag=True,
    help="A new version: statement.toml has its new date and [summary].",
)
@click.option("-m", "--message", help="The commit's first line [default: said for you].")  # fmt: skip
@click.option(
    "--backdated",
    metavar="REASON",
    help="With --version: why the new version applies from a day before today.",
)
@click.option(
    "--far-ahead",
    is_flag=True,
    help="With --version: confirm a date more than a year ahead (most often a mistyped year).",
)
@click.option(
    "--withdraw",
    metavar="REASON",
    help="Withdraw the announced versions dated after statement.toml's date, before they take effect.",
)
def commit_command(
    root: Path,
    reason: str | None,
    new_version: bool,
    message: str | None,
    backdated: str | None,
    far_ahead: bool,
    withdraw: str | None,
) -> None:
    """Commit statement/ as a typo fix (--editorial "typo"), as a new version (--version), or
    as the withdrawal of an announced one (--withdraw "reason"), with the message the build
    expects; only statement/ is committed."""
    if [reason is not None, new_version, withdraw is not None].count(True) != 1:
        raise click.UsageError(
            'say which: --editorial "REASON" (the date stays) or --version'
            ' (or --withdraw "REASON" for an announced version)'
        )
    if backdated is not None and not new_version:
        raise click.UsageError("--backdated goes with --version: only a new version has a date")
    root = root.resolve()
    try:
        from .commit import commit as commit_statement

        done = commit_statement(root, reason, message, backdated, far_ahead, withdraw)
    except* StatementError as group:
        _stop(flatten(group), root, "Nothing was committed")
    click.echo(f"Committed {done.short}: {done.subject}")
    for trailer in done.trailer.split("\n") if done.trailer else ():
        click.echo(f"  with the trailer '{trailer}'")
    kind = "the date stays" if reason is not None else "a new version, in force from"
    kind = "withdrawn; the date is back at" if withdraw is not None else kind
    click.echo(f"  {kind} {done.day.isoformat()}.")


@main.command()
@ROOT
@click.argument("from_version", metavar="[FROM]", required=False)
@click.argument("to_version", metavar="[TO]", required=False)
def diff(root: Path, from_version: str | None, to_version: str | None) -> None:
    """Print what changed between two versions, named by their dates (YYYY-MM-DD). Without
    them: from the last version to the text being edited; with FROM only: to that text."""
    from .files import SourceFiles
    from .release import diff_lines, differences, version_named, working_statement

    root = root.resolve()
    try:
        before = version_named(root, from_version) or _last(root)
        after = version_named(root, to_version)
        statement = after.statement if after else working_statement(SourceFiles(root / "statement"))
    except* StatementError as group:
        _stop(flatten(group), root, "Nothing to compare")
    target = f"the version of {after.date.isoformat()}" if after else "the text being edited"
    click.echo(f"Changes from the version of {before.date.isoformat()} to {target}:")
    changes = differences(before.statement, statement)
    for changed in changes:
        click.echo("")
        for line in diff_lines(changed):
            click.echo(_coloured(line))
    if not changes:
        click.echo("none: every section says the same.")


@main.command()
@ROOT
@CACHE
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="The port of the preview on 127.0.0.1 (the next free one if taken).")  # fmt: skip
@TODAY
def serve(root: Path, cache: Path | None, port: int, today) -> None:
    """Preview the site at http://127.0.0.1:8000/ while you edit: it rebuilds on every save,
    reloads the page, and shows the check's findings at the top. Ctrl+C stops it."""
    from .serve import serve as serve_preview

    root = root.resolve()
    try:
        serve_preview(root, port, cache, _echo_safely, _day(today))
    except* StatementError as group:
        _stop(flatten(group), root, "No preview")


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", "lang", required=True, help="The code of the text's language: nl, en …")
@ROOT
@click.option(
    "--base-url",
    default=None,
    help="Where the text was published: its relative links are made absolute with it.",
)
@click.option("--force", is_flag=True, help="Replace statement/<language>.md if it exists.")  # fmt: skip
def import_command(file: Path, lang: str, root: Path, base_url: str | None, force: bool) -> None:
    """Write statement/<language>.md from an existing statement: Markdown, a saved web page
    (.html) or a Word file (.docx). It says what it changed, and lists what is left to fix."""
    from .importer import import_statement

    root = root.resolve()
    try:
        imported = import_statement(file, lang, root, base_url, force)
    except* StatementError as group:
        _stop(flatten(group), root, "Nothing was written")
    click.echo(f"Wrote {imported.path.relative_to(root)}:")
    for change in imported.changes:
        click.echo(f"  {change}")
    if imported.problems:
        _stop(list(imported.problems), root, "The file was written")
    click.echo(f"It builds as it is: read it through, then run {command.to_type('check')}.")


@main.command(name="init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--language",
    "languages",
    multiple=True,
    required=True,
    help="A language of the statement, by its code: give it once per language; the first "
    "legally prevails.",
)
@click.option("--publisher", default=None, help="The organisation's name, as the page shows it.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The first version's effective date, YYYY-MM-DD [default: today].",
)
@click.option(
    "--tool",
    default=None,
    help="What the CI files install with pip: a package, a wheel's address, git+https://… "
    "[default: this version of the tool, privacy-statement==…].",
)
def init_command(folder: Path, languages: tuple[str, ...], publisher, day, tool) -> None:
    """Start a new statement in FOLDER: the sections a GDPR statement needs, marked FILL IN
    where your words are needed, statement.toml, .gitignore and the CI files that publish it."""
    from importlib.metadata import version

    from .init import init

    day = day.date() if day else date.today()
    tool = tool or f"privacy-statement=={version('privacy-statement')}"
    try:
        written, notes = init(folder, list(languages), publisher, day, tool)
    except* StatementError as group:
        _stop(flatten(group), folder.resolve(), "Nothing was written")
    for path in written:
        click.echo(f"wrote {folder / path}")
    for note in notes:
        click.echo(note)
    click.echo(
        f"Next: replace every FILL IN ({command.to_type(f'check --root {folder}')} lists them), "
        f"then {command.to_type(f'build --root {folder}')}; commit the folder to git to keep its "
        "versions."
    )


def _last(root: Path):
    from .release import last_version

    last = last_version(root)
    if last is None:
        hint = "commit the statement first: diff compares with the versions in git"
        raise StatementError(root / "statement", None, "there is no committed version yet", hint)
    return last


def _coloured(line: str) -> str:
    """Deleted words red, inserted green, in a terminal; the [- -] and {+ +} marks stay for
    anyone reading without colour."""
    line = re.sub(r"\[-.*?-\]", lambda m: click.style(m.group(0), fg="red"), line)
    return re.sub(r"\{\+.*?\+\}", lambda m: click.style(m.group(0), fg="green"), line)


def _stop(errors: list[StatementError], root: Path, outcome: str) -> None:
    building.report(errors, root, outcome)
    sys.exit(1)


def _echo_safely(text: str = "", **options) -> None:
    click.echo(building.safe(text), **options)
