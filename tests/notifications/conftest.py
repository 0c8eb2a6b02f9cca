"""Fixtures: a real SMTP server (aiosmtpd on 127.0.0.1) and a view of the outbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from smtpsink import OutboxDb, Recorder, SmtpServer, free_port  # noqa: F401


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, recorder)
    finally:
        recorder.release.set()
        controller.stop()


@pytest.fixture
def outbox_db(db_url: str) -> OutboxDb:
    from planflow import clock
    from planflow.db import init_db, session_scope
    from planflow.models import Unit

    init_db(db_url)
    with session_scope(db_url, write=True) as session:
        unit = Unit(
            code="ky-lac", name="UBND xã Kỳ Lạc", coordinator="VHXH", created_at=clock.now()
        )
        session.add(unit)
        session.flush()
        unit_id = unit.id or 0
    return OutboxDb(db_url, unit_id)
