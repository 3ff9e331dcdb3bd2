"""`make bench`: our build against the mkdocs stack and against the limits, on this machine, in one run.

    .venv/bin/python benchmarks/bench.py [--quick] [--runs N]

Sets up the peer stack in its own virtual environment (benchmarks/.peer-venv), makes everything
it measures in a temporary folder (removed at the end), and writes benchmarks/RESULTS.md.
Every figure is the median of N runs (5 unless told) after one warm-up run, with min and max,
except where RESULTS.md says otherwise. --quick is for trying the script: 2 runs, small histories.

Each group of measurements is a module of its own: ems.py (1, 2), histories.py (3), limits.py (4);
harness.py runs and times commands, report.py writes RESULTS.md, targets.py judges the targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from ems import measure_ems  # noqa: E402
from harness import fmt_s, log, pdf_counts, to_json  # noqa: E402
from histories import measure_history  # noqa: E402
from limits import measure_limits  # noqa: E402
from peer_stack import setup_peer  # noqa: E402
from project import REPO, compile_program  # noqa: E402
from report import machine, write_results  # noqa: E402
from targets import evaluate  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
RAW = BENCH / "results.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a trial: 2 runs, histories of 100 and 300 commits"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per figure after the warm-up (default 5)"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="with --quick: also the whole build with PDFs of its larger history",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    runs = args.runs or (2 if args.quick else 5)
    sizes = (100, 300) if args.quick else (100, 1000, 5000)
    data: dict = {"date": dt.date.today().isoformat(), "machine": machine()}
    data["setup"] = setup_peer()
    compile_program()
    with tempfile.TemporaryDirectory(prefix="statement-bench-") as scratch:
        work = Path(scratch)
        data["ems"], data["peer"] = measure_ems(work, runs, data["setup"])
        data["history"] = {}
        # The whole build with PDFs renders 4 PDFs a version (2 languages, the version and its
        # changes): about 400 for 1,000 commits and 2,000 for 5,000. Those run once, after the
        # builds without PDFs (the 5,000-commit one, about 6 minutes, measures the peak memory).
        plan = {
            # the history read against git log -p: a pair takes half a second, so more pairs,
            # most for the 1,000 commits its target is set on
            100: {"read": max(runs, 9), "nopdf": runs, "pdf": runs, "edit": runs},
            1000: {"read": max(runs, 15), "nopdf": runs, "pdf": 1},
            5000: {
                "read": max(1, min(runs, 3)),
                "nopdf": max(1, min(runs, 3)),
                "pdf": 1,
            },
            300: {"read": runs, "nopdf": runs, "pdf": 1 if args.full else 0},
        }
        for commits in sizes:
            data["history"][commits] = measure_history(
                work, commits, plan[commits], profile=commits == sizes[1]
            )
        data["runs_note"] = (
            "Fewer runs where the build renders hundreds of PDFs: the whole build with PDFs runs once, "
            "without warm-up, for 1,000 commits (about 400 PDFs) and 5,000 (about 2,000; "
            "the builds without PDFs just before warmed the disk cache), and the 5,000-commit history "
            f"read and build without PDFs run {plan[5000]['nopdf']} times after the warm-up."
            if not args.quick
            else "--quick: a trial, fewer runs and smaller histories."
        )
        batch = data["history"][sizes[0]]["pdf"]
        per_pdf = (
            batch.median(lambda e: e["cpu"]["render_documents"])
            / pdf_counts(" ".join(batch.extra[0]["notes"]))[0]
        )
        data["skipped_note"] = (
            f"the whole build with PDFs of the {sizes[-1]:,}-commit history renders about 2,000 PDFs, "
            f"about {per_pdf * 1998 / (os.cpu_count() or 1) / 60:.0f} minutes on this machine at the "
            f"measured {fmt_s(per_pdf)} of CPU a PDF, more than the whole `make bench` may take."
        )
        data["limits"] = measure_limits(work, data["ems"]["site"], runs)
        data["machine"]["load_after"] = os.getloadavg()
        data["elapsed"] = time.perf_counter() - started
        data["targets"] = evaluate(data)
        RESULTS.write_text(write_results(data, args.quick), encoding="utf-8")
        RAW.write_text(json.dumps(to_json(data), indent=1) + "\n", encoding="utf-8")
    log(
        f"wrote {RESULTS.relative_to(REPO)} and {RAW.relative_to(REPO)} in {fmt_s(time.perf_counter() - started)}"
    )
    for t in data["targets"]:
        log(f"  {t['status'].split(':')[0]:14} {t['what']}: {t['measured']}")


if __name__ == "__main__":
    main()
