"""Rebuild past state from the event log alone: the function the reports use for "as of".

Only events whose `on` (the day the change is true from) is on or before `as_of` count, so a
completion recorded late with `--on 25/09` shows in a report as of 30/09 even if it was typed
on 10/10. Among the counting events, the last one by `id` (the order they were recorded)
wins, so a later correction always overrides an earlier entry.

Items: the last event that names an item and a `to_status`. Tasks: whether a "created" event
exists, whether the last cancel/restore was a cancel, whether the last archive/unarchive was an
archive. Items with no counting event are not started.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from planflow.engine.types import Status


class EventLike(Protocol):
    """What replay reads from an event; database rows pass straight in."""

    @property
    def id(self) -> int | None: ...
    @property
    def task_id(self) -> int | None: ...
    @property
    def item_id(self) -> int | None: ...
    @property
    def action(self) -> str: ...
    @property
    def on(self) -> date: ...
    @property
    def to_status(self) -> str | None: ...
    @property
    def evidence(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any] | None: ...


@dataclass(frozen=True)
class ItemAt:
    status: Status
    completed_on: date | None
    evidence: str


@dataclass(frozen=True)
class TaskAt:
    exists: bool
    cancelled: bool
    archived: bool


@dataclass
class Replayed:
    items: dict[int, ItemAt] = field(default_factory=dict)
    tasks: dict[int, TaskAt] = field(default_factory=dict)

    def item(self, item_id: int) -> ItemAt:
        """An item's state; not started when no event names it."""
        return self.items.get(item_id, NOT_STARTED)


NOT_STARTED = ItemAt(Status.NOT_STARTED, None, "")
_CANCEL = {"cancel": True, "restore": False}
_ARCHIVE = {"archive": True, "unarchive": False}


def replay(events: Iterable[EventLike], as_of: date) -> Replayed:
    """The state of every item and task as of the end of `as_of`."""
    counting = sorted((e for e in events if e.on <= as_of), key=lambda e: e.id or 0)
    items: dict[int, ItemAt] = {}
    created: set[int] = set()
    cancelled: dict[int, bool] = {}
    archived: dict[int, bool] = {}
    for event in counting:
        if event.item_id is not None and event.to_status:
            status = Status(event.to_status)
            completed_on = _completed_on(event) if status is Status.DONE else None
            items[event.item_id] = ItemAt(status, completed_on, event.evidence or "")
        if event.task_id is None:
            continue
        if event.action == "created":
            created.add(event.task_id)
        elif event.action in _CANCEL:
            cancelled[event.task_id] = _CANCEL[event.action]
        elif event.action in _ARCHIVE:
            archived[event.task_id] = _ARCHIVE[event.action]
    task_ids = created | cancelled.keys() | archived.keys()
    tasks = {
        tid: TaskAt(tid in created, cancelled.get(tid, False), archived.get(tid, False))
        for tid in task_ids
    }
    return Replayed(items, tasks)


def _completed_on(event: EventLike) -> date:
    value = (event.data or {}).get("completed_on")
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    if isinstance(value, date):
        return value
    return event.on
