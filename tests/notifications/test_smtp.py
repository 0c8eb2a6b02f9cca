"""SMTP delivery against a real aiosmtpd server on 127.0.0.1: retries, failures, one
connection per batch, and headers that cannot be injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from smtpsink import OutboxDb, SmtpServer, free_port

from planflow.notifications.smtp import SmtpConfig, SmtpSender, smtp_password
from planflow.services.reminders import deliver_outbox

FROM = "planflow@kylac.example.vn"
T0 = datetime(2025, 9, 22, 1, 0, tzinfo=UTC)


def deliver(db: OutboxDb, server_url: str, now: datetime = T0) -> object:
    return deliver_outbox(db.url, SmtpSender(server_url, timeout=5), now, mail_from=FROM)


def test_a_batch_goes_over_one_connection(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(3)
    result = deliver(outbox_db, smtp_server.url)
    assert (result.sent, result.failed, result.retrying) == (3, 0, 0)
    got = smtp_server.recorder.received
    assert sorted(r.rcpt_tos[0] for r in got) == [f"head{i}@kylac.example.vn" for i in range(3)]
    assert {r.message_id for r in got} == {r.message_id for r in outbox_db.rows()}
    assert all(r.status == "sent" and r.attempts == 1 for r in outbox_db.rows())
    assert deliver(outbox_db, smtp_server.url).sent == 0  # nothing twice


def test_4xx_then_success_delivers_once(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(1)
    smtp_server.recorder.data_replies = ["451 4.3.0 try again later"]
    first = deliver(outbox_db, smtp_server.url)
    assert (first.sent, first.retrying) == (0, 1)
    [row] = outbox_db.rows()
    assert row.status == "queued" and row.attempts == 1 and "451" in row.last_error
    assert row.next_try_at == T0 + timedelta(minutes=1)
    assert deliver(outbox_db, smtp_server.url, T0 + timedelta(seconds=30)).sent == 0  # not yet
    assert deliver(outbox_db, smtp_server.url, T0 + timedelta(minutes=1)).sent == 1
    assert len(smtp_server.recorder.received) == 1
    assert outbox_db.rows()[0].status == "sent"


def test_backoff_doubles_and_gives_up_at_the_limit(
    outbox_db: OutboxDb, smtp_server: SmtpServer
) -> None:
    from planflow.notifications.outbox import RetryPolicy

    outbox_db.queue(1)
    retry = RetryPolicy(max_attempts=3)
    now = T0
    delays = []
    for _ in range(3):
        smtp_server.recorder.data_replies = ["452 4.2.2 mailbox full"]
        deliver_outbox(outbox_db.url, SmtpSender(smtp_server.url), now, mail_from=FROM, retry=retry)
        row = outbox_db.rows()[0]
        if row.next_try_at:
            delays.append(row.next_try_at - now)
            now = row.next_try_at
    assert delays == [timedelta(minutes=1), timedelta(minutes=2)]
    assert outbox_db.rows()[0].status == "failed"


def test_5xx_fails_at_once(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(2)
    smtp_server.recorder.data_replies = ["554 5.6.0 message rejected"]
    result = deliver(outbox_db, smtp_server.url)
    assert (result.sent, result.failed, result.retrying) == (1, 1, 0)
    failed = [r for r in outbox_db.rows() if r.status == "failed"]
    assert len(failed) == 1 and failed[0].next_try_at is None and "554" in failed[0].last_error


def test_refused_recipient_fails_at_once(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(2)
    smtp_server.recorder.refuse = {"head0@kylac.example.vn"}
    result = deliver(outbox_db, smtp_server.url)
    assert (result.sent, result.failed) == (1, 1)
    row0 = outbox_db.rows()[0]
    assert row0.status == "failed" and "550" in row0.last_error


def test_refused_cc_is_noted_but_the_message_is_sent(
    outbox_db: OutboxDb, smtp_server: SmtpServer
) -> None:
    from planflow.db import session_scope
    from planflow.models import Outbox

    [row_id] = outbox_db.queue(1)
    with session_scope(outbox_db.url, write=True) as s:
        row = s.get(Outbox, row_id)
        assert row is not None
        row.cc = ["gone@kylac.example.vn"]
    smtp_server.recorder.refuse = {"gone@kylac.example.vn"}
    assert deliver(outbox_db, smtp_server.url).sent == 1
    assert "gone@kylac.example.vn" in outbox_db.rows()[0].last_error


def test_dropped_connection_is_retried(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(3)
    smtp_server.recorder.drop_on_data = 1
    first = deliver(outbox_db, smtp_server.url)
    assert first.sent == 0 and first.retrying == 1
    rows = outbox_db.rows()
    assert [r.status for r in rows] == ["queued"] * 3
    assert [r.attempts for r in rows] == [1, 0, 0]  # the untried ones spent nothing
    second = deliver(outbox_db, smtp_server.url, T0 + timedelta(minutes=1))
    assert second.sent == 3
    assert sorted(smtp_server.recorder.ids()) == sorted(r.message_id for r in outbox_db.rows())


def test_server_down_then_up(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    outbox_db.queue(2)
    down = f"smtp://127.0.0.1:{free_port()}"
    result = deliver(outbox_db, down)
    assert result.sent == 0 and result.retrying == 2 and "cannot connect" in result.errors[0]
    assert deliver(outbox_db, smtp_server.url, T0 + timedelta(minutes=1)).sent == 2
    assert len(smtp_server.recorder.received) == 2


def test_starttls_is_optional_when_not_offered(
    outbox_db: OutboxDb, smtp_server: SmtpServer
) -> None:
    outbox_db.queue(1)
    assert deliver(outbox_db, smtp_server.url).sent == 1
    outbox_db.queue(1, prefix="other")
    required = deliver(outbox_db, smtp_server.url + "?starttls=require", T0 + timedelta(minutes=1))
    assert required.sent == 0 and required.retrying == 1  # refuses to go on in clear


def test_header_injection_stays_in_the_body(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    from planflow.db import session_scope
    from planflow.models import Outbox

    [row_id] = outbox_db.queue(1)
    with session_scope(outbox_db.url, write=True) as s:
        row = s.get(Outbox, row_id)
        assert row is not None
        row.subject = "Nhắc việc\r\nBcc: evil@x.example"
        row.body_text = "Phòng VHXH\r\nBcc: evil@x.example\n"
    assert deliver(outbox_db, smtp_server.url).sent == 1
    [got] = smtp_server.recorder.received
    assert got.message["Bcc"] is None
    assert got.rcpt_tos == ["head0@kylac.example.vn"]
    assert "\n" not in str(got.message["Subject"])
    assert "Bcc: evil@x.example" in got.message.get_body(("plain",)).get_content()


def test_smtp_url_and_password_rules(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from planflow.errors import ConfigError

    c = SmtpConfig.from_url("smtp://mailer%40kylac@mail.kylac.example.vn:587")
    assert (c.host, c.port, c.username, c.implicit_tls, c.starttls) == (
        "mail.kylac.example.vn",
        587,
        "mailer@kylac",
        False,
        None,
    )
    assert SmtpConfig.from_url("smtps://u@h").port == 465
    with pytest.raises(ConfigError):
        SmtpConfig.from_url("smtp://u:secret@h:25")
    monkeypatch.delenv("PLANFLOW_SMTP_PASSWORD", raising=False)
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("PLANFLOW_SMTP_PASSWORD_FILE", str(secret))
    assert smtp_password() == "s3cret"


def test_the_password_never_reaches_the_outbox(outbox_db: OutboxDb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    outbox_db.queue(1)
    monkeypatch.setenv("PLANFLOW_SMTP_PASSWORD", "hunter2-secret")
    result = deliver(outbox_db, f"smtp://user@127.0.0.1:{free_port()}")
    assert "hunter2" not in repr(result)
    assert all("hunter2" not in (r.last_error or "") for r in outbox_db.rows())
