"""CSV reader: what Excel's "Save as" writes in Vietnam — UTF-8 (BOM or not), UTF-16 or cp1258.

CSV has no merges: every cell is its own, so nothing is marked as a continuation.
"""

from __future__ import annotations

import codecs
import csv as _csv
import io
from pathlib import Path

from planflow.engine.text import clean
from planflow.importers.grid import Cell, Grid, Row, Table, check_rows
from planflow.importers.sniff import corrupted

DELIMITERS = ",;\t"


def decode(data: bytes) -> str:
    """UTF-16 when it starts with its BOM (Excel's "Unicode Text"), UTF-8 strictly (BOM
    stripped), else Windows-1258, which decodes any byte string."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab that splits the first lines into the most columns."""
    sample = "\n".join(text.splitlines()[:30])
    try:
        return _csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except _csv.Error:
        counts = {d: sample.count(d) for d in DELIMITERS}
        return max(counts, key=lambda d: counts[d])


def read_csv(path: Path) -> Grid:
    text = decode(path.read_bytes())
    delimiter = sniff_delimiter(text)
    rows: list[Row] = []
    try:
        for number, values in enumerate(_csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            check_rows(number, path.name, 1)
            rows.append(Row(number, [Cell(clean(v)) for v in values]))
    except _csv.Error as exc:
        raise corrupted(path, exc) from exc
    return Grid(path.name, [Table(1, rows)])
