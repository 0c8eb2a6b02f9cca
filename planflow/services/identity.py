"""Who is acting, and whether they may manage: the OS login, the database's administrator,
and the refusals that go on the record.

The actor is the person of the unit whose `os_user` is the OS login (or whose e-mail is
it). PLANFLOW_USER may name someone else only when the OS login is the administrator
recorded by `planflow init`: an office account running cron or a coordinator's script,
never a head making themselves another head. Any other claim is refused and recorded with
the OS login that made it, so nobody can be framed by a name typed on a command line.

Managing (plan import, unit add, snapshot take, outbox retry, dept …, person …) needs the
coordinator, the chairman, an admin person, or the administrator acting as themselves. The
boundary underneath is the operating system's: who can write the SQLite file, or which
PostgreSQL role connects (see the README).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from planflow.db import session_scope
from planflow.engine import permissions
from planflow.engine.permissions import Perm, Relation, Who
from planflow.errors import PermissionDenied
from planflow.login import claimed_user, claims_other, os_login, web_person
from planflow.models import Person, Setting, Unit
from planflow.services.common import get_unit, record_event

ADMIN = "admin"  # the Setting key


@dataclass(frozen=True)
class Refusal:
    """What to record about a refused attempt, captured before its transaction rolls back
    (rows are expired by the rollback, so plain values are kept)."""

    unit_id: int | None
    actor_id: int | None
    action: str
    task_id: int | None = None
    item_id: int | None = None
    on: date | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Refused(PermissionDenied):
    """A PermissionDenied that carries what to record once its transaction rolled back."""

    def __init__(self, error: PermissionDenied, what: Refusal) -> None:
        super().__init__(error.vi, error.en)
        self.refusal = what


def refusal(
    unit: Unit | None,
    actor: Person | None,
    action: str,
    task_id: int | None = None,
    item_id: int | None = None,
    on: date | None = None,
) -> Refusal:
    unit_id = unit.id if unit else None
    return Refusal(unit_id, actor.id if actor else None, action, task_id, item_id, on)


def record_refusal(url: str, what: Refusal, error: PermissionDenied) -> None:
    """A permission refusal is part of the record too: written in its own transaction,
    after the refused one has been rolled back. The event's os_user says who really tried."""
    with session_scope(url, write=True) as session:
        actor = session.get(Person, what.actor_id) if what.actor_id else None
        record_event(
            session,
            unit_id=what.unit_id,  # type: ignore[arg-type]  # None: a refused unit add
            task_id=what.task_id,
            item_id=what.item_id,
            action="refused",
            actor=actor,
            actor_name=claimed_user(),
            note=error.vi,
            on=what.on,
            # the note in Vietnamese (the record's language), its English beside it for
            # `--lang en`: a stored sentence cannot be re-rendered later
            data={
                "attempted": what.action,
                "user": claimed_user(),
                "note_en": error.en,
                **what.data,
            },
        )


# --- the administrator -------------------------------------------------------------------


def admin_login(session: Session) -> str | None:
    row = session.get(Setting, ADMIN)
    return row.value if row else None


def is_admin(session: Session) -> bool:
    """The administrator acting as themselves (acting as a head, they are that head). A web
    request runs under the server's login but is never its administrator."""
    if web_person() is not None:
        return False
    return not claims_other() and admin_login(session) == os_login()


# --- the actor ---------------------------------------------------------------------------


def resolve_actor(session: Session, unit: Unit) -> Person | None:
    """The active Person of `unit` who is running this command, or None when unknown.

    Raises Refused when PLANFLOW_USER names someone else and the OS login is not the
    administrator's. On the web the person is the one the signature proves."""
    if (web := web_person()) is not None:
        person = session.get(Person, web.person_id)
        ok = person is not None and person.active and person.unit_id == unit.id
        return person if ok else None
    user = claimed_user()
    query = select(Person).where(Person.unit_id == unit.id, col(Person.active))
    person = session.exec(query.where(Person.os_user == user)).first()
    if person is None and "@" in user:
        person = session.exec(query.where(Person.email == user)).first()
    if claims_other():  # the administrator's login is read only when someone claims
        login, admin = os_login(), admin_login(session)
        if not permissions.may_act_as(login, admin, person.os_user if person else None):
            error = PermissionDenied(
                f"PLANFLOW_USER={user}: chỉ người quản trị cơ sở dữ liệu ({admin or 'chưa ghi'}) "
                f"được thao tác thay người khác; bạn đăng nhập là '{login}': bỏ PLANFLOW_USER",
                f"PLANFLOW_USER={user}: only the database's administrator ({admin or 'none'}) "
                f"may act as someone else; you are logged in as '{login}': unset PLANFLOW_USER",
            )
            what = Refusal(unit.id, None, "act_as", data={"claimed": user})
            raise Refused(error, what)
    return person


def actor_name(actor: Person | None) -> str:
    return actor.name if actor else claimed_user()


def names_by_role(session: Session, unit: Unit, role: str) -> list[str]:
    return list(
        session.exec(
            select(Person.name)
            .where(Person.unit_id == unit.id, Person.role == role, col(Person.active))
            .order_by(col(Person.id))
        ).all()
    )


# --- managing ----------------------------------------------------------------------------


def require_manager(
    session: Session, unit: Unit | None, actor: Person | None, perm: Perm, action: str
) -> None:
    """Coordinator, chairman, admin person or the administrator; raises Refused.

    Without a unit (a new one being added), a manager of any unit of the database will do:
    the province office adds its communes."""
    if is_admin(session):
        return
    if unit is None:  # whoever this login is in any unit; a manager anywhere first
        people = session.exec(
            select(Person).where(Person.os_user == claimed_user(), col(Person.active))
        ).all()
        people = sorted(people, key=lambda p: not permissions.allowed(p.role, Relation.OTHER, perm))
        actor = people[0] if people else None
    role = actor.role if actor and actor.active else None
    if permissions.allowed(role, Relation.OTHER, perm):
        return
    admin = admin_login(session)

    def named(role: str) -> list[str]:
        return names_by_role(session, unit, role) if unit else []

    who = Who(
        coordinators=named("coordinator"),
        chairmen=named("chairman"),
        admins=[*named("admin"), *([admin] if admin else [])],
    )
    try:
        permissions.check(role, Relation.OTHER, perm, who=who, actor=actor_name(actor))
    except PermissionDenied as error:
        raise Refused(error, refusal(unit, actor, action)) from None


@contextmanager
def recording(url: str) -> Iterator[None]:
    """Records a Refused raised inside, once the transaction inside has rolled back."""
    try:
        yield
    except Refused as exc:
        record_refusal(url, exc.refusal, exc)
        raise


@contextmanager
def managing(
    url: str, unit: str | None, perm: Perm, action: str
) -> Iterator[tuple[Session, Unit, Person | None]]:
    """A write transaction for a management command; a refusal is recorded, then re-raised."""
    with recording(url), session_scope(url, write=True) as session:
        u = get_unit(session, unit)
        actor = resolve_actor(session, u)
        require_manager(session, u, actor, perm, action)
        yield session, u, actor
