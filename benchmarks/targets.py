# ruff: noqa: RUF001 - the report is typeset: en dashes for ranges, the multiplication sign for ratios
"""The targets, each judged from the measurements: met, not met (by how much), or informative."""

from __future__ import annotations

from harness import MB, fmt_mb, fmt_s, pdf_counts


def status(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


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
        "cold EMS build without PDFs ≤ 0.5× the mkdocs build of the same two pages",
        f"{fmt_s(ours)} / {fmt_s(theirs)} = {ours / theirs:.2f}",
        ours / theirs <= 0.5,
        by(ours / theirs, 0.5),
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
    rebuild, theirs = ems["nochange"].median(), peer["cold"].median()
    rendered = max(e["rendered"] for e in ems["nochange"].extra)
    target(
        "rebuild with no change ≤ 0.1× the mkdocs build, and renders no PDF",
        f"{fmt_s(rebuild)} / {fmt_s(theirs)} = {rebuild / theirs:.2f}; {rendered} PDFs rendered; "
        f"`python -c pass` {fmt_s(lim['python'].median())}",
        rebuild / theirs <= 0.1 and rendered == 0,
        by(rebuild / theirs, 0.1),
    )
    edit, cold = ems["edit_committed"].median(), ems["cold"].median()
    target(
        "a one-section edit, rebuilt, against the cold build (informative)",
        f"{fmt_s(edit)} / {fmt_s(cold)} = {edit / cold:.2f}",
        None,
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
            "" if big == large else f"the {large:,}-commit build with PDFs runs without --quick ²",
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
        largest = hist[large]["pdf"].maxrss
        peak = hist[large]["pdf"].tree_peak
        target(
            f"peak memory of the {large:,}-commit build with its PDFs < 400 MB",
            f"{fmt_mb(peak)}: the build, its PDF workers and the server they fork from, summed "
            f"(PSS); the largest single process {fmt_mb(largest)}",
            peak < 400 * MB,
            by(peak, 400 * MB),
        )
    else:
        peak = hist[large]["nopdf"].maxrss
        target(
            f"peak memory of the {large:,}-commit build with its PDFs < 400 MB",
            f"{fmt_mb(peak)} for its build without PDFs; the whole build with PDFs adds the PDF "
            "workers (each PDF goes to disk as it is made)",
            None,
            "the whole build with PDFs runs without --quick ²",
        )
    issue_16(ems, hist, target)
    weight = ems["page_weight"]
    target(
        "the Dutch current page (HTML + CSS) ≤ 30 KB, no script",
        f"{weight['total'] / 1024:.1f} KB, {'a' if weight['script'] else 'no'} script",
        weight["total"] <= 30 * 1024 and not weight["script"],
        by(weight["total"], 30 * 1024),
    )
    return targets


def issue_16(ems: dict, hist: dict, target) -> None:
    """The changelog's size, the fresh clone's --reuse and the preview (issue 16)."""
    with_100 = [(c, h) for c, h in hist.items() if h["versions"] >= 100]
    if with_100:
        commits, h = with_100[0]
        (path, size), (feed, feed_size) = h["pages"]["changelog"], h["pages"]["feed"]
        target(
            f"no changelog page of a {h['versions']}-version history reaches 150 KB",
            f"{commits:,} commits: the largest, {path}, {size / 1024:.0f} KB; the largest feed, "
            f"{feed}, {feed_size / 1024:.0f} KB",
            size < 150 * 1024,
        )
    reused = ems["reuse"]
    counts = sorted({(e["rendered"], e["reused"]) for e in reused.extra})
    target(
        "a fresh clone (no cache) with --reuse of the published site renders no unchanged PDF",
        f"{fmt_s(reused.median())}; " + ", ".join(f"{r} rendered, {u} reused" for r, u in counts),
        all(r == 0 for r, _ in counts),
    )
    preview = ems["preview"]
    target(
        "the preview answers a save ≤ 0.3 s (EMS, from the save to the changed page served)",
        fmt_s(preview.median()),
        preview.median() <= 0.3,
    )
