"""The province roll-up: every unit's figures, ranked, in a fixed number of queries.

`build_rollup` runs three queries whatever the number of units (tests/test_statements.py
counts them): the units, the chosen plan of each, and one aggregate that lets the database
count every unit's figures (GROUP BY task, then GROUP BY unit; see `_unit_counts`) by the
single-unit report's own rules, so no task, item or event row travels to Python. A national
roll-up covers 132,000 tasks, 222,000 items and 450,000 events: reading them as rows and
counting in Python took 10 s of CPU and 550 MB for a past day; the aggregate takes ~1.5 s.
The units are then ranked by the engine (engine.rollup.rank_units).

Which plan: the plan of `year` (the period's year with --period) for every unit; without a
year, each unit's newest plan. All units are compared at one precision (1 decimal), whatever
a unit's own `percent_precision`, so the ranking compares like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, literal, null, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from planflow import clock
from planflow.engine.periods import CUTOFF, Period, parse_period
from planflow.engine.progress import DUE_SOON_DAYS
from planflow.engine.rollup import COUNTS, Totals, UnitLine, freeze, rank_units
from planflow.engine.types import Source, Status
from planflow.i18n import tr
from planflow.models import Event, Item, Plan, Task, Unit
from planflow.progressbar import track

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
    planflow.progressbar decide (a bar only when stderr is a terminal)."""
    if isinstance(period, str):
        period = parse_period(period, CUTOFF, clock.today().year)
    today = clock.today()
    if period is not None:
        as_of = min(period.end, today)  # a period still running counts up to today
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
    period_start = period.start if period else None
    counts = {
        row[0]: row[1:]
        for row in conn.execute(
            _unit_counts(conn.dialect.name, plan_ids, as_of, period_start, replay_events)
        )
    }
    year_of = {p.unit_id: p.year for p in plans}

    lines = []
    label = tr("Tổng hợp các đơn vị", "Rolling up units")
    for unit in track(units, label=label, enabled=show_progress):
        figures = freeze(counts.get(unit.id, _NOTHING), PRECISION)
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


_NOTHING = (0,) * len(COUNTS)
_DONE, _IN_PROGRESS, _CANCELLED = (
    Status.DONE.value,
    Status.IN_PROGRESS.value,
    Status.CANCELLED.value,
)


def _unit_counts(
    dialect: str, plan_ids: Any, as_of: date, period_start: date | None, replay_events: bool
) -> Any:
    """One SELECT of (unit id, *COUNTS) over the chosen plans' appendix tasks, GROUP BY unit.

    The database counts by exactly the rules of `engine.progress.compute`: an inner GROUP
    BY task reduces a task's items to the facts those rules read (live items, done items,
    any done late, any done without a day, last completion, any moved, any overdue, any due
    soon), and the outer GROUP BY unit counts the tasks. A task without items counts as its
    own single item, as in the engine.

    For a past day (`replay_events`) the state comes from the event log, with the rules of
    `engine.history.replay`: an item's status is the `to_status` of its last event (by id)
    on or before the day, else not started; its completion day is the event's
    data.completed_on, else the event's day; a task is cancelled (archived) when its last
    cancel/restore (archive/unarchive) event by then is a cancel (archive), and absent
    when its "created" event falls after the day. Only the last event of each item is read,
    not the whole log. tests/test_rollup_counts.py holds all of this equal to each unit's
    own report."""
    task, item = Task.__table__, Item.__table__  # type: ignore[attr-defined]
    ev = Event.__table__  # type: ignore[attr-defined]
    day = literal(as_of, Date)
    no_item = item.c.id.is_(None)
    source = task.join(item, item.c.task_id == task.c.id, isouter=True)
    where = [
        task.c.plan_id.in_(plan_ids),
        task.c.source != Source.AD_HOC.value,  # the appendix figures; ad hoc counted apart
    ]
    if not replay_events:
        status = case((no_item, task.c.status), else_=item.c.status)
        completed = case((no_item, task.c.completed_on), else_=item.c.completed_on)
        where += [task.c.status != _CANCELLED, task.c.archived_at.is_(None)]
    else:
        task_ids = select(task.c.id).where(task.c.plan_id.in_(plan_ids))
        latest = (
            select(ev.c.item_id, func.max(ev.c.id).label("event_id"))
            .where(
                ev.c.task_id.in_(task_ids),
                ev.c.item_id.is_not(None),
                ev.c.to_status.is_not(None),
                ev.c.to_status != "",
                ev.c.on <= day,
            )
            .group_by(ev.c.item_id)
            .subquery("latest")
        )
        last = ev.alias("last_event")
        source = source.join(latest, latest.c.item_id == item.c.id, isouter=True).join(
            last, last.c.id == latest.c.event_id, isouter=True
        )
        status = case(
            (no_item, task.c.status),
            else_=func.coalesce(last.c.to_status, Status.NOT_STARTED.value),
        )
        completed = case(
            (no_item, null()),
            (last.c.to_status == _DONE, func.coalesce(_data_day(dialect, last), last.c.on)),
        )
        flags = _task_flags(ev, task_ids, day)
        cancel, archive = ev.alias("cancel_event"), ev.alias("archive_event")
        source = (
            source.join(flags, flags.c.task_id == task.c.id, isouter=True)
            .join(cancel, cancel.c.id == flags.c.cancel_id, isouter=True)
            .join(archive, archive.c.id == flags.c.archive_id, isouter=True)
        )
        where += [
            or_(flags.c.created_any.is_(None), flags.c.created_any == 0, flags.c.created_by == 1),
            or_(cancel.c.action.is_(None), cancel.c.action != "cancel"),
            or_(archive.c.action.is_(None), archive.c.action != "archive"),
        ]
    due = case((no_item, task.c.due_on), else_=item.c.due_on)
    soon = literal(as_of + timedelta(days=DUE_SOON_DAYS), Date)
    is_done = status == _DONE
    is_open = status.not_in([_DONE, _CANCELLED])

    def anyof(condition: Any) -> Any:
        return func.max(case((condition, 1), else_=0))

    def count(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    per_task = (
        select(
            task.c.unit_id,
            count(status != _CANCELLED).label("live"),
            count(is_done).label("done"),
            anyof(and_(is_done, completed > due)).label("late"),
            anyof(and_(is_done, completed.is_(None))).label("undated"),
            func.max(case((is_done, completed))).label("last"),
            anyof(status.in_([_DONE, _IN_PROGRESS])).label("moved"),
            anyof(and_(is_open, due < day)).label("overdue"),
            anyof(and_(is_open, due >= day, due <= soon)).label("due_soon"),
        )
        .select_from(source)
        .where(*where)
        .group_by(task.c.id, task.c.unit_id)
        .subquery("per_task")
    )
    t = per_task.c
    finished = and_(t.live > 0, t.done == t.live)
    unfinished = t.done < t.live
    in_period = (
        finished
        if period_start is None
        else and_(finished, t.undated == 0, t.last >= literal(period_start, Date))
    )
    return select(
        t.unit_id,
        count(t.live > 0),
        count(finished),
        count(and_(finished, t.late == 0)),
        count(and_(finished, t.late == 1)),
        count(and_(unfinished, t.moved == 1)),
        count(and_(unfinished, t.moved == 0)),
        count(and_(unfinished, t.overdue == 1)),
        count(and_(unfinished, t.due_soon == 1)),
        count(in_period),
    ).group_by(t.unit_id)


def _data_day(dialect: str, event: Any) -> Any:
    """The event's data.completed_on as a date, NULL when absent or empty (history's
    `_completed_on`); planflow writes it as an ISO date string."""
    text = func.nullif(event.c.data["completed_on"].as_string(), "")
    return cast(text, Date) if dialect == "postgresql" else text  # SQLite: ISO text compares


def _task_flags(ev: Any, task_ids: Any, day: Any) -> Any:
    """Per task: whether a "created" event exists at all and by `day`, and the ids of its
    last cancel/restore and archive/unarchive events by `day`."""
    counted = ev.c.on <= day
    return (
        select(
            ev.c.task_id,
            func.max(case((ev.c.action == "created", 1), else_=0)).label("created_any"),
            func.max(case((and_(ev.c.action == "created", counted), 1), else_=0)).label(
                "created_by"
            ),
            func.max(case((and_(ev.c.action.in_(["cancel", "restore"]), counted), ev.c.id))).label(
                "cancel_id"
            ),
            func.max(
                case((and_(ev.c.action.in_(["archive", "unarchive"]), counted), ev.c.id))
            ).label("archive_id"),
        )
        .where(
            ev.c.task_id.in_(task_ids),
            ev.c.action.in_(["created", "cancel", "restore", "archive", "unarchive"]),
        )
        .group_by(ev.c.task_id)
        .subquery("task_flags")
    )
