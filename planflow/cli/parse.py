"""Argument parsing shared by commands: user mistakes become UsageError, never tracebacks."""

from __future__ import annotations

from pathlib import Path

from planflow.errors import UsageError


def check_output(path: Path, option: str = "-o") -> None:
    """Refuse an output path that cannot be written before any work is done: a folder that
    does not exist (a typo, or a USB stick not mounted) or a folder given as the file."""
    if path.is_dir():
        raise UsageError(
            f"{option} {path}: đây là thư mục; cần tên tệp, ví dụ {path / 'bao-cao.docx'}",
            f"{option} {path}: this is a folder; expected a file name, e.g. {path / 'report.docx'}",
        )
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(
            f"{option} {path}: không có thư mục {folder}; tạo thư mục trước hoặc chọn thư mục khác",
            f"{option} {path}: the folder {folder} does not exist; create it first or choose "
            "another folder",
        )


def check_year(year: int | None, option: str = "--year") -> None:
    """A plan year outside the engine's range is a typo (99999, 225), refused as one."""
    from planflow.engine.plandoc import MAX_YEAR, MIN_YEAR, year_in_range

    if year is not None and not year_in_range(year):
        raise UsageError(
            f"{option} {year}: cần năm từ {MIN_YEAR} đến {MAX_YEAR}",
            f"{option} {year}: expected a year from {MIN_YEAR} to {MAX_YEAR}",
        )
