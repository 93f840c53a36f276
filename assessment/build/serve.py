"""Live preview: serve the built site on 127.0.0.1, watch its inputs, bring the site up to
date after every change (build/preview.py) and reload the pages open in a browser.

The files in the output are those of a build; only what this server sends differs: each
HTML page carries a small script that asks the server for its version
(/.cxassess-preview) and reloads the page when the version changes, which it does once per
update, after every file of it is in place. The script asks nothing of any other host.
"""

from __future__ import annotations

import functools
import http.server
import io
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

from assessment.build.outdir import ended_cleanly_on_terminate
from assessment.build.preview import Update
from assessment.common.errors import BuildError, InputError

VERSION_PATH = "/.cxassess-preview"
# How often the inputs are looked at: a change is seen within this time.
INTERVAL = 0.1
# Put before </body> of every page served; %s is the version the page was served at.
RELOAD_SCRIPT = """<script data-cxassess-preview>
/* cxassess serve: reload this page once the preview has built the site again. */
(function () {
  var served = "%s";
  function ask() {
    fetch("%s", {cache: "no-store"}).then(function (answer) {
      if (!answer.ok) { throw new Error("no preview"); }
      return answer.text();
    }).then(function (now) {
      if (now === served) { setTimeout(ask, 200); } else { location.reload(); }
    }, function () { setTimeout(ask, 1000); });  /* the server stopped: ask less often */
  }
  setTimeout(ask, 200);
})();
</script>"""


class Previewing(Protocol):
    """What the server asks of the preview (build.preview.Preview)."""

    def start(self) -> tuple[Path, ...]: ...
    def update(self) -> Update: ...
    def settle(self) -> None: ...
    def close(self) -> None: ...


class _Version:
    """Changes once per update; a new server starts from another value, so a page left open
    across a restart reloads too."""

    def __init__(self) -> None:
        self._run = f"{time.time_ns():x}"
        self._count = itertools.count(1)
        self.value = f"{self._run}-0"

    def bump(self) -> None:
        self.value = f"{self._run}-{next(self._count)}"


def with_reload(page: bytes, version: str) -> bytes:
    """The page with the reload script before its </body> (at its end, if it has none)."""
    script = (RELOAD_SCRIPT % (version, VERSION_PATH)).encode("utf-8")
    at = page.rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The output's files; HTML pages with the reload script, the version at VERSION_PATH."""

    def __init__(self, *args: Any, version: _Version, **kwargs: Any) -> None:
        self.version = version
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if urlsplit(self.path).path != VERSION_PATH:
            super().do_GET()
            return
        body = self.version.value.encode("ascii")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=ascii")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        if path.suffix != ".html":
            return super().send_head()
        try:
            body = with_reload(path.read_bytes(), self.version.value)
        except OSError:
            return super().send_head()  # its own "not found"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")  # a reload asks for the new page
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        if VERSION_PATH not in self.requestline:  # a page open asks five times a second
            super().log_message(format, *args)


def open_server(out: Path, port: int) -> tuple[http.server.ThreadingHTTPServer, _Version]:
    """The server on 127.0.0.1:port (0: any free port), not yet serving."""
    version = _Version()
    handler = functools.partial(_Handler, directory=str(out.resolve()), version=version)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise BuildError(
            f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}"
            " (another cxassess serve?); choose another port with --port"
        ) from None
    return server, version


def serve_site(
    out: Path,
    port: int,
    preview: Previewing,
    echo: Callable[[str], None],
    *,
    stop: threading.Event | None = None,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Serve out until Ctrl+C (or stop is set); preview.start() builds the site and returns
    the files and folders it read, which are watched: after a change preview.update()
    brings the site up to date, and every open page reloads (a failed update is reported,
    and the last good site stays served). ready(port) is called once serving."""
    with ended_cleanly_on_terminate():  # kill (SIGTERM) too removes the preview's folders
        _serve(out, port, preview, echo, stop, ready)


def _serve(
    out: Path,
    port: int,
    preview: Previewing,
    echo: Callable[[str], None],
    stop: threading.Event | None,
    ready: Callable[[int], None] | None,
) -> None:
    server, version = open_server(out, port)  # the port first: a busy one costs no build
    try:
        inputs = preview.start()
    except BaseException:
        server.server_close()
        preview.close()
        raise
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        echo(f"serving {out} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
        preview.settle()
        watch = Watch(inputs)
        # Once straight away: an input saved during the first build is seen here.
        _update(watch, preview, version, echo)
        echo(f"watching {len(inputs)} input(s): a saved change shows in the browser")
        if ready is not None:
            ready(int(server.server_address[1]))
        stopped = stop or threading.Event()  # Ctrl+C ends `cxassess serve`
        while not stopped.wait(INTERVAL):
            if watch.changed():
                _update(watch, preview, version, echo)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()  # only once serve_forever runs: it waits for its loop to end
        server.server_close()
        preview.close()


def _update(
    watch: Watch, preview: Previewing, version: _Version, echo: Callable[[str], None]
) -> None:
    try:
        update = preview.update()
    except (InputError, BuildError) as exc:
        echo(str(exc))
        return
    watch.follow(update.inputs)
    if update.changed:
        version.bump()  # every file is in place: open pages reload now
        echo(describe(update))
    preview.settle()


def describe(update: Update) -> str:
    seconds = f"{update.seconds:.2f} s"
    if update.full:
        return f"rebuilt the site in {seconds}"
    count = sum(len(pages) for pages in update.pages.values())
    where = ", ".join(
        f"{lang}/{prefix}: {len(pages)}" for (lang, prefix), pages in update.pages.items()
    )
    return f"rebuilt {count} page(s) in {seconds} ({where})"


Stamp = tuple[int, int, int] | None


class Watch:
    """The inputs' modification times, sizes and inodes (an editor that saves by renaming
    changes the inode), and of every file in an input folder (a bank)."""

    def __init__(self, inputs: Sequence[Path]) -> None:
        self._seen = {path: _stamp(path) for path in inputs}

    def changed(self) -> bool:
        """Whether an input changed since the last look; the inputs as seen now are what
        the next update reads, so a save during it is seen at the following look."""
        now = {path: _stamp(path) for path in self._seen}
        changed = now != self._seen
        self._seen = now
        return changed

    def follow(self, inputs: Sequence[Path]) -> None:
        """The inputs of the last update (a project file may name other files now)."""
        self._seen = {path: self._seen.get(path) or _stamp(path) for path in inputs}


def _stamp(path: Path) -> Any:
    if path.is_dir():
        return tuple((str(p), _file_stamp(p)) for p in sorted(path.rglob("*")) if p.is_file())
    return _file_stamp(path)


def _file_stamp(path: Path) -> Stamp:
    try:
        status = path.stat()
    except OSError:
        return None  # removed: a change too
    return (status.st_mtime_ns, status.st_size, status.st_ino)
