"""Render stage: the scored model to Markdown pages, per language, from the Jinja2 templates.

Nothing here touches the disk except reading templates: the result is a mapping of
relative path to text that build.py writes in one step. Every value printed by a template
goes through escape_text (Jinja's finalize), so user text cannot become markup; templates
are only ever loaded from the templates folder, never built from strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import nh3
import yaml
from markupsafe import Markup

from . import charts, resources
from .bank import Bank
from .load import Assessment
from .models.base import Text
from .score import GroupScore, QuestionScore, Scorecard
from .textsafe import escape_text

LANGUAGES = ("zh", "en")

# Tags and attributes our HTML blocks use; nh3 removes everything else from them.
_HTML_TAGS = {
    "div",
    "span",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "br",
    "small",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "a",
    "mark",
}
_HTML_ATTRS = {"*": {"class", "title", "id"}, "a": {"href"}, "td": {"colspan"}, "th": {"scope"}}


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    text: str


@dataclass(frozen=True)
class SiteLanguage:
    lang: str
    site_name: str
    pages: tuple[Page, ...]
    nav: tuple[Any, ...]
    assets: Mapping[str, str] = field(default_factory=dict)


def html_block(fragment: str) -> Markup:
    """Sanitise an HTML block built around escaped user text (defence in depth)."""
    cleaned = nh3.clean(
        fragment,
        tags=_HTML_TAGS,
        attributes=_HTML_ATTRS,
        url_schemes={"https", "http", "mailto"},
        link_rel=None,
    )
    return Markup(cleaned)  # noqa: S704 - nh3 output with our allowlist


@cache
def labels() -> dict[str, Any]:
    path = resources.data_dir("templates") / "labels.yaml"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader
    return data


class Labels:
    """labels.yaml in one language; a missing label is an error, not a blank."""

    def __init__(self, lang: str, data: Mapping[str, Any] | None = None) -> None:
        self._lang = lang
        self._data = labels() if data is None else data

    def __getattr__(self, key: str) -> Any:
        try:
            entry = self._data[key]
        except KeyError:
            raise AttributeError(f"no label {key!r} in templates/labels.yaml") from None
        if isinstance(entry, dict) and self._lang in entry:
            return entry[self._lang]
        return Labels(self._lang, entry)

    def __getitem__(self, key: str) -> Any:
        return self.__getattr__(key)


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


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources.data_dir("templates")),
        undefined=jinja2.StrictUndefined,
        # Not Jinja's HTML autoescape: filters such as join would then return Markup that
        # skips escape_text. finalize escapes every printed value for Markdown and HTML.
        autoescape=False,  # noqa: S701
        finalize=escape_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        fmt=fmt,
        pct=fmt_pct,
        signed=fmt_signed,
        br=lambda items: Markup("<br>").join(escape_text(i) for i in items),
        code=lambda value: Markup("<code>") + escape_text(value) + Markup("</code>"),
        heading=lambda level: Markup("#" * min(int(level), 6)),  # noqa: S704 - only '#' characters
    )
    return env


@dataclass(frozen=True)
class View:
    """What every template sees: the model plus helpers bound to one language."""

    lang: str
    bank: Bank
    assessment: Assessment
    card: Scorecard
    L: Labels

    def tr(self, text: Text | None) -> str:
        return "" if text is None else text.get(self.lang)

    @property
    def org(self) -> Any:
        return self.assessment.answers.organisation

    @property
    def info(self) -> Any:
        return self.assessment.answers.assessment

    def answer(self, question_id: str) -> Any:
        return self.assessment.answers.answers.get(question_id)

    def level_name(self, level: int | str | None) -> str:
        if level == "na":
            return str(self.L.not_applicable)
        if level is None:
            return str(self.L.unanswered)
        for scale in self.bank.manifest.scale:
            if scale.level == level:
                return scale.name.get(self.lang)
        return str(level)

    def level_text(self, question_id: str, level: int) -> str:
        descriptor = self.bank.question_index[question_id].levels.get(level)
        return self.tr(descriptor)

    def clause_title(self, clause_id: str) -> str:
        return self.tr(self.bank.clauses[clause_id].title)

    def question(self, question_id: str) -> Any:
        return self.bank.question_index[question_id]

    def scores_of(self, clause_id: str) -> list[QuestionScore]:
        return [q for q in self.card.questions if q.clause == clause_id]

    def clauses_in_area(self, area_id: str) -> list[Any]:
        return [c for c in self.bank.clauses.values() if c.area == area_id]

    def group(self, kind: str, group_id: str) -> GroupScore:
        groups: dict[str, tuple[GroupScore, ...]] = {
            "area": self.card.areas,
            "clause": self.card.clauses,
            "principle": self.card.principles,
        }
        return next(g for g in groups[kind] if g.id == group_id)

    def radar(self, kind: str) -> Markup:
        items: list[tuple[str, GroupScore]]
        if kind == "areas":
            items = [(self.tr(a.title), self.group("area", a.id)) for a in self.bank.manifest.areas]
            title = str(self.L.radar_areas)
        else:
            items = [
                (f"{p.id} {self.tr(p.title)}", self.group("principle", p.id))
                for p in self.bank.manifest.principles
            ]
            title = str(self.L.radar_principles)
        axes = [charts.Axis(label, g.score, g.target) for label, g in items]
        desc = "; ".join(f"{label}: {_plain(g.score)} / {_plain(g.target)}" for label, g in items)
        return charts.radar(axes, self.card.max_level, title, desc, (self.L.current, self.L.target))

    def gap_bars(self, limit: int = 10) -> Markup:
        leaves = [g for g in self.card.clauses if self.bank.clauses[g.id].is_leaf and g.gap]
        top = sorted(leaves, key=lambda g: (-(g.gap or 0), self.bank.clause_order()[g.id]))[:limit]
        rows = [
            (f"{g.id} {self.clause_title(g.id)}", g.gap or 0.0) for g in top if (g.gap or 0) > 0
        ]
        desc = "; ".join(f"{label}: {_plain(v)}" for label, v in rows)
        return charts.bars(rows, float(self.card.max_level), str(self.L.top_gaps), desc)


def _plain(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


PageSpec = tuple[str, str, dict[str, Any]]


def page_specs(bank: Bank) -> list[PageSpec]:
    """(output path, template, extra context) for every page of one language."""
    specs: list[PageSpec] = [("index.md", "pages/overview.md.j2", {})]
    for area in bank.manifest.areas:
        specs.append((f"areas/{area.id}.md", "pages/area.md.j2", {"area": area}))
    if bank.manifest.principles:
        specs.append(("principles.md", "pages/principles.md.j2", {}))
    specs.append(("roadmap.md", "pages/roadmap.md.j2", {}))
    specs.append(("methodology.md", "pages/methodology.md.j2", {}))
    return specs


def _title_of(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def render_language(assessment: Assessment, card: Scorecard, lang: str) -> SiteLanguage:
    env = environment()
    view = View(lang=lang, bank=assessment.bank, assessment=assessment, card=card, L=Labels(lang))
    pages = []
    for path, template, extra in page_specs(assessment.bank):
        text = env.get_template(template).render(v=view, **extra)
        pages.append(Page(path=path, title=_title_of(text), text=text))
    nav = _nav(view, pages)
    css = (resources.data_dir("templates") / "assets" / "cxassess.css").read_text(encoding="utf-8")
    return SiteLanguage(
        lang=lang,
        site_name=assessment.answers.organisation.name,
        pages=tuple(pages),
        nav=nav,
        assets={"assets/cxassess.css": css},
    )


def _nav(view: View, pages: list[Page]) -> tuple[Any, ...]:
    by_path = {p.path: p for p in pages}
    nav: list[Any] = [{str(view.L.overview): "index.md"}]
    area_pages = [{p.title: p.path} for p in pages if p.path.startswith("areas/")]
    nav.append({str(view.L.areas): area_pages})
    for path in ("principles.md", "roadmap.md", "methodology.md"):
        if path in by_path:
            nav.append({by_path[path].title: path})
    return tuple(nav)


def render_site(assessment: Assessment, card: Scorecard) -> tuple[SiteLanguage, ...]:
    return tuple(render_language(assessment, card, lang) for lang in LANGUAGES)
