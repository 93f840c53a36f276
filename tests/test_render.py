"""Rendered Markdown against golden files, and user text that must stay text.

Regenerate the golden files after an intended change with:
    CXASSESS_UPDATE_GOLDEN=1 pytest tests/test_render.py
and review the diff like any other change.
"""

from __future__ import annotations

import datetime as dt
import os
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from assessment.api import load_workspace
from assessment.render.escape import escape_text
from assessment.render.lanes import render_site
from assessment.score.scoring import score
from tests.conftest import FIXTURES, MINI_ANSWERS, make_answers

GOLDEN = Path(__file__).parent / "golden"


def rendered_pages() -> dict[str, str]:
    sites = render_site(load_workspace(MINI_ANSWERS, [FIXTURES]))
    return {f"{site.lang}/{page.path}": page.text for site in sites for page in site.pages}


def test_golden_markdown():
    pages = rendered_pages()
    if os.environ.get("CXASSESS_UPDATE_GOLDEN"):
        for path, text in pages.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {str(p.relative_to(GOLDEN)): p.read_text("utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from its golden file"


def test_rendering_is_deterministic():
    assert rendered_pages() == rendered_pages()


def test_blocks_made_once_per_bank_are_what_each_organisation_would_get(monkeypatch):
    """Escaped strings and bank-only blocks are kept between organisations: each one's pages
    must not depend on which organisations were rendered before it."""
    from assessment.render import escape as textsafe
    from assessment.render import fragments

    project = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])
    assert len(project.orgs) > 1
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", "off")  # every block made here, none read

    def pages(workspace):
        fragments.forget()
        monkeypatch.setattr(textsafe, "_ESCAPED", {})
        sites = render_site(workspace)
        return {(s.lang, s.prefix, p.path): p.text for s in sites if s.prefix for p in s.pages}

    reordered = project.__class__(
        project.title, project.default_lang, project.orgs[::-1], project.portfolio
    )
    assert pages(reordered) == pages(project)


def test_rendering_on_several_cores_gives_the_same_pages(monkeypatch):
    from assessment.render import lanes

    project = load_workspace(FIXTURES / "project" / "cxassess.yaml", [FIXTURES])
    monkeypatch.setattr(lanes, "_CHUNK", 1)  # every organisation a task of its own
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    here = render_site(project)
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    assert render_site(project) == here
    assert [(s.lang, s.prefix) for s in here] == [
        (lang, prefix)
        for lang in ("zh", "en")
        for prefix in ["", *(f"{o.id}/" for o in project.orgs)]
    ]


# Markdown as the site renders it (same extensions as mkdocs.yml that matter for injection).
EXTENSIONS = ["tables", "attr_list", "admonition", "def_list", "toc"]

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![img](javascript:alert(1))",
    "## Heading {: onclick=alert(1) }",
    "text {: .evil onclick=alert(1) }",
    "a | b | c",
    "{{ 7*7 }} {% raw %}",
    "<!-- comment -->",
    "<svg><script>alert(1)</script></svg>",
    "1. numbered",
    "- bullet",
    "> quote",
    "`code` *em* __strong__ ~~del~~",
    "&lt;script&gt; &#60;b&#62;",
    "line one\nline two\n\n# heading",
    "\u202eRTL override \u200bzero width",
    "    indented four spaces",
    "Term\n: definition",
    '!!! warning "not an admonition"',
    '??? note "not details"',
    "*[HTML]: not an abbreviation",
    "Setext\n===",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append(("!--", []))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_renders_as_visible_text(payload):
    cell = escape_text(payload)
    html = markdown.markdown(f"| h |\n|---|\n| {cell} |\n\n{cell}\n", extensions=EXTENSIONS)
    parsed = _Elements()
    parsed.feed(html)
    allowed = {"table", "thead", "tbody", "tr", "th", "td", "p", "br"}
    assert {tag for tag, _ in parsed.tags} <= allowed, html
    assert all(not attrs for _, attrs in parsed.tags), html
    assert sum(tag == "td" for tag, _ in parsed.tags) == 1  # a pipe did not split the cell
    visible = "".join(parsed.text)
    for line in payload.splitlines():
        assert (
            line.strip() in visible
        )  # shown as typed (leading blanks aside), in the cell and the paragraph


def test_labels_have_no_duplicate_keys():
    """labels.yaml is read with the plain safe loader, which keeps the last of two equal keys
    silently; the strict loader users' files get finds them."""
    from assessment.load.yamlio import load_yaml_file

    load_yaml_file(Path(__file__).parent.parent / "templates" / "labels.yaml")  # raises on any


def english_gbt_page(
    tmp_path: Path,
    answers: dict[str, dict[str, object]],
    page: str,
    *,
    lang: str = "en",
    **extra: object,
) -> str:
    """One page (English unless told) of an organisation answering the bundled bank."""
    path = tmp_path / "gbt.yaml"
    data = {
        "bank": "gbt42509",
        "organisation": {"id": "acme", "name": "Acme"},
        "assessment": {"title": "T", "date": dt.date(2026, 11, 1)},
        **extra,
        "answers": answers,
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = next(s for s in render_site(load_workspace(path)) if s.lang == lang)
    return next(p for p in site.pages if p.path == page).text


def test_options_left_unanswered_are_not_on_the_roadmap_as_questions_to_answer(tmp_path):
    from assessment.load.loader import load_bank

    bank = load_bank("gbt42509")
    options = [q.id for q in bank.questions if bank.is_option(q.id)]
    assert options  # the bank has `may` questions
    scored = {q.id: {"level": 3} for q in bank.questions if not bank.is_option(q.id)}
    roadmap = english_gbt_page(tmp_path, scored, "roadmap.md")
    assert not any(f"#{q}" in roadmap or f">{q}</a>" in roadmap for q in options)
    first = next(q.id for q in bank.questions if not bank.is_option(q.id))
    roadmap = english_gbt_page(tmp_path, scored | {first: {}}, "roadmap.md")  # one left open
    assert f">{first}</a>" in roadmap


def test_a_score_just_short_of_its_threshold_is_not_printed_as_the_threshold(tmp_path):
    from assessment.load.loader import load_bank

    bank = load_bank("gbt42509")
    levels = {q.id: {"level": 3} for q in bank.questions if not bank.is_option(q.id)}
    levels["5.1-external-factors"] = {"level": 2}  # leadership: 74 / 25 = 2.96, below 3.0
    overview = english_gbt_page(tmp_path, levels, "index.md")
    rule = "| Every area scores at least the threshold | 3.0 (bank default) | 2.96 | ✘ Failed"
    assert rule in overview
    assert "| [Leadership and framework](areas/leadership/index.md) | 2.96 | 2 Repeatable |" in (
        overview
    )


def test_figures_beside_an_own_threshold_are_not_rounded_onto_it(tmp_path):
    from assessment.load.loader import load_bank

    bank = load_bank("gbt42509")
    scored = [q for q in bank.questions if not bank.is_option(q.id)]
    levels = {q.id: {"level": 3} for q in scored}
    evaluation = [q.id for q in scored if q.clause.startswith("8.")]
    levels |= {qid: {"level": 2} for qid in evaluation}
    levels["8.2-problem-resolution"] = {"level": 5}
    readiness = {"min_area_score": 2.5, "min_coverage": 0.5}
    overview = english_gbt_page(tmp_path, levels, "index.md", readiness=readiness)
    card = score(bank, load_workspace(tmp_path / "gbt.yaml").orgs[0].current.assessment.answers)
    assert 2.45 < card.area("evaluation").score < 2.5  # rounds to 2.5 at one place
    assert "| [Evaluation, maintenance and improvement](areas/evaluation/index.md) | 2.46 |" in (
        overview
    )
    area = english_gbt_page(tmp_path, levels, "areas/evaluation/index.md", readiness=readiness)
    assert "Score <strong>2.46</strong>" in area

    # Just under half answered against a 50 % rule: not "50 %" on the card.
    half = dict(list(levels.items())[: (len(scored) - 1) // 2])
    card = score(bank, make_answers("gbt42509", half))
    assert 0.49 < card.overall.coverage < 0.5
    overview = english_gbt_page(tmp_path, half, "index.md", readiness=readiness)
    shown = f"{card.overall.coverage * 100:.1f}"
    assert f'<span class="cx-kpi-value">{shown}&#160;%</span>' in overview
    # The coverage rule passes at 0 %, with questions still open: none "did not meet" it.
    overview = english_gbt_page(tmp_path, half, "index.md", readiness={"min_coverage": 0})
    rule = next(line for line in overview.splitlines() if "answered (coverage)" in line)
    assert "✔ Passed |" in rule


def test_a_chinese_page_gives_the_standards_words_where_the_bank_sums_up_in_english(tmp_path):
    from assessment.load.loader import load_bank

    points = load_bank("gbt42509").clauses["6.1.2"].source.points
    english_only = next(p for p in points if p.zh is None and p.basis and p.basis.quote)
    page = english_gbt_page(tmp_path, {}, "areas/planning/6.1.2.md", lang="zh")
    assert f"“{english_only.basis.quote}”" in page
    assert english_only.en not in page
    page = english_gbt_page(tmp_path, {}, "areas/planning/6.1.2.md")
    assert english_only.en in page
