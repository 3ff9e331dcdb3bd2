"""The repository's own statement/, as its editors keep it. The other tests build a copy of the
EMS statement (tests/ems/), so that they pin nothing of the live one: here it must only build,
and the check must end in its report, whatever the editors have found or fixed."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import EMS_STATEMENT, REPO, SHARED_CACHE, copy_project, run_build

from generator.cli import main


def live_project(target: Path) -> Path:
    root = copy_project(target)
    shutil.rmtree(root / "statement")
    shutil.copytree(REPO / "statement", root / "statement")
    return root


def test_the_live_statement_builds(tmp_path: Path) -> None:
    root = live_project(tmp_path / "project")
    result = run_build(root, extra=["--no-pdf"])  # run_build raises any traceback
    assert result.exit_code == 0, result.stderr
    assert (root / "site" / "index.html").is_file()


def test_the_check_of_the_live_statement_ends_in_its_report(tmp_path: Path) -> None:
    root = live_project(tmp_path / "project")
    args = ["check", "--root", str(root), "--cache", str(SHARED_CACHE)]
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit) and result.exit_code in (0, 1)
    assert result.stdout.rstrip().splitlines()[-1].split(": ")[0].endswith("accepted gap(s)")


def test_the_tests_copy_of_the_statement_is_a_whole_statement() -> None:
    assert {"en.md", "nl.md", "statement.toml"} <= {p.name for p in EMS_STATEMENT.iterdir()}


def pins(name: str) -> dict[str, str]:
    """A lock file's pins: canonical library name -> version."""
    from packaging.utils import canonicalize_name

    lines = (REPO / name).read_text(encoding="utf-8").splitlines()
    found = [line.split("==") for line in lines if line.strip() and not line.startswith("#")]
    assert all(len(pin) == 2 for pin in found), f"{name} holds a line that is not name==version"
    return {canonicalize_name(pin[0]): pin[1] for pin in found}


def test_the_lock_files_pin_what_pyproject_asks_for() -> None:
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    wanted = [(runtime, line) for line in project["dependencies"]]
    wanted += [(test, line) for line in project["optional-dependencies"]["test"]]
    for lock, line in wanted:
        need = Requirement(line)
        name = canonicalize_name(need.name)
        assert name in lock, f"{need.name} is not pinned"
        assert need.specifier.contains(lock[name]), f"{need.name}=={lock[name]} is not {need}"
    assert {
        name: test[name] for name in runtime
    } == runtime  # the tests ran what make site installs
