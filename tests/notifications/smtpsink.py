"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, on a free port.

It records every message it accepts (envelope and parsed message) and can be told to answer
the next transactions with a 4xx or 5xx, to refuse a recipient, to drop the connection, or
to hold a message (signal the test, then wait) so a client can be killed mid-batch.
"""

from __future__ import annotations

import email
import socket
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Recorder:
    """The handler: state shared between the server thread and the test."""

    received: list[Received] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)  # next DATA answers ("451 …")
    refuse: set[str] = field(default_factory=set)  # recipients answered 550 at RCPT
    drop_on_data: int = 0  # drop the connection at the next N DATA commands
    hold_at: int | None = None  # the n-th DATA (1-based) is held
    hold_after_record: bool = False  # held after recording it (the unavoidable window)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    data_count: int = 0
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        with self.lock:
            self.data_count += 1
            n = self.data_count
            if self.drop_on_data > 0:
                self.drop_on_data -= 1
                session.transport.abort() if hasattr(session, "transport") else None
                server.transport.abort()
                return "421 dropping"
            reply = self.data_replies.pop(0) if self.data_replies else "250 OK"
        hold = self.hold_at == n
        if hold and not self.hold_after_record:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "451 4.3.0 held and abandoned"
        if reply.startswith("250"):
            msg = email.message_from_bytes(
                envelope.original_content or envelope.content, policy=policy.default
            )
            with self.lock:
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        if hold:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return reply

    def ids(self) -> list[str]:
        with self.lock:
            return [r.message_id for r in self.received]


@dataclass
class SmtpServer:
    host: str
    port: int
    recorder: Recorder

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OutboxDb:
    """An initialised database with one unit, for outbox and delivery tests."""

    url: str
    unit_id: int

    def queue(
        self, n: int = 1, *, day: Any = None, kind: str = "digest", prefix: str = "head"
    ) -> list[int]:
        from datetime import date

        from planflow import clock
        from planflow.db import session_scope
        from planflow.notifications.outbox import Draft, queue

        day = day or date(2025, 9, 22)
        drafts = [
            Draft(
                recipient=f"{prefix}{i}@kylac.example.vn",
                day=day,
                kind=kind,
                subject=f"[CCHC] Nhắc việc {i}",
                body_text=f"Nội dung {i}\n",
                body_html=f"<p>Nội dung {i}</p>",
                items=[{"code": f"I.{i}", "reason": "đến hạn hôm nay"}],
            )
            for i in range(n)
        ]
        with session_scope(self.url, write=True) as session:
            return queue(session, self.unit_id, drafts, clock.now())

    def rows(self) -> list[Any]:
        from sqlmodel import col, select

        from planflow.db import session_scope
        from planflow.models import Outbox

        with session_scope(self.url) as session:
            return list(session.exec(select(Outbox).order_by(col(Outbox.id))).all())
