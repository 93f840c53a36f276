"""Work spread over the machine's cores: rendering organisations, building sites.

Workers are forked where the system offers it, so they start with this process's imports,
settings and caches. CXASSESS_BUILD_WORKERS=N caps their number; 1 runs everything here, one
item after another.
Every job is a pure function of its item, so the result does not depend on how it was spread.
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


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
        with concurrent.futures.ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            return list(pool.map(job, items))
    finally:
        gc.unfreeze()
