"""The editors' guide: it builds with `mkdocs build --strict`, and it explains every command,
every kind of finding, every error message and every GDPR disclosure (as sqlite-utils checks
its documentation against its code)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.check import KINDS, disclosures
from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def guide(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def error_messages() -> dict[str, str]:
    """The fixed words of every message a StatementError carries, found in the code: a literal
    message, or the longest literal part of an f-string. Message -> the module it is in."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "generator").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for words in _message_words(node):
                if len(words.strip()) > 3:
                    found.setdefault(words, path.name)
    return found


def _message_words(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name == "StatementError" and len(node.args) >= 3:
            return _literal(node.args[2])
        if name == "error" and node.args:  # the settings reader's where.error(message, …)
            return _literal(node.args[0])
    if isinstance(node, ast.Assign) and any(
        getattr(t, "id", None) == "message" for t in node.targets
    ):
        return _literal(node.value)
    return []


def _literal(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return [max(parts, key=len)] if parts else []
    if isinstance(node, ast.IfExp):
        return _literal(node.body) + _literal(node.orelse)
    return []


def test_the_guide_builds_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for page in ("index", "source", "versions", "commands", "publishing", "errors"):
        built = tmp_path / (f"{page}/index.html" if page != "index" else "index.html")
        assert built.is_file(), page


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_explained(command: str) -> None:
    assert f"## `statement {command}`" in guide("commands.md")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_finding_is_explained(kind: str) -> None:
    assert f"### `{kind}`" in guide("errors.md")


def test_the_code_has_the_error_messages_this_test_looks_for() -> None:
    # the test below must not pass by finding nothing: these are known to be in the code
    messages = error_messages()
    assert "the text has no sections" in messages
    assert " goes to no section" in messages
    assert len(messages) > 50


@pytest.mark.parametrize("message", sorted(error_messages()))
def test_every_error_message_is_explained(message: str) -> None:
    assert message in guide("errors.md"), f"explain {message!r} ({error_messages()[message]})"


@pytest.mark.parametrize("disclosure", [d.id for d in disclosures()])
def test_every_gdpr_disclosure_is_listed(disclosure: str) -> None:
    assert f"| `{disclosure}` |" in guide("source.md")


def test_the_publishing_page_caches_the_fonts_the_site_ships() -> None:
    from generator.render import assets

    shipped = {
        Path(name).suffix for name in assets(REPO / "templates") if name.startswith("fonts/")
    }
    shipped.discard(".txt")  # the licence, OFL.txt, is no font
    page = guide("publishing.md")
    cached = set(re.findall(r"`fonts/\*(\.\w+)`", page))
    assert cached == shipped == {".woff2"}
    assert {f"\\{suffix}$" for suffix in shipped} <= set(re.findall(r"location ~ (\S+) \{", page))


# --- the commands as the README and the guide write them ----------------------------------------

COMMAND_WORDS = re.compile(r"^statement (?:" + "|".join(sorted(main.commands)) + r"|--help)\b")


def code_lines(text: str) -> list[str]:
    """The lines of a Markdown text's code blocks (indented by four spaces, or fenced)."""
    found, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif fenced or line.startswith("    "):
            found.append(line.strip())
    return found


@pytest.mark.parametrize("page", ["README.md", *sorted(p.name for p in DOCS.glob("*.md"))])
def test_every_command_to_type_works_in_a_new_terminal(page: str) -> None:
    # `statement` alone is found only where .venv/bin is on the PATH: never in a new terminal
    text = (REPO / page if page == "README.md" else DOCS / page).read_text(encoding="utf-8")
    bare = [line for line in code_lines(text) if COMMAND_WORDS.match(line.removeprefix("run: "))]
    assert bare == [], f"write bin/{bare[0]}" if bare else ""


def readme_commands(section: str) -> list[str]:
    """The commands of a section of the README, without their comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8").split(f"\n## {section}\n", 1)[1]
    text = text.split("\n## ", 1)[0]
    lines = [line[4:] for line in text.split("\n") if line.startswith("    ")]
    return [line.split("  #", 1)[0].strip() for line in lines]


def new_terminal() -> dict[str, str]:
    """The environment of a new terminal: no virtual environment active, nor on the PATH."""
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    paths = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in paths if ".venv" not in p and "venv/bin" not in p)
    who = {"NAME": "Legal Editor", "EMAIL": "legal@example.com"}  # as git is set up on their PC
    return env | {
        f"GIT_{role}_{key}": v for role in ("AUTHOR", "COMMITTER") for key, v in who.items()
    }


def typed(command: str, clone: Path, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, shell=True, cwd=clone, env=new_terminal(), capture_output=True, text=True,
        timeout=900, **options,
    )  # fmt: skip


def until_said(process: subprocess.Popen, log: Path, words: str) -> str:
    deadline = time.monotonic() + 120
    while words not in (said := log.read_text(encoding="utf-8")):
        assert process.poll() is None and time.monotonic() < deadline, said
        time.sleep(0.2)
    return said


def running(command: str, clone: Path, log: Path, words: str) -> str:
    """A command that runs until stopped: what it said once it said `words`; then Ctrl+C."""
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, shell=True, cwd=clone, env=new_terminal(), stdout=out,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
    try:
        return until_said(process, log, words)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def tried_serve(command: str, clone: Path, log: Path) -> None:
    said = running(command, clone, log, "Preview at http://127.0.0.1:")
    address = re.search(r"Preview at (http://127\.0\.0\.1:\d+/)", said).group(1)
    assert address.endswith(":8000/") or "Port 8000 is in use" in said


def tried_check(command: str, clone: Path, log: Path) -> None:
    done = typed(command, clone)
    assert done.returncode in (0, 1) and "complaint" in done.stdout, done.stdout + done.stderr


def tried_diff(command: str, clone: Path, log: Path) -> None:
    done = typed(command, clone)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Changes from the version of 2021-02-23 to the text being edited")


def tried_commit(command: str, clone: Path, log: Path) -> None:
    nl = clone / "statement" / "nl.md"
    nl.write_text(
        nl.read_text(encoding="utf-8").replace("bewaren", "bewaaren", 1), encoding="utf-8"
    )
    done = typed(command, clone)
    assert done.returncode == 0, done.stderr
    message = typed("git log -1 --format=%B", clone).stdout
    assert message == "Editorial change: typo\n\nEditorial: typo\n\n"  # the build below passes it


def tried_release(command: str, clone: Path, log: Path) -> None:
    done = typed(command, clone)
    assert done.returncode == 0, done.stderr
    assert "effective = 2027-03-01" in (clone / "statement" / "statement.toml").read_text()
    typed("git checkout -- statement", clone, check=True)  # the next command starts afresh


def tried_build(command: str, clone: Path, log: Path) -> None:
    done = typed(command, clone)
    assert done.returncode == 0, done.stderr
    assert "Built " in done.stdout and (clone / "site" / "nl" / "index.html").is_file()


def tried_import(command: str, clone: Path, log: Path) -> None:
    # as a new project starts: an old statement beside it, and no statement/nl.md yet
    (clone / "statement" / "nl.md").rename(clone / "privacy.md")
    done = typed(command, clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "{#retention" in (clone / "statement" / "nl.md").read_text(encoding="utf-8")
    (clone / "privacy.md").unlink()
    typed("git checkout -- statement", clone, check=True)


def tried_guide(command: str, clone: Path, log: Path) -> None:
    taken = port_taken(8001)  # another session's guide, say: it takes the next free port
    said = running(command, clone, log, "Serving on http://127.0.0.1:")
    port = int(re.search(r"Serving on http://127\.0\.0\.1:(\d+)/", said).group(1))
    assert port == 8001 or (taken and "Port 8001 is in use" in said and 8001 < port < 8021)


TRIED = {
    "bin/statement serve": tried_serve,
    "bin/statement check": tried_check,
    "bin/statement diff": tried_diff,
    'bin/statement commit --editorial "typo"': tried_commit,
    "bin/statement release --date 2027-03-01": tried_release,
    "bin/statement build": tried_build,
    "bin/statement import privacy.md --language nl": tried_import,
    "make guide": tried_guide,
}


@pytest.mark.slow
def test_the_readmes_commands_work_as_written_after_make_site(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    assert readme_commands("On a fresh machine") == ["make site", "make test"]  # test: this one
    made = typed("make site", clone)
    assert made.returncode == 0, made.stdout + made.stderr
    said = made.stdout.split("\n")
    assert any(
        "Installing the statement command and the libraries it uses" in line for line in said
    )
    assert f"The site is in {clone}/site/ : that folder is what you publish." in said
    assert any("bin/statement serve" in line and "http://127.0.0.1:8000/" in line for line in said)
    commands = readme_commands("Commands")
    assert set(commands) == set(TRIED), "a command of the README without a way to try it here"
    for command in commands:
        TRIED[command](command, clone, tmp_path / "terminal.txt")
    # typed in a folder of the project, not its top: it is still the project's command
    done = typed("../bin/statement diff", clone / "statement")
    assert done.returncode == 0 and done.stdout.startswith("Changes from the version of"), done


def test_bin_statement_before_make_site_says_to_run_it(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    shutil.copy2(REPO / "bin" / "statement", tmp_path / "bin" / "statement")
    done = subprocess.run(
        ["bin/statement", "check"], cwd=tmp_path, env=new_terminal(), capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"The statement command is not installed yet: run `make site` in {tmp_path} first.\n"
    )
