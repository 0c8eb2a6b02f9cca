"""Many units written straight into the database in bulk, for sweep and delivery at scale.

Importing 1,000 plans through `planflow plan import` would take many minutes; the rows a
sweep reads are few and plain, so they are inserted with SQLAlchemy Core executemany, ids
assigned here. Each unit gets the departments of `DEPARTMENTS`, each with a head who has an
e-mail address of the unit's own domain, and one 2025 plan with, per department:

- one task due on `day` (an item owed its "due today" digest that day), and
- one task due on 31/12/2025 (open, but owed nothing on a September day: 7 working days
  before it is in December), so the sweep has to choose.

So each unit is owed exactly one digest per department on `day`: `len(DEPARTMENTS)`
messages, each to a different address (the outbox key is recipient, day, kind).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from planflow.db import get_engine
from planflow.models import Department, Item, Person, Plan, Task, Unit

DEPARTMENTS = (("KT", "Phòng Kinh tế"), ("VHXH", "Phòng Văn hóa – Xã hội"))
LATER = date(2025, 12, 31)  # a Wednesday, a working day: nothing owed for it in September


def head_email(n: int, dept: str) -> str:
    return f"{dept.lower()}@xa-{n:04d}.example.vn"


def insert_units(url: str, units: int, day: date) -> int:
    """Insert `units` communes as described above; returns the messages owed on `day`."""
    now = datetime(2025, 1, 2, 1, 0, tzinfo=UTC)
    engine = get_engine(url).execution_options(planflow_write=True)
    tables = (Unit, Department, Person, Plan, Task, Item)
    with engine.begin() as conn:
        start = {
            m: int(conn.execute(select(func.coalesce(func.max(m.id), 0))).scalar() or 0)  # type: ignore[attr-defined]
            for m in tables
        }
        next_id = dict(start)

        def new(model: Any) -> int:
            next_id[model] += 1
            return next_id[model]

        rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in tables}
        for n in range(1, units + 1):
            unit_id = new(Unit)
            rows[Unit].append(
                dict(
                    id=unit_id, code=f"xa-{n:04d}", name=f"UBND xã {n:04d}", province="",
                    coordinator="VHXH", directory={}, settings={}, created_at=now,
                )
            )  # fmt: skip
            plan_id = new(Plan)
            rows[Plan].append(
                dict(
                    id=plan_id, unit_id=unit_id, year=2025, title="", source="", revision=1,
                    starts=date(2025, 1, 1), until=None, recurrence="quarterly",
                    require_evidence=True, imported_at=now,
                )
            )  # fmt: skip
            for position, (code, name) in enumerate(DEPARTMENTS):
                dept_id = new(Department)
                rows[Department].append(
                    dict(id=dept_id, unit_id=unit_id, code=code, name=name, aliases=[])
                )
                rows[Person].append(
                    dict(
                        id=new(Person), unit_id=unit_id, name=f"Trưởng {code} {n}",
                        email=head_email(n, code), os_user=None, department_id=dept_id,
                        role="head", active=True,
                    )
                )  # fmt: skip
                for k, due in enumerate((day, LATER), start=1):
                    task_id = new(Task)
                    rows[Task].append(
                        dict(
                            id=task_id, unit_id=unit_id, plan_id=plan_id,
                            code=f"I.{position + 1}.{k}", section="I", number=str(k),
                            text=f"Nhiệm vụ {k} của {code}",
                            activities=[], extras={}, output="", lead_text=name,
                            partners_text="", leads=[code], partners=[],
                            deadline_text=f"Ngày {due:%d/%m/%Y}", deadline_kind="date",
                            due_on=due, status="not_started", source="appendix",
                            source_document="", position=position * 2 + k, created_at=now,
                            version=1,
                        )
                    )  # fmt: skip
                    rows[Item].append(
                        dict(
                            id=new(Item), unit_id=unit_id, task_id=task_id, period="",
                            department="", due_on=due, status="not_started", evidence="",
                            version=1,
                        )
                    )  # fmt: skip
        for model in tables:  # parents first: foreign keys
            conn.execute(model.__table__.insert(), rows[model])  # type: ignore[attr-defined]
    return units * len(DEPARTMENTS)
