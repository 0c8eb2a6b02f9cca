"""Reminders that cannot reach their department's head are named, never dropped silently.

Dates counted by hand: Fri 17/10/2025 is a working day with no holiday near; 28/10/2025 is
its 7th working day overdue (20 21 22 23 24 27 28), the first escalation day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planflow.calendars import national_calendar
from planflow.engine.reminders import (
    NOBODY,
    Contact,
    Directory,
    OpenItem,
    Policy,
    plan_reminders,
    unreached,
)

CAL = national_calendar([2025])
VP = Contact("Chánh Văn phòng", "vp@kylac.example.vn", "VP")
KT_NO_MAIL = Contact("Trưởng phòng Kinh tế", "", "KT")
COORD = Contact("Điều phối viên CCHC", "cchc@kylac.example.vn", "VHXH")
CHAIR = Contact("Chủ tịch UBND xã", "chutich@kylac.example.vn")
FULL = Directory(heads={"VP": VP, "KT": KT_NO_MAIL}, coordinator=COORD, chairmen=(CHAIR,))
DUE, ESCALATION_DAY = date(2025, 10, 17), date(2025, 10, 28)


def item(code: str, leads: tuple[str, ...], **kw: object) -> OpenItem:
    return OpenItem(code=code, text=f"Nhiệm vụ {code}", due=DUE, leads=leads, **kw)  # type: ignore[arg-type]


def test_everyone_reachable_means_no_gap() -> None:
    assert unreached([item("I.1", ("VP",))], DUE, CAL, Policy(), FULL) == {}


def test_head_without_email_is_named_and_the_coordinator_gets_the_item() -> None:
    items = [item("I.1", ("VP",)), item("VI.2", ("KT",))]
    [to_coord, to_vp] = plan_reminders(items, DUE, CAL, Policy(), FULL)
    assert to_coord.recipient == COORD and [i.code for i in to_coord.items] == ["VI.2"]
    assert to_vp.recipient == VP
    assert unreached(items, DUE, CAL, Policy(), FULL) == {"KT": ["VI.2/KT"]}


def test_without_a_coordinator_email_the_items_reach_nobody() -> None:
    no_coord = replace(FULL, coordinator=Contact("Điều phối viên", ""))
    items = [item("VI.2", ("KT",)), item("I.6", ())]
    assert plan_reminders(items, DUE, CAL, Policy(), no_coord) == []
    assert unreached(items, DUE, CAL, Policy(), no_coord) == {
        NOBODY: ["I.6", "VI.2/KT"],
        "KT": ["VI.2/KT"],
    }


def test_escalation_reaches_the_chairman_when_there_is_no_coordinator() -> None:
    items = [item("I.1", ("VP",))]
    alone = replace(FULL, coordinator=None)
    [message] = plan_reminders(items, ESCALATION_DAY, CAL, Policy(), alone)
    assert (message.kind, message.recipient) == ("escalation", CHAIR)
    assert unreached(items, ESCALATION_DAY, CAL, Policy(), alone) == {}
    nobody = replace(alone, chairmen=())
    assert unreached(items, ESCALATION_DAY, CAL, Policy(), nobody) == {NOBODY: ["I.1/VP"]}


def test_unscheduled_weekly_list_without_a_coordinator() -> None:
    monday = date(2025, 10, 20)
    items = [OpenItem("IV.1", "Theo lộ trình", None, leads=("VP",), deadline_kind="unscheduled")]
    assert unreached(items, monday, CAL, Policy(), FULL) == {}
    assert unreached(items, monday, CAL, Policy(), replace(FULL, coordinator=None)) == {
        NOBODY: ["IV.1/VP"]
    }


def test_a_shared_task_names_the_lead_whose_head_has_no_email() -> None:
    # I.9 is led by VP and KT as one item: VP's head has it, KT's share goes to the
    # coordinator and KT is named; the partner's copy (VP) counts for nothing either way.
    items = [item("I.9", ("VP", "KT")), item("VI.3", ("KT",), partners=("VP",))]
    msgs = plan_reminders(items, DUE, CAL, Policy(), FULL)
    assert [(m.recipient, [(i.code, i.role) for i in m.items]) for m in msgs] == [
        (COORD, [("I.9", "coordinate"), ("VI.3", "coordinate")]),
        (VP, [("I.9", "lead"), ("VI.3", "partner")]),
    ]
    assert unreached(items, DUE, CAL, Policy(), FULL) == {"KT": ["I.9/KT", "VI.3/KT"]}
    assert unreached((), DUE, CAL, Policy(), FULL, msgs) == {"KT": ["I.9/KT", "VI.3/KT"]}
    no_coord = replace(FULL, coordinator=None)
    # Without a coordinator KT's share of I.9 and all of VI.3 reach nobody, though VP
    # has I.9 (its own share) and a partner's copy of VI.3.
    assert unreached(items, DUE, CAL, Policy(), no_coord) == {
        "KT": ["I.9/KT", "VI.3/KT"],
        NOBODY: ["I.9/KT", "VI.3/KT"],
    }
