"""SIGKILL in the middle of a delivery batch, then a restart: counted at the server.

The server holds the 8th message of a 20-message batch and the test kills the deliverer
(`planflow remind`) right there. Two cases:

* killed while the server has not accepted the message: after the restart every message
  is delivered exactly once (20 deliveries, 20 distinct Message-IDs);
* killed after the server accepted it but before the client heard "250" — the window no
  SMTP client can close: the restart sends that one message again, with the SAME
  Message-ID, and the outbox row says so ("may already have been delivered"). The test
  checks that the only duplicate is exactly the flagged row.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from smtpsink import OutboxDb, SmtpServer

from planflow.notifications.outbox import MAYBE_DELIVERED

pytestmark = pytest.mark.slow


def _kill_mid_batch(cli, smtp_server: SmtpServer, after_record: bool) -> None:  # type: ignore[no-untyped-def]
    rec = smtp_server.recorder
    rec.hold_at, rec.hold_after_record = 8, after_record
    env = {**cli.env, "PLANFLOW_SMTP_URL": smtp_server.url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "planflow", "remind", "--as-of", "2025-09-23"],
        env=env,
        cwd=cli.home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert rec.holding.wait(60), "the batch never reached the 8th message"
    finally:
        proc.kill()  # SIGKILL: no cleanup of any kind
        proc.wait()
    rec.hold_at = None
    rec.release.set()


@pytest.mark.parametrize("after_record", [False, True], ids=["before-accept", "in-the-window"])
def test_sigkill_mid_batch_then_restart(
    cli,
    outbox_db: OutboxDb,
    smtp_server: SmtpServer,  # type: ignore[no-untyped-def]
    after_record: bool,
) -> None:
    outbox_db.queue(20, day=__import__("datetime").date(2025, 9, 23))
    _kill_mid_batch(cli, smtp_server, after_record)
    rows = outbox_db.rows()
    assert [r.status for r in rows].count("sent") == 7
    assert [r.status for r in rows].count("sending") == 1  # the one in flight, nothing else
    in_flight = next(r for r in rows if r.status == "sending")

    cli.ok("remind", "--as-of", "2025-09-23", env={"PLANFLOW_SMTP_URL": smtp_server.url})
    rows = outbox_db.rows()
    assert all(r.status == "sent" for r in rows)
    ids = smtp_server.recorder.ids()
    assert set(ids) == {r.message_id for r in rows} and len(set(ids)) == 20
    flagged = [r for r in rows if MAYBE_DELIVERED in r.last_error]
    assert [r.id for r in flagged] == [in_flight.id]  # detected and reported
    if after_record:
        assert len(ids) == 21
        assert [i for i in set(ids) if ids.count(i) > 1] == [in_flight.message_id]
    else:
        assert len(ids) == 20  # exactly once
