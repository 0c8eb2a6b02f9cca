"""Several `planflow scheduler run` processes on one database (issue 7, part 3).

Real processes, a real SMTP server on 127.0.0.1, a real database:

* PostgreSQL, three schedulers started together on 30 communes: every message reaches the
  server exactly once and the day's sweep ran once (its Lease, the outbox, the logs);
* PostgreSQL, one of three killed with SIGKILL while the server holds a message of its
  batch: the other two take over its rows and every message arrives once — except, in the
  window no SMTP client can close (the server accepted the DATA, the client died before
  hearing "250"), that one message, sent again with the same Message-ID and flagged, as in
  test_crash.py;
* SQLite keeps one scheduler per database file: a second one refuses (exit 1, Vietnamese or
  English message); a clean stop or a dead holder lets the next one start;
* on both, the day's sweep lease at the Runner level: a dead holder's sweep is redone, a
  finished one is not, a stopping scheduler gives its unfinished sweep back.

Expected messages, by hand (see test_month.py for the derivation on the Kỳ Lạc plan): on
Tuesday 30/09/2025 the Q3 items fall due, so each head of VP, KT, TTHCC and VHXH gets one
digest (VHXH's also lists I.2.1, 45 working days overdue, and the coordinator's VII.2.2.2:
with no coordinator Person the coordinator is the VHXH head). I.2.2 and III.2.1 are 41 days
overdue (41 mod 3 = 2, not an escalation day) and Tuesday owes no weekly mail. So 4 messages
per commune; 30 communes → 120.
"""

from __future__ import annotations

import asyncio
import email
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from smtpsink import OutboxDb, Recorder, SmtpServer, free_port
from support import KYLAC_PLAN, backend

from planflow.notifications.outbox import MAYBE_DELIVERED

pytestmark = pytest.mark.slow

NEEDS_PG = "needs PostgreSQL: set PLANFLOW_TEST_PG_URL"
DAY = date(2025, 9, 30)
UNITS = 30
DEPTS = ("vp", "kt", "tthcc", "vhxh")


def needs_pg() -> None:
    if backend() != "postgresql":
        pytest.skip(NEEDS_PG)


class SlowRecorder(Recorder):
    """The tests' SMTP handler, taking `delay` seconds per DATA so that batches overlap and a
    kill lands mid-batch; `arrivals` lists Message-IDs in DATA order (the n-th is the one
    `hold_at = n` holds: nothing awaits between the append and the parent's count)."""

    delay: float = 0.0
    arrivals: list[str]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        msg = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        self.arrivals.append(str(msg["Message-ID"]))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp() -> Iterator[SmtpServer]:
    recorder = SlowRecorder()
    recorder.arrivals = []
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, recorder)
    finally:
        recorder.release.set()
        controller.stop()


@contextmanager
def schedulers(cli: Any, n: int, env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`n` schedulers started together, stderr to home/schedulerN.log; killed in any case."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(n):
            with (cli.home / f"scheduler{i}.log").open("wb") as log:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "planflow", "scheduler", "run"],
                        env={**cli.env, **env},
                        cwd=cli.home,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                    )
                )
        yield procs
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait(30)


def stop(procs: list[subprocess.Popen[bytes]]) -> list[int]:
    """SIGTERM each live scheduler; their exit codes (None for those already gone)."""
    live = [p for p in procs if p.poll() is None]
    for p in live:
        p.send_signal(signal.SIGTERM)
    return [p.wait(60) for p in live]


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out after {timeout:g}s waiting for {what}"
        time.sleep(0.2)


def logs(cli: Any, n: int) -> list[str]:
    return [(cli.home / f"scheduler{i}.log").read_text("utf-8") for i in range(n)]


def env_for(server: SmtpServer, **extra: str) -> dict[str, str]:
    return {
        "PLANFLOW_SMTP_URL": server.url,
        "PLANFLOW_TODAY": DAY.isoformat(),
        "PLANFLOW_SWEEP_TIME": "00:00",  # the sweep is owed as soon as they start
        "PLANFLOW_DELIVERY_INTERVAL": "0.5",
        "PLANFLOW_DELIVERY_BATCH": "10",
        **extra,
    }


def communes(url: str, n: int) -> None:
    """`n` copies of the Kỳ Lạc plan as communes xa-00 … with their own heads' addresses
    (the outbox key is per recipient, so each commune needs its own)."""
    from planflow.db import init_db, session_scope
    from planflow.planfile import loads_plan
    from planflow.services.plans import import_plan

    init_db(url)
    text = KYLAC_PLAN.read_text("utf-8")
    for i in range(n):
        code = f"xa-{i:02d}"
        doc = loads_plan(
            text.replace("code: ky-lac", f"code: {code}")
            .replace("name: UBND xã Kỳ Lạc", f"name: UBND xã Thử {i:02d}")
            .replace("kylac.example.vn", f"{code}.example.vn")
        )
        with session_scope(url, write=True) as session:
            import_plan(session, doc, file_name=f"{code}.yaml")


def outbox_rows(url: str) -> list[Any]:
    from sqlmodel import col, select

    from planflow.db import session_scope
    from planflow.models import Outbox

    with session_scope(url) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))).all())


def lease(url: str, name: str) -> Any:
    from planflow.scheduler import lease_holder

    return lease_holder(url, name)


def pid_of(holder: str) -> int:
    return int(holder.split(":")[1])


def test_three_schedulers_deliver_once_and_sweep_once(cli, db_url: str, smtp_server) -> None:  # type: ignore[no-untyped-def]
    needs_pg()
    communes(db_url, UNITS)
    expected = {f"{d}@xa-{i:02d}.example.vn" for i in range(UNITS) for d in DEPTS}
    assert len(expected) == 120
    name = f"sweep:{DAY.isoformat()}"

    def done() -> bool:
        current = lease(db_url, name)
        rows = outbox_rows(db_url)
        finished = current is not None and current.holder == "finished"
        return finished and len(rows) == 120 and all(r.status == "sent" for r in rows)

    with schedulers(cli, 3, env_for(smtp_server)) as procs:
        wait_for(done, 180, "the sweep and the delivery of 120 messages")
        time.sleep(2)  # a few more passes of every scheduler: nothing more may be sent
        assert stop(procs) == [0, 0, 0]
    pids = [p.pid for p in procs]

    # At the server: each expected message once, nothing else.
    received = smtp_server.recorder.received
    ids = [r.message_id for r in received]
    assert len(ids) == len(set(ids)) == 120
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(expected)
    rows = outbox_rows(db_url)
    assert {r.message_id for r in rows} == set(ids)
    assert {(r.kind, r.day) for r in rows} == {("digest", DAY)}
    assert not [r for r in rows if r.last_error]
    senders = {pid_of(r.claimed_by) for r in rows}
    assert senders <= set(pids) and len(senders) >= 2  # they really delivered together

    # The sweep ran once: one holder took the day, swept every commune, marked it finished.
    day_lease = lease(db_url, name)
    assert day_lease.expires_at is None and day_lease.data["queued"] == 120
    sweeper = pids.index(pid_of(day_lease.data["by"]))
    text = logs(cli, 3)
    for i, log in enumerate(text):
        # The log speaks the user's language (Vietnamese by default), as every output does.
        swept = [line for line in log.splitlines() if " quét xa-" in line]
        if i == sweeper:
            assert len(swept) == UNITS and log.count(f"quét hằng ngày {DAY}: bắt đầu") == 1
            assert all(": 4 thư vào hàng đợi, 0 đã có" in line for line in swept)
        else:
            assert swept == [] and "bắt đầu" not in log
            assert f"quét hằng ngày {DAY}: do" in log or f"quét hằng ngày {DAY}: đã xong" in log
        assert "Traceback" not in log


@pytest.mark.parametrize("after_record", [False, True], ids=["before-accept", "in-the-window"])
def test_one_of_three_killed_mid_batch(  # type: ignore[no-untyped-def]
    cli, outbox_db: OutboxDb, slow_smtp: SmtpServer, after_record: bool
) -> None:
    needs_pg()
    total = 120
    outbox_db.queue(total, day=DAY)  # the sweep itself has nothing to add (no plan)
    rec = slow_smtp.recorder
    assert isinstance(rec, SlowRecorder)
    rec.delay = 0.05
    # The 5th DATA: its sender has claimed a batch of 10 and sent at most 4 of them.
    rec.hold_at, rec.hold_after_record = 5, after_record
    with schedulers(cli, 3, env_for(slow_smtp)) as procs:
        assert rec.holding.wait(90), "no batch reached the server"
        held_id = rec.arrivals[4]
        rows = outbox_rows(outbox_db.url)
        in_flight = next(r for r in rows if r.message_id == held_id)
        assert in_flight.status == "sending"
        victim = next(p for p in procs if p.pid == pid_of(in_flight.claimed_by))
        rest_of_batch = [
            r.id for r in rows if r.claimed_by == in_flight.claimed_by and r.status == "queued"
        ]
        assert rest_of_batch  # killed mid-batch, with messages of its batch still to send
        victim.kill()  # SIGKILL: no cleanup of any kind
        victim.wait(30)
        rec.hold_at = None
        rec.release.set()

        def all_sent() -> bool:
            return all(r.status == "sent" for r in outbox_rows(outbox_db.url))

        wait_for(all_sent, 120, "the two survivors to finish the batch")
        survivors = [p for p in procs if p is not victim]
        assert stop(survivors) == [0, 0]
    assert victim.returncode == -signal.SIGKILL

    rows = {r.id: r for r in outbox_rows(outbox_db.url)}
    alive = {p.pid for p in survivors}
    assert all(pid_of(rows[i].claimed_by) in alive for i in [*rest_of_batch, in_flight.id])
    ids = rec.ids()
    assert set(ids) == {r.message_id for r in rows.values()} and len(set(ids)) == total
    flagged = [r.id for r in rows.values() if MAYBE_DELIVERED in r.last_error]
    assert flagged == [in_flight.id]  # detected and reported
    if after_record:
        assert len(ids) == total + 1  # the window: accepted, the client died before "250"
        assert [i for i in set(ids) if ids.count(i) > 1] == [in_flight.message_id]
    else:
        assert len(ids) == total  # exactly once


def test_sqlite_keeps_one_scheduler_per_database(kylac, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    if backend() != "sqlite":
        pytest.skip("SQLite only: on PostgreSQL several schedulers run together")
    env = env_for(smtp_server)

    def started(i: int) -> Callable[[], bool]:
        return lambda: "chạy một mình" in logs(kylac, i + 1)[i]

    with schedulers(kylac, 1, env) as (first,):
        wait_for(started(0), 60, "the first scheduler")
        refused_vi = kylac("scheduler", "run", env=env, timeout=60)
        refused_en = kylac("--lang", "en", "scheduler", "run", env=env, timeout=60)
        assert first.poll() is None
        assert stop([first]) == [0]
    assert refused_vi.code == refused_en.code == 1
    assert "một bộ lập lịch khác đang chạy trên cơ sở dữ liệu này" in refused_vi.err
    assert "SQLite chỉ cho phép một bộ lập lịch" in refused_vi.err
    assert "another scheduler is running on this database" in refused_en.err
    assert "Traceback" not in refused_vi.err + refused_en.err
    assert lease(kylac.url, "scheduler").holder == ""  # released by the clean stop

    # After a clean stop the next one starts; after a SIGKILL too (its holder is dead here).
    with schedulers(kylac, 1, env) as (second,):
        wait_for(started(0), 60, "a scheduler after a clean stop")
        second.kill()
        second.wait(30)
    assert lease(kylac.url, "scheduler").holder.split(":")[1] == str(second.pid)
    with schedulers(kylac, 1, env) as (third,):
        wait_for(started(0), 60, "a scheduler after a SIGKILL")
        assert stop([third]) == [0]
    assert [r.status for r in outbox_rows(kylac.url)] == ["sent"] * 4  # swept once: 30/09


def test_day_sweep_lease(kylac, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The Runner on the Kỳ Lạc plan (no coordinator Person: the VHXH head coordinates), on
    both backends. 30/09/2025: 4 digests (see above). 01/10/2025, by test_month.py's cycle
    (I.2.1 46 working days overdue, 46 mod 3 = 1): III.2.1 (TTHCC leads, VP partners) and
    I.2.2 (VHXH leads; VP, KT, TTHCC partner) are owed, one digest per person: VHXH (I.2.2),
    TTHCC (III.2.1, and I.2.2 as partner), VP (both as partner), KT (I.2.2 as partner), and
    an escalation of I.2.1 to the coordinator: 5 messages."""
    import socket
    from collections.abc import Iterator as Iter
    from datetime import timedelta

    from planflow import clock
    from planflow.config import Settings
    from planflow.db import session_scope
    from planflow.models import Lease
    from planflow.scheduler import FINISHED, SWEEP_TTL, Runner, sweep_lease_name, take_lease

    class StoppedMidSweep(Runner):
        """SIGTERM arrives while the first unit is being swept."""

        def units(self) -> Iter[str]:  # type: ignore[override]
            yield "ky-lac"
            self.stopping.set()
            yield "ky-lac"

    url = kylac.url
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    settings = Settings(database_url=url, outbox_dir=tmp_path / "outbox")
    clock.set_today(DAY)
    try:
        # A holder that died mid-sweep, its lease not yet expired: taken over at once, redone.
        name = sweep_lease_name(DAY)
        with session_scope(url, write=True) as session:
            session.add(
                Lease(
                    name=name,
                    holder=f"{socket.gethostname()}:{dead}:deadbeef",
                    expires_at=clock.now() + timedelta(minutes=5),
                    data={},
                )
            )
        stopping = Runner(url, settings)
        stopping.stopping.set()
        assert stopping.daily_sweep(0, 0) is None  # a stopping scheduler starts nothing
        first = Runner(url, settings)
        assert first.daily_sweep(0, 0) == 4
        done = lease(url, name)
        assert done.holder == FINISHED and done.expires_at is None
        assert done.data["by"] == first.holder and done.data["queued"] == 4
        assert len(list((tmp_path / "outbox").glob("*.eml"))) == 4  # delivered right after
        # Finished: nobody sweeps that day again, not even its own holder.
        assert Runner(url, settings).daily_sweep(0, 0) is None
        assert first.daily_sweep(0, 0) is None

        # A `--unit` scheduler sweeps unit by unit under its own lease. A live holder keeps
        # the day from the others.
        clock.set_today(date(2025, 10, 1))
        name = sweep_lease_name(date(2025, 10, 1), "ky-lac")
        live = Runner(url, settings, "ky-lac")
        assert take_lease(url, name, live.holder, clock.now(), SWEEP_TTL)
        assert Runner(url, settings, "ky-lac").daily_sweep(0, 0) is None
        # Its stop mid-sweep gives the day back at once; the redo adds nothing twice.
        interrupted = StoppedMidSweep(url, settings, "ky-lac")
        interrupted.holder = live.holder
        assert interrupted.daily_sweep(0, 0) is None
        assert lease(url, name).holder == ""
        assert len([r for r in outbox_rows(url) if r.day == date(2025, 10, 1)]) == 5
        redo = Runner(url, settings, "ky-lac")
        assert redo.daily_sweep(0, 0) == 0
        assert lease(url, name).holder == FINISHED and lease(url, name).data["by"] == redo.holder
        assert len([r for r in outbox_rows(url) if r.day == date(2025, 10, 1)]) == 5
    finally:
        clock.set_today(None)


def test_bad_scheduler_knobs_are_refused_by_name(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("init")
    bad_time = cli("scheduler", "run", env={"PLANFLOW_SWEEP_TIME": "25:00"}, timeout=60)
    bad_at = cli("--lang", "en", "scheduler", "run", "--at", "7h", timeout=60)
    bad_interval = cli("scheduler", "run", env={"PLANFLOW_DELIVERY_INTERVAL": "0"}, timeout=60)
    assert (bad_time.code, bad_at.code, bad_interval.code) == (2, 2, 1)
    assert "PLANFLOW_SWEEP_TIME / [scheduler] sweep_time: giờ không hợp lệ '25:00'" in bad_time.err
    assert "--at: invalid time '7h' (HH:MM)" in bad_at.err
    assert "PLANFLOW_DELIVERY_INTERVAL / [scheduler] delivery_interval: '0'" in bad_interval.err
    assert "Traceback" not in bad_time.err + bad_at.err + bad_interval.err
    assert lease(cli.url, "scheduler") is None  # refused before taking anything
