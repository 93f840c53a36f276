"""Live preview: serve a built site on 127.0.0.1 and build it again when its inputs change."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from assessment.common.errors import BuildError, InputError


def serve_site(
    out: Path,
    port: int,
    build: Callable[[], Sequence[Path]],
    echo: Callable[[str], None],
) -> None:
    """Serve out; build() builds the site and returns the files and folders it read, which
    are watched: a change to any of them builds again (a failed build is reported, and the
    last good site stays served)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out.resolve()))
    try:  # the port first: a busy one is known before a build is spent
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise BuildError(
            f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}"
            " (another cxassess serve?); choose another port with --port"
        ) from None
    try:
        inputs = build()
    except BaseException:
        server.server_close()
        raise
    echo(f"serving {out} on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen = _stamp(inputs)
    try:
        while True:
            time.sleep(1)
            now = _stamp(inputs)
            if now == seen:
                continue
            seen = now
            try:
                inputs = build()
                seen = _stamp(inputs)
                echo("rebuilt")
            except InputError as exc:
                echo(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _stamp(inputs: Sequence[Path]) -> tuple[tuple[str, int], ...]:
    """Modification times of every input file, and of every file in an input folder (a bank)."""
    files: list[Path] = []
    for path in inputs:
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    stamps = []
    for path in files:
        try:
            stamps.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1))  # removed: a change too
    return tuple(stamps)
