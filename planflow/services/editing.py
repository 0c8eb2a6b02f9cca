"""Correcting a task between imports: `planflow task edit` (text, deadline, lead, partners).

The change is recorded as an "update" event with each field's [before, after], the same
shape a re-import writes, so the history reads one way whichever way the task changed. A
new deadline or lead re-plans the task's items as a re-import does: items with history are
kept, untouched obsolete ones go. Re-importing the appendix later writes the document's
wording again, as the document is the plan.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planflow.engine.permissions import Perm, Relation
from planflow.engine.text import MAX_TEXT, too_long
from planflow.errors import UsageError
from planflow.services.acting import acting, check, resolve_today
from planflow.services.common import record_event


def edit_task(
    url: str,
    ref: str,
    *,
    unit: str | None = None,
    text: str | None = None,
    deadline: str | None = None,
    lead: str | None = None,
    partners: str | None = None,
    today: date | None = None,
) -> tuple[str, dict[str, list[Any]]]:
    """The task's code and what changed ({} when nothing did)."""
    from planflow.engine.planning import build_items
    from planflow.services.adhoc import read_deadline, read_leads
    from planflow.services.common import plan_calendar
    from planflow.services.plans import sync_items

    if all(v is None for v in (text, deadline, lead, partners)):
        raise UsageError(
            "cần ít nhất một trong --text, --deadline, --lead, --partners",
            "give at least one of --text, --deadline, --lead, --partners",
        )
    for option, value in (("--text", text), ("--deadline", deadline), ("--lead", lead)):
        if value is not None and not value.strip():
            raise UsageError(f"{option}: không được để trống", f"{option}: must not be empty")
    if text is not None and too_long(text):
        raise UsageError(
            f"--text: dài quá {MAX_TEXT} ký tự", f"--text: longer than {MAX_TEXT} characters"
        )
    now_day = resolve_today(today)
    with acting(url, unit, ref, now_day) as ctx:
        s, u, task, plan = ctx.session, ctx.unit, ctx.task, ctx.plan
        assert task is not None and plan is not None and u.id is not None
        check(ctx, Perm.TASK_EDIT, Relation.OTHER)
        wanted: dict[str, Any] = {}
        if text is not None:
            wanted["text"] = text.strip()
        if lead is not None or partners is not None:
            leads, partner_list = read_leads(
                s,
                u,
                lead if lead is not None else task.lead_text,
                partners if partners is not None else task.partners_text,
            )
            wanted.update(leads=leads, partners=partner_list)
            if lead is not None:
                wanted["lead_text"] = lead.strip()
            if partners is not None:
                wanted["partners_text"] = partners.strip()
        parsed = read_deadline(plan, deadline if deadline is not None else task.deadline_text)
        calendar = plan_calendar(u, plan.year, plan.until)
        if deadline is not None:
            wanted.update(
                deadline_text=deadline.strip(),
                deadline_kind=parsed.kind.value,
                start_on=parsed.start,
                due_on=calendar.effective_due(parsed.due),
            )
        changes = {
            name: [_plain(getattr(task, name)), _plain(value)]
            for name, value in wanted.items()
            if getattr(task, name) != value
        }
        if not changes:
            return task.code, {}
        for name, value in wanted.items():
            setattr(task, name, value)
        s.add(task)
        s.flush()
        if {"leads", "deadline_kind", "due_on", "start_on"} & set(changes):
            sync_items(s, u, task, build_items(parsed, list(task.leads or []), calendar))
        record_event(
            s,
            unit_id=u.id,
            task_id=task.id,
            action="update",
            actor=ctx.actor,
            on=now_day,
            data={"changes": changes},
        )
        return task.code, changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
