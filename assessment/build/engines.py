"""The site generators: MkDocs + Material run in this process, or Zensical as a program.

MkDocs runs in the worker processes, one site after another (a portfolio is a site per
organisation and language); the speed-ups in assessment.speedups are applied around each
run, each by its own switch, and give the same bytes as MkDocs alone.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

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


class _DirtyNotice(logging.Filter):
    """Drops the one warning MkDocs logs for every dirty build (that its navigation may be
    wrong: the preview restores it, see build.preview), which strict mode would count as a
    failure. Any other warning still fails the build. Should MkDocs reword it, the warning
    goes through and the preview builds the whole site instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def mkdocs_build(
    config_file: Path, *, dirty: bool = False, plugins: Mapping[str, Any] | None = None
) -> None:
    """One `mkdocs build --strict` of config_file. dirty: MkDocs' own `--dirty` (only the
    pages whose Markdown is newer than their HTML are read and written again); plugins are
    added to the configuration's for this build (the preview's recorder), never to
    mkdocs.yml."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    notice = _DirtyNotice()
    logger = logging.getLogger("mkdocs.commands.build")
    try:
        config = load_config(config_file=str(config_file), strict=True)
        # site_config escaped the site name for the places Material prints it as it is;
        # as Markup, the places that escape it themselves (`| e`) leave it as it is too.
        config["site_name"] = Markup(config["site_name"])  # noqa: S704 - escaped in site_config
        if enabled("theme_templates"):
            theme_templates.apply(config)
        if enabled("raw_html"):
            raw_html.apply(config)
        for name, plugin in (plugins or {}).items():
            config.plugins[name] = plugin
        config.plugins.on_startup(command="build", dirty=dirty)
        if dirty:
            logger.addFilter(notice)
        try:
            with contextlib.ExitStack() as speedups:
                if enabled("segmentation"):
                    speedups.enter_context(segmentation.memoised())
                if enabled("search_sections"):
                    speedups.enter_context(search_sections.fast_sections())
                build(config, dirty=dirty)
        finally:
            logger.removeFilter(notice)
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as exc:
        raise BuildError(f"mkdocs build failed for {config_file.name}: {exc}") from exc
