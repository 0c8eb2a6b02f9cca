"""The reminder policy on hand-built items with the real Vietnamese calendar.

Every expected date below was counted by hand on a printed calendar; the comments show the
count so a reviewer can redo it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planflow.calendars import national_calendar
from planflow.engine.reminders import (
    ROLES,
    Contact,
    Directory,
    Message,
    OpenItem,
    Policy,
    plan_reminders,
    reason_text,
    reminder_offsets,
)

CAL = national_calendar([2024, 2025, 2026, 2027])
VP = Contact("Chánh Văn phòng", "vp@kylac.example.vn", "VP")
KT = Contact("Trưởng phòng Kinh tế", "kt@kylac.example.vn", "KT")
VHXH = Contact("Trưởng phòng VHXH", "vhxh@kylac.example.vn", "VHXH")
COORD = Contact("Công chức VHXH phụ trách CCHC", "cchc@kylac.example.vn", "VHXH")
CHAIR = Contact("Chủ tịch UBND xã", "chutich@kylac.example.vn")
DIRECTORY = Directory(
    heads={"VP": VP, "KT": KT, "VHXH": VHXH}, coordinator=COORD, chairmen=(CHAIR,)
)


def item(code: str = "I.1", due: date | None = date(2025, 10, 17), **kw: object) -> OpenItem:
    kw.setdefault("leads", ("VP",))
    return OpenItem(code=code, text=f"Nhiệm vụ {code}", due=due, **kw)  # type: ignore[arg-type]


def timeline(
    items: list[OpenItem], start: date, end: date, policy: Policy = Policy()
) -> list[tuple[date, str, str, str, int]]:
    """(day, kind, recipient, reason, days) for every line sent from start to end."""
    out = []
    d = start
    while d <= end:
        for msg in plan_reminders(items, d, CAL, policy, DIRECTORY):
            for line in msg.items:
                out.append((d, msg.kind, msg.recipient.email, line.reason, line.days))
        d += timedelta(days=1)
    return out


def test_plain_october_schedule() -> None:
    # Due Fri 17/10/2025, no holiday near. Before: 16(1) 15 14(3) 13 10 09 08(7).
    # Overdue: 20 21 22(3) 23 24 27(6) 28(7, escalation) 29 30(9) 31(10 esc) 03/11 04/11(12)
    # 05/11(13 esc).
    got = timeline([item()], date(2025, 10, 1), date(2025, 11, 5))
    vp, cc = VP.email, COORD.email
    assert got == [
        (date(2025, 10, 8), "digest", vp, "before", 7),
        (date(2025, 10, 14), "digest", vp, "before", 3),
        (date(2025, 10, 16), "digest", vp, "before", 1),
        (date(2025, 10, 17), "digest", vp, "due", 0),
        (date(2025, 10, 22), "digest", vp, "overdue", 3),
        (date(2025, 10, 27), "digest", vp, "overdue", 6),
        (date(2025, 10, 28), "escalation", cc, "escalation", 7),
        (date(2025, 10, 30), "digest", vp, "overdue", 9),
        (date(2025, 10, 31), "escalation", cc, "escalation", 10),
        (date(2025, 11, 4), "digest", vp, "overdue", 12),
        (date(2025, 11, 5), "escalation", cc, "escalation", 13),
    ]


def test_tet_week_2026_is_skipped() -> None:
    # Tết 2026: Mon 16/02 – Fri 20/02 off. Three items of VP, derived one by one in the next
    # test; here they are grouped: one digest a day, lines ordered by effective due day.
    # C is due on Tết (Tue 17/02) and so effectively on Mon 23/02.
    items = [
        item("A", date(2026, 2, 27)),
        item("B", date(2026, 2, 13)),
        item("C", date(2026, 2, 17)),
    ]
    got = []
    d = date(2026, 2, 9)
    while d <= date(2026, 3, 3):
        for m in plan_reminders(items, d, CAL, Policy(), DIRECTORY):
            got.append((d, m.kind, tuple((i.code, i.reason, i.days) for i in m.items)))
        d += timedelta(days=1)
    assert got == [
        (date(2026, 2, 10), "digest", (("B", "before", 3),)),
        (date(2026, 2, 11), "digest", (("C", "before", 3), ("A", "before", 7))),
        (date(2026, 2, 12), "digest", (("B", "before", 1),)),
        (date(2026, 2, 13), "digest", (("B", "due", 0), ("C", "before", 1))),
        (date(2026, 2, 23), "digest", (("C", "due", 0),)),
        (date(2026, 2, 24), "digest", (("A", "before", 3),)),
        (date(2026, 2, 25), "digest", (("B", "overdue", 3),)),
        (date(2026, 2, 26), "digest", (("C", "overdue", 3), ("A", "before", 1))),
        (date(2026, 2, 27), "digest", (("A", "due", 0),)),
        (date(2026, 3, 2), "digest", (("B", "overdue", 6),)),
        (date(2026, 3, 3), "digest", (("C", "overdue", 6),)),
        (date(2026, 3, 3), "escalation", (("B", "escalation", 7),)),
    ]
    c_line = next(
        i
        for m in plan_reminders(items, date(2026, 2, 23), CAL, Policy(), DIRECTORY)
        for i in m.items
    )
    assert c_line.due == date(2026, 2, 23)  # the effective due day is what people are told


def test_tet_week_items_one_by_one() -> None:
    def days(it: OpenItem) -> list[tuple[date, str, int]]:
        return [
            (d, r, n) for d, _k, _to, r, n in timeline([it], date(2026, 2, 1), date(2026, 3, 6))
        ]

    assert days(item("A", date(2026, 2, 27))) == [
        (date(2026, 2, 11), "before", 7),
        (date(2026, 2, 24), "before", 3),
        (date(2026, 2, 26), "before", 1),
        (date(2026, 2, 27), "due", 0),
        (date(2026, 3, 4), "overdue", 3),
    ]
    assert days(item("B", date(2026, 2, 13))) == [
        (date(2026, 2, 4), "before", 7),
        (date(2026, 2, 10), "before", 3),
        (date(2026, 2, 12), "before", 1),
        (date(2026, 2, 13), "due", 0),
        (date(2026, 2, 25), "overdue", 3),
        (date(2026, 3, 2), "overdue", 6),
        (date(2026, 3, 3), "escalation", 7),
        (date(2026, 3, 5), "overdue", 9),
        (date(2026, 3, 6), "escalation", 10),
    ]
    # C: due Tue 17/02 (Tết) → Mon 23/02. Before: 13(1) 12 11(3) 10 09 06 05(7).
    assert days(item("C", date(2026, 2, 17))) == [
        (date(2026, 2, 5), "before", 7),
        (date(2026, 2, 11), "before", 3),
        (date(2026, 2, 13), "before", 1),
        (date(2026, 2, 23), "due", 0),
        (date(2026, 2, 26), "overdue", 3),
        (date(2026, 3, 3), "overdue", 6),
        (date(2026, 3, 4), "escalation", 7),
        (date(2026, 3, 6), "overdue", 9),
    ]


def test_make_up_saturday_26_04_2025_is_a_working_day() -> None:
    # Sat 26/04/2025 is worked (in exchange for Fri 02/05). Due Tue 29/04:
    # 28(1) Sat 26(2) Fri 25(3) 24 23 22 21(7). Overdue: 30/04–04/05 off, 05(1) 06 07(3).
    assert CAL.is_working_day(date(2025, 4, 26))
    got = [
        (d, r, n)
        for d, _k, _t, r, n in timeline(
            [item(due=date(2025, 4, 29))], date(2025, 4, 14), date(2025, 5, 8)
        )
    ]
    assert got == [
        (date(2025, 4, 21), "before", 7),
        (date(2025, 4, 25), "before", 3),
        (date(2025, 4, 28), "before", 1),
        (date(2025, 4, 29), "due", 0),
        (date(2025, 5, 7), "overdue", 3),
    ]
    # Due Mon 28/04: the 1-day reminder goes out on the make-up Saturday itself.
    sat = plan_reminders([item(due=date(2025, 4, 28))], date(2025, 4, 26), CAL, Policy(), DIRECTORY)
    assert [(m.kind, m.items[0].reason, m.items[0].days) for m in sat] == [("digest", "before", 1)]


def test_make_up_saturday_22_08_2026() -> None:
    # Sat 22/08/2026 worked for Mon 31/08; 01–02/09 National Day. Due Thu 03/09/2026:
    # Fri 28/08(1), 27(2), 26(3), 25, 24, Sat 22(6), Fri 21(7).
    got = [
        (d, r, n)
        for d, _k, _t, r, n in timeline(
            [item(due=date(2026, 9, 3))], date(2026, 8, 17), date(2026, 9, 3)
        )
    ]
    assert got == [
        (date(2026, 8, 21), "before", 7),
        (date(2026, 8, 26), "before", 3),
        (date(2026, 8, 28), "before", 1),
        (date(2026, 9, 3), "due", 0),
    ]


def test_weekly_unscheduled_list_moves_to_the_working_day_before_a_holiday() -> None:
    # Mondays; Mon 01/09/2025 is National Day → Fri 29/08. Mon 27/01/2025 (Tết) → Fri 24/01.
    it = item("IV.1", None, deadline_kind="unscheduled", deadline_text="Theo lộ trình")
    got = [(d, k, to) for d, k, to, _r, _n in timeline([it], date(2025, 8, 18), date(2025, 9, 16))]
    assert got == [
        (date(2025, 8, 18), "unscheduled", COORD.email),
        (date(2025, 8, 25), "unscheduled", COORD.email),
        (date(2025, 8, 29), "unscheduled", COORD.email),
        (date(2025, 9, 8), "unscheduled", COORD.email),
        (date(2025, 9, 15), "unscheduled", COORD.email),
    ]
    tet = [d for d, *_ in timeline([it], date(2025, 1, 20), date(2025, 2, 10))]
    assert tet == [date(2025, 1, 20), date(2025, 1, 24), date(2025, 2, 3), date(2025, 2, 10)]
    unparsed = replace(it, deadline_kind="unparsed", due=date(2025, 12, 31))
    assert [d for d, *_ in timeline([unparsed], date(2025, 8, 25), date(2025, 8, 31))] == [
        date(2025, 8, 25),
        date(2025, 8, 29),
    ]  # an unparsed phrase is listed even with a guess


def test_nothing_on_a_day_off() -> None:
    its = [item(due=date(2025, 9, 1)), item("X", None, deadline_kind="unscheduled")]
    for d in (date(2025, 8, 30), date(2025, 8, 31), date(2025, 9, 1), date(2025, 9, 2)):
        assert plan_reminders(its, d, CAL, Policy(), DIRECTORY) == []


def lines(msgs: list[Message]) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(kind, recipient) → (code, department, role) per line, in the message's order."""
    return {
        (m.kind, m.recipient.email): [(i.code, i.department, i.role) for i in m.items] for m in msgs
    }


def test_one_digest_per_person_with_partners_in_their_own_section() -> None:
    day = date(2025, 10, 17)
    its = [
        item("I.1", day, partners=("KT", "Công an xã")),
        item("I.2", day, partners=("VHXH",)),
        OpenItem("II.1", "Không chủ trì", day),
        OpenItem("III.1", "Phần chung", day, department="KT", leads=("VP", "KT")),
        OpenItem("III.1", "Phần chung", day, department="VP", leads=("VP", "KT")),
        OpenItem("V.1", "Đã xong", day, leads=("VP",), status="done"),
        OpenItem("V.2", "Bị hủy", day, leads=("VP",), task_status="cancelled"),
        OpenItem("V.3", "Lưu trữ", day, leads=("VP",), archived=True),
    ]
    msgs = plan_reminders(its, day, CAL, Policy(), DIRECTORY)
    # KT leads its part of III.1 and partners I.1: one mail, its own part first although
    # I.1 sorts before III.1; VHXH partners I.2; "Công an xã" has no head and gets nothing.
    assert lines(msgs) == {
        ("digest", "cchc@kylac.example.vn"): [("II.1", "", "coordinate")],
        ("digest", "kt@kylac.example.vn"): [("III.1", "KT", "lead"), ("I.1", "VP", "partner")],
        ("digest", "vhxh@kylac.example.vn"): [("I.2", "VP", "partner")],
        ("digest", "vp@kylac.example.vn"): [
            ("I.1", "VP", "lead"),
            ("I.2", "VP", "lead"),
            ("III.1", "VP", "lead"),
        ],
    }
    assert all(m.cc == () for m in msgs)
    assert len({m.key for m in msgs}) == len(msgs)
    no_partners = plan_reminders(its, day, CAL, Policy(cc_partners=False), DIRECTORY)
    assert lines(no_partners) == {
        ("digest", "cchc@kylac.example.vn"): [("II.1", "", "coordinate")],
        ("digest", "kt@kylac.example.vn"): [("III.1", "KT", "lead")],
        ("digest", "vp@kylac.example.vn"): [
            ("I.1", "VP", "lead"),
            ("I.2", "VP", "lead"),
            ("III.1", "VP", "lead"),
        ],
    }


def test_a_task_shared_by_two_leads_is_each_heads_own_line() -> None:
    # One item (no parts) led by VP and KT: both heads get it as lead, nobody in Cc; the
    # line still names VP, the first lead, as the department answering for it.
    it = OpenItem("I.9", "Hai chủ trì", date(2025, 10, 17), leads=("VP", "KT"))
    msgs = plan_reminders([it], date(2025, 10, 17), CAL, Policy(cc_partners=False), DIRECTORY)
    assert lines(msgs) == {
        ("digest", "kt@kylac.example.vn"): [("I.9", "VP", "lead")],
        ("digest", "vp@kylac.example.vn"): [("I.9", "VP", "lead")],
    }
    assert all(m.cc == () for m in msgs)
    assert msgs[0].items[0].leads == ("VP", "KT")


def test_a_person_sees_an_item_once_in_the_strongest_role() -> None:
    # One person heads VP and KT and is also the coordinator; VHXH has its own head.
    both = Contact("Chánh Văn phòng, kiêm Trưởng phòng Kinh tế", "vp@kylac.example.vn", "VP")
    directory = Directory(heads={"VP": both, "KT": both, "VHXH": VHXH}, coordinator=both)
    day = date(2025, 10, 17)
    its = [
        OpenItem("I.1", "Chung VP, KT", day, leads=("VP", "KT")),  # lead twice → once
        OpenItem("I.2", "VHXH chủ trì, VP phối hợp", day, leads=("VHXH",), partners=("VP",)),
        OpenItem("I.3", "KT chủ trì, VP phối hợp", day, leads=("KT",), partners=("VP", "VHXH")),
        OpenItem("I.4", "Không chủ trì", day, partners=("VP",)),  # partner beats coordinate
        OpenItem("I.5", "Không chủ trì, không phối hợp", day),
    ]
    msgs = plan_reminders(its, day, CAL, Policy(), directory)
    assert lines(msgs) == {
        ("digest", "vhxh@kylac.example.vn"): [("I.2", "VHXH", "lead"), ("I.3", "KT", "partner")],
        ("digest", "vp@kylac.example.vn"): [
            ("I.1", "VP", "lead"),
            ("I.3", "KT", "lead"),
            ("I.2", "VHXH", "partner"),
            ("I.4", "", "partner"),
            ("I.5", "", "coordinate"),
        ],
    }
    assert all(m.cc == () for m in msgs)
    assert len({m.key for m in msgs}) == len(msgs)


DEPTS = ("VP", "KT", "VHXH", "TTHCC", "Công an xã")
PEOPLE = tuple(Contact(f"Người {n}", f"p{n}@kylac.example.vn") for n in range(4)) + (
    Contact("Không mail", ""),
)


@st.composite
def open_items(draw: st.DrawFn) -> OpenItem:
    leads = tuple(draw(st.lists(st.sampled_from(DEPTS), max_size=3, unique=True)))
    part = draw(st.sampled_from(("", *leads))) if len(leads) > 1 else ""
    return OpenItem(
        code=draw(st.sampled_from(("I.1", "I.2", "II.1", "III.2.10"))),
        text="x",
        due=draw(st.dates(date(2025, 9, 1), date(2025, 11, 30))),
        period=draw(st.sampled_from(("", "Q3", "Q4"))),
        department=part,
        leads=leads,
        partners=tuple(draw(st.lists(st.sampled_from(DEPTS), max_size=3, unique=True))),
        status=draw(st.sampled_from(("not_started", "in_progress", "done"))),
    )


@given(
    its=st.lists(open_items(), max_size=12),
    heads=st.dictionaries(st.sampled_from(DEPTS[:4]), st.sampled_from(PEOPLE)),
    coordinator=st.one_of(st.none(), st.sampled_from(PEOPLE)),
    day=st.dates(date(2025, 9, 15), date(2025, 11, 15)),
    cc_partners=st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_every_person_gets_at_most_one_digest_a_day_and_no_cc(
    its: list[OpenItem],
    heads: dict[str, Contact],
    coordinator: Contact | None,
    day: date,
    cc_partners: bool,
) -> None:
    its = [replace(it, item_id=n) for n, it in enumerate(its)]  # one id per item, as stored
    directory = Directory(heads=heads, coordinator=coordinator, chairmen=(CHAIR,))
    msgs = plan_reminders(its, day, CAL, Policy(cc_partners=cc_partners), directory)
    assert len({m.key for m in msgs}) == len(msgs)
    digests = [m for m in msgs if m.kind == "digest"]
    assert len({m.recipient.email.lower() for m in digests}) == len(digests)
    for m in digests:
        assert m.cc == () and m.recipient.email
        roles = [ROLES.index(i.role) for i in m.items]
        assert roles == sorted(roles)  # sections: lead, partner, coordinate
        if not cc_partners:
            assert "partner" not in {i.role for i in m.items}
    # every lead head with an e-mail has each item its department is told of today, as lead
    held = {
        m.recipient.email.lower(): {(i.item_id, i.period): i.role for i in m.items} for m in digests
    }
    for m in digests:
        for line in m.items:
            for d in line.leads:
                head = heads.get(d)
                if head is not None and head.email:
                    assert held[head.email.lower()][line.item_id, line.period] == "lead"


def test_head_without_email_goes_to_the_coordinator() -> None:
    directory = Directory(heads={"VP": Contact("Không mail", "", "VP")}, coordinator=COORD)
    [msg] = plan_reminders(
        [item(due=date(2025, 10, 17))], date(2025, 10, 17), CAL, Policy(), directory
    )
    assert msg.recipient == COORD


def test_escalation_is_one_summary_to_coordinator_and_chairman() -> None:
    due = date(2025, 10, 17)  # 7 working days overdue on Tue 28/10
    its = [item("I.1", due), item("I.2", due, leads=("KT",)), item("I.3", date(2025, 10, 20))]
    msgs = plan_reminders(its, date(2025, 10, 28), CAL, Policy(), DIRECTORY)
    esc = [m for m in msgs if m.kind == "escalation"]
    assert len(esc) == 1
    assert esc[0].recipient == COORD and esc[0].cc == (CHAIR,)
    assert [i.code for i in esc[0].items] == ["I.1", "I.2"]
    assert esc[0].items[0].days_overdue == 7
    assert (
        plan_reminders(its, date(2025, 10, 28), CAL, Policy(escalate_after=0), DIRECTORY)[-1].kind
        == "digest"
    )


def test_policy_from_unit_settings() -> None:
    p = Policy.from_settings(
        {"reminders": {"before": [1, 5], "overdue_every": "2", "cc_partners": False, "unknown": 1}}
    )
    assert p == Policy(before=(5, 1), overdue_every=2, cc_partners=False)
    assert Policy.from_settings(None) == Policy()
    got = [
        (d, r, n)
        for d, _k, _t, r, n in timeline([item()], date(2025, 10, 1), date(2025, 10, 23), p)
    ]
    assert got == [
        (date(2025, 10, 10), "before", 5),
        (date(2025, 10, 16), "before", 1),
        (date(2025, 10, 17), "due", 0),
        (date(2025, 10, 21), "overdue", 2),
        (date(2025, 10, 23), "overdue", 4),
    ]


@pytest.mark.parametrize(
    ("reason", "days", "vi"),
    [
        ("before", 7, "7 ngày làm việc trước hạn"),
        ("due", 0, "đến hạn hôm nay"),
        ("overdue", 5, "quá hạn 5 ngày làm việc"),
    ],
)
def test_reason_texts(reason: str, days: int, vi: str) -> None:
    assert reason_text(reason, days) == vi


def test_rows_with_the_same_attributes_pass_straight_in() -> None:
    class Row:
        code, text, due, leads, partners = "I.1", "x", date(2025, 10, 17), ["VP"], None

    [msg] = plan_reminders([Row()], date(2025, 10, 17), CAL, Policy(), DIRECTORY)
    assert msg.items[0].reason == "due"


def test_engine_imports_only_the_standard_library() -> None:
    import ast
    import sys
    from pathlib import Path

    import planflow.engine.reminders as mod

    tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
    names = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    names |= {
        n.module.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        and n.module
        and n.level == 0
        and not n.module.startswith("planflow.engine.")  # the engine's own pure modules
    }
    assert names <= set(sys.stdlib_module_names) | {"__future__"}


def test_reminder_offsets_are_the_policy_days_in_calendar_days() -> None:
    # Friday 25/07/2025, no holiday near: 7 working days before is Wednesday 16/07 (9 days),
    # 3 is Tuesday 22/07, 1 is Thursday 24/07; and the day itself.
    assert reminder_offsets(date(2025, 7, 25), Policy(), CAL) == [9, 3, 1, 0]
    # Thursday 04/09/2025 after the National Day break (1–2/09 off): the working days before
    # are 03/09, 29/08, 28/08, so 3 before is Thursday 28/08 (7 days), 1 is 03/09.
    assert reminder_offsets(date(2025, 9, 4), Policy(before=(3, 1), on_due=False), CAL) == [7, 1]
