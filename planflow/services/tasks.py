"""Reading tasks: listings with computed lateness (never stored) and one task in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from planflow.engine.calendar import WorkCalendar
from planflow.engine.items import count_groups, counts_label, days_overdue, missed
from planflow.engine.types import Status
from planflow.errors import NotFound, UsageError
from planflow.i18n import fmt_date
from planflow.models import Item, Plan, Task, Unit
from planflow.services.common import current_plan, find_task, plan_calendar
from planflow.services.replaying import as_of_day, needs_replay

STATUS_FILTERS = ("not_started", "in_progress", "done", "cancelled", "open")


@dataclass(frozen=True)
class _ItemView:
    period: str
    department: str
    status: str


@dataclass
class TaskRow:
    task: Task
    items: list[Item]
    today: date
    calendar: WorkCalendar

    @property
    def open_items(self) -> list[Item]:
        if self.task.status == Status.CANCELLED or self.task.archived_at is not None:
            return []
        return [i for i in self.items if i.status != Status.DONE]

    @property
    def next_due(self) -> date | None:
        return min((i.due_on for i in self.open_items if i.due_on), default=None)

    @property
    def days_overdue(self) -> int:
        """Working days, as in the reminders and the reports."""
        return days_overdue((i.due_on for i in self.open_items), self.today, self.calendar)

    @property
    def overdue(self) -> bool:
        return bool(missed((i.due_on for i in self.open_items), self.today))

    def parts(self, lang: str = "vi") -> str:
        """ "1/2 kỳ", "2/3 phòng" for recurring and shared tasks, "" otherwise."""
        views = [_ItemView(i.period, i.department, i.status) for i in self.items]
        return counts_label(count_groups(views, "period"), count_groups(views, "department"), lang)

    def as_json(self, full: bool = False) -> dict[str, Any]:
        t = self.task
        data: dict[str, Any] = {
            "id": t.id,
            "code": t.code,
            "text": t.text,
            "section": t.section,
            "lead": list(t.leads or []),
            "lead_text": t.lead_text,
            "partners": list(t.partners or []),
            "partners_text": t.partners_text,
            "deadline": t.deadline_text,
            "deadline_kind": t.deadline_kind,
            "start": t.start_on.isoformat() if t.start_on else None,
            "due": t.due_on.isoformat() if t.due_on else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "status": t.status,
            "overdue": self.overdue,
            "days_overdue": self.days_overdue,
            "completed_on": t.completed_on.isoformat() if t.completed_on else None,
            "evidence": t.evidence,
            "source": t.source,
            "no_lead": not t.leads,
            "archived": t.archived_at is not None,
            "parts": self.parts(),
        }
        if full:
            data.update(
                output=t.output,
                budget=t.budget,
                extras=dict(t.extras or {}),
                activities=list(t.activities or []),
                source_document=t.source_document,
                items=[
                    {
                        "id": i.id,
                        "period": i.period,
                        "department": i.department,
                        "status": i.status,
                        "due": i.due_on.isoformat() if i.due_on else None,
                        "completed_on": i.completed_on.isoformat() if i.completed_on else None,
                        "evidence": i.evidence,
                    }
                    for i in self.items
                ],
            )
        return data


def list_tasks(
    session: Session,
    unit: Unit,
    today: date,
    *,
    dept: str | None = None,
    partner: bool = False,
    status: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    include_archived: bool = False,
) -> list[TaskRow]:
    """The plan's tasks as of `today`, filtered. `dept`: what the department leads (its own
    work, what it answers for), and with `partner` also what it supports."""
    if status is not None and status not in STATUS_FILTERS:
        raise UsageError(
            f"--status: '{status}' không hợp lệ (chọn: {', '.join(STATUS_FILTERS)})",
            f"--status: invalid '{status}' (choose: {', '.join(STATUS_FILTERS)})",
        )
    if due_within is not None and not 0 <= due_within <= 36600:  # beyond a century: a typo
        raise UsageError(
            "--due-within: cần số ngày từ 0 đến 36600", "--due-within: needs days from 0 to 36600"
        )
    plan = current_plan(session, unit)
    assert unit.id is not None
    past = needs_replay(session, unit.id, today)
    query = select(Task).where(Task.plan_id == plan.id)
    if not past:  # else filtered after the replay: statuses and archiving were different
        if not include_archived:
            query = query.where(col(Task.archived_at).is_(None))
        if status == "open":
            query = query.where(col(Task.status).in_(("not_started", "in_progress")))
        elif status:
            query = query.where(Task.status == status)
    tasks = session.exec(query.order_by(col(Task.source), col(Task.position), col(Task.id))).all()
    ids = [t.id for t in tasks]
    items: dict[int, list[Item]] = {}
    if ids:
        for item in session.exec(
            select(Item).where(col(Item.task_id).in_(ids)).order_by(col(Item.id))
        ):
            items.setdefault(item.task_id, []).append(item)
    if past:
        tasks = as_of_day(session, tasks, items, today)
        tasks = [t for t in tasks if include_archived or t.archived_at is None]
        if status == "open":
            tasks = [t for t in tasks if t.status in ("not_started", "in_progress")]
        elif status:
            tasks = [t for t in tasks if t.status == status]
    calendar = plan_calendar(unit, plan.year, plan.until)
    rows = [TaskRow(t, items.get(t.id or 0, []), today, calendar) for t in tasks]
    if dept:
        code = dept.upper()
        rows = [
            r
            for r in rows
            if code in (r.task.leads or []) or (partner and code in (r.task.partners or []))
        ]
    if overdue:
        rows = [r for r in rows if r.overdue]
    if due_within is not None:
        horizon = today + timedelta(days=due_within)
        rows = [
            r for r in rows if any(i.due_on and today <= i.due_on <= horizon for i in r.open_items)
        ]
    return rows


def task_detail(session: Session, unit: Unit, ref: str, today: date) -> TaskRow:
    task = find_task(session, unit, ref)
    items = list(session.exec(select(Item).where(Item.task_id == task.id).order_by(col(Item.id))))
    assert unit.id is not None and task.id is not None
    if needs_replay(session, unit.id, today):
        (task,) = as_of_day(session, [task], {task.id: items}, today) or (None,)
        if task is None:
            raise NotFound(
                f"{ref}: nhiệm vụ chưa có trong kế hoạch vào ngày {fmt_date(today)}",
                f"{ref}: the task was not in the plan yet on {fmt_date(today)}",
            )
    plan = session.get(Plan, task.plan_id)
    assert plan is not None  # a foreign key
    return TaskRow(task, items, today, plan_calendar(unit, plan.year, plan.until))
