"""Synthetic statement histories for the benchmark, written with one `git fast-import`.

The repository's first commit is the EMS project (statement/, templates/, locales/) as it is in the
working tree. Every commit after it touches statement/: every 10th sets a new effective date with a
new [summary] in both languages, the 9 in between are editorial (the `Editorial:` trailer) and
change one word in one section, in both languages. The words follow a k-ary Gray code over the
sections, so that each commit changes exactly one section and no two commits have the same text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("statement", "templates", "locales")
VERSION_EVERY = 10
IDENTITY = "Legal Editor <legal@example.nl>"
START = 1_609_459_200  # 2021-01-01T00:00:00Z: commit times are fixed, so every run is the same
FIRST_DAY = dt.date(2021, 2, 23)
# The words a section's chosen word is swapped for (variant 0 is the original word).
VARIANTS = {"nl": ("voorts", "tevens", "mede"), "en": ("further", "also", "likewise")}
K = 1 + len(VARIANTS["nl"])
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Legal Editor",
    "GIT_AUTHOR_EMAIL": "legal@example.nl",
    "GIT_COMMITTER_NAME": "Legal Editor",
    "GIT_COMMITTER_EMAIL": "legal@example.nl",
}
WORD = re.compile(r"(?<![\w{(/.@:\-\\*\[])([a-z]{5,})(?![\w}:/.@\-\]*])")


def git(root: Path, *args: str, stdin: bytes | None = None, env: dict | None = None) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV, **(env or {})},
        input=stdin,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def gray(n: int, digits: int) -> list[int]:
    """The modular k-ary Gray code of n: consecutive n differ in exactly one digit."""
    d = []
    for _ in range(digits + 1):
        d.append(n % K)
        n //= K
    return [(d[i] - d[i + 1]) % K for i in range(digits)]


class Text:
    """One language's Markdown, with one swappable word per section."""

    def __init__(self, text: str, lang: str) -> None:
        self.lang = lang
        self.lines = text.split("\n")
        self.spots: list[tuple[int, int, int, str]] = []  # (line, start, end, original word)
        section_starts = [i for i, line in enumerate(self.lines) if line.startswith("## ")]
        for number, start in enumerate(section_starts):
            end = (
                section_starts[number + 1] if number + 1 < len(section_starts) else len(self.lines)
            )
            self.spots.append(self._spot(start + 1, end))

    def _spot(self, start: int, end: int) -> tuple[int, int, int, str]:
        for index in range(start, end):
            line = self.lines[index]
            if not line or line.startswith(("#", "<", "|", "    ")):
                continue
            if found := WORD.search(line):
                return index, found.start(1), found.end(1), found.group(1)
        raise ValueError(f"no word to change in the section at line {start}")

    @property
    def sections(self) -> int:
        return len(self.spots)

    def render(self, state: list[int]) -> bytes:
        lines = list(self.lines)
        for (index, start, end, word), variant in zip(self.spots, state, strict=True):
            new = word if variant == 0 else VARIANTS[self.lang][variant - 1]
            line = lines[index]
            lines[index] = line[:start] + new + line[end:]
        return "\n".join(lines).encode("utf-8")


def settings(toml: str, version: int) -> bytes:
    """statement.toml for the given version number (0 is the EMS statement as it is)."""
    if version == 0:
        return toml.encode("utf-8")
    day = (FIRST_DAY + dt.timedelta(days=version)).isoformat()
    toml = re.sub(r"(?m)^effective = .*$", f"effective = {day}", toml)
    summary = (
        f'[summary]\nnl = "Versie {version}: een woord in een sectie gewijzigd, vanaf {day}."\n'
        f'en = "Version {version}: a word in a section changed, from {day}."\n'
    )
    return (toml[: toml.index("[summary]")] + summary).encode("utf-8")


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def fast_import_stream(commits: int) -> bytes:
    source = REPO / "statement"
    texts = {
        lang: Text((source / f"{lang}.md").read_text(encoding="utf-8"), lang)
        for lang in ("nl", "en")
    }
    sections = texts["nl"].sections
    assert texts["en"].sections == sections
    assert K**sections >= commits, "too few sections for unique states"
    toml = (source / "statement.toml").read_text(encoding="utf-8")
    out = []
    for n in range(commits):
        when = START + n * 3600
        if n == 0:
            message = b"The statement of 23 February 2021\n"
        elif n % VERSION_EVERY == 0:
            message = b"Version %d: new effective date\n" % (n // VERSION_EVERY)
        else:
            message = b"Reword a sentence (%d)\n\nEditorial: a word, same meaning\n" % n
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {IDENTITY} {when} +0100\ncommitter {IDENTITY} {when} +0100\n".encode())
        out.append(_data(message))
        if n == 0:
            for part in PROJECT_PARTS:
                for path in sorted((REPO / part).rglob("*")):
                    name = path.relative_to(REPO).as_posix()
                    if not path.is_file() or name.endswith(".mo") or "__pycache__" in name:
                        continue
                    if name.startswith("statement/"):
                        continue  # written below (editorial-commits names the real repo's commits)
                    out.append(f"M 100644 inline {name}\n".encode())
                    out.append(_data(path.read_bytes()))
        state = gray(n, sections)
        for lang, text in texts.items():
            out.append(f"M 100644 inline statement/{lang}.md\n".encode())
            out.append(_data(text.render(state)))
        if n % VERSION_EVERY == 0:
            out.append(b"M 100644 inline statement/statement.toml\n")
            out.append(_data(settings(toml, n // VERSION_EVERY)))
        out.append(b"\n")
    return b"".join(out)


def make_history(root: Path, commits: int) -> Path:
    """A new git repository at root with `commits` commits touching statement/; root."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "fast-import", "--quiet", stdin=fast_import_stream(commits))
    git(root, "checkout", "-q", "-f", "main")
    return root


if __name__ == "__main__":
    import sys

    print(make_history(Path(sys.argv[1]), int(sys.argv[2])))
