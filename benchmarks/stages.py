"""One build through generator.build.build(), with every stage it calls timed in this process.

    python benchmarks/stages.py ROOT OUT CACHE [--no-pdf] [--profile FILE]

Prints one JSON object: the import time, the time of each stage, the whole build, the build's
notes, and when and where each PDF was rendered. The stages are timed by wrapping the functions
generator.build looks up when it runs, so the pipeline that runs is the product's own; --no-pdf is
the product's own too (`statement build --no-pdf`: generator.build.build(pdfs=False)).
"""

from __future__ import annotations

import inspect
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

started = time.perf_counter()
import generator.build as pipeline  # noqa: E402
import generator.pdf as pdf  # noqa: E402

imported = time.perf_counter()

# The stages are the functions generator.build calls by name: every function in its namespace
# (imported from the other generator modules, or its own helpers), found when this runs, so that
# a change of the pipeline needs no change here. Only the outermost call is timed: a stage that
# calls another stage counts once. generator.errors' helpers (gather, raise_all) are not stages:
# the stages they run are timed.
SKIP = {"build", "make_site"}
STAGES = tuple(
    name
    for name, value in vars(pipeline).items()
    if inspect.isfunction(value)
    and value.__module__.startswith("generator")
    and value.__module__ != "generator.errors"
    and name not in SKIP
)
times: dict[str, float] = {}  # in the order of their first call
cpu: dict[str, float] = {}  # this process's and its children's
depth = 0


def cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the PDF workers, git)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(name: str, function):
    def wrapper(*args, **kwargs):
        global depth
        if depth:
            return function(*args, **kwargs)
        depth += 1
        times.setdefault(name, 0.0)
        cpu.setdefault(name, 0.0)
        start, start_cpu = time.perf_counter(), cpu_seconds()
        try:
            return function(*args, **kwargs)
        finally:
            depth -= 1
            times[name] += time.perf_counter() - start
            if name == "render_documents":
                stop_pdf_server()
            cpu[name] += cpu_seconds() - start_cpu

    return wrapper


def stop_pdf_server() -> None:
    """The PDF workers fork from multiprocessing's forkserver: their CPU time reaches this
    process's children's only once the server ends and is waited for. End it now (as the build
    would at its exit), so that the stage's CPU time counts them."""
    from multiprocessing import forkserver

    if forkserver._forkserver._forkserver_pid is not None:
        forkserver._forkserver._stop()


# When each PDF was rendered and by which process: the PDF workers append a line per PDF. The
# workers import this module again (they fork from multiprocessing's forkserver), so the file is
# named in the environment, which the server inherits; perf_counter is the system's monotonic
# clock, the same in every process.
if "STATEMENT_BENCH_JOBS" not in os.environ:
    os.environ["STATEMENT_BENCH_JOBS"] = tempfile.mkstemp(prefix="statement-bench-jobs-")[1]
JOBS = Path(os.environ["STATEMENT_BENCH_JOBS"])
render_job = pdf._render_job


def logged_job(job):
    start = time.perf_counter()
    try:
        return render_job(job)
    finally:
        line = f"{os.getpid()} {start} {time.perf_counter()}\n"
        with open(JOBS, "a") as log:
            log.write(line)


def pdf_jobs() -> dict:
    """How many processes rendered the PDFs, and how many PDFs were being rendered at once on
    average while any was (the sum of the renders' times over the span from the first start to
    the last end): about the number of workers when they work in parallel, however busy the
    machine is."""
    rows = [line.split() for line in JOBS.read_text().splitlines()]
    JOBS.unlink()
    if not rows:
        return {"pdfs": 0, "processes": 0, "busy": 0.0, "span": 0.0, "concurrency": 0.0}
    spans = [(float(start), float(end)) for _, start, end in rows]
    busy = sum(end - start for start, end in spans)
    span = max(end for _, end in spans) - min(start for start, _ in spans)
    return {
        "pdfs": len(rows),
        "processes": len({pid for pid, _, _ in rows}),
        "busy": busy,
        "span": span,
        "concurrency": busy / span if span else 0.0,
    }


def main(argv: list[str]) -> None:
    root, out, cache = (Path(a) for a in argv[:3])
    pdfs = "--no-pdf" not in argv
    profile = argv[argv.index("--profile") + 1] if "--profile" in argv else None
    pdf._render_job = logged_job
    for name in STAGES:
        setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    site = pipeline.build(root.resolve(), out, cache=cache, pdfs=pdfs)
    total = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    print(
        json.dumps(
            {
                "import": imported - started,
                "stages": times,
                "cpu": cpu,
                "build": total,
                "notes": list(site.notes),
                "files": len(site.files),
                "pdf_jobs": pdf_jobs(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
