"""Workers that start side by side on a first run share the compiling of our templates
(lanes.py): each compiles one share and finds the rest in the cache folder. The shares must
cover what a site renders, exactly, and split it evenly; which worker compiled what must not
change a page."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import jinja2
import pytest

from assessment.api import load_workspace
from assessment.common import resources
from assessment.render import pages
from assessment.render.lanes import render_site
from assessment.render.pages import LANGUAGES, SiteLanguage, compile_part, templates_of
from assessment.render.view import Labels, Site
from tests.conftest import FIXTURES


def _sites() -> list[Site]:
    workspace = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])
    return [
        Site(lang, org, Labels(lang, pages.labels()), workspace)
        for org in workspace.orgs
        for lang in LANGUAGES
    ]


@pytest.fixture
def fresh_environment(monkeypatch: pytest.MonkeyPatch) -> jinja2.Environment:
    """An environment that has compiled nothing yet and keeps nothing on disk."""
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", "off")
    pages.environment.cache_clear()
    yield pages.environment()
    pages.environment.cache_clear()


def test_a_sites_templates_are_the_ones_its_rendering_loads(
    fresh_environment: jinja2.Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    sites = _sites()
    assert {s.org.trend is not None for s in sites} == {True, False}  # both kinds covered
    for site in sites:
        loaded: list[str] = []
        source = jinja2.FileSystemLoader.get_source

        def recording(loader, env, name, loaded=loaded, source=source):  # type: ignore[no-untyped-def]
            loaded.append(name)
            return source(loader, env, name)

        monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", recording)
        fresh_environment.cache.clear()
        pages.org_site(site.workspace, site.lang, site.org, key="k")
        names = templates_of(site)
        assert len(names) == len(set(names))
        assert set(names) == set(loaded), site.org.id
        assert names[0] == loaded[0]  # the first page's template comes first


def test_shares_split_the_templates_between_workers_by_size(
    fresh_environment: jinja2.Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = templates_of(_sites()[0])
    folder = resources.data_dir("templates")
    size = {n: (folder / n).stat().st_size for n in names}
    for parts in (1, 2, 3):
        shares = []
        for part in range(parts):
            compiled: list[str] = []
            monkeypatch.setattr(fresh_environment, "get_template", compiled.append)
            compile_part(names, part, parts)
            shares.append(compiled)
        assert sorted(n for share in shares for n in share) == sorted(names)
        assert all(share == [n for n in names if n in share] for share in shares)  # in order
        totals = [sum(size[n] for n in share) for share in shares]
        assert max(totals) - min(totals) <= max(size.values()), (parts, totals)


def test_pages_do_not_depend_on_who_compiled_the_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the shares are for forked workers")
    workspace = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])

    def rendered(cache: str, workers: str) -> dict[tuple[str, str], tuple[str, ...]]:
        monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", cache)
        monkeypatch.setenv("CXASSESS_BUILD_WORKERS", workers)
        pages.environment.cache_clear()
        try:
            sites = render_site(workspace, keep=False)
        finally:
            pages.environment.cache_clear()
        assert all(isinstance(s, SiteLanguage) for s in sites)
        return {(s.lang, s.prefix): tuple(p.text for p in s.pages) for s in sites}  # type: ignore[union-attr]

    alone = rendered("off", "1")
    shared = rendered(str(tmp_path / "cache"), "2")
    assert shared == alone
    assert any(p.name.startswith("__jinja2_") for p in (tmp_path / "cache").iterdir())
