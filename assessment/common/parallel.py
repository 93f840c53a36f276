"""Work spread over the machine's cores: rendering organisations, building sites.

Workers are forked where the system offers it, so they start with this process's imports,
settings and caches. CXASSESS_BUILD_WORKERS=N caps their number; 1 runs everything here, one
item after another.
Every job is a pure function of its item, so the result does not depend on how it was spread.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def _end_with_parent(parent: int) -> None:
    """In a worker: end when the process that started it ends, however it ends (killed
    included), instead of working on as an orphan. Linux only; elsewhere workers end when
    they find their task pipe closed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)


def workers(jobs: int) -> int:
    """Up to one process per core, never more than there are jobs."""
    wanted = os.environ.get("CXASSESS_BUILD_WORKERS")
    limit = (
        int(wanted) if wanted and wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    )
    return max(1, min(limit, jobs))


def parallel_map(
    job: Callable[[Item], Result], items: Sequence[Item], *, inherits: bool = False
) -> list[Result]:
    """[job(item) for item in items], in worker processes when there are several items.
    job must be a module-level function (it is sent to the workers by name); inherits=True
    when it reads state set up in this process, which only forked workers have."""
    count = workers(len(items))
    forking = "fork" in multiprocessing.get_all_start_methods()
    if count == 1 or (inherits and not forking):
        return [job(item) for item in items]
    context = multiprocessing.get_context("fork" if forking else "spawn")
    # Forked workers share this process's objects until they write to them; the cycle
    # collector would walk (and so copy) all of them, the loaded workspace included.
    gc.freeze()
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=_end_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            return list(pool.map(job, items))
    finally:
        gc.unfreeze()


def parallel_lanes(
    job: Callable[[Item], Result], lanes: Sequence[Sequence[Item]]
) -> list[list[Result]]:
    """[[job(item) for item in lane] for lane in lanes], each lane in order in a forked
    worker of its own (up to workers() at a time), for jobs that read state set up in this
    process and gain from keeping one kind of work in one worker. Each result is sent back as
    soon as it is made, so this process takes in one lane's results while the workers go on,
    instead of all of a worker's results after its last one."""
    count = workers(len(lanes))
    if count == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [[job(item) for item in lane] for lane in lanes]
    context = multiprocessing.get_context("fork")
    results: list[list[Result]] = [[] for _ in lanes]
    waiting = list(range(len(lanes)))[::-1]
    running: dict[Connection, tuple[int, Any]] = {}
    gc.freeze()  # as in parallel_map: the workers need not copy this process's objects
    try:
        while waiting or running:
            while waiting and len(running) < count:
                lane = waiting.pop()
                ours, theirs = context.Pipe(duplex=False)
                worker = context.Process(target=_lane, args=(job, lanes[lane], theirs, os.getpid()))
                worker.start()
                theirs.close()
                running[ours] = (lane, worker)
            for conn in wait(list(running)):
                assert isinstance(conn, Connection)  # noqa: S101 - wait() returns what it was given
                lane, worker = running[conn]
                try:
                    kind, value = conn.recv()
                except EOFError:
                    worker.join()
                    raise RuntimeError(
                        f"a worker ended before its work was done (exit code {worker.exitcode})"
                    ) from None
                if kind == "error":
                    raise value
                if kind == "result":
                    results[lane].append(value)
                else:  # "done"
                    del running[conn]
                    conn.close()
                    worker.join()
    finally:
        gc.unfreeze()
        for conn, (_, worker) in running.items():
            worker.terminate()
            worker.join()
            conn.close()
    return results


def _lane(
    job: Callable[[Item], Result], items: Sequence[Item], conn: Connection, parent: int
) -> None:
    _end_with_parent(parent)
    try:
        for item in items:
            conn.send(("result", job(item)))
    except BaseException as error:  # every failure goes back to the parent
        try:
            conn.send(("error", error))
        except Exception:  # an error that cannot be pickled goes back as text
            conn.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        return
    conn.send(("done", None))
    conn.close()
