"""Helpers for the browser tests: a local HTTP server and Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CXASSESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


def require_browser() -> None:
    """Skip with a clear message when no Chromium is installed, unless CI demands it."""
    missing = None
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Playwright for Python is not installed (pip install -e '.[test]')"
    if missing:
        if os.environ.get("CXASSESS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    """Debian's Chromium through Playwright (skips or fails as require_browser says)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageWatch:
    """Console errors, page errors, failed requests and requests to any other host."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []
        host = urlparse(base_url).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))

        def check(request: Any) -> None:
            parsed = urlparse(request.url)
            if parsed.scheme not in ("blob", "data") and parsed.netloc != host:
                self.external.append(request.url)

        page.on("request", check)

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.external == []


@contextlib.contextmanager
def site_of(answers_text: str, folder: Path, banks: list[Path]) -> Iterator[str]:
    """The site of one answers file (its text), built into `folder` and served: its URL."""
    from assessment import api

    (folder / "answers.yaml").write_text(answers_text, encoding="utf-8")
    api.build_site(folder / "answers.yaml", folder / "site", search=banks)
    with serve(folder / "site") as url:
        yield url


@contextlib.contextmanager
def form_page(browser: Any, base_url: str) -> Iterator[tuple[Any, PageWatch]]:
    """The English offline form of the site at base_url, in a browser context of its own."""
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        watch = PageWatch(page, base_url)
        page.goto(f"{base_url}/en/form/")
        page.locator("#cx-form-export").wait_for()
        yield page, watch
    finally:
        context.close()
