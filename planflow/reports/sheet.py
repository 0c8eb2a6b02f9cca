"""Excel: the Phụ lục 1B table and the figures, for the province's spreadsheets.

The workbook is meant to be printed and re-used, so it carries what a clerk would otherwise
fix by hand: Times New Roman throughout (the workbook's Normal style, not only the cells
written here), a bordered grid with a bold shaded header row repeated on every printed page,
A4 landscape fitted to the page width, dates as real date cells (dd/mm/yyyy) and rates as
percentage cells holding the very value the report states ("đạt 85,7%" is 0.857 shown
"0.0%", rounded by the unit's own precision and half-up/truncate setting, never re-rounded
by Excel). The summary sheet has a native bar chart of done against open tasks per section.

Every cell is written as a value, never a formula: text that starts with = + - @ (an
evidence note such as "=cmd|…") is stored as a string cell, so opening the file cannot run
anything (CSV/formula injection); user text is never turned into a number or a date either
(a document number "0123" keeps its zero), and text cells carry the "@" (Text) format so
editing them in Excel keeps them text.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from planflow.reports.rows import figure_headers, groups, headers, t, table_rows, title_line

if TYPE_CHECKING:
    from openpyxl import Workbook

    from planflow.engine.progress import TaskRow
    from planflow.services.reports import Report

FONT = "Times New Roman"
FONT_PT = 12
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
HEADER_FILL = "DDEBF7"  # a light blue that still prints legibly in greyscale
LINE_PT = 16  # the height of one wrapped line of 12 pt text, for rows Excel cannot auto-fit

_RISKY = ("=", "+", "-", "@")
# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE), plus lone surrogates.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name

APPENDIX_WIDTHS = (6, 50, 24, 18, 12, 18, 13, 16, 40)
MAIL_WIDTHS = (30, 50, 10, 50, 12)


def _xml_text(value: str) -> str:
    """`value` as XML 1.0 can hold it: a vertical tab (Word's manual line break) or a form
    feed becomes a line break, other control characters are dropped. openpyxl raises
    IllegalCharacterError on them, and one pasted evidence line would stop the report."""
    value = value.replace("\v", "\n").replace("\f", "\n")
    return _ILLEGAL.sub("", value)


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _BAD_TITLE.sub("-", text)[:31]


def percent_value(rate: Decimal) -> float:
    """The rate as the fraction a percentage cell holds: the report's rounded 85.7 → 0.857,
    so Excel shows exactly the unit-rounded figure the text states."""
    return float(rate.scaleb(-2))


def percent_format(precision: int) -> str:
    """ "0%" or "0.0%", "0.00%"…: as many decimals as the unit reports."""
    return "0." + "0" * precision + "%" if precision > 0 else "0%"


def new_workbook() -> Workbook:
    """An empty workbook whose default font is Times New Roman.

    openpyxl starts from Calibri in font slot 0, which every unstyled cell (and anything a
    user types into the file later) uses; replacing that slot and the Normal style's font
    makes the whole workbook Times New Roman, as administrative documents are."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    wb = Workbook()
    base = Font(name=FONT, size=FONT_PT)
    wb._fonts = IndexedList([base])
    wb._named_styles["Normal"].font = base
    return wb


def put(
    ws: Any, row: int, col: int, value: Any, bold: bool = False, number_format: str | None = None
) -> Any:
    """Write one cell as a value (never a formula), in Times New Roman, wrapped, top-aligned.

    Text stays text (data type "s", Text format); a date gets the dd/mm/yyyy format."""
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = _xml_text(value)
        cell.value = value
        if value.startswith(_RISKY):
            cell.data_type = "s"  # a string cell, never a formula
        cell.number_format = TEXT_FORMAT
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
    if number_format is not None:
        cell.number_format = number_format
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = Font(name=FONT, size=FONT_PT, bold=bold)
    return cell


def grid(ws: Any, top: int, bottom: int, cols: int, header_rows: Sequence[int] = ()) -> None:
    """Thin borders on every cell from `top` to `bottom` (empty ones too, so the printed
    grid has no gaps); `header_rows` bold on the light fill, centred."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for r in range(top, bottom + 1):
        for c in range(1, cols + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = border
            if r in header_rows:
                cell.font = Font(name=FONT, size=FONT_PT, bold=True)
                cell.fill = fill
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
            elif cell.value is None:
                cell.font = Font(name=FONT, size=FONT_PT)


def print_setup(ws: Any, title_rows: str) -> None:
    """A4 landscape, fitted to one page wide (as long as it needs), `title_rows` ("4:4")
    repeated at the top of every page, margins as the province's forms use."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True


def heading(ws: Any, row: int, text: str, widths: Sequence[float], bold: bool = False) -> None:
    """A line above the table, merged across it; its height set by hand, since Excel does
    not grow merged rows to fit their text."""
    from openpyxl.utils import get_column_letter

    put(ws, row, 1, text, bold=bold)
    ws.merge_cells(f"A{row}:{get_column_letter(len(widths))}{row}")
    per_line = sum(widths) * 1.1  # characters a line of the merged cell holds, roughly
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    ws.row_dimensions[row].height = LINE_PT * lines


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def in_table_order(report: Report) -> list[TaskRow]:
    """The tasks in the order `table_rows` lists them (appendix, then ad hoc), so each
    table row can be paired with its dates."""
    rows = report.progress.rows
    return [r for r in rows if r.source != "ad_hoc"] + [r for r in rows if r.source == "ad_hoc"]


def appendix_headers(lang: str) -> list[str]:
    """The shared headers with a due-date column after the deadline: the deadline keeps the
    plan's words ("Quý III/2025"), the new column the date they mean, as a date cell."""
    heads = headers(lang)
    return [*heads[:4], t(lang, "Ngày đến hạn", "Due date"), *heads[4:]]


def _appendix(wb: Workbook, report: Report, lang: str) -> None:
    from planflow.services.reports import summary_sentence

    ws = wb.active
    ws.title = sheet_title(t(lang, "Phụ lục 1B", "Appendix 1B"))
    heads = appendix_headers(lang)
    heading(ws, 1, title_line(report, lang), APPENDIX_WIDTHS, bold=True)
    heading(ws, 2, summary_sentence(report, lang), APPENDIX_WIDTHS)
    for col, head in enumerate(heads, 1):
        put(ws, 4, col, head, bold=True)
    tasks = iter(in_table_order(report))
    r = 5
    for row in table_rows(report, lang):
        if row.section:
            put(ws, r, 2, row.cells[1], bold=True)
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(heads))
        else:
            task = next(tasks)
            number, text, leads, _, state, _, timeliness, evidence = row.cells
            values: list[Any] = [
                int(number), text, leads, task.deadline_text, task.due, state, task.completed_on,
                timeliness, evidence,
            ]  # fmt: skip
            for col, value in enumerate(values, 1):
                put(ws, r, col, value)
        r += 1
    assert next(tasks, None) is None, "table_rows and the task list disagree"
    grid(ws, 4, r - 1, len(heads), header_rows=(4,))
    set_widths(ws, APPENDIX_WIDTHS)
    ws.freeze_panes = "A5"
    print_setup(ws, "4:4")


def _summary(wb: Workbook, report: Report, lang: str) -> None:
    p = report.progress
    ws = wb.create_sheet(sheet_title(t(lang, "Tổng hợp", "Summary")))
    rate = percent_format(p.precision)
    f = p.figures
    total = [f.total, f.done, percent_value(f.percent), f.on_time, f.late,
             f.in_progress, f.not_started, f.overdue]  # fmt: skip
    cols = len(total) + 1
    r = 1
    section_rows = (0, 0)
    for by in ("section", "dept"):
        top = r
        for col, head in enumerate(figure_headers(by, lang), 1):
            put(ws, r, col, head, bold=True)
        r += 1
        for name, g in groups(report, by, lang):
            values = [name, g.total, g.done, percent_value(g.percent), g.on_time, g.late,
                      g.in_progress, g.not_started, g.overdue]  # fmt: skip
            for col, value in enumerate(values, 1):
                put(ws, r, col, value, number_format=rate if col == 4 else None)
            r += 1
        if by == "section":
            section_rows = (top + 1, r - 1)
        # Each block's total under it. Sections add up to the plan; departments may add
        # up to more (a task with several leads counts in each), so their total says so.
        label = (
            t(lang, "Tổng", "Total")
            if by == "section"
            else t(lang, "Tổng (mỗi nhiệm vụ tính một lần)", "Total (each task counted once)")
        )
        put(ws, r, 1, label, bold=True)
        for col, value in enumerate(total, 2):
            put(ws, r, col, value, bold=True, number_format=rate if col == 4 else None)
        grid(ws, top, r, cols, header_rows=(top,))
        r += 2
    set_widths(ws, (50, *[12] * (cols - 1)))
    print_setup(ws, "1:1")
    first, last = section_rows
    if last >= first:
        from openpyxl.utils import get_column_letter

        ws.add_chart(_chart(ws, first, last, lang), f"{get_column_letter(cols + 2)}1")


def _chart(ws: Any, first: int, last: int, lang: str) -> Any:
    """Done, in progress and not started per section, stacked, so each bar is the section's
    tasks and its filled part the done ones; it reads the summary's cells (columns C, G, H),
    so the chart follows any correction typed into the table."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties

    chart = BarChart()
    chart.type = "bar"  # horizontal bars: the section names are long
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = t(lang, "Tiến độ theo lĩnh vực", "Progress by section")
    chart.y_axis.title = t(lang, "Số nhiệm vụ", "Tasks")
    for col in (3, 7, 8):  # Hoàn thành, Đang thực hiện, Chưa thực hiện (header in row first-1)
        chart.add_data(Reference(ws, min_col=col, min_row=first - 1, max_row=last),
                       titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # first section on top, as in the table
    chart.y_axis.crosses = "max"  # ...and the value axis still along the bottom
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorUnit = 1 if last - first < 10 else None
    text = RichText(
        p=[
            Paragraph(
                pPr=ParagraphProperties(defRPr=CharacterProperties(latin=Font(typeface=FONT))),
                endParaRPr=CharacterProperties(latin=Font(typeface=FONT)),
            )
        ]  # fmt: skip
    )
    for part in (chart.x_axis, chart.y_axis, chart.legend):
        part.txPr = text
    chart.width, chart.height = 18, max(7.5, 1.2 * (last - first + 1) + 3)
    return chart


def _failed_mail(wb: Workbook, report: Report, lang: str) -> None:
    from planflow.reports.rows import failed_mail_headers

    ws = wb.create_sheet(sheet_title(t(lang, "Thư chưa gửi được", "Not delivered")))
    heads = failed_mail_headers(lang)
    for col, head in enumerate(heads, 1):
        put(ws, 1, col, head, bold=True)
    r = 1
    for r, m in enumerate(report.failed_mail, 2):
        for col, value in enumerate((m.recipient, m.subject, m.attempts, m.last_error, m.day), 1):
            put(ws, r, col, value)
    grid(ws, 1, r, len(heads), header_rows=(1,))
    set_widths(ws, MAIL_WIDTHS)
    ws.freeze_panes = "A2"
    print_setup(ws, "1:1")


def render(report: Report, lang: str = "vi") -> bytes:
    wb = new_workbook()
    _appendix(wb, report, lang)
    _summary(wb, report, lang)
    if report.failed_mail:
        _failed_mail(wb, report, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
