"""The command line. The one place where a StatementError becomes a message and exit status 1."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .build import build as build_site
from .check import as_json, as_text, examine
from .errors import StatementError, flatten


@click.group()
def main() -> None:
    """Publish the privacy statement kept under statement/ as a static site."""


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
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
def build(
    root: Path, out: Path | None, cache: Path | None, release: bool, allow_shallow: bool
) -> None:
    """Build the site: every version in every language, changelog and feeds."""
    root = root.resolve()
    out = out or root / "site"
    try:
        site = build_site(root, out, cache=cache, release=release, allow_shallow=allow_shallow)
    except* StatementError as group:
        _report(flatten(group), root)
        sys.exit(1)
    for note in site.notes:
        click.echo(note)
    click.echo(f"Built {len(site.files)} files into {_shown(out, root)}")


ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
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
    help="text for people; json for CI, a list of findings.",
)
def check(root: Path, cache: Path | None, output: str) -> None:
    """Check the statement without writing a site: everything the build refuses, the GDPR's
    required disclosures, stale translations, undated changes and unused facts."""
    root = root.resolve()
    report = examine(root, cache).report
    click.echo(as_json(report, root) if output == "json" else as_text(report, root))
    sys.exit(1 if report.to_fix else 0)


def _report(errors: list[StatementError], root: Path) -> None:
    unique = {(str(e.path), e.line or 0, e.message): e for e in errors}
    errors = [unique[key] for key in sorted(unique)]
    for error in errors:
        click.echo(f"{error.where(root)}: {error.message}\n    fix: {error.hint}", err=True)
    click.echo(f"The site was not changed: {len(errors)} problem(s) to fix.", err=True)


def _shown(path: Path, root: Path) -> str:
    path = path.resolve()
    return f"{path.relative_to(root)}/" if path.is_relative_to(root) else f"{path}/"
