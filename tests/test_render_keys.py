"""The key a site is cached under must change whenever one of its pages would.

A site whose key the build cache holds is neither rendered nor built again, so a key that
missed an input would leave stale pages. Each case edits one input of the fixture portfolio
(answers, rounds, survey, respondents, workspace) and renders before and after: every site
whose pages changed must have a new key, and organisations that were not touched keep theirs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import api
from assessment.api import load_workspace
from assessment.render import lanes
from assessment.render.keys import site_keys
from assessment.render.lanes import render_site
from assessment.render.pages import LANGUAGES, SiteLanguage, site_names
from tests.conftest import FIXTURES
from tests.test_build import tree_digest

PROJECT = FIXTURES / "project"


def keys_and_pages(folder: Path) -> tuple[dict, dict]:
    workspace = load_workspace(folder / "cxassess.yaml", [FIXTURES])
    keys = site_keys(workspace, LANGUAGES, site_names(workspace))
    pages = {}
    for site in render_site(workspace):
        assert isinstance(site, SiteLanguage)
        if site.prefix:
            pages[(site.lang, site.prefix.rstrip("/"))] = (site.site_name, site.nav, site.pages)
    return keys, pages


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "a level": ("big-cx.yaml", "q1:\n    level: 2", "q1:\n    level: 3"),
    "a respondent's level": ("big-front.yaml", "q1:\n    level: 1", "q1:\n    level: 4"),
    "a reason": ("tiny-2026-07.yaml", "reason: not offered", "reason: not offered | here"),
    "an earlier round": ("tiny-2026-01.yaml", "q1:\n    level: 1", "q1:\n    level: 4"),
    "the organisation's name": ("tiny-2026-07.yaml", "name: Tiny Co", "name: Renamed Co"),
    "an objective": ("tiny-2026-07.yaml", "value: 30}", "value: 40}"),
    "a survey answer": ("tiny-survey.csv", ",app,9,", ",app,3,"),
    "a respondent's name": ("cxassess.yaml", "name: Front line", "name: Front desk"),
    "the workspace title": ("cxassess.yaml", "title: Test portfolio", "title: Another title"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_a_site_gets_a_new_key_whenever_its_pages_change(name, tmp_path):
    folder = tmp_path / "project"
    shutil.copytree(PROJECT, folder)
    keys, pages = keys_and_pages(folder)
    file, old, new = EDITS[name]
    edit(folder / file, old, new)
    keys_after, pages_after = keys_and_pages(folder)
    changed = {site for site in pages if pages[site] != pages_after[site]}
    assert changed, f"editing {name} changed no page: the case tests nothing"
    for site in pages:
        if site in changed:
            assert keys_after[site] != keys[site], f"{site}: pages changed, key did not"
    if file != "cxassess.yaml":  # one organisation's own file: the others keep their keys
        for site in pages:
            if site not in changed:
                assert keys_after[site] == keys[site], site


def test_keys_are_the_same_in_every_process():
    """A rebuild is another run of cxassess: its keys must match the cache's."""
    script = (
        "import json; from assessment.render.pages import LANGUAGES, site_names;"
        "from assessment.render.keys import site_keys;"
        "from assessment.api import load_workspace; from tests.conftest import FIXTURES;"
        "w = load_workspace(FIXTURES / 'project' / 'cxassess.yaml', [FIXTURES]);"
        "print(json.dumps(sorted(site_keys(w, LANGUAGES, site_names(w)).values())))"
    )
    root = Path(__file__).parent.parent
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    workspace = load_workspace(PROJECT / "cxassess.yaml", [FIXTURES])
    here = sorted(site_keys(workspace, LANGUAGES, site_names(workspace)).values())
    assert json.loads(runs[0]) == json.loads(runs[1]) == here


def test_a_rebuild_renders_only_the_edited_organisation(tmp_path, monkeypatch):
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")  # renders in this process, counted
    folder = tmp_path / "project"
    shutil.copytree(PROJECT, folder)
    out = tmp_path / "site"
    api.build_site(folder / "cxassess.yaml", out, search=[FIXTURES])
    rendered: list[tuple[str, str]] = []
    original = lanes.org_site

    def counted(workspace, lang, org, key):
        rendered.append((lang, org.id))
        return original(workspace, lang, org, key)

    monkeypatch.setattr(lanes, "org_site", counted)
    again = api.build_site(folder / "cxassess.yaml", out, search=[FIXTURES])
    assert rendered == []
    assert (again.built, again.reused) == (0, 6)
    edit(folder / "big-cx.yaml", "q1:\n    level: 2", "q1:\n    level: 3")
    edited = api.build_site(folder / "cxassess.yaml", out, search=[FIXTURES])
    assert sorted(rendered) == [("en", "big"), ("zh", "big")]
    assert (edited.built, edited.reused) == (4, 2)  # big and the index, per language
    assert edited.pages == again.pages
    fresh = tmp_path / "fresh"
    api.build_site(folder / "cxassess.yaml", fresh, search=[FIXTURES], cache=False)
    assert tree_digest(out) == tree_digest(fresh)


def test_a_changed_template_renders_everything_again(tmp_path, monkeypatch):
    from assessment.render import keys as render_keys

    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    out = tmp_path / "site"
    api.build_site(PROJECT / "cxassess.yaml", out, search=[FIXTURES])
    monkeypatch.setattr(render_keys, "fingerprint", lambda: "another cxassess")
    again = api.build_site(PROJECT / "cxassess.yaml", out, search=[FIXTURES])
    assert (again.built, again.reused) == (4, 2)  # only the index (keyed by its pages) kept
