"""Writing user files without ever losing one: refuse to overwrite unless forced, keep a backup."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from assessment.common.errors import InputError, Problem


def backup_path(path: Path) -> Path:
    """answers.yaml -> answers.yaml.bak, then .bak.1, .bak.2 … so no backup is overwritten."""
    candidate = path.with_name(path.name + ".bak")
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak.{n}")
    return candidate


def safe_write(path: Path, data: str | bytes, *, force: bool) -> Path | None:
    """Write one file atomically; see safe_write_all. Returns the backup's path, if any."""
    return safe_write_all({path: data}, force=force)[path]


def _refusal(path: Path, target: Path | None, force: bool) -> str | None:
    if target is None:
        return "is a link that leads round in a loop; give a file name"
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, so nothing can be written inside it"
    if not path.exists():
        return None
    if path.is_dir():
        return "is a folder; give a file name"
    if not stat.S_ISREG(path.stat().st_mode):
        return "is not a regular file (a pipe, device or socket); give a file name"
    if not force:
        return "file exists; use --force to replace it (a backup is kept)"
    return None


_UMASK = threading.Lock()


def _new_file_mode() -> int:
    """What open() would give a new file: 0666 less the umask (mkstemp gives 0600)."""
    with _UMASK:  # reading the umask means setting it for a moment
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def _target(path: Path) -> Path | None:
    """Where writing path puts the data: a link stays a link, as an editor's save keeps it,
    and what it points to is written (and backed up beside itself). None for a link loop."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def safe_write_all(files: Mapping[Path, str | bytes], *, force: bool) -> dict[Path, Path | None]:
    """Write several files, all or none: if any of them may not be written (it exists and
    force is off, or it is not a regular file), nothing is written and every refusal is
    reported. A replaced file is first copied to a backup (returned per path) and keeps its
    permissions; a new one gets the usual permissions under the umask."""
    targets = {path: _target(path) for path in files}
    problems = [
        Problem(str(path), 0, 0, "", reason)
        for path in files
        if (reason := _refusal(path, targets[path], force)) is not None
    ]
    if len(set(targets.values())) < len(targets) and not problems:
        problems = [Problem(str(next(iter(files))), 0, 0, "", "two outputs name the same file")]
    if problems:
        raise InputError(problems)
    places = {path: target for path, target in targets.items() if target is not None}
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}
    try:
        for path, data in files.items():
            target = places[path]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged[path] = Path(name)
            mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                os.fchmod(fh.fileno(), mode)
        for path, ready in staged.items():
            target = places[path]
            backup = None
            if target.exists():
                backup = backup_path(target)
                shutil.copy2(target, backup)
            ready.replace(target)
            backups[path] = backup
    finally:
        for ready in staged.values():
            ready.unlink(missing_ok=True)  # only those not moved into place
    return backups


def refuse_inputs(outputs: Iterable[Path], inputs: Iterable[Path], what: str) -> None:
    """Raise InputError if a file to write is one of the files it is made from (--force or
    not: a command never writes over its own input)."""
    read = {p.resolve() for p in inputs}
    problems = [
        Problem(str(out), 0, 0, "", f"{out} is one of the files {what} is made from; name another")
        for out in outputs
        if out.resolve() in read
    ]
    if problems:
        raise InputError(problems)


def read_user_file(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a user's regular file of at most `limit` bytes. Pipes, devices and
    sockets are refused before anything is read from them (a FIFO would wait for a writer,
    /dev/zero never ends), and so are folders and oversized files."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError([Problem(name, 0, 0, "", "cannot read file: no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, 0, 0, "", "is a folder, expected a file")]) from None
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        raise InputError([Problem(name, 0, 0, "", message)]) from None
    # Checked on the descriptor, before a file object is made of it: open() refuses a
    # folder, os.open() does not.
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError([Problem(name, 0, 0, "", "is a folder, expected a file")])
        message = "is not a regular file (a pipe, device or socket); give a saved file"
        raise InputError([Problem(name, 0, 0, "", message)])
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        size = max(len(data), path.stat().st_size)
        raise InputError([Problem(name, 0, 0, "", f"file is {size} bytes; the limit is {limit}")])
    return data


def outside_problem(path: Path, root: Path, what: str) -> str | None:
    """Why a file named in a user's file may not be read: it lies outside root (after
    following links and '..'), or None when it lies inside. `what` names it as written."""
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        inside = False
    if inside:
        return None
    return (
        f"{what} lies outside the folder {str(root.resolve())!r}; move it into that"
        " folder, or pass --allow-outside to read files from anywhere"
    )
