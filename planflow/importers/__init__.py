"""Read the plan's appendix as the coordinator holds it (Word, Excel, PDF, CSV) into a PlanDoc.

    read_document(path, year=None, columns=None) -> PlanDoc
    read_document_with_warnings(path, year=None, columns=None) -> ReadResult(doc, warnings)

Each reader turns its format into a neutral grid (grid.py); appendix.py builds the plan
from the grid. Heavy libraries are imported inside the readers so the CLI starts fast.
Everything a user can get wrong ends as `planflow.errors.ImportError_`, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from planflow.engine.plandoc import PlanDoc
from planflow.errors import ImportError_
from planflow.importers.appendix import ReadResult, parse_grid
from planflow.importers.grid import MAX_BYTES, Grid

__all__ = [
    "ReadResult",
    "SUFFIXES",
    "is_plan_file",
    "read_document",
    "read_document_with_warnings",
    "read_grid",
]

SUFFIXES = (".docx", ".xlsx", ".pdf", ".csv")
PLAN_FILES = (".yaml", ".yml", ".toml")


def is_plan_file(path: Path | str) -> bool:
    """A plan file carries the plan's settings; an appendix only its task table."""
    return Path(path).suffix.lower() in PLAN_FILES


def read_document(
    path: Path | str, *, year: int | None = None, columns: str | None = None
) -> PlanDoc:
    """The plan in `path`; `year` overrides the year read from the title, `columns`
    ("task=B,lead=C,deadline=E") maps columns the header rules do not know."""
    return read_document_with_warnings(path, year=year, columns=columns).doc


def read_document_with_warnings(
    path: Path | str, *, year: int | None = None, columns: str | None = None
) -> ReadResult:
    """Like `read_document`, plus the rows that were skipped or renumbered and why."""
    from planflow.importers.headers import parse_columns

    path = Path(path)
    _check_year(year, ("--year", "--year"), path)
    if path.suffix.lower() in PLAN_FILES:
        _check_file(path)
        from planflow.planfile import load_plan

        doc: PlanDoc = load_plan(path)
        if year is not None:
            doc.year = year
        result = ReadResult(doc)
    else:
        mapping = parse_columns(columns) if columns else None
        result = parse_grid(read_grid(path), year=year, columns=mapping)
    _check_year(result.doc.year, ("năm kế hoạch", "plan year"), path)
    return result


def _check_year(year: int | None, what: tuple[str, str], path: Path) -> None:
    """A plan year outside MIN_YEAR…MAX_YEAR is a typo: refused before dates are built."""
    from planflow.engine.plandoc import MAX_YEAR, MIN_YEAR, year_in_range

    if year is not None and not year_in_range(year):
        raise ImportError_(
            f"{what[0]} {year} không hợp lệ: cần năm từ {MIN_YEAR} đến {MAX_YEAR}",
            f"{what[1]} {year} is invalid: expected a year from {MIN_YEAR} to {MAX_YEAR}",
            file=path.name,
        )


def read_grid(path: Path | str) -> Grid:
    """The file's tables as a neutral grid, after the checks every format shares."""
    from planflow.importers.sniff import check_magic

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportError_(
            f"không đọc được tệp {suffix or '(không có đuôi)'}; "
            "chỉ nhận .docx, .xlsx, .pdf, .csv hoặc tệp kế hoạch .yaml/.toml",
            f"cannot read {suffix or '(no extension)'} files; "
            "expected .docx, .xlsx, .pdf, .csv or a .yaml/.toml plan file",
            file=path.name,
        )
    _check_file(path)
    check_magic(path)
    if suffix == ".docx":
        from planflow.importers.docx import read_docx

        return read_docx(path)
    if suffix == ".xlsx":
        from planflow.importers.xlsx import read_xlsx

        return read_xlsx(path)
    if suffix == ".pdf":
        from planflow.importers.pdf import read_pdf

        return read_pdf(path)
    from planflow.importers.csv import read_csv

    return read_csv(path)


def _check_file(path: Path) -> None:
    """Exists, is a file, and is small enough to open (checked before any library sees it)."""
    if not path.is_file():
        raise ImportError_(
            "không tìm thấy tệp" if not path.exists() else "đây là thư mục, không phải tệp",
            "file not found" if not path.exists() else "this is a folder, not a file",
            file=str(path),
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportError_(
            f"tệp quá lớn ({size / 1024 / 1024:.1f} MB, tối đa {MAX_BYTES // 1024 // 1024} MB)",
            f"the file is too large ({size / 1024 / 1024:.1f} MB, at most "
            f"{MAX_BYTES // 1024 // 1024} MB)",
            file=path.name,
        )
