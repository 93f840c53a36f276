"""Writing user files without ever losing one: refuse to overwrite unless forced, keep a backup."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import InputError, Problem


def backup_path(path: Path) -> Path:
    """answers.yaml -> answers.yaml.bak, then .bak.1, .bak.2 … so no backup is overwritten."""
    candidate = path.with_name(path.name + ".bak")
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak.{n}")
    return candidate


def safe_write(path: Path, data: str | bytes, *, force: bool) -> Path | None:
    """Write atomically. An existing file needs force=True and is first copied to a backup,
    whose path is returned."""
    backup = None
    if path.exists():
        if not force:
            raise InputError(
                [
                    Problem(
                        str(path),
                        0,
                        0,
                        "",
                        "file exists; use --force to replace it (a backup is kept)",
                    )
                ]
            )
        backup = backup_path(path)
        shutil.copy2(path, backup)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return backup
