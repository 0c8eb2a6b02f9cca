"""Build the EmailMessage for an outbox row: safe headers, both bodies, a stable Message-ID.

Headers are set through `email.headerregistry` under `email.policy.SMTP`: addresses go in as
`Address` objects and every free text (subject, display names) has CR/LF and other control
characters collapsed to spaces before it reaches a header, so "\\r\\nBcc: evil@x" in a
department or task name can never become a header (it stays in the body, escaped in HTML).
The policy itself also refuses a header value with a line break, a second guard.
Non-ASCII subjects and names are RFC 2047-encoded by the policy.

The Message-ID is derived from the outbox key (recipient, day, kind), so a message sent again
after a crash carries the same Message-ID and a receiving system can tell it is the same mail.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def header_text(value: str) -> str:
    """A single line, safe to put in a header."""
    return " ".join(_CONTROL.sub(" ", value).split())


def message_id(recipient: str, day: date | str, kind: str, domain: str = "planflow") -> str:
    """`<digest.2025-09-22.1a2b3c4d5e6f7a8b@planflow>`: the same key gives the same id."""
    day_text = day.isoformat() if isinstance(day, date) else str(day)
    digest = hashlib.sha256(f"{recipient.lower()}|{day_text}|{kind}".encode()).hexdigest()[:16]
    return f"<{kind}.{day_text}.{digest}@{domain}>"


def parse_address(text: str, name: str = "") -> Address:
    """An Address from "user@host" (and a display name); raises ValueError if malformed."""
    text = header_text(text)
    if text.count("@") != 1 or any(c in text for c in '<>,;" '):
        raise ValueError(f"not an e-mail address: {text!r}")
    user, _, host = text.partition("@")
    return Address(display_name=header_text(name), username=user, domain=host)


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of an outbox row (the row itself fits: same attribute names)."""

    recipient: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    cc: Sequence[str] = ()
    attachments: Sequence[dict[str, Any]] = field(default_factory=tuple)
    recipient_name: str = ""


def build_email(row: Any, mail_from: str, *, sent_at: datetime | None = None) -> EmailMessage:
    """The MIME message for an outbox row: multipart/alternative text+HTML, then attachments.

    Attachments are dicts {"filename", "content_type", "data_b64"} stored in the row, so the
    row stays the full record of what was sent.
    """
    msg = EmailMessage(policy=SMTP)
    msg["From"] = parse_address(mail_from, "planflow")
    msg["To"] = parse_address(row.recipient, getattr(row, "recipient_name", "") or "")
    cc = [parse_address(a) for a in (row.cc or [])]
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = header_text(row.subject)
    msg["Message-ID"] = row.message_id
    if sent_at is not None:
        msg["Date"] = format_datetime(sent_at)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body_text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(row.body_html, subtype="html", charset="utf-8", cte="quoted-printable")
    for att in row.attachments or []:
        ctype = str(att.get("content_type") or "application/octet-stream")
        maintype, _, subtype = ctype.partition("/")
        msg.add_attachment(
            base64.b64decode(att["data_b64"]),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=header_text(att.get("filename", "attachment")),
        )
    return msg


def recipients_of(row: Any) -> list[str]:
    """Envelope recipients: To then Cc, without duplicates."""
    out: list[str] = []
    for a in [row.recipient, *(row.cc or [])]:
        if a.lower() not in (x.lower() for x in out):
            out.append(a)
    return out
