"""The calendar feed: every open deadline as an all-day event in an iCalendar file.

UIDs are `<task-code>-<period>-<dept>@<unit>.planflow` (empty parts left out), stable across
exports, so a phone or Outlook importing the file again updates the events in place.
"""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar, Event
from sqlmodel import Session

from planflow import clock
from planflow.models import Unit
from planflow.services.reminders import department_names, open_items


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")


def calendar_bytes(session: Session, unit: Unit, dept: str | None = None) -> tuple[bytes, int]:
    """(the .ics bytes, number of events) for the unit's open dated items."""
    names = department_names(session, unit)
    cal = Calendar()
    cal.add("prodid", "-//planflow//CCHC deadlines//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"CCHC {unit.name}")
    stamp = clock.now()
    count = 0
    for item in open_items(session, unit):
        if item.due is None or item.deadline_kind in ("unscheduled", "unparsed"):
            continue
        leads = [item.department] if item.department else list(item.leads)
        if dept and dept.upper() not in (c.upper() for c in leads):
            continue
        lead_names = ", ".join(names.get(c, c) for c in leads) or "—"
        period = f" ({item.period})" if item.period else ""
        ev = Event()
        uid_parts = [_slug(p) for p in (item.code, item.period, item.department) if p]
        ev.add("uid", f"{'-'.join(uid_parts)}@{_slug(unit.code)}.planflow")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", item.due)
        ev.add("dtend", item.due + timedelta(days=1))
        ev.add("summary", f"[{item.code}{period}] {' '.join(item.text.split())}")
        ev.add(
            "description",
            f"{item.text}\nChủ trì: {lead_names}\nThời gian hoàn thành: {item.deadline_text}",
        )
        ev.add("categories", [c for c in leads] or ["CCHC"])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
        count += 1
    return cal.to_ical(), count
