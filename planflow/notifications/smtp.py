"""SMTP delivery with aiosmtplib: one connection per batch, STARTTLS when offered.

`PLANFLOW_SMTP_URL`: `smtp://user@host:587` (plain, upgraded with STARTTLS when the server
offers it; `?starttls=require` refuses to go on without it) or `smtps://user@host:465`
(implicit TLS). The password is read from PLANFLOW_SMTP_PASSWORD or the file named by
PLANFLOW_SMTP_PASSWORD_FILE when the connection opens; it is never a setting, never stored,
never in an error message or a log line (a password in the URL is refused).

Errors are mapped onto the sender seam (sender.py): 4xx → DeliveryError (retry);
timeouts and dropped connections → ConnectionLost (retry, end the batch); 5xx and every
recipient refused → PermanentFailure. Some recipients refused and others accepted counts as
delivered, with the refused ones noted.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from planflow.errors import ConfigError
from planflow.notifications.sender import (
    Batch,
    ConnectionLost,
    DeliveryError,
    PermanentFailure,
)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str = ""
    implicit_tls: bool = False
    starttls: bool | None = None  # None: when offered; True: required; False: never
    verify: bool = True

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ConfigError(
                f"PLANFLOW_SMTP_URL phải bắt đầu bằng smtp:// hoặc smtps:// ({parts.scheme}://)",
                f"PLANFLOW_SMTP_URL must start with smtp:// or smtps:// ({parts.scheme}://)",
            )
        if parts.password:
            raise ConfigError(
                "không ghi mật khẩu trong PLANFLOW_SMTP_URL; dùng PLANFLOW_SMTP_PASSWORD_FILE",
                "do not put the password in PLANFLOW_SMTP_URL; use PLANFLOW_SMTP_PASSWORD_FILE",
            )
        implicit = parts.scheme == "smtps"
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        starttls = {"require": True, "never": False}.get(query.get("starttls", ""))
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if implicit else 25),
            username=unquote(parts.username or ""),
            implicit_tls=implicit,
            starttls=None if implicit else starttls,
            verify=query.get("verify", "true") not in ("0", "false", "no"),
        )


def smtp_password() -> str | None:
    """The password from the environment or its file, read when needed, never kept."""
    if os.environ.get("PLANFLOW_SMTP_PASSWORD"):
        return os.environ["PLANFLOW_SMTP_PASSWORD"]
    path = os.environ.get("PLANFLOW_SMTP_PASSWORD_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(
                f"không đọc được PLANFLOW_SMTP_PASSWORD_FILE ({exc.strerror})",
                f"cannot read PLANFLOW_SMTP_PASSWORD_FILE ({exc.strerror})",
            ) from None
    return None


def _describe(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return f"{code} {text}".strip() if code else f"{type(exc).__name__}: {text}"


class SmtpSender:
    """The production sender; `timeout` bounds every SMTP command."""

    name = "smtp"

    def __init__(
        self, url: str, *, timeout: float = 30.0, tls_context: ssl.SSLContext | None = None
    ) -> None:
        self.config = SmtpConfig.from_url(url)
        self.timeout = timeout
        self.tls_context = tls_context

    def describe(self) -> str:
        c = self.config
        return f"{'smtps' if c.implicit_tls else 'smtp'}://{c.host}:{c.port}"

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        c = self.config
        password = smtp_password() if c.username else None
        client = aiosmtplib.SMTP(
            hostname=c.host,
            port=c.port,
            use_tls=c.implicit_tls,
            start_tls=c.starttls,
            validate_certs=c.verify,
            tls_context=self.tls_context,
            timeout=self.timeout,
            username=c.username or None,
            password=password,
        )
        del password
        with asyncio.Runner() as runner:
            try:
                runner.run(client.connect())
            except aiosmtplib.SMTPAuthenticationError as exc:
                raise ConnectionLost(f"SMTP login refused: {exc.code}") from None
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                raise ConnectionLost(
                    f"cannot connect to {self.describe()}: {_describe(exc)}"
                ) from None
            try:
                yield _SmtpBatch(runner, client)
            finally:
                if client.is_connected:
                    try:
                        runner.run(client.quit())
                    except (aiosmtplib.SMTPException, OSError, TimeoutError):
                        client.close()


class _SmtpBatch:
    def __init__(self, runner: asyncio.Runner, client: aiosmtplib.SMTP) -> None:
        self.runner, self.client = runner, client

    def send(self, message: EmailMessage, recipients: list[str]) -> str:
        if not self.client.is_connected:
            raise ConnectionLost("SMTP connection closed")
        try:
            refused, reply = self.runner.run(
                self.client.send_message(message, recipients=recipients)
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            notes = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
            raise PermanentFailure(f"all recipients refused: {notes}") from None
        except (
            aiosmtplib.SMTPServerDisconnected,
            aiosmtplib.SMTPTimeoutError,
            TimeoutError,
            OSError,
        ) as exc:
            self.client.close()
            raise ConnectionLost(_describe(exc)) from None
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                self._reset()
                raise PermanentFailure(_describe(exc)) from None
            if exc.code == 421:  # the server is closing the connection
                self.client.close()
                raise ConnectionLost(_describe(exc)) from None
            self._reset()
            raise DeliveryError(_describe(exc)) from None
        except aiosmtplib.SMTPException as exc:
            self.client.close()
            raise ConnectionLost(_describe(exc)) from None
        note = reply if isinstance(reply, str) else str(reply)
        if refused:
            note += "; refused: " + ", ".join(
                f"{a} ({r.code} {r.message})" for a, r in sorted(refused.items())
            )
        return note

    def _reset(self) -> None:
        """After a refused transaction, RSET so the next message starts clean."""
        try:
            self.runner.run(self.client.rset())
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            self.client.close()
