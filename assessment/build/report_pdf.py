"""The report file as PDF, through WeasyPrint (HTML and CSS paged media: A4, page numbers,
running header, a table of contents with page numbers). Chinese needs a font with its glyphs
installed; without one the command says which to install instead of printing boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

from assessment.build.report_document import ReportDocument
from assessment.build.report_tables import size_columns
from assessment.common.errors import BuildError

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_fonts() -> list[str]:
    """The font families fontconfig knows that cover Chinese (what WeasyPrint will find)."""
    lister = shutil.which("fc-list")
    if lister is None:
        return []
    found = subprocess.run(  # noqa: S603 - a fixed command, no shell
        [lister, ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    return sorted(
        {line.split(",")[0].strip() for line in found.stdout.splitlines() if line.strip()}
    )


def write_pdf(document: ReportDocument) -> bytes:
    if _CJK.search(document.html) and not chinese_fonts():
        raise BuildError(
            "no font with Chinese glyphs is installed, so the PDF would show boxes: install "
            "one, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), then run again"
        )
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # the package, or Pango, missing
        raise BuildError(f"WeasyPrint cannot run here: {exc}") from exc
    # WeasyPrint is untyped: its entry point, typed as it is documented.
    html_document: Callable[..., Any] = weasyprint.HTML
    pdf = html_document(string=size_columns(document.html)).write_pdf(
        pdf_identifier=b"cxassess-report"
    )
    return bytes(pdf)
