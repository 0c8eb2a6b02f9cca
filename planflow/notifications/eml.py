"""The embedded default: with no SMTP server configured, each message becomes an .eml file
in the local outbox folder (PLANFLOW_OUTBOX_DIR), which any mail program can open.

File names come from the Message-ID, and files are written atomically (temporary name, then
rename), so a message written again after a crash replaces itself instead of doubling.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

from planflow.notifications.sender import Batch, ConnectionLost


class EmlSender:
    name = "eml"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def describe(self) -> str:
        return str(self.folder)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConnectionLost(f"cannot create {self.folder}: {exc.strerror}") from None
        yield self

    def send(self, message: EmailMessage, recipients: list[str]) -> str:
        mid = str(message["Message-ID"] or "message").strip("<>").split("@")[0]
        path = self.folder / (re.sub(r"[^A-Za-z0-9._-]+", "_", mid) + ".eml")
        tmp = path.with_suffix(".eml.tmp")
        try:
            tmp.write_bytes(message.as_bytes())
            os.replace(tmp, path)
        except OSError as exc:
            raise ConnectionLost(f"cannot write {path}: {exc.strerror}") from None
        return str(path)
