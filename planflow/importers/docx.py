"""Word reader: walks the table XML because python-docx's `row.cells` repeats merged cells.

A horizontal merge is `w:gridSpan`, a vertical one `w:vMerge` ("restart" on the first
cell, "continue" below); both become `Cell.continued` in the grid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planflow.engine.text import clean
from planflow.importers.grid import Cell, Grid, Row, Table, check_rows
from planflow.importers.sniff import corrupted


def read_docx(path: Path) -> Grid:
    """Read every top-level table of a .docx with the paragraphs above each one."""
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(str(path))
        body = document.element.body
        children = list(body.iterchildren())
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise corrupted(path, exc) from exc
    grid = Grid(path.name)
    total = 0
    above: list[str] = []  # paragraphs since the last table: a section heading may be there
    for child in children:
        if child.tag == qn("w:p"):
            text = _paragraph_text(child)
            if text:
                above.append(text)
                if not grid.tables:
                    grid.preamble.append(text)
        elif child.tag == qn("w:tbl"):
            rows = child.xpath("./w:tr")
            total += len(rows)
            check_rows(total, path.name, len(grid.tables) + 1)
            table = _table(child, len(grid.tables) + 1)
            table.heading, above = above, []
            grid.tables.append(table)
    return grid


def _table(tbl: Any, index: int) -> Table:
    rows: list[Row] = []
    for number, tr in enumerate(tbl.xpath("./w:tr"), start=1):
        cells: list[Cell] = []
        before = tr.xpath("./w:trPr/w:gridBefore/@w:val")
        cells.extend(Cell("", continued=False) for _ in range(int(before[0]) if before else 0))
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc"):
            span = max(int(tc.grid_span or 1), 1)
            merge = tc.vMerge
            text = "\n".join(
                t for p in tc.xpath("./w:p | ./w:sdt/w:sdtContent/w:p") if (t := _paragraph_text(p))
            )
            continued = merge is not None and merge != "restart"
            cells.append(Cell("" if continued else text, continued=continued, span=span))
            cells.extend(Cell("", continued=True, span=span) for _ in range(span - 1))
        rows.append(Row(number, cells))
    return Table(index, rows)


def _paragraph_text(p: Any) -> str:
    from docx.text.paragraph import Paragraph

    return clean(Paragraph(p, None).text)
