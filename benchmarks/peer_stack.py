"""The peer: mkdocs with mkdocs-static-i18n and the git-revision-date plugin, in its own venv, and its builds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from harness import Series, log, run
from peer import make_peer
from project import BENCH, REPO, fresh

PEER_VENV = BENCH / ".peer-venv"
PEER_STACK = (
    "mkdocs==1.6.1",
    "mkdocs-static-i18n==1.3.1",
    "mkdocs-git-revision-date-localized-plugin==1.6.3",
)
PEER_PDF = "mkdocs-to-pdf==0.12.1"


def setup_peer() -> dict:
    """benchmarks/.peer-venv with the mkdocs stack; mkdocs-to-pdf if it installs. Reused when it is there."""
    marker = PEER_VENV / "bench-installed.json"
    wanted = {"stack": list(PEER_STACK), "pdf": PEER_PDF}
    if marker.is_file():
        state = json.loads(marker.read_text())
        if state.get("wanted") == wanted:
            log("peer stack: reusing benchmarks/.peer-venv")
            return state
    log("peer stack: creating benchmarks/.peer-venv (mkdocs and its plugins)")
    shutil.rmtree(PEER_VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", PEER_VENV], check=True)
    pip = [
        PEER_VENV / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    run([*pip, *PEER_STACK])
    log(f"peer stack: installing {PEER_PDF}")
    attempt = run([*pip, PEER_PDF], check=False)
    tail = "\n".join((attempt.stdout + attempt.stderr).strip().splitlines()[-6:])
    versions = run(
        [
            PEER_VENV / "bin" / "python",
            "-m",
            "pip",
            "list",
            "--format=json",
            "--disable-pip-version-check",
        ]
    )
    installed = {p["name"].lower(): p["version"] for p in json.loads(versions.stdout)}
    state = {
        "wanted": wanted,
        "pdf_installed": attempt.returncode == 0,
        "pdf_install_output": tail,
        "versions": {
            name: installed.get(name)
            for name in (
                "mkdocs",
                "mkdocs-static-i18n",
                "mkdocs-git-revision-date-localized-plugin",
                "mkdocs-to-pdf",
                "weasyprint",
            )
        },
    }
    marker.write_text(json.dumps(state, indent=2))
    return state


def peer_setup(work: Path, setup: dict) -> tuple[dict, list[tuple]]:
    """The peer's mkdocs project, and its builds to measure (with mkdocs-to-pdf if it runs)."""
    folder = make_peer(REPO / "statement", work / "peer")
    mkdocs = PEER_VENV / "bin" / "mkdocs"
    site, site_pdf = work / "peer-site", work / "peer-site-pdf"
    plain = [mkdocs, "build", "-q", "-f", folder / "mkdocs.yml", "-d", site]
    with_pdf = [mkdocs, "build", "-q", "-f", folder / "mkdocs-pdf.yml", "-d", site_pdf]
    results: dict = {"site": site, "site_pdf": site_pdf, "pdf": None}
    specs = [
        (
            "peer_cold",
            "mkdocs build (i18n, git dates)",
            lambda: run(plain, cwd=folder),
            lambda _i: fresh(site),
            None,
        )
    ]
    if setup["pdf_installed"]:
        attempt = run(with_pdf, cwd=folder, check=False)
        if attempt.returncode != 0:
            results["pdf_error"] = "\n".join(
                (attempt.stdout + attempt.stderr).strip().splitlines()[-8:]
            )
            log(f"  mkdocs-to-pdf does not run: {results['pdf_error']}")
        else:
            results["pdf_log"] = [
                line
                for line in attempt.stderr.splitlines()
                if "Converting" in line or "Output" in line
            ]
            specs.append(
                (
                    "peer_pdf",
                    "mkdocs build with mkdocs-to-pdf",
                    lambda: run(with_pdf, cwd=folder),
                    lambda _i: fresh(site_pdf),
                    None,
                )
            )
    return results, specs


def peer_results(results: dict, measured: dict[str, Series]) -> None:
    site, site_pdf = results["site"], results["site_pdf"]
    results["cold"] = measured["peer_cold"]
    results["files"] = sum(1 for p in site.rglob("*") if p.is_file())
    results["pages"] = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    if "peer_pdf" in measured:
        results["pdf"] = measured["peer_pdf"]
        results["pdf_files"] = sorted(
            p.relative_to(site_pdf).as_posix() for p in site_pdf.rglob("*.pdf")
        )
