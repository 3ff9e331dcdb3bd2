"""Reading an editor's text files: UTF-8, with or without a byte-order mark, any line ends.

The files of statement/ come from the working tree or, for an earlier version, from a commit;
SourceFiles hides which, so that the readers read both the same way.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import StatementError, line_of

# The largest file of statement/ read: ten times the longest statement any company publishes,
# and refused before it is read, so that a file put there by mistake cannot fill the memory.
MAX_FILE_BYTES = 10_000_000


@dataclass(frozen=True)
class SourceFiles:
    """statement/ as one revision has it: `blobs` from a commit, or None for the working tree."""

    folder: Path
    blobs: Mapping[str, bytes] | None = field(default=None, compare=False)
    commit: str | None = None  # the short hash, named in messages

    def path(self, name: str) -> Path:
        """Where an editor finds the file; a commit's files are named with the commit."""
        return _named(self.folder, name, self.commit)

    def text(self, name: str, what: str) -> str:
        return decode(self._bytes(name, what), self.path(name))

    def data(self, name: str, what: str) -> bytes:
        """The file's bytes, as text() reads them: not read at all if too large."""
        return self._bytes(name, what)

    def digest(self, name: str, data: bytes) -> bytes:
        """A name for the file's bytes: a commit's blob id, which git has worked out already,
        or their SHA-256."""
        blob = getattr(self.blobs, "ids", {}).get(name)
        return blob.encode() if blob else hashlib.sha256(data).digest()

    def exists(self, name: str) -> bool:
        return name in self.blobs if self.blobs is not None else (self.folder / name).is_file()

    def _bytes(self, name: str, what: str) -> bytes:
        try:
            if self.blobs is not None:
                blob = self.blobs[name]
                return _limited(blob, getattr(blob, "size", len(blob)), self, name)
            with (self.folder / name).open("rb") as file:
                return _limited(file, os.fstat(file.fileno()).st_size, self, name)
        except (FileNotFoundError, KeyError):
            raise StatementError(
                self.path(name), None, f"{what} is missing", f"create {name}"
            ) from None
        except IsADirectoryError:
            hint = f"{name} must be a text file: move the folder away and put the text there"
            raise StatementError(self.path(name), None, f"{what} is a folder", hint) from None


@functools.lru_cache(maxsize=1 << 14)  # a long history names each of its files many times
def _named(folder: Path, name: str, commit: str | None) -> Path:
    return folder / (f"{name} (commit {commit})" if commit else name)


class Unread(bytes):
    """A committed file too large to read: its size only, so that it is refused like one in the
    working tree if a reader asks for it (the history holds every file of statement/)."""

    size: int

    @classmethod
    def of(cls, size: int) -> Unread:
        unread = cls()
        unread.size = size
        return unread


def _limited(data: bytes | BinaryIO, size: int, source: SourceFiles, name: str) -> bytes:
    """The bytes of a file (or the file's bytes, read only now), if it is not too large to read."""
    if size > MAX_FILE_BYTES:
        path = source.path(name)
        message = f"this file is too large to read: {size:,} bytes, more than {MAX_FILE_BYTES:,}"
        hint = "a statement's text is far smaller: check that this is the file you meant"
        raise StatementError(path, None, message, hint)
    return data if isinstance(data, bytes) else data.read()


def read_text(path: Path, what: str) -> str:
    """The file's text with LF line ends; a missing or non-UTF-8 file is a StatementError."""
    return SourceFiles(path.parent).text(path.name, what)


# Control characters other than tab and line ends, and the two non-characters XML forbids: no
# page, feed or PDF can show them, and a feed that holds one is not XML at all.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


# The bytes that can be UTF-8 for no unprintable character: all but the ASCII controls.
PRINTABLE_BYTES = bytes(sorted(set(range(0x20, 0x7F)) | set(range(0x80, 0x100)) | {9, 10, 13}))
C1 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080-009F: a literal first byte makes the search fast


def may_be_unprintable(data: bytes) -> bool:
    """False when the bytes hold no unprintable character, found in C at a few bytes a
    nanosecond: searching the decoded text was a tenth of the time a long history takes to read."""
    if data.translate(None, PRINTABLE_BYTES):
        return True
    return b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data or bool(C1.search(data))


def unprintable(text: str) -> str | None:
    """The first character of text that cannot be published, as U+XXXX; None if there is none."""
    found = UNPRINTABLE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def decode(data: bytes, path: Path) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # error.start counts bytes of error.object (the data after any byte-order mark)
        before = error.object[: error.start].decode("utf-8")
        before = before.replace("\r\n", "\n").replace("\r", "\n")
        line = line_of(before, len(before))
        hint = "save it as UTF-8 (in most editors: Save As, encoding UTF-8)"
        raise StatementError(path, line, "this file is not UTF-8 text", hint) from None
    if "\r" in text:  # most texts have no CR: two copies of each saved (a long history has many)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if may_be_unprintable(data) and (found := UNPRINTABLE.search(text)):
        hint = "delete it: it is invisible in most editors (it often comes with a copy and paste)"
        message = f"this file holds the unprintable character U+{ord(found.group()):04X}"
        raise StatementError(path, line_of(text, found.start()), message, hint)
    return text
