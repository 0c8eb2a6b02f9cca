"""WordprocessingML written as text: the few elements the Word reports need.

The Monday sweep renders a .docx per unit, and building elements one by one through
python-docx cost ~0.5 s a document, so reports/word.py, reports/letterhead.py and the
roll-up write their body as strings with these helpers. Text is escaped and stripped of
control characters XML cannot hold, since nothing parses it before Word does.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 13, 12
TABLE_STYLE_ID, TABLE_STYLE_NAME = "BangPhuLuc", "Bảng Phụ lục"  # paragraph style of cells

FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
TIGHT = '<w:spacing w:before="0" w:after="0"/>'
_LOOK = ('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
         'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>')  # fmt: skip
_NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )  # fmt: skip
    + "</w:tblBorders>"
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # never valid in XML


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def text(value: str) -> str:
    """Run content as python-docx's `run.text` writes it: tabs and line breaks as elements;
    control characters XML cannot hold are dropped (python-docx refused the whole report)."""
    value = _NOT_XML.sub("", value)
    parts = []
    for n, line in enumerate(value.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, chunk in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


def run(value: str, size: int | None = None, *, bold: bool = False, italic: bool = False,
        underline: bool = False, fonts: bool = True) -> str:  # fmt: skip
    """One run; `fonts` repeats the font on the run (body text, where it is also read back)."""
    if not value:
        return ""
    rpr = (
        (FONTS if fonts else "")
        + ("<w:b/>" if bold else "")
        + ("<w:i/>" if italic else "")
        + (f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>' if size else "")
        + ('<w:u w:val="single"/>' if underline else "")
    )
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{text(value)}</w:r>"


def para(value: str, size: int = BODY_PT, *, bold: bool = False, italic: bool = False,
         underline: bool = False, center: bool = False, justify: bool = False,
         page_break: bool = False, keep_next: bool = False, before_pt: int = 0,
         indent_mm: float = 0) -> str:  # fmt: skip
    """A paragraph of one run. `page_break` starts it on a new page (pageBreakBefore, so no
    stray line-break run is left for a reader); `keep_next` holds it to the next one."""
    align = "center" if center else "both" if justify else ""
    ppr = (
        ("<w:keepNext/>" if keep_next else "")
        + ("<w:pageBreakBefore/>" if page_break else "")
        + (f'<w:spacing w:before="{before_pt * 20}" w:after="0"/>' if before_pt else TIGHT)
        + (f'<w:ind w:firstLine="{twips(indent_mm)}"/>' if indent_mm else "")
        + (f'<w:jc w:val="{align}"/>' if align else "")
    )
    body = run(value, size, bold=bold, italic=italic, underline=underline)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def rule(line_mm: float, cell_mm: float) -> str:
    """A short horizontal line centred in a cell `cell_mm` wide: the top border of an
    empty paragraph squeezed to `line_mm` by its indents, a hairline tall (the ruled line
    Nghị định 30 draws under the agency and the motto; not underlined text)."""
    side = twips(max(cell_mm - line_mm, 0) / 2)
    return (
        '<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="auto"/>'
        '</w:pBdr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/>'
        f'<w:ind w:left="{side}" w:right="{side}"/><w:jc w:val="center"/>'
        '<w:rPr><w:sz w:val="4"/></w:rPr></w:pPr></w:p>'
    )


def cell(value: str, width_mm: float, *, span: int = 1, bold: bool = False,
         center: bool = False, right: bool = False) -> str:  # fmt: skip
    """A table cell: its paragraph takes font and size from the table paragraph style."""
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    align = "center" if center else "right" if right else ""
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    body = run(value, bold=bold, fonts=False)
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips(width_mm)}"/>{grid}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/>{jc}</w:pPr>{body}</w:p></w:tc>'
    )


def row(cells: str, *, header: bool = False, whole: bool = True) -> str:
    """A table row: `header` repeats it on every page (tblHeader), `whole` keeps it from
    breaking across pages (cantSplit)."""
    trpr = ("<w:cantSplit/>" if whole else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{cells}</w:tr>"


def grid_table(widths_mm: tuple[float, ...], rows: list[str]) -> str:
    """A ruled table (Word's Table Grid), fixed column widths, centred."""
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths_mm)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
        f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{_LOOK}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def borderless(widths_mm: tuple[float, ...], cells: list[str], *, whole: bool = True) -> str:
    """One row of side-by-side blocks (letterhead, signature): no borders; each item of
    `cells` is the paragraphs of one cell."""
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths_mm)
    tcs = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips(w)}"/></w:tcPr>{body}</w:tc>'
        for w, body in zip(widths_mm, cells, strict=True)
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{sum(twips(w) for w in widths_mm)}"/>'
        f'<w:jc w:val="center"/>{_NO_BORDERS}<w:tblLayout w:type="fixed"/>{_LOOK}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{row(tcs, whole=whole)}</w:tbl>"
    )


def picture(rel_id: str, width_mm: float, height_mm: float, name: str, pic_id: int = 1) -> str:
    """An inline picture whose image part is the relationship `rel_id` of the document."""
    cx, cy = round(width_mm * 36000), round(height_mm * 36000)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    return (
        '<w:p><w:pPr><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{pic_id}" name="{escape(name)}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}">'
        f'<pic:pic xmlns:pic="{pic}"><pic:nvPicPr><pic:cNvPr id="0" name="{escape(name)}"/>'
        f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel_id}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
