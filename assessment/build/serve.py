"""Live preview: build, serve on 127.0.0.1, rebuild when the answers file changes."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from assessment import api
from assessment.common.errors import BuildError, InputError


def serve_site(
    answers: Path | None,
    out: Path,
    port: int,
    search: Sequence[Path],
    echo: Callable[[str], None],
    *,
    allow_outside: bool = False,
) -> None:
    source = answers if answers is not None else api.default_source()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out.resolve()))
    try:  # the port first: a busy one is known before a build is spent
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise BuildError(
            f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}"
            " (another cxassess serve?); choose another port with --port"
        ) from None
    try:
        api.build_site(answers, out, search=search, allow_outside=allow_outside)
    except BaseException:
        server.server_close()
        raise
    echo(f"serving {out} on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen = _stamp(source)
    try:
        while True:
            time.sleep(1)
            mtime = _stamp(source)
            if mtime == seen:
                continue
            seen = mtime
            try:
                api.build_site(answers, out, search=search, allow_outside=allow_outside)
                echo("rebuilt")
            except InputError as exc:
                echo(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _stamp(source: Path) -> tuple[int, ...]:
    """Modification times of the source and of every YAML or CSV file beside it (a project
    file names answers files, respondents and surveys in its folder)."""
    files = [
        source,
        *sorted(p for p in source.parent.rglob("*") if p.suffix in {".yaml", ".yml", ".csv"}),
    ]
    return tuple(p.stat().st_mtime_ns for p in files if p.is_file())
