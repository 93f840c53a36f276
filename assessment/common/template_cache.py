"""Compiled Jinja templates, ours and Material's, kept between sites and between runs.

Compiling is the largest fixed cost of a small build: ~0.1 s for our page templates and
~0.35 s for Material's in every MkDocs run. Compiled code is kept in this process and in
Jinja's own per-user cache folder (FileSystemBytecodeCache: a folder only this user may
write, in the temporary directory). Jinja stores each template's source checksum with its
code, so an edited template, or another version of Material, is compiled afresh; the pages
are the same either way (tests/test_build.py builds with and without the cache).

CXASSESS_TEMPLATE_CACHE=DIR keeps the cache in DIR instead; CXASSESS_TEMPLATE_CACHE=off keeps
it in memory only. The same folder holds the banks bank_store keeps and the rendered blocks
render/fragments.py keeps.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class TemplateCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._memory: dict[str, bytes] = {}
        self._disk: jinja2.FileSystemBytecodeCache | None = None
        self._disk_for: str | None = None

    def _folder(self) -> jinja2.FileSystemBytecodeCache | None:
        setting = os.environ.get("CXASSESS_TEMPLATE_CACHE", "")
        if setting != self._disk_for:
            self._disk_for, self._disk, self._memory = setting, None, {}
            self._disk = _disk_cache(setting)
        return self._disk

    def load_bytecode(self, bucket: Bucket) -> None:
        disk = self._folder()
        code = self._memory.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        if disk is not None:
            try:
                disk.load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()  # a damaged entry: compile again, and overwrite it below
            if bucket.code is not None:
                self._memory[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        disk = self._folder()
        self._memory[bucket.key] = bucket.bytecode_to_string()
        if disk is not None:
            with contextlib.suppress(OSError):  # the cache only saves time
                disk.dump_bytecode(bucket)


def _disk_cache(setting: str) -> jinja2.FileSystemBytecodeCache | None:
    if setting.lower() == "off":
        return None
    try:
        if setting:
            Path(setting).mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(setting or None)
    except (OSError, RuntimeError):
        return None  # no usable folder: compile in memory, as without a cache


def cache_folder() -> Path | None:
    """The folder compiled templates are kept in (bank_store keeps checked banks there too):
    Jinja's per-user folder, which it makes private to this user and checks, or
    CXASSESS_TEMPLATE_CACHE; None when it is "off" or cannot be used."""
    disk = _disk_cache(os.environ.get("CXASSESS_TEMPLATE_CACHE", ""))
    return None if disk is None else Path(disk.directory)


TEMPLATES = TemplateCache()
