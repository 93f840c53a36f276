"""Running MkDocs in-process, many sites in a row, without paying its fixed costs each time.

A portfolio is one MkDocs site per organisation and language, so a 100-organisation build runs
MkDocs about 200 times in the same worker processes. Measured on one organisation's site
(46 pages), three costs repeat on every run although their inputs never change:

- compiling Material's templates (main.html, base.html and ~40 partials): ~0.35 s a site
  (kept by template_cache, in this process and between runs);
- listing the theme's files, which walks Material's thousands of icon files: ~0.1 s a site;
- the search plugin segmenting the same runs of Chinese bank text with jieba on every site
  (and each worker loading jieba's dictionary: load_segmenter does it once before forking).

And two costs per page: Python-Markdown parsing the HTML blocks the templates wrote only to
copy them through (raw_html), and the search plugin's HTMLParser cutting each page into
sections (search_sections).

Each is kept, keyed by exactly what it depends on (template source checksum, the theme
folders, the text segmented), so the output is byte for byte what a fresh MkDocs
run writes; tests/test_build.py builds both ways and compares.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2

from assessment.common.errors import BuildError
from assessment.common.template_cache import TEMPLATES
from assessment.speedups import search_sections
from assessment.speedups.raw_html import RawHtmlPassThrough


@functools.cache
def _theme_listing(searchpath: tuple[str, ...]) -> tuple[str, ...]:
    # Hidden files and folders are left out: MkDocs, the only caller, drops them anyway
    # ('.*' and '*/.*'), and Material's .icons folder alone holds some 14,000 of them.
    names = jinja2.FileSystemLoader(searchpath).list_templates()
    return tuple(n for n in names if not n.startswith(".") and "/." not in n)


class _ThemeLoader(jinja2.FileSystemLoader):
    """The theme's FileSystemLoader, listing its folders once per process (MkDocs lists them
    to find the theme's static files; the installed theme does not change during a build)."""

    def list_templates(self) -> list[str]:
        return list(_theme_listing(tuple(self.searchpath)))


def _fast_env(original: Callable[[], jinja2.Environment]) -> jinja2.Environment:
    env = original()
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        env.loader = _ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
    env.bytecode_cache = TEMPLATES
    return env


# Segmented runs of Han characters, kept for the life of the process: the search plugin's
# jieba settings come from mkdocs.yml (none are set), the same for every site.
_SEGMENTED: dict[str, str] = {}
_SEGMENTED_LIMIT = 1 << 16


@contextlib.contextmanager
def _memoised_segmentation() -> Iterator[None]:
    """Material's search plugin (SearchIndex._segment_chinese) runs jieba over every run of
    Han characters in every section's title and text; most runs are bank text, the same on
    every organisation's site. This is the same function, computing each distinct run once."""
    try:
        search: Any = importlib.import_module("material.plugins.search.plugin")
    except ImportError:
        yield
        return
    if not getattr(search, "jieba", None):
        yield  # without jieba the plugin segments nothing
        return
    han = search.bre.compile(r"(\p{script: Han}+)", search.bre.UNICODE)  # as the plugin has it
    cut = search.jieba.cut

    def segmented(match: Any) -> str:
        run: str = match.group(0)
        words = _SEGMENTED.get(run)
        if words is None:
            if len(_SEGMENTED) >= _SEGMENTED_LIMIT:
                _SEGMENTED.clear()
            words = "".join(["\u200b", "\u200b".join(cut(run.encode("utf-8"))), "\u200b"])
            _SEGMENTED[run] = words
        return words

    def segment(index: Any, data: str) -> str:
        if data.isascii():
            return data  # no Han characters, and no zero-width space to strip
        text: str = han.sub(segmented, data)
        return text.strip("\u200b")

    original = search.SearchIndex._segment_chinese
    search.SearchIndex._segment_chinese = segment
    try:
        yield
    finally:
        search.SearchIndex._segment_chinese = original


@functools.cache
def _fast_parser() -> Any:
    search = importlib.import_module("material.plugins.search.plugin")
    return search, search_sections.parser_class(search)


@contextlib.contextmanager
def _fast_search_sections() -> Iterator[None]:
    """Material's search plugin cuts each page into sections with its HTMLParser subclass,
    the largest cost left in a build; search_sections gives the same sections faster."""
    try:
        search, parser = _fast_parser()
    except ImportError:
        yield
        return
    original = search.Parser
    search.Parser = parser
    try:
        yield
    finally:
        search.Parser = original


@contextlib.contextmanager
def _linked_theme_files(theme_dirs: list[str], store: Path) -> Iterator[None]:
    """MkDocs copies the theme's static files (45 files, 2.6 MB for Material) into every
    site: 520 MB for a 100-organisation portfolio. Within one build each is copied once
    into store, and every site gets a hard link to that copy: the same bytes, written once.
    Where a link cannot be made (another file system), the file is copied as MkDocs does."""
    import mkdocs.utils

    original = mkdocs.utils.copy_file
    roots = tuple(str(Path(d)) + "/" for d in theme_dirs)

    def copy_file(source_path: str, output_path: str) -> None:
        if not source_path.startswith(roots):
            original(source_path, output_path)
            return
        status = Path(source_path).stat()
        name = f"{source_path}\0{status.st_size}\0{status.st_mtime_ns}"  # one version of it
        kept = store / hashlib.sha256(name.encode("utf-8")).hexdigest()
        try:
            if not kept.exists():
                store.mkdir(parents=True, exist_ok=True)
                partial = kept.with_name(f"{kept.name}.{os.getpid()}")  # workers copy at once
                shutil.copyfile(source_path, partial)
                partial.replace(kept)
            Path(output_path).parent.mkdir(parents=True, exist_ok=True)
            os.link(kept, output_path)
        except OSError:
            original(source_path, output_path)

    mkdocs.utils.copy_file = copy_file
    try:
        yield
    finally:
        mkdocs.utils.copy_file = original


def load_segmenter() -> None:
    """Load jieba's dictionary (about a second) in this process, before workers are forked,
    so that every worker building a Chinese site starts with it instead of loading its own."""
    with contextlib.suppress(ImportError):
        importlib.import_module("jieba").initialize()


def mkdocs_build(config_file: Path, *, reuse: bool = True, shared: Path | None = None) -> None:
    """One `mkdocs build --strict` of config_file; reuse=False runs MkDocs exactly as it
    comes, for comparison. shared: a folder that the sites of one build share files through
    (the theme's static files), removed after the build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(config_file), strict=True)
        if reuse:
            theme = config.theme
            # An instance attribute in front of Theme.get_env, for this config only.
            theme.get_env = functools.partial(_fast_env, theme.get_env)  # type: ignore[method-assign]
            config.plugins["cxassess/raw-html"] = RawHtmlPassThrough()
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with contextlib.ExitStack() as speedups:
                if reuse:
                    speedups.enter_context(_memoised_segmentation())
                    speedups.enter_context(_fast_search_sections())
                    if shared is not None:
                        speedups.enter_context(_linked_theme_files(theme.dirs, shared))
                build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as exc:
        raise BuildError(f"mkdocs build failed for {config_file.name}: {exc}") from exc
