"""The all-units sweep decides, renders and queues exactly what the per-unit sweep does.

Two communes from the real Kỳ Lạc plan (the second with its own addresses and a different
set of completions) are swept day by day through a month, once with `sweep_reminders` unit
by unit and once with `sweep_all_units`; the messages must be equal, field by field. Then a
real sweep queues each owed message once, and sweeping again (either way) queues nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select
from support import KYLAC_PLAN, Cli

from planflow.db import session_scope
from planflow.models import Outbox, Unit
from planflow.services.reminders import sweep_reminders
from planflow.services.sweep_all import sweep_all_units

pytestmark = pytest.mark.slow


@pytest.fixture
def two_units(kylac: Cli, tmp_path: Path) -> str:
    text = (
        KYLAC_PLAN.read_text(encoding="utf-8")
        .replace("code: ky-lac", "code: xa-b")
        .replace("kylac.example.vn", "xab.example.vn")
        .replace("name: UBND xã Kỳ Lạc", "name: UBND xã B")
    )
    plan_b = tmp_path / "xa-b.yaml"
    plan_b.write_text(text, encoding="utf-8")
    kylac.ok("plan", "import", str(plan_b))
    for unit, domain in (("ky-lac", "kylac"), ("xa-b", "xab")):
        kylac.ok(
            "person", "add", f"Chủ tịch {unit}", "--email", f"chutich@{domain}.example.vn",
            "--user", f"ct-{unit}", "--role", "chairman", "--unit", unit,  # the administrator
        )  # fmt: skip
    for code in ("I.2.1", "I.2.2"):  # done in commune B only: its reminders differ
        kylac.ok(
            "--as-of", "20/07/2025", "done", code, "--unit", "xa-b", "--evidence", "KH số 1",
            user="vhxh",
        )  # fmt: skip
    return kylac.url


def _per_unit(url: str, day: date, snapshot: bool) -> list[dict[str, object]]:
    with session_scope(url) as session:
        out = []
        for unit in session.exec(select(Unit).order_by(col(Unit.id))).all():
            result = sweep_reminders(session, unit, day, dry_run=True, snapshot=snapshot)
            out += [m | {"unit": unit.code} for m in result.messages]
        return out


def test_same_messages_as_unit_by_unit_for_a_month(two_units: str) -> None:
    day, seen = date(2025, 9, 1), 0
    while day <= date(2025, 10, 3):
        expected = _per_unit(two_units, day, snapshot=False)
        with session_scope(two_units) as session:
            got = sweep_all_units(session, day, dry_run=True, snapshot=False).messages
        assert got == expected, day
        seen += len(expected)
        day += timedelta(days=1)
    assert seen > 20  # the month owes reminders in both units (not a vacuous equality)


def test_queues_each_message_once(two_units: str) -> None:
    monday = date(2025, 9, 29)  # with the chairmen's weekly snapshot
    expected = _per_unit(two_units, monday, snapshot=True)
    assert {m["unit"] for m in expected} == {"ky-lac", "xa-b"}
    assert any(m["kind"] == "snapshot" for m in expected)
    with session_scope(two_units, write=True) as session:
        first = sweep_all_units(session, monday)
    assert first.queued == len(expected) and first.already == 0
    with session_scope(two_units) as session:
        rows = session.exec(select(Outbox.recipient, Outbox.kind, Outbox.subject)).all()
    assert sorted(rows) == sorted((m["to"], m["kind"], m["subject"]) for m in expected)
    with session_scope(two_units, write=True) as session:
        again = sweep_all_units(session, monday)
        per_unit = [sweep_reminders(session, u, monday) for u in session.exec(select(Unit)).all()]
    assert again.queued == 0 and again.already == len(expected)
    assert sum(r.queued for r in per_unit) == 0


def test_remind_without_unit_sweeps_every_unit(two_units: str, kylac: Cli) -> None:
    out = kylac.ok("remind", "--dry-run", "--as-of", "01/10/2025", "--json").json
    units = {m["unit"] for m in out["messages"]}
    assert units == {"ky-lac", "xa-b"}
    assert out["unit"] is None and out["queued"] == len(out["messages"])


def test_a_past_day_is_swept_as_the_log_had_it(two_units: str, kylac: Cli) -> None:
    """I.2.5 (Quý III, due Tuesday 30/09/2025) is done in commune B on 25/09, recorded that
    day. Swept for a day before, B's items are those the log held open then: the 7-working-
    day reminder of Friday 19/09 still names I.2.5, all units at once as unit by unit; the
    stored row (done) must not leak into the past."""
    kylac.ok(
        "--as-of", "25/09/2025", "done", "I.2.5", "--unit", "xa-b", "--evidence", "BC số 9",
        user="vhxh",
    )  # fmt: skip
    day = date(2025, 9, 15)
    while day <= date(2025, 9, 30):
        expected = _per_unit(two_units, day, snapshot=False)
        with session_scope(two_units) as session:
            got = sweep_all_units(session, day, dry_run=True, snapshot=False).messages
        assert got == expected, day
        day += timedelta(days=1)

    def b_codes(day: date) -> set[object]:
        with session_scope(two_units) as session:
            messages = sweep_all_units(session, day, dry_run=True, snapshot=False).messages
        return {i["code"] for m in messages if m["unit"] == "xa-b" for i in m["items"]}

    assert "I.2.5" in b_codes(date(2025, 9, 19))  # 7 working days before 30/09
    assert "I.2.5" not in b_codes(date(2025, 9, 29))  # 1 working day before: done by then
    assert "I.2.5" in _codes_of(kylac, "ky-lac", "29/09/2025")  # still open in Kỳ Lạc


def _codes_of(cli: Cli, unit: str, day: str) -> set[str]:
    out = cli.ok("remind", "--dry-run", "--as-of", day, "--unit", unit, "--json").json
    return {i["code"] for m in out["messages"] for i in m["items"]}
