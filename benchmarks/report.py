# ruff: noqa: RUF001 - the report is typeset: en dashes for ranges, the multiplication sign for ratios
"""benchmarks/RESULTS.md written from the measurements."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from harness import Series, fmt_mb, fmt_s, fmt_stats, pdf_counts
from project import REPO
from synth import git

PRODUCT_PARTS = ("generator", "templates", "locales", "statement", "pyproject.toml")


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
        ("reuse", "fresh clone, no cache, `--reuse` of the site built just before"),
    ):
        s = ems[key]
        counts = "–"
        if s.extra and "rendered" in s.extra[0]:
            counts = ", ".join(sorted({f"{e['rendered']} ({e['cached']})" for e in s.extra}))
            if "reused" in s.extra[0]:
                counts += f"; reused: {', '.join(sorted({str(e['reused']) for e in s.extra}))}"
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
    add(
        f"The preview (`statement serve`, in a process of its own): from saving a word into en.md "
        f"to the changed page served, {fmt_stats(ems['preview'].stats())}."
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
    add("The largest pages of each history's site (built without PDFs):")
    add("")
    add("| commits | changelog page | feed | any page |")
    add("| --- | --- | --- | --- |")
    for commits, h in hist.items():
        cells = [f"{path} ({size / 1024:.0f} KB)" for path, size in h["pages"].values()]
        add(f"| {commits:,} | {' | '.join(cells)} |")
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
        add(f"² Not run: {data['skipped_note']} `make bench` without --quick runs it.")
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
        "process tree's summed PSS sampled every 50 ms (proportional set size: a page that n processes "
        "share counts 1/n in each, so the sum is the memory the whole build takes)."
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
