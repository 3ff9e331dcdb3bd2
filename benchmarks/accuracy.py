"""How well `statement check` reads the disclosures in the words: precision and recall on the
labelled statements of tests/disclosures/, for the development part (used while writing the word
lists), the held-out part (set aside, never tuned on) and the whole set.

    .venv/bin/python benchmarks/accuracy.py [--json]

Targets (issue 15): recall at least 0.95 and precision at least 0.90 over the set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from labelled import Labelled, labelled_set, score

from generator.check import disclosures

PARTS = ("development", "held-out", None)  # None: the whole set


def measured() -> dict:
    statements = labelled_set()
    parts = {}
    for part in PARTS:
        chosen = [s for s in statements if part is None or s.part == part]
        parts[part or "all"] = _figures(chosen)
    ids = [d.id for d in disclosures()]
    parts["per disclosure"] = {did: _figures(statements, did) for did in ids}
    parts["misses"] = _misses(statements)
    return parts


def _figures(statements: list[Labelled], disclosure: str | None = None) -> dict:
    found = score(statements, disclosure)
    return {
        "statements": len(statements),
        "found and made": found.true,
        "found, not made": found.false,
        "made, not found": found.missed,
        "precision": round(found.precision, 3),
        "recall": round(found.recall, 3),
    }


def _misses(statements: list[Labelled]) -> list[str]:
    return [
        f"{s.name} ({s.part}): {'missed' if did in s.makes else 'found wrongly'} {did}"
        for s in statements
        for did in sorted(s.makes ^ s.found)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    figures = measured()
    if parser.parse_args().json:
        print(json.dumps(figures, indent=2))
        return
    for part in ("development", "held-out", "all"):
        f = figures[part]
        print(
            f"{part:<12} {f['statements']:>2} statements  precision {f['precision']:.3f}  "
            f"recall {f['recall']:.3f}  ({f['found and made']} found, {f['found, not made']} "
            f"wrongly, {f['made, not found']} missed)"
        )
    print("misses:", *figures["misses"] or ["none"], sep="\n  ")
    met = figures["all"]["recall"] >= 0.95 and figures["all"]["precision"] >= 0.90
    print(
        f"targets (recall >= 0.95, precision >= 0.90 over the set): {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
