"""Errors a user can cause, as a small tree; anything else is a bug.

    PlanflowError                    one line on stderr, exit code 1 (2 for usage)
    ├── UsageError                   a bad argument, date or option
    ├── NotFound                     unknown task code, unit, department, person, snapshot
    ├── ConfigError                  missing or inconsistent configuration
    ├── ImportError_                 a plan file that cannot be imported (file, table, row, column)
    ├── TransitionError              a move the state table does not allow
    ├── PermissionDenied             the actor may not do this (names who may)
    └── ConflictError                someone else changed the same record first

Messages are Vietnamese by default; each error carries both texts so `--lang en` works.
"""

from __future__ import annotations


class PlanflowError(Exception):
    exit_code = 1
    http_status = 400  # what the web edge answers; the CLI's exit_code, for a browser

    def __init__(self, vi: str, en: str | None = None) -> None:
        super().__init__(vi)
        self.vi = vi
        self.en = en or vi

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class UsageError(PlanflowError):
    exit_code = 2


class NotFound(PlanflowError):
    http_status = 404


class ConfigError(PlanflowError):
    pass


class ImportError_(PlanflowError):  # noqa: N801 - the builtin name is taken
    """A plan document that cannot be imported; carries where the problem is."""

    def __init__(
        self,
        vi: str,
        en: str | None = None,
        *,
        file: str | None = None,
        table: int | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.table, self.row, self.column = file, table, row, column
        where_vi = _where(file, table, row, column, ("bảng", "dòng", "cột"))
        where_en = _where(file, table, row, column, ("table", "row", "column"))
        super().__init__(f"{where_vi}{vi}", f"{where_en}{en or vi}")


def _where(
    file: str | None, table: int | None, row: int | None, column: str | None, words: tuple[str, ...]
) -> str:
    parts = [file] if file else []
    for word, value in zip(words, (table, row, column), strict=True):
        if value is not None:
            parts.append(f"{word} {value}")
    return (", ".join(parts) + ": ") if parts else ""


class TransitionError(PlanflowError):
    pass


class PermissionDenied(PlanflowError):
    http_status = 403


class ConflictError(PlanflowError):
    http_status = 409
