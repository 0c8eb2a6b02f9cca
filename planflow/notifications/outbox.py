"""The outbox table as a queue: insert-or-nothing, claim with a lease, mark the outcome.

Row life: queued → sending → sent, or back to queued with a later `next_try_at`, or failed.

- **queue** inserts rendered rows; the UNIQUE key (recipient, day, kind) turns a second
  insert of the same message into nothing (`INSERT … ON CONFLICT DO NOTHING`, the same
  statement on SQLite and PostgreSQL; other backends fall back to a SAVEPOINT per row).
- **claim** takes due rows for a delivery batch with a guarded UPDATE (`… WHERE id = :id AND
  <still claimable>`), setting `claimed_by`/`claimed_until`; two deliverers never hold the same
  row. Claimed rows stay `queued`: a crash leaves them to be claimed again once the lease has
  expired, or at once when the holder is a dead process on this machine.
- **advance** is one commit between two SMTP transactions: it records the message the
  server just accepted (`sending` → `sent`) and moves the NEXT row to `sending` (attempts
  + 1) before it goes to the server (**begin** and **mark_sent** alone are the first and the
  last of a batch, or follow a failure). Both guarded updates sit in one transaction, so a
  row is `sending` only from that commit until the commit after its own SMTP transaction,
  and a row is recorded sent only after the server accepted it. After a crash at most one
  row is left in `sending`: the only message that may have reached the server without
  being recorded (a crash before that commit leaves the previous row in `sending` and the
  next one untouched). Re-claiming such a row notes it in `last_error` ("may already have
  been delivered"); it is resent with the same Message-ID.

The per-message statements are Core updates built once at import with bound parameters:
building an ORM update per call, and the ORM's bulk-update path, cost more than the commit.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planflow.errors import ConflictError, NotFound
from planflow.models import Outbox
from planflow.notifications.message import message_id

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
MAYBE_DELIVERED = "may already have been delivered"
# A row's status as people read it (outbox list); the code and --json keep the key.
STATUS_LABELS = {
    QUEUED: ("chờ gửi", "queued"),
    SENDING: ("đang gửi", "sending"),
    SENT: ("đã gửi", "sent"),
    FAILED: ("lỗi", "failed"),
}
REFUSED = "refused:"  # starts last_error of a message sent while some recipients were refused


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: 1, 2, 4 … minutes, capped at 2 hours; failed after 20 attempts
    (about 28 hours, so a server down for a day loses nothing)."""

    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=2)
    max_attempts: int = 20

    def delay(self, attempts: int) -> timedelta:
        return min(self.base * (2 ** max(attempts - 1, 0)), self.cap)


@dataclass(frozen=True)
class Draft:
    """A rendered message ready to queue."""

    recipient: str
    day: date
    kind: str
    subject: str
    body_text: str
    body_html: str
    cc: Sequence[str] = ()
    items: Sequence[dict[str, Any]] = ()
    attachments: Sequence[dict[str, Any]] = field(default_factory=tuple)
    recipient_name: str = ""  # the To: display name; build_email makes it header-safe


def new_holder() -> str:
    """`host:pid:random`: unique per deliverer, and tells whether it is still alive."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_dead(holder: str) -> bool:
    """True only when the holder was a process on this host that no longer exists."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def queue(
    session: Session, unit_id: int | None, drafts: Iterable[Draft], now: datetime
) -> list[int]:
    """Insert the drafts whose key is new; returns the ids of the rows inserted."""
    table = Outbox.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    inserted: list[int] = []
    for d in drafts:
        recipient = d.recipient.strip().lower()
        values = dict(
            unit_id=unit_id,
            recipient=recipient,
            recipient_name=d.recipient_name,
            cc=[c.lower() for c in d.cc],
            day=d.day,
            kind=d.kind,
            subject=d.subject,
            body_text=d.body_text,
            body_html=d.body_html,
            items=list(d.items),
            attachments=list(d.attachments),
            status=QUEUED,
            attempts=0,
            last_error="",
            message_id=message_id(recipient, d.day, d.kind),
            claimed_by="",
            created_at=now,
        )
        if dialect in ("sqlite", "postgresql"):
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert
            else:
                from sqlalchemy.dialects.postgresql import insert
            stmt = (
                insert(table)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["recipient", "day", "kind"])
                .returning(table.c.id)
            )
            new_id = session.execute(stmt).scalar()
        else:  # pragma: no cover - portable fallback
            try:
                with session.begin_nested():
                    new_id = session.execute(
                        table.insert().values(**values).returning(table.c.id)
                    ).scalar()
            except IntegrityError:
                new_id = None
        if new_id is not None:
            inserted.append(int(new_id))
    return inserted


_T = Outbox.__table__  # type: ignore[attr-defined]
# claim's guarded update: the row is still as it was read (status, holder)
_CLAIM_GUARD = [
    _T.c.id == bindparam("b_id"),
    _T.c.status == bindparam("b_status"),
    _T.c.claimed_by == bindparam("b_old"),
]
_CLAIM = (
    update(_T)
    .where(*_CLAIM_GUARD)
    .values(claimed_by=bindparam("b_holder"), claimed_until=bindparam("b_until"))
)
_CLAIM_STALE = (  # a row left `sending` by a crash goes back to queued, flagged
    update(_T)
    .where(*_CLAIM_GUARD)
    .values(
        claimed_by=bindparam("b_holder"),
        claimed_until=bindparam("b_until"),
        status=QUEUED,
        last_error=bindparam("b_error"),
    )
)

_GIVE_UP = (  # a row whose every delivery attempt was interrupted: failed, not retaken
    update(_T)
    .where(*_CLAIM_GUARD)
    .values(status=FAILED, claimed_by="", claimed_until=None, last_error=bindparam("b_error"))
)


def _claimable(now: datetime) -> Any:
    free = or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now)
    due = or_(col(Outbox.next_try_at).is_(None), col(Outbox.next_try_at) <= now)
    return or_(
        and_(col(Outbox.status) == QUEUED, due, free), and_(col(Outbox.status) == SENDING, free)
    )


def claim(
    session: Session,
    holder: str,
    now: datetime,
    *,
    lease: timedelta,
    limit: int = 200,
    ids: Sequence[int] | None = None,
    max_attempts: int = RetryPolicy.max_attempts,
) -> list[Outbox]:
    """Claim due rows (fewest attempts first, then oldest) for `holder`; commits. Rows held
    by a dead process on this host are taken over at once; others wait for their lease.

    No row can block the queue: a row that keeps killing its deliverer is left `sending`
    each time, and each take-over counted an attempt (`begin`), so it sorts after the rows
    never tried and, once it has used `max_attempts`, is failed instead of taken again.

    On PostgreSQL the rows are read `FOR UPDATE SKIP LOCKED`: deliverers claiming at the same
    moment each get different rows instead of queueing on the same locks and losing the
    guarded update. The guarded update stays the proof on every backend (SQLite serialises
    writers with BEGIN IMMEDIATE, so it needs no row locks)."""
    until = now + lease
    skip_locked = session.get_bind().dialect.name == "postgresql"
    query = select(Outbox).where(_claimable(now))
    if ids is not None:
        query = query.where(col(Outbox.id).in_(list(ids)))
    query = query.order_by(col(Outbox.attempts), col(Outbox.id)).limit(limit)
    held_query = select(Outbox).where(
        col(Outbox.status).in_([QUEUED, SENDING]),
        col(Outbox.claimed_until) >= now,
        col(Outbox.claimed_by) != holder,
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    candidates = list(session.exec(query).all())
    held = session.exec(held_query).all()
    orphans = [
        r
        for r in held
        if holder_is_dead(r.claimed_by)
        and (ids is None or r.id in ids)
        and (r.status == SENDING or r.next_try_at is None or r.next_try_at <= now)
    ]
    claimed: list[int] = []
    for row in sorted([*candidates, *orphans], key=lambda r: (r.attempts, r.id or 0))[:limit]:
        if row.status == SENDING and row.attempts >= max_attempts:
            session.execute(
                _GIVE_UP,
                {
                    "b_id": row.id,
                    "b_status": row.status,
                    "b_old": row.claimed_by,
                    "b_error": f"gave up after {row.attempts} interrupted attempts: "
                    f"{MAYBE_DELIVERED}",
                },
            )
            continue
        params: dict[str, Any] = {
            "b_id": row.id,
            "b_status": row.status,
            "b_old": row.claimed_by,
            "b_holder": holder,
            "b_until": until,
        }
        if row.status == SENDING:
            params["b_error"] = (
                f"attempt {row.attempts} by {row.claimed_by or '?'} was "
                f"interrupted: {MAYBE_DELIVERED}; resent with the same "
                "Message-ID"
            )
        # Core statements built once: no identity map to synchronise (that made a batch
        # quadratic) and no expression to build per row; the rows are re-read below.
        result = session.execute(_CLAIM_STALE if row.status == SENDING else _CLAIM, params)
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(row.id or 0)
    session.commit()
    if not claimed:
        return []
    rows = session.exec(
        select(Outbox)
        .where(col(Outbox.id).in_(claimed))
        .order_by(col(Outbox.attempts), col(Outbox.id))
        .execution_options(populate_existing=True)
    ).all()
    return list(rows)


def _mine_core(status: str) -> list[Any]:
    """The guard of every per-message update: still this holder's row, still in `status`."""
    return [
        _T.c.id == bindparam("b_id"),
        _T.c.claimed_by == bindparam("b_holder"),
        _T.c.status == status,
    ]


_BEGIN = (
    update(_T)
    .where(*_mine_core(QUEUED))
    .values(status=SENDING, attempts=_T.c.attempts + 1, claimed_until=bindparam("b_until"))
)
_SENT = (
    update(_T)
    .where(*_mine_core(SENDING))
    .values(status=SENT, sent_at=bindparam("b_at"), claimed_until=None)
)
_SENT_REFUSED = (
    update(_T)
    .where(*_mine_core(SENDING))
    .values(
        status=SENT, sent_at=bindparam("b_at"), claimed_until=None, last_error=bindparam("b_note")
    )
)
_FAILED = (
    update(_T)
    .where(*_mine_core(SENDING))
    .values(
        status=bindparam("b_status"),
        next_try_at=bindparam("b_next"),
        last_error=bindparam("b_error"),
        claimed_by="",
        claimed_until=None,
    )
)
_ATTEMPTS = core_select(_T.c.attempts).where(_T.c.id == bindparam("b_id"))


def _begin(session: Session, row_id: int, holder: str, until: datetime) -> bool:
    result = session.execute(_BEGIN, {"b_id": row_id, "b_holder": holder, "b_until": until})
    return result.rowcount == 1  # type: ignore[attr-defined]


def _sent(session: Session, row_id: int, holder: str, now: datetime, note: str) -> bool:
    params: dict[str, Any] = {"b_id": row_id, "b_holder": holder, "b_at": now}
    if REFUSED in note:  # keep the recipients the server refused
        params["b_note"] = note[note.index(REFUSED) :]
        result = session.execute(_SENT_REFUSED, params)
    else:
        result = session.execute(_SENT, params)
    return result.rowcount == 1  # type: ignore[attr-defined]


def begin(session: Session, row_id: int, holder: str, now: datetime, lease: timedelta) -> bool:
    """queued → sending, attempts + 1; commits. False if the claim was lost meanwhile."""
    ok = _begin(session, row_id, holder, now + lease)
    session.commit()
    return ok


def mark_sent(session: Session, row_id: int, holder: str, now: datetime, note: str = "") -> bool:
    """sending → sent in its own commit; `note` keeps recipients the server refused."""
    ok = _sent(session, row_id, holder, now, note)
    session.commit()
    return ok


def advance(
    session: Session,
    sent_id: int,
    note: str,
    next_id: int,
    holder: str,
    now: datetime,
    lease: timedelta,
) -> bool:
    """mark_sent(sent_id) and begin(next_id) in ONE commit, between two SMTP transactions
    (see the module docstring for why exactly-once survives). False if `next_id`'s claim
    was lost meanwhile; `sent_id` is recorded either way."""
    _sent(session, sent_id, holder, now, note)
    ok = _begin(session, next_id, holder, now + lease)
    session.commit()
    return ok


def mark_failed(
    session: Session,
    row_id: int,
    holder: str,
    error: str,
    now: datetime,
    *,
    retry: RetryPolicy | None = None,
) -> str:
    """sending → queued (retry later with backoff) or failed; returns the new status."""
    attempts = session.execute(_ATTEMPTS, {"b_id": row_id}).scalar() or 0
    if retry is not None and attempts < retry.max_attempts:
        status, next_try = QUEUED, now + retry.delay(attempts)
    else:
        status, next_try = FAILED, None
    session.execute(
        _FAILED,
        {
            "b_id": row_id,
            "b_holder": holder,
            "b_status": status,
            "b_next": next_try,
            "b_error": error[:2000],
        },
    )
    session.commit()
    return status


def release(
    session: Session,
    row_ids: Iterable[int],
    holder: str,
    next_try_at: datetime | None = None,
    error: str = "",
) -> None:
    """Give back claimed rows that were not tried (the connection was lost); commits."""
    ids = list(row_ids)
    if not ids:
        return
    values: dict[str, Any] = {"claimed_by": "", "claimed_until": None}
    if next_try_at is not None:
        values["next_try_at"] = next_try_at
    if error:
        values["last_error"] = error[:2000]
    session.execute(
        update(Outbox)
        .where(
            col(Outbox.id).in_(ids), col(Outbox.claimed_by) == holder, col(Outbox.status) == QUEUED
        )
        .values(**values)
    )
    session.commit()


def retry_row(session: Session, row_id: int, now: datetime) -> Outbox:
    """`outbox retry ID`: a failed (or waiting) row goes back to the queue now."""
    row = session.get(Outbox, row_id)
    if row is None:
        raise NotFound(
            f"không có thư số {row_id} trong hộp thư đi", f"no message {row_id} in the outbox"
        )
    if row.status == SENT:
        raise ConflictError(
            f"thư số {row_id} đã gửi lúc {row.sent_at:%d/%m/%Y %H:%M}",
            f"message {row_id} was already sent at {row.sent_at:%Y-%m-%d %H:%M}",
        )
    live = row.claimed_until is not None and row.claimed_until >= now
    if live and row.claimed_by and not holder_is_dead(row.claimed_by):
        # Its deliverer may be talking to the server right now: a retry would send it twice.
        raise ConflictError(
            f"thư số {row_id} đang được gửi (bởi {row.claimed_by}, đến "
            f"{row.claimed_until:%H:%M}); thử lại sau thời điểm đó",
            f"message {row_id} is being delivered (by {row.claimed_by}, until "
            f"{row.claimed_until:%H:%M}); retry after that",
        )
    session.execute(
        update(Outbox)
        .where(
            col(Outbox.id) == row_id,
            col(Outbox.status) != SENT,
            col(Outbox.claimed_by) == row.claimed_by,
        )
        .values(status=QUEUED, attempts=0, next_try_at=now, claimed_by="", claimed_until=None)
    )
    session.flush()
    session.refresh(row)
    return row


def partly_refused() -> Any:
    """Sent to some recipients while the server refused others: listed with the failures."""
    return and_(col(Outbox.status) == SENT, col(Outbox.last_error).startswith(REFUSED))


def due_count(session: Session, now: datetime) -> int:
    """Rows a deliverer could claim now (queued and due, or left `sending` unheld)."""
    from sqlalchemy import func

    query = core_select(func.count()).select_from(_T).where(_claimable(now))
    return int(session.execute(query).scalar() or 0)


def list_rows(
    session: Session, *, unit_id: int | None = None, failed: bool = False, limit: int = 500
) -> list[Outbox]:
    query = select(Outbox)
    if unit_id is not None:
        query = query.where(Outbox.unit_id == unit_id)
    if failed:
        query = query.where(or_(col(Outbox.status) == FAILED, partly_refused()))
    return list(session.exec(query.order_by(col(Outbox.id).desc()).limit(limit)).all())
