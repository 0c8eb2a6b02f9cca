"""The Monday sweep renders a report and a .docx per unit (3,300 nationally: minutes of work);
it must not hold the database write lock meanwhile, or every `planflow done` waits for it
(and on SQLite gives up after the 60 s busy timeout).

Two communes from the real Kỳ Lạc plan, each with a chairman, swept on Monday 29/09/2025
(the weekly snapshot is owed). The real .docx renderer is wrapped, not replaced: while it
renders the first chairman's attachment, a real `planflow done` runs as another process and
must succeed; on SQLite the wrapper also checks that no connection holds a write
transaction at that moment, and every write transaction of the sweep is shown to be nothing
but an INSERT into the outbox, committed chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select
from support import KYLAC_PLAN, Cli

import planflow.reports.word as word
from planflow.db import get_engine, is_sqlite, session_scope
from planflow.models import Outbox
from planflow.services import sweep_all
from planflow.services.sweep_all import sweep_all_units

pytestmark = pytest.mark.slow
MONDAY = date(2025, 9, 29)


@pytest.fixture
def two_units(kylac: Cli, tmp_path: Path) -> Cli:
    text = (
        KYLAC_PLAN.read_text(encoding="utf-8")
        .replace("code: ky-lac", "code: xa-b")
        .replace("kylac.example.vn", "xab.example.vn")
        .replace("name: UBND xã Kỳ Lạc", "name: UBND xã B")
    )
    plan_b = tmp_path / "xa-b.yaml"
    plan_b.write_text(text, encoding="utf-8")
    kylac.ok("plan", "import", str(plan_b))
    for unit, domain in (("ky-lac", "kylac"), ("xa-b", "xab")):
        kylac.ok(
            "person", "add", f"Chủ tịch {unit}", "--email", f"chutich@{domain}.example.vn",
            "--user", f"ct-{unit}", "--role", "chairman", "--unit", unit,  # the administrator
        )  # fmt: skip
    return kylac


class WriteLog:
    """What each connection runs, and which connections are inside a write transaction
    (SQLite: from BEGIN IMMEDIATE to COMMIT/ROLLBACK)."""

    def __init__(self) -> None:
        self.open: dict[int, list[str]] = {}  # connection → statements of its write txn
        self.closed: list[list[str]] = []

    def execute(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sql = " ".join(statement.split())
        if sql.startswith("BEGIN IMMEDIATE"):
            self.open[id(conn)] = []
        elif id(conn) in self.open:
            self.open[id(conn)].append(sql)

    def end(self, conn: Any) -> None:
        statements = self.open.pop(id(conn), None)
        if statements is not None:
            self.closed.append(statements)


@pytest.fixture
def writes(two_units: Cli) -> Iterator[WriteLog]:
    log = WriteLog()
    engine = get_engine(two_units.url)
    hooks = [("before_cursor_execute", log.execute), ("commit", log.end), ("rollback", log.end)]
    for name, fn in hooks:
        event.listen(engine, name, fn)
    yield log
    for name, fn in hooks:
        event.remove(engine, name, fn)


def test_done_succeeds_while_the_monday_sweep_renders(
    two_units: Cli, writes: WriteLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render = word.render
    seen: list[dict[int, list[str]]] = []

    def render_during_done(report: Any, lang: str = "vi") -> bytes:
        seen.append(dict(writes.open))
        if len(seen) == 1:  # another process completes a task mid-sweep
            two_units.ok(
                "--as-of", "29/09/2025", "done", "I.2.5", "--unit", "ky-lac",
                "--evidence", "Kế hoạch kiểm tra số 7", user="vhxh", timeout=40,
            )  # fmt: skip
        return real_render(report, lang)

    monkeypatch.setattr(word, "render", render_during_done)
    monkeypatch.setattr(sweep_all, "CHUNK_BYTES", 1)  # every unit's drafts in their own chunk
    with session_scope(two_units.url, write=True) as session:
        result = sweep_all_units(session, MONDAY)

    assert len(seen) == 2  # one .docx per unit, both rendered
    snapshots = [m for m in result.messages if m["kind"] == "snapshot"]
    assert sorted(m["to"] for m in snapshots) == [
        "chutich@kylac.example.vn",
        "chutich@xab.example.vn",
    ]
    with session_scope(two_units.url) as session:
        rows = session.exec(select(Outbox.recipient, Outbox.kind)).all()
    assert len(rows) == result.queued == len(result.messages) > 2
    task = two_units.ok("task", "show", "I.2.5", "--unit", "ky-lac", "--json").json
    assert task["status"] == "done"

    if is_sqlite(two_units.url):
        assert seen == [{}, {}]  # no write transaction open while a .docx was rendered
        # Two chunks (one per unit, CHUNK_BYTES=1), each a lone INSERT into the outbox.
        sweep_writes = [w for w in writes.closed if any("outbox" in s for s in w)]
        assert len(sweep_writes) == 2
        for statements in sweep_writes:
            assert len(statements) == 1 and statements[0].startswith("INSERT INTO outbox")

    with session_scope(two_units.url, write=True) as session:
        again = sweep_all_units(session, MONDAY)
    assert again.queued == 0 and again.already == len(result.messages)


def test_remind_s_sweep_holds_no_write_lock_while_it_renders(
    two_units: Cli, writes: WriteLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`planflow remind` goes through sweep_owed, which first asks whether the database has
    several units: asked on the write session, that question began the write transaction
    and held the lock through every unit's rendering (4 s for a province on a Monday,
    bench/remind_lock.py). On every backend the write session must have no transaction
    open while a .docx renders; on SQLite, no connection may hold BEGIN IMMEDIATE either."""
    real_render = word.render
    writer: list[Any] = []  # the sweep's write session, once opened
    seen: list[tuple[bool, dict[int, list[str]]]] = []

    def render_watched(report: Any, lang: str = "vi") -> bytes:
        seen.append((writer[0].in_transaction(), dict(writes.open)))
        return real_render(report, lang)

    monkeypatch.setattr(word, "render", render_watched)
    with session_scope(two_units.url, write=True) as session:
        writer.append(session)
        result = sweep_all.sweep_owed(session, None, MONDAY)
    assert isinstance(result, sweep_all.AllUnitsSweep) and result.queued > 2
    assert [in_transaction for in_transaction, _ in seen] == [False, False]
    if is_sqlite(two_units.url):
        assert [held for _, held in seen] == [{}, {}]  # no BEGIN IMMEDIATE anywhere
