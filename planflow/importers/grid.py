"""A neutral table model that every reader produces, so one parser serves every format.

Word, Excel, PDF and CSV disagree on how merged cells look; each reader turns its own
notion into `Cell.continued` (this position is covered by a merge that started above or
to the left) and the appendix parser never needs to know which format it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planflow.errors import ImportError_

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000


@dataclass
class Cell:
    text: str
    continued: bool = False  # covered by a merge started above or to the left
    span: int = 1  # columns this cell covers (horizontal merge), when the format knows it


@dataclass
class Row:
    number: int  # the source's own row number (1-based), for messages
    cells: list[Cell]

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table:
    index: int  # 1-based position in the file (a sheet, a Word table, a PDF page's table)
    rows: list[Row]
    name: str = ""  # sheet name or "trang 3" (page 3); informative only
    heading: list[str] = field(default_factory=list)  # paragraphs right above it (Word)


@dataclass
class Grid:
    """What a reader found: tables plus the text above them (title block, for the year)."""

    file: str
    tables: list[Table] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA": the way Excel (and users) name columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def check_rows(count: int, file: str, table: int | None = None) -> None:
    """Refuse before building a huge grid: an appendix has tens of rows, not tens of thousands."""
    if count > MAX_ROWS:
        raise ImportError_(
            f"bảng có {count:,} dòng, vượt giới hạn {MAX_ROWS:,} dòng".replace(",", "."),
            f"the table has {count:,} rows, over the {MAX_ROWS:,}-row limit",
            file=file,
            table=table,
        )
