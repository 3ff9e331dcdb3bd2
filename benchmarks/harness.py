# ruff: noqa: RUF001 - fmt_stats typesets ranges with an en dash
"""Running a command and measuring it: wall time, peak memory of its process tree, how busy the
rest of the machine was; repeated runs and their medians; the formats the report uses."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PDF_LINE = re.compile(r"PDFs: (\d+) rendered, (\d+) from the cache(?:, (\d+) reused from .*)?[.;]")
NOTHING_CHANGED = "Nothing changed since the last build"
MB = 1024 * 1024


@dataclass
class Run:
    wall: float
    maxrss: int  # bytes: the largest single process of the tree (wait4's ru_maxrss, or the
    # largest peak sampled from /proc, should a process escape wait4)
    tree_peak: int  # bytes: the largest sum of PSS over the process tree, sampled every 50 ms
    stdout: str
    stderr: str
    returncode: int
    others: float = 0.0  # cores the rest of the machine kept busy meanwhile, on average

    def json(self) -> dict:
        return json.loads(self.stdout.strip().splitlines()[-1])


class TreeSampler(threading.Thread):
    """The PSS of a process and all its descendants, summed, sampled until stopped; and the
    largest peak RSS (VmHWM) of any one of them. PSS (proportional set size) counts a page that
    n processes share as 1/n in each, so the sum is the memory the tree really takes; summed RSS
    would count what forked processes share once per process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.largest, self.done = pid, 0, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            tree = _tree(self.pid)
            self.peak = max(self.peak, sum(_pss(pid) for pid in tree))
            self.largest = max([self.largest, *(_hwm(pid) for pid in tree)])


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            pass
    return found


def _hwm(pid: int) -> int:
    return _kilobytes(f"/proc/{pid}/status", "VmHWM:")  # the process's peak RSS


def _pss(pid: int) -> int:
    return _kilobytes(f"/proc/{pid}/smaps_rollup", "Pss:")


def _kilobytes(path: str, field: str) -> int:
    """A field of a /proc file that counts in kB, in bytes; 0 once the process has ended."""
    try:
        with open(path) as lines:
            line = next(line for line in lines if line.startswith(field))
        return int(line.split()[1]) * 1024
    except (OSError, StopIteration, ValueError):
        return 0


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy since it started (all cores)."""
    with open("/proc/stat") as stat:
        fields = [int(f) for f in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run(cmd: list, *, cwd: Path | None = None, env: dict | None = None, check: bool = True) -> Run:
    """One command, timed from start to exit, with the peak memory of its process tree and how
    busy the rest of the machine was meanwhile."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy = busy_seconds()
        start = time.perf_counter()
        process = subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        ours = usage.ru_utime + usage.ru_stime
        others = max(0.0, busy_seconds() - busy - ours) / wall
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(
            wall,
            max(usage.ru_maxrss * 1024, sampler.largest),
            sampler.peak,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            process.returncode,
            others,
        )
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass
class Series:
    """Repeated runs of one measurement: the wall times and whatever else each run reported."""

    name: str
    runs: list[Run] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)

    def values(self, key=None) -> list[float]:
        if key is None:
            return [r.wall for r in self.runs]
        return [key(e) for e in self.extra]

    def median(self, key=None) -> float:
        return statistics.median(self.values(key))

    def stats(self, key=None) -> dict:
        values = self.values(key)
        return {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
            "runs": len(values),
        }

    @property
    def maxrss(self) -> int:
        return max(r.maxrss for r in self.runs)

    @property
    def tree_peak(self) -> int:
        return max(r.tree_peak for r in self.runs)

    @property
    def others(self) -> float:
        return statistics.median(r.others for r in self.runs)


def repeat(name: str, runs: int, once, *, warmup: int = 1, before=None, after=None) -> Series:
    """`once()` -> Run, warmup + runs times; before(i) and after(i, run) around each (not timed)."""
    series = Series(name)
    for index in range(warmup + runs):
        if before:
            before(index)
        result = once()
        extra = after(index, result) if after else None
        if index >= warmup:
            series.runs.append(result)
            series.extra.append(extra or {})
    log(
        f"  {name}: {fmt_stats(series.stats())}; the rest of the machine kept {series.others:.2f} cores busy"
    )
    ALL_SERIES.append(series)
    return series


ALL_SERIES: list[Series] = []


def interleave(specs: list[tuple], runs: int, warmup: int = 1) -> dict[str, Series]:
    """Each spec, (key, name, once, before, after) as for repeat(), run in turn, round after round:
    what a ratio compares meets the same load from the rest of a shared machine."""
    series = {key: Series(name) for key, name, *_ in specs}
    for index in range(warmup + runs):
        for key, _name, once, before, after in specs:
            if before:
                before(index)
            result = once()
            extra = after(index, result) if after else None
            if index >= warmup:
                series[key].runs.append(result)
                series[key].extra.append(extra or {})
    for s in series.values():
        log(
            f"  {s.name}: {fmt_stats(s.stats())}; the rest of the machine kept {s.others:.2f} cores busy"
        )
        ALL_SERIES.append(s)
    return series


def log(message: str) -> None:
    print(message, flush=True)


def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_stats(stats: dict) -> str:
    text = f"{fmt_s(stats['median'])} ({fmt_s(stats['min'])}–{fmt_s(stats['max'])}"
    return text + f", {stats['runs']} run{'s' if stats['runs'] != 1 else ''})"


def fmt_mb(size: int) -> str:
    """A size; 0 is a process tree that ended before TreeSampler's first sample."""
    return f"{size / MB:.0f} MB" if size else "– (ended within 50 ms: not sampled)"


def pdf_counts(text: str) -> tuple[int, int]:
    """PDFs rendered and taken from the cache, as the build's output says; none for a rebuild
    that found nothing changed (it loads no renderer at all)."""
    if NOTHING_CHANGED in text:
        return 0, 0
    found = PDF_LINE.search(text)
    if not found:
        raise RuntimeError(f"no 'PDFs: …' line in the build's output:\n{text}")
    return int(found.group(1)), int(found.group(2))


def pdfs_reused(text: str) -> int:
    found = PDF_LINE.search(text)
    return int(found.group(3) or 0) if found else 0


def to_json(value):
    if isinstance(value, Series):
        return {
            "stats": value.stats(),
            "maxrss": value.maxrss,
            "tree_peak": value.tree_peak,
            "walls": value.values(),
            "extra": value.extra,
        }
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
