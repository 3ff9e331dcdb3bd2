"""Shared fixtures: a private copy of the project, a build through the real command line, and
ways to look at what the build wrote."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

# No time limit per example, nor a health check of speed: on a machine busy with other work an
# example may take seconds, which says nothing about the code (timings belong in benchmarks).
settings.register_profile(
    "any-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("any-machine")

# The messages name the command as typed (generator/command.py); run through click here, they
# name the installed `statement`, whatever launcher started this test run.
os.environ.pop("STATEMENT_COMMAND", None)

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("statement", "templates", "locales")
# The ten sections of the EMS statement, in order: every language has them, with these ids.
SECTION_IDS = [
    "controller",
    "data",
    "subjects",
    "purposes",
    "retention",
    "recipients",
    "security",
    "rights",
    "changes",
    "contact",
]


@dataclass(frozen=True)
class BuildResult:
    exit_code: int
    stdout: str
    stderr: str


# The EMS statement of 23 February 2021 as the tests know it: a copy, not the live statement/,
# so that the editors' work on it (a disclosure added, a word changed) never breaks a test that
# pins what the check finds in it. tests/test_live.py builds and checks the live one.
EMS_STATEMENT = Path(__file__).resolve().parent / "ems" / "statement"


def copy_project(target: Path) -> Path:
    """The EMS statement (tests/ems/), and templates/ and locales/ of the repository, copied into
    target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        shutil.copytree(EMS_STATEMENT if part == "statement" else REPO / part, target / part)
    return target


# One cache for the whole run: the many builds of the same statement render its PDFs once.
SHARED_CACHE = Path(tempfile.mkdtemp(prefix="statement-test-cache-"))


def run_build(
    root: Path, out: Path | None = None, cache: Path | None = SHARED_CACHE, extra: list[str] = ()
) -> BuildResult:
    """`statement build --root root [--out out] [--cache cache]`, through click, in this process."""
    from generator.cli import main  # here, so that the reader's tests run even if cli breaks

    args = ["build", "--root", str(root)]
    if out is not None:
        args += ["--out", str(out)]
    if cache is not None:
        args += ["--cache", str(cache)]
    result = CliRunner().invoke(main, [*args, *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # an uncaught exception is a bug of the generator, never an editor's message
        raise result.exception
    return BuildResult(result.exit_code, result.stdout, result.stderr)


def translate_page_words(root: Path, lang: str) -> Path:
    """The project's catalog for lang, its English words (as init writes them) "translated":
    each marked with the language, its tags, placeholders and file-name words kept whole."""
    from babel.messages.pofile import read_po, write_po

    path = root / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    for message in catalog:
        if message.id and isinstance(message.string, str):
            message.string = f"{lang}-{message.string}"
    with path.open("wb") as file:
        write_po(file, catalog)
    return path


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones too), by its relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace old by new in a UTF-8 text file; old must be there, exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path.name} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


class _TextOfPage(HTMLParser):
    """What a reader reads: text of the body, with a space where a block ends."""

    BLOCKS = frozenset(
        {
            "address",
            "article",
            "aside",
            "blockquote",
            "br",
            "dd",
            "div",
            "dl",
            "dt",
            "footer",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hr",
            "li",
            "main",
            "nav",
            "ol",
            "p",
            "section",
            "table",
            "td",
            "th",
            "tr",
            "ul",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.in_body = self.in_body or tag == "body"
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.parts.append(data)


def fold(text: str) -> str:
    return " ".join(text.split())


def page_text(html: str) -> str:
    """The page's body as plain text, entities unescaped, whitespace folded."""
    parser = _TextOfPage()
    parser.feed(html)
    parser.close()
    return fold("".join(parser.parts))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project (statement/, templates/, locales/) to build or break."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def build() -> Callable[..., BuildResult]:
    """Build a project: build(root, out=None) -> BuildResult(exit_code, stdout, stderr)."""
    return run_build


@pytest.fixture(name="copy_project")
def copy_project_fixture() -> Callable[[Path], Path]:
    """copy_project(target) -> target, holding a copy of statement/, templates/, locales/."""
    return copy_project


@pytest.fixture(name="edit")
def edit_fixture() -> Callable[[Path, str, str], None]:
    """edit(path, old, new): replace old (there exactly once) by new in a text file."""
    return edit


@pytest.fixture(name="site_files")
def site_files_fixture() -> Callable[[Path], dict[str, bytes]]:
    """site_files(folder) -> {relative path: bytes} of every file under folder."""
    return site_files


@pytest.fixture(name="page_text")
def page_text_fixture() -> Callable[[str], str]:
    """page_text(html) -> the body's text, entities unescaped, whitespace folded."""
    return page_text


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's statement, built once for the tests that only read the site."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_build(root)
    assert result.exit_code == 0, result.stderr
    return root / "site"
