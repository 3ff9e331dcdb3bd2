"""The preview: from an editor's save to the changed page served by `statement serve`.

The preview runs as the editor runs it, in a process of its own; each round saves a new word into
en.md and asks for the page until it has the word. The time is from the save to that answer, so it
holds the server's noticing the save, the rebuild and the serving of the page.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

from harness import Run, Series, log
from project import STATEMENT

PATIENCE = 30.0  # seconds a save may take to show before the measurement gives up


def measure_preview(root: Path, runs: int, warmup: int = 1) -> Series:
    """Saves of one word in en.md, each timed until the served page shows it."""
    log("the preview: a save until the page served shows it")
    port = 8400 + os.getpid() % 500
    server = subprocess.Popen(
        [STATEMENT, "serve", "--root", root, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = _address(server) + "en/"
        series = Series("the preview answers a save (statement serve, EMS)")
        for index in range(warmup + runs):
            wall = _save_and_wait(root / "statement" / "en.md", url, f"zqxword{index}")
            if index >= warmup:
                series.runs.append(Run(wall, 0, 0, "", "", 0))
                series.extra.append({})
            time.sleep(0.5)  # the save after next is not the one being built
    finally:
        server.terminate()
        server.wait()
    return series


def _address(server: subprocess.Popen) -> str:
    for line in server.stdout:
        if "Preview at " in line:
            return line.split("Preview at ", 1)[1].split(" ", 1)[0]
    raise RuntimeError("statement serve ended before it served the preview")


def _save_and_wait(path: Path, url: str, word: str) -> float:
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    path.write_text(text.replace("personal data", f"personal data {word}", 1), encoding="utf-8")
    while time.perf_counter() - start < PATIENCE:
        try:
            with urllib.request.urlopen(url, timeout=PATIENCE) as response:
                if word.encode() in response.read():
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"the preview did not show a save within {PATIENCE:.0f} s")
