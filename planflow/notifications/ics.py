"""The calendar feed: every dated deadline as an all-day event in an iCalendar file.

A UID is `<year>-<task-code>-<period>-<dept>@<unit>.planflow` (empty parts left out): unique
per unit, plan year, task, occurrence and part, and the same in every export, so a phone or
Outlook importing the file again updates its events in place. A done, cancelled or archived
deadline stays in the feed, marked, with a SEQUENCE that grows with the task's history:
calendars that subscribed see it change instead of keeping a stale "due" event forever.
Alarms (optional) fall on the reminder policy's days, at 08:00.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import func
from sqlmodel import Session, select

from planflow import clock
from planflow.engine.reminders import OpenItem, reminder_offsets
from planflow.models import Event as LogEvent
from planflow.models import Item, Unit
from planflow.services.common import unit_calendar
from planflow.services.reminders import department_names, open_items, policy_of

ALARM_HOUR = 8  # the office day starts; an all-day event begins at 00:00

_WORDS = {
    "vi": {
        "lead": "Chủ trì",
        "deadline": "Thời gian hoàn thành",
        "done": "Đã hoàn thành",
        "cancelled": "Đã hủy",
        "archived": "Đã rút khỏi kế hoạch",
        "remind": "Sắp đến hạn",
    },
    "en": {
        "lead": "Lead",
        "deadline": "Deadline",
        "done": "Done",
        "cancelled": "Cancelled",
        "archived": "Withdrawn from the plan",
        "remind": "Due soon",
    },
}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")


def uid(item: OpenItem, unit_code: str) -> str:
    parts = [str(item.plan_year)] if item.plan_year else []
    parts += [_slug(p) for p in (item.code, item.period, item.department) if p]
    return f"{'-'.join(parts)}@{_slug(unit_code)}.planflow"


def _closed_as(item: OpenItem) -> str:
    """'' for a live deadline, else the word it is marked with."""
    if item.archived:
        return "archived"
    if item.task_status == "cancelled" or item.status == "cancelled":
        return "cancelled"
    return "done" if item.status == "done" else ""


def _sequences(session: Session, unit: Unit) -> dict[int, int]:
    """Events recorded per item's task: a SEQUENCE that only grows as the history grows."""
    per_task = select(LogEvent.task_id, func.count().label("n"))
    per_task = per_task.where(LogEvent.unit_id == unit.id).group_by(LogEvent.task_id).subquery()
    rows = session.exec(
        select(Item.id, per_task.c.n).join(per_task, per_task.c.task_id == Item.task_id)
    ).all()
    return {item_id: n for item_id, n in rows if item_id is not None}


def calendar_bytes(
    session: Session,
    unit: Unit,
    dept: str | None = None,
    *,
    alarms: bool = False,
    lang: str = "vi",
) -> tuple[bytes, int]:
    """(the .ics bytes, number of live deadlines) for the unit's dated items."""
    words = _WORDS.get(lang, _WORDS["vi"])
    names = department_names(session, unit)
    items = [
        i
        for i in open_items(session, unit, closed=True)
        if i.due is not None and i.deadline_kind not in ("unscheduled", "unparsed")
    ]
    policy = policy_of(unit)
    years = {i.due.year for i in items if i.due} or {clock.today().year}
    workdays = unit_calendar(unit, range(min(years) - 1, max(years) + 2)) if alarms else None
    sequences = _sequences(session, unit)
    cal = Calendar()
    cal.add("prodid", "-//planflow//CCHC deadlines//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"CCHC {unit.name}")
    stamp = clock.now()
    live = 0
    for item in items:
        leads = [item.department] if item.department else list(item.leads)
        if dept and dept.upper() not in (c.upper() for c in leads):
            continue
        due: date = item.due  # type: ignore[assignment]  # filtered above
        closed = _closed_as(item)
        mark = f"{words[closed]}: " if closed else ""
        lead_names = ", ".join(names.get(c, c) for c in leads) or "—"
        period = f" ({item.period})" if item.period else ""
        ev = Event()
        ev.add("uid", uid(item, unit.code))
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequences.get(item.item_id or 0, 0))
        ev.add("dtstart", due)
        ev.add("dtend", due + timedelta(days=1))
        ev.add("summary", f"{mark}[{item.code}{period}] {' '.join(item.text.split())}")
        description = (
            f"{item.text}\n{words['lead']}: {lead_names}\n{words['deadline']}: {item.deadline_text}"
        )
        ev.add("description", f"{words[closed]}\n{description}" if closed else description)
        ev.add("categories", [c for c in leads] or ["CCHC"])
        ev.add("transp", "TRANSPARENT")
        ev.add("status", "CANCELLED" if closed in ("cancelled", "archived") else "CONFIRMED")
        if workdays is not None and not closed:
            for days in reminder_offsets(due, policy, workdays):
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{words['remind']}: [{item.code}{period}]")
                alarm.add("trigger", timedelta(days=-days, hours=ALARM_HOUR))
                ev.add_component(alarm)
        cal.add_component(ev)
        live += not closed
    return cal.to_ical(), live
