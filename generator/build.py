"""The pipeline: settings -> statement -> versions -> pages -> site, written all at once."""

from __future__ import annotations

from pathlib import Path

from .config import read_settings
from .errors import gather
from .i18n import load_catalogs
from .model import Site, Version
from .plan import plan_pages
from .render import render_index, render_pages
from .site import write_site
from .source import read_statement


def build(root: Path, out: Path) -> Site:
    """Build the site from the project at root and write it to out; raise every problem found."""
    site = make_site(root)
    write_site(site, out)
    return site


def make_site(root: Path) -> Site:
    settings = read_settings(root / "statement" / "statement.toml")
    statement, catalogs = gather(
        lambda: read_statement(root / "statement", settings),
        lambda: load_catalogs(root / "locales", root / "templates", settings.languages),
    )
    versions = (Version(settings.effective, statement),)
    pages = plan_pages(settings, versions)
    files = render_pages(root / "templates", catalogs, pages)
    files["statement.json"] = render_index(settings, versions, pages)
    return Site(tuple(sorted(files.items())))
