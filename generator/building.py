"""`statement build` from its options to what it says, without click: a rebuild with no change
is answered from the fingerprint, else the site is built, its notes said, and its fingerprint
recorded for the next rebuild. entry.py runs this for a plain command line before click is
loaded (click alone costs a cold build more than a tenth of its time); cli.py's build command
runs it for every other, so that the two say the same."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from . import fingerprint

TYPE_CHECKING = False  # typing's, without importing typing: a no-change answer takes milliseconds
if TYPE_CHECKING:
    from .errors import StatementError


def build_command(root: Path, out: Path, cache: Path, options: dict) -> None:
    """Build root into out (or find it built) and say what was done; exit 1 on problems."""
    inputs, said = fingerprint.said_unchanged(root, out, cache, options)
    if said:
        print("\n".join(said))
        return
    # Loaded only when there is something to build: the renderer, and the name the build's
    # hints suggest typing (shutil finds it on the PATH), decided as cli.py decides it.
    from . import command
    from .build import build
    from .errors import StatementError, flatten

    command.use(command.typed_as(sys.argv[0], os.environ))

    try:
        site = build(root, out, cache=cache, **options)
    except* StatementError as group:
        report(flatten(group), root, "The site was not changed")
        sys.exit(1)
    print(*site.notes, f"Built {len(site.files)} files into {shown(out, root)}", sep="\n")
    hashes = ((path, fingerprint.hash_of(data)) for path, data in site.files)
    lasting = (note for note in site.notes if not note.startswith("PDFs:"))  # true next time too
    fingerprint.record(inputs, out, cache, hashes, lasting)


def report(errors: list[StatementError], root: Path, outcome: str) -> None:
    """Every problem once, in the order of file and line, then what came of them."""
    unique = {(str(e.path), e.line or 0, e.message): e for e in errors}
    for key in sorted(unique):
        error = unique[key]
        print(safe(f"{where(error, root)}{error.message}\n    fix: {error.hint}"), file=sys.stderr)
    print(f"{outcome}: {len(unique)} problem(s) to fix.", file=sys.stderr, flush=True)


# Control characters but tab and line end: an escape sequence in an editor's text (a reason in
# [accepted_gaps], a quoted TOML key) would clear the terminal, hide text or retitle the window.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text as the terminal may show it: each control character written as its code, \\x1b."""
    return CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def where(error: StatementError, root: Path) -> str:
    place = error.where(root)  # the project itself, for a problem of no one file: said by none
    return "" if place == "." else f"{place}: "


def shown(path: Path, root: Path) -> str:
    path = path.resolve()
    return f"{path.relative_to(root)}/" if path.is_relative_to(root) else f"{path}/"
