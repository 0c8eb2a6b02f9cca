"""Word: "Phụ lục 1B", the appendix a commune attaches to its periodic report.

Layout per Nghị định 30/2020/NĐ-CP (administrative documents): A4 landscape, Times New
Roman, margins top/bottom 20 mm, left 30 mm, right 15 mm; the header block with the issuing
unit's name on the left and the national motto on the right ("Độc lập - Tự do - Hạnh phúc"
underlined); the title in bold capitals; then the table and the summary paragraph, ready to
paste into the report.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from planflow.i18n import fmt_date
from planflow.reports.rows import headers, t, table_rows

if TYPE_CHECKING:
    from planflow.services.reports import Report

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 13, 12
WIDTHS_MM = (10, 78, 32, 30, 28, 24, 24, 46)  # 272 mm fits 297 − 30 − 15


def _font(run: Any, size: int, bold: bool = False, italic: bool = False,
          underline: bool = False) -> None:  # fmt: skip
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)


def _para(container: Any, text: str, size: int = BODY_PT, *, bold: bool = False,
          italic: bool = False, underline: bool = False, center: bool = False,
          justify: bool = False) -> Any:  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = container.add_paragraph()
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.space_before = Pt(0)
    _font(para.add_run(text), size, bold, italic, underline)
    return para


def _cell_text(cell: Any, text: str, *, bold: bool = False, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para = cell.paragraphs[0]
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(para.add_run(text), TABLE_PT, bold)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def render(report: Report, lang: str = "vi") -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    from planflow.services.reports import summary_sentence

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    # Header block: issuing unit (left) and national motto (right), no borders.
    block = doc.add_table(rows=1, cols=2)
    block.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = block.rows[0].cells
    left.width, right.width = Mm(100), Mm(152)
    left.paragraphs[0].text = ""
    _font(left.paragraphs[0].add_run(report.unit_name.upper()), BODY_PT, bold=True)
    left.paragraphs[0].alignment = 1
    right.paragraphs[0].alignment = 1
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), BODY_PT, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", BODY_PT + 1, bold=True, underline=True,
          center=True)  # fmt: skip

    _para(doc, "", BODY_PT)
    _para(doc, "PHỤ LỤC 1B", 14, bold=True, center=True)
    _para(doc, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 14, bold=True, center=True)
    if report.period is not None:
        _para(doc, t(lang, f"Kỳ báo cáo: {report.period.label_vi}",
                     f"Period: {report.period.label_en}"), BODY_PT, center=True)  # fmt: skip
    _para(doc, f"(Tính đến ngày {fmt_date(report.as_of)})", BODY_PT, italic=True, center=True)
    _para(doc, "", BODY_PT)

    heads = headers(lang)
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, head, width in zip(table.rows[0].cells, heads, WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        _cell_text(cell, head, bold=True, center=True)
    _repeat_header(table.rows[0])
    for row in table_rows(report, lang):
        cells = table.add_row().cells
        for cell, width in zip(cells, WIDTHS_MM, strict=True):
            cell.width = Mm(width)
        if row.section:
            merged = cells[1].merge(cells[-1])
            _cell_text(merged, row.cells[1], bold=True)
            continue
        for n, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
            _cell_text(cell, text, center=n in (0, 5))

    _para(doc, "", BODY_PT)
    _para(doc, summary_sentence(report, lang), BODY_PT, justify=True)
    if report.failed_mail:
        from planflow.reports.rows import failed_mail_rows, failed_mail_title

        _para(doc, "", BODY_PT)
        _para(doc, failed_mail_title(lang) + ":", BODY_PT, bold=True)
        for recipient, subject, attempts, error, day in failed_mail_rows(report):
            tries = t(lang, f"{attempts} lần gửi", f"{attempts} attempts")
            _para(doc, f"- {day}, {recipient}: {subject} ({tries}; {error})", BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
