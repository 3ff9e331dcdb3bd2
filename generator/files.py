"""Reading an editor's text files: UTF-8, with or without a byte-order mark, any line ends."""

from __future__ import annotations

from pathlib import Path

from .errors import StatementError, line_of


def read_text(path: Path, what: str) -> str:
    """The file's text with LF line ends; a missing or non-UTF-8 file is a StatementError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StatementError(path, None, f"{what} is missing", f"create {path.name}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = line_of(data.decode("utf-8", "replace"), error.start)
        raise StatementError(
            path,
            line,
            "this file is not UTF-8 text",
            "save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
