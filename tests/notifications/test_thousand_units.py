"""One `planflow remind` (no --unit: every unit) delivers a thousand units' reminders.

Issue 12: cron runs `remind` once a morning, so that one run must queue AND deliver
everything owed in every unit, however many batches that takes, not stop after the first
batch and leave the rest for a run that never comes. 1,000 communes are written in bulk
(bulkunits.py): two departments each, every head owed one "due today" digest on Wednesday
24/09/2025, so 1,000 × 2 = 2,000 messages, counted at a real aiosmtpd sink on 127.0.0.1.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from bulkunits import DEPARTMENTS, head_email, insert_units
from smtpsink import SmtpServer
from sqlmodel import select
from support import Cli

from planflow.db import session_scope
from planflow.models import Outbox

pytestmark = pytest.mark.slow
DAY = date(2025, 9, 24)  # a Wednesday, a working day
UNITS = 1000
EXPECTED = UNITS * 2  # one digest per department head; two departments per unit


def test_one_remind_run_delivers_every_units_reminders_once(
    cli: Cli, smtp_server: SmtpServer
) -> None:
    assert len(DEPARTMENTS) == 2  # EXPECTED above is derived from two departments
    cli.ok("init")
    assert insert_units(cli.url, UNITS, DAY) == EXPECTED

    started = time.monotonic()
    res = cli(
        "remind", "--as-of", "24/09/2025", "--json",
        env={"PLANFLOW_SMTP_URL": smtp_server.url}, timeout=300,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    print(f"\n1,000 units: one remind run took {elapsed:.1f} s for {EXPECTED} messages")
    assert res.code == 0, res.err
    out = res.json
    assert out["unit"] is None  # the all-units sweep, not one unit
    assert (out["queued"], out["sent"], out["failed"], out["left"]) == (EXPECTED, EXPECTED, 0, 0)

    with session_scope(cli.url) as session:
        rows = session.exec(select(Outbox.status, Outbox.message_id, Outbox.recipient)).all()
    assert len(rows) == EXPECTED
    assert {status for status, _, _ in rows} == {"sent"}  # nothing left queued or sending
    expected_to = {head_email(n, code) for n in range(1, UNITS + 1) for code, _ in DEPARTMENTS}
    assert {to for _, _, to in rows} == expected_to

    ids = smtp_server.recorder.ids()
    assert len(ids) == EXPECTED, f"{len(ids)} deliveries at the sink for {EXPECTED} messages"
    assert len(set(ids)) == EXPECTED  # no Message-ID twice: each delivered exactly once
    assert set(ids) == {mid for _, mid, _ in rows}
