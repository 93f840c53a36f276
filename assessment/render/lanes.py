"""The render stage spread over the machine's cores: which sites to render, in which worker,
and what comes back. pages.py renders one site; this module decides where each is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from assessment.common.parallel import parallel_lanes, workers
from assessment.render import fragments
from assessment.render.keys import site_keys
from assessment.render.pages import (
    LANGUAGES,
    KeptSite,
    SiteLanguage,
    compile_part,
    labels,
    org_site,
    page_specs,
    portfolio_site,
    site_names,
    site_prefix,
    templates_of,
)
from assessment.render.view import Labels, Site
from assessment.score.workspace import Workspace

Then = TypeVar("Then")


@dataclass(frozen=True)
class _Rendering(Generic[Then]):
    """The workspace being rendered, each site's key and what to do with each site made, for
    forked workers: they inherit it instead of receiving a copy."""

    workspace: Workspace
    keys: dict[tuple[str, str], str]
    then: Callable[[SiteLanguage], Then] | None


_RENDERING: _Rendering[Any] | None = None
# Organisations per lane (a worker's run). By default each language's organisations are one
# run per pair of workers: a worker keeps rendering one language, so the blocks, escapes and
# table rows it keeps (all per language) are made once, not once in every worker (10 % of a
# portfolio); each site goes back as soon as it is made.
_CHUNK: int | None = None


# A job: language, organisation's index, whether it ends its lane, and for the first job of
# a lane that starts beside others, which share of the templates it compiles first.
_Job = tuple[str, int, bool, tuple[int, int] | None]


def _render_one(job: _Job) -> tuple[SiteLanguage, Any]:
    lang, index, last, share = job
    assert _RENDERING is not None  # noqa: S101 - set by render_site before any task runs
    org = _RENDERING.workspace.orgs[index]
    if share is not None:
        names = templates_of(Site(lang, org, Labels(lang, labels()), _RENDERING.workspace))
        compile_part(names, *share)
    site = org_site(_RENDERING.workspace, lang, org, _RENDERING.keys[(lang, org.id)])
    if last:  # a worker's lane is done: the blocks it made are kept for the next run
        fragments.keep_new()
    return site, None if _RENDERING.then is None else _RENDERING.then(site)


def _runs(todo: list[int]) -> list[tuple[int, ...]]:
    """One language's organisations to render, in runs: one per pair of workers."""
    if not todo:
        return []
    parts = max(1, workers(len(LANGUAGES) * len(todo)) // len(LANGUAGES))
    size = _CHUNK or -(-len(todo) // parts)
    return [tuple(todo[start : start + size]) for start in range(0, len(todo), size)]


def render_site(
    workspace: Workspace,
    kept: Callable[[str], bool] | None = None,
    *,
    here: bool = False,
    keep: bool = True,
) -> tuple[SiteLanguage | KeptSite, ...]:
    """Per language: the portfolio index (with several organisations), then each
    organisation's site, or a KeptSite where kept(key) says the build cache holds it.
    Languages and runs of organisations render on every core: even for one organisation,
    two languages on two cores beat one after the other (BENCHMARKS.md). here=True renders
    in this process instead, so that the blocks and compiled templates it makes stay in
    this process: forked workers then start with them (the live preview renders here once,
    then in workers). keep=False writes no kept blocks to disk (the live preview's edits)."""
    return render_site_then(workspace, kept, None, here=here, keep=keep)[0]


def render_site_then(
    workspace: Workspace,
    kept: Callable[[str], bool] | None,
    then: Callable[[SiteLanguage], Then] | None,
    *,
    here: bool = False,
    keep: bool = True,
) -> tuple[tuple[SiteLanguage | KeptSite, ...], list[Then | None]]:
    """render_site, and then(site) for every site rendered, run where the site was made (a
    forked worker: the live preview builds each site there as soon as it is rendered), in
    the order of the sites (None for a KeptSite, or with no then)."""
    global _RENDERING
    keys = site_keys(workspace, LANGUAGES, site_names(workspace))
    kept_sites = {
        (lang, org.id): KeptSite(
            lang,
            site_prefix(workspace, org),
            keys[(lang, org.id)],
            len(page_specs(Site(lang, org, Labels(lang, labels()), workspace))),
        )
        for lang in LANGUAGES
        for org in workspace.orgs
        if kept is not None and kept(keys[(lang, org.id)])
    }
    lanes: list[list[_Job]] = []
    for lang in LANGUAGES:
        todo = [i for i, o in enumerate(workspace.orgs) if (lang, o.id) not in kept_sites]
        lanes += [
            [(lang, i, keep and not here and i == run[-1], None) for i in run]
            for run in _runs(todo)
        ]
    side_by_side = 1 if here else workers(len(lanes))
    if side_by_side > 1:  # lanes after these start once the templates are compiled
        for n, lane in enumerate(lanes[:side_by_side]):
            lane[0] = (*lane[0][:3], (n, side_by_side))
    _RENDERING = _Rendering(workspace, keys, then)
    try:
        made = (
            [[_render_one(job) for job in lane] for lane in lanes]
            if here
            else parallel_lanes(_render_one, lanes)
        )
    finally:
        _RENDERING = None
    rendered = {
        (lang, workspace.orgs[i].id): result
        for lane, results in zip(lanes, made, strict=True)
        for (lang, i, *_), result in zip(lane, results, strict=True)
    }
    sites: list[SiteLanguage | KeptSite] = []
    thens: list[Then | None] = []
    for lang in LANGUAGES:
        if not workspace.single:
            index = portfolio_site(workspace, lang)
            sites.append(index)
            thens.append(None if then is None else then(index))
        for org in workspace.orgs:
            site, done = rendered.get((lang, org.id)) or (kept_sites[(lang, org.id)], None)
            sites.append(site)
            thens.append(done)
    return tuple(sites), thens
