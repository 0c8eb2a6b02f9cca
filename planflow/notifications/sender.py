"""The mail sender seam: SMTP (smtp.py) and a folder of .eml files (eml.py) in production, a
recording sender in tests of everything but SMTP itself.

A sender opens one batch (one SMTP connection) and sends messages one at a time, so the
caller can record each message as sent in its own commit right after it is accepted.
Failures say what to do next:

    DeliveryError             retry later (4xx, timeout) — this message only
    ├── ConnectionLost        retry later, and the connection is gone: end the batch
    └── PermanentFailure      do not retry (5xx, every recipient refused)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol


class DeliveryError(Exception):
    """A temporary failure: the message may go through later."""

    permanent = False
    connection_lost = False


class ConnectionLost(DeliveryError):
    connection_lost = True


class PermanentFailure(DeliveryError):
    permanent = True


class Batch(Protocol):
    def send(self, message: EmailMessage, recipients: list[str]) -> str:
        """Send one message; returns a note (server reply, file path, refused recipients)."""
        ...


class Sender(Protocol):
    name: str

    def batch(self) -> AbstractContextManager[Batch]:
        """One connection; closed when the block ends. Raises ConnectionLost if it cannot open."""
        ...


@dataclass
class RecordingSender:
    """Keeps what it is given; `fail` maps a recipient to the error to raise for it."""

    name: str = "recording"
    sent: list[tuple[EmailMessage, list[str]]] = field(default_factory=list)
    fail: dict[str, DeliveryError] = field(default_factory=dict)
    batches: int = 0

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        self.batches += 1
        yield self

    def send(self, message: EmailMessage, recipients: list[str]) -> str:
        for r in recipients:
            if r in self.fail:
                raise self.fail[r]
        self.sent.append((message, recipients))
        return "recorded"
