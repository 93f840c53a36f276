"""The cycle collector paused for work that allocates many objects and leaves no garbage with
cycles behind, such as reading YAML into models: it starts young passes again and again and
full passes over everything the process holds, which cost a quarter of reading the bundled
bank (BENCHMARKS.md) and free nothing."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Nested or not, the collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
