"""A random walk of workflow actions through the services on a real database (a SQLite file,
or a PostgreSQL database in the PostgreSQL half; a fresh one per example).

Whatever sequence of people try whatever moves: every accepted move writes exactly one event,
every permission refusal exactly one "refused" event, a rejected move nothing; an item has a
completion date exactly when it is done; the stored task status is the aggregate of its items
(unless cancelled); and replaying the event log gives back the stored item states.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import col, select
from support import DbFactory

from planflow.db import init_db, session_scope
from planflow.engine import states
from planflow.engine.history import replay
from planflow.engine.items import aggregate_status
from planflow.engine.plandoc import (
    DepartmentDoc,
    GroupDoc,
    HeadDoc,
    ObjectiveDoc,
    PlanDoc,
    SectionDoc,
    TaskDoc,
    UnitDoc,
)
from planflow.errors import PermissionDenied, PlanflowError
from planflow.models import Event, Item, Task
from planflow.services import moves as workflow
from planflow.services import people
from planflow.services.plans import import_plan

TODAY = date(2025, 10, 10)
PLAN = PlanDoc(
    year=2025,
    title="Kế hoạch thử",
    starts=date(2025, 7, 1),
    unit=UnitDoc(
        code="thu",
        name="UBND xã Thử",
        coordinator="VP",
        departments=[
            DepartmentDoc("KT", "Phòng Kinh tế", head=HeadDoc("Trưởng KT", "kt@x", "kt")),
            DepartmentDoc("VP", "Văn phòng", head=HeadDoc("Chánh VP", "vp@x", "vp")),
        ],
        groups=[GroupDoc("Các phòng", ["KT", "VP"])],
    ),
    sections=[
        SectionDoc(
            "I",
            "Thử",
            objectives=[
                ObjectiveDoc(
                    "1",
                    "1.1",
                    "Mục tiêu",
                    tasks=[
                        TaskDoc(
                            "2.1",
                            "Một lần",
                            output="Kế hoạch",
                            lead="KT",
                            partners="VP",
                            deadline="30/09/2025",
                        ),
                        TaskDoc(
                            "2.2",
                            "Thường xuyên",
                            output="Báo cáo",
                            lead="VP",
                            deadline="Thường xuyên",
                        ),
                        TaskDoc(
                            "2.3",
                            "Chung",
                            output="Báo cáo",
                            lead="Các phòng",
                            deadline="Quý IV/2025",
                        ),
                    ],
                )
            ],
        )
    ],
)
CODES = ["I.2.1", "I.2.2", "I.2.3"]
USERS = ["kt", "vp", "dp", "ct", "dp", "ct", "st", "nobody"]
ACTIONS = ["start", "complete", "reopen", "cancel", "restore", "note"]
TALLIED = {"start", "complete", "reopen", "cancel", "restore", "note"}


class Workflow(RuleBasedStateMachine):
    def __init__(self, databases: DbFactory) -> None:
        super().__init__()
        self.databases = databases
        self.url = databases()
        self.saved_user = os.environ.get("PLANFLOW_USER")
        init_db(self.url)
        with session_scope(self.url, write=True) as session:
            import_plan(session, PLAN)
        os.environ.pop("PLANFLOW_USER", None)  # the administrator adds the chairman
        people.add_person(
            self.url, unit=None, name="Chủ tịch", user="ct", dept="VP", role="chairman"
        )
        os.environ["PLANFLOW_USER"] = "ct"
        people.add_person(
            self.url, unit=None, name="Điều phối", user="dp", dept="VP", role="coordinator"
        )
        people.add_person(self.url, unit=None, name="Nhân viên", user="st", dept="KT", role="staff")
        self.accepted = 0
        self.refused = 0

    def teardown(self) -> None:
        event(f"accepted {min(self.accepted, 5)}+, refused {min(self.refused, 3)}+")
        if self.saved_user is None:
            os.environ.pop("PLANFLOW_USER", None)
        else:
            os.environ["PLANFLOW_USER"] = self.saved_user
        self.databases.drop(self.url)

    @rule(
        action=st.sampled_from(ACTIONS),
        code=st.sampled_from(CODES),
        user=st.sampled_from(USERS),
        period=st.sampled_from([None, "Q3", "Q4"]),
        dept=st.sampled_from([None, "KT", "VP"]),
        evidence=st.sampled_from(["", "Quyết định số 1"]),
        back=st.one_of(st.none(), st.integers(min_value=-2, max_value=300)),
        reason=st.sampled_from(["", "vì cần bổ sung"]),
    )
    def act(
        self,
        action: str,
        code: str,
        user: str,
        period: str | None,
        dept: str | None,
        evidence: str,
        back: int | None,
        reason: str,
    ) -> None:
        os.environ["PLANFLOW_USER"] = user
        on = TODAY - timedelta(days=back) if back is not None else None
        try:
            if action == "start":
                out = workflow.start_task(self.url, code, today=TODAY, period=period, dept=dept)
            elif action == "complete":
                out = workflow.complete_task(
                    self.url, code, today=TODAY, on=on, evidence=evidence, period=period, dept=dept
                )
            elif action == "reopen":
                out = workflow.reopen_task(
                    self.url, code, reason=reason, today=TODAY, period=period, dept=dept
                )
            elif action == "cancel":
                out = workflow.cancel_task(self.url, code, reason=reason, today=TODAY)
            elif action == "restore":
                out = workflow.restore_task(self.url, code, reason=reason, today=TODAY)
            else:
                out = workflow.add_note(self.url, code, "ghi chú", today=TODAY)
        except PermissionDenied:
            self.refused += 1
            return
        except PlanflowError:
            return
        if out.changed:
            self.accepted += 1
        else:
            assert action == "complete" and out.to_status == "done"

    @invariant()
    def log_matches_actions(self) -> None:
        with session_scope(self.url) as session:
            evs = session.exec(select(Event).order_by(col(Event.id))).all()
            assert sum(e.action in TALLIED for e in evs) == self.accepted
            assert sum(e.action == "refused" for e in evs) == self.refused
            for e in evs:
                if e.action in states.TABLE:
                    move = states.TABLE[states.Action(e.action)]
                    assert e.from_status in move.sources and e.to_status == move.target

    @invariant()
    def stored_state_is_consistent(self) -> None:
        with session_scope(self.url) as session:
            items = session.exec(select(Item)).all()
            for item in items:
                assert (item.completed_on is not None) == (item.status == "done")
                assert (item.evidence != "") <= (item.status == "done")
            for task in session.exec(select(Task)).all():
                mine = [i for i in items if i.task_id == task.id]
                if task.status != "cancelled":
                    assert task.status == aggregate_status(i.status for i in mine)
                assert (task.completed_on is not None) == (task.status == "done")
            replayed = replay(session.exec(select(Event)).all(), TODAY)
            for item in items:
                at = replayed.item(item.id or 0)
                assert (at.status, at.completed_on, at.evidence) == (
                    item.status,
                    item.completed_on,
                    item.evidence,
                )
            for task in session.exec(select(Task)).all():
                assert replayed.tasks[task.id or 0].cancelled == (task.status == "cancelled")


SETTINGS = settings(
    max_examples=int(os.environ.get("PLANFLOW_MACHINE_EXAMPLES", "15")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_random_walk_of_actions(db_factory: DbFactory) -> None:
    run_state_machine_as_test(lambda: Workflow(db_factory), settings=SETTINGS)
