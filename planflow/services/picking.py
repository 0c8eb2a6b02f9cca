"""Which item an action applies to. An item is a task, one occurrence of a recurring task, one
lead department's part of a shared task, or both:

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

from datetime import date

from sqlmodel import col, select

from planflow.engine import states
from planflow.engine.states import Action, AlreadyDone
from planflow.engine.types import Status
from planflow.errors import TransitionError, UsageError
from planflow.models import Item
from planflow.services.acting import Acting, fmt_day
from planflow.services.people import find_department


def check_usable(ctx: Acting, action: Action) -> None:
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


def select_item(
    ctx: Acting, action: Action, day: date, period: str | None, dept: str | None
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
                f"{task.code}: kỳ {first.period} bắt đầu từ {fmt_day(first.start_on)}, chưa đến; "
                f"nếu đúng là làm sớm, thêm --period {first.period}",
                f"{task.code}: occurrence {first.period} starts on {fmt_day(first.start_on)}; "
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
        f"{_label(i)} ({states.label(i.status)}, hạn {fmt_day(i.due_on)})" for i in movable
    )
    options_en = ", ".join(
        f"{_label(i)} ({states.label(i.status, 'en')}, due {fmt_day(i.due_on)})" for i in movable
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
