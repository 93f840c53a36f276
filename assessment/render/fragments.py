"""Rendered blocks that depend only on the bank, the language and a few values (a question's
descriptors with its level and target marked, its guidance), made once and kept.

Within a process they are kept by key: the same for many organisations of a portfolio. They
are also kept between runs, beside the compiled templates (template_cache's folder, private to
this user), one file per version of cxassess, bank and language: a new process rendering one
organisation made about half of its render time's blocks afresh otherwise (BENCHMARKS.md).
A block's text is a function of its key and of cxassess (code and templates, both in the
file's name), so a kept block is the block the templates would make; a file that cannot be
read is ignored and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from assessment.common.fingerprint import fingerprint
from assessment.common.template_cache import cache_folder

_MADE: dict[tuple[Any, ...], Markup] = {}
_LIMIT = 1 << 15
# Blocks kept in one file: one organisation needs about 900 per language; a portfolio's file
# keeps those its last run used first.
FILE_LIMIT = 1 << 13


class _Kept:
    """One file's blocks by the text of their key (repr: exact for the str, number, tuple and
    named-tuple values keys hold; two keys with the same text are equal)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.read = _read(path)
        self.used: dict[str, str] = {}
        self.new = False


# By (cache folder setting, bank hash, language).
_FILES: dict[tuple[str, str, str], _Kept] = {}


def fragment(*key: Any, caller: Callable[[], str]) -> Markup:
    """`{% call fragment(v.bank.content_hash, v.lang, ...) %}…{% endcall %}`: the key must
    name everything the block reads."""
    made = _MADE.get(key)
    if made is None:
        if len(_MADE) >= _LIMIT:
            _MADE.clear()
        text = _kept_or_made(key, caller)
        made = _MADE[key] = Markup(text)  # noqa: S704 - the block's own escaped output
    return made


def _kept_or_made(key: tuple[Any, ...], caller: Callable[[], str]) -> str:
    where = (os.environ.get("CXASSESS_TEMPLATE_CACHE", ""), str(key[0]), str(key[1]))
    kept = _FILES.get(where)
    if kept is None:
        kept = _FILES[where] = _Kept(_file(where[1:]))
    name = repr(key[2:])
    text = kept.read.get(name)
    made = text is None
    if text is None:
        text = str(caller())
    if len(kept.used) < FILE_LIMIT:
        kept.used[name] = text
        kept.new = kept.new or made
    return text


def _file(where: tuple[str, str]) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256("\0".join((fingerprint(), *where)).encode("utf-8")).hexdigest()
    return folder / f"cxassess-blocks-{digest}.json"


def _read(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: make the blocks, and write the file again
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return {}
    return data


def keep_new() -> None:
    """Write the blocks this process made to their files, with those it used and then those
    it read, up to FILE_LIMIT each. Nothing is written when every block came from a file."""
    for kept in _FILES.values():
        if not kept.new or kept.path is None:
            continue
        blocks = dict(kept.used)
        for name, text in kept.read.items():
            if len(blocks) >= FILE_LIMIT:
                break
            blocks.setdefault(name, text)
        partial = kept.path.with_name(f"{kept.path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):  # the file only saves time
            partial.write_text(json.dumps(blocks, ensure_ascii=False), encoding="utf-8")
            partial.replace(kept.path)
        kept.read, kept.new = blocks, False


def forget() -> None:
    """Drop what this process keeps, so blocks are read or made again (tests)."""
    _MADE.clear()
    _FILES.clear()
