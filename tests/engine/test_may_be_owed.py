"""`may_be_owed` lets the all-units sweep drop items early: it must never drop an item that
`plan_reminders` would have put in a message (and, with everyone reachable, it keeps only
those)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planflow.calendars import national_calendar
from planflow.engine.reminders import (
    Contact,
    Directory,
    OpenItem,
    Policy,
    may_be_owed,
    plan_reminders,
)

CAL = national_calendar([2024, 2025, 2026])
PEOPLE = Directory(
    heads={"KT": Contact("Trưởng phòng Kinh tế", "kt@x.vn", "KT")},
    coordinator=Contact("Điều phối", "vhxh@x.vn"),
    chairmen=(Contact("Chủ tịch", "ct@x.vn"),),
)
WED = date(2025, 11, 12)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # counted by hand on the November 2025 calendar (no holidays that month)
        (date(2025, 11, 12), True),  # due today
        (date(2025, 11, 13), True),  # 1 working day before
        (date(2025, 11, 14), False),  # 2 working days before: no reminder
        (date(2025, 11, 17), True),  # Mon: 3 working days before (Thu, Fri, Mon)
        (date(2025, 11, 21), True),  # 7 working days before
        (date(2025, 11, 7), True),  # Fri: overdue 3 working days (Mon, Tue, Wed)
        (date(2025, 11, 6), False),  # overdue 4
        (date(2025, 10, 31), False),  # overdue 8: not a multiple of 3
        (date(2025, 10, 29), True),  # overdue 10: the escalation (7, 10, 13 …), no digest
        (date(2025, 11, 16), True),  # a Sunday moves to Mon 17/11: 3 before
        (None, True),  # no date: the weekly list decides
    ],
)
def test_hand_counted_days(due: date | None, expected: bool) -> None:
    assert may_be_owed(due, "date", WED, CAL, Policy()) is expected


def test_unscheduled_kinds_are_always_kept() -> None:
    assert may_be_owed(date(2025, 11, 14), "unscheduled", WED, CAL, Policy())
    assert may_be_owed(date(2025, 11, 14), "unparsed", WED, CAL, Policy())


def test_agrees_with_plan_reminders_for_every_due_day_of_a_year() -> None:
    checked = 0
    for today in (date(2025, 1, 2), date(2025, 4, 29), WED, date(2025, 12, 31)):
        due = date(2025, 1, 1)
        while due <= date(2026, 1, 31):
            item = OpenItem(code="I.2.1", text="t", due=due, leads=("KT",))
            sent = any(plan_reminders([item], today, CAL, Policy(), PEOPLE))
            assert may_be_owed(due, "date", today, CAL, Policy()) is sent, (today, due)
            checked += sent
            due += timedelta(days=1)
    assert checked > 100  # plenty of owed days among them, not only "nothing"


def test_a_day_off_owes_nothing() -> None:
    assert not may_be_owed(date(2025, 11, 15), "date", date(2025, 11, 15), CAL, Policy())
