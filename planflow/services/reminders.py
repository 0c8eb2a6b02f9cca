"""Use cases of reminders: the sweep (decide, render, queue) and delivery (claim, send, mark).

`sweep_reminders` asks the engine "as of `today`, what is owed to whom?", renders each
message and inserts it into the outbox, whose unique key (recipient, day, kind) refuses a
second copy: run twice, late or after days off, it queues what is owed today and nothing
twice. Reminders owed on days the machine was off are not sent late: level-triggered, the
next sweep asks about its own day, where every open item is again in the state it is in
(still overdue → on its next 3-day turn; done → nothing).

`deliver_outbox` is a separate loop (the scheduler runs it every minute, `planflow remind`
once): it claims due rows, sends them over ONE connection, and records each outcome in a
commit right after the server answered (the same commit begins the next message). See
notifications/outbox.py for the exactly-once argument and its one unavoidable at-least-once
window.
"""

from __future__ import annotations

import base64
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from planflow import clock
from planflow.engine.reminders import (
    SNAPSHOT,
    Contact,
    Directory,
    Message,
    OpenItem,
    Policy,
    plan_reminders,
    unreached,
    weekly_owed,
)
from planflow.links import mail_linker
from planflow.models import Department, Item, Outbox, Person, Plan, Task, Unit
from planflow.notifications import outbox
from planflow.notifications.message import build_email, recipients_of
from planflow.notifications.outbox import Draft, RetryPolicy
from planflow.notifications.render import (
    SnapshotContext,
    fmt_date,
    line_of,
    render,
    render_message,
)
from planflow.notifications.sender import DeliveryError, Sender
from planflow.services.common import department_heads, unit_calendar

DEFAULT_LEASE = timedelta(minutes=10)


@dataclass
class SweepResult:
    """What one sweep decided: every message owed today, and which of them were new."""

    unit: str
    day: date
    messages: list[dict[str, Any]] = field(default_factory=list)
    queued: int = 0  # rows inserted by this sweep
    already: int = 0  # owed today but already in the outbox
    dry_run: bool = False
    # department code (or "nobody") → items its head could not be sent (see engine.unreached)
    unreached: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    where: str = ""  # the SMTP server or the .eml folder
    errors: list[str] = field(default_factory=list)
    sent_ids: list[int] = field(default_factory=list)
    left: int = 0  # due rows still queued when delivery stopped (deliver_owed)
    stopped: str = ""  # why deliver_owed stopped with rows left: "budget" or "no progress"

    def add(self, other: DeliveryResult) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retrying += other.retrying
        self.where = other.where or self.where
        self.errors.extend(other.errors)
        self.sent_ids.extend(other.sent_ids)


# --------------------------------------------------------------------------- reading


def policy_of(unit: Unit) -> Policy:
    return Policy.from_settings((unit.settings or {}).get("reminders"))


def open_items(
    session: Session, unit: Unit, *, closed: bool = False, day: date | None = None
) -> list[OpenItem]:
    """Every item of the unit's live tasks that is not done; the engine decides the rest.
    Run --as-of a day before later events, the items are those the log held open then.
    With `closed`, done and cancelled items and archived tasks too (the calendar feed keeps
    them, marked, so subscribed calendars update instead of keeping a stale event)."""
    from planflow.services.replaying import as_of_day, needs_replay

    assert unit.id is not None
    day = day or clock.today()
    past = needs_replay(session, unit.id, day)
    query = select(Item, Task, Plan.year).join(Task, col(Task.id) == Item.task_id)
    query = query.join(Plan, col(Plan.id) == Task.plan_id).where(Task.unit_id == unit.id)
    if not past and not closed:
        query = query.where(
            col(Task.archived_at).is_(None),
            col(Task.status) != "cancelled",
            col(Item.status).not_in(["done", "cancelled"]),
        )
    rows = session.exec(query.order_by(col(Task.position), col(Task.id), col(Item.id))).all()
    if past:
        tasks = list({task.id: task for _item, task, _year in rows}.values())
        items: dict[int, list[Item]] = {}
        for item, _task, _year in rows:
            items.setdefault(item.task_id, []).append(item)
        kept = {t.id for t in as_of_day(session, tasks, items, day)}
        rows = [
            (item, task, year)
            for item, task, year in rows
            if task.id in kept
            and (
                closed
                or (
                    task.archived_at is None
                    and task.status != "cancelled"
                    and item.status not in ("done", "cancelled")
                )
            )
        ]
    return [
        OpenItem(
            code=task.code,
            text=task.text,
            due=item.due_on,
            period=item.period,
            department=item.department,
            leads=tuple(task.leads or ()),
            partners=tuple(task.partners or ()),
            status=item.status,
            task_status=task.status,
            archived=task.archived_at is not None,
            deadline_kind=task.deadline_kind or "date",
            deadline_text=task.deadline_text,
            item_id=item.id,
            plan_year=year,
        )
        for item, task, year in rows
    ]


def directory(session: Session, unit: Unit) -> Directory:
    """Heads by department; the coordinator is the active Person with role coordinator, else
    the head of the unit's coordinating department; chairmen are every active chairman."""
    heads = {
        code: Contact(p.name, p.email, code) for code, p in department_heads(session, unit).items()
    }
    people = session.exec(
        select(Person)
        .where(
            Person.unit_id == unit.id,
            col(Person.active),
            col(Person.role).in_(["coordinator", "chairman"]),
        )
        .order_by(col(Person.id))
    ).all()
    coordinators = [Contact(p.name, p.email) for p in people if p.role == "coordinator" and p.email]
    coordinator = coordinators[0] if coordinators else heads.get(unit.coordinator or "")
    chairmen = tuple(Contact(p.name, p.email) for p in people if p.role == "chairman" and p.email)
    return Directory(heads=heads, coordinator=coordinator, chairmen=chairmen)


def department_names(session: Session, unit: Unit) -> dict[str, str]:
    rows = session.exec(select(Department).where(Department.unit_id == unit.id)).all()
    return {d.code: d.name for d in rows}


def unit_lang(unit: Unit, default: str = "vi") -> str:
    lang = (unit.settings or {}).get("lang") or default
    return lang if lang in ("vi", "en") else "vi"


# --------------------------------------------------------------------------- sweeping


def plan_messages(session: Session, unit: Unit, today: date) -> list[Message]:
    """The engine's decision for `today` (no writes)."""
    calendar = unit_calendar(unit, range(today.year - 2, today.year + 2))
    return plan_reminders(
        open_items(session, unit, day=today),
        today,
        calendar,
        policy_of(unit),
        directory(session, unit),
    )


def unreached_today(
    session: Session, unit: Unit, today: date, messages: list[Message] | None = None
) -> dict[str, list[str]]:
    """Departments whose head has no e-mail (their items went to the coordinator) and items
    that reached nobody today; `planflow remind` prints them rather than drop them silently."""
    calendar = unit_calendar(unit, range(today.year - 2, today.year + 2))
    people = directory(session, unit)
    if messages is not None and people.coordinator is not None and people.coordinator.email:
        return unreached((), today, calendar, policy_of(unit), people, messages)
    items = open_items(session, unit, day=today)
    return unreached(items, today, calendar, policy_of(unit), people)


# What `remind --json` shows of each line (role: lead, partner or coordinate, the section
# of the recipient's digest the line is in).
SUMMARY_ITEM_KEYS = ("code", "period", "department", "due", "days_overdue", "reason", "role",
                     "reason_key", "days")  # fmt: skip


def sweep_reminders(
    session: Session,
    unit: Unit,
    today: date,
    *,
    lang: str | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    snapshot: bool = True,
) -> SweepResult:
    """Render and queue everything owed on `today`; idempotent. With `dry_run` nothing is
    written and the result shows who would get what."""
    lang = lang or unit_lang(unit)
    now = now or clock.now()
    names = department_names(session, unit)
    result = SweepResult(unit=unit.code, day=today, dry_run=dry_run)
    messages = plan_messages(session, unit, today)
    result.unreached = unreached_today(session, unit, today, messages)
    drafts: list[Draft] = []
    linker = mail_linker(today)
    for message in messages:
        link = partial(linker, message.recipient.email, unit.code) if linker else None
        rendered = render_message(message, lang, unit.name, names, link)
        drafts.append(
            Draft(
                recipient=message.recipient.email,
                recipient_name=message.recipient.name,
                day=today,
                kind=message.kind,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
                cc=[c.email for c in message.cc],
                items=[i.as_dict() for i in message.items],
            )
        )
    if snapshot:
        drafts.extend(snapshot_drafts(session, unit, today, lang))
    existing = _existing_keys(session, today)
    if not dry_run:
        inserted = set(outbox.queue(session, unit.id, drafts, now))
        result.queued = len(inserted)
    for d in drafts:
        key = (d.recipient.lower(), d.kind)
        is_new = key not in existing
        if is_new and dry_run:
            result.queued += 1
        if not is_new:
            result.already += 1
        result.messages.append(
            {
                "kind": d.kind,
                "to": d.recipient.lower(),
                "cc": [c.lower() for c in d.cc],
                "subject": d.subject,
                "day": today.isoformat(),
                "new": is_new,
                "items": [{k: i.get(k) for k in SUMMARY_ITEM_KEYS} for i in d.items],
            }
        )
    return result


def _existing_keys(session: Session, day: date) -> set[tuple[str, str]]:
    rows = session.exec(select(Outbox.recipient, Outbox.kind).where(Outbox.day == day)).all()
    return {(r.lower(), k) for r, k in rows}


def snapshot_drafts(session: Session, unit: Unit, today: date, lang: str) -> list[Draft]:
    """The chairman's weekly progress mail, owed on the policy's weekday (a day off moves it
    to the working day before): an HTML summary with the Phụ lục 1B .docx attached."""
    policy = policy_of(unit)
    calendar = unit_calendar(unit, range(today.year - 1, today.year + 2))
    if not weekly_owed(today, calendar, policy.snapshot_weekday):
        return []
    chairmen = directory(session, unit).chairmen
    if not chairmen:
        return []
    try:
        from planflow.services.reports import build_report, summary_sentence
    except ImportError:  # pragma: no cover - reports not installed
        return []
    report = build_report(session, unit, as_of=today)
    attachments: list[dict[str, Any]] = []
    attachment_name = ""
    try:
        from planflow.reports import render as render_report

        data = render_report(report, "docx", lang)
        if isinstance(data, bytes):
            attachment_name = f"phu-luc-1b-{unit.code}-{today.isoformat()}.docx"
            attachments.append(
                {
                    "filename": attachment_name,
                    "content_type": "application/vnd.openxmlformats-officedocument."
                    "wordprocessingml.document",
                    "data_b64": base64.b64encode(data).decode("ascii"),
                }
            )
    except ImportError:  # pragma: no cover - python-docx missing
        pass
    overdue = _overdue_lines(session, unit, today, lang)
    failed = [
        f"{r.recipient} ({fmt_date(r.day)}, {r.kind}): {r.last_error}"
        for r in outbox.list_rows(session, unit_id=unit.id, failed=True, limit=20)
    ]
    drafts = []
    for chairman in chairmen:
        ctx = SnapshotContext(
            unit_name=unit.name,
            recipient_name=chairman.name,
            day=fmt_date(today),
            plan_title=report.plan_title or f"Kế hoạch CCHC năm {report.plan_year}",
            summary=summary_sentence(report, lang).rstrip("."),
            done=report.progress.figures.done,
            total=report.progress.figures.total,
            overdue=overdue,
            failed_messages=tuple(failed),
            attachment=attachment_name,
        )
        rendered = render(SNAPSHOT, lang, ctx)
        drafts.append(
            Draft(
                recipient=chairman.email,
                recipient_name=chairman.name,
                day=today,
                kind=SNAPSHOT,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
                attachments=attachments,
            )
        )
    return drafts


def _overdue_lines(session: Session, unit: Unit, today: date, lang: str) -> tuple[Any, ...]:
    calendar = unit_calendar(unit, range(today.year - 2, today.year + 2))
    names = department_names(session, unit)
    lines = []
    for item in open_items(session, unit, day=today):
        if item.due is None or item.deadline_kind in ("unscheduled", "unparsed"):
            continue
        due = calendar.next_working_day(item.due)
        late = calendar.working_days_between(due, today)
        if due < today and late > 0:
            dept = item.department or (item.leads[0] if item.leads else "")
            lines.append(
                line_of(
                    {
                        "code": item.code,
                        "text": item.text,
                        "period": item.period,
                        "department": dept,
                        "due": due.isoformat(),
                        "reason_key": "overdue",
                        "days": late,
                        "days_overdue": late,
                    },
                    lang,
                    names,
                )
            )
    return tuple(lines)


# --------------------------------------------------------------------------- delivering


def deliver_outbox(
    url: str,
    sender: Sender,
    now: datetime | None = None,
    *,
    mail_from: str,
    holder: str | None = None,
    lease: timedelta = DEFAULT_LEASE,
    retry: RetryPolicy | None = None,
    limit: int = 200,
    ids: list[int] | None = None,
) -> DeliveryResult:
    """Send what is due in the outbox over one connection, one commit per message: the
    commit after each accepted message also begins the next (outbox.advance)."""
    from planflow.db import get_engine

    retry = retry or RetryPolicy()
    holder = holder or outbox.new_holder()
    result = DeliveryResult(where=getattr(sender, "describe", lambda: sender.name)())
    engine = get_engine(url).execution_options(planflow_write=True)
    with Session(bind=engine, expire_on_commit=False) as session:
        stamp = now or clock.now()
        rows = outbox.claim(
            session,
            holder,
            stamp,
            lease=lease,
            limit=limit,
            ids=ids,
            max_attempts=retry.max_attempts,
        )
        if not rows:
            return result
        # Detach the claimed rows: what is sent (addresses, subject, bodies, Message-ID)
        # never changes after queueing, so the claimed copy is built from without re-reading
        # it, and the Core updates below have no identity map to synchronise.
        session.expunge_all()
        pending = deque(rows)
        accepted: tuple[int, str] | None = None  # sent, not yet recorded
        try:
            with sender.batch() as batch:
                while pending:
                    row = pending.popleft()
                    stamp = now or clock.now()
                    if accepted is None:
                        begun = outbox.begin(session, row.id or 0, holder, stamp, lease)
                    else:
                        begun = outbox.advance(
                            session, *accepted, row.id or 0, holder, stamp, lease
                        )
                        accepted = None
                    if not begun:
                        continue
                    try:
                        message = build_email(row, mail_from, sent_at=stamp)
                        recipients = recipients_of(row)
                    except Exception as exc:
                        # A row no message can be built from (an address that slipped past
                        # the checks at entry, a header the email package refuses) fails on
                        # its own; the queue goes on.
                        reason = f"cannot build the message: {exc}"
                        status = outbox.mark_failed(
                            session, row.id or 0, holder, reason, now or clock.now()
                        )
                        _count(result, status, f"{row.recipient} ({row.kind}): {reason}")
                        continue
                    try:
                        note = batch.send(message, recipients)
                    except DeliveryError as exc:
                        status = outbox.mark_failed(
                            session,
                            row.id or 0,
                            holder,
                            str(exc),
                            now or clock.now(),
                            retry=None if exc.permanent else retry,
                        )
                        _count(result, status, f"{row.recipient} ({row.kind}): {exc}")
                        if exc.connection_lost:
                            break
                        continue
                    accepted = (row.id or 0, note)
                    result.sent += 1
                    result.sent_ids.append(row.id or 0)
                if accepted is not None:  # the last message: recorded before QUIT
                    sent_id, note = accepted
                    outbox.mark_sent(session, sent_id, holder, now or clock.now(), note)
        except DeliveryError as exc:  # the connection could not be opened
            result.errors.append(str(exc))
            stamp = now or clock.now()
            for row in pending:
                status = _defer(session, row, holder, str(exc), stamp, retry)
                _count(result, status, None)
            pending.clear()
        # Rows not tried because the connection dropped: back to the queue, due next minute.
        outbox.release(
            session,
            [r.id or 0 for r in pending],
            holder,
            next_try_at=(now or clock.now()) + retry.base,
        )
    return result


def _defer(
    session: Session, row: Outbox, holder: str, error: str, now: datetime, retry: RetryPolicy
) -> str:
    """A row that could not even be tried: one attempt spent, backoff, failed at the limit."""
    if not outbox.begin(session, row.id or 0, holder, now, timedelta(minutes=1)):
        return "skipped"
    return outbox.mark_failed(session, row.id or 0, holder, error, now, retry=retry)


def deliver_owed(
    url: str,
    sender: Sender,
    *,
    mail_from: str,
    budget: float,
    batch: int = 200,
) -> DeliveryResult:
    """Deliver batch after batch until nothing due is left or `budget` seconds have passed
    (`planflow remind` on cron must catch up, however many units the database holds).

    Stops early when a batch delivered and failed nothing (the server is down: every row
    went back to wait for its retry), so a dead server does not spin the loop."""
    import time

    from planflow.db import session_scope

    total = DeliveryResult()  # `where` comes with the first batch's result
    started = time.monotonic()
    while True:
        result = deliver_outbox(url, sender, mail_from=mail_from, limit=batch)
        total.add(result)
        if result.sent + result.failed + result.retrying == 0:
            break  # nothing was due
        if result.sent + result.failed == 0:
            total.stopped = "no progress"
            break
        if time.monotonic() - started >= budget:
            total.stopped = "budget"
            break
    with session_scope(url) as session:
        total.left = outbox.due_count(session, clock.now())
    if not total.left:
        total.stopped = ""
    return total


def _count(result: DeliveryResult, status: str, error: str | None) -> None:
    if status == outbox.FAILED:
        result.failed += 1
    elif status == outbox.QUEUED:
        result.retrying += 1
    if error:
        result.errors.append(error)


def make_sender(smtp_url: str | None, outbox_dir: Any) -> Sender:
    """SMTP when configured, else the local folder of .eml files (the embedded default)."""
    if smtp_url:
        from planflow.notifications.smtp import SmtpSender

        return SmtpSender(smtp_url)
    from planflow.notifications.eml import EmlSender

    return EmlSender(outbox_dir)


def outbox_json(row: Outbox) -> dict[str, Any]:
    return {
        "id": row.id,
        "to": row.recipient,
        "cc": row.cc or [],
        "day": row.day.isoformat(),
        "kind": row.kind,
        "subject": row.subject,
        "status": row.status,
        "attempts": row.attempts,
        "next_try_at": row.next_try_at,
        "last_error": row.last_error,
        "message_id": row.message_id,
        "sent_at": row.sent_at,
        "items": [i.get("code") for i in row.items or []],
    }


__all__ = [
    "DeliveryResult",
    "SweepResult",
    "deliver_outbox",
    "make_sender",
    "sweep_reminders",
]
