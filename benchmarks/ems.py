"""1. and 2.: the EMS statement built by us and by the peer, in turn; edits; stages; a profile."""

from __future__ import annotations

import re
from pathlib import Path

from harness import Run, Series, interleave, log, pdf_counts, pdfs_reused, repeat, run
from peer_stack import peer_results, peer_setup
from preview import measure_preview
from profiles import top_of_profile
from project import (
    STATEMENT,
    Editor,
    copy_project,
    fresh,
    html_of,
    pages_with_changed_pdf_source,
    project_env,
    stages_cmd,
)
from synth import git


def measure_ems(work: Path, runs: int, setup: dict) -> tuple[dict, dict]:
    log("1. and 2. the EMS statement built by us and by the peer, in turn")
    root = copy_project(work / "ems")
    out, cache = work / "ems-site", work / "ems-cache"
    cli = [STATEMENT, "build", "--root", root, "--out", out, "--cache", cache]
    results, peer = ours_and_peer(work, root, (out, cache), cli, runs, setup)
    results.update(edits(root, out, cli, runs))
    results.update(stages(work, root, out, cache, runs))
    fresh(cache)
    run(cli)  # the site that the limits below render, and the fresh clone below reuses
    results["page_weight"] = page_weight(out)
    results["site"] = out
    results["reuse"] = reuse(work, root, out, runs)
    results["preview"] = measure_preview(root, runs)
    return results, peer


def reuse(work: Path, root: Path, published: Path, runs: int) -> Series:
    """A fresh clone's build (no cache) with --reuse of the site published just before."""
    out, cache = work / "ems-site-reused", work / "ems-cache-reused"
    cli = [STATEMENT, "build", "--root", root, "--out", out, "--cache", cache, "--reuse", published]
    return repeat(
        "fresh clone, no cache: statement build --reuse SITE",
        runs,
        lambda: run(cli),
        before=lambda _i: fresh(out, cache),
        after=lambda i, result: {**counted(i, result), "reused": pdfs_reused(result.stdout)},
    )


def counted(_i, result: Run) -> dict:
    rendered, cached = pdf_counts(result.stdout)
    return {"rendered": rendered, "cached": cached}


def ours_and_peer(
    work: Path, root: Path, site: tuple[Path, Path], cli: list, runs: int, setup: dict
) -> tuple[dict, dict]:
    """Our cold build, rebuild and cold build without PDFs, and the peer's builds, in turn."""
    out, cache = site
    out2, cache2 = work / "ems-site-nopdf", work / "ems-cache-nopdf"
    cli_nopdf = [STATEMENT, "build", "--root", root, "--out", out2, "--cache", cache2, "--no-pdf"]
    peer, peer_specs = peer_setup(work, setup)
    ours = [
        ("cold", "cold build (no site, no cache)", lambda: run(cli),
         lambda _i: fresh(out, cache), counted),
        ("nochange", "rebuild, no change", lambda: run(cli), None, counted),
        ("cold_nopdf", "cold build without PDFs (statement build --no-pdf)",
         lambda: run(cli_nopdf), lambda _i: fresh(out2, cache2), None),
    ]  # fmt: skip
    measured = interleave([*ours, *peer_specs], runs)
    peer_results(peer, measured)
    return {key: measured[key] for key, *_ in ours}, peer


def edits(root: Path, out: Path, cli: list, runs: int) -> dict:
    """Rebuilds after a one-section edit, committed as editorial and uncommitted."""
    editor, results = Editor(root), {}
    for label, commit in (("edit_committed", True), ("edit_uncommitted", False)):
        snapshot: dict = {}

        def before(_i, commit=commit, snapshot=snapshot) -> None:
            snapshot.clear()
            snapshot.update(html_of(out))
            editor.edit(commit)

        def after(i, result: Run, snapshot=snapshot) -> dict:
            return {**counted(i, result), "expected": pages_with_changed_pdf_source(snapshot, out)}

        what = "committed as editorial" if commit else "uncommitted (a draft)"
        results[label] = repeat(
            f"rebuild after a one-section edit, {what}", runs, lambda: run(cli),
            before=before, after=after,
        )  # fmt: skip
    git(root, "checkout", "-q", "--", "statement")  # the uncommitted edit undone
    return results


def stages(work: Path, root: Path, out: Path, cache: Path, runs: int) -> dict:
    """The product's stages timed in process (benchmarks/stages.py), and a profile of one build."""
    env, results = project_env(), {}
    for key, label, flags, cold in (
        ("cold_nopdf_stages", "cold build without PDFs", ("--no-pdf",), True),
        ("cold_stages", "cold build with PDFs", (), True),
        ("nochange_stages", "rebuild with no change", (), False),
    ):
        results[key] = repeat(
            f"{label}, stages timed", runs,
            lambda flags=flags: run(stages_cmd(root, out, cache, *flags), env=env),
            before=(lambda _i: fresh(out, cache)) if cold else None,
            after=lambda _i, r: r.json(),
        )  # fmt: skip
    fresh(cache, out)
    profile = work / "ems-cold.prof"
    run(stages_cmd(root, out, cache, "--profile", profile), env=env)
    results["profile_cold"] = top_of_profile(profile)
    return results


def page_weight(out: Path) -> dict:
    """The Dutch current page and the stylesheets it links, in bytes, and whether it has a script."""
    page = out / "nl" / "index.html"
    html = page.read_text(encoding="utf-8")
    sheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html) + re.findall(
        r'<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"', html
    )
    css = {href: (page.parent / href).resolve().stat().st_size for href in dict.fromkeys(sheets)}
    return {
        "html": len(html.encode("utf-8")),
        "css": css,
        "total": len(html.encode("utf-8")) + sum(css.values()),
        "script": "<script" in html.lower(),
    }
