"""What templates see: the scored model plus helpers bound to one language and one page."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from markupsafe import Markup

from assessment.load.bank import Bank, ClauseNode
from assessment.load.loader import Assessment
from assessment.load.models.answers import Action, Answer
from assessment.load.models.bank import Evidence, Question
from assessment.load.models.base import Text
from assessment.render import charts
from assessment.render.audit import AuditView
from assessment.render.form import form_json
from assessment.render.metrics_view import MetricsView
from assessment.render.numbers import shown
from assessment.render.scale_view import ScaleView
from assessment.score.portfolio import Quartiles
from assessment.score.readiness import Verdict, assess_readiness
from assessment.score.roadmap import Phase, plan_phases
from assessment.score.scoring import GroupScore, QuestionScore, Scorecard, heatmap_rows
from assessment.score.trend import Delta
from assessment.score.workspace import OrgReport, Workspace


class Labels:
    """templates/labels.yaml in one language; a missing label is an error, not a blank."""

    def __init__(self, lang: str, data: Mapping[str, Any]) -> None:
        self._lang = lang
        self._data = data

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


def plain(value: float | None) -> str:
    return "—" if value is None else str(shown(value, 1))


@dataclass(frozen=True)
class Site:
    """Everything shared by one organisation's pages in one language. Sites and views are
    immutable, so what templates read through them is worked out once (cached_property):
    a clause page reads v.bank, v.lang and v.L dozens of times per question."""

    lang: str
    org: OrgReport
    L: Labels
    workspace: Workspace

    @cached_property
    def assessment(self) -> Assessment:
        return self.org.current.assessment

    @cached_property
    def bank(self) -> Bank:
        return self.assessment.bank

    @cached_property
    def card(self) -> Scorecard:
        return self.org.current.card

    @cached_property
    def verdict(self) -> Verdict:
        return assess_readiness(self.card, self.assessment.answers, self.bank)

    @cached_property
    def phases(self) -> tuple[Phase, ...]:
        return plan_phases(self.card)

    @cached_property
    def clause_rank(self) -> dict[str, int]:
        return self.bank.clause_order()

    @cached_property
    def groups(self) -> dict[tuple[str, str], GroupScore]:
        card = self.card
        kinds = (("area", card.areas), ("clause", card.clauses), ("principle", card.principles))
        return {(kind, g.id): g for kind, groups in kinds for g in groups}

    @cached_property
    def scores_by_clause(self) -> dict[str, list[QuestionScore]]:
        by_clause: dict[str, list[QuestionScore]] = {}
        for q in self.card.questions:
            by_clause.setdefault(q.clause, []).append(q)
        return by_clause

    @cached_property
    def level_names(self) -> dict[int, str]:
        return {s.level: s.name.get(self.lang) for s in self.bank.manifest.scale}


@dataclass(frozen=True)
class View(AuditView, ScaleView, MetricsView):
    site: Site
    page: str  # this page's path, for relative links

    # -- plain access -------------------------------------------------------------------
    @cached_property
    def lang(self) -> str:
        return self.site.lang

    @cached_property
    def bank(self) -> Bank:
        return self.site.bank

    @cached_property
    def card(self) -> Scorecard:
        return self.site.card

    @cached_property
    def L(self) -> Labels:  # noqa: N802 - reads as a label namespace in templates: v.L.score
        return self.site.L

    @cached_property
    def org(self) -> Any:
        return self.site.assessment.answers.organisation

    @cached_property
    def info(self) -> Any:
        return self.site.assessment.answers.assessment

    @cached_property
    def settings(self) -> Any:
        return self.site.assessment.answers.readiness

    @cached_property
    def verdict(self) -> Verdict:
        return self.site.verdict

    def readiness_line(self, rule: str) -> float | None:
        """The threshold of a readiness rule (areas, coverage), so that a figure printed
        beside its verdict is never rounded onto or over it."""
        return next((r.threshold for r in self.verdict.rules if r.id == rule), None)

    @cached_property
    def org_report(self) -> OrgReport:
        return self.site.org

    @cached_property
    def workspace(self) -> Workspace:
        return self.site.workspace

    @cached_property
    def phases(self) -> tuple[Phase, ...]:
        return self.site.phases

    def tr(self, text: Text | Evidence | None) -> str:
        if text is None:
            return ""
        return text.zh if self.lang == "zh" else text.en

    def answer(self, question_id: str) -> Answer | None:
        return self.site.assessment.answers.answers.get(question_id)

    def question(self, question_id: str) -> Question:
        return self.bank.question_index[question_id]

    def clause(self, clause_id: str) -> ClauseNode:
        return self.bank.clauses[clause_id]

    def clause_title(self, clause_id: str) -> str:
        return self.tr(self.bank.clauses[clause_id].title)

    def area_title(self, area_id: str) -> str:
        return next(self.tr(a.title) for a in self.bank.manifest.areas if a.id == area_id)

    # -- links ----------------------------------------------------------------------------
    def link(self, target: str) -> Markup:
        """A docs-relative .md path as seen from this page (MkDocs resolves and checks it).
        Paths are built from validated ids only ([a-z0-9._-]), so they need no escaping."""
        return _relative(target, self.page)

    @staticmethod
    def org_url(org_id: str) -> Markup:
        """From the portfolio index to an organisation's own site (a validated id)."""
        return Markup(f"{org_id}/")  # noqa: S704

    def asset(self, target: str) -> Markup:
        """A file under the docs root (e.g. assets/cxform.js) as a URL from this page's URL
        (pages are served as folders: areas/x/5.4.md is at areas/x/5.4/)."""
        page_url_dir = self.page.removesuffix(".md").removesuffix("index").rstrip("/")
        depth = len(page_url_dir.split("/")) if page_url_dir else 0
        return Markup("../" * depth + target)  # noqa: S704 - our own asset path

    def href(self, target: str) -> Markup:
        """A docs-root .md path as the URL MkDocs serves it, seen from this page: for links
        inside HTML blocks, which MkDocs neither rewrites nor checks (tests/test_build.py
        checks that every link of a built site leads to a page)."""
        folder = target.removesuffix(".md").removesuffix("index").rstrip("/")
        return self.asset(f"{folder}/" if folder else "./")

    def _clause_doc(self, clause_id: str) -> str:
        """The page showing a clause: leaves have their own; others are on their area page."""
        node = self.bank.clauses[clause_id]
        area = node.area or ""
        return f"areas/{area}/{clause_id}.md" if node.is_leaf else f"areas/{area}/index.md"

    def clause_page(self, clause_id: str) -> Markup:
        return self.link(self._clause_doc(clause_id))

    def clause_href(self, clause_id: str) -> Markup:
        return self.href(self._clause_doc(clause_id))

    @staticmethod
    def anchor(question_id: str) -> str:
        return question_anchor(question_id)

    def question_link(self, question_id: str) -> Markup:
        return self.clause_page(self.question(question_id).clause) + _anchor(question_id)

    def question_href(self, question_id: str) -> Markup:
        # Tables of a portfolio link every question from the same few pages, site after site.
        key = (self.bank.content_hash, self.page, question_id)
        href = _QUESTION_HREFS.get(key)
        if href is None:
            if len(_QUESTION_HREFS) >= _QUESTION_HREFS_LIMIT:
                _QUESTION_HREFS.clear()
            href = self.clause_href(self.question(question_id).clause) + _anchor(question_id)
            _QUESTION_HREFS[key] = href
        return href

    # -- groups ---------------------------------------------------------------------------
    def group(self, kind: str, group_id: str) -> GroupScore:
        return self.site.groups[(kind, group_id)]

    def scores_of(self, clause_id: str) -> list[QuestionScore]:
        return self.site.scores_by_clause.get(clause_id, [])

    def clauses_in_area(self, area_id: str) -> list[ClauseNode]:
        return [c for c in self.bank.clauses.values() if c.area == area_id]

    def leaves_in_area(self, area_id: str) -> list[ClauseNode]:
        return [c for c in self.clauses_in_area(area_id) if c.is_leaf]

    def heat_rows(self) -> tuple[str, ...]:
        return heatmap_rows(self.bank)

    def heat(self, clause_id: str, principle_id: str) -> GroupScore:
        return self.card.heatmap[(clause_id, principle_id)]

    def crosswalk_title(self, key: str, item_id: str) -> str:
        crosswalk = self.bank.manifest.crosswalks[key]
        return next(self.tr(i.title) for i in crosswalk.items if i.id == item_id)

    # -- findings (the rest in render.audit) ---------------------------------------------
    def _assessed_on(self) -> dt.date:
        return self.site.assessment.answers.assessment.date

    def _rank_of(self, clause_id: str) -> int:
        return self.site.clause_rank[clause_id]

    def _actions(self) -> Mapping[str, Action]:
        return self.site.assessment.answers.actions

    # -- charts ---------------------------------------------------------------------------
    def radar(self, kind: str) -> Markup:
        items: list[tuple[str, GroupScore]]
        if kind == "areas":
            items = [(self.tr(a.title), self.group("area", a.id)) for a in self.bank.manifest.areas]
            title = str(self.L.radar_areas)
        else:
            items = [(p.id, self.group("principle", p.id)) for p in self.bank.manifest.principles]
            title = str(self.L.radar_principles)
        axes = [charts.Axis(label, g.score, g.target) for label, g in items]
        desc = "; ".join(f"{label}: {plain(g.score)} / {plain(g.target)}" for label, g in items)
        return charts.radar(axes, self.card.max_level, title, desc, (self.L.current, self.L.target))

    def gap_bars(self, limit: int = 12) -> Markup:
        leaves = [
            g for g in self.card.clauses if self.bank.clauses[g.id].is_leaf and (g.gap or 0) > 0
        ]
        top = sorted(leaves, key=lambda g: (-(g.gap or 0.0), self.site.clause_rank[g.id]))[:limit]
        rows = [(f"{g.id} {self.clause_title(g.id)}", g.gap or 0.0) for g in top]
        desc = "; ".join(f"{label}: {plain(v)}" for label, v in rows)
        return charts.bars(rows, float(self.card.max_level), str(self.L.top_gaps), desc)

    def top_gaps(self, limit: int = 12) -> list[GroupScore]:
        leaves = [
            g for g in self.card.clauses if self.bank.clauses[g.id].is_leaf and (g.gap or 0) > 0
        ]
        return sorted(leaves, key=lambda g: (-(g.gap or 0.0), self.site.clause_rank[g.id]))[:limit]

    # -- respondents, rounds, portfolio ---------------------------------------------------
    def respondent_scores(self, clause_id: str) -> list[float | None]:
        workshop = self.site.org.workshop
        consensus = workshop.consensus if workshop else None
        return [card.clause(clause_id).score for card in consensus.cards] if consensus else []

    @staticmethod
    def score_spread(scores: list[float | None]) -> float | None:
        given = [s for s in scores if s is not None]
        return max(given) - min(given) if len(given) > 1 else None

    @staticmethod
    def area_score(card: Scorecard, area_id: str) -> float | None:
        return next((g.score for g in card.areas if g.id == area_id), None)

    def delta_label(self, delta: Delta) -> str:
        if delta.kind == "overall":
            return str(self.L.overall_score)
        if delta.kind == "area":
            return self.area_title(delta.id)
        return f"{delta.id} " + next(
            self.tr(p.title) for p in self.bank.manifest.principles if p.id == delta.id
        )

    def trend_chart(self) -> Markup:
        trend = self.site.org.trend
        assert trend is not None  # noqa: S101 - the trend page exists only with two rounds or more
        labels = [p.date.isoformat() for p in trend.points]
        series = [(str(self.L.overall_score), [p.card.overall.score for p in trend.points])]
        series += [
            (self.tr(a.title), [self.area_score(p.card, a.id) for p in trend.points])
            for a in self.bank.manifest.areas
        ]
        desc = "; ".join(
            f"{name}: " + ", ".join(plain(v) for v in values) for name, values in series
        )
        return charts.lines(series, labels, self.card.max_level, str(self.L.trend), desc)

    @staticmethod
    def quartile_mark(quartiles: Quartiles | None, value: float | None) -> str:
        band = quartiles.band(value) if quartiles else None
        return f"(Q{band})" if band else ""

    def is_ready(self, org: OrgReport) -> bool:
        current = org.current
        return assess_readiness(
            current.card, current.assessment.answers, current.assessment.bank
        ).ready

    # -- offline form ---------------------------------------------------------------------
    def form_data(self) -> Markup:
        """The bank (in this language) as JSON for the offline form, safe inside <script>."""
        return form_json(self.bank, self.lang)


_QUESTION_HREFS: dict[tuple[str, str, str], Markup] = {}
_QUESTION_HREFS_LIMIT = 1 << 16


def question_anchor(question_id: str) -> str:
    """The id of a question's heading on its clause page (ids are validated: [a-z0-9._-])."""
    return "q-" + question_id.replace(".", "-")


def _anchor(question_id: str) -> Markup:
    return Markup("#") + question_anchor(question_id)


@lru_cache(maxsize=4096)
def _relative(target: str, page: str) -> Markup:
    return Markup(posixpath.relpath(target, posixpath.dirname(page) or "."))  # noqa: S704
