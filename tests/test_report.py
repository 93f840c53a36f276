"""`cxassess report`: the report file a consultant hands over, as PDF (WeasyPrint) and Word
(python-docx), checked by reading the files back: text extracted from the PDF, fonts it
embeds, the Word file reopened."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.build import report_pdf
from assessment.cli import main

DEMO = Path(__file__).parent.parent / "examples" / "demo"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def demo_report(factory, fmt: str, lang: str) -> Path:
    out = factory.mktemp(fmt) / f"lanfeng.{fmt}"
    result = run("report", str(DEMO / "cxassess.yaml"), "--org", "lanfeng", "--format", fmt,
                 "--lang", lang, "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def pdf_zh(tmp_path_factory) -> Path:
    return demo_report(tmp_path_factory, "pdf", "zh")


@pytest.fixture(scope="module")
def docx_en(tmp_path_factory) -> Path:
    return demo_report(tmp_path_factory, "docx", "en")


def test_the_pdf_is_a4_with_chinese_text_and_an_embedded_cjk_font(pdf_zh):
    import pypdf

    reader = pypdf.PdfReader(pdf_zh)
    assert len(reader.pages) > 10
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "岚峰家居" in text  # the organisation
    for title in ("领导作用和承诺", "聆听顾客声音", "顾客体验管理的评估"):  # clause titles
        assert title in text
    assert "对照标准的评估准备度" in text  # the verdict, named for what it is
    for chapter in ("发现登记表", "适用性声明", "方法说明", "条款 × 原则热力图"):
        assert chapter in text
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("CJK" in name for name in fonts), fonts
    # Page numbers in the footer and the table of contents.
    assert "1 / " in reader.pages[0].extract_text() or "2 / " in reader.pages[1].extract_text()


def test_the_word_file_has_real_headings_tables_and_charts(docx_en):
    import docx

    document = docx.Document(str(docx_en))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    for chapter in ("Executive summary", "Scores by area and clause", "Findings register",
                    "Statement of applicability", "Methodology"):  # fmt: skip
        assert chapter in headings
    sections = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for section in ("Largest clause gaps", "Clause × principle heat map"):
        assert section in sections
    assert len(document.tables) > 10
    assert len(document.inline_shapes) >= 3  # radars and gap bars, as pictures
    text = "\n".join(p.text for p in document.paragraphs)
    assert "岚峰家居 Lanfeng Home" in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "Sourcing manager 采购经理 Zhou Min" in cells  # an owner from the action plan
    assert "P1 Customer-needs-led" in cells  # the principles at a glance
    gaps = next(t for t in document.tables if [c.text for c in t.rows[0].cells][-1] == "Gap")
    assert gaps.rows[1].cells[0].text.startswith(("5", "6", "7", "8"))  # a clause, largest gap


def test_a_project_with_several_organisations_needs_org(tmp_path):
    result = run("report", str(DEMO / "cxassess.yaml"), "--out", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert "name one with --org (lanfeng, qingshan)" in result.output
    result = run("report", str(DEMO / "cxassess.yaml"), "--org", "lanfen", "--out",
                 str(tmp_path / "r.pdf"))  # fmt: skip
    assert result.exit_code == 2
    assert "no organisation 'lanfen'" in result.output
    assert "did you mean 'lanfeng'" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_without_a_chinese_font_the_pdf_is_refused_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(report_pdf, "chinese_fonts", lambda: [])
    out = tmp_path / "r.pdf"
    result = run("report", str(DEMO / "lanfeng-2026-audit.yaml"), "--out", str(out))
    assert result.exit_code == 1
    assert "fonts-noto-cjk" in result.output
    assert not out.exists()


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def branded_project(folder: Path, report: str) -> Path:
    shutil.copytree(DEMO, folder, dirs_exist_ok=True)
    project = folder / "cxassess.yaml"
    project.write_text(project.read_text(encoding="utf-8") + report, encoding="utf-8")
    return project


def test_branding_from_the_project_file(tmp_path):
    import docx

    folder = tmp_path / "client"
    project = branded_project(
        folder, 'report: {logo: logo.png, colour: "#1f4e79", firm: "Acme Consulting"}\n'
    )
    (folder / "logo.png").write_bytes(png())
    out = tmp_path / "r.docx"
    result = run("report", str(project), "--org", "qingshan", "--format", "docx", "--lang", "en",
                 "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Prepared by: Acme Consulting" in text
    assert len(document.inline_shapes) >= 4  # the logo and the charts


@pytest.mark.parametrize(
    ("report", "logo", "expected"),
    [
        (
            "report: {logo: missing.png}\n",
            None,
            "report.logo: logo 'missing.png': cannot read file",
        ),
        ("report: {logo: ../outside.png}\n", None, "report.logo: logo '../outside.png'"),
        (
            "report: {logo: logo.png}\n",
            b"GIF89a",
            "report.logo: logo 'logo.png' is not a PNG or JPEG",
        ),
        ('report: {colour: "blue"}\n', None, "report.colour"),
    ],
)
def test_bad_branding_is_located(tmp_path, report, logo, expected):
    folder = tmp_path / "client"
    project = branded_project(folder, report)
    if logo is not None:
        (folder / "logo.png").write_bytes(logo)
    (tmp_path / "outside.png").write_bytes(png())
    result = run("report", str(project), "--org", "lanfeng", "--out", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2, result.output
    assert "cxassess.yaml:" in result.output
    assert expected in result.output


def test_the_report_never_replaces_its_own_input(tmp_path):
    answers = tmp_path / "acme.yaml"
    answers.write_bytes((DEMO / "qingshan-2026-audit.yaml").read_bytes())
    before = answers.read_bytes()
    result = run("report", str(answers), "--out", str(answers), "--force")
    assert result.exit_code == 2
    assert "is one of the files the report is made from" in result.output
    assert answers.read_bytes() == before
    assert not list(tmp_path.glob("*.bak*"))


def test_the_word_file_takes_control_characters_and_is_the_same_file_every_time(tmp_path):
    import docx

    answers = tmp_path / "acme.yaml"
    text = (DEMO / "qingshan-2026-audit.yaml").read_text(encoding="utf-8")
    # Pasted text can carry control characters that XML (and so Word) cannot hold.
    answers.write_text(
        text.replace(
            'name: "青山水务 Qingshan Water"', 'name: "青山水务\\x01 Qingshan\\x1b Water"'
        ),
        encoding="utf-8",
    )
    assert run("validate", str(answers)).exit_code == 0
    files = []
    for name in ("one.docx", "two.docx"):
        out = tmp_path / name
        result = run("report", str(answers), "--format", "docx", "--lang", "en", "--out", str(out))
        assert result.exit_code == 0, result.output
        files.append(out.read_bytes())
    assert files[0] == files[1]  # no clock in the file
    document = docx.Document(io.BytesIO(files[0]))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "青山水务\ufffd Qingshan\ufffd Water" in words
    assert document.core_properties.title.endswith("青山水务\ufffd Qingshan\ufffd Water")
    assert document.core_properties.created.date().isoformat() == "2026-10-15"
