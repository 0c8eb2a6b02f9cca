"""build_email skips the email package's per-message parsing of constant headers; these tests
hold its output equal to what the package itself builds with set_content/add_alternative,
and check that the shared, pre-folded headers follow each output policy's line ending."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP, default
from types import SimpleNamespace
from typing import Any

from planflow.notifications.message import build_email, parse_address

SENT_AT = datetime(2025, 11, 12, 7, 30, tzinfo=UTC)


def _row(**changes: Any) -> SimpleNamespace:
    row = SimpleNamespace(
        recipient="kt@xa.example.vn",
        recipient_name="Nguyễn Văn An",
        cc=["vp@xa.example.vn"],
        subject="[CCHC] Nhắc việc ngày 12/11/2025: 2 nhiệm vụ, 1 quá hạn",
        body_text="Kính gửi,\n\n- III.2.1 Rà soát = 100% \n" + "x" * 120 + "\n.\nFrom here\n",
        body_html="<p>Kính gửi,<br>=_planflow</p>",
        message_id="<digest.2025-11-12.0123456789abcdef@planflow>",
        attachments=[],
    )
    row.__dict__.update(changes)
    return row


def _reference(row: SimpleNamespace) -> EmailMessage:
    """The same message through the email package's content manager, header by header."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = parse_address("planflow@localhost", "planflow")
    msg["To"] = parse_address(row.recipient, row.recipient_name)
    msg["Cc"] = [parse_address(a) for a in row.cc]
    msg["Subject"] = row.subject
    msg["Message-ID"] = row.message_id
    msg["Date"] = "Wed, 12 Nov 2025 07:30:00 +0000"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body_text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(row.body_html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def _parts(raw: bytes) -> list[tuple[list[tuple[str, str]], str | None]]:
    """Each MIME part's headers (boundaries and MIME-Version aside) and decoded content."""
    out = []
    for part in email.message_from_bytes(raw, policy=default).walk():
        headers = sorted(
            (k, re.sub(r'boundary="[^"]*"', "boundary=…", str(v)))
            for k, v in part.items()
            if k.lower() != "mime-version"
        )
        out.append((headers, None if part.is_multipart() else part.get_content()))
    return out


def test_same_message_as_the_email_package_builds() -> None:
    row = _row()
    built = build_email(row, "planflow@localhost", sent_at=SENT_AT).as_bytes(policy=SMTP)
    assert _parts(built) == _parts(_reference(row).as_bytes(policy=SMTP))
    plain = email.message_from_bytes(built, policy=default).get_body(("plain",))
    assert plain is not None and "Rà soát = 100%" in plain.get_content()


def test_shared_headers_fold_for_each_policy() -> None:
    """The constant headers are shared by every message and cache their folded form: a
    message flattened for SMTP (CRLF) must not make the next one, flattened with "\\n",
    carry a CRLF (or the other way round)."""
    row = _row()
    for _ in range(2):
        smtp = build_email(row, "planflow@localhost", sent_at=SENT_AT).as_bytes(policy=SMTP)
        unix = build_email(row, "planflow@localhost", sent_at=SENT_AT).as_bytes(policy=default)
        assert b"\r" not in unix
        assert smtp.count(b"\r\n") == smtp.count(b"\n")
        assert b"From: planflow <planflow@localhost>\r\n" in smtp
        assert b"Auto-Submitted: auto-generated\n" in unix


def test_headers_read_back_as_header_objects() -> None:
    msg = build_email(_row(), "planflow@localhost", sent_at=SENT_AT)
    assert [a.addr_spec for a in msg["From"].addresses] == ["planflow@localhost"]
    assert str(msg["Auto-Submitted"]) == "auto-generated"
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]


def test_subject_keeps_every_space_through_a_mail_reader() -> None:
    """The email package folded this subject at the space between two encoded words, which
    RFC 2047 readers drop: clients showed "thời hạncụ thể" (issue 14)."""
    subject = "[CCHC] 3 nhiệm vụ chưa có thời hạn cụ thể (03/10/2025)"
    for policy in (SMTP, default):
        raw = build_email(_row(subject=subject), "planflow@localhost", sent_at=SENT_AT).as_bytes(
            policy=policy
        )
        parsed = email.message_from_bytes(raw, policy=default)
        assert str(parsed["Subject"]) == subject
        header = raw.split(b"\n\n" if policy is default else b"\r\n\r\n")[0].decode("ascii")
        lines = header.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Subject:"))
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
        folded = lines[start:end]
        assert len(folded) >= 2  # long enough to fold: the case that lost the space
        assert all(len(line) <= 78 for line in folded)
    long = "Nhắc việc: " + "thời hạn cụ thể " * 12
    raw = build_email(_row(subject=long), "planflow@localhost").as_bytes(policy=SMTP)
    assert str(email.message_from_bytes(raw, policy=default)["Subject"]) == long.strip()


def test_the_digest_subject_reads_back_whole() -> None:
    """The digest's subject (render's digest.vi.subject.txt) goes through the same folding."""
    subject = "[CCHC] Nhắc việc ngày 25/09/2025: 12 nhiệm vụ, 3 quá hạn"
    for policy in (SMTP, default):
        raw = build_email(_row(subject=subject), "planflow@localhost", sent_at=SENT_AT).as_bytes(
            policy=policy
        )
        assert str(email.message_from_bytes(raw, policy=default)["Subject"]) == subject


def test_ascii_subject_stays_plain() -> None:
    raw = build_email(_row(subject="[CCHC] Weekly list"), "planflow@localhost").as_bytes()
    assert b"Subject: [CCHC] Weekly list" in raw
