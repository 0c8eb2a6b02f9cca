"""Replaying the event log rebuilds the past: statuses, completion days, cancel/archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planflow.engine.history import ItemAt, TaskAt, replay
from planflow.engine.types import Status


@dataclass
class Ev:
    id: int
    task_id: int | None
    item_id: int | None
    action: str
    on: date
    to_status: str | None = None
    evidence: str = ""
    data: dict[str, Any] | None = field(default_factory=dict)


D = date
LOG = [
    Ev(1, 1, None, "created", D(2025, 1, 1), "not_started"),
    Ev(2, 2, None, "created", D(2025, 1, 1), "not_started"),
    Ev(3, 1, 11, "start", D(2025, 3, 10), "in_progress"),
    Ev(
        4, 1, 11, "complete", D(2025, 4, 2), "done", "QĐ 75/QĐ-UBND", {"completed_on": "2025-04-02"}
    ),
    Ev(5, 2, None, "cancel", D(2025, 5, 5), "cancelled"),
    Ev(6, 1, 11, "reopen", D(2025, 6, 1), "in_progress"),
    Ev(7, 1, 11, "note", D(2025, 6, 2)),
    # recorded on 10/10 but true from 25/09: it counts as of 30/09
    Ev(8, 1, 11, "complete", D(2025, 9, 25), "done", "QĐ 99", {"completed_on": "2025-09-25"}),
    Ev(9, 2, None, "restore", D(2025, 10, 1), "not_started"),
    Ev(10, 2, 21, "complete", D(2025, 10, 3), "done", "", None),
    Ev(11, 1, None, "archive", D(2025, 11, 1)),
    Ev(12, None, None, "note", D(2025, 11, 2)),
]


def test_before_anything() -> None:
    r = replay(LOG, D(2024, 12, 31))
    assert r.items == {} and r.tasks == {}
    assert r.item(11) == ItemAt(Status.NOT_STARTED, None, "")


def test_created_only() -> None:
    r = replay(LOG, D(2025, 1, 1))
    assert r.tasks == {1: TaskAt(True, False, False), 2: TaskAt(True, False, False)}
    assert r.items == {}


def test_started_then_done() -> None:
    assert replay(LOG, D(2025, 3, 31)).items[11] == ItemAt(Status.IN_PROGRESS, None, "")
    assert replay(LOG, D(2025, 4, 2)).items[11] == ItemAt(
        Status.DONE, D(2025, 4, 2), "QĐ 75/QĐ-UBND"
    )


def test_cancelled_task() -> None:
    r = replay(LOG, D(2025, 5, 5))
    assert r.tasks[2] == TaskAt(True, True, False)
    assert 21 not in r.items


def test_reopened_and_note_changes_nothing() -> None:
    r = replay(LOG, D(2025, 6, 30))
    assert r.items[11] == ItemAt(Status.IN_PROGRESS, None, "")


def test_late_recording_with_earlier_on() -> None:
    assert replay(LOG, D(2025, 9, 24)).items[11].status == Status.IN_PROGRESS
    assert replay(LOG, D(2025, 9, 30)).items[11] == ItemAt(Status.DONE, D(2025, 9, 25), "QĐ 99")


def test_completed_on_falls_back_to_on_and_restore() -> None:
    r = replay(LOG, D(2025, 10, 31))
    assert r.items[21] == ItemAt(Status.DONE, D(2025, 10, 3), "")
    assert r.tasks[2] == TaskAt(True, False, False)


def test_archive() -> None:
    r = replay(LOG, D(2025, 12, 31))
    assert r.tasks[1] == TaskAt(True, False, True)


def test_last_by_id_wins_not_by_day() -> None:
    """A correction recorded later wins even when its `on` is earlier than the old entry."""
    log = [
        Ev(1, 1, 11, "complete", D(2025, 9, 30), "done", data={"completed_on": "2025-09-30"}),
        Ev(2, 1, 11, "reopen", D(2025, 9, 20), "in_progress"),
    ]
    assert replay(log, D(2025, 9, 25)).items[11].status == Status.IN_PROGRESS
    assert replay(log, D(2025, 10, 1)).items[11].status == Status.IN_PROGRESS
    assert replay(list(reversed(log)), D(2025, 10, 1)).items[11].status == Status.IN_PROGRESS
