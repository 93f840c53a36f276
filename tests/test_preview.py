"""The live preview: an edit rebuilds only the pages whose Markdown changed, the output is
then the site a full build makes, the served pages reload themselves, built ones carry
nothing of it. No test here asserts a duration; waits have a deadline only so that a broken
preview fails instead of hanging."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assessment import api
from assessment.build import engines
from assessment.build import preview as preview_module
from assessment.build.preview import Preview
from assessment.build.serve import VERSION_PATH, Watch, serve_site, with_reload
from assessment.common.errors import BuildError, InputError
from assessment.render.lanes import render_site
from assessment.render.pages import SiteLanguage
from tests.conftest import FIXTURES, MINI_ANSWERS, start_serving
from tests.test_build import tree_digest

DEADLINE = 120.0  # seconds before a wait gives up: a hang, not a slow machine
SEARCH = [FIXTURES]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rendered(path: Path) -> dict[tuple[str, str], str]:
    """Every page's Markdown, by (site folder, page path)."""
    workspace = api.load_workspace(path, SEARCH)
    return {
        (f"{s.lang}/{s.prefix}", p.path): p.text
        for s in render_site(workspace, here=True)
        if isinstance(s, SiteLanguage)
        for p in s.pages
    }


def full_build(path: Path, out: Path) -> dict[str, str]:
    api.build_site(path, out, search=SEARCH, cache=False)
    return tree_digest(out)


def stamps(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def html_of(page: str) -> str:
    """Where MkDocs writes a Markdown page (directory URLs)."""
    stem = page.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"


@dataclass
class Previewed:
    source: Path
    out: Path
    preview: Preview


def previewed(tmp_path: Path, source: Path) -> Iterator[Previewed]:
    out = tmp_path / "site"
    preview = Preview(
        out, lambda: api.load_workspace(source, SEARCH), lambda w: api.build_workspace(w, out)
    )
    preview.start()
    preview.settle()
    try:
        yield Previewed(source, out, preview)
    finally:
        preview.close()


@pytest.fixture
def mini(tmp_path) -> Iterator[Previewed]:
    source = tmp_path / "acme.yaml"
    shutil.copy(MINI_ANSWERS, source)
    yield from previewed(tmp_path, source)


@pytest.fixture
def portfolio(tmp_path) -> Iterator[Previewed]:
    folder = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", folder)
    yield from previewed(tmp_path, folder / "cxassess.yaml")


def test_an_edit_rebuilds_only_the_pages_whose_markdown_changed(mini, tmp_path):
    before, files_before = rendered(mini.source), stamps(mini.out)
    edit(mini.source, "level: 2\n", "level: 3\n")  # q1
    update = mini.preview.update()
    after = rendered(mini.source)
    changed = {key for key in after if after[key] != before[key]}
    assert not update.full
    assert changed  # the clause page, its area, the dashboard, the report …
    assert changed != set(after)  # … not every page
    assert {(f"{lang}/{prefix}", page) for (lang, prefix), pages in update.pages.items()
            for page in pages} == changed  # fmt: skip
    files_after = stamps(mini.out)
    rewritten = {name for name in files_after if files_after[name] != files_before.get(name)}
    searched = {"zh/search/search_index.json", "en/search/search_index.json"}
    assert rewritten == {f"{site}{html_of(page)}" for site, page in changed} | searched
    # What a full build of the edited file writes, byte for byte, search index included.
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")


def test_a_second_edit_and_an_edit_back(mini, tmp_path):
    edit(mini.source, "level: 4\n", "level: 2\n")  # q2
    assert not mini.preview.update().full
    edit(mini.source, "level: 2\n", "level: 4\n")
    assert not mini.preview.update().full
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_each_site_builds_in_a_worker_of_its_own_or_here(mini, tmp_path, monkeypatch, workers):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", workers)
    builders = tmp_path / "builders"
    rebuild = preview_module._Twin.rebuild

    def recorded(twin, site):
        with builders.open("a", encoding="utf-8") as out:  # a forked worker's list is lost
            out.write(f"{site.lang} {os.getpid()}\n")
        return rebuild(twin, site)

    monkeypatch.setattr(preview_module._Twin, "rebuild", recorded)
    for old, new in [("level: 4\n", "level: 2\n"), ("level: 2\n", "level: 4\n")]:
        edit(mini.source, old, new)
        assert not mini.preview.update().full
        # Each worker's record came back: the second dirty build writes the full search index.
        assert tree_digest(mini.out) == full_build(mini.source, tmp_path / f"full-{new[7]}")
    pids = [line.split() for line in builders.read_text(encoding="utf-8").splitlines()]
    assert sorted(lang for lang, _ in pids) == ["en", "en", "zh", "zh"]
    here = {pid == str(os.getpid()) for _, pid in pids}
    assert here == ({True} if workers == "1" else {False})


def test_a_worker_that_fails_leaves_the_site_and_the_next_edit_builds_it_all(
    mini, tmp_path, monkeypatch
):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    files_before = tree_digest(mini.out)
    parent = os.getpid()

    def lost(twin, site):
        if os.getpid() == parent:  # ending here would end the test run
            raise AssertionError("the dirty build ran in the preview's process")
        os._exit(3)

    monkeypatch.setattr(preview_module._Twin, "rebuild", lost)
    edit(mini.source, "level: 2\n", "level: 3\n")
    with pytest.raises(BuildError, match="could not build the edit"):
        mini.preview.update()
    assert tree_digest(mini.out) == files_before  # the last good site stays served
    monkeypatch.undo()
    assert mini.preview.update().full  # no twin is trusted after a lost worker
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")


def test_a_failed_dirty_build_in_one_language_builds_the_whole_site(mini, tmp_path, monkeypatch):
    rebuild = preview_module._Twin.rebuild

    def failing_in_english(twin, site):
        if site.lang == "en":
            raise BuildError("mkdocs build failed")
        return rebuild(twin, site)

    monkeypatch.setattr(preview_module._Twin, "rebuild", failing_in_english)
    edit(mini.source, "level: 2\n", "level: 3\n")
    assert mini.preview.update().full
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")
    monkeypatch.undo()
    mini.preview.settle()  # twins again
    edit(mini.source, "level: 3\n", "level: 2\n")
    assert not mini.preview.update().full
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full2")


def test_an_edit_that_changes_no_page_rebuilds_nothing(mini):
    files_before = stamps(mini.out)
    mini.source.write_text(mini.source.read_text() + "# a comment\n", encoding="utf-8")
    update = mini.preview.update()
    assert not update.changed
    assert stamps(mini.out) == files_before


def test_a_change_beyond_pages_builds_the_whole_site_then_pages_again(mini, tmp_path):
    edit(mini.source, "name: Tiny Co", "name: Tiny Company")  # every page's site name
    assert mini.preview.update().full
    mini.preview.settle()  # twins of the new site
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")
    edit(mini.source, "level: 2\n", "level: 3\n")
    assert not mini.preview.update().full
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full2")


def test_a_bad_edit_keeps_the_last_good_site(mini):
    files_before = tree_digest(mini.out)
    edit(mini.source, "level: 2\n", "level: 9\n")
    with pytest.raises(InputError, match="level must be"):
        mini.preview.update()
    assert tree_digest(mini.out) == files_before
    edit(mini.source, "level: 9\n", "level: 3\n")
    assert not mini.preview.update().full


def test_a_dirty_build_that_warns_gives_way_to_a_full_build(mini, tmp_path, monkeypatch):
    # As if MkDocs reworded its notice on dirty builds: strict mode fails the dirty build.
    monkeypatch.setattr(engines._DirtyNotice, "filter", lambda self, record: True)
    edit(mini.source, "level: 2\n", "level: 3\n")
    assert mini.preview.update().full
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")


def test_a_page_the_dirty_build_skips_gives_way_to_a_full_build(mini, tmp_path, monkeypatch):
    # Its HTML looks newer than its rewritten Markdown (a clock set back): MkDocs skips it.
    monkeypatch.setattr(preview_module, "_newer_than", lambda source, html: None)
    for twin in mini.preview._twins.values():
        for html in (twin.folder / "site").rglob("*.html"):
            os.utime(html, (time.time() + 3600, time.time() + 3600))
    edit(mini.source, "level: 2\n", "level: 3\n")
    assert mini.preview.update().full
    assert tree_digest(mini.out) == full_build(mini.source, tmp_path / "full")


def test_a_portfolio_edit_builds_the_organisation_then_only_its_pages(portfolio, tmp_path):
    tiny = portfolio.source.parent / "tiny-2026-07.yaml"
    edit(tiny, "level: ", "level: 0 #")  # first answer of the latest round
    first = portfolio.preview.update()
    assert first.full  # the organisation has no twin yet
    portfolio.preview.settle()
    edit(tiny, "level: 0 #", "level: ")
    second = portfolio.preview.update()
    assert not second.full
    sites = {site for site, pages in second.pages.items() if pages}
    assert {prefix for _, prefix in sites} <= {"tiny/", ""}  # not big's pages
    assert ("en", "tiny/") in sites
    assert tree_digest(portfolio.out) == full_build(portfolio.source, tmp_path / "full")


def test_the_watch_sees_a_save(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("one\n", encoding="utf-8")
    bank = tmp_path / "bank"
    (bank / "questions").mkdir(parents=True)
    watch = Watch([answers, bank])
    assert not watch.changed()
    answers.write_text("two\n", encoding="utf-8")
    assert watch.changed()
    assert not watch.changed()
    (bank / "questions" / "new.yaml").write_text("x: 1\n", encoding="utf-8")
    assert watch.changed()
    answers.unlink()
    assert watch.changed()


def test_the_reload_script_goes_before_the_end_of_the_body():
    page = b"<html><body><p>x</p></body>\n</html>\n"
    served = with_reload(page, "v-1")
    assert served.startswith(b"<html><body><p>x</p><script data-cxassess-preview>")
    assert served.endswith(b"</script></body>\n</html>\n")
    assert b'"v-1"' in served
    assert VERSION_PATH.encode() in served
    assert b"http" not in served.split(b"<script", 1)[1]  # asks no other host


# The server, as `cxassess serve` runs it, in a thread of this process.


@dataclass
class Served:
    source: Path
    out: Path
    url: str
    said: list[str]


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    source = tmp_path / "acme.yaml"
    shutil.copy(MINI_ANSWERS, source)
    out = tmp_path / "site"
    said: list[str] = []
    port: list[int] = []
    stop = threading.Event()

    def run() -> None:
        api_preview = Preview(
            out, lambda: api.load_workspace(source, SEARCH), lambda w: api.build_workspace(w, out)
        )
        serve_site(out, 0, api_preview, said.append, stop=stop, ready=port.append)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_for(lambda: port or not thread.is_alive())
    assert port, said
    try:
        yield Served(source, out, f"http://127.0.0.1:{port[0]}", said)
    finally:
        stop.set()
        thread.join(DEADLINE)


def wait_for(condition, deadline: float = DEADLINE):
    end = time.monotonic() + deadline
    while not (found := condition()):
        assert time.monotonic() < end, "gave up waiting"
        time.sleep(0.02)
    return found


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return str(answer.read().decode("utf-8"))


def test_a_bad_file_at_the_start_ends_the_serve_with_its_problems(tmp_path):
    source = tmp_path / "acme.yaml"
    shutil.copy(MINI_ANSWERS, source)
    edit(source, "level: 2\n", "level: 9\n")
    out = tmp_path / "site"
    raised: list[Exception] = []

    def run() -> None:
        preview = Preview(
            out, lambda: api.load_workspace(source, SEARCH), lambda w: api.build_workspace(w, out)
        )
        try:
            serve_site(out, 0, preview, lambda line: None)
        except InputError as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive()  # it ended, and did not wait for a server never started
    assert raised
    assert "level must be" in str(raised[0])


def test_a_busy_port_leaves_no_folder_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the twins would go
    out = tmp_path / "site"
    preview = Preview(
        out, lambda: api.load_workspace(MINI_ANSWERS, SEARCH), lambda w: api.build_workspace(w, out)
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(BuildError, match="cannot serve"):
            serve_site(out, busy.getsockname()[1], preview, lambda line: None)
    assert not list(tmp_path.glob("cxassess-preview-*"))
    assert not out.exists()


def test_a_killed_serve_removes_its_twins(tmp_path):
    source = tmp_path / "acme.yaml"
    shutil.copy(MINI_ANSWERS, source)
    temporary = tmp_path / "tmp"  # where the twins go (TMPDIR)
    temporary.mkdir()
    with socket.socket() as probe:  # a free port (the command takes 1..65535)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = ["--bank-path", str(FIXTURES), str(source), "--port", str(port),
            "--out", str(tmp_path / "site")]  # fmt: skip
    serve, said = start_serving(args, env={**os.environ, "TMPDIR": str(temporary)})
    try:
        assert list(temporary.glob("cxassess-preview-*")), said
    finally:
        serve.terminate()
        serve.wait(DEADLINE)
    assert serve.returncode == 128 + 15
    assert not list(temporary.glob("cxassess-preview-*"))


def test_served_pages_reload_themselves_and_built_pages_do_not(served, tmp_path):
    page = get(f"{served.url}/en/")
    assert page.count("data-cxassess-preview") == 1
    assert page.index("data-cxassess-preview") < page.rindex("</body>")
    on_disk = [p.read_text(encoding="utf-8") for p in served.out.rglob("*.html")]
    assert on_disk
    assert not any("cxassess-preview" in text for text in on_disk)
    full = tmp_path / "built"
    api.build_site(served.source, full, search=SEARCH)
    assert not any(b"cxassess-preview" in p.read_bytes() for p in full.rglob("*") if p.is_file())
    assert get(f"{served.url}/en/assets/cxassess.css") == (
        served.out / "en" / "assets" / "cxassess.css"
    ).read_text(encoding="utf-8")  # other files as they are


def test_an_edit_changes_the_served_page_and_the_version(served):
    url = f"{served.url}/en/areas/alpha/1.1/"
    assert "3 " not in level_cells(get(url))
    version = get(served.url + VERSION_PATH)
    edit(served.source, "level: 2\n", "level: 3\n")  # q1, on clause 1.1
    wait_for(lambda: "3 " in level_cells(get(url)))
    wait_for(lambda: get(served.url + VERSION_PATH) != version)
    assert any(line.startswith("rebuilt ") and "page(s)" in line for line in served.said)


def level_cells(page: str) -> str:
    """The first cells of the question tables: the levels."""
    return " ".join(row.split("</td>", 1)[0] for row in page.split("<tbody>\n<tr><td>")[1:])


def test_an_open_page_reloads_after_an_edit(served, browser):
    page = browser.new_page()
    url = f"{served.url}/en/areas/alpha/1.1/"
    page.goto(url)
    page.wait_for_load_state("load")
    assert "3 " not in level_cells(page.content())
    with page.expect_navigation(timeout=DEADLINE * 1000):
        edit(served.source, "level: 2\n", "level: 3\n")
    page.wait_for_load_state("load")
    assert "3 " in level_cells(page.content())
    assert page.url == url
    page.close()
