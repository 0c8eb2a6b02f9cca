"""Excel: the Phụ lục 1B table and the figures, for the province's spreadsheets.

Every cell is written as a value, never a formula: text that starts with = + - @ (an
evidence note such as "=cmd|…") is stored as a string cell, so opening the file cannot run
anything (CSV/formula injection).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from planflow.reports.rows import figure_headers, groups, headers, t, table_rows, title_line

if TYPE_CHECKING:
    from planflow.services.reports import Report

_RISKY = ("=", "+", "-", "@")
# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE), plus lone surrogates.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    """`value` as XML 1.0 can hold it: a vertical tab (Word's manual line break) or a form
    feed becomes a line break, other control characters are dropped. openpyxl raises
    IllegalCharacterError on them, and one pasted evidence line would stop the report."""
    value = value.replace("\v", "\n").replace("\f", "\n")
    return _ILLEGAL.sub("", value)


def _put(ws: Any, row: int, col: int, value: Any, bold: bool = False) -> None:
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = _xml_text(value)
    if isinstance(value, str) and value.startswith(_RISKY):
        cell.value = value
        cell.data_type = "s"  # a string cell, never a formula
    else:
        cell.value = value
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)


def render(report: Report, lang: str = "vi") -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from planflow.services.reports import summary_sentence

    p = report.progress
    wb = Workbook()
    ws = wb.active
    ws.title = "Phu luc 1B"
    _put(ws, 1, 1, title_line(report, lang), bold=True)
    _put(ws, 2, 1, summary_sentence(report, lang))
    heads = headers(lang)
    for col, head in enumerate(heads, 1):
        _put(ws, 4, col, head, bold=True)
    r = 5
    for row in table_rows(report, lang):
        if row.section:
            _put(ws, r, 2, row.cells[1], bold=True)
        else:
            for col, text in enumerate(row.cells, 1):
                _put(ws, r, col, int(text) if col == 1 and text.isdigit() else text)
        r += 1
    for col, width in enumerate((6, 60, 24, 22, 20, 14, 16, 40), 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A5"

    figures = wb.create_sheet(t(lang, "Tong hop", "Summary"))
    f = p.figures
    total = [f.total, f.done, float(f.percent), f.on_time, f.late,
             f.in_progress, f.not_started, f.overdue]  # fmt: skip
    r = 1
    for by in ("section", "dept"):
        for col, head in enumerate(figure_headers(by, lang), 1):
            _put(figures, r, col, head, bold=True)
        r += 1
        for name, g in groups(report, by, lang):
            values = [name, g.total, g.done, float(g.percent), g.on_time, g.late,
                      g.in_progress, g.not_started, g.overdue]  # fmt: skip
            for col, value in enumerate(values, 1):
                _put(figures, r, col, value)
            r += 1
        # Each block's total under it. Sections add up to the plan; departments may add
        # up to more (a task with several leads counts in each), so their total says so.
        label = (
            t(lang, "Tổng", "Total")
            if by == "section"
            else t(lang, "Tổng (mỗi nhiệm vụ tính một lần)", "Total (each task counted once)")
        )
        _put(figures, r, 1, label, bold=True)
        for col, value in enumerate(total, 2):
            _put(figures, r, col, value, bold=True)
        r += 2
    figures.column_dimensions["A"].width = 50
    if report.failed_mail:
        from planflow.reports.rows import failed_mail_headers, failed_mail_rows

        mail = wb.create_sheet(t(lang, "Thu chua gui duoc", "Not delivered"))
        for col, head in enumerate(failed_mail_headers(lang), 1):
            _put(mail, 1, col, head, bold=True)
        for r, cells in enumerate(failed_mail_rows(report), 2):
            for col, text in enumerate(cells, 1):
                _put(mail, r, col, int(text) if col == 3 else text)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
