"""Word: the periodic report and its appendix "Phụ lục 1B", as Nghị định 30/2020/NĐ-CP
lays out an administrative document.

Page 1 opens with the letterhead (reports/letterhead.py: agency and number on the left,
nation, motto and the place-and-date line on the right), then the title in bold capitals,
the summary, the figures by section and by lead department and one chart (reports/chart.py).
The appendix starts on a new page: its table repeats its header row on every page and never
splits a row. "Nơi nhận" and the signer close the document, so they sit on its last page.
A4 landscape, Times New Roman, margins top/bottom 20 mm, left 30 mm, right 15 mm; page
numbers centred at the top from page 2 on (a PAGE field; titlePg leaves page 1 bare).

Fast on purpose: the Monday sweep attaches this file to every chairman's mail, once per unit
(3,300 units nationally). Setting fonts run by run through python-docx's properties cost
~0.5 s a document, so the fonts live on the styles (Normal 13 pt, a "Bảng Phụ lục" paragraph
style of 12 pt for the table, Times New Roman everywhere including the document defaults)
and the body is written as WordprocessingML text (reports/wml.py), not element by element.
python-docx builds the styled empty package once per process (`_package`, header parts
included); a render writes document.xml, its relationships and the chart's PNG into a copy.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

from planflow.i18n import fmt_date
from planflow.reports.letterhead import attached_line, header_xml, letterhead, signature_xml
from planflow.reports.rows import figure_cells, figure_headers, groups, headers, t, table_rows
from planflow.reports.wml import (
    BODY_PT,
    FONT,
    TABLE_PT,
    TABLE_STYLE_ID,
    TABLE_STYLE_NAME,
    cell,
    grid_table,
    para,
    picture,
    row,
    run,
    twips,
)
from planflow.reports.wml import text as _text

if TYPE_CHECKING:
    from planflow.services.reports import Report

__all__ = ["BODY_PT", "FONT", "TABLE_PT", "WIDTHS_MM", "_text", "assemble", "render"]

WIDTHS_MM = (10, 78, 32, 30, 28, 24, 24, 46)  # 272 mm fits 297 − 30 − 15
FIGURE_WIDTHS_MM = (76, *[22] * 8)  # 252 mm: the letterhead's width
CHART_WIDTH_MM = 200
CHART_REL = "rIdChart"
CHART_PART = "word/media/chart.png"
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _table(report: Report, lang: str) -> str:
    """The appendix table: header row repeated on every page, no row split across pages."""
    head = "".join(
        cell(text, width, bold=True, center=True)
        for text, width in zip(headers(lang), WIDTHS_MM, strict=True)
    )
    rows = [row(head, header=True)]
    rest = sum(WIDTHS_MM[1:])
    for line in table_rows(report, lang):
        if line.section:
            merged = (
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips(rest)}"/>'
                f'<w:gridSpan w:val="{len(WIDTHS_MM) - 1}"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/><w:keepNext/></w:pPr>'
                f"{run(line.cells[1], bold=True, fonts=False)}</w:p></w:tc>"
            )
            rows.append(row(cell("", WIDTHS_MM[0]) + merged))
            continue
        cells = "".join(
            cell(text, width, center=n in (0, 5))
            for n, (text, width) in enumerate(zip(line.cells, WIDTHS_MM, strict=True))
        )
        rows.append(row(cells))
    return grid_table(WIDTHS_MM, rows)


def _figures(report: Report, by: str, lang: str) -> str:
    """Total, done, rate, on time, late, in progress, not started, overdue per group."""
    head = "".join(
        cell(text, w, bold=True, center=True)
        for text, w in zip(figure_headers(by, lang), FIGURE_WIDTHS_MM, strict=True)
    )
    rows = [row(head, header=True)]
    precision = report.progress.precision
    for name, figures in groups(report, by, lang):
        values = figure_cells(name, figures, precision, lang)
        pairs = enumerate(zip(values, FIGURE_WIDTHS_MM, strict=True))
        rows.append(row("".join(cell(v, w, center=n > 0) for n, (v, w) in pairs)))
    return grid_table(FIGURE_WIDTHS_MM, rows)


def _heading(text: str) -> str:
    return para(text, bold=True, keep_next=True, before_pt=6)


def body(report: Report, lang: str = "vi") -> tuple[str, bytes]:
    """document.xml's body and the chart's PNG."""
    from planflow.reports.chart import done_chart
    from planflow.services.reports import summary_sentence

    head = letterhead(report.unit_name, report.document, lang)
    when = fmt_date(report.as_of)
    parts = [header_xml(head, report.as_of, lang)]
    parts.append(para(t(lang, "BÁO CÁO", "REPORT"), 14, bold=True, center=True, before_pt=12))
    parts.append(para(t(lang, "Kết quả thực hiện kế hoạch cải cách hành chính năm "
                              f"{report.plan_year}",
                        f"Results of the administrative reform plan {report.plan_year}"),
                      14, bold=True, center=True))  # fmt: skip
    if report.period is not None:
        parts.append(para(t(lang, f"Kỳ báo cáo: {report.period.label_vi}",
                            f"Period: {report.period.label_en}"), center=True))  # fmt: skip
    parts.append(para(t(lang, f"(Tính đến ngày {when})", f"(As of {when})"), italic=True,
                      center=True))  # fmt: skip
    parts.append(para(summary_sentence(report, lang), justify=True, indent_mm=10, before_pt=12))
    if report.period is not None:
        done = report.progress.figures.done_in_period
        parts.append(para(t(lang, f"Hoàn thành trong kỳ: {done} nhiệm vụ.",
                            f"Completed in the period: {done} tasks."), indent_mm=10))  # fmt: skip
    parts += [_heading(t(lang, "1. Kết quả theo lĩnh vực", "1. Results by section")),
              _figures(report, "section", lang),
              _heading(t(lang, "2. Kết quả theo phòng chủ trì", "2. Results by lead department")),
              _figures(report, "dept", lang),
              _heading(t(lang, "3. Biểu đồ", "3. Chart"))]  # fmt: skip
    chart = done_chart(report, lang)
    height_mm = CHART_WIDTH_MM * chart.height_px / chart.width_px
    parts.append(picture(CHART_REL, CHART_WIDTH_MM, height_mm, "chart.png"))

    parts.append(para("PHỤ LỤC 1B", 14, bold=True, center=True, page_break=True))
    parts.append(para(attached_line(head, report.as_of, lang), italic=True, center=True))
    parts.append(para("KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 14, bold=True,
                      center=True, before_pt=6))  # fmt: skip
    if report.period is not None:
        parts.append(para(t(lang, f"Kỳ báo cáo: {report.period.label_vi}",
                            f"Period: {report.period.label_en}"), center=True))  # fmt: skip
    parts.append(para(f"(Tính đến ngày {when})", italic=True, center=True))
    parts += [para(""), _table(report, lang)]
    if report.failed_mail:
        from planflow.reports.rows import failed_mail_rows, failed_mail_title

        parts += [para(""), para(failed_mail_title(lang) + ":", bold=True)]
        for recipient, subject, attempts, error, day in failed_mail_rows(report):
            tries = t(lang, f"{attempts} lần gửi", f"{attempts} attempts")
            parts.append(para(f"- {day}, {recipient}: {subject} ({tries}; {error})"))
    parts.append(signature_xml(head, lang))
    return "".join(parts), chart.png


def render(report: Report, lang: str = "vi") -> bytes:
    xml, png = body(report, lang)
    return assemble(xml, png)


def assemble(xml: str, chart_png: bytes | None = None) -> bytes:
    """The package with `xml` as document.xml's body; `chart_png` becomes the image part
    the body's picture (relationship CHART_REL) shows."""
    static, head, tail, rels = _package()
    if chart_png is not None:
        rel = f'<Relationship Id="{CHART_REL}" Type="{_IMAGE_REL}" Target="media/chart.png"/>'
        rels = rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    out = io.BytesIO(static)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(_DOCUMENT, head + xml.encode("utf-8") + tail)
        package.writestr(_RELS, rels)
        if chart_png is not None:
            package.writestr(CHART_PART, chart_png, zipfile.ZIP_STORED)  # PNG is compressed
    return out.getvalue()


def _styles(doc: Any) -> None:
    """Times New Roman on the document defaults and Normal (all four scripts, so no theme
    font shows through), 13 pt body; the table's paragraph style at 12 pt."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:cs", "w:eastAsia"):
        normal_fonts.set(qn(key), FONT)
    cell_style = styles.add_style(TABLE_STYLE_NAME, WD_STYLE_TYPE.PARAGRAPH)
    cell_style.element.set(qn("w:styleId"), TABLE_STYLE_ID)
    cell_style.base_style = normal
    cell_style.font.size = Pt(TABLE_PT)


_DOCUMENT = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_PNG_TYPE = b'<Default Extension="png" ContentType="image/png"/>'
_PACKAGE: tuple[bytes, bytes, bytes, bytes] | None = None


def _page_numbers(section: Any) -> None:
    """A PAGE field centred in the header from page 2 on; page 1 gets its own empty header
    (titlePg), as Nghị định 30 numbers pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ('<w:fldChar w:fldCharType="begin"/>',
                  '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                  '<w:fldChar w:fldCharType="separate"/>', "<w:t>2</w:t>",
                  '<w:fldChar w:fldCharType="end"/>'):  # fmt: skip
        number._p.append(parse_xml(f"<w:r {nsdecls('w')}>{piece}</w:r>"))


def _package() -> tuple[bytes, bytes, bytes, bytes]:
    """python-docx's empty document with our styles, page and header, built once: every
    other part already compressed in a zip to append to; document.xml cut where the body
    goes (before the section properties); its relationships, which a render extends with
    the chart's. Opening python-docx's template, saving and compressing its styles and
    theme again was most of a render."""
    global _PACKAGE
    if _PACKAGE is None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        doc = Document()
        _styles(doc)
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = Mm(10)
        _page_numbers(section)
        for child in list(doc.element.body):  # the template's own empty paragraph, if any
            if child is not doc.element.body.sectPr:
                doc.element.body.remove(child)
        saved = io.BytesIO()
        doc.save(saved)
        static = io.BytesIO()
        with zipfile.ZipFile(saved) as source, zipfile.ZipFile(static, "w") as target:
            for name in source.namelist():
                data = source.read(name)
                if name == _TYPES and _PNG_TYPE not in data:
                    data = data.replace(b"<Default ", _PNG_TYPE + b"<Default ", 1)
                if name not in (_DOCUMENT, _RELS):
                    target.writestr(name, data, zipfile.ZIP_DEFLATED)
            document, rels = source.read(_DOCUMENT), source.read(_RELS)
        cut = document.index(b"<w:sectPr")
        _PACKAGE = static.getvalue(), document[:cut], document[cut:], rels
    return _PACKAGE
