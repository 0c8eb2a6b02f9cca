"""Domain vocabulary shared by every engine module (names from GLOSSARY.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Role(StrEnum):
    HEAD = "head"
    STAFF = "staff"
    COORDINATOR = "coordinator"
    CHAIRMAN = "chairman"
    ADMIN = "admin"


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    RECURRING = "recurring"
    UNSCHEDULED = "unscheduled"
    UNPARSED = "unparsed"


class Recurrence(StrEnum):
    """How often a recurring ("Thường xuyên") task is due; a per-plan setting."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"  # only in plans that span years: one occurrence a year


class Source(StrEnum):
    APPENDIX = "appendix"
    AD_HOC = "ad_hoc"


@dataclass(frozen=True)
class Occurrence:
    """One period of a recurring deadline; `period` is the key users type (Q3, M07, H2)."""

    period: str
    start: date
    due: date


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase as planflow reads it. `due` is the end of the period, before the
    working-day rule moves it (see calendar.effective_due)."""

    text: str
    kind: DeadlineKind
    start: date | None = None
    due: date | None = None
    occurrences: tuple[Occurrence, ...] = field(default=())
    recurrence: Recurrence | None = None

    @property
    def flagged(self) -> bool:
        """True when the phrase could not be read and needs a human look."""
        return self.kind is DeadlineKind.UNPARSED
