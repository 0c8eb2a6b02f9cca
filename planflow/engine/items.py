"""How a task's items (occurrences of a recurring task, parts of a shared one) add up.

One place for the rules the listings, the reports and the stored task status all use: a task
is done when every item is; it is in progress once any item has moved; it is late by the
earliest due date it has missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from planflow.engine.calendar import WorkCalendar
from planflow.engine.types import Status


class ItemLike(Protocol):
    """What these rules need of an item (a database row or an engine snapshot)."""

    period: str
    department: str
    status: Any
    due: Any


def _value(status: Any) -> str:
    return str(getattr(status, "value", status))


def aggregate_status(statuses: Iterable[Any]) -> Status:
    values = [_value(s) for s in statuses]
    if values and all(s == Status.DONE for s in values):
        return Status.DONE
    if any(s in (Status.DONE, Status.IN_PROGRESS) for s in values):
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def task_state(items: Sequence[Any]) -> tuple[Status, date | None, str]:
    """A task's status, completion day and evidence from its items: done when all are, its
    completion the last item's, its evidence every item's, each once."""
    status = aggregate_status(i.status for i in items)
    completed = max((i.completed_on for i in items if i.completed_on), default=None)
    evidence = "; ".join(dict.fromkeys(i.evidence for i in items if i.evidence))
    return status, completed if status == Status.DONE else None, evidence


def count_groups(items: Sequence[Any], key: str) -> tuple[int, int] | None:
    """(done, total) of the items grouped by `key` ("period" or "department"); a group is done
    when all its items are. None when the task has no such groups."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        if _value(item.status) != Status.CANCELLED:
            groups.setdefault(getattr(item, key), []).append(item)
    if not groups or set(groups) == {""}:
        return None
    done = sum(all(_value(i.status) == Status.DONE for i in group) for group in groups.values())
    return done, len(groups)


def counts_label(
    occurrences: tuple[int, int] | None, parts: tuple[int, int] | None, lang: str = "vi"
) -> str:
    """ "1/2 kỳ, 2/3 phòng" — how far a recurring or shared task has come."""
    labels = []
    if occurrences:
        labels.append(f"{occurrences[0]}/{occurrences[1]} " + ("periods" if lang == "en" else "kỳ"))
    if parts:
        labels.append(f"{parts[0]}/{parts[1]} " + ("departments" if lang == "en" else "phòng"))
    return ", ".join(labels)


def missed(dues: Iterable[date | None], today: date) -> list[date]:
    """The due dates of open items already passed: a task is overdue when any is, even
    when no working day has passed since (a Friday deadline, on the Saturday)."""
    return [d for d in dues if d is not None and d < today]


def days_overdue(dues: Iterable[date | None], today: date, calendar: WorkCalendar) -> int:
    """Working days past the earliest missed due date of the open items (0 if none).

    Working days, as the reminders count them: one meaning of "days overdue" everywhere.
    """
    late = missed(dues, today)
    return max(calendar.working_days_between(min(late), today), 0) if late else 0
