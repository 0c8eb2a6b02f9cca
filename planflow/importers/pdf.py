"""PDF reader for text PDFs (LibreOffice/Word exports of the appendix), not scans.

pdfplumber's `extract_tables` gives None for a position covered by a merged cell. A merged
cell cut by a page break has no bottom border, so pdfplumber finds no cell there at all:
those "orphan" positions are read from the words inside them. Lines inside a cell are
wraps, so cell text is unwrapped (keeping breaks before list items).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planflow.engine.text import clean, unwrap
from planflow.errors import ImportError_
from planflow.importers.grid import Cell, Grid, Row, Table, check_rows
from planflow.importers.sniff import corrupted, protected

BBox = tuple[float, float, float, float]


def read_pdf(path: Path) -> Grid:
    """Every table on every page, in order; the text above the first one is the title block."""
    import pdfplumber

    grid = Grid(path.name)
    total = 0
    has_text = False
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page_number, page in enumerate(pdf.pages, start=1):
                if page.chars:
                    has_text = True
                for found in page.find_tables():
                    table = _table(page, found, len(grid.tables) + 1, page_number)
                    if not grid.tables:
                        top = max(float(found.bbox[1]), 0.0)
                        if top > 0:
                            above = page.crop((0, 0, page.width, top)).extract_text() or ""
                            grid.preamble.extend(clean(above).split("\n"))
                    total += len(table.rows)
                    check_rows(total, path.name, table.index)
                    grid.tables.append(table)
                page.flush_cache()
    except ImportError_:
        raise
    except Exception as exc:  # pdfminer raises its own tree, plus struct/zlib/key errors
        if _is_password(exc):
            raise protected(path) from exc
        raise corrupted(path, exc) from exc
    if not has_text:
        raise ImportError_(
            "tệp PDF không có lớp chữ (bản quét/ảnh); hãy dùng bản Word, Excel hoặc PDF xuất "
            "từ Word/Excel",
            "the PDF has no text layer (a scan or image); use the Word or Excel file, or a PDF "
            "exported from them",
            file=path.name,
        )
    return grid


def _is_password(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        name = type(exc).__name__
        if "Password" in name or "Encryption" in name:
            return True
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = exc.__cause__ or exc.__context__ or inner
        seen += 1
    return False


def _table(page: Any, found: Any, index: int, page_number: int) -> Table:
    texts: list[list[str | None]] = found.extract()
    boxes: list[list[BBox | None]] = [list(row.cells) for row in found.rows]
    width = max((len(r) for r in boxes), default=0)
    columns = _columns(boxes, width)
    covered: list[BBox] = list(found.cells)
    rows: list[Row] = []
    orphan: dict[int, int] = {}  # column → index of the row whose orphan cell is open
    for r, (row_texts, row_boxes) in enumerate(zip(texts, boxes, strict=True)):
        top, bottom = _row_span(row_boxes)
        cells: list[Cell] = []
        for c in range(width):
            text = row_texts[c] if c < len(row_texts) else None
            box = row_boxes[c] if c < len(row_boxes) else None
            if box is not None:
                orphan.pop(c, None)
                cells.append(Cell(unwrap(text or ""), span=_span(box, columns)))
                continue
            x0, x1 = columns[c]
            xc, yc = (x0 + x1) / 2, (top + bottom) / 2
            if any(b[0] <= xc <= b[2] and b[1] <= yc <= b[3] for b in covered) or c in orphan:
                cells.append(Cell("", continued=True))
                continue
            # No cell was found here: a merged cell cut by the page break. Its text is
            # whatever lies in this column from here down to the table's bottom.
            orphan[c] = r
            region = page.crop((x0, top, x1, float(found.bbox[3])))
            cells.append(Cell(unwrap(region.extract_text() or "")))
        rows.append(Row(r + 1, cells))
    return Table(index, rows, name=f"trang {page_number}")


def _columns(boxes: list[list[BBox | None]], width: int) -> list[tuple[float, float]]:
    """Each column's x-range, from the rows where that column has a cell of its own."""
    columns: list[tuple[float, float]] = []
    for c in range(width):
        spans = [
            (b[0], b[2])
            for row in boxes
            if c < len(row) and (b := row[c]) is not None and _alone(row, c)
        ]
        columns.append(min(spans, key=lambda s: s[1] - s[0]) if spans else (0.0, 0.0))
    return columns


def _alone(row: list[BBox | None], c: int) -> bool:
    return c + 1 >= len(row) or row[c + 1] is not None


def _row_span(row: list[BBox | None]) -> tuple[float, float]:
    cells = [b for b in row if b is not None]
    if not cells:
        return 0.0, 0.0
    return min(b[1] for b in cells), min(b[3] for b in cells)


def _span(box: BBox, columns: list[tuple[float, float]]) -> int:
    return max(1, sum(1 for x0, x1 in columns if box[0] - 1 <= x0 and x1 <= box[2] + 1))
