"""Progress math on hand-built plans; every expected figure is worked out by hand here."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.calendar import WorkCalendar
from planflow.engine.progress import (
    HALF_UP,
    ROUNDINGS,
    TRUNCATE,
    ItemSnapshot,
    TaskSnapshot,
    compute,
    format_percent,
    percent_of,
    summary_sentence,
)

AS_OF = date(2025, 12, 14)
DUE = date(2025, 9, 30)


def done(code: str, on: date = DUE, due: date = DUE, **kw: object) -> TaskSnapshot:
    item = ItemSnapshot(status="done", due=due, completed_on=on, evidence=f"QĐ {code}")
    return TaskSnapshot(code=code, text=f"Nhiệm vụ {code}", due=due, items=(item,), **kw)  # type: ignore[arg-type]


def open_(
    code: str, status: str = "not_started", due: date = date(2025, 12, 31), **kw: object
) -> TaskSnapshot:
    item = ItemSnapshot(status=status, due=due)
    return TaskSnapshot(code=code, text=f"Nhiệm vụ {code}", due=due, items=(item,), **kw)  # type: ignore[arg-type]


def test_ky_lac_30_of_35_is_85_7() -> None:
    # 28 done on time + 2 done one day late = 30 done; 3 in progress (one past due), 2 not started.
    tasks = [done(f"T{i}") for i in range(28)]
    tasks += [done("L1", on=DUE + timedelta(days=1)), done("L2", on=date(2025, 11, 3))]
    tasks += [
        open_("P1", "in_progress"),
        open_("P2", "in_progress"),
        open_("P3", "in_progress", due=date(2025, 12, 1)),
    ]
    tasks += [open_("N1"), open_("N2")]
    p = compute(tasks, AS_OF)
    f = p.figures
    assert (f.total, f.done, f.on_time, f.late) == (35, 30, 28, 2)
    assert (f.in_progress, f.not_started, f.overdue) == (3, 2, 1)
    assert f.percent == Decimal("85.7")  # 30/35 = 85.714…
    assert p.percent_text == "85,7%"
    assert summary_sentence(p).startswith(
        "Hoàn thành 30/35 nhiệm vụ, đạt 85,7%. Trong đó: đúng hạn 28, quá hạn 2; "
        "đang thực hiện 3, chưa thực hiện 2; quá hạn chưa hoàn thành 1."
    )
    assert summary_sentence(p, "en").startswith("Completed 30/35 tasks (85.7%).")


def test_thach_khe_16_of_38_is_42_1() -> None:
    tasks = [done(f"D{i}") for i in range(16)] + [open_(f"O{i}") for i in range(22)]
    p = compute(tasks, date(2025, 9, 14))
    assert (p.figures.done, p.figures.total) == (16, 38)
    assert p.percent_text == "42,1%"  # 16/38 = 42.105…


def test_huong_long_30_of_32_two_decimals() -> None:
    tasks = [done(f"D{i}") for i in range(30)] + [open_("O1"), open_("O2")]
    p = compute(tasks, date(2023, 12, 14), precision=2)
    assert p.figures.percent == Decimal("93.75")
    assert p.percent_text == "93,75%"


def test_province_tasks_35_on_time_8_late_counted_apart() -> None:
    adhoc = [done(f"PA.{i}", source="ad_hoc") for i in range(35)]
    adhoc += [done(f"PL.{i}", on=DUE + timedelta(days=5), source="ad_hoc") for i in range(8)]
    plan = [done("I.1"), open_("I.2")]
    p = compute(plan + adhoc, AS_OF)
    a = p.ad_hoc
    assert (a.total, a.done, a.on_time, a.late) == (43, 43, 35, 8)
    assert (p.figures.total, p.figures.done) == (2, 1)  # the appendix's X/Y stays apart
    assert p.percent_text == "50%"
    assert "đúng hạn: 35 nhiệm vụ; hoàn thành nhưng quá hạn: 8 nhiệm vụ" in summary_sentence(p)


def test_cancelled_and_archived_leave_the_total() -> None:
    tasks = [
        done("A"),
        open_("B"),
        open_("C", cancelled=True, cancel_reason="sáp nhập"),
        open_("D", archived=True),
    ]
    p = compute(tasks, AS_OF)
    assert (p.figures.total, p.figures.done) == (2, 1)
    assert [r.code for r in p.cancelled] == ["C"]
    assert p.cancelled[0].cancel_reason == "sáp nhập"
    assert "D" not in [r.code for r in p.rows]


def test_recurring_task_counts_occurrences() -> None:
    quarters = {
        "Q1": date(2025, 3, 31),
        "Q2": date(2025, 6, 30),
        "Q3": date(2025, 9, 30),
        "Q4": date(2025, 12, 31),
    }
    items = (
        ItemSnapshot("Q1", status="done", due=quarters["Q1"], completed_on=date(2025, 3, 20)),
        ItemSnapshot("Q2", status="done", due=quarters["Q2"], completed_on=date(2025, 7, 2)),
        ItemSnapshot("Q3", status="not_started", due=quarters["Q3"]),
        ItemSnapshot("Q4", status="not_started", due=quarters["Q4"]),
    )
    task = TaskSnapshot("II.1", "Rà soát TTHC", leads=("VP",), due=quarters["Q4"], items=items)
    # 06/10/2025 (Monday): Q3 is 6 calendar days past 30/09 and 4 working days (1, 2, 3, 6/10).
    p = compute([task], date(2025, 10, 6))
    row = p.rows[0]
    assert row.occurrences == (2, 4)
    assert row.parts is None
    assert row.state == "in_progress"
    assert (row.overdue_days, row.overdue_working_days) == (6, 4)
    assert [(o.period, o.days, o.working_days) for o in p.overdue] == [("Q3", 6, 4)]
    assert p.figures.overdue == 1
    # All four done, Q2 late (02/07 after 30/06): the task is done, late.
    finished = TaskSnapshot(
        "II.1",
        "x",
        due=quarters["Q4"],
        items=(
            items[0],
            items[1],
            ItemSnapshot("Q3", status="done", due=quarters["Q3"], completed_on=date(2025, 9, 1)),
            ItemSnapshot("Q4", status="done", due=quarters["Q4"], completed_on=date(2025, 12, 1)),
        ),
    )
    p = compute([finished], AS_OF)
    assert (p.figures.done, p.figures.late, p.rows[0].occurrences) == (1, 1, (4, 4))
    assert p.rows[0].completed_on == date(2025, 12, 1)


def test_shared_task_counts_each_departments_part() -> None:
    items = (
        ItemSnapshot(department="KT", status="done", due=DUE, completed_on=date(2025, 9, 1)),
        ItemSnapshot(department="VHXH", status="done", due=DUE, completed_on=date(2025, 10, 2)),
        ItemSnapshot(department="VP", status="in_progress", due=DUE),
    )
    shared = TaskSnapshot(
        "III.2",
        "Số hóa hồ sơ",
        section="III",
        section_title="TTHC",
        leads=("KT", "VHXH", "VP"),
        due=DUE,
        items=items,
    )
    own = done("III.3", leads=("KT",), section="III", section_title="TTHC")
    p = compute([shared, own], date(2025, 10, 10), department_names={"KT": "Phòng Kinh tế"})
    assert p.rows[0].parts == (2, 3)
    assert (p.figures.total, p.figures.done, p.figures.in_progress) == (2, 1, 1)
    depts = {g.key: g for g in p.by_department}
    assert depts["KT"].title == "Phòng Kinh tế"
    assert (depts["KT"].figures.total, depts["KT"].figures.done) == (2, 2)
    assert (depts["VHXH"].figures.done, depts["VHXH"].figures.late) == (1, 1)
    assert (depts["VP"].figures.done, depts["VP"].figures.overdue) == (0, 1)
    assert [(g.key, g.figures.total, g.figures.done) for g in p.by_section] == [("III", 2, 1)]
    assert [o.department for o in p.overdue] == ["VP"]


def test_on_time_is_on_or_before_the_due_date() -> None:
    p = compute(
        [
            done("A", on=DUE),
            done("B", on=DUE + timedelta(days=1)),
            done("C", on=DUE - timedelta(days=30)),
        ],
        AS_OF,
    )
    assert [r.on_time for r in p.rows] == [True, False, True]


def test_due_soon_and_not_yet_overdue() -> None:
    as_of = date(2025, 9, 25)
    tasks = [
        open_("A", due=date(2025, 9, 25)),
        open_("B", due=date(2025, 10, 2)),
        open_("C", due=date(2025, 10, 3)),
        open_("D", due=date(2025, 9, 24)),
    ]
    p = compute(tasks, as_of)
    assert [e.code for e in p.due_soon] == ["A", "B"]  # due today and in exactly 7 days
    assert [e.code for e in p.overdue] == ["D"]
    assert (p.figures.due_soon, p.figures.overdue) == (2, 1)


def test_working_days_use_the_calendar() -> None:
    # 02/09/2025 (Tue) is National Day: due 29/08 (Fri), as of 03/09 (Wed) → 5 days, 1 working.
    cal = WorkCalendar(holidays=[date(2025, 9, 1), date(2025, 9, 2)])
    p = compute([open_("A", due=date(2025, 8, 29))], date(2025, 9, 3), cal)
    assert (p.overdue[0].days, p.overdue[0].working_days) == (5, 1)


def test_period_counts_tasks_completed_within_it() -> None:
    tasks = [done("A", on=date(2025, 6, 1)), done("B", on=date(2025, 8, 1)), open_("C")]
    p = compute(tasks, date(2025, 9, 14), period_start=date(2025, 6, 15))
    assert (p.figures.done, p.figures.done_in_period) == (2, 1)


def test_task_without_items_is_its_own_item() -> None:
    task = TaskSnapshot(
        "X", "x", status="done", due=DUE, completed_on=date(2025, 10, 1), evidence="=cmd"
    )
    p = compute([task], AS_OF)
    assert (p.figures.done, p.figures.late, p.rows[0].evidence) == (1, 1, "=cmd")


@pytest.mark.parametrize(
    ("value", "precision", "lang", "text"),
    [
        (Decimal("85.7"), 1, "vi", "85,7%"),
        (Decimal("85.7"), 1, "en", "85.7%"),
        (Decimal("93.75"), 2, "vi", "93,75%"),
        (Decimal("100"), 1, "vi", "100%"),
        (Decimal("99.96"), 1, "vi", "99,9%"),
        (Decimal("50.0"), 1, "vi", "50%"),
        (Decimal("0"), 0, "vi", "0%"),
    ],
)
def test_format_percent(value: Decimal, precision: int, lang: str, text: str) -> None:
    assert format_percent(value, precision, lang) == text


def test_percent_rounds_half_up_by_default_or_truncates() -> None:
    assert percent_of(1, 7) == Decimal("14.3")  # 14.285… half-up
    assert percent_of(1, 7, 1, TRUNCATE) == Decimal("14.2")
    assert percent_of(2, 3) == Decimal("66.7")
    assert percent_of(2, 3, 1, TRUNCATE) == Decimal("66.6")
    assert percent_of(1, 8, 1) == Decimal("12.5")  # 12.5 exactly: nothing to round
    assert percent_of(1, 16, 1) == Decimal("6.3")  # 6.25: the half goes up
    assert percent_of(0, 0) == Decimal(0)
    # the seeds' figures come out as written under both rules
    for rounding in ROUNDINGS:
        assert percent_of(30, 35, 1, rounding) == Decimal("85.7")
        assert percent_of(16, 38, 1, rounding) == Decimal("42.1")
        assert percent_of(30, 32, 2, rounding) == Decimal("93.75")


def test_percent_never_reaches_100_or_0_by_rounding() -> None:
    assert percent_of(1999, 2000) == Decimal("99.9")  # 99.95 would round to 100.0
    assert percent_of(9999, 10000, 1, TRUNCATE) == Decimal("99.9")
    assert percent_of(1, 2000, 1, TRUNCATE) == Decimal("0.1")  # 0.05 would truncate to 0.0
    assert percent_of(1, 3000) == Decimal("0.1")  # 0.033… would round to 0.0
    assert percent_of(1, 300, 0) == Decimal(1)


@given(st.integers(0, 5000), st.integers(1, 5000), st.integers(0, 4), st.sampled_from(ROUNDINGS))
def test_percent_in_range_and_100_only_when_all_done(
    done_: int, total: int, prec: int, rounding: str
) -> None:
    done_ = min(done_, total)
    value = percent_of(done_, total, prec, rounding)
    exact = Decimal(done_ * 100) / Decimal(total)
    quantum = Decimal(1).scaleb(-prec)
    assert Decimal(0) <= value <= Decimal(100)
    assert (value == 100) == (done_ == total)
    assert (value == 0) == (done_ == 0)
    assert abs(value - exact) < quantum
    clamped = value in (quantum, 100 - quantum)
    if rounding == HALF_UP and not clamped:
        assert abs(value - exact) <= quantum / 2
    if rounding == TRUNCATE and not clamped:
        assert value <= exact


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["done", "in_progress", "not_started", "cancelled"]),
            st.integers(-30, 30),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_figures_add_up(specs: list[tuple[str, int, bool]]) -> None:
    tasks = []
    for n, (status, offset, archived) in enumerate(specs):
        due = AS_OF + timedelta(days=offset)
        item = ItemSnapshot(status=status, due=due, completed_on=due if status == "done" else None)
        tasks.append(TaskSnapshot(f"T{n}", "t", due=due, items=(item,), archived=archived))
    f = compute(tasks, AS_OF).figures
    live = [s for s in specs if not s[2] and s[0] != "cancelled"]
    assert f.total == len(live)
    assert f.done + f.in_progress + f.not_started == f.total
    assert f.on_time + f.late == f.done
    assert 0 <= f.percent <= 100
    assert (f.percent == 100) == (f.total > 0 and f.done == f.total)
