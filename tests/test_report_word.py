"""The Phụ lục 1B .docx now takes its fonts from styles, not from every run (the Monday sweep
renders one per unit): check that a reader still gets Times New Roman 13 pt for the text and
12 pt in the table, and that awkward evidence survives the hand-written XML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Cli

FONT = "Times New Roman"
# Characters XML and python-docx treat specially: markup, an entity, a tab, a line break.
EVIDENCE = 'Công văn <số 12> & "15"\tngày 20/08/2025\nbản chính'


def _effective(run: Any, paragraph: Any) -> tuple[str | None, float | None]:
    """Font name and size in points as Word resolves them: run, then the paragraph style
    and the styles it is based on."""
    name, size = run.font.name, run.font.size
    style = paragraph.style
    while style is not None and (name is None or size is None):
        name = name or style.font.name
        size = size or style.font.size
        style = style.base_style
    return name, size.pt if size is not None else None


def test_docx_fonts_come_from_styles(kylac: Cli, tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    kylac.ok("--as-of", "30/09/2025", "done", "VI.2.1", "--evidence", EVIDENCE, "--on",
             "05/09/2025", user="kt")  # fmt: skip
    out = tmp_path / "r.docx"
    kylac.ok("report", "--as-of", "30/09/2025", "--format", "docx", "-o", str(out))
    doc = Document(str(out))

    normal = doc.styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == (FONT, 13)
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(k)) for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {FONT}
    # No theme font left in the document defaults to show through (Calibri/Cambria).
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert dict(default_fonts.attrib) == {
        qn(k): FONT for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
    }

    # The report's title (two lines) and the appendix's heading and title are 14 pt.
    titles = ("BÁO CÁO", "Kết quả thực hiện kế hoạch cải cách hành chính năm 2025",
              "PHỤ LỤC 1B", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")  # fmt: skip
    runs = [(r.text, _effective(r, p)) for p in doc.paragraphs for r in p.runs if r.text]
    assert [f for text, f in runs if text in titles] == [(FONT, 14.0)] * 4
    assert {f for text, f in runs if text not in titles} == {(FONT, 13.0)}

    # Tables: letterhead, figures by section and by department, the appendix, signature.
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")
    cells = {
        _effective(r, p)
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for r in p.runs
        if r.text
    }
    assert cells == {(FONT, 12.0)}
    header_bold = [r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs]
    assert header_bold == [True] * 8
    section_row = table.rows[1].cells
    assert section_row[1].text.startswith("I. ") and section_row[1] is not section_row[0]
    assert [r.bold for p in section_row[1].paragraphs for r in p.runs] == [True]

    row = next(r for r in table.rows[1:] if r.cells[1].text.startswith("VI.2.1 "))
    assert row.cells[7].text == EVIDENCE  # python-docx reads <w:tab/> as \t, <w:br/> as \n


def test_text_xml_cannot_hold_is_dropped_not_fatal() -> None:
    """A vertical tab pasted from Word into an evidence field used to make python-docx
    refuse the whole report; the hand-written XML drops it and escapes markup."""
    from planflow.reports.word import _text

    assert _text("Số 12\x0b<QĐ> & 1") == '<w:t xml:space="preserve">Số 12&lt;QĐ&gt; &amp; 1</w:t>'
    assert _text("a\tb\nc") == (
        '<w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t>'
        '<w:br/><w:t xml:space="preserve">c</w:t>'
    )
