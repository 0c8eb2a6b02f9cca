"""Ad-hoc tasks: what the province assigns outside the appendix ("PA.1", "PA.2" …), tracked
like appendix tasks from the day they are added."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from planflow import clock
from planflow.engine.permissions import Perm, Relation
from planflow.engine.types import Deadline, Status
from planflow.errors import UsageError
from planflow.models import Item, Plan, Task, Unit
from planflow.services.acting import Outcome, acting, check, fill_progress, resolve_today
from planflow.services.common import record_event


def read_leads(s: Session, u: Unit, lead: str, partners: str) -> tuple[list[str], list[str]]:
    """--lead and --partners as the appendix's cells are read: groups and aliases resolve to
    department codes; a department both leads and partners only as a lead."""
    from planflow.services.common import directory_for

    directory = directory_for(s, u)
    leads_found = directory.resolve(lead)
    if leads_found.unknown or not leads_found.departments:
        unknown = ", ".join(leads_found.unknown) or lead
        raise UsageError(
            f"--lead: không nhận ra '{unknown}' (xem `planflow dept list`)",
            f"--lead: unknown '{unknown}' (see `planflow dept list`)",
        )
    leads = list(leads_found.departments)
    found = directory.resolve(partners)
    partner_list = [d for d in found.departments if d not in leads]
    return leads, partner_list + found.named + found.unknown


def read_deadline(plan: Plan, deadline: str) -> Deadline:
    """--deadline read against the plan's year, recurrence and span; unreadable is refused."""
    from planflow.engine.deadlines import parse_deadline
    from planflow.engine.types import DeadlineKind, Recurrence

    parsed = parse_deadline(
        deadline, plan.year, Recurrence(plan.recurrence), plan.starts, plan.until
    )
    if parsed.kind is DeadlineKind.UNPARSED:
        raise UsageError(
            f"--deadline: không đọc được '{deadline}' (ví dụ: 30/11/2025, Quý IV/2025, "
            "Thường xuyên)",
            f"--deadline: cannot read '{deadline}' (e.g. 30/11/2025, Quý IV/2025, Thường xuyên)",
        )
    return parsed


def add_task(
    url: str,
    *,
    text: str,
    source_document: str,
    lead: str,
    deadline: str,
    partners: str = "",
    output: str = "",
    code: str | None = None,
    unit: str | None = None,
    today: date | None = None,
) -> Outcome:
    """An ad-hoc task the province assigned ("PA.1", "PA.2" …), tracked like appendix tasks."""
    from planflow.engine.planning import build_items
    from planflow.engine.types import Source
    from planflow.services.common import current_plan, plan_calendar

    if not text.strip() or not lead.strip() or not deadline.strip():
        raise UsageError(
            "cần --text, --lead và --deadline", "--text, --lead and --deadline are required"
        )
    now_day = resolve_today(today)
    with acting(url, unit, None, now_day) as ctx:
        s, u = ctx.session, ctx.unit
        ctx.plan = plan = current_plan(s, u)
        check(ctx, Perm.TASK_ADD, Relation.OTHER)
        leads, partner_list = read_leads(s, u, lead, partners)
        parsed = read_deadline(plan, deadline)
        calendar = plan_calendar(u, plan.year, plan.until)
        existing = s.exec(select(Task.code, Task.position).where(Task.plan_id == plan.id)).all()
        codes = {c.upper() for c, _ in existing}
        if code:
            code = code.strip()
            if code.upper() in codes:
                raise UsageError(f"mã '{code}' đã có trong kế hoạch", f"code '{code}' is taken")
        else:
            n = 1
            while f"PA.{n}" in codes:
                n += 1
            code = f"PA.{n}"
        assert u.id is not None and plan.id is not None
        task = Task(
            unit_id=u.id,
            plan_id=plan.id,
            code=code,
            section="PA",
            number=code.split(".")[-1],
            text=text.strip(),
            output=output.strip(),
            lead_text=lead,
            partners_text=partners,
            leads=leads,
            partners=partner_list,
            deadline_text=deadline,
            deadline_kind=parsed.kind.value,
            start_on=parsed.start,
            due_on=calendar.effective_due(parsed.due),
            status=Status.NOT_STARTED.value,
            source=Source.AD_HOC.value,
            source_document=source_document.strip(),
            position=max((p for _, p in existing), default=0) + 1,
            created_at=clock.now(),
        )
        s.add(task)
        s.flush()
        assert task.id is not None
        for p in build_items(parsed, leads, calendar):
            s.add(
                Item(
                    unit_id=u.id,
                    task_id=task.id,
                    period=p.period,
                    department=p.department,
                    start_on=p.start,
                    due_on=p.due,
                    status=Status.NOT_STARTED.value,
                )
            )
        s.flush()
        event = record_event(
            s,
            unit_id=u.id,
            task_id=task.id,
            action="created",
            actor=ctx.actor,
            to_status=Status.NOT_STARTED.value,
            on=now_day,
            note=source_document.strip(),
            data={"source": Source.AD_HOC.value, "source_document": source_document.strip()},
        )
        ctx.task = task
        out = Outcome(
            code,
            "created",
            True,
            task.status,
            None,
            Status.NOT_STARTED.value,
            on=now_day,
            due_on=task.due_on,
            event_id=event.id,
            data={
                "leads": leads,
                "partners": partner_list,
                "deadline": deadline,
                "source_document": source_document.strip(),
            },
        )
        return fill_progress(ctx, out, None)
