"""A plan over several years (engine.planning): the plan's last year reaches the deadline
reader, so "Hằng năm" in a 2026–2030 plan is one item a year; unread phrases are flagged
with their row, the task's own and an activity's own."""

from __future__ import annotations

from datetime import date

from planflow.engine.calendar import WorkCalendar
from planflow.engine.names import Directory
from planflow.engine.plandoc import (
    ActivityDoc,
    DepartmentDoc,
    ObjectiveDoc,
    PlanDoc,
    SectionDoc,
    TaskDoc,
    UnitDoc,
)
from planflow.engine.planning import plan_tasks
from planflow.engine.types import DeadlineKind

UNIT = UnitDoc("KYLAC", "UBND xã Kỳ Lạc", [DepartmentDoc("VHXH", "Phòng VHXH")])
CALENDAR = WorkCalendar()  # weekends only: a due date on a Saturday or Sunday moves to Monday


def _plan(until: int | None, *tasks: TaskDoc) -> PlanDoc:
    objective = ObjectiveDoc(tt="1", code="1.1", text="Mục tiêu", tasks=list(tasks))
    section = SectionDoc(code="I", title="CÔNG TÁC CHỈ ĐẠO", objectives=[objective])
    return PlanDoc(year=2026, until=until, sections=[section])


def test_yearly_in_a_five_year_plan_is_one_item_a_year() -> None:
    task = TaskDoc("2.1", "Báo cáo CCHC", lead="Phòng VHXH", deadline="Hằng năm", row=3)
    [plan] = plan_tasks(_plan(2030, task), Directory.from_unit(UNIT), CALENDAR)
    assert plan.deadline.kind is DeadlineKind.RECURRING
    # 31/12 falls on Thu 2026, Fri 2027, Sun 2028 (→ Mon 01/01/2029), Mon 2029, Tue 2030.
    assert [(i.period, i.start, i.due) for i in plan.items] == [
        ("Y2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("Y2027", date(2027, 1, 1), date(2027, 12, 31)),
        ("Y2028", date(2028, 1, 1), date(2029, 1, 1)),
        ("Y2029", date(2029, 1, 1), date(2029, 12, 31)),
        ("Y2030", date(2030, 1, 1), date(2030, 12, 31)),
    ]
    assert (plan.start, plan.due) == (date(2026, 1, 1), date(2030, 12, 31))
    assert plan.flagged == []


def test_yearly_in_a_one_year_plan_is_that_year() -> None:
    task = TaskDoc("2.1", "Báo cáo CCHC", lead="Phòng VHXH", deadline="Hằng năm", row=3)
    [plan] = plan_tasks(_plan(None, task), Directory.from_unit(UNIT), CALENDAR)
    assert [i.due for i in plan.items] == [date(2026, 12, 31)]


def test_a_dated_phrase_is_not_spread_over_the_years() -> None:
    task = TaskDoc("2.2", "Rà soát", lead="Phòng VHXH", deadline="Quý II/2027", row=4)
    [plan] = plan_tasks(_plan(2030, task), Directory.from_unit(UNIT), CALENDAR)
    assert [(i.period, i.due) for i in plan.items] == [("", date(2027, 6, 30))]


def test_unread_phrases_are_flagged_with_their_row() -> None:
    task = TaskDoc(
        "2.3",
        "Tổng kết",
        lead="Phòng VHXH",
        deadline="Sau khi có hướng dẫn của tỉnh",
        row=7,
        activities=[
            ActivityDoc("3.1", "Dự thảo", deadline="Tháng 3/2026", row=7),
            ActivityDoc("3.2", "Trình ký", deadline="Đợt 2", row=8),
        ],
    )
    [plan] = plan_tasks(_plan(2030, task), Directory.from_unit(UNIT), CALENDAR)
    assert plan.deadline.kind is DeadlineKind.UNPARSED
    assert plan.deadline.text == "Sau khi có hướng dẫn của tỉnh"  # kept as written
    assert plan.flagged == [
        ("I.2.3", 7, "Sau khi có hướng dẫn của tỉnh"),
        ("I.2.3 (3.2)", 8, "Đợt 2"),
    ]
