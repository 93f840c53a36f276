"""Speed-ups that reach into another library's internals, each in a module of its own, each
behind a switch, each checked to give byte-identical sites with and without it
(tests/test_speedups.py), each falling back to the library's own code where that library's
code is not the code it was checked against.

CXASSESS_SPEEDUPS switches them: unset or "all" for every one, "none" for none, or a list
such as "all,-raw_html" or "segmentation,search_sections".

May import: common.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os

NAMES = (
    "theme_templates",  # Material's templates compiled once, its files listed once
    "segmentation",  # each run of Chinese text segmented by jieba once per process
    "search_sections",  # the search index's sections cut by one regular expression
    "raw_html",  # HTML blocks carried past Python-Markdown
)


def enabled(name: str) -> bool:
    """Whether the speed-up `name` is on, by CXASSESS_SPEEDUPS."""
    if name not in NAMES:
        raise ValueError(f"no speed-up {name!r}")
    chosen: set[str] = set()
    for word in os.environ.get("CXASSESS_SPEEDUPS", "all").replace(" ", "").split(","):
        if word == "all":
            chosen |= set(NAMES)
        elif word == "none":
            chosen.clear()
        elif word.startswith("-"):
            chosen.discard(word[1:])
        elif word:
            chosen.add(word)
    return name in chosen


# Once per process and objects: a library's code does not change while cxassess runs, and
# reading source costs milliseconds per object on every build (the preview builds often).
@functools.cache
def source_digest(*objects: object) -> str:
    """sha256 of the source of the library code a speed-up stands in for or relies on: the
    speed-up is used only where it equals the digest recorded when it was checked."""
    digest = hashlib.sha256()
    for obj in objects:
        try:
            digest.update(inspect.getsource(obj).encode("utf-8"))  # type: ignore[arg-type]
        except (OSError, TypeError):
            digest.update(b"\0no source\0")
    return digest.hexdigest()
