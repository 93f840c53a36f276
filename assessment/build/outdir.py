"""The output folder of a build: what may be replaced, what must be kept, and the swap.

A build replaces only a folder it made itself: the folder's marker lists every file the
build wrote, so a folder holding anything else (a user's notes dropped into an old site, a
folder that was never a site) is the user's. Such a folder is left alone, or with --force
moved aside to a kept backup, never deleted. A build whose inputs lie inside the output
folder, or whose output folder holds the current folder, is refused outright.

Builds into one folder take turns (a lock file beside it), and the work folders of a build
that was killed are removed by the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from assessment.common.errors import InputError, Problem
from assessment.common.files import backup_path

MARKER = ".cxassess-site"
# Inside each work folder of a build: the folder is ours to remove once no build runs.
WORK_MARKER = ".cxassess-work"
_MARKER_KIND = "cxassess site"


def _problem(out: Path, message: str) -> InputError:
    return InputError([Problem(str(out), 0, 0, "", message)])


def site_files(folder: Path) -> list[str]:
    """Every file below folder, as relative POSIX paths, sorted (the marker's own left out)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath).relative_to(folder)
        found += [(base / name).as_posix() for name in filenames]
    return sorted(f for f in found if f != MARKER)


def marker_text(folder: Path) -> str:
    """The marker of a built site: what made it and every file it holds."""
    return json.dumps({"kind": _MARKER_KIND, "files": site_files(folder)}, indent=0) + "\n"


def _made_files(out: Path) -> set[str] | None:
    """The files a build wrote into out, from its marker; None if out has no readable marker."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != _MARKER_KIND:
        return None
    files = data.get("files")
    return set(files) if isinstance(files, list) else None


@dataclass(frozen=True)
class Destination:
    out: Path  # resolved
    replace: bool  # out holds a site of ours, to be replaced
    backup: Path | None  # where a folder of the user's goes (with --force)


def _foreign_reason(out: Path) -> str | None:
    """Why out is not ours to replace (None: it is ours, or there is nothing there)."""
    if not out.exists():
        return None
    if not out.is_dir():
        return "exists and is not a folder"
    if not any(out.iterdir()):
        return None
    made = _made_files(out)
    if made is None:
        return "is not empty and was not made by cxassess"
    extra = _not_made(out, made)
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        return f"holds files cxassess did not write ({shown})"
    return None


def _not_made(out: Path, made: set[str]) -> list[str]:
    """What out holds that no build wrote: files, and folders or links to folders that hold
    none of the files a build wrote (a user's empty folder, a link to their own folder)."""
    made_folders = {parent.as_posix() for name in made for parent in Path(name).parents}
    extra = []
    for dirpath, dirnames, filenames in os.walk(out):
        base = Path(dirpath).relative_to(out)
        extra += [
            name
            for name in ((base / f).as_posix() for f in filenames)
            if name not in made and name != MARKER
        ]
        for folder in list(dirnames):
            name = (base / folder).as_posix()
            if name not in made_folders or (Path(dirpath) / folder).is_symlink():
                extra.append(f"{name}/")
                dirnames.remove(folder)
    return sorted(extra)


def plan_destination(out: Path, inputs: Sequence[Path], *, force: bool) -> Destination:
    """Check that a build may write out; raise InputError (nothing written) if not."""
    out = out.resolve()
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise _problem(out, f"{parent} is a file, so no folder can be made inside it")
    for source in inputs:
        resolved = source.resolve()
        if resolved == out or resolved.is_relative_to(out):
            raise _problem(
                out,
                f"the output folder holds an input of this build ({source}); choose another --out",
            )
    if Path.cwd().resolve().is_relative_to(out):
        raise _problem(out, "the output folder holds the current folder; choose another --out")
    reason = _foreign_reason(out)
    if reason is None:
        return Destination(out, out.exists() and any(out.iterdir()), None)
    if not force:
        raise _problem(
            out,
            f"output {reason}; choose another --out, or use --force to move it aside to a backup",
        )
    return Destination(out, False, backup_path(out))


def swap_in(staged: Path, destination: Destination) -> Path | None:
    """Put the staged site at the output path; returns where a user's folder was moved."""
    out = destination.out
    if destination.backup is not None and out.exists():
        out.replace(destination.backup)
        staged.replace(out)
        return destination.backup
    old = None
    if destination.replace:
        old = work_folder(out, "old")
        out.replace(old / "site")
    elif out.is_dir():
        out.rmdir()  # empty: checked by plan_destination
    staged.replace(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return None


def work_folder(out: Path, kind: str) -> Path:
    """A new folder beside out for a build's work, marked so the next build may remove it."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-", dir=out.parent))
    (folder / WORK_MARKER).write_text(f"{os.getpid()}\n", encoding="utf-8")
    return folder


def _remove_stale_work(out: Path) -> None:
    """Work folders a killed build left: with the lock held no other build uses them."""
    for kind in ("build", "old"):
        for folder in out.parent.glob(f".{out.name}.{kind}-*"):
            if (folder / WORK_MARKER).is_file():
                shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def build_lock(out: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """One build at a time into out's parent folder (others wait): builds share the cache
    beside the output. The lock is held on the folder itself, so no lock file is left."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: builds are not kept apart
        yield
        return
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(f"waiting for another build into {out.parent} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        _remove_stale_work(out)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def ended_cleanly_on_terminate() -> Iterator[None]:
    """SIGTERM (kill, a closed terminal's supervisor) ends the build like Ctrl+C does, so its
    work folders are removed and its workers stopped on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
