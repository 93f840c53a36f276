"""Blocks kept between runs: a run that reads them gives the pages a run that makes them
gives, and the files stay within their limit and survive damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.api import load_workspace
from assessment.render import fragments
from assessment.render.lanes import render_site
from tests.conftest import FIXTURES

DEMO = Path(__file__).parent.parent / "examples" / "demo" / "cxassess.yaml"


def _pages(workspace) -> dict[tuple[str, str, str], str]:
    fragments.forget()  # as a new process: nothing in memory, only what the files hold
    return {(s.lang, s.prefix, p.path): p.text for s in render_site(workspace) for p in s.pages}


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", str(tmp_path / "cache"))
    yield tmp_path / "cache"
    fragments.forget()


def _files(folder):
    return sorted(folder.glob("cxassess-blocks-*.json"))


def test_kept_blocks_give_the_pages_made_blocks_give(store, monkeypatch):
    workspace = load_workspace(DEMO, [FIXTURES])
    made = _pages(workspace)
    files = _files(store)
    assert len(files) == 2  # one per language of the demo's bank
    written = {f: f.stat().st_mtime_ns for f in files}

    calls = []
    real = fragments._kept_or_made

    def counted(key, caller):
        def counting():
            calls.append(key)
            return caller()

        return real(key, counting)

    monkeypatch.setattr(fragments, "_kept_or_made", counted)
    read = _pages(workspace)
    assert read == made
    assert calls == []  # every block came from the files
    assert {f: f.stat().st_mtime_ns for f in _files(store)} == written  # none written again

    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", "off")
    assert _pages(workspace) == made  # and both are what rendering with no files gives


def test_a_damaged_file_is_made_again(store):
    workspace = load_workspace(DEMO, [FIXTURES])
    made = _pages(workspace)
    first, second = _files(store)
    first.write_text("{not json", encoding="utf-8")
    second.write_text(json.dumps({"x": 1}), encoding="utf-8")  # JSON, but not blocks
    assert _pages(workspace) == made
    for path in (first, second):
        blocks = json.loads(path.read_text(encoding="utf-8"))
        assert blocks
        assert all(isinstance(v, str) for v in blocks.values())


def test_files_keep_at_most_their_limit(store, monkeypatch):
    monkeypatch.setattr(fragments, "FILE_LIMIT", 25)
    project = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])
    made = _pages(project)
    for path in _files(store):
        assert len(json.loads(path.read_text(encoding="utf-8"))) == 25
    assert _pages(project) == made  # blocks beyond the limit are made again


def test_workers_keep_their_blocks_for_the_next_run(store, monkeypatch):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    project = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])
    made = _pages(project)  # rendered in forked workers: they write the files
    assert len(_files(store)) == 2
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    assert _pages(project) == made


def test_the_live_preview_keeps_its_blocks_in_memory(store):
    fragments.forget()
    render_site(load_workspace(DEMO, [FIXTURES]), here=True)
    assert _files(store) == []
