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


# Jobs a worker does before a fresh one takes over: WeasyPrint keeps about a third of a megabyte
# of every document it renders, so that a worker of a 5,000-commit history's 2,000 PDFs grew to
# half a gigabyte; a fresh worker costs a fork of the small server below.
JOBS_PER_WORKER = 40


def each_result(
    work: Callable[[J], R],
    jobs: list[J],
    workers: int,
    setup: Callable[..., None] | None = None,
    given: tuple = (),
    preload: tuple[str, ...] = (),
) -> Iterator[R]:
    """work(job) for every job, each result as soon as it is there, in the jobs' order, in up to
    `workers` processes; setup(*given) first, once in each (what every job needs, sent once);
    `preload`: the modules every worker needs, imported once for all of them."""
    scratch = tempfile.mkdtemp(prefix="statement-pdf-")
    try:
        if workers <= 1:
            with _temporary_files_in(scratch):
                if setup:
                    setup(*given)
                yield from map(work, jobs)
        else:
            yield from _in_processes(work, jobs, workers, (scratch, setup, given), preload)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _in_processes(
    work: Callable[[J], R], jobs: list[J], workers: int, start: tuple, preload: tuple[str, ...]
) -> Iterator[R]:
    """The workers fork from a server process that has imported only `preload`, not from the
    build: forked from the build, each worker would hold a copy of everything the build has read
    (a long history's texts and pages), which Python's garbage collector touches page by page."""
    with _stopped_by_sigterm():  # from the start: the server takes a moment to import
        pool = _context(preload).Pool(
            workers, _worker_start, start, maxtasksperchild=JOBS_PER_WORKER
        )
        try:
            yield from pool.imap(work, jobs, chunksize=1)
            pool.close()
        except BaseException:
            pool.terminate()  # SIGTERM to every worker: they end at once, mid-page
            raise
        finally:
            pool.join()


def _context(preload: tuple[str, ...]):
    """The server where this process may start a new Python. Where it may not (a build run as a
    user who cannot run the Python it was started with: a sandbox, a shared runner), the
    workers fork from the build itself, which imports `preload` first, once for all of them."""
    import importlib
    import multiprocessing
    import multiprocessing.spawn

    if os.access(multiprocessing.spawn.get_executable(), os.X_OK):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    for module in preload:
        importlib.import_module(module)
    return multiprocessing.get_context("fork")


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
