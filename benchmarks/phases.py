"""Where the MkDocs build stage spends its time: benchmarks.run with timers around MkDocs' and
Material's own functions, everything in this one process. Prints the benchmark's JSON line, then
one JSON line of seconds per phase.

    python -m benchmarks.phases --orgs 10

Phases: markdown (Page.render: Python-Markdown), search (Material's indexing of each page),
search_parse (cutting pages into sections: search_sections, or Material's HTMLParser for
pages it leaves; part of search), templates (every Jinja render: Material's pages
and, before the build, ours), write (MkDocs writing files), static (theme files copied),
config (loading each site's mkdocs.yml), mkdocs (whole MkDocs builds); and our own file work
in the build stage: sources (writing each site's pages and mkdocs.yml), place (linking a cached
site into the new tree, or moving a built one there), cache (moving it into the build cache), swap (the new tree
in, the old one out), build_stage (the whole stage: MkDocs and file work).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any


def _timed(seconds: Counter[str], owner: Any, name: str, phase: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds[phase] += time.perf_counter() - start

    setattr(owner, name, timed)


def main(argv: list[str] | None = None) -> int:
    os.environ["CXASSESS_BUILD_WORKERS"] = "1"  # the timers only see this process
    import jinja2
    import mkdocs.commands.build
    import mkdocs.config
    import mkdocs.structure.files
    import mkdocs.structure.pages
    import mkdocs.utils
    from material.plugins.search import plugin as search

    from assessment.build import site as build
    from assessment.speedups import search_sections

    from .run import main as run

    seconds: Counter[str] = Counter()
    for owner, name, phase in (
        (mkdocs.structure.pages.Page, "render", "markdown"),
        (search.SearchIndex, "add_entry_from_context", "search"),
        (search.Parser, "feed", "search_parse"),  # pages search_sections leaves to Material
        (search_sections, "sections", "search_parse"),
        (jinja2.Template, "render", "templates"),
        (mkdocs.utils, "write_file", "write"),
        (mkdocs.structure.files.Files, "copy_static_files", "static"),
        (mkdocs.config, "load_config", "config"),
        (mkdocs.commands.build, "build", "mkdocs"),
        (build, "_write_sources", "sources"),
        (build, "_copy_tree", "place"),
        (build, "_move_tree", "place"),
        (build, "store_in_cache", "cache"),
        (build, "swap_in", "swap"),
        (build, "_build_all", "build_stage"),
    ):
        _timed(seconds, owner, name, phase)
    status = run(argv)
    print(json.dumps({phase: round(value, 3) for phase, value in seconds.most_common()}))
    return status


if __name__ == "__main__":
    sys.exit(main())
