"""Lighthouse (mobile, simulated throttling) on the demo site: the dashboard, a clause page
and the report page, in zh and in en. Prints one JSON line per page.

    npm install --no-save lighthouse@12        # once; not a dependency of the project
    python -m benchmarks.lighthouse            # builds the demo site, serves it, measures
    python -m benchmarks.lighthouse --site site --runs 3

The site is served on 127.0.0.1 with gzip, as any web server it is published on would serve
it (Python's own test server does not compress; uncompressed, every page's CSS and script
weigh three to four times as much on the simulated slow connection).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assessment.api import build_site

PAGES = ("lanfeng/", "lanfeng/areas/leadership/5.4/", "lanfeng/report/")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-background-networking --disable-component-update"
)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def _served(root: Path) -> Iterator[str]:
    handler = functools.partial(_GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _lighthouse(binary: str, url: str, out: Path) -> dict[str, Any]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [binary, url, "--only-categories=performance", "--output=json", f"--output-path={out}",
               "--quiet", f"--chrome-flags={CHROME_FLAGS}"]  # fmt: skip
    subprocess.run(command, check=True, env=env)  # noqa: S603 - our own fixed command line
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "fcp_s": round(audits["first-contentful-paint"]["numericValue"] / 1000, 2),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": sum(
            i.get("transferSize", 0) for i in audits["network-requests"]["details"]["items"]
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, help="a built site [default: build the demo]")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--lighthouse", default=shutil.which("lighthouse") or "node_modules/.bin/lighthouse"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(None, site, cache=False)
        with _served(site) as base:
            for lang in ("zh", "en"):
                for page in PAGES:
                    for run in range(args.runs):
                        found = _lighthouse(
                            args.lighthouse, f"{base}/{lang}/{page}", Path(tmp) / "lh.json"
                        )
                        print(json.dumps({"page": f"{lang}/{page}", "run": run + 1, **found}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
