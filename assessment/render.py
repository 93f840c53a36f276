"""Render stage: the scored model to Markdown pages, per language, from the Jinja2 templates.

Nothing here writes to disk: the result is a list of pages that build.py writes in one step.
Every value a template prints goes through escape_text (Jinja's finalize), so user text
cannot become markup; HTML blocks built around user text are also passed through nh3.
Templates are only loaded from the templates folder, never built from strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import Any

import jinja2
import nh3
from markupsafe import Markup

from . import resources
from .parallel import parallel_map
from .template_cache import TEMPLATES
from .textsafe import escape_text
from .view import Labels, Site, View
from .workspace import OrgReport, Workspace
from .yamlio import load_trusted

LANGUAGES = ("zh", "en")

# The tags and attributes our HTML blocks use; nh3 removes anything else from them.
_HTML_TAGS = {
    "div", "span", "p", "ul", "ol", "li", "strong", "em", "br", "small", "code", "a", "mark",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
}  # fmt: skip
_HTML_ATTRS = {"*": {"class", "id"}, "a": {"href"}, "th": {"scope"}}


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    text: str


@dataclass(frozen=True)
class SiteLanguage:
    """One MkDocs site: a language of a single organisation, or in a portfolio the index or
    one organisation, built on its own so that its pages carry only its own navigation and
    an unchanged organisation need not be built again."""

    lang: str
    site_name: str
    pages: tuple[Page, ...]
    nav: tuple[Any, ...]
    assets: Mapping[str, str] = field(default_factory=dict)
    prefix: str = ""  # where the site goes below OUT/<lang>/: "" or "<org id>/"


@cache
def _cleaner() -> nh3.Cleaner:
    # Built once: handing nh3.clean the allowlists converts them on every call, which was most
    # of the cost of the many small blocks of a portfolio.
    return nh3.Cleaner(
        tags=_HTML_TAGS, attributes=_HTML_ATTRS, url_schemes={"https", "http"}, link_rel=None
    )


# A table cell closed right before the next one opens: Material's search index takes the
# text of a page as written, so the words of neighbouring cells would run together.
_ADJACENT_CELLS = re.compile(r"(</t[dh]>)(?=<t[dh][\s>])")


def sanitise(fragment: str) -> Markup:
    """An HTML block around escaped user text, cleaned by nh3 as a second line of defence,
    with table cells one per line as Python-Markdown writes them. Python-Markdown leaves raw
    HTML blocks alone, so nothing in them is read as Markdown."""
    cleaned = _ADJACENT_CELLS.sub("\\1\n", _cleaner().clean(fragment))
    return Markup(cleaned)  # noqa: S704 - nh3 output under our allowlist


@cache
def labels() -> dict[str, Any]:
    data: dict[str, Any] = load_trusted(resources.data_dir("templates") / "labels.yaml")
    return data


def fmt(value: float | None, digits: int = 1) -> Markup:
    if value is None:
        return Markup("—")
    return Markup(f"{value:.{digits}f}")  # noqa: S704 - a number


def fmt_pct(value: float | None) -> Markup:
    if value is None:
        return Markup("—")
    return Markup(f"{value * 100:.0f}&#160;%")  # noqa: S704 - a number


def fmt_signed(value: float | None) -> Markup:
    if value is None:
        return Markup("—")
    return Markup(f"{value:+.1f}".replace("-", "−"))  # noqa: S704 - a number


def heat_class(value: float | None) -> Markup:
    if value is None:
        return Markup("cx-heat-none")
    return Markup(f"cx-heat-{min(5, max(0, int(value)))}")  # noqa: S704 - a number


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources.data_dir("templates")),
        undefined=jinja2.StrictUndefined,
        # finalize escapes every printed value for Markdown and HTML (escape_text returns
        # Markup, so autoescape adds nothing to it); autoescape keeps macro and filter-block
        # output as Markup so it is not escaped twice. Filters that would escape for HTML only
        # are replaced below.
        autoescape=True,
        finalize=escape_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=TEMPLATES,
    )
    env.filters.update(
        join=_join,
        e=escape_text,
        escape=escape_text,
        forceescape=lambda value: escape_text(str(value)),
        fmt=fmt,
        pct=fmt_pct,
        signed=fmt_signed,
        heat=heat_class,
        basename=lambda path: PurePath(str(path)).name,
        sanitise=sanitise,
        br=lambda items: Markup("<br>").join(escape_text(i) for i in items),
        code=lambda value: Markup("<code>") + escape_text(value) + Markup("</code>"),
        heading=lambda level: Markup("#" * min(int(level), 6)),  # noqa: S704 - only '#' characters
    )
    env.globals["fragment"] = fragment
    return env


# Rendered blocks that depend only on the bank, the language and a few values (a question's
# descriptors with its level and target marked, its guidance): the same for many
# organisations of a portfolio, so made once. Keys are (bank hash, language, ...).
_FRAGMENTS: dict[tuple[Any, ...], Markup] = {}
_FRAGMENTS_LIMIT = 1 << 15


def fragment(*key: Any, caller: Callable[[], str]) -> Markup:
    """`{% call fragment(v.bank.content_hash, v.lang, ...) %}…{% endcall %}`: the key must
    name everything the block reads."""
    made = _FRAGMENTS.get(key)
    if made is None:
        if len(_FRAGMENTS) >= _FRAGMENTS_LIMIT:
            _FRAGMENTS.clear()
        made = _FRAGMENTS[key] = Markup(caller())  # noqa: S704 - the block's own escaped output
    return made


def _join(items: Any, separator: str = "") -> Markup:
    return escape_text(separator).join(escape_text(item) for item in items)


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    title: str  # plain text for the navigation; the page prints its own escaped heading
    context: Mapping[str, Any] = field(default_factory=dict)


def page_specs(site: Site) -> list[PageSpec]:
    """Every page of one organisation in one language, in navigation order."""
    bank, labels = site.bank, site.L
    specs = [PageSpec("index.md", "pages/overview.md.j2", str(labels.overview))]
    for area in bank.manifest.areas:
        folder = f"areas/{area.id}"
        specs.append(
            PageSpec(
                f"{folder}/index.md", "pages/area.md.j2", area.title.get(site.lang), {"area": area}
            )
        )
        for clause in bank.clauses.values():
            if clause.area == area.id and clause.is_leaf:
                title = f"{clause.id} {clause.title.get(site.lang)}"
                specs.append(
                    PageSpec(
                        f"{folder}/{clause.id}.md", "pages/clause.md.j2", title, {"clause": clause}
                    )
                )
    optional = [
        ("findings", "findings_register", True),
        ("roadmap", "roadmap", True),
        ("soa", "soa", True),
        ("principles", "principles", bool(bank.manifest.principles)),
        ("crosswalks", "crosswalks", bool(bank.manifest.crosswalks)),
        ("consensus", "consensus", site.org.workshop is not None),
        ("trend", "trend", site.org.trend is not None),
        ("evaluation", "evaluation", bool(site.org.current.survey or site.org.current.objectives)),
        ("form", "form", True),
        ("report", "report", True),
        ("methodology", "methodology", True),
    ]
    specs += [
        PageSpec(f"{name}.md", f"pages/{name}.md.j2", str(labels[label]))
        for name, label, wanted in optional
        if wanted
    ]
    return specs


def _org_nav(site: Site, specs: list[PageSpec]) -> list[Any]:
    """Overview, then the areas with their clause pages, then the report pages."""
    nav: list[Any] = [{specs[0].title: specs[0].path}]
    areas = []
    for area in site.bank.manifest.areas:
        prefix = f"areas/{area.id}/"
        children = [s for s in specs if s.path.startswith(prefix)]
        areas.append(
            {children[0].title: [children[0].path] + [{c.title: c.path} for c in children[1:]]}
        )
    nav.append({str(site.L.clause_by_clause): areas})
    nav += [{s.title: s.path} for s in specs[1:] if not s.path.startswith("areas/")]
    return nav


def _render(env: jinja2.Environment, site: Site, spec: PageSpec) -> Page:
    text = env.get_template(spec.template).render(v=View(site, spec.path), **spec.context)
    return Page(spec.path, spec.title, text)


def _assets() -> dict[str, str]:
    folder = resources.data_dir("templates") / "assets"
    return {
        f"assets/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _org_site(workspace: Workspace, lang: str, org: OrgReport) -> SiteLanguage:
    site = Site(lang=lang, org=org, L=Labels(lang, labels()), workspace=workspace)
    specs = page_specs(site)
    nav = _org_nav(site, specs)
    if not workspace.single:
        nav.insert(0, {f"↑ {workspace.title}": "../"})
    return SiteLanguage(
        lang=lang,
        site_name=org.name if workspace.single else _portfolio_labels(workspace)[org.id],
        pages=tuple(_render(environment(), site, spec) for spec in specs),
        nav=tuple(nav),
        assets=_assets(),
        prefix="" if workspace.single else f"{org.id}/",
    )


def _portfolio_labels(workspace: Workspace) -> dict[str, str]:
    """Organisation names as the portfolio shows them (ORG-01 … when anonymised)."""
    members = workspace.portfolio.members if workspace.portfolio else ()
    return {o.id: o.name for o in workspace.orgs} | {m.id: m.label for m in members}


def _portfolio_site(workspace: Workspace, lang: str) -> SiteLanguage:
    words = Labels(lang, labels())
    site = Site(lang=lang, org=workspace.orgs[0], L=words, workspace=workspace)
    spec = PageSpec("index.md", "pages/portfolio.md.j2", str(words.portfolio))
    names = _portfolio_labels(workspace)
    nav = [{spec.title: spec.path}] + [{names[o.id]: f"{o.id}/"} for o in workspace.orgs]
    page = _render(environment(), site, spec)
    return SiteLanguage(lang, workspace.title, (page,), tuple(nav), _assets(), "")


# The workspace being rendered, for forked workers: they inherit it instead of receiving a copy.
_RENDERING: Workspace | None = None
_CHUNK = 8  # organisations per task: a worker's caches stay warm within a task


def _render_chunk(job: tuple[str, int]) -> tuple[SiteLanguage, ...]:
    lang, start = job
    workspace = _RENDERING
    assert workspace is not None  # noqa: S101 - set by render_site before any task runs
    return tuple(_org_site(workspace, lang, org) for org in workspace.orgs[start : start + _CHUNK])


def render_site(workspace: Workspace) -> tuple[SiteLanguage, ...]:
    """Per language: the portfolio index (with several organisations), then each
    organisation's site. Languages and runs of organisations render on every core: even for
    one organisation, two languages on two cores beat one after the other (BENCHMARKS.md)."""
    global _RENDERING
    jobs = [(lang, start) for lang in LANGUAGES for start in range(0, len(workspace.orgs), _CHUNK)]
    _RENDERING = workspace
    try:
        chunks = parallel_map(_render_chunk, jobs, inherits=True)
    finally:
        _RENDERING = None
    sites: list[SiteLanguage] = []
    for lang in LANGUAGES:
        if not workspace.single:
            sites.append(_portfolio_site(workspace, lang))
        for (chunk_lang, _), chunk in zip(jobs, chunks, strict=True):
            if chunk_lang == lang:
                sites.extend(chunk)
    return tuple(sites)
