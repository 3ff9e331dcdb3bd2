"""3.: synthetic histories of many commits: the history read against `git log -p`, builds with and without PDFs."""

from __future__ import annotations

import time
from pathlib import Path

from harness import Run, fmt_s, interleave, log, pdf_counts, repeat, run
from profiles import top_of_profile
from project import (
    BENCH,
    PYTHON,
    Editor,
    fresh,
    html_of,
    pages_with_changed_pdf_source,
    project_env,
    stages_cmd,
)
from synth import make_history


def measure_history(work: Path, commits: int, runs: dict, profile: bool) -> dict:
    log(f"3. a synthetic history of {commits:,} commits")
    start = time.perf_counter()
    root = make_history(work / f"history-{commits}", commits)
    results: dict = {"make": time.perf_counter() - start}
    log(f"  made with git fast-import in {fmt_s(results['make'])}")
    env = project_env()
    # side by side, round after round: the ratio meets the same load from the rest of the machine
    log_p = ["git", "log", "-p", "--first-parent", "--", "statement/"]
    results |= interleave(
        [
            ("git_log", "git log -p --first-parent -- statement/",
             lambda: run(log_p, cwd=root), None, None),
            ("read", "read_history + versions_of (no cache; subprocess wall)",
             lambda: run([PYTHON, BENCH / "read_history.py", root], env=env), None,
             lambda _i, r: r.json()),
        ],
        runs["read"],
    )  # fmt: skip
    out, cache = work / f"history-{commits}-site", work / f"history-{commits}-cache"
    results["nopdf"] = repeat(
        "build without PDFs (--no-pdf)",
        runs["nopdf"],
        lambda: run(stages_cmd(root, out, cache, "--no-pdf"), env=env),
        before=lambda _i: fresh(out, cache),
        after=lambda _i, r: r.json(),
    )
    results["pages"] = page_sizes(out)
    if profile:
        prof = work / f"history-{commits}.prof"
        fresh(out, cache)
        run(stages_cmd(root, out, cache, "--no-pdf", "--profile", prof), env=env)
        results["profile"] = top_of_profile(prof)
        prof = work / f"read-{commits}.prof"
        run([PYTHON, "-m", "cProfile", "-o", prof, BENCH / "read_history.py", root], env=env)
        results["profile_read"] = top_of_profile(prof)
    results["pdf"] = None
    if runs["pdf"]:
        results["pdf"] = repeat(
            "whole build with PDFs (cold: no site, no cache)",
            runs["pdf"],
            lambda: run(stages_cmd(root, out, cache), env=env),
            warmup=0,  # the builds without PDFs just before warmed up all but the PDFs
            before=lambda _i: fresh(out, cache),
            after=lambda _i, r: r.json(),
        )
    versions = results["read"].extra[0]["versions"]
    results["versions"] = versions
    if runs.get("edit"):
        editor = Editor(root, start=commits - 1)
        snapshot: dict = {}

        def before(_i) -> None:
            snapshot.clear()
            snapshot.update(html_of(out))
            editor.edit(commit=True)

        def after(_i, result: Run) -> dict:
            data = result.json()
            rendered, cached = pdf_counts("\n".join(data["notes"]))
            return {
                **data,
                "rendered": rendered,
                "cached": cached,
                "expected": pages_with_changed_pdf_source(snapshot, out),
            }

        results["edit"] = repeat(
            "rebuild after a one-section edit of the current version (editorial commit)",
            runs["edit"],
            lambda: run(stages_cmd(root, out, cache), env=env),
            before=before,
            after=after,
        )
    fresh(root, out, cache)
    return results


def page_sizes(site: Path) -> dict:
    """The largest changelog page and feed of a site, and its largest page of any kind."""

    def largest(pattern: str) -> tuple[str, int]:
        sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.glob(pattern)}
        return max(sizes.items(), key=lambda item: item[1], default=("", 0))

    return {
        "changelog": largest("*/changelog/**/index.html"),
        "feed": largest("*/feed.xml"),
        "page": largest("**/*.html"),
    }
