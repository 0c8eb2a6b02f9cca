"""The Kỳ Lạc plan simulated day by day, 25/08/2025 – 03/10/2025, through the real CLI
(`planflow remind --as-of D`) against a real SMTP server on 127.0.0.1.

How the expected list was derived (by hand, from plans/ky-lac-2025.yaml):

* Days off in the window: weekends and National Day, Mon 01/09 and Tue 02/09/2025.
* I.2.1 (due Fri 25/07, lead VHXH, partners VP KT TTHCC) is N working days overdue:
  25/08 → 21, then +1 per working day (29/08 → 25, 03/09 → 26 … 03/10 → 48).
  I.2.2 (VHXH) and III.2.1 (TTHCC, partner VP) are due Thu 31/07: N − 4.
  Digest when overdue is a multiple of 3; escalation (to the coordinator, Cc the chairman)
  at 7, 10, 13 … (overdue ≡ 1 mod 3).
* Every head gets ONE digest a day and no digest has a Cc: a partner department's head
  finds the items it partners in a section of its own digest ("partner" lines). I.2.1 and
  I.2.2 are partnered by VP, KT and TTHCC ("Các phòng chủ trì CCHC của xã" less the lead),
  III.2.1 by VP. So with N mod 3:
    0 → digest VHXH: I.2.1; digests VP, KT, TTHCC: I.2.1 as partner;
    1 → digest VHXH: I.2.2; digest TTHCC: III.2.1, then I.2.2 as partner; digest VP:
        I.2.2 and III.2.1 as partner; digest KT: I.2.2 as partner; escalation: I.2.1;
    2 → escalation: I.2.2, III.2.1.
  (Before, the partners were in Cc of the lead's digest: 1 and 3 messages on those days,
  now 4 and 5; the same people are reached, each once.)
* Q3 items (due Tue 30/09): 7 working days before = Fri 19/09 (29 26 25 24 23 22 19),
  3 before = Thu 25/09, 1 before = Mon 29/09, due Tue 30/09, overdue 3 = Fri 03/10.
  One line per lead department's part (shared tasks) to that head; VII.2.2.2 has no lead
  and goes to the coordinator (the person added with role coordinator) as "coordinate".
  Partner lines, one per part of the task: VP partners III.2.2, III.2.3, III.2.5–III.2.9
  (every part of each) and is partner of I.2.5 and VII.2.2.1 (VHXH's); KT, VHXH and TTHCC
  partner VP's II.2.1, II.2.3 and III.2.10 ("Các phòng, ban, đoàn thể xã", "UBND cấp xã"
  less VP); KT and TTHCC partner I.2.5; KT partners VII.2.2.1 ("Các phòng chuyên môn").
* Weekly on Mondays: the unscheduled list (IV.2.1, VI.2.4) to the coordinator and the
  progress snapshot to the chairman; Mon 01/09 is a holiday → Fri 29/08.
* Day 10/09 the SMTP server is unreachable; its messages go out on 11/09.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from smtpsink import SmtpServer, free_port
from test_outbox import people, rows

pytestmark = pytest.mark.slow

VP, KT, VHXH, TTHCC = (f"{d}@kylac.example.vn" for d in ("vp", "kt", "vhxh", "tthcc"))
COORD, CHAIR = "cchc@kylac.example.vn", "chutich@kylac.example.vn"

# Q3 lines per recipient, in the digest's order (due day, then code), lead lines first.
# VP is the named partner of III.2.2, III.2.3 and III.2.5–III.2.9, not a lead through the
# group that leads them: it has a partner line per part of those, and no part of its own.
VP_Q3 = [
    "I.2.4 Q3 VP",
    "II.2.1 Q3 VP",
    "II.2.3 Q3 VP",
    "III.2.10 Q3 VP",
]
KT_Q3 = [
    "I.2.4 Q3 KT",
    "III.2.2 Q3 KT",
    "III.2.3 Q3 KT",
    "III.2.5 Q3 KT",
    "III.2.6 Q3 KT",
    "III.2.7 Q3 KT",
    "III.2.8 Q3 KT",
    "III.2.9 Q3 KT",
]
VHXH_Q3 = [
    "I.2.4 Q3 VHXH",
    "I.2.5 VHXH",
    "III.2.2 Q3 VHXH",
    "III.2.3 Q3 VHXH",
    "III.2.5 Q3 VHXH",
    "III.2.6 Q3 VHXH",
    "III.2.7 Q3 VHXH",
    "III.2.8 Q3 VHXH",
    "III.2.9 Q3 VHXH",
    "VII.2.2.1 Q3 VHXH",
]
TTHCC_Q3 = [
    "I.2.4 Q3 TTHCC",
    "III.2.4 Q3 TTHCC",
    "III.2.5 Q3 TTHCC",
    "III.2.8 Q3 TTHCC",
    "III.2.9 Q3 TTHCC",
]
COORD_Q3 = ["VII.2.2.2 Q3"]
VP_Q3_PARTNER = [
    "I.2.5 VHXH",
    "III.2.2 Q3 KT",
    "III.2.2 Q3 VHXH",
    "III.2.3 Q3 KT",
    "III.2.3 Q3 VHXH",
    "III.2.5 Q3 KT",
    "III.2.5 Q3 TTHCC",
    "III.2.5 Q3 VHXH",
    "III.2.6 Q3 KT",
    "III.2.6 Q3 VHXH",
    "III.2.7 Q3 KT",
    "III.2.7 Q3 VHXH",
    "III.2.8 Q3 KT",
    "III.2.8 Q3 TTHCC",
    "III.2.8 Q3 VHXH",
    "III.2.9 Q3 KT",
    "III.2.9 Q3 TTHCC",
    "III.2.9 Q3 VHXH",
    "VII.2.2.1 Q3 VHXH",
]
KT_Q3_PARTNER = [
    "I.2.5 VHXH",
    "II.2.1 Q3 VP",
    "II.2.3 Q3 VP",
    "III.2.10 Q3 VP",
    "VII.2.2.1 Q3 VHXH",
]
VHXH_Q3_PARTNER = ["II.2.1 Q3 VP", "II.2.3 Q3 VP", "III.2.10 Q3 VP"]
TTHCC_Q3_PARTNER = ["I.2.5 VHXH", "II.2.1 Q3 VP", "II.2.3 Q3 VP", "III.2.10 Q3 VP"]
UNSCHEDULED = ("unscheduled", COORD, ("IV.2.1 VHXH", "VI.2.4"))
SNAPSHOT = ("snapshot", CHAIR, ())


def q3(lines: list[str], reason: str, role: str = "") -> list[str]:
    mark = f" [{role}]" if role else ""
    return [f"{line}: {reason}{mark}" for line in lines]


def i21(n: int) -> list[tuple[str, str, tuple[str, ...]]]:
    line = f"I.2.1 VHXH: quá hạn {n} ngày làm việc"
    return [("digest", VHXH, (line,))] + [
        ("digest", to, (f"{line} [partner]",)) for to in (KT, TTHCC, VP)
    ]


def cycle1(n: int) -> list[tuple[str, str, tuple[str, ...]]]:
    m = f"quá hạn {n - 4} ngày làm việc"
    return [
        ("digest", KT, (f"I.2.2 VHXH: {m} [partner]",)),
        ("digest", TTHCC, (f"III.2.1 TTHCC: {m}", f"I.2.2 VHXH: {m} [partner]")),
        ("digest", VHXH, (f"I.2.2 VHXH: {m}",)),
        ("digest", VP, (f"I.2.2 VHXH: {m} [partner]", f"III.2.1 TTHCC: {m} [partner]")),
        ("escalation", COORD, (f"I.2.1 VHXH: quá hạn {n} ngày làm việc",)),
    ]


def cycle2(n: int) -> list[tuple[str, str, tuple[str, ...]]]:
    m = f"quá hạn {n - 4} ngày làm việc"
    return [("escalation", COORD, (f"I.2.2 VHXH: {m}", f"III.2.1 TTHCC: {m}"))]


def q3_day(reason: str, n: int | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    """The Q3 digests; with `n`, I.2.1 (n working days overdue) is owed the same day: VHXH's
    first line, and its partners' first partner line (due 25/07, before the Q3 items)."""
    late = [f"I.2.1 VHXH: quá hạn {n} ngày làm việc"] if n is not None else []

    def digest(to: str, lead: list[str], partner: list[str]) -> tuple[str, str, tuple[str, ...]]:
        own = (late if to == VHXH else []) + q3(lead, reason)
        partnered = ([f"{line} [partner]" for line in late] if to != VHXH else []) + q3(
            partner, reason, "partner"
        )
        return ("digest", to, (*own, *partnered))

    return [
        ("digest", COORD, tuple(q3(COORD_Q3, reason, "coordinate"))),
        digest(KT, KT_Q3, KT_Q3_PARTNER),
        digest(TTHCC, TTHCC_Q3, TTHCC_Q3_PARTNER),
        digest(VHXH, VHXH_Q3, VHXH_Q3_PARTNER),
        digest(VP, VP_Q3, VP_Q3_PARTNER),
    ]


EXPECTED: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "2025-08-25": [*i21(21), UNSCHEDULED, SNAPSHOT],
    "2025-08-26": cycle1(22),
    "2025-08-27": cycle2(23),
    "2025-08-28": i21(24),
    "2025-08-29": [*cycle1(25), UNSCHEDULED, SNAPSHOT],  # Monday 01/09 is National Day
    "2025-09-03": cycle2(26),
    "2025-09-04": i21(27),
    "2025-09-05": cycle1(28),
    "2025-09-08": [*cycle2(29), UNSCHEDULED, SNAPSHOT],
    "2025-09-09": i21(30),
    "2025-09-10": cycle1(31),
    "2025-09-11": cycle2(32),
    "2025-09-12": i21(33),
    "2025-09-15": [*cycle1(34), UNSCHEDULED, SNAPSHOT],
    "2025-09-16": cycle2(35),
    "2025-09-17": i21(36),
    "2025-09-18": cycle1(37),
    "2025-09-19": [*q3_day("7 ngày làm việc trước hạn"), *cycle2(38)],
    "2025-09-22": [*i21(39), UNSCHEDULED, SNAPSHOT],
    "2025-09-23": cycle1(40),
    "2025-09-24": cycle2(41),
    "2025-09-25": q3_day("3 ngày làm việc trước hạn", 42),
    "2025-09-26": cycle1(43),
    "2025-09-29": [*q3_day("1 ngày làm việc trước hạn"), *cycle2(44), UNSCHEDULED, SNAPSHOT],
    "2025-09-30": q3_day("đến hạn hôm nay", 45),
    "2025-10-01": cycle1(46),
    "2025-10-02": cycle2(47),
    "2025-10-03": q3_day("quá hạn 3 ngày làm việc", 48),
}
KIND_ORDER = {"digest": 0, "escalation": 1, "unscheduled": 2, "snapshot": 3}


def _line(item: dict) -> str:  # type: ignore[type-arg]
    parts = [item["code"], item.get("period") or "", item.get("department") or ""]
    role = item.get("role") or "lead"
    mark = "" if role == "lead" else f" [{role}]"
    return " ".join(p for p in parts if p) + f": {item['reason']}{mark}"


def _normalise(msgs: list) -> list:  # type: ignore[type-arg]
    return sorted(msgs, key=lambda m: (KIND_ORDER[m[0]], m[1]))


def test_a_month_of_reminders(kylac, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    people(kylac)
    up = {"PLANFLOW_SMTP_URL": smtp_server.url, "PLANFLOW_MAIL_FROM": "cchc@kylac.example.vn"}
    down = {**up, "PLANFLOW_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
    got: dict[str, list] = {}  # type: ignore[type-arg]
    day = date(2025, 8, 25)
    while day <= date(2025, 10, 3):
        env = down if day == date(2025, 9, 10) else up
        out = kylac.ok("remind", "--as-of", day.isoformat(), "--json", env=env).json
        msgs = [
            (
                m["kind"],
                m["to"],
                tuple(_line(i) for i in m["items"])
                if m["kind"] != "unscheduled"
                else tuple(_line(i).split(":")[0] for i in m["items"]),
            )
            for m in out["messages"]
        ]
        if msgs:
            got[day.isoformat()] = _normalise(msgs)
        if day == date(2025, 9, 10):
            assert out["sent"] == 0 and out["retrying"] == len(msgs)
        if day == date(2025, 9, 11):
            assert out["sent"] == len(msgs) + len(EXPECTED["2025-09-10"])
        day += timedelta(days=1)
    snapshot = [m for d in EXPECTED.values() for m in d if m[0] == "snapshot"]
    expected = {
        d: _normalise([(k, to, () if k == "snapshot" else items) for k, to, items in msgs])
        for d, msgs in EXPECTED.items()
    }
    got = {
        d: [(k, to, () if k == "snapshot" else items) for k, to, items in msgs]
        for d, msgs in got.items()
    }
    assert got == expected
    assert len(snapshot) == 6

    # Every message delivered exactly once, as counted at the server.
    table = rows(kylac.url)
    assert all(r.status == "sent" for r in table)
    ids = smtp_server.recorder.ids()
    assert len(ids) == len(set(ids)) == len(table) == sum(len(v) for v in EXPECTED.values())
    assert set(ids) == {r.message_id for r in table}

    # Addresses and grouping at the server.
    by_id = {r.message_id: r for r in smtp_server.recorder.received}
    for r in table:
        rec = by_id[r.message_id]
        assert rec.rcpt_tos[0] == r.recipient and sorted(rec.rcpt_tos[1:]) == sorted(r.cc or [])
    esc = next(r for r in table if r.kind == "escalation")
    assert esc.recipient == COORD and esc.cc == [CHAIR]
    # No digest copies anyone: the partners of VHXH's I.2.1 (VP, KT, TTHCC) and KT's
    # partner VP read their own digest, so a head gets at most one message a day.
    digests = [r for r in table if r.kind == "digest"]
    assert all(not r.cc for r in digests)
    assert len({(r.recipient, r.day) for r in digests}) == len(digests)
    vp = next(r for r in digests if r.recipient == VP)
    assert (vp.day, [(i["code"], i["role"]) for i in vp.items]) == (
        date(2025, 8, 25),
        [("I.2.1", "partner")],
    )
    snap = by_id[next(r.message_id for r in table if r.kind == "snapshot")].message
    names = [p.get_filename() for p in snap.iter_attachments()]
    assert names == ["phu-luc-1b-ky-lac-2025-08-25.docx"]
