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
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email import quoprimime
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP, Policy
from email.utils import format_datetime
from functools import lru_cache
from typing import Any

from planflow.engine.text import address_problem

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
    if problem := address_problem(text):  # the rule the entry points check, once more
        raise ValueError(f"not an e-mail address: {text!r} ({problem[1]})")
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


class _Fixed(str):
    """A header whose value repeats from message to message (From, Auto-Submitted, the
    parts' Content-Type …): parsed once by the email package's own header factory, folded
    once per output policy. Parsing and folding headers is most of what building and
    flattening a message costs; the policy stores and folds any object with a `name` as a
    ready header (email.policy.EmailPolicy.header_store_parse and fold)."""

    name: str

    def __new__(cls, name: str, value: Any) -> _Fixed:
        header = SMTP.header_factory(name, value)
        self = super().__new__(cls, str(header))
        self.name = header.name
        self._header = header
        self._folded: dict[tuple[Any, ...], str] = {}
        return self

    def fold(self, *, policy: Policy) -> str:
        key = (type(policy), policy.linesep, policy.max_line_length, getattr(policy, "utf8", 0))
        folded = self._folded.get(key)
        if folded is None:
            folded = self._folded[key] = self._header.fold(policy=policy)
        return folded

    def __getattr__(self, attr: str) -> Any:  # .addresses, .defects … of the real header
        return getattr(self._header, attr)


class _Subject(str):
    """A Subject folded into RFC 2047 encoded words that each carry their own spaces.

    The email package folds a long non-ASCII subject at a space between two encoded words;
    RFC 2047 readers drop whitespace between adjacent encoded words, so "thời hạn cụ thể"
    reached mail clients as "thời hạncụ thể". Here every space sits inside a word, and words
    are cut on character boundaries (base64 of at most 42 bytes: lines within 78 columns)."""

    name = "Subject"

    def fold(self, *, policy: Policy) -> str:
        words, chunk = [], b""
        for ch in str(self):
            data = ch.encode("utf-8")
            if len(chunk) + len(data) > 42:
                words.append(chunk)
                chunk = b""
            chunk += data
        words.append(chunk)
        encoded = [f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words]
        return f"Subject: {(policy.linesep + ' ').join(encoded)}{policy.linesep}"


def _subject(text: str) -> str:
    text = header_text(text)
    return text if text.isascii() else _Subject(text)


_MIME_VERSION = _Fixed("MIME-Version", "1.0")
_AUTO = _Fixed("Auto-Submitted", "auto-generated")
_QP = _Fixed("Content-Transfer-Encoding", "quoted-printable")
_TEXT = {sub: _Fixed("Content-Type", f'text/{sub}; charset="utf-8"') for sub in ("plain", "html")}


@lru_cache(maxsize=8)
def _from_header(mail_from: str) -> _Fixed:
    return _Fixed("From", parse_address(mail_from, "planflow"))


@lru_cache(maxsize=8)
def _date_header(sent_at: datetime) -> _Fixed:  # a batch stamps many messages per second
    return _Fixed("Date", format_datetime(sent_at))


def _text_part(body: str, subtype: str) -> MIMEPart:
    """What `set_content(body, subtype, charset="utf-8", cte="quoted-printable")` makes,
    without re-parsing its three constant headers for every message."""
    part = MIMEPart(policy=SMTP)
    part["Content-Type"] = _TEXT[subtype]
    part["Content-Transfer-Encoding"] = _QP
    lines = body.encode("utf-8").splitlines()  # as email.contentmanager encodes text
    part.set_payload(
        quoprimime.body_encode((b"\n".join(lines) + b"\n").decode("latin-1"), SMTP.max_line_length)
    )
    return part


def build_email(row: Any, mail_from: str, *, sent_at: datetime | None = None) -> EmailMessage:
    """The MIME message for an outbox row: multipart/alternative text+HTML, then attachments.

    Attachments are dicts {"filename", "content_type", "data_b64"} stored in the row, so the
    row stays the full record of what was sent.
    """
    msg = EmailMessage(policy=SMTP)
    msg["From"] = _from_header(mail_from)
    msg["To"] = parse_address(row.recipient, getattr(row, "recipient_name", "") or "")
    cc = [parse_address(a) for a in (row.cc or [])]
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = _subject(row.subject)
    msg["Message-ID"] = row.message_id
    if sent_at is not None:
        msg["Date"] = _date_header(sent_at)
    msg["Auto-Submitted"] = _AUTO
    msg["MIME-Version"] = _MIME_VERSION
    text, html = _text_part(row.body_text, "plain"), _text_part(row.body_html, "html")
    # "=_" never occurs in quoted-printable text ("=" is written "=3D"), so no part can
    # contain the boundary and it needs no search through the bodies.
    boundary = f"=_planflow_{uuid.uuid4().hex}"
    msg["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    msg.set_payload([text, html])
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
