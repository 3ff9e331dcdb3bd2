"""A cProfile file read back: the functions that take the most time."""

from __future__ import annotations

import pstats
from pathlib import Path

from project import REPO

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
