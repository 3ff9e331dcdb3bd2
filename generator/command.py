"""The statement command as the editor typed it, for the messages that say what to type next.

A project that keeps the launcher in git types `bin/statement check` (or `../bin/statement` in
statement/); an organisation that pip-installed the tool types `statement check`; a developer may
type `python -m generator`. A hint that names another command than the one that works is a hint
to be puzzled by. cli.py decides the name once, before any command runs, from how the program
was started; the stages that write hints only ask for it, through `to_type`.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path

LAUNCHER = "STATEMENT_COMMAND"  # bin/statement sets it to itself as typed: its "$0"
INSTALLED = "statement"  # the name pip installs on the PATH, and said when nothing else is known

_name = INSTALLED


def to_type(words: str) -> str:
    """The command line to suggest: to_type("check --verbose") is "bin/statement check
    --verbose" for an editor who ran bin/statement."""
    return f"{_name} {words}"


def use(name: str) -> None:
    """Name the command thus in every hint from now on (cli.py calls it once per run)."""
    global _name
    _name = name


def typed_as(program: str, environ: Mapping[str, str]) -> str:
    """The command the editor typed, from the program's path (sys.argv[0]) and the environment:
    `statement` where that name on the PATH finds the program (pip installed it there); the
    path as typed where it does not (bin/statement, .venv/bin/statement); the module for
    `python -m generator`. The launcher bin/statement is the program when it says so."""
    program = environ.get(LAUNCHER, "").strip() or program
    path = Path(program)
    if path.name == "__main__.py" and path.parent.name == "generator":
        return "python -m generator"
    if path.name != INSTALLED:
        return INSTALLED  # run from within Python (tests, another tool): the installed name
    on_path = shutil.which(INSTALLED, path=environ.get("PATH", ""))
    if on_path and Path(on_path).resolve() == path.resolve():
        return INSTALLED
    return shlex.quote(program)
