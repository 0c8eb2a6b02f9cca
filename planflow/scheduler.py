"""`planflow scheduler run`: a clock that calls the same use cases as `planflow remind`.

- **SQLite: one instance per database file.** A row in the Lease table named `scheduler`,
  renewed every 30 seconds for 2 minutes; a second scheduler refuses to start while it is
  held, and takes over once it has expired (or at once if its holder is a dead process on
  this machine).
- **PostgreSQL: any number of instances** (two or three for availability). Delivery is safe
  to run in parallel because the outbox hands each row to one deliverer (`claim`: `FOR UPDATE
  SKIP LOCKED` plus a guarded per-row lease), and a deliverer killed mid-batch leaves its rows
  to the others (at once on the same host, after the row lease elsewhere).
- **The daily sweep runs once per day per database** whatever the number of schedulers: the
  first to reach it takes the Lease `sweep:YYYY-MM-DD`, renews it while it sweeps (every
  unit at once with services.sweep_all; unit by unit for a `--unit` scheduler, whose lease
  is `sweep:YYYY-MM-DD:UNIT`) and marks it finished (holder `finished`, with who, when and
  how many rows in `data`). The others skip a finished or held day. A holder that dies
  mid-sweep stops renewing: its lease expires (at once if it was a process on this host) and
  the next scheduler to look redoes the whole sweep — safe, because the outbox's unique key
  turns the rows already queued into nothing.
- Every scheduler looks at the day's sweep on start (the catch-up sweep, when the sweep time
  has passed) and again every minute, so a sweep is never lost to a dead holder or a machine
  that was off at the sweep time. Delivery and retries run every `delivery_interval`
  seconds, in batches of `delivery_batch` rows until the due queue is empty. The weekly
  snapshot to the chairman is part of the sweep (owed on its weekday), caught up the same way.
- Correctness comes from the outbox, not from the job store: jobs live in memory, and a
  missed or repeated run only asks the outbox again.
- Ctrl-C and SIGTERM stop it cleanly: a running sweep finishes (a `--unit` one stops between
  units), a delivery pass stops after its current batch; then the leases it holds are
  released (an unfinished day's sweep too, so another scheduler redoes it at once).

Knobs: `--at HH:MM`, `PLANFLOW_SWEEP_TIME` or `[scheduler] sweep_time` (default 07:30,
Asia/Ho_Chi_Minh); `PLANFLOW_DELIVERY_INTERVAL` / `delivery_interval` (seconds, default 60);
`PLANFLOW_DELIVERY_BATCH` / `delivery_batch` (default 50).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planflow import clock
from planflow.config import Settings
from planflow.errors import ConflictError, UsageError
from planflow.i18n import tr
from planflow.models import Lease, Unit
from planflow.notifications.outbox import holder_is_dead, new_holder

log = logging.getLogger("planflow.scheduler")
LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(minutes=2)
RENEW_EVERY = timedelta(seconds=30)
SWEEP_PREFIX = "sweep:"
SWEEP_TTL = timedelta(minutes=5)  # renewed while it runs, so only a dead sweep's expires
SWEEP_RENEW_EVERY = 60.0  # seconds
SWEEP_CHECK_EVERY = 60.0  # seconds: how late a day's sweep (or its redo) can start
KEEP_SWEEP_LEASES = timedelta(days=40)
FINISHED = "finished"  # the holder of a day's sweep lease once it is done
STOP_GRACE = 120.0  # seconds a stopping scheduler waits for its running job


def take_lease(url: str, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew a named lease; False when someone else holds it (or it is finished)."""
    from planflow.db import get_engine

    engine = get_engine(url).execution_options(planflow_write=True)
    with Session(bind=engine) as session:
        result = session.execute(
            update(Lease)
            .where(
                col(Lease.name) == name,
                col(Lease.holder) != FINISHED,
                (col(Lease.holder) == holder)
                | (col(Lease.expires_at) < now)
                | col(Lease.expires_at).is_(None),
            )
            .values(holder=holder, expires_at=now + ttl)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            session.commit()
            return True
        current = session.get(Lease, name)
        if current is None:
            session.add(Lease(name=name, holder=holder, expires_at=now + ttl, data={}))
            try:
                session.commit()
                return True
            except IntegrityError:  # another process inserted it first
                session.rollback()
                return False
        if holder_is_dead(current.holder):
            old = current.holder
            result = session.execute(
                update(Lease)
                .where(col(Lease.name) == name, col(Lease.holder) == old)
                .values(holder=holder, expires_at=now + ttl)
            )
            session.commit()
            return result.rowcount == 1  # type: ignore[attr-defined]
        session.rollback()
        return False


def release_lease(url: str, name: str, holder: str) -> None:
    from planflow.db import get_engine

    with Session(bind=get_engine(url).execution_options(planflow_write=True)) as session:
        session.execute(
            update(Lease)
            .where(col(Lease.name) == name, col(Lease.holder) == holder)
            .values(holder="", expires_at=None)
        )
        session.commit()


def finish_lease(url: str, name: str, holder: str, data: dict[str, Any]) -> bool:
    """Mark a day's sweep done (no one takes it again); False if `holder` had lost it.
    Also forgets day leases older than KEEP_SWEEP_LEASES, so the table stays small."""
    from planflow.db import get_engine

    cutoff = f"{SWEEP_PREFIX}{(clock.today() - KEEP_SWEEP_LEASES).isoformat()}"
    with Session(bind=get_engine(url).execution_options(planflow_write=True)) as session:
        result = session.execute(
            update(Lease)
            .where(col(Lease.name) == name, col(Lease.holder) == holder)
            .values(holder=FINISHED, expires_at=None, data=data)
        )
        session.execute(
            delete(Lease).where(col(Lease.name).startswith(SWEEP_PREFIX), col(Lease.name) < cutoff)
        )
        session.commit()
        return result.rowcount == 1  # type: ignore[attr-defined]


def lease_holder(url: str, name: str = LEASE_NAME) -> Lease | None:
    from planflow.db import session_scope

    with session_scope(url) as session:
        return session.get(Lease, name)


def _log_unreached(today: date, unreached: dict[str, list[str]]) -> None:
    """Items whose head has no e-mail went to the coordinator (or nobody): say so in the
    scheduler's log, as `planflow remind` does on screen, so it is not silent."""
    for key, items in sorted(unreached.items()):
        shown = ", ".join(items[:10]) + (" …" if len(items) > 10 else "")
        log.warning(
            tr(
                "quét %s: %d việc chưa gửi tới trưởng phòng %s (%s)",
                "sweep %s: %d items not sent to %s's head (%s)",
            ),
            today,
            len(items),
            key,
            shown,
        )


def sweep_lease_name(day: date, unit: str | None = None) -> str:
    """`sweep:2025-09-30` (all units) or `sweep:2025-09-30:ky-lac` (a `--unit` scheduler)."""
    return f"{SWEEP_PREFIX}{day.isoformat()}" + (f":{unit}" if unit else "")


class Runner:
    """The jobs, as plain methods (tests call them directly)."""

    def __init__(self, url: str, settings: Settings, unit: str | None = None) -> None:
        self.url, self.settings, self.unit = url, settings, unit
        self.holder = new_holder()
        self.stopping = threading.Event()
        self._sweeping = threading.Lock()
        self._delivering = threading.Lock()
        self._active = 0
        self._idle = threading.Condition()
        self._noted: set[str] = set()

    @contextmanager
    def _job(self) -> Iterator[None]:
        """Count running jobs so a stopping scheduler can wait for them."""
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

    def units(self) -> list[str]:
        from planflow.db import session_scope

        if self.unit:
            return [self.unit]
        with session_scope(self.url) as session:
            return [u.code for u in session.exec(select(Unit).order_by(col(Unit.id))).all()]

    def sweep(self, lost: threading.Event | None = None) -> int:
        """Queue what is owed today; returns the number of new rows. Every unit at once
        through the all-units sweep (a fixed number of queries, the outbox written in
        committed chunks), or unit by unit for a `--unit` scheduler, stopping between units
        when asked to stop or when the day's lease was `lost`."""
        from planflow.db import session_scope

        today = clock.today()
        if self.unit is None:
            from planflow.services.sweep_all import sweep_all_units

            with session_scope(self.url, write=True) as session:
                every = sweep_all_units(session, today, progress=False)
            for result in every.results:
                log.info(
                    tr(
                        "quét %s %s: %d thư vào hàng đợi, %d đã có",
                        "sweep %s %s: %d queued, %d already",
                    ),
                    result.unit,
                    today,
                    result.queued,
                    result.already,
                )
            log.info(
                tr(
                    "quét %d đơn vị (%d việc đang mở) %s: %d thư vào hàng đợi, %d đã có",
                    "sweep of %d units (%d open items) %s: %d queued, %d already",
                ),
                every.units,
                every.open_items,
                today,
                every.queued,
                every.already,
            )
            _log_unreached(today, every.unreached)
            return every.queued
        from planflow.services.common import get_unit
        from planflow.services.reminders import sweep_reminders

        queued = 0
        for code in self.units():
            if self.stopping.is_set() or (lost is not None and lost.is_set()):
                raise _Interrupted("stopping" if self.stopping.is_set() else "lease lost")
            with session_scope(self.url, write=True) as session:
                result = sweep_reminders(session, get_unit(session, code), today)
            queued += result.queued
            log.info(
                tr(
                    "quét %s %s: %d thư vào hàng đợi, %d đã có",
                    "sweep %s %s: %d queued, %d already",
                ),
                code,
                today,
                result.queued,
                result.already,
            )
            _log_unreached(today, {f"{code}:{k}": v for k, v in result.unreached.items()})
        return queued

    @contextmanager
    def _kept(self, name: str) -> Iterator[threading.Event]:
        """Renew the lease `name` from a side thread while the sweep runs (a national sweep
        is one long call); the event is set if it was lost meanwhile."""
        lost, done = threading.Event(), threading.Event()

        def keep() -> None:
            while not done.wait(SWEEP_RENEW_EVERY):
                if not take_lease(self.url, name, self.holder, clock.now(), SWEEP_TTL):
                    lost.set()
                    return

        thread = threading.Thread(target=keep, name=f"renew {name}", daemon=True)
        thread.start()
        try:
            yield lost
        finally:
            done.set()
            thread.join()

    def daily_sweep(self, hour: int, minute: int) -> int | None:
        """Today's sweep if it is owed and nobody ran or is running it; the number of rows
        queued, or None when this scheduler did not sweep. Then delivers at once."""
        if not self._sweeping.acquire(blocking=False):
            return None
        try:
            with self._job():
                return self._daily_sweep(hour, minute)
        finally:
            self._sweeping.release()

    def _daily_sweep(self, hour: int, minute: int) -> int | None:
        now = clock.now()
        local = now.astimezone(clock.TZ)
        if (local.hour, local.minute) < (hour, minute) or self.stopping.is_set():
            return None
        today = clock.today()
        name = sweep_lease_name(today, self.unit)
        if not take_lease(self.url, name, self.holder, now, SWEEP_TTL):
            current = lease_holder(self.url, name)
            who = current.holder if current else "?"
            state = (
                tr("đã xong", "done") if who == FINISHED else tr(f"do {who} giữ", f"held by {who}")
            )
            if f"{name} {state}" not in self._noted:  # say it once, not every minute
                self._noted.add(f"{name} {state}")
                data = (current.data or {}) if current else {}
                by = (
                    tr(f", do {data.get('by')}", f" by {data.get('by')}") if who == FINISHED else ""
                )
                log.info(
                    tr(
                        "quét hằng ngày %s: %s%s, không phải việc của tiến trình này",
                        "daily sweep %s: %s%s, not mine",
                    ),
                    today,
                    state,
                    by,
                )
            return None
        log.info(
            tr("quét hằng ngày %s: bắt đầu, do %s", "daily sweep %s: started by %s"),
            today,
            self.holder,
        )
        started = clock.now()
        try:
            with self._kept(name) as lost:
                queued = self.sweep(lost)
        except _Interrupted as exc:
            log.warning(
                tr(
                    "quét hằng ngày %s bị gián đoạn (%s); để lần sau làm lại",
                    "daily sweep %s interrupted (%s); leaving it to be redone",
                ),
                today,
                exc,
            )
            release_lease(self.url, name, self.holder)
            return None
        except Exception:
            release_lease(self.url, name, self.holder)  # another one (or the next check) redoes it
            raise
        data = {
            "by": self.holder,
            "started_at": started.isoformat(),
            "finished_at": clock.now().isoformat(),
            "queued": queued,
        }
        if finish_lease(self.url, name, self.holder, data):
            log.info(
                tr(
                    "quét hằng ngày %s: xong, do %s, %d thư vào hàng đợi",
                    "daily sweep %s: finished by %s, %d queued",
                ),
                today,
                self.holder,
                queued,
            )
        else:  # it outlived its lease and another one redid it: nothing was queued twice
            log.warning(
                tr(
                    "quét hằng ngày %s: mất quyền giữ trước khi xong",
                    "daily sweep %s: lease lost before the end",
                ),
                today,
            )
        self.deliver()
        return queued

    def deliver(self) -> int:
        """Deliver due rows in batches until the queue is empty (or the scheduler stops)."""
        if not self._delivering.acquire(blocking=False):
            return 0
        try:
            with self._job():
                return self._deliver()
        finally:
            self._delivering.release()

    def _deliver(self) -> int:
        from planflow.services.reminders import deliver_outbox, make_sender

        sender = make_sender(self.settings.smtp_url, self.settings.outbox_dir)
        batch = max(1, self.settings.delivery_batch)
        sent = 0
        while not self.stopping.is_set():
            result = deliver_outbox(
                self.url, sender, mail_from=self.settings.mail_from, limit=batch
            )
            if result.sent or result.failed or result.retrying:
                log.info(
                    tr(
                        "gửi thư qua %s: %d đã gửi, %d lỗi, %d chờ gửi lại",
                        "delivery via %s: %d sent, %d failed, %d retrying",
                    ),
                    result.where,
                    result.sent,
                    result.failed,
                    result.retrying,
                )
            for err in result.errors:
                log.warning(tr("gửi thư: %s", "delivery: %s"), err)
            sent += result.sent
            if result.sent + result.failed + result.retrying < batch or result.errors:
                break  # the queue is drained, or the server is down: wait for the next pass
        return sent

    def renew(self) -> bool:
        return take_lease(self.url, LEASE_NAME, self.holder, clock.now(), LEASE_TTL)


class _Interrupted(Exception):
    """A sweep stopped between units (stopping, or its day lease was lost)."""


def _parse_time(text: str, source: str = "--at") -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in text.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise UsageError(
            f"{source}: giờ không hợp lệ '{text}' (HH:MM)",
            f"{source}: invalid time '{text}' (HH:MM)",
        ) from None
    return hour, minute


def _refuse(url: str) -> ConflictError:
    current = lease_holder(url)
    who = current.holder if current else "?"
    until = (
        clock.local_date(current.expires_at).strftime("%d/%m/%Y")
        + " "
        + current.expires_at.astimezone(clock.TZ).strftime("%H:%M")
        if current and current.expires_at
        else "?"
    )
    return ConflictError(
        f"một bộ lập lịch khác đang chạy trên cơ sở dữ liệu này ({who}, đến {until}); "
        "SQLite chỉ cho phép một bộ lập lịch, PostgreSQL cho phép nhiều",
        f"another scheduler is running on this database ({who}, until {until}); "
        "SQLite allows one scheduler, PostgreSQL several",
    )


def run(
    url: str, settings: Settings, *, unit: str | None = None, sweep_time: str | None = None
) -> None:
    """Run in the foreground until Ctrl-C or SIGTERM.

    The jobs run on APScheduler's background threads; the main thread only waits for the
    stop flag, which the signal handler sets. So a signal at any moment (even before the
    scheduler has started) stops it, and the leases are always released in one place."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from planflow.db import is_sqlite

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # "skipped: maximum number of running instances reached" is the intended overlap guard.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    hour, minute = _parse_time(
        sweep_time or settings.sweep_time,
        "--at" if sweep_time else "PLANFLOW_SWEEP_TIME / [scheduler] sweep_time",
    )
    runner = Runner(url, settings, unit)
    signals: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        signals.append(signum)
        runner.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    single = is_sqlite(url)
    if single and not runner.renew():
        raise _refuse(url)
    scheduler = BackgroundScheduler(timezone=str(clock.TZ))

    def renew() -> None:
        if not runner.renew():
            log.error(tr("mất quyền giữ bộ lập lịch; dừng", "lost the scheduler lease; stopping"))
            runner.stopping.set()

    start = datetime.now(clock.TZ)
    common: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600}
    if single:
        scheduler.add_job(
            renew, "interval", seconds=RENEW_EVERY.total_seconds(), id="lease", **common
        )
    # First runs at once: the catch-up sweep (when the sweep time has passed) and delivery.
    scheduler.add_job(
        runner.daily_sweep,
        "interval",
        args=(hour, minute),
        seconds=min(SWEEP_CHECK_EVERY, settings.delivery_interval),
        next_run_time=start,
        id="sweep",
        **common,
    )
    scheduler.add_job(
        runner.deliver,
        "interval",
        seconds=settings.delivery_interval,
        next_run_time=start,
        id="deliver",
        **common,
    )
    log.info(
        tr(
            "bộ lập lịch %s (%s): quét hằng ngày lúc %02d:%02d %s, gửi thư mỗi %g giây",
            "scheduler %s (%s): daily sweep at %02d:%02d %s, delivery every %gs",
        ),
        runner.holder,
        tr("chạy một mình", "single instance")
        if single
        else tr("một trong nhiều tiến trình", "one of several"),
        hour,
        minute,
        clock.TZ,
        settings.delivery_interval,
    )
    try:
        scheduler.start()
        while not runner.stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        signals.append(signal.SIGINT)
    finally:
        runner.stopping.set()
        signal_text = tr(f" (tín hiệu {signals[0]})", f" (signal {signals[0]})") if signals else ""
        log.info(tr("đang dừng%s", "stopping%s"), signal_text)
        if scheduler.running:
            scheduler.shutdown(wait=False)
        if not runner.wait_idle(STOP_GRACE):
            log.warning(
                tr(
                    "một việc vẫn chạy sau %g giây; vẫn dừng",
                    "a job is still running after %gs; stopping anyway",
                ),
                STOP_GRACE,
            )
        release_lease(url, sweep_lease_name(clock.today(), unit), runner.holder)
        if single:
            release_lease(url, LEASE_NAME, runner.holder)
        log.info(tr("bộ lập lịch đã dừng", "scheduler stopped"))
