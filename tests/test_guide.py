"""The editors' guide: it builds with `mkdocs build --strict`, and it explains every command,
every kind of finding, every error message and every GDPR disclosure (as sqlite-utils checks
its documentation against its code)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
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
