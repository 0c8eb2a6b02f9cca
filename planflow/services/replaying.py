"""What stood on day D, for every reading command: the stored rows overlaid with the log.

The stored status of a task is its state now. A command run `--as-of D` (or with
PLANFLOW_TODAY=D) must instead show what the event log held on D: statuses, completion days
and evidence as of D, tasks added later absent, tasks archived later still present. The
overlay is needed only when the log holds something after D, so today's commands pay one
small query and nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import func
from sqlmodel import Session, col, select

from planflow.engine.items import task_state
from planflow.engine.types import Status
from planflow.models import Event, Item, Task


def needs_replay(session: Session, unit_id: int, day: date) -> bool:
    """Does the unit's log hold a task's event dated after `day`? Then stored rows are too
    new. Events of no task (people, departments, refusals to act as someone) change no
    task row."""
    last = session.exec(
        select(func.max(Event.on)).where(Event.unit_id == unit_id, col(Event.task_id).is_not(None))
    ).one()
    return last is not None and last > day


def units_to_replay(session: Session, day: date) -> set[int]:
    """`needs_replay` for every unit at once: the units whose log holds a task's event
    dated after `day` (the all-units sweep asks once, not per unit)."""
    query = select(Event.unit_id).where(Event.on > day, col(Event.task_id).is_not(None))
    return {u for u in session.exec(query.distinct()).all() if u is not None}


def as_of_day(
    session: Session, tasks: Sequence[Task], items: dict[int, list[Item]], day: date
) -> list[Task]:
    """`tasks` and their `items` as they stood at the end of `day`, in the same order.

    The rows are detached from the session before they are changed, so nothing written
    here can reach the database, whatever the caller does with the session afterwards."""
    from planflow.engine.history import replay

    ids = [t.id for t in tasks if t.id is not None]
    if not ids:
        return []
    events = session.exec(
        select(Event).where(col(Event.task_id).in_(ids)).order_by(col(Event.id))
    ).all()
    created = {e.task_id for e in events if e.action == "created" and e.task_id is not None}
    replayed = replay(events, day)
    for task in tasks:
        session.expunge(task)
    for rows in items.values():
        for item in rows:
            session.expunge(item)
    out: list[Task] = []
    for task in tasks:
        assert task.id is not None
        at = replayed.tasks.get(task.id)
        if task.id in created and (at is None or not at.exists):
            continue  # added after that day
        if not (at and at.archived):
            task.archived_at = None  # archived later, or never
        elif task.archived_at is None:
            task.archived_at = datetime.combine(day, time(), UTC)
        for item in items.get(task.id, []):
            assert item.id is not None
            past = replayed.item(item.id)
            item.status = past.status.value
            item.completed_on = past.completed_on
            item.evidence = past.evidence
        status, task.completed_on, task.evidence = task_state(items.get(task.id, []))
        cancelled = at is not None and at.cancelled
        task.status = Status.CANCELLED.value if cancelled else status.value
        if cancelled:
            task.completed_on = None
        out.append(task)
    return out
