"""Build stage: write rendered pages, run MkDocs once per language, swap the site in at once.

Everything is written into a temporary folder beside the output and moved into place only
when every language built; a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import hashlib
import importlib
import importlib.metadata
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assessment.build.engines import load_segmenter, mkdocs_build
from assessment.build.outdir import (
    MARKER,
    Destination,
    ended_cleanly_on_terminate,
    marker_text,
    plan_destination,
    swap_in,
    work_folder,
)
from assessment.build.site_cache import (
    ENGINE_VERSION,
    cache_lookup,
    cache_root_of,
    entry_intact,
    keyed_digest,
    own_cache,
    prune_cache,
    store_in_cache,
)
from assessment.build.site_config import config_text, redirect_page
from assessment.common.errors import BuildError
from assessment.common.parallel import parallel_map
from assessment.render.pages import KeptSite, SiteLanguage
from assessment.score.workspace import Workspace

__all__ = [
    "MARKER",
    "BuildResult",
    "cache_lookup",
    "config_text",
    "epoch_of",
    "workspace_epoch",
    "write_site",
    "write_sources",
]


@dataclass(frozen=True)
class BuildResult:
    out: Path
    languages: tuple[str, ...]
    pages: int
    built: int = 0  # MkDocs sites built this time
    reused: int = 0  # sites whose inputs had not changed, taken from the cache
    backup: Path | None = None  # where a folder of the user's at the output path was moved
    notes: tuple[str, ...] = ()  # what the user should know (a cache folder left alone …)
    inputs: tuple[Path, ...] = ()  # the files and bank folders the site was built from


@contextlib.contextmanager
def build_environment(epoch: int) -> Iterator[None]:
    """Pin the build date (SOURCE_DATE_EPOCH) unless the caller set one, and quiet MkDocs."""
    saved = {key: os.environ.get(key) for key in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    with contextlib.suppress(ImportError):
        importlib.import_module("jieba")  # first: importing it resets its logger to DEBUG
    loggers = [logging.getLogger(name) for name in ("mkdocs", "jieba")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _zensical_build(config_file: Path) -> None:
    """Material's successor reads the same configuration; it runs as its own program."""
    if importlib.util.find_spec("zensical") is None:
        raise BuildError(
            "Zensical is not installed: pip install 'zensical<0.1' (or use --engine mkdocs)"
        )
    command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", config_file.name]
    # The command is fixed: our interpreter, the zensical module and a config file we wrote.
    result = subprocess.run(  # noqa: S603
        command, cwd=config_file.parent, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BuildError(
            f"zensical build failed for {config_file.name}: {result.stdout}{result.stderr}"
        )


ENGINES = {"mkdocs": mkdocs_build, "zensical": _zensical_build}


def write_site(
    sites: tuple[SiteLanguage | KeptSite, ...],
    out: Path,
    *,
    default_lang: str,
    epoch: int,
    force: bool = False,
    engine: str = "mkdocs",
    cache: bool = True,
    inputs: tuple[Path, ...] = (),
    site_url: str = "",
) -> BuildResult:
    """Build every site, reusing the output of sites whose inputs did not change since the
    last build into `out` (kept in .<out>.cache beside it), then swap the new tree in.
    Only a site of ours at `out` is replaced; with force a folder of the user's is moved
    aside (BuildResult.backup); `inputs` must not lie inside `out`."""
    destination = plan_destination(out, inputs, force=force)
    out = destination.out
    out.parent.mkdir(parents=True, exist_ok=True)
    cache_root = cache_root_of(out)
    notes: tuple[str, ...] = ()
    if cache and not own_cache(cache_root):
        cache = False
        notes = (f"{cache_root} was not made by cxassess; built without the cache",)
    with ended_cleanly_on_terminate():
        built = _write_site(sites, destination, default_lang, epoch, engine, cache, notes, site_url)
    return dataclasses.replace(built, inputs=inputs)


def _write_site(
    sites: tuple[SiteLanguage | KeptSite, ...],
    destination: Destination,
    default_lang: str,
    epoch: int,
    engine: str,
    cache: bool,
    notes: tuple[str, ...],
    site_url: str = "",
) -> BuildResult:
    out = destination.out
    cache_root = cache_root_of(out)
    languages = tuple(dict.fromkeys(site.lang for site in sites))
    work = work_folder(out, "build")
    try:
        units = [
            _plan(site, languages, work / "units" / f"{i:04d}", engine, epoch, site_url)
            for i, site in enumerate(sites)
        ]
        todo = [u for u in units if not (cache and entry_intact(cache_root / u.digest))]
        if any(u.site is None for u in todo):
            raise BuildError(
                f"the build cache {cache_root} lost sites during the build; build again"
            )
        fresh = {u.digest for u in todo}
        reused = tuple(u for u in units if u.digest not in fresh)
        staged = work / "site"
        _build_all(
            _Batch(
                tuple(todo),
                reused,
                staged,
                cache_root if cache else None,
                engine,
                epoch,
            )
        )
        _write(staged / "index.html", redirect_page(default_lang))
        _write(staged / MARKER, marker_text(staged))
        backup = swap_in(staged, destination)
        if cache:
            prune_cache(cache_root, {u.digest for u in units})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(
        out=out,
        languages=languages,
        pages=sum(s.pages if isinstance(s, KeptSite) else len(s.pages) for s in sites),
        built=len(todo),
        reused=len(units) - len(todo),
        backup=backup,
        notes=notes,
    )


@dataclass(frozen=True)
class _Unit:
    lang: str
    prefix: str
    site: SiteLanguage | None  # None: not rendered, only in the cache
    config: Path
    config_text: str
    digest: str


def _plan(
    site: SiteLanguage | KeptSite,
    languages: tuple[str, ...],
    folder: Path,
    engine: str,
    epoch: int,
    site_url: str = "",
) -> _Unit:
    """One site's configuration and the digest of everything its build reads; nothing is
    written yet, so a site found in the cache costs no files."""
    if isinstance(site, KeptSite):
        digest = keyed_digest(site.key, languages, engine, epoch, site_url)
        return _Unit(site.lang, site.prefix, None, folder / "mkdocs.yml", "", digest)
    config = config_text(site, languages, site_url)
    if site.key:
        digest = keyed_digest(site.key, languages, engine, epoch, site_url)
    else:  # the portfolio index: keyed by its pages
        hashed = hashlib.sha256()
        for part in (ENGINE_VERSION, engine, str(epoch), config):
            hashed.update(part.encode("utf-8") + b"\0")
        pages = [(p.path, p.text) for p in site.pages] + list(site.assets.items())
        for path, text in sorted(pages):
            hashed.update(path.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
        digest = hashed.hexdigest()
    return _Unit(site.lang, site.prefix, site, folder / "mkdocs.yml", config, digest)


def write_sources(site: SiteLanguage, folder: Path, config: str) -> None:
    """A site's pages and assets into folder/docs, its configuration into folder/mkdocs.yml."""
    for page in site.pages:
        _write(folder / "docs" / page.path, page.text)
    for path, text in site.assets.items():
        _write(folder / "docs" / path, text)
    _write(folder / "mkdocs.yml", config)


def _write_sources(unit: _Unit) -> None:
    """The pages and configuration of a site that has to be built."""
    assert unit.site is not None  # noqa: S101 - write_site builds rendered sites only
    write_sources(unit.site, unit.config.parent, unit.config_text)


def _link_or_copy(source: str, target: str) -> None:
    """Hard links make reusing a cached site cheap; files are never changed in place (every
    build writes new ones), so sharing them with the cache is safe."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _copy_tree(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        source,
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(MARKER),
        copy_function=_link_or_copy,
    )


def _move_tree(source: Path, target: Path) -> None:
    """Move a built site into the new tree (a site of a portfolio may already have placed
    its own folder inside this one: folders are merged)."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(source):
        dest = target / entry.name
        if entry.is_dir(follow_symlinks=False) and dest.is_dir():
            _move_tree(Path(entry.path), dest)
        else:
            Path(entry.path).replace(dest)


@dataclass(frozen=True)
class _Batch:
    units: tuple[_Unit, ...]  # the sites to build
    reused: tuple[_Unit, ...]  # the sites to take from the cache
    staged: Path  # the new output tree
    cache_root: Path | None
    engine: str
    epoch: int


# The batch being built, for forked workers: they inherit it instead of receiving a copy.
_BUILDING: _Batch | None = None


def _build_all(batch: _Batch) -> None:
    global _BUILDING
    if batch.engine == "mkdocs" and any(u.lang == "zh" for u in batch.units):
        with build_environment(batch.epoch):
            load_segmenter()
    _BUILDING = batch
    try:
        parallel_map(_build_unit, range(len(batch.units) + len(batch.reused)), inherits=True)
    finally:
        _BUILDING = None


def _build_unit(n: int) -> None:
    """Write site n's sources, build it, keep it in the cache and place it in the new tree,
    or (past the sites to build) place a reused site from the cache: each worker does all of
    it for its sites, so no file work waits for the others."""
    batch = _BUILDING
    assert batch is not None  # noqa: S101 - set by _build_all before any task runs
    if n >= len(batch.units):
        unit = batch.reused[n - len(batch.units)]
        assert batch.cache_root is not None  # noqa: S101 - only a cache holds reused sites
        _copy_tree(batch.cache_root / unit.digest, batch.staged / unit.lang / unit.prefix)
        return
    unit = batch.units[n]
    _write_sources(unit)
    with build_environment(batch.epoch):
        ENGINES[batch.engine](unit.config)
    built = unit.config.parent / "site"
    target = batch.staged / unit.lang / unit.prefix
    kept = (
        built if batch.cache_root is None else store_in_cache(batch.cache_root, unit.digest, built)
    )
    if kept == built:
        _move_tree(built, target)
    else:
        _copy_tree(kept, target)  # linked: the cache and the new tree share the files
    shutil.rmtree(unit.config.parent, ignore_errors=True)  # its sources, here, not at the end


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def epoch_of(day: Any) -> int:
    """Midnight UTC of the assessment date: a stable build date for the same inputs."""
    return calendar.timegm(day.timetuple())


def workspace_epoch(workspace: Workspace) -> int:
    """The build date of a workspace's site: its latest assessment date."""
    return epoch_of(
        max(r.assessment.answers.assessment.date for o in workspace.orgs for r in o.rounds)
    )
