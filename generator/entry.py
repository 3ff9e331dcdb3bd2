"""The `statement` command's entry: a plain `statement build` runs here, without click (a
rebuild with nothing to do answers before anything else is loaded, a cold build is spared
click's import); every other command line goes to cli.py, which defines the commands.

Only a `statement build` whose every argument is one of build's own options, written plainly, is
taken here; anything else (another command, --help, an option this does not know, a value it
does not take as cli.py would) goes to click, so that nothing here can differ from cli.py but
in speed: a command line taken here builds what cli.py would (building.py runs both), or is not
taken.
"""

from __future__ import annotations

import datetime
import gc
import os
import sys
from pathlib import Path

from . import building, fingerprint

VALUES = ("--root", "--out", "--cache", "--today", "--reuse")
FLAGS = ("--release", "--allow-shallow", "--no-pdf")


def main() -> None:
    request = _request(sys.argv[1:])
    if request is None:
        from .cli import main as commands

        commands(prog_name="statement")
    else:
        try:
            building.build_command(*request)
        except BrokenPipeError:  # the output's reader is gone (`| head`): exit 1, as click does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own advice
            sys.exit(1)
        except KeyboardInterrupt:  # Ctrl+C: said as click says it (the line ends the ^C echoed)
            print("\nAborted!", file=sys.stderr)
            sys.exit(1)
        finally:
            # What the build made is not needed once it is done: frozen, it is left to the
            # system to take back, not collected by the interpreter on its way out (Python's
            # own gc.freeze), which spares a cold build a tenth of its time.
            gc.freeze()


def _request(args: list[str]) -> tuple[Path, Path, Path, dict] | None:
    """What cli.py's build command would build for the command line `build …`, as its
    (root, out, cache, options); None for anything else, or anything cli.py would refuse."""
    given = _build_options(args)
    if given is None or not all(map(_folder_or_nothing, _paths(given))):
        return None
    try:  # as click reads it: click.DateTime(formats=["%Y-%m-%d"])
        today = given.get("--today") and datetime.datetime.strptime(given["--today"], "%Y-%m-%d")
    except ValueError:
        return None
    reuse = given.get("--reuse")
    if ("--release" in given and "--no-pdf" in given) or (
        reuse and "://" in reuse and not reuse.startswith("https://")
    ):
        return None  # cli.py says what is wrong
    root = Path(_root(given)).resolve()
    out = Path(given["--out"]) if given.get("--out") else root / "site"
    cache = Path(given["--cache"]) if given.get("--cache") else root / fingerprint.CACHE
    options = {
        "release": "--release" in given,
        "allow_shallow": "--allow-shallow" in given,
        "pdfs": "--no-pdf" not in given,
        "today": today.date() if today else None,
        "reuse": reuse,
    }
    return root, out, cache, options


def _root(given: dict[str, str]) -> str:
    return given.get("--root") or os.environ.get("STATEMENT_ROOT") or "."


def _paths(given: dict[str, str]) -> list[str]:
    return [_root(given), *(given[name] for name in ("--out", "--cache") if name in given)]


def _folder_or_nothing(path: str) -> bool:
    """What click.Path(file_okay=False) takes without a word: nothing there yet, or a folder
    that can be read (anything else, click refuses in its own words)."""
    return not os.path.lexists(path) or (os.path.isdir(path) and os.access(path, os.R_OK))


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
