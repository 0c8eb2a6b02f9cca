"""The guarded update: when the row changed under us, `done` says "already done" if it is now
done and raises ConflictError otherwise; nothing is written in either case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select

from planflow.db import init_db, session_scope
from planflow.errors import ConflictError
from planflow.models import Event, Item, Task
from planflow.services import moves as workflow
from planflow.services import people
from planflow.services.plans import import_plan
from tests.conftest import KYLAC_PLAN

TODAY = date(2025, 10, 10)


@pytest.fixture
def url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from planflow.planfile import load_plan

    init_db(db_url)
    with session_scope(db_url, write=True) as session:
        import_plan(session, load_plan(KYLAC_PLAN))
    monkeypatch.setenv("PLANFLOW_USER", "kt")
    yield db_url


def _stale(monkeypatch: pytest.MonkeyPatch, seen_as: str) -> None:
    """Make the selected item look `seen_as` although the database says otherwise, as if
    another process had changed it between our read and our update."""
    real = workflow.select_item

    def stale(*args: Any, **kwargs: Any) -> Item:
        item = real(*args, **kwargs)
        set_committed_value(item, "status", seen_as)
        return item

    monkeypatch.setattr(workflow, "select_item", stale)


def _count(url: str) -> int:
    with session_scope(url) as session:
        return len(session.exec(select(Event)).all())


def test_stale_read_of_a_done_item_is_already_done(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow.complete_task(url, "VI.2.1", today=TODAY, evidence="CV 1")
    before = _count(url)
    _stale(monkeypatch, "not_started")
    out = workflow.complete_task(url, "VI.2.1", today=TODAY, evidence="CV 2")
    assert not out.changed and out.evidence == "CV 1"
    assert _count(url) == before


def test_stale_read_of_a_moved_item_is_a_conflict(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow.start_task(url, "VI.2.1", today=TODAY)
    before = _count(url)
    _stale(monkeypatch, "not_started")
    with pytest.raises(ConflictError, match="người khác vừa thay đổi"):
        workflow.complete_task(url, "VI.2.1", today=TODAY, evidence="CV 2")
    assert _count(url) == before
    with session_scope(url) as session:
        task = session.exec(select(Task).where(Task.code == "VI.2.1")).one()
        assert task.status == "in_progress"


def test_people_bootstrap_then_guarded(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a head (kt) may not add the first chairman: only the administrator, who ran init
    with pytest.raises(people.PermissionDenied, match="quản trị viên"):
        people.add_person(url, unit=None, name="Chủ tịch", user="ct", role="chairman")
    monkeypatch.delenv("PLANFLOW_USER")  # the OS login that ran init_db
    people.add_person(url, unit=None, name="Chủ tịch", user="ct", role="chairman")
    monkeypatch.setenv("PLANFLOW_USER", "kt")
    with pytest.raises(people.PermissionDenied):
        people.add_person(url, unit=None, name="X", user="x", role="admin")
    monkeypatch.setenv("PLANFLOW_USER", "ct")
    info, demoted = people.set_head(
        url,
        unit=None,
        dept="KT",
        person=people.add_person(url, unit=None, name="Mới", user="moi").user,
    )
    assert (info.role, info.department) == ("head", "KT")
    assert demoted == ["Trưởng phòng Kinh tế (placeholder)"]
    with session_scope(url) as session:
        refused = session.exec(select(Event).where(Event.action == "refused")).all()
        attempted = [r.data["attempted"] for r in refused]  # type: ignore[index]
        assert attempted == ["person_add", "person_add"]
