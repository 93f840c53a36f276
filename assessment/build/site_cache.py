"""The build cache beside an output folder: each site built, kept by a digest of everything it
is made from, so that a site whose inputs did not change is placed instead of built again.

The folder is marked as ours; a folder at its place that we did not make is never written to
or pruned.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from assessment.build.outdir import MARKER

# In a build cache folder: the folder is ours (entries in it are named by their digests).
CACHE_MARKER = ".cxassess-cache"
_DIGEST = re.compile(r"[0-9a-f]{64}")
# Part of every cache key: a new cxassess, MkDocs or Material must not reuse older output.
ENGINE_VERSION = "-".join(
    f"{name}={importlib.metadata.version(name)}"
    for name in ("cxassess", "mkdocs", "mkdocs-material")
)


def cache_root_of(out: Path) -> Path:
    return out.parent / f".{out.name}.cache"


def own_cache(cache_root: Path) -> bool:
    """Whether the folder at the cache's place is a cache of ours (or can become one): a
    folder there that we did not make is never written to or pruned."""
    if not cache_root.exists():
        return True
    if not cache_root.is_dir():
        return False
    if (cache_root / CACHE_MARKER).is_file():
        return True
    entries = list(cache_root.iterdir())
    # An empty folder, or one made before caches were marked: digests holding sites.
    return all(_DIGEST.fullmatch(e.name) and (e / MARKER).exists() for e in entries)


def keyed_digest(
    key: str, languages: tuple[str, ...], engine: str, epoch: int, site_url: str = ""
) -> str:
    """The cache entry of a site rendered from `key` (render_keys): the key names everything
    its pages and configuration are made from; this adds how it is built."""
    parts = (ENGINE_VERSION, engine, str(epoch), ",".join(languages), site_url, key)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def cache_lookup(
    out: Path, *, engine: str, epoch: int, languages: tuple[str, ...], site_url: str = ""
) -> Callable[[str], bool]:
    """Whether the build cache beside `out` holds the site rendered from a key: such a site
    need not be rendered at all."""
    cache_root = cache_root_of(out.resolve())
    if not own_cache(cache_root):
        return lambda key: False

    def kept(key: str) -> bool:
        return entry_intact(cache_root / keyed_digest(key, languages, engine, epoch, site_url))

    return kept


def _file_stats(folder: Path) -> dict[str, list[int]]:
    """Size and modification time of every file below folder (its marker left out)."""
    stats = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath)
        for name in filenames:
            path = base / name
            if path == folder / MARKER:
                continue
            stat = path.stat(follow_symlinks=False)
            stats[path.relative_to(folder).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return stats


def entry_intact(entry: Path) -> bool:
    """Whether a cache entry holds exactly the files it was stored with, unchanged. The built
    site shares its files with the entry (hard links), so a file edited in the site is
    edited in the entry too: such an entry is built again, never reused."""
    try:
        data = json.loads((entry / MARKER).read_text(encoding="utf-8"))
        return isinstance(data, dict) and data.get("files") == _file_stats(entry)
    except (OSError, ValueError):
        return False  # no marker (an entry being stored, or an older cache's): build again


def store_in_cache(cache_root: Path, digest: str, built: Path) -> Path:
    """Move what was just built into the cache and return where it now is (best effort: if
    the cache cannot take it, it stays where it was built)."""
    entry = cache_root / digest
    try:
        cache_root.mkdir(exist_ok=True)
        marker = cache_root / CACHE_MARKER
        if not marker.exists():
            marker.write_text("cxassess build cache: sites by digest\n", encoding="utf-8")
        shutil.rmtree(entry, ignore_errors=True)  # an entry without its marker: incomplete
        built.rename(entry)
    except OSError:
        return built
    with contextlib.suppress(OSError):  # no marker: never reused, pruned next time
        kept = {"kind": "cxassess build cache entry", "files": _file_stats(entry)}
        (entry / MARKER).write_text(json.dumps(kept, indent=0) + "\n", encoding="utf-8")
    return entry


def prune_cache(cache_root: Path, wanted: set[str]) -> None:
    """Drop entries no current site uses (wanted: the digests in use)."""
    with contextlib.suppress(OSError):
        for entry in cache_root.iterdir():
            if _DIGEST.fullmatch(entry.name) and entry.name not in wanted:
                shutil.rmtree(entry, ignore_errors=True)
