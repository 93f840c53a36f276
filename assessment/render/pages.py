"""Render stage: the scored model to Markdown pages, per language, from the Jinja2 templates.

Nothing here writes to disk: the result is a list of pages that build.py writes in one step.
Every value a template prints goes through escape_text (Jinja's finalize), so user text
cannot become markup; HTML blocks built around user text are also passed through nh3.
Templates are only loaded from the templates folder, never built from strings.
"""

from __future__ import annotations

import html
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import Any

import jinja2
from markupsafe import Markup

from assessment.common import resources
from assessment.common.template_cache import TEMPLATES
from assessment.load.yamlio import load_trusted
from assessment.render import fragments
from assessment.render.escape import escape_text
from assessment.render.numbers import fmt, fmt_level, fmt_pct, fmt_signed, heat_class
from assessment.render.sanitise import sanitise
from assessment.render.view import Labels, Site, View
from assessment.score.workspace import OrgReport, Workspace

LANGUAGES = ("zh", "en")


@dataclass(frozen=True, init=False)
class Page:
    """One page's Markdown, kept compressed: a 1,000-organisation portfolio holds some
    100,000 pages between rendering and building (3 GB as text, BENCHMARKS.md; about a
    fifth of that packed), and sends each of them between processes twice."""

    path: str
    title: str
    packed: bytes

    def __init__(self, path: str, title: str, text: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "packed", zlib.compress(text.encode("utf-8"), 1))

    @property
    def text(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


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
    # What it was rendered from (render_keys); "" for the portfolio index, which the build
    # cache keys by its pages instead.
    key: str = ""


@dataclass(frozen=True)
class KeptSite:
    """A site not rendered again: the build cache holds it under its key."""

    lang: str
    prefix: str
    key: str
    pages: int


@cache
def labels() -> dict[str, Any]:
    data: dict[str, Any] = load_trusted(resources.data_dir("templates") / "labels.yaml")
    return data


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
        auto_reload=False,  # the package's templates do not change while it runs
    )
    env.filters.update(
        join=_join,
        e=escape_text,
        escape=escape_text,
        forceescape=lambda value: escape_text(str(value)),
        fmt=fmt,
        level=fmt_level,
        pct=fmt_pct,
        signed=fmt_signed,
        heat=heat_class,
        basename=lambda path: PurePath(str(path)).name,
        sanitise=sanitise,
        br=lambda items: Markup("<br>").join(escape_text(i) for i in items),
        code=lambda value: Markup("<code>") + escape_text(value) + Markup("</code>"),
        heading=lambda level: Markup("#" * min(int(level), 6)),  # noqa: S704 - only '#' characters
    )
    env.globals["fragment"] = fragments.fragment
    return env


_REFERENCE = re.compile(r'{%-?\s*(?:import|include|extends|from)\s+"([^"]+)"')


def templates_of(site: Site) -> list[str]:
    """Our templates a site renders, each before those it imports or includes, in the order
    the site first needs them (read off the sources, without compiling them)."""
    folder = resources.data_dir("templates")
    found: dict[str, None] = {}

    def visit(name: str) -> None:
        if name not in found:
            found[name] = None
            for used in _REFERENCE.findall((folder / name).read_text(encoding="utf-8")):
                visit(used)

    for spec in page_specs(site):
        visit(spec.template)
    return list(found)


def compile_part(names: list[str], part: int, parts: int) -> None:
    """Compile one of 'parts' shares of similar size of the templates named, in their
    order. Workers that start side by side on a first run each compile a share into the
    cache folder they all use, and find the rest there (or compile it, if it is not there
    yet) instead of every worker compiling every template (BENCHMARKS.md)."""
    folder = resources.data_dir("templates")
    size = {name: (folder / name).stat().st_size for name in names}
    loads = [0] * parts
    mine = set()
    for name in sorted(names, key=lambda n: -size[n]):  # largest first, to the lightest share
        lightest = loads.index(min(loads))
        loads[lightest] += size[name]
        if lightest == part:
            mine.add(name)
    env = environment()
    for name in names:
        if name in mine:
            env.get_template(name)


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


# The report file's chapters, in order: the report's sections (summary, charts, findings,
# the action plan by phase), then the pages an auditor hands over with it.
REPORT_CHAPTERS = (
    ("report/body.md.j2", "summary"),
    ("report/scores.md.j2", "scores_by_clause"),
    ("pages/findings.md.j2", "findings_register"),
    ("pages/soa.md.j2", "soa"),
    ("pages/methodology.md.j2", "methodology"),
)


def render_report(workspace: Workspace, org_id: str, lang: str) -> tuple[Site, list[Page]]:
    """The Markdown of the report file's chapters for one organisation in one language."""
    org = next(o for o in workspace.orgs if o.id == org_id)
    site = Site(lang=lang, org=org, L=Labels(lang, labels()), workspace=workspace)
    specs = [
        PageSpec("report.md", template, str(site.L[title])) for template, title in REPORT_CHAPTERS
    ]
    return site, [_render(environment(), site, spec) for spec in specs]


def _render(env: jinja2.Environment, site: Site, spec: PageSpec, about: str = "") -> Page:
    """about: whom the page is for, where that is not the site's organisation."""
    text = env.get_template(spec.template).render(v=View(site, spec.path), **spec.context)
    who = about or site.assessment.answers.organisation.name
    return Page(spec.path, spec.title, _described(text, site.lang, spec.title, who))


def _described(text: str, lang: str, title: str, who: str) -> str:
    """The page with its own <meta name="description"> (Material reads it from the front
    matter): what the page is, for whom. Material prints it into an attribute unescaped, so
    it is escaped for HTML here; JSON quoting makes it one YAML string whatever it holds."""
    what = "顾客体验管理差距分析" if lang == "zh" else "CX management gap analysis"
    said = f"{title} · {who}: {what} (cxassess)"
    line = "description: " + json.dumps(html.escape(" ".join(said.split())), ensure_ascii=False)
    if text.startswith("---\n"):
        return f"---\n{line}\n{text[4:]}"
    return f"---\n{line}\n---\n{text}"


@cache
def _assets() -> dict[str, str]:
    folder = resources.data_dir("templates") / "assets"
    return {
        f"assets/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def org_site(workspace: Workspace, lang: str, org: OrgReport, key: str) -> SiteLanguage:
    site = Site(lang=lang, org=org, L=Labels(lang, labels()), workspace=workspace)
    specs = page_specs(site)
    nav = _org_nav(site, specs)
    if not workspace.single:
        nav.insert(0, {f"↑ {workspace.title}": "../"})
    return SiteLanguage(
        lang=lang,
        site_name=site_names(workspace)[org.id],
        pages=tuple(_render(environment(), site, spec) for spec in specs),
        nav=tuple(nav),
        assets=_assets(),
        prefix=site_prefix(workspace, org),
        key=key,
    )


def site_prefix(workspace: Workspace, org: OrgReport) -> str:
    return "" if workspace.single else f"{org.id}/"


def _portfolio_labels(workspace: Workspace) -> dict[str, str]:
    """Organisation names as the portfolio shows them (ORG-01 … when anonymised)."""
    members = workspace.portfolio.members if workspace.portfolio else ()
    return {o.id: o.name for o in workspace.orgs} | {m.id: m.label for m in members}


def site_names(workspace: Workspace) -> dict[str, str]:
    """The name each organisation's site carries."""
    if workspace.single:
        return {o.id: o.name for o in workspace.orgs}
    return _portfolio_labels(workspace)


def portfolio_site(workspace: Workspace, lang: str) -> SiteLanguage:
    words = Labels(lang, labels())
    site = Site(lang=lang, org=workspace.orgs[0], L=words, workspace=workspace)
    spec = PageSpec("index.md", "pages/portfolio.md.j2", str(words.portfolio))
    names = _portfolio_labels(workspace)
    nav = [{spec.title: spec.path}] + [{names[o.id]: f"{o.id}/"} for o in workspace.orgs]
    # The portfolio's own page is about the portfolio: no member's name (they may be
    # anonymised), though its rendering reads the first member's bank.
    page = _render(environment(), site, spec, about=workspace.title)
    return SiteLanguage(lang, workspace.title, (page,), tuple(nav), _assets(), "")
