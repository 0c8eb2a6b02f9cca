"""The moves of the task workflow: start, done, reopen (one item), cancel, restore (the whole
task), notes and a task's history. The CLI calls these; so may a script or the scheduler.
Which item a move applies to is decided in `services.picking`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from planflow import clock
from planflow.db import session_scope
from planflow.engine import states
from planflow.engine.permissions import Perm, Relation
from planflow.engine.states import Action, AlreadyDone
from planflow.engine.text import MAX_TEXT, one_line, too_long
from planflow.engine.types import Status
from planflow.errors import ConflictError, UsageError
from planflow.models import Event, Item, Plan, Task
from planflow.services.acting import (
    Acting,
    Outcome,
    acting,
    check,
    fill_progress,
    fmt_day,
    item_relation,
    resolve_today,
    task_relation,
)
from planflow.services.common import find_task, get_unit, record_event, refresh_task_status
from planflow.services.picking import check_usable, select_item


def _check_lengths(**texts: str) -> None:
    """Refuse free text over MAX_TEXT before anything is opened: a pasted file or a runaway
    script would otherwise fill every report, e-mail and spreadsheet cell it reaches."""
    for name, text in texts.items():
        if too_long(text):
            option = "NOTE" if name == "text" else f"--{name}"
            raise UsageError(
                f"{option}: dài {len(text)} ký tự, tối đa {MAX_TEXT}",
                f"{option}: {len(text)} characters long, at most {MAX_TEXT}",
            )


def _check_on(on: date, plan: Plan, today: date) -> None:
    if on > today:
        raise UsageError(
            f"--on {fmt_day(on)}: không ghi hoàn thành vào ngày trong tương lai "
            f"(hôm nay {fmt_day(today)})",
            f"--on {fmt_day(on)}: a completion date cannot be in the future "
            f"(today is {fmt_day(today)})",
        )
    if on < date(plan.year, 1, 1):
        raise UsageError(
            f"--on {fmt_day(on)}: trước năm kế hoạch {plan.year}",
            f"--on {fmt_day(on)}: before the plan year {plan.year}",
        )


def _check_started(ctx: Acting, day: date) -> None:
    """A move dated before the plan starts cannot have happened."""
    starts = ctx.plan.starts
    if starts is not None and day < starts:
        raise UsageError(
            f"{ctx.task.code}: ngày {fmt_day(day)} trước ngày bắt đầu kế hoạch ({fmt_day(starts)})",
            f"{ctx.task.code}: {fmt_day(day)} is before the plan starts ({fmt_day(starts)})",
        )


# The events that say what happened to the task; imports and directory changes are dated
# by the clock of whoever made them and say nothing about the task's own history.
_MOVES = ("start", "complete", "reopen", "cancel", "restore", "note")


def _check_log(ctx: Acting, now_day: date) -> None:
    """A write made "as of" a day before events the task's log already holds is refused:
    the log would say one thing and the stored state another. Earlier work is recorded on
    the real day with --on."""
    last = ctx.session.exec(
        select(func.max(Event.on)).where(
            Event.task_id == ctx.task.id, col(Event.action).in_(_MOVES)
        )
    ).one()
    if last is not None and now_day < last:
        code = ctx.task.code
        raise UsageError(
            f"{code}: sổ theo dõi đã có sự kiện ngày {fmt_day(last)}, sau ngày đang dùng "
            f"{fmt_day(now_day)} (--as-of hoặc PLANFLOW_TODAY); không ghi lùi vào quá khứ. "
            f"Ghi việc đã làm từ trước vào ngày thật: planflow done {code} --on {fmt_day(now_day)}",
            f"{code}: the log already holds an event of {fmt_day(last)}, after the day in use "
            f"{fmt_day(now_day)} (--as-of or PLANFLOW_TODAY); nothing is written into the past. "
            f"Record earlier work on the real day: planflow done {code} --on {fmt_day(now_day)}",
        )


def _require_evidence(ctx: Acting, evidence: str) -> None:
    if not ctx.plan.require_evidence or evidence.strip():
        return
    output = one_line(ctx.task.output)
    if len(output) > 120:
        output = output[:117] + "…"
    what_vi = f" (kết quả: '{output}')" if output else ""
    what_en = f" (expected output: '{output}')" if output else ""
    raise UsageError(
        f'Cần văn bản chứng minh{what_vi}: thêm --evidence "Quyết định số …"',
        f'Evidence is required{what_en}: add --evidence "Decision No. …"',
    )


def _already(ctx: Acting, item: Item | None, action: Action) -> Outcome:
    out = Outcome(
        ctx.task.code,
        action.value,
        False,
        ctx.task.status,
        from_status=Status.DONE.value,
        to_status=Status.DONE.value,
    )
    if item is not None:
        out.period, out.department = item.period, item.department
        out.completed_on, out.due_on, out.evidence = item.completed_on, item.due_on, item.evidence
        out.on_time = _on_time(item.completed_on, item.due_on)
    return fill_progress(ctx, out, item)


def _on_time(completed: date | None, due: date | None) -> bool | None:
    if completed is None or due is None:
        return None
    return completed <= due


def _item_move(
    url: str,
    action: Action,
    ref: str,
    *,
    unit: str | None,
    today: date | None,
    on: date | None = None,
    reason: str = "",
    evidence: str = "",
    note: str = "",
    period: str | None = None,
    dept: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> Outcome:
    """start / complete / reopen one item: check, decide, guarded update, refresh, event."""
    _check_lengths(reason=reason, evidence=evidence, note=note)
    now_day = resolve_today(today)
    with acting(url, unit, ref, now_day) as ctx:
        task, s = ctx.task, ctx.session
        day = on or now_day
        if on is not None:
            _check_on(on, ctx.plan, now_day)
        perm = Perm(action.value)
        if task_relation(task, ctx.dept) is not Relation.OWN:
            check(ctx, perm, task_relation(task, ctx.dept))
        check_usable(ctx, action)
        _check_started(ctx, day)
        try:
            item = select_item(ctx, action, day, period, dept)
        except AlreadyDone:
            return _already(ctx, None, action)
        check(ctx, perm, item_relation(task, item, ctx.dept), item, item.department or None)
        _check_log(ctx, now_day)
        old = Status(item.status)
        try:
            new = states.apply(action, old, reason=reason)
        except AlreadyDone:
            return _already(ctx, item, action)
        if action is Action.COMPLETE:
            _require_evidence(ctx, evidence)
        done = new is Status.DONE
        values: dict[str, Any] = {
            "status": new.value,
            "completed_on": day if done else None,
            "evidence": evidence.strip() if done else "",
            "version": Item.version + 1,
        }
        result = s.execute(
            update(Item)
            .where(col(Item.id) == item.id, col(Item.status) == old.value)
            .values(**values)
        )
        # The ORM has already set these values on `item` (synchronize "evaluate"), true
        # when the row was updated; otherwise read what another process left there.
        if result.rowcount != 1:  # type: ignore[attr-defined]
            s.refresh(item)
            if action is Action.COMPLETE and item.status == Status.DONE:
                return _already(ctx, item, action)
            raise ConflictError(
                f"{task.code}: người khác vừa thay đổi nhiệm vụ này; hãy thử lại",
                f"{task.code}: someone else changed this task just now; try again",
            )
        refresh_task_status(s, task)
        data: dict[str, Any] = {"period": item.period, "department": item.department}
        if done:
            data.update(
                completed_on=day.isoformat(),
                due_on=item.due_on.isoformat() if item.due_on else None,
                on_time=_on_time(day, item.due_on),
                recorded_on=now_day.isoformat(),
            )
            if attachments:
                data["attachments"] = attachments
        assert ctx.unit.id is not None
        event = record_event(
            s,
            unit_id=ctx.unit.id,
            task_id=task.id,
            item_id=item.id,
            action=action.value,
            actor=ctx.actor,
            from_status=old.value,
            to_status=new.value,
            note=(reason or note).strip(),
            evidence=evidence.strip() if done else "",
            on=day if done else now_day,
            data=data,
        )
        out = Outcome(
            task.code,
            action.value,
            True,
            task.status,
            old.value,
            new.value,
            item.period,
            item.department,
            event.on,
            item.completed_on,
            item.due_on,
            _on_time(item.completed_on, item.due_on),
            item.evidence,
            (reason or note).strip(),
            event_id=event.id,
        )
        return fill_progress(ctx, out, item)


def start_task(
    url: str,
    ref: str,
    *,
    unit: str | None = None,
    today: date | None = None,
    note: str = "",
    period: str | None = None,
    dept: str | None = None,
) -> Outcome:
    """Mark a task (occurrence, part) in progress."""
    return _item_move(
        url, Action.START, ref, unit=unit, today=today, note=note, period=period, dept=dept
    )


def complete_task(
    url: str,
    ref: str,
    *,
    unit: str | None = None,
    today: date | None = None,
    on: date | None = None,
    evidence: str = "",
    note: str = "",
    period: str | None = None,
    dept: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> Outcome:
    """Record a task (occurrence, part) done on `on` (default today); repeating is harmless.
    `attachments`: files already stored (planflow.attachments), listed in the event."""
    return _item_move(
        url,
        Action.COMPLETE,
        ref,
        unit=unit,
        today=today,
        on=on,
        evidence=evidence,
        note=note,
        period=period,
        dept=dept,
        attachments=attachments,
    )


def reopen_task(
    url: str,
    ref: str,
    *,
    reason: str,
    unit: str | None = None,
    today: date | None = None,
    period: str | None = None,
    dept: str | None = None,
) -> Outcome:
    """Take a done task (occurrence, part) back to in progress, with the reason recorded."""
    return _item_move(
        url, Action.REOPEN, ref, unit=unit, today=today, reason=reason, period=period, dept=dept
    )


def _task_move(
    url: str, action: Action, ref: str, *, reason: str, unit: str | None, today: date | None
) -> Outcome:
    """cancel / restore the whole task (items keep their own status underneath)."""
    _check_lengths(reason=reason)
    now_day = resolve_today(today)
    with acting(url, unit, ref, now_day) as ctx:
        task, s = ctx.task, ctx.session
        check(ctx, Perm(action.value), task_relation(task, ctx.dept))
        if task.archived_at is not None:
            check_usable(ctx, action)
        _check_log(ctx, now_day)
        old = Status(task.status)
        new = states.apply(action, old, reason=reason)
        result = s.execute(
            update(Task)
            .where(col(Task.id) == task.id, col(Task.status) == old.value)
            .values(status=new.value, completed_on=None, version=Task.version + 1)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConflictError(
                f"{task.code}: người khác vừa thay đổi nhiệm vụ này; hãy thử lại",
                f"{task.code}: someone else changed this task just now; try again",
            )
        s.refresh(task)
        if action is Action.RESTORE:
            refresh_task_status(s, task)  # the status is again computed from the items
        assert ctx.unit.id is not None
        event = record_event(
            s,
            unit_id=ctx.unit.id,
            task_id=task.id,
            action=action.value,
            actor=ctx.actor,
            from_status=old.value,
            to_status=new.value,
            note=reason.strip(),
            on=now_day,
        )
        out = Outcome(
            task.code,
            action.value,
            True,
            task.status,
            old.value,
            new.value,
            on=now_day,
            note=reason.strip(),
            event_id=event.id,
        )
        return fill_progress(ctx, out, None)


def cancel_task(
    url: str, ref: str, *, reason: str, unit: str | None = None, today: date | None = None
) -> Outcome:
    """Chairman only: the task leaves the report's denominator and is listed separately."""
    return _task_move(url, Action.CANCEL, ref, reason=reason, unit=unit, today=today)


def restore_task(
    url: str, ref: str, *, reason: str, unit: str | None = None, today: date | None = None
) -> Outcome:
    """Chairman only: undo a cancellation."""
    return _task_move(url, Action.RESTORE, ref, reason=reason, unit=unit, today=today)


def add_note(
    url: str, ref: str, text: str, *, unit: str | None = None, today: date | None = None
) -> Outcome:
    """A comment on a task; heads of lead and partner departments may write one."""
    if not text.strip():
        raise UsageError("ghi chú trống", "the note is empty")
    _check_lengths(text=text)
    now_day = resolve_today(today)
    with acting(url, unit, ref, now_day) as ctx:
        task = ctx.task
        check(ctx, Perm.NOTE, task_relation(task, ctx.dept))
        _check_log(ctx, now_day)
        assert ctx.unit.id is not None
        event = record_event(
            ctx.session,
            unit_id=ctx.unit.id,
            task_id=task.id,
            action="note",
            actor=ctx.actor,
            note=text.strip(),
            on=now_day,
        )
        return Outcome(
            task.code, "note", True, task.status, on=now_day, note=text.strip(), event_id=event.id
        )


def task_history(
    url: str, ref: str, *, unit: str | None = None
) -> tuple[Task, list[dict[str, Any]]]:
    """Every event of a task, oldest first, with the occurrence/part each one concerns."""
    with session_scope(url) as s:
        task = find_task(s, get_unit(s, unit), ref)
        return task, history_of(s, task)


def history_of(s: Session, task: Task) -> list[dict[str, Any]]:
    """`task_history` within a session the caller already holds (one read for a page)."""
    rows = s.exec(
        select(Event, Item)
        .join(Item, col(Event.item_id) == Item.id, isouter=True)
        .where(Event.task_id == task.id)
        .order_by(col(Event.id))
    ).all()
    return [
        {
            "id": event.id,
            "at": clock.local_date(event.at).isoformat(),
            "at_time": event.at.astimezone(clock.TZ).isoformat(timespec="seconds")
            if event.at.tzinfo
            else event.at.isoformat(timespec="seconds"),
            "on": event.on.isoformat(),
            "actor": event.actor,
            "action": event.action,
            "from": event.from_status,
            "to": event.to_status,
            "period": item.period if item else "",
            "department": item.department if item else "",
            "note": event.note,
            "evidence": event.evidence,
            "data": event.data or {},
        }
        for event, item in rows
    ]
