"""Every speed-up that reaches into another library is behind a switch, gives the same site
byte for byte as the library alone, and steps aside on library code it was not checked
against (falling back to the library's own code, never a wrong page)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from assessment import api
from assessment.speedups import NAMES, enabled
from tests.conftest import FIXTURES
from tests.test_build import PROJECT, tree_digest


def build(tmp_path: Path, monkeypatch, setting: str, name: str) -> str:
    monkeypatch.setenv("CXASSESS_SPEEDUPS", setting)
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")  # every site in this process, in a row
    out = tmp_path / name
    api.build_site(PROJECT, out, search=[FIXTURES], cache=False)
    return tree_digest(out)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> str:
    """The project built with no speed-up at all: MkDocs, Material and Jinja as they come."""
    with pytest.MonkeyPatch.context() as patch:
        return build(tmp_path_factory.mktemp("plain"), patch, "none", "site")


def test_the_switch(monkeypatch):
    monkeypatch.delenv("CXASSESS_SPEEDUPS", raising=False)
    assert all(enabled(name) for name in NAMES)
    monkeypatch.setenv("CXASSESS_SPEEDUPS", "none")
    assert not any(enabled(name) for name in NAMES)
    monkeypatch.setenv("CXASSESS_SPEEDUPS", f"all,-{NAMES[0]}")
    assert [enabled(name) for name in NAMES] == [False] + [True] * (len(NAMES) - 1)
    monkeypatch.setenv("CXASSESS_SPEEDUPS", NAMES[-1])
    assert [name for name in NAMES if enabled(name)] == [NAMES[-1]]
    with pytest.raises(ValueError, match="no speed-up"):
        enabled("warp")


def test_all_speedups_give_the_plain_site(tmp_path, monkeypatch, plain):
    assert build(tmp_path, monkeypatch, "all", "all") == plain


@pytest.mark.parametrize("name", NAMES)
def test_each_speedup_alone_gives_the_plain_site(name, tmp_path, monkeypatch, plain):
    assert build(tmp_path, monkeypatch, name, name) == plain


@pytest.mark.parametrize("name", NAMES)
def test_each_is_checked_against_the_installed_library(name):
    """Fails on purpose when an upgrade changes the library code a speed-up stands in for:
    then re-check the speed-up on the new version and record the new digest (meanwhile
    builds use the library's own code and stay right)."""
    module = importlib.import_module(f"assessment.speedups.{name}")
    assert module.usable(), f"{name}: the installed library is not the code it was checked on"


@pytest.mark.parametrize("name", NAMES)
def test_on_other_library_code_each_steps_aside(name, tmp_path, monkeypatch, plain):
    module = importlib.import_module(f"assessment.speedups.{name}")
    monkeypatch.setattr(module, "CHECKED", "another version of the library")
    assert not module.usable()
    assert build(tmp_path, monkeypatch, name, name) == plain
