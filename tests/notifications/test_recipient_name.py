"""The To: header carries the recipient's name ("Nguyễn Văn An <an@…>"), checked at a real
SMTP server: from the sweep through the real CLI, and with a name that tries to inject a
header (CR/LF) or needs RFC 2047 encoding (Vietnamese)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from smtpsink import OutboxDb, Received, SmtpServer

from planflow.notifications.smtp import SmtpSender
from planflow.services.reminders import deliver_outbox

T0 = datetime(2025, 9, 22, 1, 0, tzinfo=UTC)
FROM = "planflow@kylac.example.vn"


def to_header(got: Received) -> str:
    """The To: header as a mail client shows it: RFC 2047 decoded from the raw bytes.

    Not `message["To"].addresses[0].display_name`: Python's address parser keeps the folding
    space between two encoded-words of one name ("hành ch ính") where RFC 2047 6.2 says to
    drop it; the generator may split a long Vietnamese name anywhere, which is legal."""
    from email.header import decode_header, make_header

    [raw] = [v for k, v in got.message.raw_items() if k.lower() == "to"]
    return str(make_header(decode_header(raw)))


def _queue(db: OutboxDb, name: str) -> int:
    from planflow import clock
    from planflow.db import session_scope
    from planflow.notifications.outbox import Draft, queue

    draft = Draft(
        recipient="an@kylac.example.vn",
        recipient_name=name,
        day=date(2025, 9, 22),
        kind="digest",
        subject="[CCHC] Nhắc việc",
        body_text="Nội dung\n",
        body_html="<p>Nội dung</p>",
    )
    with session_scope(db.url, write=True) as session:
        [row_id] = queue(session, db.unit_id, [draft], clock.now())
    return row_id


def test_to_header_has_the_vietnamese_name(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    _queue(outbox_db, "Nguyễn Văn An")
    [row] = outbox_db.rows()
    assert row.recipient_name == "Nguyễn Văn An"  # the row is the record of what was sent
    result = deliver_outbox(
        outbox_db.url, SmtpSender(smtp_server.url, timeout=5), T0, mail_from=FROM
    )
    assert result.sent == 1
    [got] = smtp_server.recorder.received
    assert to_header(got) == "Nguyễn Văn An <an@kylac.example.vn>"
    assert "Nguy" not in str(got.message.raw_items())  # non-ASCII went out RFC 2047-encoded
    assert got.rcpt_tos == ["an@kylac.example.vn"]


def test_a_name_with_crlf_cannot_add_a_header(outbox_db: OutboxDb, smtp_server: SmtpServer) -> None:
    _queue(outbox_db, "Lê Văn Bình\r\nBcc: evil@x.example\r\nX-Evil: 1")
    result = deliver_outbox(
        outbox_db.url, SmtpSender(smtp_server.url, timeout=5), T0, mail_from=FROM
    )
    assert result.sent == 1
    [got] = smtp_server.recorder.received
    assert got.message["Bcc"] is None and got.message["X-Evil"] is None
    assert got.rcpt_tos == ["an@kylac.example.vn"]  # no extra envelope recipient either
    # the whole attempt is folded into the one display name, on one line
    assert to_header(got) == "Lê Văn Bình Bcc: evil@x.example X-Evil: 1 <an@kylac.example.vn>"


def test_the_sweep_names_each_recipient(kylac, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    """Every mail of a real sweep is addressed to a Person by name: the heads' names from the
    plan file and the names given to `person add` are the display names the server gets."""
    import yaml
    from support import KYLAC_PLAN

    plan = yaml.safe_load(KYLAC_PLAN.read_text(encoding="utf-8"))
    names = {d["head"]["email"]: d["head"]["name"] for d in plan["unit"]["departments"]}
    names["chutich@kylac.example.vn"] = "Phạm Văn Chủ"
    names["cchc@kylac.example.vn"] = "Đỗ Thị Hằng"
    kylac.ok(
        "person",
        "add",
        names["chutich@kylac.example.vn"],
        "--email",
        "chutich@kylac.example.vn",
        "--role",
        "chairman",
        "--user",
        "chutich",
    )
    kylac.ok(
        "person",
        "add",
        names["cchc@kylac.example.vn"],
        "--email",
        "cchc@kylac.example.vn",
        "--role",
        "coordinator",
        "--dept",
        "VHXH",
        "--user",
        "cchc",
        user="chutich",
    )
    env = {"PLANFLOW_SMTP_URL": smtp_server.url}
    result = kylac.ok("remind", "--as-of", "25/09/2025", "--json", env=env).json
    assert result["sent"] > 0
    received = smtp_server.recorder.received
    assert len(received) == result["sent"]
    addressed = {}
    for got in received:
        [to] = got.message["To"].addresses
        addressed[to.addr_spec] = to_header(got)
    assert addressed == {a: f"{names[a]} <{a}>" for a in addressed}
    assert len(addressed) >= 2  # heads and the coordinator or chairman, not one name for all
