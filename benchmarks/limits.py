"""4.: the limits of this machine: a bare WeasyPrint render, `python -c pass`, the imports."""

from __future__ import annotations

from pathlib import Path

from harness import log, repeat, run
from project import BENCH, PYTHON, project_env


def measure_limits(work: Path, site: Path, runs: int) -> dict:
    log("4. the limits")
    env = project_env()
    results: dict = {}
    page = site / "nl" / "index.html"
    for variant, label in ((None, "plain"), ("pdf/ua-1", "pdfua")):
        args = [PYTHON, BENCH / "bare_pdf.py", page] + ([variant] if variant else [])
        results[f"bare_{label}"] = repeat(
            f"bare WeasyPrint render of nl/index.html ({variant or 'plain PDF'}), fresh process",
            runs,
            lambda args=args: run(args, env=env),
            after=lambda _i, r: r.json(),
        )
    results["python"] = repeat("python -c pass", runs, lambda: run([PYTHON, "-c", "pass"], env=env))
    results["imports"] = repeat(
        "python -c 'import generator.build'",
        runs,
        lambda: run([PYTHON, "-c", "import generator.build"], env=env),
    )
    results["imports_cli"] = repeat(
        "python -c 'import generator.cli'",
        runs,
        lambda: run([PYTHON, "-c", "import generator.cli"], env=env),
    )
    results["importtime"] = import_times(env)
    return results


def import_times(env: dict, count: int = 16) -> list[tuple[str, int]]:
    """`-X importtime` of generator.cli: each module's cumulative microseconds, the least of 3 runs."""
    best: dict[str, int] = {}
    for _ in range(3):
        done = run([PYTHON, "-X", "importtime", "-c", "import generator.cli"], env=env)
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, name = (part for part in line.split("|"))
            key = name.rstrip()
            best[key] = min(best.get(key, 10**12), int(cumulative))
    rows = sorted(best.items(), key=lambda item: item[1], reverse=True)[:count]
    return [(name.replace(" ", "\u00a0"), micro) for name, micro in rows]
