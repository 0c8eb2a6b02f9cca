"""Word: "Phụ lục 1B", the appendix a commune attaches to its periodic report.

Layout per Nghị định 30/2020/NĐ-CP (administrative documents): A4 landscape, Times New
Roman, margins top/bottom 20 mm, left 30 mm, right 15 mm; the header block with the issuing
unit's name on the left and the national motto on the right ("Độc lập - Tự do - Hạnh phúc"
underlined); the title in bold capitals; then the table and the summary paragraph, ready to
paste into the report.

Fast on purpose: the Monday sweep attaches this file to every chairman's mail, once per unit
(3,300 units nationally). Setting fonts run by run through python-docx's properties cost
~0.5 s a document, so the fonts live on the styles (Normal 13 pt, a "Bảng Phụ lục" paragraph
style of 12 pt for the table, Times New Roman everywhere including the document defaults)
and the body is written as WordprocessingML text, not element by element. python-docx
builds the styled empty package once per process (`_package`); a render only writes
document.xml into a copy of it: ~10 ms for Kỳ Lạc's 35 tasks. The text is escaped and
stripped of control characters XML cannot hold, since nothing parses it before Word does.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from planflow.i18n import fmt_date
from planflow.reports.rows import headers, t, table_rows

if TYPE_CHECKING:
    from planflow.services.reports import Report

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 13, 12
WIDTHS_MM = (10, 78, 32, 30, 28, 24, 24, 46)  # 272 mm fits 297 − 30 − 15
TABLE_STYLE_ID, TABLE_STYLE_NAME = "BangPhuLuc", "Bảng Phụ lục"  # paragraph style of cells

_FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
_TIGHT = '<w:spacing w:before="0" w:after="0"/>'


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # never valid in XML


def _text(text: str) -> str:
    """Run content as python-docx's `run.text` writes it: tabs and line breaks as elements;
    control characters XML cannot hold are dropped (python-docx refused the whole report)."""
    text = _NOT_XML.sub("", text)
    parts = []
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, chunk in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


def _run(text: str, size: int | None = None, *, bold: bool = False, italic: bool = False,
         underline: bool = False, fonts: bool = True) -> str:  # fmt: skip
    """One run; `fonts` repeats the font on the run (body text, where it is also read back)."""
    if not text:
        return ""
    rpr = (
        (_FONTS if fonts else "")
        + ("<w:b/>" if bold else "")
        + ("<w:i/>" if italic else "")
        + (f'<w:sz w:val="{size * 2}"/>' if size else "")
        + ('<w:u w:val="single"/>' if underline else "")
    )
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{_text(text)}</w:r>"


def _para(text: str, size: int = BODY_PT, *, bold: bool = False, italic: bool = False,
          underline: bool = False, center: bool = False, justify: bool = False) -> str:  # fmt: skip
    align = "center" if center else "both" if justify else ""
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    run = _run(text, size, bold=bold, italic=italic, underline=underline)
    return f"<w:p><w:pPr>{_TIGHT}{jc}</w:pPr>{run}</w:p>"


def _cell(text: str, width_mm: float, *, span: int = 1, bold: bool = False,
          center: bool = False) -> str:  # fmt: skip
    """A table cell: its paragraph takes font and size from the table paragraph style."""
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    jc = '<w:jc w:val="center"/>' if center else ""
    run = _run(text, bold=bold, fonts=False)
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{_twips(width_mm)}"/>{grid}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/>{jc}</w:pPr>{run}</w:p></w:tc>'
    )


def _table(report: Report, lang: str) -> str:
    grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in WIDTHS_MM)
    head = "".join(
        _cell(text, width, bold=True, center=True)
        for text, width in zip(headers(lang), WIDTHS_MM, strict=True)
    )
    rows = [f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{head}</w:tr>']
    rest = sum(_twips(w) for w in WIDTHS_MM[1:])
    for row in table_rows(report, lang):
        if row.section:
            merged = (
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{rest}"/>'
                f'<w:gridSpan w:val="{len(WIDTHS_MM) - 1}"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/></w:pPr>'
                f"{_run(row.cells[1], bold=True, fonts=False)}</w:p></w:tc>"
            )
            rows.append(f"<w:tr>{_cell('', WIDTHS_MM[0])}{merged}</w:tr>")
            continue
        cells = "".join(
            _cell(text, width, center=n in (0, 5))
            for n, (text, width) in enumerate(zip(row.cells, WIDTHS_MM, strict=True))
        )
        rows.append(f"<w:tr>{cells}</w:tr>")
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _header_block(report: Report) -> str:
    """Issuing unit (left) and national motto (right), a borderless two-cell table."""
    left, right = _twips(100), _twips(152)
    center = '<w:pPr><w:jc w:val="center"/></w:pPr>'
    return (
        '<w:tbl><w:tblPr><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{left}"/><w:gridCol w:w="{right}"/></w:tblGrid><w:tr>'
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{left}"/></w:tcPr>'
        f"<w:p>{center}{_run(report.unit_name.upper(), BODY_PT, bold=True)}</w:p></w:tc>"
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{right}"/></w:tcPr>'
        f"<w:p>{center}{_run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', BODY_PT, bold=True)}</w:p>"
        + _para(
            "Độc lập - Tự do - Hạnh phúc", BODY_PT + 1, bold=True, underline=True, center=True
        )  # fmt: skip
        + "</w:tc></w:tr></w:tbl>"
    )


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
    cell = styles.add_style(TABLE_STYLE_NAME, WD_STYLE_TYPE.PARAGRAPH)
    cell.element.set(qn("w:styleId"), TABLE_STYLE_ID)
    cell.base_style = normal
    cell.font.size = Pt(TABLE_PT)


def render(report: Report, lang: str = "vi") -> bytes:
    from planflow.services.reports import summary_sentence

    parts = [_header_block(report), _para(""), _para("PHỤ LỤC 1B", 14, bold=True, center=True)]
    parts.append(_para("KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 14, bold=True,
                       center=True))  # fmt: skip
    if report.period is not None:
        parts.append(_para(t(lang, f"Kỳ báo cáo: {report.period.label_vi}",
                             f"Period: {report.period.label_en}"), center=True))  # fmt: skip
    parts.append(_para(f"(Tính đến ngày {fmt_date(report.as_of)})", italic=True, center=True))
    parts += [_para(""), _table(report, lang), _para("")]
    parts.append(_para(summary_sentence(report, lang), justify=True))
    if report.failed_mail:
        from planflow.reports.rows import failed_mail_rows, failed_mail_title

        parts += [_para(""), _para(failed_mail_title(lang) + ":", bold=True)]
        for recipient, subject, attempts, error, day in failed_mail_rows(report):
            tries = t(lang, f"{attempts} lần gửi", f"{attempts} attempts")
            parts.append(_para(f"- {day}, {recipient}: {subject} ({tries}; {error})"))
    static, head, tail = _package()
    out = io.BytesIO(static)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(_DOCUMENT, head + "".join(parts).encode("utf-8") + tail)
    return out.getvalue()


_DOCUMENT = "word/document.xml"
_PACKAGE: tuple[bytes, bytes, bytes] | None = None


def _package() -> tuple[bytes, bytes, bytes]:
    """python-docx's empty document with our styles and page, built once: every other part
    already compressed in a zip to append document.xml to, and document.xml cut where the
    body goes (before the section properties). Opening python-docx's template, saving and
    compressing its styles and theme again was most of a render."""
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
        for child in list(doc.element.body):  # the template's own empty paragraph, if any
            if child is not doc.element.body.sectPr:
                doc.element.body.remove(child)
        saved = io.BytesIO()
        doc.save(saved)
        static = io.BytesIO()
        with zipfile.ZipFile(saved) as source, zipfile.ZipFile(static, "w") as target:
            for name in source.namelist():
                if name != _DOCUMENT:
                    target.writestr(name, source.read(name), zipfile.ZIP_DEFLATED)
            document = source.read(_DOCUMENT)
        cut = document.index(b"<w:sectPr")
        _PACKAGE = static.getvalue(), document[:cut], document[cut:]
    return _PACKAGE
