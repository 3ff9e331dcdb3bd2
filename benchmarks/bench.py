# ruff: noqa: RUF001 - the report is typeset: en dashes for ranges, the multiplication sign for ratios
"""`make bench`: our build against the mkdocs stack and against the limits, on this machine, in one run.

    .venv/bin/python benchmarks/bench.py [--quick] [--runs N]

Sets up the peer stack in its own virtual environment (benchmarks/.peer-venv), makes everything
it measures in a temporary folder (removed at the end), and writes benchmarks/RESULTS.md.
Every figure is the median of N runs (5 unless told) after one warm-up run, with min and max,
except where RESULTS.md says otherwise. --quick is for trying the script: 2 runs, small histories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from peer import make_peer  # noqa: E402
from synth import PROJECT_PARTS, Text, git, gray, make_history  # noqa: E402

PYTHON = Path(sys.executable)  # the project's venv: `make bench` runs us with .venv/bin/python
STATEMENT = PYTHON.parent / "statement"
PEER_VENV = BENCH / ".peer-venv"
PEER_STACK = (
    "mkdocs==1.6.1",
    "mkdocs-static-i18n==1.3.1",
    "mkdocs-git-revision-date-localized-plugin==1.6.3",
)
PEER_PDF = "mkdocs-to-pdf==0.12.1"
RESULTS = BENCH / "RESULTS.md"
RAW = BENCH / "results.json"
PRODUCT_PARTS = ("generator", "templates", "locales", "statement", "pyproject.toml")
PDF_LINE = re.compile(r"PDFs: (\d+) rendered, (\d+) from the cache\.")
MB = 1024 * 1024


# --- running and measuring -----------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    maxrss: int  # bytes: the largest single process of the tree (wait4's ru_maxrss)
    tree_peak: int  # bytes: the largest sum of RSS over the process tree, sampled every 20 ms
    stdout: str
    stderr: str
    returncode: int
    others: float = 0.0  # cores the rest of the machine kept busy meanwhile, on average

    def json(self) -> dict:
        return json.loads(self.stdout.strip().splitlines()[-1])


class TreeSampler(threading.Thread):
    """The RSS of a process and all its descendants, summed, sampled until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            tree = _tree(self.pid)
            self.peak = max(self.peak, sum(_rss(pid) for pid in tree))


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


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
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
            usage.ru_maxrss * 1024,
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
    return f"{size / MB:.0f} MB"


def pdf_counts(text: str) -> tuple[int, int]:
    found = PDF_LINE.search(text)
    if not found:
        raise RuntimeError(f"no 'PDFs: …' line in the build's output:\n{text}")
    return int(found.group(1)), int(found.group(2))


# --- the project and its copies ---------------------------------------------------------------------

GIT_DATES = iter(range(10**9))


def commit_all(root: Path, message: str) -> None:
    when = f"@{1_700_000_000 + next(GIT_DATES) * 60} +0100"
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, env=dates)


def copy_project(target: Path) -> Path:
    """statement/, templates/ and locales/ as a git repository with one commit (the statement's)."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        shutil.copytree(
            REPO / part, target / part, ignore=shutil.ignore_patterns("*.mo", "__pycache__")
        )
    (target / "statement" / "editorial-commits").unlink(missing_ok=True)  # names our repo's commits
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "The statement of 23 February 2021")
    return target


class Editor:
    """Edits one section of the statement in both languages, a different word every time."""

    def __init__(self, root: Path, start: int = 0) -> None:
        self.root = root
        self.texts = {
            lang: Text((REPO / "statement" / f"{lang}.md").read_text(encoding="utf-8"), lang)
            for lang in ("nl", "en")
        }
        self.count = start

    def edit(self, commit: bool) -> None:
        self.count += 1
        state = gray(self.count, self.texts["nl"].sections)
        for lang, text in self.texts.items():
            (self.root / "statement" / f"{lang}.md").write_bytes(text.render(state))
        if commit:
            commit_all(
                self.root, f"Reword a sentence ({self.count})\n\nEditorial: a word, same meaning"
            )


def pages_with_changed_pdf_source(before: dict[str, bytes], out: Path) -> int:
    """How many of the site's PDFs have a page (the index.html beside them) that changed."""
    changed = 0
    for pdf in out.rglob("*.pdf"):
        page = (pdf.parent / "index.html").relative_to(out).as_posix()
        if before.get(page) != (out / page).read_bytes():
            changed += 1
    return changed


def html_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def stages_cmd(root: Path, out: Path, cache: Path, *flags: str) -> list:
    return [PYTHON, BENCH / "stages.py", root, out, cache, *flags]


def project_env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}


def fresh(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


# --- the peer stack -----------------------------------------------------------------------------------


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


# --- the measurements ---------------------------------------------------------------------------------


def measure_ems(work: Path, runs: int, setup: dict) -> tuple[dict, dict]:
    log("1. and 2. the EMS statement built by us and by the peer, in turn")
    root = copy_project(work / "ems")
    out, cache = work / "ems-site", work / "ems-cache"
    cli = [STATEMENT, "build", "--root", root, "--out", out, "--cache", cache]
    out2, cache2 = work / "ems-site-nopdf", work / "ems-cache-nopdf"
    cli_nopdf = [STATEMENT, "build", "--root", root, "--out", out2, "--cache", cache2, "--no-pdf"]
    results: dict = {}

    def counted(_i, result: Run) -> dict:
        rendered, cached = pdf_counts(result.stdout)
        return {"rendered": rendered, "cached": cached}

    peer, peer_specs = peer_setup(work, setup)
    ours = [
        (
            "cold",
            "cold build (no site, no cache)",
            lambda: run(cli),
            lambda _i: fresh(out, cache),
            counted,
        ),
        ("nochange", "rebuild, no change", lambda: run(cli), None, counted),
        (
            "cold_nopdf",
            "cold build without PDFs (statement build --no-pdf)",
            lambda: run(cli_nopdf),
            lambda _i: fresh(out2, cache2),
            None,
        ),
    ]
    measured = interleave([*ours, *peer_specs], runs)
    for key, *_ in ours:
        results[key] = measured[key]
    peer_results(peer, measured)

    editor = Editor(root)
    for label, commit in (("edit_committed", True), ("edit_uncommitted", False)):
        snapshot: dict = {}

        def before(_i, commit=commit, snapshot=snapshot) -> None:
            snapshot.clear()
            snapshot.update(html_of(out))
            editor.edit(commit)

        def after(i, result: Run, snapshot=snapshot) -> dict:
            rendered, cached = pdf_counts(result.stdout)
            return {
                "rendered": rendered,
                "cached": cached,
                "expected": pages_with_changed_pdf_source(snapshot, out),
            }

        what = "committed as editorial" if commit else "uncommitted (a draft)"
        results[label] = repeat(
            f"rebuild after a one-section edit, {what}",
            runs,
            lambda: run(cli),
            before=before,
            after=after,
        )
    git(
        root, "checkout", "-q", "--", "statement"
    )  # the uncommitted edit undone: back to the last commit

    env = project_env()
    results["cold_nopdf_stages"] = repeat(
        "cold build without PDFs, stages timed",
        runs,
        lambda: run(stages_cmd(root, out, cache, "--no-pdf"), env=env),
        before=lambda _i: fresh(out, cache),
        after=lambda _i, r: r.json(),
    )
    results["cold_stages"] = repeat(
        "cold build with PDFs, stages timed",
        runs,
        lambda: run(stages_cmd(root, out, cache), env=env),
        before=lambda _i: fresh(out, cache),
        after=lambda _i, r: r.json(),
    )
    results["nochange_stages"] = repeat(
        "rebuild with no change, stages timed",
        runs,
        lambda: run(stages_cmd(root, out, cache), env=env),
        after=lambda _i, r: r.json(),
    )
    fresh(cache)
    profile = work / "ems-cold.prof"
    fresh(out)
    run(stages_cmd(root, out, cache, "--profile", profile), env=env)
    results["profile_cold"] = top_of_profile(profile)
    fresh(cache)
    run(cli)  # the site that the limits below render
    results["page_weight"] = page_weight(out)
    results["site"] = out
    return results, peer


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


def measure_history(work: Path, commits: int, runs: dict, profile: bool) -> dict:
    log(f"3. a synthetic history of {commits:,} commits")
    start = time.perf_counter()
    root = make_history(work / f"history-{commits}", commits)
    results: dict = {"make": time.perf_counter() - start}
    log(f"  made with git fast-import in {fmt_s(results['make'])}")
    env = project_env()
    n = runs["read"]
    results["git_log"] = repeat(
        "git log -p --first-parent -- statement/",
        n,
        lambda: run(["git", "log", "-p", "--first-parent", "--", "statement/"], cwd=root),
    )
    results["read"] = repeat(
        "read_history + versions_of (no cache; subprocess wall)",
        n,
        lambda: run([PYTHON, BENCH / "read_history.py", root], env=env),
        after=lambda _i, r: r.json(),
    )
    out, cache = work / f"history-{commits}-site", work / f"history-{commits}-cache"
    results["nopdf"] = repeat(
        "build without PDFs (--no-pdf)",
        runs["nopdf"],
        lambda: run(stages_cmd(root, out, cache, "--no-pdf"), env=env),
        before=lambda _i: fresh(out, cache),
        after=lambda _i, r: r.json(),
    )
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


ENTRY_POINTS = {
    "wrapper",
    "main",
    "build",
    "make_site",
    "<module>",
    "<lambda>",
    "gather",
    "attempt",
}


def top_of_profile(path: Path, count: int = 12, own: int = 8) -> dict:
    """The functions with the most cumulative time (the entry points that hold everything left
    out) and those with the most time of their own (builtins included)."""
    stats = pstats.Stats(str(path))
    total = stats.total_tt
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        where = filename
        for marker in ("site-packages/", "lib/python3.11/", str(REPO) + "/"):
            if marker in filename:
                where = filename.split(marker, 1)[1]
        if where.startswith("benchmarks/"):
            continue
        label = name if where == "~" else f"{where}:{line}({name})"
        rows.append(
            {
                "function": label,
                "calls": calls,
                "tottime": tottime,
                "cumtime": cumtime,
                "share": cumtime / total,
                "own_share": tottime / total,
                "entry": name in ENTRY_POINTS or where.startswith(("~", "<")),
            }
        )
    cumulative = sorted(
        (r for r in rows if not r["entry"]), key=lambda r: r["cumtime"], reverse=True
    )
    by_own = sorted(rows, key=lambda r: r["tottime"], reverse=True)
    return {"total": total, "cumulative": cumulative[:count], "own": by_own[:own]}


# --- the report ---------------------------------------------------------------------------------------


def machine() -> dict:
    names = [
        line.split(":", 1)[1].strip()
        for line in Path("/proc/cpuinfo").read_text().splitlines()
        if line.startswith("model name")
    ]
    model = names[0] if names else platform.processor()
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) * 1024
    git_version = subprocess.run(
        ["git", "--version"], capture_output=True, text=True
    ).stdout.strip()
    head = git(REPO, "rev-parse", "--short", "HEAD").strip()
    changed = git(REPO, "status", "--porcelain", "--", *PRODUCT_PARTS).splitlines()
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "git": git_version,
        "load_before": os.getloadavg(),
        "commit": head,
        "uncommitted": [line[3:] for line in changed],
    }


def status(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def write_results(data: dict, quick: bool) -> str:
    m, ems, peer, hist, lim, setup = (
        data[k] for k in ("machine", "ems", "peer", "history", "limits", "setup")
    )
    lines: list[str] = []
    add = lines.append
    add("# Benchmark results")
    add("")
    add(
        f"Measured by `make bench` on {data['date']}{' (--quick: a trial run, not the real figures)' if quick else ''}. "
        "**Absolute times vary by machine, and by what else runs on it; the ratios, measured in the same run, "
        "are what to compare.** Each figure is the median of its runs after one warm-up run, with (min–max, "
        "number of runs); the exceptions are marked."
    )
    add("")
    add("## Machine")
    add("")
    add(f"- {m['cores']} cores ({m['cpu']}), {m['memory'] / 2**30:.1f} GiB memory, {m['system']}")
    add(f"- Python {m['python']}, {m['git']}")
    add(
        f"- the product as of commit {m['commit']}"
        + (
            f", with uncommitted changes in {', '.join(m['uncommitted'])}"
            if m["uncommitted"]
            else ""
        )
    )
    add(
        f"- load average before / after the run: {m['load_before'][0]:.2f} / {m['load_after'][0]:.2f} "
        "(1 minute; anything above 0 is other work sharing the cores)"
    )
    add(f"- the whole `make bench` took {fmt_s(data['elapsed'])}")
    add("")

    # ---- targets
    targets = data["targets"]
    add("## Targets of issue 7")
    add("")
    add("| target | measured | status |")
    add("| --- | --- | --- |")
    for target in targets:
        add(f"| {target['what']} | {target['measured']} | {target['status']} |")
    add("")

    # ---- 1
    add("## 1. The EMS statement, built by us")
    add("")
    add(
        "A copy of statement/, templates/ and locales/ as a git repository with one commit; "
        "`.venv/bin/statement build --root COPY --out SITE --cache CACHE` in a subprocess, wall time. "
        "The edit changes one word of one section in both languages; the committed edit is an editorial "
        "commit (`Editorial:` trailer), the uncommitted one builds a draft. Each edit is a new word, so no "
        "PDF of it can come from the cache. The cold build, the rebuild with no change, the cold build "
        "without PDFs and the peer's two builds (section 2) run in turn, round after round, so that the "
        "ratios between them meet the same load from the rest of the machine."
    )
    add("")
    add(
        "| build | time | PDFs rendered (from the cache) | peak memory (largest process / process tree) |"
    )
    add("| --- | --- | --- | --- |")
    for key, label in (
        ("cold", "cold (no site/, no cache)"),
        ("nochange", "rebuild, no change"),
        ("edit_committed", "rebuild after a one-section edit, committed as editorial"),
        ("edit_uncommitted", "rebuild after a one-section edit, uncommitted (draft)"),
        ("cold_nopdf", "cold, without PDFs (`--no-pdf`)"),
    ):
        s = ems[key]
        counts = "–"
        if s.extra and "rendered" in s.extra[0]:
            counts = ", ".join(sorted({f"{e['rendered']} ({e['cached']})" for e in s.extra}))
            if "expected" in s.extra[0]:
                counts += (
                    f"; pages changed: {', '.join(sorted({str(e['expected']) for e in s.extra}))}"
                )
        add(
            f"| {label} | {fmt_stats(s.stats())} | {counts} | {fmt_mb(s.maxrss)} / {fmt_mb(s.tree_peak)} |"
        )
    add("")
    add(
        "Without PDFs is the product's own `statement build --no-pdf`: the pages without the PDFs and "
        "without the links to them."
    )
    add("")
    add(
        "Where a cold build's time goes (`benchmarks/stages.py`, the product's stages timed in process; medians):"
    )
    add("")
    add(
        stage_table(
            [
                ("cold, with PDFs", ems["cold_stages"]),
                ("cold, without PDFs", ems["cold_nopdf_stages"]),
                ("rebuild, no change", ems["nochange_stages"]),
            ]
        )
    )
    add("")
    weight = ems["page_weight"]
    add(
        f"The Dutch current page: {weight['html']:,} bytes of HTML + "
        + " + ".join(f"{size:,} ({href})" for href, size in weight["css"].items())
        + f" of CSS = **{weight['total'] / 1024:.1f} KB**, {'with' if weight['script'] else 'no'} script."
    )
    add("")

    # ---- 2
    add(
        "## 2. The peer: mkdocs with mkdocs-static-i18n and mkdocs-git-revision-date-localized-plugin"
    )
    add("")
    versions = setup["versions"]
    add(
        "The same statement as plain Markdown (`{#id}` attributes stripped, the facts of statement.toml "
        "filled in), `docs/index.nl.md` and `docs/index.en.md`, in a git repository; the theme is mkdocs' own; "
        "the git-date plugin writes the date of the last commit under the title, in each language. "
        "`mkdocs build` from a clean output folder, in benchmarks/.peer-venv: "
        + ", ".join(f"{name} {version}" for name, version in versions.items() if version)
        + "."
    )
    add("")
    add("| build | time | peak memory (largest process / process tree) |")
    add("| --- | --- | --- |")
    add(
        f"| `mkdocs build` | {fmt_stats(peer['cold'].stats())} | {fmt_mb(peer['cold'].maxrss)} / {fmt_mb(peer['cold'].tree_peak)} |"
    )
    if peer.get("pdf"):
        s = peer["pdf"]
        add(
            f"| `mkdocs build` with mkdocs-to-pdf | {fmt_stats(s.stats())} | {fmt_mb(s.maxrss)} / {fmt_mb(s.tree_peak)} |"
        )
    add("")
    add(f"It writes {peer['files']} files; its pages: {', '.join(peer['pages'])}.")
    add("")
    if not setup["pdf_installed"]:
        add(
            f"**mkdocs-to-pdf did not install**, so there is no peer figure with PDFs. pip said:\n\n```\n{setup['pdf_install_output']}\n```"
        )
    elif peer.get("pdf_error"):
        add(
            f"**mkdocs-to-pdf installed but does not run** with this configuration:\n\n```\n{peer['pdf_error']}\n```"
        )
    else:
        add(
            f"mkdocs-to-pdf installs (with WeasyPrint {versions.get('weasyprint')}) and runs, but it does not know "
            "about mkdocs-static-i18n: it runs once per language build and both write the same "
            f"output path, so the site ends with {len(peer['pdf_files'])} PDF ({', '.join(peer['pdf_files'])}), "
            "the last language's, and the Dutch PDF is lost. Its own log: "
            + "; ".join(f"`{line.split('-', 1)[-1].strip()}`" for line in peer["pdf_log"])
            + ". We make one tagged PDF per language and version."
        )
    add("")

    # ---- 3
    add("## 3. Synthetic histories")
    add("")
    add(
        "Made by `benchmarks/synth.py` with one `git fast-import`: the EMS project as the first commit, then "
        "commits that all touch statement/; every 10th sets a new effective date with a new [summary] in "
        "both languages, the 9 between are editorial (`Editorial:` trailer) and change one word in one "
        "section in both languages. History read: `benchmarks/read_history.py` (read_history + versions_of, "
        "no cache) in a subprocess; its in-process time leaves out the interpreter's start and the imports, "
        "the subprocess's wall time does not. Builds: `benchmarks/stages.py` (generator.build.build() in a "
        "subprocess, cold: no site, no cache; without PDFs is `pdfs=False`, what `--no-pdf` does)."
    )
    add("")
    add(
        "| commits (versions) | git log -p | history read, in process | history read, subprocess | "
        "build without PDFs | whole build with PDFs | PDFs rendered |"
    )
    add("| --- | --- | --- | --- | --- | --- | --- |")
    for commits, h in hist.items():
        read = h["read"]
        pdf = h["pdf"]
        made = pdf_counts(" ".join(pdf.extra[0]["notes"]))[0] if pdf else "–"
        add(
            f"| {commits:,} ({h['versions']}) | {fmt_stats(h['git_log'].stats())} | "
            f"{fmt_stats(read.stats(lambda e: e['total']))} | {fmt_stats(read.stats())} | "
            f"{fmt_stats(h['nopdf'].stats())} | {fmt_stats(pdf.stats()) if pdf else 'not run ²'} | "
            f"{made} |"
        )
    add("")
    add("Time per version (median ÷ versions), and its growth from the smallest history to each:")
    add("")
    first = next(iter(hist))
    add("| commits | history read | build without PDFs | whole build with PDFs |")
    add("| --- | --- | --- | --- |")
    for commits, h in hist.items():
        cells = []
        for key, getter in (("read", lambda e: e["total"]), ("nopdf", None), ("pdf", None)):
            if h[key] is None:
                cells.append("not run ²")
                continue
            per = h[key].median(getter) / h["versions"]
            base = hist[first][key].median(getter) / hist[first]["versions"]
            growth = f" ({(per / base - 1) * 100:+.0f}%)" if commits != first else ""
            cells.append(f"{per * 1000:.1f} ms{growth}")
        add(f"| {commits:,} | {' | '.join(cells)} |")
    add("")
    add("Where the builds' time goes (stages timed in process; medians of the runs above):")
    add("")
    for commits, h in hist.items():
        add(f"**{commits:,} commits**")
        add("")
        columns = [("without PDFs", h["nopdf"])] + ([("with PDFs", h["pdf"])] if h["pdf"] else [])
        add(stage_table(columns))
        add("")
    for commits, h in hist.items():
        if h.get("edit"):
            s = h["edit"]
            counts = ", ".join(sorted({f"{e['rendered']} ({e['cached']})" for e in s.extra}))
            expected = ", ".join(sorted({str(e["expected"]) for e in s.extra}))
            add(
                f"A one-section edit of the current version of the {commits:,}-commit history, committed as "
                f"editorial, then a rebuild: {fmt_stats(s.stats())}; PDFs rendered (from the cache): {counts}; "
                f"PDFs whose page changed: {expected}."
            )
            add("")
    if any(h["pdf"] is None for h in hist.values()):
        add(f"² Not run: {data['skipped_note']} `make bench BENCH_ARGS=--full` runs it.")
        add("")
    runs_note = data["runs_note"]
    if runs_note:
        add(runs_note)
        add("")

    # ---- 4
    add("## 4. The limits")
    add("")
    add("| what | time |")
    add("| --- | --- |")
    for commits, h in hist.items():
        add(
            f"| `git log -p --first-parent -- statement/`, {commits:,} commits (output discarded) | {fmt_stats(h['git_log'].stats())} |"
        )
    for label, key in (
        ("plain PDF", "bare_plain"),
        ("pdf/ua-1, as the product writes it", "bare_pdfua"),
    ):
        s = lim[key]
        add(
            f"| bare WeasyPrint render of nl/index.html with its stylesheets, {label}: render (import excluded) | {fmt_stats(s.stats(lambda e: e['render']))} |"
        )
        add(f"| … its CPU time | {fmt_stats(s.stats(lambda e: e['render_cpu']))} |")
    add(
        f"| `import weasyprint` in a fresh process | {fmt_stats(lim['bare_plain'].stats(lambda e: e['import']))} |"
    )
    add(f"| `python -c pass` | {fmt_stats(lim['python'].stats())} |")
    add(f'| `python -c "import generator.build"` | {fmt_stats(lim["imports"].stats())} |')
    add(
        f'| `python -c "import generator.cli"` (what `statement` loads) | {fmt_stats(lim["imports_cli"].stats())} |'
    )
    add("")

    # ---- 5
    add("## 5. Peak memory of our builds")
    add("")
    add(
        "Largest single process (ru_maxrss from wait4: the build's process or one PDF worker) and the "
        "process tree's summed RSS sampled every 20 ms (it counts pages the forked PDF workers share with "
        "their parent once per process, so it overstates)."
    )
    add("")
    add("| build | largest process | process tree |")
    add("| --- | --- | --- |")
    for key, label in (
        ("cold", "EMS, cold"),
        ("nochange", "EMS, rebuild with no change"),
        ("edit_committed", "EMS, one-section edit"),
    ):
        add(f"| {label} | {fmt_mb(ems[key].maxrss)} | {fmt_mb(ems[key].tree_peak)} |")
    for commits, h in hist.items():
        for key, label in (
            ("read", "history read"),
            ("nopdf", "build without PDFs"),
            ("pdf", "whole build with PDFs"),
        ):
            if h[key] is None:
                continue
            add(
                f"| {commits:,} commits, {label} | {fmt_mb(h[key].maxrss)} | {fmt_mb(h[key].tree_peak)} |"
            )
    add("")

    # ---- profiles
    add("## Where the time goes: profiles")
    add("")
    add(
        "cProfile of one run of `benchmarks/stages.py` (the build's own process; the PDF workers are "
        "other processes and are not in it) and of `benchmarks/read_history.py`. The profiler slows "
        "Python code down, so the shares are what to read, not the times."
    )
    add("")
    profiles = [("EMS, cold build with PDFs", ems["profile_cold"])]
    for c, h in hist.items():
        if h.get("profile"):
            profiles.append((f"{c:,}-commit history, build without PDFs", h["profile"]))
            profiles.append(
                (
                    f"{c:,}-commit history, history read (read_history + versions_of)",
                    h["profile_read"],
                )
            )
    for title, profile in profiles:
        add(f"**{title}** ({fmt_s(profile['total'])} under the profiler)")
        add("")
        add("| most cumulative time | calls | own time | cumulative | share |")
        add("| --- | ---: | ---: | ---: | ---: |")
        for r in profile["cumulative"]:
            add(
                f"| `{r['function']}` | {r['calls']:,} | {fmt_s(r['tottime'])} | {fmt_s(r['cumtime'])} | {r['share'] * 100:.0f}% |"
            )
        add("")
        add("| most time of its own | calls | own time | share |")
        add("| --- | ---: | ---: | ---: |")
        for r in profile["own"]:
            add(
                f"| `{r['function']}` | {r['calls']:,} | {fmt_s(r['tottime'])} | {r['own_share'] * 100:.0f}% |"
            )
        add("")
    add(
        '**Imports**: `python -X importtime -c "import generator.cli"` (what every `statement build` loads '
        "before it does anything; the fastest of 3 runs for each module), the modules with the most cumulative time:"
    )
    add("")
    add("| module (indented: imported by the one above it) | cumulative |")
    add("| --- | ---: |")
    for name, micro in lim["importtime"]:
        add(f"| `{name}` | {fmt_s(micro / 1e6)} |")
    add("")
    text = "\n".join(lines).rstrip() + "\n"
    return text


def stage_table(columns: list[tuple[str, Series]]) -> str:
    """Medians of each stage (in the order the build calls them); stages under 1 ms everywhere
    are summed into one row."""
    names: dict[str, None] = {}
    for _, series in columns:
        for extra in series.extra:
            names.update(dict.fromkeys(extra["stages"]))

    def stage(series: Series, name: str) -> float:
        return series.median(lambda e: e["stages"].get(name, 0.0))

    small = [n for n in names if all(stage(series, n) < 0.001 for _, series in columns)]
    rows = [
        "| stage | " + " | ".join(label for label, _ in columns) + " |",
        "| --- |" + " ---: |" * len(columns),
    ]

    def row(label: str, values: list[float]) -> None:
        rows.append(f"| {label} | " + " | ".join(fmt_s(v) for v in values) + " |")

    row("imports (generator.build)", [s.median(lambda e: e["import"]) for _, s in columns])
    for name in names:
        if name not in small:
            row(f"`{name}`", [stage(s, name) for _, s in columns])
    if small:
        label = "the others (" + ", ".join(f"`{n}`" for n in small) + ")"
        row(label, [sum(stage(s, n) for n in small) for _, s in columns])
    row("**the build (all stages)**", [s.median(lambda e: e["build"]) for _, s in columns])
    return "\n".join(rows)


def evaluate(data: dict) -> list[dict]:
    ems, peer, hist, lim = data["ems"], data["peer"], data["history"], data["limits"]
    cores = data["machine"]["cores"]
    targets = []

    def target(what: str, measured: str, ok: bool | None, note: str = "") -> None:
        state = "informative" if ok is None else status(ok)
        targets.append(
            {
                "what": what,
                "measured": measured,
                "status": state + (f": {note}" if note else ""),
                "ok": ok,
            }
        )

    def by(value: float, limit: float) -> str:
        if value <= limit:
            return f"{(1 - value / limit) * 100:.0f}% under"
        return f"{(value / limit - 1) * 100:.0f}% over"

    ours, theirs = ems["cold_nopdf"].median(), peer["cold"].median()
    target(
        "cold EMS build without PDFs ≤ mkdocs build of the same two pages (ratio ≤ 1.0)",
        f"{fmt_s(ours)} / {fmt_s(theirs)} = {ours / theirs:.2f}",
        ours <= theirs,
        by(ours / theirs, 1.0),
    )
    ours = ems["cold"].median()
    if peer.get("pdf"):
        theirs = peer["pdf"].median()
        target(
            "cold EMS build with PDFs ≤ mkdocs with mkdocs-to-pdf",
            f"{fmt_s(ours)} / {fmt_s(theirs)} = {ours / theirs:.2f}",
            ours <= theirs,
            by(ours / theirs, 1.0) + " (and theirs loses the Dutch PDF)",
        )
    else:
        target(
            "cold EMS build with PDFs ≤ mkdocs with mkdocs-to-pdf",
            "no peer figure: mkdocs-to-pdf did not install or run",
            None,
        )
    rebuild, cold = ems["nochange"].median(), ems["cold"].median()
    rendered = max(e["rendered"] for e in ems["nochange"].extra)
    target(
        "rebuild with no change ≤ 25% of the cold build, and renders no PDF",
        f"{fmt_s(rebuild)} / {fmt_s(cold)} = {rebuild / cold * 100:.0f}%; {rendered} PDFs rendered",
        rebuild / cold <= 0.25 and rendered == 0,
        by(rebuild / cold, 0.25),
    )
    checks = [
        (f"EMS ({key.split('_')[1]})", ems[key]) for key in ("edit_committed", "edit_uncommitted")
    ]
    checks += [(f"{c:,} commits", h["edit"]) for c, h in hist.items() if h.get("edit")]
    parts, ok = [], True
    for label, s in checks:
        pairs = sorted({(e["rendered"], e["expected"]) for e in s.extra})
        ok &= all(r <= x for r, x in pairs)
        parts.append(f"{label}: " + ", ".join(f"{r} rendered / {x} changed" for r, x in pairs))
    target("a one-section edit renders only the PDFs whose text changed", "; ".join(parts), ok)
    size = 1000 if 1000 in hist else max(hist)
    read, log_p = hist[size]["read"].median(lambda e: e["total"]), hist[size]["git_log"].median()
    wall = hist[size]["read"].median()
    target(
        f"reading a {size:,}-commit history ≤ 2× `git log -p` over it",
        f"{fmt_s(read)} / {fmt_s(log_p)} = {read / log_p:.1f}× in process ({wall / log_p:.1f}× with the interpreter's start and imports)",
        read / log_p <= 2,
        by(read / log_p, 2.0),
    )
    small, large = min(hist), max(hist)
    with_pdf = max(c for c, h in hist.items() if h["pdf"])
    for key, label, getter in (
        ("pdf", "whole build with PDFs", None),
        ("nopdf", "build without PDFs", None),
        ("read", "history read", lambda e: e["total"]),
    ):
        big = with_pdf if key == "pdf" else large
        per_small = hist[small][key].median(getter) / hist[small]["versions"]
        per_big = hist[big][key].median(getter) / hist[big]["versions"]
        growth = per_big / per_small - 1
        target(
            f"time per version, {big:,} vs {small:,} commits, grows ≤ 50% ({label})",
            f"{per_big * 1000:.1f} ms vs {per_small * 1000:.1f} ms: {growth * 100:+.0f}%",
            growth <= 0.5 if big == large else None,
            "" if big == large else f"the {large:,}-commit build with PDFs runs with --full ²",
        )
    # The cost of a PDF: the PDF stage's CPU time (the build's process and its workers) per PDF.
    cold = ems["cold_stages"]
    n_ems = pdf_counts(" ".join(cold.extra[0]["notes"]))[0]
    stage_cpu = cold.median(lambda e: e["cpu"]["render_documents"])
    import_cpu = lim["bare_pdfua"].median(lambda e: e["import_cpu"])
    bare = lim["bare_pdfua"].median(lambda e: e["render_cpu"])
    per_pdf = (stage_cpu - import_cpu) / n_ems
    target(
        "each rendered PDF costs ≤ 1.2× a bare WeasyPrint render of the same HTML",
        f"EMS cold build: {fmt_s(stage_cpu)} of CPU for {n_ems} PDFs; less the one `import weasyprint` "
        f"({fmt_s(import_cpu)}) that is {fmt_s(per_pdf)} a PDF vs {fmt_s(bare)} for a bare render (pdf/ua-1, "
        f"fresh process, import excluded) = {per_pdf / bare:.2f}×; with the import shared out, "
        f"{(stage_cpu / n_ems) / bare:.2f}×",
        per_pdf / bare <= 1.2,
        by(per_pdf / bare, 1.2),
    )
    batch = hist[small]["pdf"]
    n = pdf_counts(" ".join(batch.extra[0]["notes"]))[0]
    batch_cpu = batch.median(lambda e: e["cpu"]["render_documents"])
    warm = lim["bare_pdfua"].median(lambda e: e["warm_cpu"])
    target(
        "… and in a build of many PDFs (informative: statement and changes pages, not all the same HTML)",
        f"{small:,}-commit history: {fmt_s(batch_cpu / n)} of CPU a PDF ({n} PDFs, the import included) vs "
        f"{fmt_s(warm)} for a bare render of nl/index.html repeated in one process = {batch_cpu / n / warm:.2f}×",
        None,
    )
    stage_wall = batch.median(lambda e: e["stages"]["render_documents"])
    parallel = batch_cpu / stage_wall
    workers = max(e["pdf_jobs"]["processes"] for e in batch.extra)
    at_once = batch.median(lambda e: e["pdf_jobs"]["concurrency"])
    ems_at_once = cold.median(lambda e: e["pdf_jobs"]["concurrency"])
    target(
        f"PDFs render in parallel on all cores ({cores})",
        f"{workers} worker processes rendered the {small:,}-commit build's PDFs; on average {at_once:.2f} PDFs "
        f"were being rendered at once ({ems_at_once:.2f} for the EMS build's {n_ems}). The PDF stage kept "
        f"{parallel:.2f} cores busy ({fmt_s(batch_cpu)} of CPU in {fmt_s(stage_wall)}) while the rest of the "
        f"machine kept {batch.others:.2f} busy",
        workers >= cores and at_once >= 0.9 * cores,
    )
    if hist[large]["pdf"]:
        peak = hist[large]["pdf"].maxrss
        tree = hist[large]["pdf"].tree_peak
        target(
            f"peak memory of the {large:,}-commit build < 500 MB",
            f"{fmt_mb(peak)} in the largest single process (the build, or a PDF worker forked from it); the tree's summed RSS, "
            f"which counts the pages the PDF workers share with it once per worker, peaked at {fmt_mb(tree)}",
            peak < 500 * MB,
            by(peak, 500 * MB),
        )
    else:
        peak = hist[large]["nopdf"].maxrss
        target(
            f"peak memory of the {large:,}-commit build < 500 MB",
            f"{fmt_mb(peak)} for its build without PDFs; the whole build with PDFs keeps every PDF in "
            "memory too",
            None,
            "the whole build with PDFs runs with --full ²",
        )
    weight = ems["page_weight"]
    target(
        "the Dutch current page (HTML + CSS) ≤ 30 KB, no script",
        f"{weight['total'] / 1024:.1f} KB, {'a' if weight['script'] else 'no'} script",
        weight["total"] <= 30 * 1024 and not weight["script"],
        by(weight["total"], 30 * 1024),
    )
    return targets


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
        help="also the whole build with PDFs of the 5,000-commit history (about 2,000 PDFs)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    runs = args.runs or (2 if args.quick else 5)
    sizes = (100, 300) if args.quick else (100, 1000, 5000)
    data: dict = {"date": dt.date.today().isoformat(), "machine": machine()}
    data["setup"] = setup_peer()
    with tempfile.TemporaryDirectory(prefix="statement-bench-") as scratch:
        work = Path(scratch)
        data["ems"], data["peer"] = measure_ems(work, runs, data["setup"])
        data["history"] = {}
        # The whole build with PDFs renders 4 PDFs a version (2 languages, the version and its
        # changes): about 400 for 1,000 commits and 2,000 for 5,000. Those run once, after the
        # builds without PDFs; the 5,000-commit one only with --full.
        plan = {
            100: {"read": runs, "nopdf": runs, "pdf": runs, "edit": runs},
            1000: {"read": runs, "nopdf": runs, "pdf": 1},
            5000: {
                "read": max(1, min(runs, 3)),
                "nopdf": max(1, min(runs, 3)),
                "pdf": 1 if args.full else 0,
            },
            300: {"read": runs, "nopdf": runs, "pdf": 1 if args.full else 0},
        }
        for commits in sizes:
            data["history"][commits] = measure_history(
                work, commits, plan[commits], profile=commits == sizes[1]
            )
        data["runs_note"] = (
            "Fewer runs where the build renders hundreds of PDFs: the whole build with PDFs runs once, "
            "without warm-up, for 1,000 commits (about 400 PDFs) and, with --full, 5,000 (about 2,000; "
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
