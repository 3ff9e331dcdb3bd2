"""The CI files that publish the site: the ones `statement init` writes, and this repository's.

Their structure is checked as the CI systems read it (YAML), and their build steps are run as
written, in a scratch repository made by `statement init`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, translate_page_words
from repos import IDENTITY

from generator.cli import main
from generator.init import CI_FILES, ci_file

GITHUB, GITLAB = ".github/workflows/publish.yml", ".gitlab-ci.yml"


def github() -> dict:
    return yaml.safe_load(ci_file(CI_FILES[GITHUB]))


def gitlab() -> dict:
    return yaml.safe_load(ci_file(CI_FILES[GITLAB]))


def test_this_repository_publishes_with_the_files_init_writes() -> None:
    for path, name in CI_FILES.items():
        assert (REPO / path).read_text(encoding="utf-8") == ci_file(name), path


def test_the_github_workflow_builds_daily_and_on_push_from_the_whole_history() -> None:
    workflow = github()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert [entry["cron"].split()[2:] for entry in triggers["schedule"]] == [["*", "*", "*"]]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".cache"
    assert "restore-keys" in cache["with"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_the_gitlab_pipeline_builds_on_schedule_and_push_from_the_whole_history() -> None:
    pipeline = gitlab()
    assert pipeline["variables"]["GIT_DEPTH"] == 0
    pages = pipeline["pages"]  # GitLab publishes the job named pages, from its public/ folder
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["cache"]["paths"] == [".cache"]
    rules = " ".join(rule["if"] for rule in pages["rules"])
    assert '$CI_PIPELINE_SOURCE == "schedule"' in rules
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in rules
    assert any("--out public" in line for line in pages["script"])


def initialised(root: Path, written: bool) -> Path:
    """A statement made by `statement init`, committed to a new git repository; `written`: with
    every FILL IN replaced, as an organisation does before it publishes."""
    args = ["init", str(root), "--language", "en", "--language", "fr", "--date", "2026-01-01"]
    assert CliRunner().invoke(main, args).exit_code == 0
    for path in (root / "statement").iterdir() if written else ():
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("FILL IN: ", "").replace("FILL-IN", "privacy"), "utf-8")
    if written:
        translate_page_words(root, "fr")  # init gave the English words, to translate
    env = {**os.environ, **IDENTITY}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True)
    return root


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return initialised(tmp_path_factory.mktemp("scratch") / "statement-site", written=True)


def test_the_build_steps_refuse_to_publish_the_fill_ins(tmp_path: Path) -> None:
    root = initialised(tmp_path / "statement-site", written=False)
    workflow = github()
    build = next(step for step in workflow["jobs"]["build"]["steps"] if step.get("name") == "Build")
    done = run(build["run"], root, workflow["env"])
    assert done.returncode == 1
    assert "still says FILL IN: a release would publish it" in done.stderr
    assert not (root / "site").exists()


def run(lines: str, root: Path, env: dict) -> subprocess.CompletedProcess:
    """Shell lines as a CI runner runs them: bash, stopping at the first failing command."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    full = {**os.environ, **{k: str(v) for k, v in env.items()}, "PATH": path}
    return subprocess.run(
        ["bash", "-e", "-c", lines], cwd=root, env=full, capture_output=True, text=True
    )


def test_the_github_build_steps_build_the_site_and_keep_the_cache(scratch: Path) -> None:
    workflow = github()
    steps = [step for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert [step["name"] for step in steps] == ["Install", "Build"]
    assert '"$TOOL"' in steps[0]["run"]  # installing is the wheel test's part (test_install)
    done = run(steps[1]["run"], scratch, workflow["env"])
    assert done.returncode == 0, done.stderr
    assert (scratch / "site" / "index.html").is_file()
    assert list((scratch / "site").rglob("*.pdf"))
    assert (scratch / ".cache").is_dir()  # what actions/cache keeps for the next run
    assert "statement check found something to fix" in done.stdout  # init's words, not yet its own


def test_the_gitlab_script_builds_the_site_into_public(scratch: Path) -> None:
    pipeline = gitlab()
    done = run("\n".join(pipeline["pages"]["script"]), scratch, pipeline["variables"])
    assert done.returncode == 0, done.stderr
    assert (scratch / "public" / "index.html").is_file()
    assert (scratch / "public" / "fr" / "index.html").is_file()
