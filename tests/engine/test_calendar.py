"""Working days: Vietnam's 2025/2026 official schedule and the deadline-moving rule.

Expected days are from the government's announced holiday schedules, counted by hand.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.calendars import national_calendar
from planflow.engine.calendar import WorkCalendar

D = date
VN = national_calendar([2024, 2025, 2026, 2027])


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 1), False),  # New Year
        (D(2025, 1, 24), True),  # Friday before Tết
        (D(2025, 1, 27), False),  # Tết 27/01–31/01
        (D(2025, 1, 28), False),
        (D(2025, 1, 29), False),
        (D(2025, 1, 30), False),
        (D(2025, 1, 31), False),
        (D(2025, 2, 3), True),  # back to work
        (D(2025, 4, 7), False),  # Hùng Kings
        (D(2025, 4, 26), True),  # Saturday worked in exchange for 02/05
        (D(2025, 4, 30), False),
        (D(2025, 5, 1), False),
        (D(2025, 5, 2), False),  # the swapped Friday
        (D(2025, 5, 3), False),  # an ordinary Saturday
        (D(2025, 9, 1), False),
        (D(2025, 9, 2), False),
        (D(2025, 9, 3), True),
        (D(2026, 2, 16), False),  # Tết 2026
        (D(2026, 8, 22), True),  # Saturday worked in exchange for 31/08/2026
        (D(2026, 8, 31), False),
        (D(2026, 8, 29), False),  # an ordinary Saturday
    ],
)
def test_national_working_days(day: date, working: bool) -> None:
    assert VN.is_working_day(day) is working


@pytest.mark.parametrize(
    ("due", "effective"),
    [
        (D(2025, 8, 31), D(2025, 9, 3)),  # Sunday, then 1/9 and 2/9 holidays
        (D(2025, 9, 27), D(2025, 9, 29)),  # Saturday → Monday
        (D(2025, 9, 30), D(2025, 9, 30)),  # a Tuesday stays
        (D(2025, 1, 25), D(2025, 2, 3)),  # Saturday before Tết → after Tết
        (D(2025, 4, 26), D(2025, 4, 26)),  # the make-up Saturday is a working day
        (D(2025, 4, 30), D(2025, 5, 5)),  # 30/4, 1/5, 2/5 off, then a weekend
        (None, None),
    ],
)
def test_effective_due(due: date | None, effective: date | None) -> None:
    assert VN.effective_due(due) == effective


def test_previous_and_next_working_day() -> None:
    assert VN.previous_working_day(D(2025, 2, 2)) == D(2025, 1, 24)
    assert VN.previous_working_day(D(2025, 2, 3)) == D(2025, 2, 3)
    assert VN.next_working_day(D(2025, 5, 2)) == D(2025, 5, 5)
    assert VN.next_working_day(D(2025, 5, 5)) == D(2025, 5, 5)


def test_unit_days_off_and_make_up_days() -> None:
    unit = national_calendar([2025], days_off=[D(2025, 12, 24)], working_days=[D(2025, 12, 27)])
    assert not unit.is_working_day(D(2025, 12, 24))  # a Wednesday the unit closes
    assert unit.effective_due(D(2025, 12, 24)) == D(2025, 12, 25)
    assert unit.is_working_day(D(2025, 12, 27))  # a Saturday the unit works
    assert unit.effective_due(D(2025, 12, 27)) == D(2025, 12, 27)
    assert unit.is_working_day(D(2025, 4, 26))  # national make-up day still there
    assert VN.is_working_day(D(2025, 12, 24))  # other units unaffected


def test_unit_day_off_wins_over_make_up_day() -> None:
    cal = WorkCalendar(
        holidays=[D(2025, 5, 2)],
        days_off=[D(2025, 4, 26)],
        working_days=[D(2025, 4, 26), D(2025, 5, 2)],
    )
    assert not cal.is_working_day(D(2025, 4, 26))
    assert cal.is_working_day(D(2025, 5, 2))  # working_days wins over holidays


def test_national_calendar_is_cached() -> None:
    assert national_calendar([2026, 2025]) is national_calendar((2025, 2026))


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        (D(2025, 1, 24), 0, D(2025, 1, 24)),
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # over the weekend and Tết
        (D(2025, 1, 24), 5, D(2025, 2, 7)),
        (D(2025, 2, 3), -1, D(2025, 1, 24)),
        (D(2025, 4, 25), 1, D(2025, 4, 26)),  # the make-up Saturday counts
        (D(2025, 4, 25), 2, D(2025, 4, 28)),
        (D(2025, 4, 25), 3, D(2025, 4, 29)),
        (D(2025, 4, 25), 4, D(2025, 5, 5)),  # 30/4–4/5 off
        (D(2025, 5, 5), -1, D(2025, 4, 29)),
        (D(2025, 5, 5), -3, D(2025, 4, 26)),
        (D(2025, 5, 5), -4, D(2025, 4, 25)),
        (D(2025, 9, 27), 0, D(2025, 9, 29)),  # n = 0 from a Saturday: next working day
        (D(2025, 8, 29), 1, D(2025, 9, 3)),
    ],
)
def test_add_working_days(start: date, n: int, end: date) -> None:
    assert VN.add_working_days(start, n) == end


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (D(2025, 1, 24), D(2025, 2, 7), 5),
        (D(2025, 2, 7), D(2025, 1, 24), -5),
        (D(2025, 4, 25), D(2025, 5, 5), 4),  # 26/4, 28/4, 29/4, 5/5
        (D(2025, 5, 5), D(2025, 4, 25), -4),
        (D(2025, 8, 29), D(2025, 9, 3), 1),
        (D(2025, 9, 3), D(2025, 9, 3), 0),
        # 2025: 261 weekdays − 12 weekday holidays + 1 make-up Saturday
        (D(2024, 12, 31), D(2025, 12, 31), 250),
    ],
)
def test_working_days_between(a: date, b: date, count: int) -> None:
    assert VN.working_days_between(a, b) == count


def test_plain_calendar_is_monday_to_friday() -> None:
    cal = WorkCalendar()
    assert cal.working_days_between(D(2025, 6, 1), D(2025, 6, 30)) == 21  # June 2025
    assert cal.add_working_days(D(2025, 6, 6), 1) == D(2025, 6, 9)


@given(st.dates(D(2024, 1, 1), D(2027, 12, 31)), st.integers(-400, 400))
def test_add_then_count_round_trips(day: date, n: int) -> None:
    start = VN.next_working_day(day)
    end = VN.add_working_days(start, n)
    assert VN.is_working_day(end)
    assert VN.working_days_between(start, end) == n
