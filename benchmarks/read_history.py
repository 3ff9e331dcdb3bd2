"""Read a project's history as the build does, with no cache, timed in this process.

    python benchmarks/read_history.py ROOT

Prints JSON: the import time, read_history (git log + blobs), versions_of (every revision parsed
and checked), and how many revisions and versions there were.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

started = time.perf_counter()
from generator.history import read_history  # noqa: E402
from generator.versions import versions_of  # noqa: E402

imported = time.perf_counter()


def main(root: Path) -> None:
    start = time.perf_counter()
    history = read_history(root)
    read = time.perf_counter()
    versions = versions_of(root / "statement", history)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "import": imported - started,
                "read_history": read - start,
                "versions_of": done - read,
                "total": done - start,
                "revisions": len(history.revisions),
                "versions": len(versions),
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
