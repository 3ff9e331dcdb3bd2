"""The `statement` command's entry: a rebuild with nothing to do is answered here, before click
(and all else) is loaded; every other command line goes to cli.py, which defines the commands.

Only a `statement build` whose every argument is one of build's own options, written plainly, is
looked at here; anything else (another command, --help, an option this does not know, a value
it does not take as cli.py would) goes to click, so that nothing here can differ from cli.py but
in speed: a command line read here builds the same options cli.py would, or is not answered.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

from . import fingerprint

VALUES = ("--root", "--out", "--cache", "--today", "--reuse")
FLAGS = ("--release", "--allow-shallow", "--no-pdf")


def main() -> None:
    said = _unchanged(sys.argv[1:])
    if said:
        print("\n".join(said))
        return
    from .cli import main as commands

    commands(prog_name="statement")


def _unchanged(args: list[str]) -> list[str]:
    """What an unchanged rebuild says, for the command line `build …`; else nothing."""
    given = _build_options(args)
    if given is None:
        return []
    try:
        today = given.get("--today") and datetime.date.fromisoformat(given["--today"])
    except ValueError:
        return []
    reuse = given.get("--reuse")
    if ("--release" in given and "--no-pdf" in given) or (
        reuse and "://" in reuse and not reuse.startswith("https://")
    ):
        return []  # cli.py says what is wrong
    root = Path(given.get("--root") or os.environ.get("STATEMENT_ROOT") or ".").resolve()
    out = Path(given["--out"]) if given.get("--out") else root / "site"
    cache = Path(given["--cache"]) if given.get("--cache") else root / fingerprint.CACHE
    options = {
        "release": "--release" in given,
        "allow_shallow": "--allow-shallow" in given,
        "pdfs": "--no-pdf" not in given,
        "today": today or None,
        "reuse": reuse,
    }
    return fingerprint.said_unchanged(root, out, cache, options)[1]


def _build_options(args: list[str]) -> dict[str, str] | None:
    """`build`'s options as written, or None for anything not plainly build's."""
    if not args or args[0] != "build":
        return None
    given, rest = {}, list(args[1:])
    while rest:
        name, _, value = rest.pop(0).partition("=")
        if name in FLAGS and not value:
            given[name] = ""
        elif name in VALUES:
            value = value or (rest.pop(0) if rest else "")
            if not value or value.startswith("-"):
                return None
            given[name] = value
        else:
            return None
    return given
