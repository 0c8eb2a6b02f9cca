"""Excel reader: merged ranges become continuations; real date cells read as the plan writes them.

openpyxl must load the full workbook (not read-only) to see merged ranges; the 50 MB cap
checked before opening bounds that.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from planflow.engine.deadlines import excel_date_text
from planflow.engine.text import clean
from planflow.errors import ImportError_
from planflow.importers.grid import Cell, Grid, Row, Table, check_rows
from planflow.importers.headers import Header, find_header
from planflow.importers.sniff import corrupted


def read_xlsx(path: Path) -> Grid:
    """The first sheet that has a header row (else the first sheet), as one table."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(str(path), read_only=False, data_only=True)
    except Exception as exc:  # zip, XML and key errors from a damaged workbook
        raise corrupted(path, exc) from exc
    try:
        tables = [
            _sheet(sheet, index, path.name)
            for index, sheet in enumerate(workbook.worksheets, start=1)
        ]
        chosen = next((t for t in tables if _has_header(t)), tables[0] if tables else None)
        if chosen is not None:
            _refuse_uncomputed(path, workbook.worksheets[chosen.index - 1])
    finally:
        workbook.close()
    grid = Grid(path.name)
    if chosen is not None:
        grid.tables.append(chosen)
    return grid


def _refuse_uncomputed(path: Path, values: Any) -> None:
    """Refuse a formula cell that has no computed value, naming it. A workbook written by a
    program (openpyxl, a script) rather than saved by Excel holds formulas without their
    results; read as values they would be silently empty deadlines or departments."""
    from openpyxl import load_workbook

    try:
        formulas = load_workbook(str(path), read_only=True, data_only=False)
    except Exception as exc:  # the same damaged-file cases as the first load
        raise corrupted(path, exc) from exc
    try:
        sheet = formulas[values.title]
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) != "f":
                    continue
                value = values.cell(row=cell.row, column=cell.column).value
                if value is None:
                    raise ImportError_(
                        f"trang '{values.title}', ô {cell.coordinate}: công thức {cell.value}"
                        " chưa có giá trị tính sẵn; mở tệp bằng Excel, lưu lại rồi nhập lại",
                        f"sheet '{values.title}', cell {cell.coordinate}: the formula"
                        f" {cell.value} has no computed value; open the file in Excel, save it"
                        " and import it again",
                        file=path.name,
                    )
    finally:
        formulas.close()


def _has_header(table: Table) -> bool:
    return isinstance(find_header(table), Header)


def _sheet(sheet: Any, index: int, file: str) -> Table:
    cells: dict[tuple[int, int], Any] = {
        key: cell for key, cell in sheet._cells.items() if cell.value not in (None, "")
    }
    last_row = max((r for r, _ in cells), default=0)
    last_col = max((c for _, c in cells), default=0)
    check_rows(len({r for r, _ in cells}), file, index)
    covered: dict[tuple[int, int], int] = {}
    spans: dict[tuple[int, int], int] = {}
    for merged in sheet.merged_cells.ranges:
        width = merged.max_col - merged.min_col + 1
        spans[(merged.min_row, merged.min_col)] = width
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered[(r, c)] = width
    rows: list[Row] = []
    for r in range(1, last_row + 1):
        row = []
        for c in range(1, last_col + 1):
            if (r, c) in covered:
                row.append(Cell("", continued=True, span=covered[(r, c)]))
            else:
                cell = cells.get((r, c))
                text = _text(cell.value, cell.number_format) if cell is not None else ""
                row.append(Cell(text, span=spans.get((r, c), 1)))
        rows.append(Row(r, row))
    return Table(index, rows, name=str(sheet.title))


def _text(value: Any, number_format: str = "General") -> str:
    """Cell value as the appendix writes it: a date cell as its number format shows it (a
    `mm/yyyy` cell is a month, "Tháng 06/2025"; a `dd/mm/yyyy` cell "Ngày 03/06/2025"),
    1.0 as "1"."""
    if isinstance(value, dt.datetime | dt.date):
        text = excel_date_text(value, number_format)
        return f"Ngày {text}" if text[:1].isdigit() else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.time | dt.timedelta):
        return ""
    return clean(str(value))
