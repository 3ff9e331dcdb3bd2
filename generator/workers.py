"""Worker processes for the PDFs: every job in parallel, and nothing left behind, however the
build ends.

A build stopped by Ctrl+C or SIGTERM stops its workers at once (SIGTERM's default would end the
build alone, and leave its workers rendering, each of them gigabytes); a build that is killed
outright takes its workers with it (Linux's parent-death signal). The temporary files the
workers write (WeasyPrint's fonts, which it removes only when a font configuration is collected,
never in a worker that exits) go into one scratch folder that the build removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

J = TypeVar("J")
R = TypeVar("R")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def each_result(
    work: Callable[[J], R],
    jobs: list[J],
    workers: int,
    setup: Callable[..., None] | None = None,
    given: tuple = (),
) -> Iterator[R]:
    """work(job) for every job, each result as soon as it is there, in the jobs' order, in up to
    `workers` processes; setup(*given) first, once in each (what every job needs, sent once)."""
    scratch = tempfile.mkdtemp(prefix="statement-pdf-")
    try:
        if workers <= 1:
            with _temporary_files_in(scratch):
                if setup:
                    setup(*given)
                yield from map(work, jobs)
        else:
            yield from _in_processes(work, jobs, workers, (scratch, setup, given))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _in_processes(work: Callable[[J], R], jobs: list[J], workers: int, start: tuple) -> Iterator[R]:
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(workers, _worker_start, start)
    try:
        with _stopped_by_sigterm():
            yield from pool.imap(work, jobs, chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()  # SIGTERM to every worker: they end at once, mid-page
        raise
    finally:
        pool.join()


def _worker_start(scratch: str, setup: Callable[..., None] | None, given: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the build, which stops us
    tempfile.tempdir = scratch
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the build died before the line above: so do we
        os._exit(1)
    if setup:
        setup(*given)


@contextlib.contextmanager
def _temporary_files_in(scratch: str) -> Iterator[None]:
    before, tempfile.tempdir = tempfile.tempdir, scratch
    try:
        yield
    finally:
        tempfile.tempdir = before


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM as an exception while the workers run, so that they are stopped with the build."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler; the preview's rebuilds run there too
        return

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
