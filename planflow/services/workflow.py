"""Use cases of the task workflow: start, done, reopen, cancel, restore, note, history and
ad-hoc tasks. The CLI calls these; so may a script or the scheduler.

Each use case takes the database URL rather than a session because it owns its transaction
boundaries: the change is ONE write transaction (guarded update, task status refresh, event),
and a permission refusal is recorded as a "refused" event in a second transaction after the
first has been rolled back. Only `engine.states` decides a new status; only
`engine.permissions` decides who may.

Which item an action applies to (an item is a task, one occurrence of a recurring task, one
lead department's part of a shared task, or both):

* `--dept CODE` picks a part; without it a department head acts on their own department's
  part, and the coordinator or chairman must name the part when several could move.
* `--period Q3` picks an occurrence. Without it, planflow takes the only occurrence that can
  make the move, and for start/done only among those whose period has begun by the day of
  the action (the completion day for `done --on`): in October with Q3 still open, `done`
  means Q3. When two or more remain (Q3 is open and Q4 has begun), planflow does not guess:
  it asks for `--period` and lists the choices.
* `done` on something already done changes nothing and succeeds ("đã hoàn thành trước đó").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from planflow import clock
from planflow.db import session_scope
from planflow.engine import permissions, states
from planflow.engine.permissions import Perm, Relation, Who
from planflow.engine.states import Action, AlreadyDone
from planflow.engine.text import one_line
from planflow.engine.types import Status
from planflow.errors import ConflictError, PermissionDenied, TransitionError, UsageError
from planflow.models import Department, Event, Item, Person, Plan, Task, Unit
from planflow.services.common import (
    department_heads,
    find_task,
    get_unit,
    record_event,
    refresh_task_status,
)
from planflow.services.people import (
    Refusal,
    actor_name,
    department_of,
    find_department,
    names_by_role,
    record_refusal,
    refusal,
    resolve_actor,
)


@dataclass
class Outcome:
    """What a workflow command did, for printing or --json."""

    task: str
    action: str
    changed: bool
    task_status: str
    from_status: str | None = None
    to_status: str | None = None
    period: str = ""
    department: str = ""
    on: date | None = None
    completed_on: date | None = None
    due_on: date | None = None
    on_time: bool | None = None
    evidence: str = ""
    note: str = ""
    parts_done: int = 0  # lead departments done for this period (shared tasks)
    parts_total: int = 0
    periods_done: int = 0  # occurrences fully done (recurring tasks)
    periods_total: int = 0
    event_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


@dataclass
class _Ctx:
    session: Session
    unit: Unit
    plan: Plan
    task: Task
    actor: Person | None
    dept: str  # the actor's department code, "" when none
    refused: list[Refusal]
    today: date

    @property
    def role(self) -> str | None:
        return self.actor.role if self.actor and self.actor.active else None


def _today(today: date | None) -> date:
    return today or clock.today()


@contextmanager
def _acting(url: str, unit: str | None, ref: str | None, today: date) -> Iterator[_Ctx]:
    """One write transaction around a use case; a refusal noted in ctx.refused is recorded in
    its own transaction once this one has rolled back, then re-raised."""
    refused: list[Refusal] = []
    try:
        with session_scope(url, write=True) as session:
            u = get_unit(session, unit)
            task = find_task(session, u, ref) if ref else None
            plan = session.get(Plan, task.plan_id) if task else None
            actor = resolve_actor(session, u)
            dept = department_of(session, actor)
            yield _Ctx(
                session,
                u,
                plan,
                task,
                actor,  # type: ignore[arg-type]
                dept.code if dept else "",
                refused,
                today,
            )
    except PermissionDenied as exc:
        if refused:
            record_refusal(url, refused[0], exc)
        raise


def _check(
    ctx: _Ctx, perm: Perm, relation: Relation, item: Item | None = None, lead: str | None = None
) -> None:
    """permissions.check, noting the refusal so that it is recorded. The names of who may
    act instead (four queries) are looked up only when the move is refused."""
    if permissions.allowed(ctx.role, relation, perm):
        return
    try:
        permissions.check(
            ctx.role,
            relation,
            perm,
            who=_who(ctx, lead),
            actor=actor_name(ctx.actor),
            task=ctx.task.code if ctx.task else "",
        )
    except PermissionDenied:
        ctx.refused.append(
            refusal(
                ctx.unit,
                ctx.actor,
                perm.value,
                ctx.task.id if ctx.task else None,
                item.id if item else None,
                ctx.today,
            )
        )
        raise


def _who(ctx: _Ctx, lead: str | None) -> Who:
    """Names for the refusal message: the heads who may act, the coordinator, the chairman."""
    s, u = ctx.session, ctx.unit
    names = {d.code: d.name for d in s.exec(select(Department).where(Department.unit_id == u.id))}
    heads = department_heads(s, u)

    def pairs(codes: list[str]) -> list[tuple[str, str]]:
        return [(names[c], heads[c].name if c in heads else "") for c in codes if c in names]

    task = ctx.task
    leads = [lead] if lead else list(task.leads or []) if task else []
    partners = [c for c in (task.partners or []) if c not in leads] if task else []
    return Who(
        lead_heads=pairs(leads),
        partner_heads=pairs(partners),
        coordinators=names_by_role(s, u, "coordinator"),
        chairmen=names_by_role(s, u, "chairman"),
    )


def task_relation(task: Task, dept: str) -> Relation:
    """How a department stands to a task: leads it, partners it, or neither."""
    if dept and dept in (task.leads or []):
        return Relation.OWN
    if dept and dept in (task.partners or []):
        return Relation.PARTNER
    return Relation.OTHER


def item_relation(task: Task, item: Item, dept: str) -> Relation:
    """A part of a shared task is only its own department's; a co-lead is like a partner."""
    if not item.department:
        return task_relation(task, dept)
    if dept == item.department:
        return Relation.OWN
    return Relation.PARTNER if task_relation(task, dept) is not Relation.OTHER else Relation.OTHER


def _usable(ctx: _Ctx, action: Action) -> None:
    """Archived and cancelled tasks accept no item move."""
    task = ctx.task
    if task.archived_at is not None:
        raise TransitionError(
            f"Nhiệm vụ {task.code} đã được lưu trữ (không còn trong kế hoạch); không thể "
            f"{states.action_label(action)}",
            f"Task {task.code} is archived (no longer in the plan); it cannot be changed",
        )
    if task.status == Status.CANCELLED:
        states.apply(action, Status.CANCELLED)  # raises: nothing moves out of cancelled but restore


def _label(item: Item) -> str:
    return ", ".join(p for p in (item.period, item.department) if p)


def _select_item(
    ctx: _Ctx, action: Action, day: date, period: str | None, dept: str | None
) -> Item:
    """The item the action applies to (rules in the module docstring); raises AlreadyDone
    when completing and everything selected is done."""
    s, task = ctx.session, ctx.task
    items = list(
        s.exec(
            select(Item)
            .where(Item.task_id == task.id)
            .order_by(col(Item.due_on), col(Item.period), col(Item.department))
        ).all()
    )
    parts = sorted({i.department for i in items if i.department})
    if dept:
        code = find_department(s, ctx.unit, dept).code
        if code not in parts:
            if not parts and code in (task.leads or []):
                code = ""
            else:
                raise UsageError(
                    f"{task.code} không có phần của phòng {code}"
                    + (f" (các phần: {', '.join(parts)})" if parts else ""),
                    f"{task.code} has no part for {code}"
                    + (f" (parts: {', '.join(parts)})" if parts else ""),
                )
        items = [i for i in items if i.department == code]
    elif parts and ctx.dept in parts and ctx.role == "head":
        items = [i for i in items if i.department == ctx.dept]
    periods = sorted({i.period for i in items if i.period})
    if period:
        from planflow.engine.deadlines import normalize_period

        key = normalize_period(period)
        if key is None or key not in periods:
            choices = ", ".join(periods) or "—"
            raise UsageError(
                f"--period '{period}': {task.code} không có kỳ này (các kỳ: {choices})",
                f"--period '{period}': {task.code} has no such occurrence (occurrences: {choices})",
            )
        items = [i for i in items if i.period == key]
    if len(items) == 1:
        return items[0]
    movable = [i for i in items if i.status in states.allowed_from(action)]
    if action in (Action.START, Action.COMPLETE) and periods and not period:
        begun = [i for i in movable if not i.start_on or i.start_on <= day]
        if movable and not begun:
            first = movable[0]
            raise UsageError(
                f"{task.code}: kỳ {first.period} bắt đầu từ {_fmt(first.start_on)}, chưa đến; "
                f"nếu đúng là làm sớm, thêm --period {first.period}",
                f"{task.code}: occurrence {first.period} starts on {_fmt(first.start_on)}; "
                f"if it really is done early, add --period {first.period}",
            )
        movable = begun
    if len(movable) == 1:
        return movable[0]
    if not movable:
        if action is Action.COMPLETE and items and all(i.status == Status.DONE for i in items):
            raise AlreadyDone()
        listing = "; ".join(f"{_label(i)}: {states.label(i.status)}" for i in items)
        listing_en = "; ".join(f"{_label(i)}: {states.label(i.status, 'en')}" for i in items)
        raise TransitionError(
            f"{task.code}: không phần nào có thể {states.action_label(action)} ({listing})",
            f"{task.code}: nothing can be {action.value}ed here ({listing_en})",
        )
    options = ", ".join(
        f"{_label(i)} ({states.label(i.status)}, hạn {_fmt(i.due_on)})" for i in movable
    )
    options_en = ", ".join(
        f"{_label(i)} ({states.label(i.status, 'en')}, due {_fmt(i.due_on)})" for i in movable
    )
    flags = " và ".join(
        f
        for f, many in (
            ("--period", len({i.period for i in movable}) > 1),
            ("--dept", len({i.department for i in movable}) > 1),
        )
        if many
    )
    flags_en = flags.replace(" và ", " and ")
    raise UsageError(
        f"{task.code} có nhiều phần đang mở: {options}; chọn bằng {flags}",
        f"{task.code} has several open parts: {options_en}; choose with {flags_en}",
    )


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _check_on(on: date, plan: Plan, today: date) -> None:
    if on > today:
        raise UsageError(
            f"--on {_fmt(on)}: không ghi hoàn thành vào ngày trong tương lai "
            f"(hôm nay {_fmt(today)})",
            f"--on {_fmt(on)}: a completion date cannot be in the future (today is {_fmt(today)})",
        )
    if on < date(plan.year, 1, 1):
        raise UsageError(
            f"--on {_fmt(on)}: trước năm kế hoạch {plan.year}",
            f"--on {_fmt(on)}: before the plan year {plan.year}",
        )


def _require_evidence(ctx: _Ctx, evidence: str) -> None:
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


def _progress(ctx: _Ctx, out: Outcome, item: Item | None) -> Outcome:
    """Fill the task's status and the "2/3 phòng", "1/2 kỳ" counts."""
    s, task = ctx.session, ctx.task
    s.refresh(task)
    items = s.exec(select(Item).where(Item.task_id == task.id)).all()
    out.task_status = task.status
    if item is not None:
        same = [i for i in items if i.period == item.period]
        if any(i.department for i in same):
            out.parts_total = len(same)
            out.parts_done = sum(i.status == Status.DONE for i in same)
    periods: dict[str, list[Item]] = {}
    for i in items:
        if i.period:
            periods.setdefault(i.period, []).append(i)
    if periods:
        out.periods_total = len(periods)
        out.periods_done = sum(all(i.status == Status.DONE for i in p) for p in periods.values())
    return out


def _already(ctx: _Ctx, item: Item | None, action: Action) -> Outcome:
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
    return _progress(ctx, out, item)


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
) -> Outcome:
    """start / complete / reopen one item: check, decide, guarded update, refresh, event."""
    now_day = _today(today)
    with _acting(url, unit, ref, now_day) as ctx:
        task, s = ctx.task, ctx.session
        day = on or now_day
        if on is not None:
            _check_on(on, ctx.plan, now_day)
        perm = Perm(action.value)
        if task_relation(task, ctx.dept) is not Relation.OWN:
            _check(ctx, perm, task_relation(task, ctx.dept))
        _usable(ctx, action)
        try:
            item = _select_item(ctx, action, day, period, dept)
        except AlreadyDone:
            return _already(ctx, None, action)
        _check(ctx, perm, item_relation(task, item, ctx.dept), item, item.department or None)
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
        return _progress(ctx, out, item)


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
) -> Outcome:
    """Record a task (occurrence, part) done on `on` (default today); repeating is harmless."""
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
    now_day = _today(today)
    with _acting(url, unit, ref, now_day) as ctx:
        task, s = ctx.task, ctx.session
        _check(ctx, Perm(action.value), task_relation(task, ctx.dept))
        if task.archived_at is not None:
            _usable(ctx, action)
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
        return _progress(ctx, out, None)


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
    now_day = _today(today)
    with _acting(url, unit, ref, now_day) as ctx:
        task = ctx.task
        _check(ctx, Perm.NOTE, task_relation(task, ctx.dept))
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
        u = get_unit(s, unit)
        task = find_task(s, u, ref)
        rows = s.exec(
            select(Event, Item)
            .join(Item, col(Event.item_id) == Item.id, isouter=True)
            .where(Event.task_id == task.id)
            .order_by(col(Event.id))
        ).all()
        out = []
        for event, item in rows:
            out.append(
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
            )
        return task, out


def add_task(
    url: str,
    *,
    text: str,
    source_document: str,
    lead: str,
    deadline: str,
    partners: str = "",
    output: str = "",
    code: str | None = None,
    unit: str | None = None,
    today: date | None = None,
) -> Outcome:
    """An ad-hoc task the province assigned ("PA.1", "PA.2" …), tracked like appendix tasks."""
    from planflow.engine.deadlines import parse_deadline
    from planflow.engine.planning import build_items
    from planflow.engine.types import DeadlineKind, Recurrence, Source
    from planflow.services.common import current_plan, directory_for, plan_calendar

    if not text.strip() or not lead.strip() or not deadline.strip():
        raise UsageError(
            "cần --text, --lead và --deadline", "--text, --lead and --deadline are required"
        )
    now_day = _today(today)
    with _acting(url, unit, None, now_day) as ctx:
        s, u = ctx.session, ctx.unit
        ctx.plan = plan = current_plan(s, u)
        _check(ctx, Perm.TASK_ADD, Relation.OTHER)
        directory = directory_for(s, u)
        leads_found = directory.resolve(lead)
        if leads_found.unknown or not leads_found.departments:
            unknown = ", ".join(leads_found.unknown) or lead
            raise UsageError(
                f"--lead: không nhận ra '{unknown}' (xem `planflow dept list`)",
                f"--lead: unknown '{unknown}' (see `planflow dept list`)",
            )
        leads = list(leads_found.departments)
        found = directory.resolve(partners)
        partner_list = [d for d in found.departments if d not in leads]
        partner_list += found.named + found.unknown
        parsed = parse_deadline(deadline, plan.year, Recurrence(plan.recurrence), plan.starts)
        if parsed.kind is DeadlineKind.UNPARSED:
            raise UsageError(
                f"--deadline: không đọc được '{deadline}' (ví dụ: 30/11/2025, Quý IV/2025, "
                "Thường xuyên)",
                f"--deadline: cannot read '{deadline}' "
                "(e.g. 30/11/2025, Quý IV/2025, Thường xuyên)",
            )
        calendar = plan_calendar(u, plan.year)
        existing = s.exec(select(Task.code, Task.position).where(Task.plan_id == plan.id)).all()
        codes = {c.upper() for c, _ in existing}
        if code:
            code = code.strip()
            if code.upper() in codes:
                raise UsageError(f"mã '{code}' đã có trong kế hoạch", f"code '{code}' is taken")
        else:
            n = 1
            while f"PA.{n}" in codes:
                n += 1
            code = f"PA.{n}"
        assert u.id is not None and plan.id is not None
        task = Task(
            unit_id=u.id,
            plan_id=plan.id,
            code=code,
            section="PA",
            number=code.split(".")[-1],
            text=text.strip(),
            output=output.strip(),
            lead_text=lead,
            partners_text=partners,
            leads=leads,
            partners=partner_list,
            deadline_text=deadline,
            deadline_kind=parsed.kind.value,
            start_on=parsed.start,
            due_on=calendar.effective_due(parsed.due),
            status=Status.NOT_STARTED.value,
            source=Source.AD_HOC.value,
            source_document=source_document.strip(),
            position=max((p for _, p in existing), default=0) + 1,
            created_at=clock.now(),
        )
        s.add(task)
        s.flush()
        assert task.id is not None
        for p in build_items(parsed, leads, calendar):
            s.add(
                Item(
                    unit_id=u.id,
                    task_id=task.id,
                    period=p.period,
                    department=p.department,
                    start_on=p.start,
                    due_on=p.due,
                    status=Status.NOT_STARTED.value,
                )
            )
        s.flush()
        event = record_event(
            s,
            unit_id=u.id,
            task_id=task.id,
            action="created",
            actor=ctx.actor,
            to_status=Status.NOT_STARTED.value,
            on=now_day,
            note=source_document.strip(),
            data={"source": Source.AD_HOC.value, "source_document": source_document.strip()},
        )
        ctx.task = task
        out = Outcome(
            code,
            "created",
            True,
            task.status,
            None,
            Status.NOT_STARTED.value,
            on=now_day,
            due_on=task.due_on,
            event_id=event.id,
            data={
                "leads": leads,
                "partners": partner_list,
                "deadline": deadline,
                "source_document": source_document.strip(),
            },
        )
        return _progress(ctx, out, None)
