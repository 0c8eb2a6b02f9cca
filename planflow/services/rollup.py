"""The province roll-up: every unit's figures, ranked, in a fixed number of queries.

`build_rollup` reads units, the chosen plan of each unit, their tasks and items (and, for a
past day, their events) with one aggregate query each, whatever the number of units: no query
per unit (tests/test_statements.py counts them). Rows are fetched as plain columns, not ORM
objects, because a national roll-up reads ~130,000 tasks. Each unit's figures are then
counted by the engine with the single-unit report's own rules (engine.rollup.unit_figures),
and ranked (engine.rollup.rank_units).

Which plan: the plan of `year` (the period's year with --period) for every unit; without a
year, each unit's newest plan. All units are compared at one precision (1 decimal), whatever
a unit's own `percent_precision`, so the ranking compares like with like.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from planflow import clock
from planflow.engine.periods import CUTOFF, Period, parse_period
from planflow.engine.rollup import Totals, UnitLine, rank_units, unit_figures
from planflow.i18n import tr
from planflow.models import Event, Item, Plan, Task, Unit
from planflow.progress import track

PRECISION = 1


@dataclass(frozen=True)
class Rollup:
    """What the roll-up renderers show."""

    as_of: date
    period: Period | None
    year: int | None
    precision: int
    lines: tuple[UnitLine, ...]
    totals: Totals
    provinces: tuple[str, ...]  # distinct non-empty province names
    basis: str  # "state" or "events"


def _chosen_plans(year: int | None) -> Any:
    """SELECT of (plan id, unit id, year): the plan of `year`, or each unit's newest."""
    if year is not None:
        return select(Plan.id, Plan.unit_id, Plan.year).where(Plan.year == year)
    newer = aliased(Plan)
    newest = (
        select(func.max(newer.year))
        .where(newer.unit_id == Plan.unit_id)
        .correlate(Plan)
        .scalar_subquery()
    )
    return select(Plan.id, Plan.unit_id, Plan.year).where(Plan.year == newest)


def build_rollup(
    session: Session,
    *,
    as_of: date | None = None,
    period: Period | str | None = None,
    year: int | None = None,
    show_progress: bool | None = None,
) -> Rollup:
    """Every unit's plan as of `as_of` (today by default; the period's end with a period).

    `show_progress=False` keeps the terminal bar off (JSON output); None lets
    planflow.progress decide (a bar only when stderr is a terminal)."""
    if isinstance(period, str):
        period = parse_period(period, CUTOFF)
    today = clock.today()
    if period is not None:
        as_of = period.end
        year = year or period.year
    as_of = as_of or today
    replay_events = as_of < today

    conn = session.connection()  # Core rows: no ORM bookkeeping for 130,000 tasks
    units = conn.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.province).order_by(Unit.code)
    ).all()
    plans_query = _chosen_plans(year)
    plans = conn.execute(plans_query).all()
    plan_ids = select(plans_query.subquery().c.id)
    task_rows = conn.execute(
        select(
            Task.id, Task.unit_id, Task.source, Task.status, Task.due_on,
            Task.completed_on, Task.archived_at,
        ).where(col(Task.plan_id).in_(plan_ids))
    ).all()  # fmt: skip
    task_ids = select(Task.id).where(col(Task.plan_id).in_(plan_ids))
    # Labelled as the engine reads an item: status, due, completed_on.
    item_rows = conn.execute(
        select(
            Item.id, Item.task_id, Item.status, Item.due_on.label("due"),  # type: ignore[attr-defined]
            Item.completed_on,
        )
        .where(col(Item.task_id).in_(task_ids))
        .order_by(Item.id)
    ).all()  # fmt: skip

    replayed = None
    created: set[int] = set()
    if replay_events:
        from planflow.engine.history import replay

        events = conn.execute(
            select(
                Event.id, Event.task_id, Event.item_id, Event.action, Event.on,
                Event.to_status, Event.evidence, Event.data,
            )
            .where(col(Event.task_id).in_(task_ids), col(Event.on) <= as_of)
            .order_by(Event.id)
        ).all()  # fmt: skip
        # A task is absent on `as_of` only when its creation was recorded after that day.
        created_all = conn.execute(
            select(Event.task_id).where(col(Event.task_id).in_(task_ids), Event.action == "created")
        ).all()
        created = {r.task_id for r in created_all}
        replayed = replay(events, as_of)

    items_by_task: dict[int, list[Any]] = defaultdict(list)
    for item in item_rows:
        items_by_task[item.task_id].append(item)
    tasks_by_unit: dict[int, list[_Task]] = defaultdict(list)
    for task in task_rows:
        snapshot = _snapshot(task, items_by_task.get(task.id, []), replayed, created)
        if snapshot is not None:
            tasks_by_unit[task.unit_id].append(snapshot)
    year_of = {p.unit_id: p.year for p in plans}

    period_start = period.start if period else None
    lines = []
    label = tr("Tổng hợp các đơn vị", "Rolling up units")
    for unit in track(units, label=label, enabled=show_progress):
        figures, _ad_hoc = unit_figures(
            tasks_by_unit.get(unit.id, ()), as_of, PRECISION, period_start=period_start
        )
        lines.append((unit.code, unit.name, unit.province or "", year_of.get(unit.id), figures))
    ranked, totals = rank_units(lines, PRECISION)
    return Rollup(
        as_of=as_of,
        period=period,
        year=year,
        precision=PRECISION,
        lines=tuple(ranked),
        totals=totals,
        provinces=tuple(sorted({u.province for u in units if u.province})),
        basis="events" if replay_events else "state",
    )


class _Task:
    """A task as `engine.rollup.unit_figures` reads it; lighter than a TaskSnapshot."""

    __slots__ = ("archived", "cancelled", "source", "items", "status", "due", "completed_on")

    def __init__(
        self, task: Any, items: Sequence[Any], cancelled: bool, archived: bool, done_on: Any
    ) -> None:
        self.archived, self.cancelled, self.source = archived, cancelled, task.source
        self.items, self.status, self.due = items, task.status, task.due_on
        self.completed_on = done_on


class _ItemAt:
    __slots__ = ("status", "due", "completed_on")

    def __init__(self, status: str, due: Any, completed_on: Any) -> None:
        self.status, self.due, self.completed_on = status, due, completed_on


def _snapshot(task: Any, items: list[Any], replayed: Any, created: set[int]) -> _Task | None:
    """A task row and its item rows as the engine's input, as stored or as replayed (the
    same choices as services.reports._task_snapshots)."""
    if replayed is None:
        cancelled = task.status == "cancelled"
        return _Task(task, items, cancelled, task.archived_at is not None, task.completed_on)
    at = replayed.tasks.get(task.id)
    if task.id in created and (at is None or not at.exists):
        return None  # not created yet on that day
    states = []
    for i in items:
        past = replayed.item(i.id)
        states.append(_ItemAt(past.status.value, i.due, past.completed_on))
    return _Task(task, states, bool(at and at.cancelled), bool(at and at.archived), None)
