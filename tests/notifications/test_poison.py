"""No row can block the queue (issue 12): a message that cannot be built fails alone, a row
that keeps killing its deliverer goes last and is then failed, `remind`'s delivery goes on
past one batch, a live claim is not retried, and bad addresses are refused where they enter.
All against a real aiosmtpd sink on 127.0.0.1 and a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from smtpsink import OutboxDb, SmtpServer
from sqlalchemy import update

from planflow.models import Outbox
from planflow.notifications import outbox
from planflow.notifications.smtp import SmtpSender
from planflow.services.reminders import deliver_outbox, deliver_owed

FROM = "planflow@kylac.example.vn"
T0 = datetime(2025, 9, 22, 1, 0, tzinfo=UTC)


def _set(db: OutboxDb, row_id: int, **values: object) -> None:
    from planflow.db import session_scope

    with session_scope(db.url, write=True) as session:
        session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))  # type: ignore[arg-type]


def test_a_poisoned_address_among_200_fails_alone(
    outbox_db: OutboxDb, smtp_server: SmtpServer
) -> None:
    ids = outbox_db.queue(201)
    # An address that slipped in before the checks at entry existed: a CR/LF header injection.
    _set(outbox_db, ids[0], recipient="kt@kylac.example.vn\r\nBcc: x@evil.example")
    result = deliver_outbox(
        outbox_db.url, SmtpSender(smtp_server.url, timeout=5), T0, mail_from=FROM, limit=500
    )
    assert (result.sent, result.failed) == (200, 1)
    assert len(smtp_server.recorder.received) == 200
    rows = {r.id: r for r in outbox_db.rows()}
    assert rows[ids[0]].status == "failed"
    assert "cannot build the message" in rows[ids[0]].last_error
    assert all(rows[i].status == "sent" for i in ids[1:])


def test_a_row_whose_every_attempt_was_interrupted_goes_last_then_fails(
    outbox_db: OutboxDb, smtp_server: SmtpServer
) -> None:
    from planflow.db import session_scope

    poisoned, good = outbox_db.queue(2)
    # Left `sending` by a deliverer that died after 2 attempts: claimed after the fresh row.
    _set(outbox_db, poisoned, status="sending", attempts=2, claimed_by="", claimed_until=None)
    with session_scope(outbox_db.url, write=True) as session:
        claimed = outbox.claim(session, "h1", T0, lease=timedelta(minutes=5), max_attempts=3)
    assert [r.id for r in claimed] == [good, poisoned]
    # Third interruption: at the cap it is failed, not taken again.
    _set(outbox_db, poisoned, status="sending", attempts=3, claimed_by="", claimed_until=None)
    _set(outbox_db, good, claimed_by="", claimed_until=None)
    with session_scope(outbox_db.url, write=True) as session:
        claimed = outbox.claim(session, "h2", T0, lease=timedelta(minutes=5), max_attempts=3)
    assert [r.id for r in claimed] == [good]
    row = {r.id: r for r in outbox_db.rows()}[poisoned]
    assert row.status == "failed" and "gave up after 3 interrupted attempts" in row.last_error


def test_deliver_owed_goes_on_past_one_batch(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(25)
    result = deliver_owed(
        outbox_db.url, SmtpSender(smtp_server.url, timeout=5), mail_from=FROM, budget=60, batch=10
    )
    # Three batches of 10, 10 and 5; nothing left, so no reason to stop is given.
    assert (result.sent, result.left, result.stopped) == (25, 0, "")
    assert len(smtp_server.recorder.received) == 25


def test_deliver_owed_stops_when_the_server_takes_nothing(outbox_db: OutboxDb) -> None:
    from smtpsink import free_port

    outbox_db.queue(3)
    dead = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    result = deliver_owed(
        outbox_db.url, SmtpSender(dead, timeout=2), mail_from=FROM, budget=60, batch=10
    )
    assert result.sent == 0 and result.retrying == 3
    # The three wait for their retry a minute later: not due now, so nothing is "left".
    assert result.left == 0


def test_retry_refuses_a_row_being_delivered(outbox_db: OutboxDb) -> None:
    from planflow.db import session_scope
    from planflow.errors import ConflictError

    [row_id] = outbox_db.queue(1)
    with session_scope(outbox_db.url, write=True) as session:
        # Claimed by a live deliverer (this very process) with its lease running.
        outbox.claim(session, outbox.new_holder(), T0, lease=timedelta(minutes=5))
    with session_scope(outbox_db.url, write=True) as session, pytest.raises(ConflictError):
        outbox.retry_row(session, row_id, T0 + timedelta(minutes=1))
    with session_scope(outbox_db.url, write=True) as session:  # lease over: allowed
        assert outbox.retry_row(session, row_id, T0 + timedelta(minutes=6)).status == "queued"


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("kt moi@kylac", "dấu cách"),
        ("kt@kylac.vn\r\nBcc: x@y.vn", "ký tự điều khiển"),
        ("kt@@kylac.vn", "một dấu @"),
        ("kt@-kylac.vn", "tên miền"),
    ],
)
def test_person_add_refuses_a_bad_address(kylac, address: str, why: str) -> None:  # type: ignore[no-untyped-def]
    res = kylac("person", "add", "Nguyễn Văn A", "--email", address, "--dept", "KT")
    assert res.code != 0 and "Traceback" not in res.err
    assert "--email" in res.err and why in res.err
    assert "Nguyễn Văn A" not in kylac.ok("person", "list").out


def test_plan_file_head_email_with_a_line_break_is_refused(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support import KYLAC_PLAN

    text = KYLAC_PLAN.read_text(encoding="utf-8")
    assert "email: kt@kylac.example.vn" in text
    bad = text.replace(
        "email: kt@kylac.example.vn", 'email: "kt@kylac.example.vn\\r\\nBcc: x@y.vn"'
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    cli.ok("init")
    res = cli("plan", "import", str(path))
    assert res.code != 0 and "Traceback" not in res.err
    assert "bad.yaml" in res.err and "head.email" in res.err and "ký tự điều khiển" in res.err


def test_config_mail_from_is_checked(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("init", env={"PLANFLOW_MAIL_FROM": "cchc kylac"})
    assert res.code != 0 and "Traceback" not in res.err
    assert "PLANFLOW_MAIL_FROM" in res.err and "dấu cách" in res.err
