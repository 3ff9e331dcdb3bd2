"""One build through generator.build.build(), with every stage it calls timed in this process.

    python benchmarks/stages.py ROOT OUT CACHE [--skip-pdf] [--profile FILE]

Prints one JSON object: the import time, the time of each stage, the whole build, the build's notes.
The stages are timed by wrapping the functions generator.build looks up when it runs, so the
pipeline that runs is the product's own. With --skip-pdf the PDF stage is replaced, in this
process only, by one that makes no PDF: the product has no switch for that (yet).
"""

from __future__ import annotations

import inspect
import json
import resource
import sys
import time
from pathlib import Path

started = time.perf_counter()
import generator.build as pipeline  # noqa: E402
from generator.pdf import Rendered  # noqa: E402

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
            cpu[name] += cpu_seconds() - start_cpu

    return wrapper


def no_pdfs(documents, site, cache):
    return Rendered({}, 0, 0)


def main(argv: list[str]) -> None:
    root, out, cache = (Path(a) for a in argv[:3])
    skip_pdf = "--skip-pdf" in argv
    profile = argv[argv.index("--profile") + 1] if "--profile" in argv else None
    if "render_documents" not in STAGES:
        raise SystemExit("generator.build calls no render_documents: update benchmarks/stages.py")
    for name in STAGES:
        function = no_pdfs if (skip_pdf and name == "render_documents") else getattr(pipeline, name)
        setattr(pipeline, name, timed(name, function))
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    site = pipeline.build(root.resolve(), out, cache=cache)
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
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
