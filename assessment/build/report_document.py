"""The report file's content as one HTML document for one organisation in one language: a
cover (with the firm's logo, colour and name where the project file gives them), a table of
contents, then the chapters the render stage makes (summary, scores by area and clause,
findings register, statement of applicability, action plan, methodology with the bank's
content hash). PDF and Word are written from this one document."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from dataclasses import dataclass

import markdown

from assessment.common import resources
from assessment.load.branding import Branding
from assessment.render.pages import REPORT_CHAPTERS, render_report
from assessment.score.workspace import Workspace

# As mkdocs.yml has them, so a chapter reads as its page does on the site.
EXTENSIONS = [
    "tables",
    "attr_list",
    "admonition",
    "def_list",
    "toc",
    "pymdownx.details",
    "md_in_html",
]
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# Links between the site's pages lead nowhere in a file: their text stays, the link goes.
_RELATIVE_LINK = re.compile(r'<a href="(?!https?:)[^"]*">(.*?)</a>', re.DOTALL)
_HEADING = re.compile(r'<h([12]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)


@dataclass(frozen=True)
class ReportDocument:
    html: str  # the whole document, styled for print
    title: str
    organisation: str
    lang: str
    date: dt.date  # the assessment's: the file's own dates (Word's zip entries and properties)


def report_document(workspace: Workspace, org_id: str, lang: str) -> ReportDocument:
    brand = workspace.branding or Branding()
    site, pages = render_report(workspace, org_id, lang)
    labels, answers = site.L, site.assessment.answers
    bank = site.bank
    chapters = []
    for (_, title_key), page in zip(REPORT_CHAPTERS, pages, strict=True):
        text = _FRONT_MATTER.sub("", page.text)
        if title_key == "summary":
            text = f"# {html.escape(str(labels.exec_summary))}\n\n{text}"
        chapters.append(text)
    converter = markdown.Markdown(extensions=EXTENSIONS)
    # The chapters' Markdown is what the site's pages are made of (user text escaped, HTML
    # blocks cleaned by nh3): converted as MkDocs converts it, it needs no more cleaning.
    body = _RELATIVE_LINK.sub(r"\1", converter.convert("\n\n".join(chapters)))
    body = _inline_chart_style(body)
    organisation = html.escape(answers.organisation.name)
    title = html.escape(str(labels.report_cover))
    when = answers.assessment.date.isoformat()
    cover = [
        '<section class="cx-cover">',
        f'<span class="cx-run-org">{organisation}</span><span class="cx-run-date">{when}</span>',
    ]
    if brand.logo is not None:
        data = base64.b64encode(brand.logo).decode("ascii")
        cover.append(f'<img class="cx-logo" alt="" src="data:{brand.logo_type};base64,{data}">')
    cover += [
        f"<p>{title}</p>",
        f'<p class="cx-cover-org">{organisation}</p>',
        f"<p>{html.escape(answers.assessment.title)}</p>",
        f"<p>{when}</p>",
    ]
    if answers.assessment.scope:
        cover.append(f"<p>{html.escape(answers.assessment.scope)}</p>")
    if answers.assessment.assessors:
        cover.append(f"<p>{html.escape(', '.join(answers.assessment.assessors))}</p>")
    standard = bank.manifest.standard
    cover.append(
        f"<p>{html.escape(str(labels.report_bank))}: {html.escape(standard.code)} — "
        f"{html.escape(standard.title.get(lang))} ({html.escape(bank.id)} "
        f"{html.escape(bank.version)})</p>"
    )
    if brand.firm:
        cover.append(
            f'<p class="cx-firm">{html.escape(str(labels.report_prepared_by))}: {html.escape(brand.firm)}</p>'
        )
    cover.append("</section>")
    toc = ['<nav class="cx-toc">', f"<h2>{html.escape(str(labels.toc_title))}</h2>", "<ol>"]
    for level, anchor, text in _HEADING.findall(body):
        toc.append(f'<li class="cx-toc-{level}"><a href="#{anchor}">{_plain(text)}</a></li>')
    toc += ["</ol>", "</nav>"]
    style = (resources.data_dir("templates") / "report" / "print.css").read_text(encoding="utf-8")
    site_style = (resources.data_dir("templates") / "assets" / "cxassess.css").read_text(
        encoding="utf-8"
    )
    if brand.colour:
        style += f"\n:root {{ --cx-brand: {brand.colour}; }}\n"
    lang_tag = "zh-Hans" if lang == "zh" else lang
    document = (
        f'<!doctype html>\n<html lang="{lang_tag}"><head><meta charset="utf-8">'
        f"<title>{title} — {organisation}</title>"
        f"<style>{site_style}</style><style>{style}</style></head><body>"
        + "".join(cover)
        + "".join(toc)
        + body
        + "</body></html>\n"
    )
    return ReportDocument(document, title, answers.organisation.name, lang, answers.assessment.date)


def _inline_chart_style(html_text: str) -> str:
    """The charts take their colours from the site's stylesheet; in a file each chart carries
    them itself (WeasyPrint and cairosvg style an SVG from inside it)."""
    style = (
        "<style>.cx-grid{fill:none;stroke:#ddd}.cx-label,.cx-value,.cx-legend text{fill:#222;"
        "font-size:11px;font-family:'Noto Sans CJK SC',sans-serif}.cx-tick{fill:#666;"
        "font-size:11px}polygon.cx-current{fill:#4051b5;fill-opacity:.25;stroke:#4051b5;"
        "stroke-width:2}polygon.cx-target{fill:none;stroke:#00796b;stroke-width:2;"
        "stroke-dasharray:5 3}circle.cx-current,.cx-bar{fill:#4051b5}circle.cx-target{fill:#00796b}"
        "</style>"
    )
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, html_text)


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)
