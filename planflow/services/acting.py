"""What every workflow use case shares: the write transaction around the actor, the permission
check that records a refusal, and the Outcome printed by the CLI.

Each use case takes the database URL rather than a session because it owns its transaction
boundaries: the change is ONE write transaction (guarded update, task status refresh, event),
and a permission refusal is recorded as a "refused" event in a second transaction after the
first has been rolled back. Only `engine.states` decides a new status; only
`engine.permissions` decides who may.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from planflow import clock
from planflow.db import session_scope
from planflow.engine import permissions
from planflow.engine.permissions import Perm, Relation, Who
from planflow.engine.types import Status
from planflow.errors import PermissionDenied
from planflow.models import Department, Item, Person, Plan, Task, Unit
from planflow.services.common import department_heads, find_task, get_unit
from planflow.services.identity import (
    Refused,
    actor_name,
    names_by_role,
    recording,
    refusal,
    resolve_actor,
)
from planflow.services.people import department_of


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
class Acting:
    """The session, unit, plan, task and actor of one use case."""

    session: Session
    unit: Unit
    plan: Plan
    task: Task
    actor: Person | None
    dept: str  # the actor's department code, "" when none
    today: date

    @property
    def role(self) -> str | None:
        return self.actor.role if self.actor and self.actor.active else None


def resolve_today(today: date | None) -> date:
    return today or clock.today()


@contextmanager
def acting(url: str, unit: str | None, ref: str | None, today: date) -> Iterator[Acting]:
    """One write transaction around a use case; a refusal (Refused) is recorded in its own
    transaction once this one has rolled back, then re-raised."""
    with recording(url), session_scope(url, write=True) as session:
        u = get_unit(session, unit)
        task = find_task(session, u, ref) if ref else None
        plan = session.get(Plan, task.plan_id) if task else None
        actor = resolve_actor(session, u)
        dept = department_of(session, actor)
        yield Acting(
            session,
            u,
            plan,
            task,
            actor,  # type: ignore[arg-type]
            dept.code if dept else "",
            today,
        )


def check(
    ctx: Acting, perm: Perm, relation: Relation, item: Item | None = None, lead: str | None = None
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
    except PermissionDenied as error:
        what = refusal(
            ctx.unit,
            ctx.actor,
            perm.value,
            ctx.task.id if ctx.task else None,
            item.id if item else None,
            ctx.today,
        )
        raise Refused(error, what) from None


def _who(ctx: Acting, lead: str | None) -> Who:
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


def fmt_day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def fill_progress(ctx: Acting, out: Outcome, item: Item | None) -> Outcome:
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
