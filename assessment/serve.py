"""Live preview: build, serve on 127.0.0.1, rebuild when the answers file changes."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import api, resources
from .errors import InputError


def serve_site(
    answers: Path | None, out: Path, port: int, search: Sequence[Path], echo: Callable[[str], None]
) -> None:
    source = answers if answers is not None else resources.demo_answers()
    api.build_site(answers, out, search=search)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    echo(f"serving {out} on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen = source.stat().st_mtime_ns
    try:
        while True:
            time.sleep(1)
            mtime = source.stat().st_mtime_ns
            if mtime == seen:
                continue
            seen = mtime
            try:
                api.build_site(answers, out, search=search)
                echo("rebuilt")
            except InputError as exc:
                echo(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
