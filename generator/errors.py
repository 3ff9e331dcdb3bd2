"""The one error type: a problem in the statement's source, with where it is and how to fix it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


class StatementError(Exception):
    """A problem an editor can fix: the file, the line (when known), what is wrong, what to do.
    `kind` says what sort of problem it is (check sorts and explains by it: "text", "settings",
    "history", …); the stage that finds it gives it, when the place that raises it does not.
    `about` is the section, link or fact it concerns, where there is one."""

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        message: str,
        hint: str,
        *,
        kind: str | None = None,
        about: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message
        self.hint = hint
        self.kind = kind
        self.about = about

    def where(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None and path.is_relative_to(root):
            path = path.relative_to(root)
        return f"{path}:{self.line}" if self.line else str(path)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message} — fix: {self.hint}"


def tagged(kind: str, errors: list[StatementError]) -> list[StatementError]:
    """The errors, each without a kind given this one: the stage that found them."""
    for error in errors:
        error.kind = error.kind or kind
    return errors


def stage(kind: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """A stage of the pipeline: the problems it raises are of this kind, unless they say."""

    def decorate(step: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(step)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return step(*args, **kwargs)
            except* StatementError as group:
                tagged(kind, flatten(group))
                raise

        return run

    return decorate


def raise_all(errors: Iterable[StatementError]) -> None:
    """Raise every problem at once, so that an editor fixes them all in one go."""
    errors = list(errors)
    if errors:
        raise ExceptionGroup(f"{len(errors)} problem(s) in the statement", errors)


def attempt(step: Callable[[], T]) -> tuple[T | None, list[StatementError]]:
    """Run a step; return its result, or the problems it found (any other error propagates)."""
    errors: list[StatementError] = []
    try:
        return step(), errors
    except* StatementError as group:
        errors.extend(flatten(group))
    return None, errors


def gather(*steps: Callable[[], T]) -> list[T]:
    """Run independent steps, all of them, then raise every problem any of them found."""
    attempts = [attempt(step) for step in steps]
    raise_all(error for _, errors in attempts for error in errors)
    return [result for result, _ in attempts]


def flatten(error: BaseException) -> list[StatementError]:
    """The StatementErrors inside an error, however deeply grouped."""
    if isinstance(error, BaseExceptionGroup):
        return [inner for group in error.exceptions for inner in flatten(group)]
    return [error] if isinstance(error, StatementError) else []


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of a character offset in a text."""
    return text.count("\n", 0, offset) + 1
