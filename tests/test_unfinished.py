"""A release publishes no words `statement init` left to be replaced: init's CI builds with
--release on every push, and published "FILL IN: the organisation's name" to the web."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import REPO, run_build, translate_page_words
from repos import IDENTITY

from generator.cli import main
from generator.i18n import template_messages
from generator.plan import FILE_WORDS


def committed_init(folder: Path, *languages: str, written: bool = False) -> Path:
    """A statement init wrote (in English, or in `languages`), committed; `written`: with
    every FILL IN replaced, as before a release."""
    args = [f"--language={lang}" for lang in languages or ("en",)]
    done = CliRunner().invoke(main, ["init", str(folder), "--date", "2026-01-01", *args])
    assert done.exit_code == 0, done.output
    env = {
        **IDENTITY,
        "GIT_AUTHOR_DATE": "2025-12-01T10:00:00",
        "GIT_COMMITTER_DATE": "2025-12-01T10:00:00",
    }
    for path in (folder / "statement").iterdir() if written else ():
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("FILL IN: ", "").replace("FILL-IN", "privacy"), "utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(
            ["git", *args], cwd=folder, env={**__import__("os").environ, **env}, check=True
        )
    return folder


def test_a_release_refuses_the_placeholders_init_wrote(tmp_path: Path) -> None:
    folder = committed_init(tmp_path / "new")
    preview = run_build(folder, extra=["--no-pdf"])
    assert preview.exit_code == 0, preview.stderr  # a preview shows them: init's promise
    out = tmp_path / "release"
    result = run_build(folder, out, extra=["--release"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    assert "the section #controller still says FILL IN: a release would publish it" in result.stderr
    assert (
        "'publisher.name' in statement.toml still says FILL IN: a release would publish it"
        in result.stderr
    )
    assert not out.exists()


def test_a_release_refuses_page_words_still_in_english(tmp_path: Path) -> None:
    """init gives a language the tool has no words for the English ones, to translate; a German
    page whose contents, version dates and translation notice read in English is not ready."""
    folder = committed_init(tmp_path / "new", "de", "en", written=True)
    words = len({*template_messages(REPO / "templates"), *FILE_WORDS})  # the page's messages
    preview = run_build(folder, extra=["--no-pdf"])
    assert preview.exit_code == 0, preview.stderr
    assert (
        f"Page words: the page's words in 'de' are still the English ones ({words} of {words}), in "
        "locales/de/LC_MESSAGES/messages.po; published as a preview, and a release build refuses "
        "them.\n"
    ) in preview.stdout
    out = tmp_path / "release"
    result = run_build(folder, out, extra=["--release"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "locales/de/LC_MESSAGES/messages.po: the page's words in 'de' are still the English ones "
        f"({words} of {words}): a release would publish them\n"
        "    fix: translate every msgstr in this file into de (the contents, the dates of "
        "versions, the translation notice: the words around the text)\n"
        "The site was not changed: 1 problem(s) to fix.\n"
    )
    assert not out.exists()
    checked = CliRunner().invoke(main, ["check", "--root", str(folder)])
    assert checked.exit_code == 1  # check lists them, as it lists every FILL IN
    assert (
        "  error    locales/de/LC_MESSAGES/messages.po: the page's words in 'de' are still the "
        f"English ones ({words} of {words})\n"
    ) in checked.stdout
    translate_page_words(folder, "de")
    preview = run_build(folder, extra=["--no-pdf"])
    assert preview.exit_code == 0 and "Page words" not in preview.stdout, preview.stdout
    checked = CliRunner().invoke(main, ["check", "--root", str(folder)])
    assert "English ones" not in checked.stdout
