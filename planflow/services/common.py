"""Lookups and writes every use case needs: the unit, its plan, a task, the calendar,
the department directory and the audit event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from planflow import clock
from planflow.engine.items import task_state
from planflow.engine.text import parse_id
from planflow.engine.types import Status
from planflow.errors import NotFound
from planflow.login import claimed_user, os_login
from planflow.models import Department, Event, Item, Person, Plan, Task, Unit

if TYPE_CHECKING:  # imported where used: `planflow done` needs neither (start-up)
    from planflow.engine.calendar import WorkCalendar
    from planflow.engine.names import Directory
    from planflow.engine.plandoc import UnitDoc


def get_unit(session: Session, code: str | None) -> Unit:
    """The unit named, or the only one when the database holds one."""
    if code:
        unit = session.exec(select(Unit).where(Unit.code == code)).first()
        if unit is None:
            raise NotFound(
                f"không có đơn vị '{code}' (xem `planflow unit list`)",
                f"no unit '{code}' (see `planflow unit list`)",
            )
        return unit
    units = session.exec(select(Unit).limit(2)).all()
    if len(units) == 1:
        return units[0]
    if not units:
        raise NotFound(
            "chưa có đơn vị nào: nhập kế hoạch của đơn vị trước "
            "(`planflow plan import FILE --unit MÃ --create-departments`)",
            "no unit yet: import the unit's plan first "
            "(`planflow plan import FILE --unit CODE --create-departments`)",
        )
    codes = session.exec(select(Unit.code).order_by(col(Unit.code)).limit(21)).all()
    listed = ", ".join(codes[:20]) + (", …" if len(codes) > 20 else "")
    raise NotFound(
        f"có nhiều đơn vị ({listed}): chọn một bằng --unit hoặc PLANFLOW_UNIT "
        "(xem `planflow unit list`)",
        f"several units ({listed}): choose one with --unit or PLANFLOW_UNIT "
        "(see `planflow unit list`)",
    )


def current_plan(session: Session, unit: Unit, year: int | None = None) -> Plan:
    """The plan of `year`, else the newest plan of the unit."""
    query = select(Plan).where(Plan.unit_id == unit.id)
    if year is not None:
        query = query.where(Plan.year == year)
    plan = session.exec(query.order_by(col(Plan.year).desc())).first()
    if plan is None:
        which = f" năm {year}" if year else ""
        raise NotFound(
            f"đơn vị {unit.code} chưa có kế hoạch{which}: chạy `planflow plan import FILE`",
            f"unit {unit.code} has no plan{' for ' + str(year) if year else ''}: "
            "run `planflow plan import FILE`",
        )
    return plan


def find_task(session: Session, unit: Unit, ref: str, *, include_archived: bool = True) -> Task:
    """A task by its stable code ("III.2.7", any case) or the numeric id of listings."""
    text = ref.strip()
    query = select(Task).where(Task.unit_id == unit.id)
    if text.isdigit():  # an id; one no column can hold (23 digits, "²") names no task
        number = parse_id(text)
        task = None if number is None else session.exec(query.where(Task.id == number)).first()
    else:
        plan = current_plan(session, unit)
        task = session.exec(
            query.where(Task.plan_id == plan.id, func.upper(Task.code) == text.upper()).order_by(
                col(Task.archived_at).is_not(None), col(Task.id).desc()
            )
        ).first()
    if task is None or (task.archived_at is not None and not include_archived):
        raise NotFound(
            f"không có nhiệm vụ '{ref}' (xem `planflow tasks`)",
            f"no task '{ref}' (see `planflow tasks`)",
        )
    return task


def unit_calendar(unit: Unit, years: Iterable[int]) -> WorkCalendar:
    # Imported here: the holidays package costs `planflow done` start-up and it needs no
    # calendar.
    from planflow.calendars import national_calendar

    settings = unit.settings or {}
    return national_calendar(
        years,
        [date.fromisoformat(d) for d in settings.get("days_off", [])],
        [date.fromisoformat(d) for d in settings.get("working_days", [])],
    )


def plan_calendar(unit: Unit, year: int, until: int | None = None) -> WorkCalendar:
    """A plan's calendar, its years (`year` … `until`) with the next year too (a due date
    on 31/12 may move)."""
    return unit_calendar(unit, range(year - 1, max(until or year, year) + 2))


def unit_doc(session: Session, unit: Unit) -> UnitDoc:
    """The unit's configuration as plain data (what the plan file's `unit:` holds)."""
    from planflow.engine.plandoc import DepartmentDoc, GroupDoc, PartnerDoc, UnitDoc

    departments = session.exec(
        select(Department).where(Department.unit_id == unit.id).order_by(col(Department.id))
    ).all()
    directory = unit.directory or {}
    return UnitDoc(
        code=unit.code,
        name=unit.name,
        departments=[DepartmentDoc(d.code, d.name, list(d.aliases or [])) for d in departments],
        groups=[
            GroupDoc(g["name"], list(g["members"]), list(g.get("aliases", [])))
            for g in directory.get("groups", [])
        ],
        partners=[
            PartnerDoc(p["name"], list(p.get("aliases", []))) for p in directory.get("partners", [])
        ],
        coordinator=unit.coordinator,
    )


def directory_for(session: Session, unit: Unit) -> Directory:
    from planflow.engine.names import Directory

    return Directory.from_unit(unit_doc(session, unit))


def department_heads(session: Session, unit: Unit) -> dict[str, Person]:
    """Department code → its head (the active Person with role head)."""
    rows = session.exec(
        select(Department.code, Person)
        .join(Person, col(Person.department_id) == Department.id)
        .where(
            Department.unit_id == unit.id,
            Person.unit_id == unit.id,  # lets the planner use person's unit index, not a scan
            Person.role == "head",
            col(Person.active),
        )
    ).all()
    return {code: person for code, person in rows}


def record_event(
    session: Session,
    *,
    unit_id: int,
    action: str,
    task_id: int | None = None,
    item_id: int | None = None,
    actor: Person | None = None,
    actor_name: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    evidence: str = "",
    on: date | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one audit event in the caller's transaction (never committed alone). Without
    a known Person or an `actor_name`, the event names whoever runs the command."""
    event = Event(
        unit_id=unit_id,
        task_id=task_id,
        item_id=item_id,
        at=clock.now(),
        on=on or clock.today(),
        actor_id=actor.id if actor else None,
        actor=actor.name if actor else (actor_name or claimed_user()),
        os_user=os_login(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        evidence=evidence,
        data=data or {},
    )
    session.add(event)
    session.flush()
    return event


def refresh_task_status(session: Session, task: Task) -> None:
    """Recompute a task's stored status from its items (a cancelled task stays cancelled)."""
    if task.status == Status.CANCELLED:
        return
    items = session.exec(select(Item).where(Item.task_id == task.id)).all()
    status, completed_on, evidence = task_state(items)
    session.execute(
        update(Task)
        .where(col(Task.id) == task.id)
        .values(
            status=status.value,
            completed_on=completed_on,
            evidence=evidence,
            version=Task.version + 1,
        )
    )
    session.refresh(task)
