"""Many communes side by side: each unit's figures, the province totals and the rankings.

Pure and stdlib-only. The roll-up service has the database count each unit's tasks by the
rules of `engine.progress.compute` (services.rollup._unit_counts; tests/test_rollup_counts.py
holds it equal to each unit's own report), so a unit's line in the province table always
equals the X/Y of its own report.

Rates (both rounded half-up at `precision` decimals, never to 100% or 0% unless all or none):
- completion rate = done / total (the report's "đạt Z%");
- on-time rate = on_time / total: the share of ALL counted tasks that were completed on or
  before their due date ("tỷ lệ nhiệm vụ hoàn thành đúng hạn"), where `on_time` is the
  single-unit report's "đúng hạn" count. Dividing by `total`, not by `done`, keeps a commune
  that finished 1 task on time from outranking one that finished 30 with 1 late.

Ranking is standard competition ranking ("1224"): units with equal rates share the best rank
and the next rank skips, so "xếp thứ 2/4" is true for both tied units. Units without a plan
(total 0) are listed but not ranked. Ties are broken for display only, by unit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from planflow.engine.progress import (
    Figures,
    percent_of,
)

COUNTS = ("total", "done", "on_time", "late", "in_progress", "not_started", "overdue",
          "due_soon", "done_in_period")  # fmt: skip


def freeze(t: Sequence[int], precision: int) -> Figures:
    """Figures from the nine counts in COUNTS order (how the database hands them over)."""
    return Figures(
        total=t[0], done=t[1], on_time=t[2], late=t[3], in_progress=t[4], not_started=t[5],
        overdue=t[6], due_soon=t[7], done_in_period=t[8],
        percent=percent_of(t[1], t[0], precision),
    )  # fmt: skip


def competition_ranks(values: Sequence[Decimal | int | float]) -> list[int]:
    """Standard competition ranks, higher value first: [90, 80, 80, 70] → [1, 2, 2, 4].

    A unit's rank is 1 + the number of units with a strictly higher value, so equal values
    share a rank and the ranks depend only on the values, not on the order given."""
    ordered = sorted(values, reverse=True)
    first: dict[Decimal | int | float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[v] for v in values]


@dataclass(frozen=True)
class UnitLine:
    """One commune's line of the province table."""

    code: str
    name: str
    province: str
    plan_year: int | None  # None: the unit has no plan (not ranked)
    figures: Figures
    on_time_percent: Decimal
    completion_rank: int | None
    on_time_rank: int | None

    @property
    def ranked(self) -> bool:
        return self.completion_rank is not None


@dataclass(frozen=True)
class Totals:
    """The province line: "Toàn tỉnh: hoàn thành X/Y nhiệm vụ, đạt Z%"."""

    units: int
    ranked: int
    total: int
    done: int
    on_time: int
    late: int
    overdue: int
    percent: Decimal
    on_time_percent: Decimal


def rank_units(
    units: Sequence[tuple[str, str, str, int | None, Figures]], precision: int = 1
) -> tuple[list[UnitLine], Totals]:
    """Lines (code, name, province, plan year, figures) → ranked lines and the totals.

    Lines come back ordered by completion rank, then on-time rank, then code; units without
    a plan (year None or no task) come last, unranked."""
    on_time = [percent_of(f.on_time, f.total, precision) for *_, f in units]
    rankable = [i for i, (*_, year, f) in enumerate(units) if year is not None and f.total > 0]
    by_done = competition_ranks([units[i][4].percent for i in rankable])
    by_on_time = competition_ranks([on_time[i] for i in rankable])
    ranks = {i: (by_done[n], by_on_time[n]) for n, i in enumerate(rankable)}
    lines = [
        UnitLine(code, name, province, year, f, on_time[i], *ranks.get(i, (None, None)))
        for i, (code, name, province, year, f) in enumerate(units)
    ]
    big = len(units) + 1
    lines.sort(key=lambda u: (u.completion_rank or big, u.on_time_rank or big, u.code))
    total = sum(f.total for *_, f in units)
    done = sum(f.done for *_, f in units)
    on_time_count = sum(f.on_time for *_, f in units)
    totals = Totals(
        units=len(units),
        ranked=len(rankable),
        total=total,
        done=done,
        on_time=on_time_count,
        late=sum(f.late for *_, f in units),
        overdue=sum(f.overdue for *_, f in units),
        percent=percent_of(done, total, precision),
        on_time_percent=percent_of(on_time_count, total, precision),
    )
    return lines, totals
