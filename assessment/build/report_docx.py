"""The report file as Word, through python-docx: the report document's headings become Word
headings (the navigation pane and the table of contents work), its tables real tables in a
style a consultant can restyle, its charts pictures (the same SVG the site shows, as PNG),
and its cover on a page of its own (Word's References > Table of Contents builds a contents
page from the headings)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from assessment.build.report_document import ReportDocument
from assessment.common.zipdate import dated_archive

_SPACE = re.compile(r"\s+")
# What XML 1.0 cannot hold (lxml refuses it): control characters a pasted text may carry.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class _Walker(HTMLParser):
    """Turns the report document's body into Word blocks, in order."""

    def __init__(self, doc: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.text: list[tuple[str, bool]] = []  # runs of the block being read: (text, bold)
        self.block: str | None = None
        self.bold = 0
        self.skip = 0  # inside <style>, <title>, the hidden running-header spans
        self.svg: list[str] | None = None
        self.rows: list[list[list[tuple[str, bool]]]] | None = None
        self.cell: list[tuple[str, bool]] | None = None
        self.header_row = False

    # -- blocks -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if self.svg is not None:
            self.svg.append(self.get_starttag_text() or "")
            return
        if (
            tag in ("style", "title", "nav")
            or "cx-run-org" in (attr.get("class") or "")
            or ("cx-run-date" in (attr.get("class") or ""))
        ):
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "svg":
            self.svg = [self.get_starttag_text() or ""]
        elif tag == "img" and (attr.get("src") or "").startswith("data:"):
            self._logo(attr["src"] or "")
        elif tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = []
            self.header_row = self.header_row or tag == "th"
            if tag == "th":
                self.bold += 1
        elif tag in ("h1", "h2", "h3", "h4", "p", "li", "summary", "dt", "dd"):
            self._flush()
            self.block = tag
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag == "br":
            self._add("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.svg is not None:
            self.svg.append(self.get_starttag_text() or "")  # <circle .../> closes itself
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.svg is not None:
            self.svg.append(f"</{tag}>")
            if tag == "svg":
                self._picture("".join(self.svg))
                self.svg = None
            return
        if tag in ("style", "title", "nav") or (self.skip and tag == "span"):
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("td", "th") and self.rows is not None and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None
            if tag == "th":
                self.bold -= 1
        elif tag == "table" and self.rows is not None:
            self._table(self.rows)
            self.rows = None
        elif tag in ("h1", "h2", "h3", "h4", "p", "li", "summary", "dt", "dd"):
            self._flush()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)

    def handle_data(self, data: str) -> None:
        if self.svg is not None:
            self.svg.append(_xml_text(data).replace("&", "&amp;").replace("<", "&lt;"))
        elif not self.skip:
            self._add(_xml_text(data))

    def _add(self, text: str) -> None:
        target = self.cell if self.cell is not None else self.text
        target.append((text, self.bold > 0))

    def finish(self) -> None:
        self.close()
        self._flush()

    # -- Word ---------------------------------------------------------------------------
    def _flush(self) -> None:
        runs = [(_SPACE.sub(" ", t), b) for t, b in self.text]
        self.text = []
        block, self.block = self.block, None
        if not "".join(t for t, _ in runs).strip():
            return
        if block in ("h1", "h2", "h3", "h4"):
            self.doc.add_heading("".join(t for t, _ in runs).strip(), level=int(block[1]))
            return
        style = "List Bullet" if block == "li" else None
        paragraph = self.doc.add_paragraph(style=style)
        for text, bold in runs:
            paragraph.add_run(text).bold = bold or block == "summary"

    def _table(self, rows: list[list[list[tuple[str, bool]]]]) -> None:
        self._flush()
        width = max((len(r) for r in rows), default=0)
        if not width:
            return
        table = self.doc.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            for i, runs in enumerate(row):
                paragraph = cells[i].paragraphs[0]
                for text, bold in runs:
                    paragraph.add_run(_SPACE.sub(" ", text)).bold = bold

    def _logo(self, uri: str) -> None:
        from docx.shared import Cm

        self._flush()
        data = base64.b64decode(uri.split(",", 1)[1])
        self.doc.add_picture(io.BytesIO(data), width=Cm(5))

    def _picture(self, svg: str) -> None:
        import cairosvg
        from docx.shared import Cm

        self._flush()
        convert: Callable[..., bytes | None] = cairosvg.svg2png
        png = convert(bytestring=svg.encode("utf-8"), output_width=1400)
        if png:
            self.doc.add_picture(io.BytesIO(png), width=Cm(15))


def write_docx(document: ReportDocument) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    body = document.html.split("<body>", 1)[1]
    cover, _, rest = body.partition("</section>")
    first = _Walker(doc)
    first.feed(cover)
    first.finish()
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    walker = _Walker(doc)
    walker.feed(rest)
    walker.finish()
    doc.core_properties.title = _xml_text(f"{document.title} — {document.organisation}")
    doc.core_properties.created = doc.core_properties.modified = dt.datetime.combine(
        document.date, dt.time()
    )
    doc.core_properties.language = "zh-CN" if document.lang == "zh" else "en"
    out = io.BytesIO()
    doc.save(out)
    return dated_archive(out.getvalue(), document.date)
