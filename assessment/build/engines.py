"""The site generators: MkDocs + Material run in this process, or Zensical as a program.

MkDocs runs in the worker processes, one site after another (a portfolio is a site per
organisation and language); the speed-ups in assessment.speedups are applied around each
run, each by its own switch, and give the same bytes as MkDocs alone.
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path

from assessment.common.errors import BuildError
from assessment.speedups import (
    enabled,
    raw_html,
    search_sections,
    segmentation,
    theme_templates,
)


def load_segmenter() -> None:
    """Load jieba's dictionary (about a second) in this process, before workers are forked,
    so that every worker building a Chinese site starts with it instead of loading its own."""
    with contextlib.suppress(ImportError):
        importlib.import_module("jieba").initialize()


def mkdocs_build(config_file: Path) -> None:
    """One `mkdocs build --strict` of config_file."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(config_file), strict=True)
        if enabled("theme_templates"):
            theme_templates.apply(config)
        if enabled("raw_html"):
            raw_html.apply(config)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with contextlib.ExitStack() as speedups:
                if enabled("segmentation"):
                    speedups.enter_context(segmentation.memoised())
                if enabled("search_sections"):
                    speedups.enter_context(search_sections.fast_sections())
                build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as exc:
        raise BuildError(f"mkdocs build failed for {config_file.name}: {exc}") from exc
