"""A library of broken sources, tests/broken/, and of odd ones that must build, tests/accepted/.

Each folder of tests/broken/ holds the files that differ from the EMS project, at their places in
it (statement/nl.md, locales/nl/LC_MESSAGES/messages.po, templates/print.css …), and

- expected.txt: exactly what the build prints on stderr, every line; `{commit:1}` stands for the
  short hash of the case's first commit of its own (see commits/), `{commit:0}` for the EMS one,
  and `{line:FILE:TEXT}` for the number of the only line of that file that holds the text;
- check.txt: exactly what `statement check` prints, for what only the check finds (with or
  without expected.txt);
- edits.toml (optional): `[[edit]]` tables of `file`, `old` and `new`, for a small change to a
  file of the project that is best shown as one (old must be in it exactly once);
- delete.txt (optional): files of the project to remove, glob patterns, one a line;
- commits/<n>-<what>/ (optional): files committed in that order onto a git repository whose
  first commit is the EMS project, each with a message.txt; the files beside commits/ are laid
  over the work tree afterwards, uncommitted;
- args.txt (optional): options added to the build, one a line.

A broken build exits 1, prints nothing on stdout and leaves the site that was there before
byte-identical. Each folder of tests/accepted/ builds (without PDFs: the text is the point) and
has shows.txt, `page: text` lines that the page's HTML holds, and/or same-as.txt, the name of
another accepted case whose site it must equal byte for byte.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED_CACHE, copy_project, run_build, site_files
from repos import make_repo

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"
ACCEPTED = HERE / "accepted"
META = {"expected.txt", "check.txt", "delete.txt", "edits.toml", "args.txt", "commits",
        "shows.txt", "same-as.txt", "message.txt"}  # fmt: skip
LINE = re.compile(r"\{line:([^:{}]+):(.+?)\}(?=[:)])")


def cases(folder: Path) -> list[str]:
    return sorted(case.name for case in folder.iterdir() if case.is_dir())


def lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def lay_over(case: Path, root: Path) -> None:
    """The case's files over the project, and the files it deletes taken away."""
    for pattern in lines(case / "delete.txt"):
        found = sorted(root.glob(pattern))
        assert found, f"{case.name}/delete.txt: {pattern} is in the project no more"
        for path in found:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case)
        if path.is_file() and relative.parts[0] not in META:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / relative)
    if (case / "edits.toml").is_file():
        for change in tomllib.loads((case / "edits.toml").read_text(encoding="utf-8"))["edit"]:
            path = root / change["file"]
            text = path.read_bytes().decode("utf-8")  # as it is: line ends and all
            assert text.count(change["old"]) == 1, f"{case.name}: {change['old']!r}"
            path.write_bytes(text.replace(change["old"], change["new"]).encode("utf-8"))


def prepare(case: Path, root: Path) -> dict[str, str]:
    """The EMS project with the case laid over it, in git if the case has commits; what the
    placeholders of its expected output stand for."""
    commits = case / "commits"
    if not commits.is_dir():
        copy_project(root)
        lay_over(case, root)
        return {}
    repo = make_repo(root)
    hashes = [repo.git("rev-parse", "HEAD")]
    for step in sorted(commits.iterdir(), key=lambda step: int(step.name.split("-")[0])):
        lay_over(step, root)
        hashes.append(repo.commit((step / "message.txt").read_text(encoding="utf-8")))
    lay_over(case, root)
    return {f"{{commit:{n}}}": sha[:7] for n, sha in enumerate(hashes)}


def expected(path: Path, placeholders: dict[str, str], root: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for placeholder, value in placeholders.items():
        text = text.replace(placeholder, value)
    return LINE.sub(lambda found: str(line_of(root / found[1], found[2])), text)


def line_of(path: Path, fragment: str) -> int:
    numbered = enumerate(path.read_bytes().decode("utf-8", "replace").split("\n"), 1)
    found = [number for number, line in numbered if fragment in line]
    assert len(found) == 1, f"{fragment!r} is on lines {found} of {path}"
    return found[0]


@pytest.fixture(scope="module")
def last_good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The EMS site: the site that is there when a broken source is built."""
    root = copy_project(tmp_path_factory.mktemp("good") / "project")
    result = run_build(root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


def test_the_library_is_there() -> None:
    broken = cases(BROKEN)
    assert len([c for c in broken if (BROKEN / c / "expected.txt").is_file()]) >= 30
    for case in broken:
        assert {path.name for path in (BROKEN / case).iterdir()} & {"expected.txt", "check.txt"}
    assert len(cases(ACCEPTED)) >= 5


@pytest.mark.parametrize("case", cases(BROKEN))
def test_a_broken_source(case: str, tmp_path: Path, last_good: Path) -> None:
    folder = BROKEN / case
    root = tmp_path / "project"
    placeholders = prepare(folder, root)
    shutil.copytree(last_good, root / "site")
    before = site_files(root / "site")
    if (folder / "expected.txt").is_file():
        result = run_build(root, extra=lines(folder / "args.txt"))
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == expected(folder / "expected.txt", placeholders, root)
        assert site_files(root / "site") == before
        assert [path.name for path in root.iterdir() if path.name.startswith(".site")] == []
    if (folder / "check.txt").is_file():
        from generator.cli import main

        args = ["check", "--root", str(root), "--cache", str(SHARED_CACHE)]
        result = CliRunner().invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code == 1
        assert result.stdout == expected(folder / "check.txt", placeholders, root)


def build_accepted(case: str, root: Path):
    prepare(ACCEPTED / case, root)
    result = run_build(root, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return site_files(root / "site")


@pytest.mark.parametrize("case", cases(ACCEPTED))
def test_an_odd_but_good_source_builds(case: str, tmp_path: Path) -> None:
    folder = ACCEPTED / case
    files = build_accepted(case, tmp_path / "project")
    shows = lines(folder / "shows.txt")
    same_as = lines(folder / "same-as.txt")
    assert shows or same_as, f"{case}: say what the site shows, or which site it equals"
    for line in shows:
        page, _, text = line.partition(": ")
        assert text in files[page].decode("utf-8"), f"{page} does not show {text!r}"
    for other in same_as:
        assert files == build_accepted(other, tmp_path / other), f"not the site of {other}"


# --- sizes no editor types, made here rather than kept in git -----------------------------------

MINI = ACCEPTED / "mini" / "statement"
SECTION = "## Sectie {n} {{#s{n}}}\n\n{text} {{{{company}}}}.\n\n- {item}\n- {n}\n"


def big_text(title: str, sections: int, words: int) -> str:
    """A statement text of many sections, each a paragraph of many words and a short list."""
    vocabulary = [
        "persoonsgegevens",
        "bewaren",
        "verwerken",
        "doel",
        "grondslag",
        "ontvanger",
        "rechten",
        "klacht",
    ]
    parts = [f"# {title}\n"]
    for n in range(sections):
        text = " ".join(vocabulary[(n + i * 3) % len(vocabulary)] for i in range(words))
        parts.append(SECTION.format(n=n, text=text, item=text[:100]))
    return "\n".join(parts)


def mini_project(root: Path, nl: str, en: str) -> Path:
    copy_project(root)
    shutil.copyfile(MINI / "statement.toml", root / "statement" / "statement.toml")
    (root / "statement" / "nl.md").write_text(nl, encoding="utf-8")
    (root / "statement" / "en.md").write_text(en, encoding="utf-8")
    return root


def test_a_5_mb_statement_builds_and_its_last_line_is_found(tmp_path: Path) -> None:
    # 2 x 2.5 MB of text in 2 x 1,000 sections: the pages are built, in seconds. Not the PDFs:
    # they build too, but two PDFs of some 800 A4 pages take WeasyPrint about three minutes here
    # and prove nothing the PDF tests do not.
    nl, en = big_text("Privacyverklaring", 1000, 330), big_text("Privacy statement", 1000, 330)
    assert len(nl.encode()) + len(en.encode()) > 5_000_000
    root = mini_project(tmp_path / "project", nl, en)
    result = run_build(root, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    page = (root / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    assert page.count('<section class="section" aria-labelledby="s') == 1000
    assert '<h2 id="s999">Sectie 999</h2>' in page
    before = site_files(root / "site")
    (root / "statement" / "en.md").write_text(en + "{{kvk_nummer}}\n", encoding="utf-8")
    result = run_build(root, extra=["--no-pdf"])
    last = en.count("\n") + 1
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"statement/en.md:{last}: unknown fact {{{{kvk_nummer}}}}\n"
        "    fix: use one of: city, company, effective, email, kvk, street, publisher.…, or add it "
        "under [facts] in statement.toml\n"
        "The site was not changed: 1 problem(s) to fix.\n"
    )
    assert site_files(root / "site") == before


def test_very_long_lines_build_and_a_mistake_at_their_end_is_found(tmp_path: Path) -> None:
    line = " ".join(f"woord{n}" for n in range(150_000))  # a paragraph of 1.2 MB on one line
    heading = "Bewaartermijn " + "en nog langer " * 2_000  # a heading of 28 kB
    nl = f"# Privacyverklaring\n\n## {heading}{{#lang}}\n\n{line}\n"
    en = f"# Privacy statement\n\n## Long {{#lang}}\n\n{line}\n"
    root = mini_project(tmp_path / "project", nl, en)
    result = run_build(root, extra=["--no-pdf"])
    assert result.exit_code == 0, result.stderr
    page = (root / "site" / "nl" / "index.html").read_text(encoding="utf-8")
    assert f"<p>{line}</p>" in page and f'<h2 id="lang">{heading.strip()}</h2>' in page
    (root / "statement" / "nl.md").write_text(nl.replace(line, line + " <b>"), encoding="utf-8")
    result = run_build(root, extra=["--no-pdf"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("statement/nl.md:5: raw HTML is not allowed\n")
