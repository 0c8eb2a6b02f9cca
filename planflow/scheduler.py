"""`planflow scheduler run`: a clock that calls the same use cases as `planflow remind`.

- One instance per database: a row in the Lease table named `scheduler`, renewed every
  30 seconds for 2 minutes; a second scheduler refuses to start while it is held, and takes
  over once it has expired (or at once if its holder is a dead process on this machine).
- On start, a catch-up sweep; then the daily sweep at `sweep_time` (default 07:30,
  Asia/Ho_Chi_Minh); delivery and retries every minute. The weekly snapshot to the chairman
  is part of the sweep (owed on its weekday), so it is caught up the same way.
- Correctness comes from the outbox, not from the job store: jobs live in memory, and a
  missed or repeated run only asks the outbox again.
- Ctrl-C and SIGTERM stop it cleanly: running jobs finish, the lease is released.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planflow import clock
from planflow.config import Settings
from planflow.errors import ConflictError, UsageError
from planflow.models import Lease, Unit
from planflow.notifications.outbox import holder_is_dead, new_holder

log = logging.getLogger("planflow.scheduler")
LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(minutes=2)
RENEW_EVERY = timedelta(seconds=30)


def take_lease(url: str, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew a named lease; False when someone else holds it."""
    from planflow.db import get_engine

    engine = get_engine(url).execution_options(planflow_write=True)
    with Session(bind=engine) as session:
        result = session.execute(
            update(Lease)
            .where(
                col(Lease.name) == name,
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
            except IntegrityError:
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


def lease_holder(url: str, name: str = LEASE_NAME) -> Lease | None:
    from planflow.db import session_scope

    with session_scope(url) as session:
        return session.get(Lease, name)


class Runner:
    """The jobs, as plain methods (tests call them directly)."""

    def __init__(self, url: str, settings: Settings, unit: str | None = None) -> None:
        self.url, self.settings, self.unit = url, settings, unit
        self.holder = new_holder()

    def units(self) -> list[str]:
        from planflow.db import session_scope

        if self.unit:
            return [self.unit]
        with session_scope(self.url) as session:
            return [u.code for u in session.exec(select(Unit).order_by(col(Unit.id))).all()]

    def sweep(self) -> int:
        """Queue what is owed today for every unit; returns the number of new rows."""
        from planflow.db import session_scope
        from planflow.services.common import get_unit
        from planflow.services.reminders import sweep_reminders

        queued = 0
        today = clock.today()
        for code in self.units():
            with session_scope(self.url, write=True) as session:
                result = sweep_reminders(session, get_unit(session, code), today)
            queued += result.queued
            log.info(
                "sweep %s %s: %d queued, %d already", code, today, result.queued, result.already
            )
        return queued

    def deliver(self) -> int:
        from planflow.services.reminders import deliver_outbox, make_sender

        sender = make_sender(self.settings.smtp_url, self.settings.outbox_dir)
        result = deliver_outbox(self.url, sender, mail_from=self.settings.mail_from)
        if result.sent or result.failed or result.retrying:
            log.info(
                "delivery via %s: %d sent, %d failed, %d retrying",
                result.where,
                result.sent,
                result.failed,
                result.retrying,
            )
        for err in result.errors:
            log.warning("delivery: %s", err)
        return result.sent

    def renew(self) -> bool:
        return take_lease(self.url, LEASE_NAME, self.holder, clock.now(), LEASE_TTL)


def _parse_time(text: str) -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in text.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise UsageError(
            f"giờ không hợp lệ '{text}' (HH:MM)", f"invalid time '{text}' (HH:MM)"
        ) from None
    return hour, minute


def run(
    url: str, settings: Settings, *, unit: str | None = None, sweep_time: str | None = None
) -> None:
    """Run in the foreground until Ctrl-C or SIGTERM."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    hour, minute = _parse_time(sweep_time or settings.sweep_time)
    runner = Runner(url, settings, unit)
    if not runner.renew():
        current = lease_holder(url)
        who = current.holder if current else "?"
        until = (
            clock.local_date(current.expires_at).strftime("%d/%m/%Y")
            + " "
            + current.expires_at.astimezone(clock.TZ).strftime("%H:%M")
            if current and current.expires_at
            else "?"
        )
        raise ConflictError(
            f"một bộ lập lịch khác đang chạy trên cơ sở dữ liệu này ({who}, đến {until})",
            f"another scheduler is running on this database ({who}, until {until})",
        )
    scheduler = BlockingScheduler(timezone=str(clock.TZ))

    def renew() -> None:
        if not runner.renew():
            log.error("lost the scheduler lease; stopping")
            if scheduler.running:
                scheduler.shutdown(wait=False)

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %d: stopping", signum)
        if scheduler.running:
            scheduler.shutdown(wait=False)

    common: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600}
    scheduler.add_job(renew, "interval", seconds=RENEW_EVERY.total_seconds(), id="lease", **common)
    scheduler.add_job(runner.sweep, "cron", hour=hour, minute=minute, id="sweep", **common)
    scheduler.add_job(runner.deliver, "interval", minutes=1, id="deliver", **common)
    # Catch-up on start: what is owed today (if the sweep time has passed), then deliver.
    local = clock.now().astimezone(clock.TZ)
    late = (local.hour, local.minute) >= (hour, minute)
    scheduler.add_job(
        lambda: (runner.sweep() if late else 0, runner.deliver()), id="catch-up", **common
    )
    signal.signal(signal.SIGTERM, stop)
    log.info("scheduler %s: daily sweep at %02d:%02d %s", runner.holder, hour, minute, clock.TZ)
    try:
        scheduler.start()
    except KeyboardInterrupt:
        if scheduler.running:
            scheduler.shutdown(wait=False)
    finally:
        release_lease(url, LEASE_NAME, runner.holder)
        log.info("scheduler stopped")
