"""The built-in templates and page words, and a project's own that replace them.

An installed tool carries templates/ and locales/ inside the package (pyproject.toml maps them
there when the wheel is built); a checkout of this project keeps them at its root. A statement's
project folder needs only statement/: a templates/ or locales/ folder beside it is optional. A
file there replaces the built-in one of the same name; a catalog there adds or replaces messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = "templates"
LOCALES = "locales"


def builtin(name: str) -> Path:
    """The built-in folder: inside the installed package, or at the root of a checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def folders(root: Path, name: str) -> tuple[Path, ...]:
    """Where to look for a file of `name` (templates or locales): the project's own folder
    first, whether it has one or not (messages name where to add a file), then the built-in."""
    own, default = root / name, builtin(name)
    if own.is_dir() and own.resolve() == default.resolve():
        return (own,)
    return (own, default)


def as_folders(folders: Path | Sequence[Path]) -> tuple[Path, ...]:
    """One folder, or several searched in order, as a tuple."""
    return (folders,) if isinstance(folders, Path) else tuple(folders)


def files(folders: Path | Sequence[Path], pattern: str) -> dict[str, Path]:
    """Every file matching the pattern, by its path relative to its folder: the first folder's
    where several have one of that name."""
    found: dict[str, Path] = {}
    for folder in reversed(as_folders(folders)):
        found |= {path.relative_to(folder).as_posix(): path for path in folder.glob(pattern)}
    return dict(sorted(found.items()))
