"""The daily sweep over every unit of a database at once (a province, or the whole country).

`sweep_reminders` answers for one unit with a handful of queries; run 3,300 times it spends
its time in 20,000 small queries and ORM objects. `sweep_all_units` asks the same question of
the engine for every unit with a fixed number of queries, whatever the number of units:

- ONE indexed query for the open items of every unit (the partial index `ix_item_open` holds
  only open items, so its cost grows with what is open, not with history), plain columns
  rather than ORM objects;
- one query each for department heads, coordinators/chairmen, department names, the units,
  and the outbox keys already queued for the day;
- the engine's policy per unit in pure Python (`plan_reminders`, the same function the
  per-unit sweep calls, so both decide exactly the same messages);
- rendering only the messages owed today;
- ONE bulk `INSERT … ON CONFLICT DO NOTHING` into the outbox: the unique key (recipient,
  day, kind) still refuses a second copy, whoever queued the first.

The weekly chairman snapshot (a report with a .docx attached) is built per unit by
`snapshot_drafts`, on its weekday only. `planflow remind` without --unit on a database with
several units and the scheduler call this.

The write lock is held only to insert. Everything is read through a separate, deferred
(read-only) session: on SQLite's WAL a reader neither takes nor waits for the write lock, so
deciding, rendering and the Monday reports (3,300 .docx nationally, minutes of work) never
block a `planflow done`. The drafts are then inserted through the caller's write session in
chunks of at most `CHUNK_ROWS` rows or `CHUNK_BYTES` of text, each chunk committed at once:
a write transaction lasts one INSERT. A sweep that dies half-way leaves whole chunks behind,
and the next sweep fills in the rest, the outbox's unique key refusing what is there. (Read
before write, a `done` committed in between may still get that day's reminder: the same
as a sweep run a minute earlier.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import text as sql_text
from sqlalchemy import type_coerce
from sqlalchemy.types import String
from sqlmodel import Session, col, select

from planflow import clock
from planflow.engine.reminders import (
    Contact,
    Directory,
    Message,
    OpenItem,
    may_be_owed,
    plan_reminders,
    unreached,
)
from planflow.links import Linker, mail_linker
from planflow.models import Department, Item, Outbox, Person, Task, Unit
from planflow.notifications.message import message_id
from planflow.notifications.outbox import QUEUED, Draft
from planflow.notifications.render import render_message
from planflow.services.common import unit_calendar
from planflow.services.reminders import (
    SUMMARY_ITEM_KEYS,
    SweepResult,
    open_items,
    policy_of,
    snapshot_drafts,
    unit_lang,
)
from planflow.services.replaying import units_to_replay


@dataclass
class AllUnitsSweep:
    """One sweep over every unit: a SweepResult per unit that was owed something."""

    day: date
    units: int = 0
    open_items: int = 0
    dry_run: bool = False
    results: list[SweepResult] = field(default_factory=list)

    @property
    def queued(self) -> int:
        return sum(r.queued for r in self.results)

    @property
    def already(self) -> int:
        return sum(r.already for r in self.results)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [m | {"unit": r.unit} for r in self.results for m in r.messages]

    @property
    def unreached(self) -> dict[str, list[str]]:
        """Items a head could not be sent, keyed "UNIT:DEPT" (or "UNIT:nobody")."""
        return {f"{r.unit}:{k}": v for r in self.results for k, v in r.unreached.items()}


def sweep_all_units(
    session: Session,
    today: date,
    *,
    lang: str | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    snapshot: bool = True,
    progress: bool | None = None,
) -> AllUnitsSweep:
    """Render and queue everything owed on `today` to anyone in any unit; idempotent, and
    message for message what `sweep_reminders` queues unit by unit."""
    now = now or clock.now()
    with _reader(session) as reader:
        return _sweep(
            session, reader, today, lang=lang, now=now, dry_run=dry_run, snapshot=snapshot,
            progress=progress,
        )  # fmt: skip


def _sweep(
    session: Session,
    reader: Session,
    today: date,
    *,
    lang: str | None,
    now: datetime,
    dry_run: bool,
    snapshot: bool,
    progress: bool | None,
) -> AllUnitsSweep:
    """The sweep proper: reads through `reader`, writes chunk by chunk through `session`."""
    from planflow.progressbar import track

    units = reader.exec(select(Unit).order_by(col(Unit.id))).all()
    years = range(today.year - 2, today.year + 2)
    # Calendars are cached by their settings, so units share a few; so do the answers.
    rules = {u.id or 0: (unit_calendar(u, years), policy_of(u)) for u in units}
    owed: dict[tuple[int, Any, date | None, str], bool] = {}

    def keep(unit_id: int, due: date | None, kind: str) -> bool:
        calendar, policy = rules[unit_id]
        key = (id(calendar), policy, due, kind)
        answer = owed.get(key)
        if answer is None:
            answer = owed[key] = may_be_owed(due, kind, today, calendar, policy)
        return answer

    items, count = open_items_by_unit(reader, keep)
    later = units_to_replay(reader, today)  # their stored rows are newer than `today`
    for unit in (u for u in units if u.id in later):
        replayed = open_items(reader, unit, day=today)
        count += len(replayed) - len(items.get(unit.id or 0, ()))
        items[unit.id or 0] = [i for i in replayed if keep(unit.id or 0, i.due, i.deadline_kind)]
    directories = directories_by_unit(reader, units)
    names = department_names_by_unit(reader)
    existing = _existing_keys(reader, today)
    reader.commit()  # end the read transaction: a long one only holds back WAL checkpoints
    out = AllUnitsSweep(day=today, units=len(units), open_items=count, dry_run=dry_run)
    linker = mail_linker(today)
    pending: list[tuple[SweepResult, int | None, Draft]] = []
    size = 0

    def flush() -> None:
        """Insert and commit what is pending: one short write transaction. The drafts are
        dropped once counted (a Monday's .docx attachments would add up to hundreds of MB)."""
        nonlocal size
        inserted: set[tuple[str, str]] = set()
        if not dry_run and pending:
            inserted = bulk_queue(session, [(u, d) for _, u, d in pending], now)
            session.commit()
        for result, _, d in pending:
            result.queued += dry_run or (d.recipient.strip().lower(), d.kind) in inserted
        pending.clear()
        size = 0

    for unit in track(units, label="sweep", enabled=progress):
        calendar, policy = rules[unit.id or 0]
        messages = plan_reminders(
            items.get(unit.id or 0, ()),
            today,
            calendar,
            policy,
            directories.get(unit.id or 0, Directory()),
        )
        gaps = unreached(
            items.get(unit.id or 0, ()),
            today,
            calendar,
            policy,
            directories.get(unit.id or 0, Directory()),
            messages,
        )
        ulang = lang or unit_lang(unit)
        unit_names = names.get(unit.id or 0, {})
        drafts = [_draft(m, ulang, unit.name, unit_names, linker, unit.code) for m in messages]
        if snapshot:  # the report and its .docx, read and rendered outside any write
            drafts.extend(snapshot_drafts(reader, unit, today, ulang))
            reader.commit()
        if not drafts and not gaps:
            continue
        result = SweepResult(unit=unit.code, day=today, dry_run=dry_run, unreached=gaps)
        for d in drafts:
            key = (d.recipient.strip().lower(), d.kind)
            is_new = key not in existing
            existing.add(key)  # an address two units share gets one message, as unit by unit
            result.already += not is_new
            result.messages.append(_summary(d, today, is_new))
            if is_new:
                pending.append((result, unit.id, d))
                size += _weight(d)
        out.results.append(result)
        if len(pending) >= CHUNK_ROWS or size >= CHUNK_BYTES:
            flush()
    flush()
    return out


CHUNK_ROWS = 2000  # outbox rows per write transaction (about 0.1 s of INSERT)
CHUNK_BYTES = 8_000_000  # ... or this much text: ~100 weekly snapshots with their .docx


def _weight(d: Draft) -> int:
    """Roughly what a draft adds to an INSERT: its bodies and base64 attachments."""
    attached = sum(len(a.get("data_b64", "")) for a in d.attachments)
    return len(d.body_text) + len(d.body_html) + attached


@contextmanager
def _reader(session: Session) -> Iterator[Session]:
    """A read-only session on the same database as `session`: its transactions begin
    deferred (not BEGIN IMMEDIATE), so reading never takes the SQLite write lock."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind).execution_options(planflow_write=False)
    with Session(bind=engine, expire_on_commit=False) as reader:
        try:
            yield reader
        finally:
            reader.rollback()


def _draft(
    message: Message,
    lang: str,
    unit_name: str,
    names: dict[str, str],
    linker: Linker | None = None,
    unit_code: str = "",
) -> Draft:
    link = None
    if linker is not None:
        email = message.recipient.email
        link = partial(linker, email, unit_code)
    rendered = render_message(message, lang, unit_name, names, link)
    return Draft(
        recipient=message.recipient.email,
        recipient_name=message.recipient.name,
        day=message.day,
        kind=message.kind,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        cc=[c.email for c in message.cc],
        items=[i.as_dict() for i in message.items],
    )


def _summary(d: Draft, today: date, is_new: bool) -> dict[str, Any]:
    """The message as `remind --json` shows it (same shape as the per-unit sweep)."""
    return {
        "kind": d.kind,
        "to": d.recipient.lower(),
        "cc": [c.lower() for c in d.cc],
        "subject": d.subject,
        "day": today.isoformat(),
        "new": is_new,
        "items": [{k: i.get(k) for k in SUMMARY_ITEM_KEYS} for i in d.items],
    }


# --------------------------------------------------------------------------- reading


def open_items_by_unit(
    session: Session, keep: Callable[[int, date | None, str], bool] | None = None
) -> tuple[dict[int, list[OpenItem]], int]:
    """The open items of every live task, grouped by unit, and how many open items there
    are: one query. `keep(unit_id, due, deadline_kind)` drops items before they become
    OpenItems (the engine's `may_be_owed`). Order inside a unit does not matter: the engine
    sorts what it sends."""
    leads = type_coerce(Task.leads, String)  # raw JSON text: parsed once per distinct value
    partners = type_coerce(Task.partners, String)
    query = (
        sa_select(
            Item.unit_id,
            Item.id,
            Item.due_on,
            Item.period,
            Item.department,
            Item.status,
            Task.code,
            Task.text,
            leads,
            partners,
            Task.status,
            Task.deadline_kind,
            Task.deadline_text,
        )
        .join(Task, col(Task.id) == Item.task_id)
        .where(
            # Literal, not bound parameters: the partial index ix_item_open has this very
            # condition, and SQLite uses a partial index only when the query repeats it.
            sql_text("item.status IN ('not_started', 'in_progress')"),
            col(Task.archived_at).is_(None),
            col(Task.status) != "cancelled",
        )
    )
    parsed: dict[Any, tuple[str, ...]] = {}

    def codes(raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, str):  # a driver that already decoded the JSON
            return tuple(raw or ())
        value = parsed.get(raw)
        if value is None:
            value = parsed[raw] = tuple(json.loads(raw) or ())
        return value

    out: dict[int, list[OpenItem]] = {}
    count = 0
    for row in session.connection().execute(query):  # Core rows: no ORM loading per row
        (unit_id, item_id, due, period, dept, status, code, text, ld, pt, tstatus, kind, dtext) = (
            row
        )
        count += 1
        if keep is not None and not keep(unit_id, due, kind or "date"):
            continue
        out.setdefault(unit_id, []).append(
            OpenItem(
                code=code,
                text=text,
                due=due,
                period=period,
                department=dept,
                leads=codes(ld),
                partners=codes(pt),
                status=status,
                task_status=tstatus,
                deadline_kind=kind or "date",
                deadline_text=dtext,
                item_id=item_id,
            )
        )
    return out, count


def directories_by_unit(session: Session, units: Iterable[Unit]) -> dict[int, Directory]:
    """Every unit's Directory with the rules of services.reminders.directory: heads by
    department; the first active coordinator with an e-mail, else the head of the unit's
    coordinating department; every active chairman with an e-mail."""
    heads: dict[int, dict[str, Contact]] = {}
    for unit_id, code, name, email in session.connection().execute(
        sa_select(Department.unit_id, Department.code, Person.name, Person.email)
        .join(Person, col(Person.department_id) == Department.id)
        .where(Person.role == "head", col(Person.active))
        .order_by(col(Person.id))
    ):
        heads.setdefault(unit_id, {})[code] = Contact(name, email, code)
    coordinators: dict[int, list[Contact]] = {}
    chairmen: dict[int, list[Contact]] = {}
    for unit_id, role, name, email in session.connection().execute(
        sa_select(Person.unit_id, Person.role, Person.name, Person.email)
        .where(col(Person.active), col(Person.role).in_(["coordinator", "chairman"]))
        .order_by(col(Person.id))
    ):
        if email:
            target = coordinators if role == "coordinator" else chairmen
            target.setdefault(unit_id, []).append(Contact(name, email))
    out: dict[int, Directory] = {}
    for unit in units:
        uid = unit.id or 0
        unit_heads = heads.get(uid, {})
        coords = coordinators.get(uid)
        out[uid] = Directory(
            heads=unit_heads,
            coordinator=coords[0] if coords else unit_heads.get(unit.coordinator or ""),
            chairmen=tuple(chairmen.get(uid, ())),
        )
    return out


def department_names_by_unit(session: Session) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for unit_id, code, name in session.connection().execute(
        sa_select(Department.unit_id, Department.code, Department.name)
    ):
        out.setdefault(unit_id, {})[code] = name
    return out


def _existing_keys(session: Session, day: date) -> set[tuple[str, str]]:
    rows = session.connection().execute(
        sa_select(Outbox.recipient, Outbox.kind).where(Outbox.day == day)
    )
    return {(r.lower(), k) for r, k in rows}


# --------------------------------------------------------------------------- writing


def bulk_queue(
    session: Session, drafts: list[tuple[int | None, Draft]], now: datetime
) -> set[tuple[str, str]]:
    """Insert every draft in one statement; a key already queued (by anyone) is skipped by
    the unique key. Returns the (recipient, kind) keys actually inserted."""
    if not drafts:
        return set()
    table = Outbox.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:  # pragma: no cover - other backends take the per-row path
        from planflow.notifications import outbox

        inserted: set[tuple[str, str]] = set()
        for unit_id, d in drafts:
            if outbox.queue(session, unit_id, [d], now):
                inserted.add((d.recipient.strip().lower(), d.kind))
        return inserted
    rows = [_row(unit_id, d, now) for unit_id, d in drafts]
    stmt = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["recipient", "day", "kind"])
        .returning(table.c.recipient, table.c.kind)
    )
    result = session.execute(stmt, rows)
    return {(r, k) for r, k in result}


def _row(unit_id: int | None, d: Draft, now: datetime) -> dict[str, Any]:
    """The outbox row of a draft: the same values as notifications.outbox.queue writes."""
    recipient = d.recipient.strip().lower()
    return dict(
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
        next_try_at=None,
        last_error="",
        message_id=message_id(recipient, d.day, d.kind),
        claimed_by="",
        claimed_until=None,
        created_at=now,
        sent_at=None,
    )


def sweep_owed(
    session: Session,
    unit: str | None,
    today: date,
    *,
    lang: str | None = None,
    dry_run: bool = False,
    progress: bool | None = None,
) -> SweepResult | AllUnitsSweep:
    """`planflow remind`'s sweep: the unit named, else every unit when the database holds
    several (the national path), else its only unit."""
    from planflow.services.common import get_unit
    from planflow.services.reminders import sweep_reminders

    # Asked through a reader: on the write session this first statement would BEGIN
    # IMMEDIATE and hold the lock through the whole sweep, until its first chunk commits.
    with _reader(session) as reader:
        several = not unit and len(reader.exec(select(Unit.id).limit(2)).all()) > 1
    if several:
        return sweep_all_units(session, today, lang=lang, dry_run=dry_run, progress=progress)
    return sweep_reminders(session, get_unit(session, unit), today, lang=lang, dry_run=dry_run)
