"""People and departments: who heads what, and managing both from the CLI.

Who is acting is services.identity. Managing people needs the `person_manage` permission
(coordinator, chairman, admin person, or the database's administrator): on a fresh
database only the administrator, who ran `planflow init`, adds the first coordinator or
chairman. Every change is recorded as an "update" event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from planflow.db import session_scope
from planflow.engine.permissions import Perm
from planflow.engine.text import address_problem, parse_id
from planflow.engine.types import Role
from planflow.errors import NotFound, PermissionDenied, UsageError
from planflow.models import Department, Person, Unit
from planflow.services.common import directory_for, get_unit, record_event
from planflow.services.identity import managing


def department_of(session: Session, person: Person | None) -> Department | None:
    if person is None or person.department_id is None:
        return None
    return session.get(Department, person.department_id)


def acting_department(session: Session, unit: Unit) -> Department:
    """The department of the person running the command (`planflow mine`): a person with
    no department, or nobody known, is told how to become one."""
    from planflow.services.identity import actor_name, resolve_actor

    person = resolve_actor(session, unit)
    if person is None:
        who = actor_name(None)
        raise NotFound(
            f"'{who}' chưa được khai báo (planflow person add … --user {who} --dept MÃ)",
            f"'{who}' is not a known user (planflow person add … --user {who} --dept CODE)",
        )
    dept = department_of(session, person)
    if dept is None:
        raise UsageError(
            f"{person.name} không thuộc phòng nào: dùng `planflow tasks --dept MÃ`",
            f"{person.name} belongs to no department: use `planflow tasks --dept CODE`",
        )
    return dept


def find_department(session: Session, unit: Unit, text: str) -> Department:
    """A department by code (any case), name or alias."""
    code = directory_for(session, unit).lookup_department(text) or text.strip()
    dept = session.exec(select(Department).where(Department.unit_id == unit.id)).all()
    for d in dept:
        if d.code.upper() == code.upper():
            return d
    codes = ", ".join(d.code for d in dept)
    raise NotFound(
        f"không có phòng '{text}' (các phòng: {codes})",
        f"no department '{text}' (departments: {codes})",
    )


def find_person(session: Session, unit: Unit, text: str) -> Person:
    """A person by OS user, e-mail, numeric id or exact name."""
    query = select(Person).where(Person.unit_id == unit.id)
    value = text.strip()
    person = session.exec(query.where(Person.os_user == value)).first()
    if person is None:
        person = session.exec(query.where(Person.email == value)).first()
    if person is None and (number := parse_id(value)) is not None:
        person = session.exec(query.where(Person.id == number)).first()
    if person is None:
        named = session.exec(query.where(Person.name == value)).all()
        if len(named) > 1:
            raise UsageError(
                f"có nhiều người tên '{text}': dùng tên đăng nhập hoặc e-mail",
                f"several people are called '{text}': use the login or e-mail",
            )
        person = named[0] if named else None
    if person is None:
        raise NotFound(
            f"không có người '{text}' (xem `planflow person list`)",
            f"no person '{text}' (see `planflow person list`)",
        )
    return person


@dataclass
class PersonInfo:
    id: int
    name: str
    email: str
    user: str
    department: str
    role: str
    active: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _info(session: Session, person: Person) -> PersonInfo:
    dept = department_of(session, person)
    assert person.id is not None
    return PersonInfo(
        person.id,
        person.name,
        person.email,
        person.os_user or "",
        dept.code if dept else "",
        person.role,
        person.active,
    )


def _person_updated(
    session: Session, unit: Unit, actor: Person | None, person: Person | str, **data: Any
) -> None:
    """One "update" event naming who changed (their login, else their name) and how."""
    assert unit.id is not None
    key = person if isinstance(person, str) else person.os_user or person.name
    record_event(
        session, unit_id=unit.id, action="update", actor=actor, data={"person": key, **data}
    )


def _demote_heads(
    session: Session, unit: Unit, dept: Department, keep: Person | None, actor: Person | None
) -> list[str]:
    """Previous heads of `dept` become staff: one head per department."""
    demoted = []
    for old in session.exec(
        select(Person).where(
            Person.unit_id == unit.id,
            Person.department_id == dept.id,
            Person.role == Role.HEAD.value,
        )
    ).all():
        if keep is not None and old.id == keep.id:
            continue
        old.role = Role.STAFF.value
        session.add(old)
        demoted.append(old.name)
        _person_updated(session, unit, actor, old, role=["head", "staff"], department=dept.code)
    return demoted


def _role(role: str) -> str:
    try:
        return Role(role.strip().lower()).value
    except ValueError:
        raise UsageError(
            f"--role: vai trò '{role}' không hợp lệ (head, staff, coordinator, chairman, admin)",
            f"--role: invalid role '{role}' (head, staff, coordinator, chairman, admin)",
        ) from None


def _email(email: str) -> str:
    email = email.strip()
    if email and (problem := address_problem(email)):
        raise UsageError(f"--email {email!r}: {problem[0]}", f"--email {email!r}: {problem[1]}")
    return email


def add_person(
    url: str,
    *,
    unit: str | None,
    name: str,
    email: str = "",
    user: str = "",
    dept: str = "",
    role: str = "staff",
) -> PersonInfo:
    """Add someone; a new head replaces the department's previous head (demoted to staff)."""
    role = _role(role)
    if not name.strip():
        raise UsageError("cần tên người", "a name is required")
    email = _email(email)
    with managing(url, unit, Perm.PERSON_MANAGE, "person_add") as (session, u, actor):
        department = find_department(session, u, dept) if dept else None
        if role == Role.HEAD.value and department is None:
            raise UsageError("trưởng phòng cần --dept", "a head needs --dept")
        query = select(Person).where(Person.unit_id == u.id)
        if user and session.exec(query.where(Person.os_user == user)).first():
            raise UsageError(
                f"tên đăng nhập '{user}' đã được dùng (xem `planflow person list`)",
                f"the login '{user}' is already taken (see `planflow person list`)",
            )
        assert u.id is not None
        person = Person(
            unit_id=u.id,
            name=name.strip(),
            email=email.strip(),
            os_user=user.strip() or None,
            department_id=department.id if department else None,
            role=role,
        )
        if role == Role.HEAD.value and department is not None:
            _demote_heads(session, u, department, None, actor)
        session.add(person)
        session.flush()
        department_code = department.code if department else ""
        _person_updated(
            session, u, actor, person, added=True, role=role, department=department_code
        )
        return _info(session, person)


def list_people(url: str, *, unit: str | None) -> list[PersonInfo]:
    with session_scope(url) as session:
        u = get_unit(session, unit)
        people = session.exec(
            select(Person).where(Person.unit_id == u.id).order_by(col(Person.id))
        ).all()
        return [_info(session, p) for p in people]


@dataclass
class DepartmentInfo:
    code: str
    name: str
    aliases: list[str]
    head: str
    head_user: str
    head_email: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def list_departments(url: str, *, unit: str | None) -> list[DepartmentInfo]:
    with session_scope(url) as session:
        u = get_unit(session, unit)
        out = []
        for d in session.exec(
            select(Department).where(Department.unit_id == u.id).order_by(col(Department.id))
        ).all():
            head = session.exec(
                select(Person).where(
                    Person.department_id == d.id, Person.role == Role.HEAD.value, col(Person.active)
                )
            ).first()
            out.append(
                DepartmentInfo(
                    d.code,
                    d.name,
                    list(d.aliases or []),
                    head.name if head else "",
                    (head.os_user or "") if head else "",
                    head.email if head else "",
                )
            )
        return out


def list_unit_groups(url: str, *, unit: str | None) -> list[dict[str, Any]]:
    """The unit's groups: names that stand for several departments, with their members."""
    from planflow.services.departments import list_groups

    with session_scope(url) as session:
        return list_groups(session, get_unit(session, unit))


def set_head(url: str, *, unit: str | None, dept: str, person: str) -> tuple[PersonInfo, list[str]]:
    """Make `person` the head of `dept`; returns the person and the demoted previous heads."""
    with managing(url, unit, Perm.PERSON_MANAGE, "set_head") as (session, u, actor):
        department = find_department(session, u, dept)
        target = find_person(session, u, person)
        demoted = _demote_heads(session, u, department, target, actor)
        before = (target.role, department_of(session, target))
        target.role, target.department_id = Role.HEAD.value, department.id
        session.add(target)
        _person_updated(
            session,
            u,
            actor,
            target,
            role=[before[0], Role.HEAD.value],
            department=department.code,
            previous_department=before[1].code if before[1] else "",
        )
        session.flush()
        return _info(session, target), demoted


def edit_person(
    url: str,
    *,
    unit: str | None,
    person: str,
    name: str | None = None,
    email: str | None = None,
    user: str | None = None,
    dept: str | None = None,
    role: str | None = None,
) -> tuple[PersonInfo, dict[str, list[str]]]:
    """Change what is known of someone (a wrong e-mail, a new login); each changed field is
    recorded as [before, after] in one "update" event. A new head demotes the old one."""
    if name is not None and not name.strip():
        raise UsageError("--name: cần tên người", "--name: a name is required")
    email = _email(email) if email is not None else None
    role = _role(role) if role is not None else None
    with managing(url, unit, Perm.PERSON_MANAGE, "person_edit") as (session, u, actor):
        target = find_person(session, u, person)
        if dept is None:  # unchanged
            department = department_of(session, target)
        else:  # "" takes the person out of any department
            department = find_department(session, u, dept) if dept.strip() else None
        new_role = role or target.role
        if new_role == Role.HEAD.value and department is None:
            raise UsageError("trưởng phòng cần --dept", "a head needs --dept")
        user = user.strip() if user is not None else None
        if user and user != target.os_user:
            taken = select(Person).where(Person.unit_id == u.id, Person.os_user == user)
            if session.exec(taken).first():
                raise UsageError(
                    f"--user: tên đăng nhập '{user}' đã được dùng (xem `planflow person list`)",
                    f"--user: the login '{user}' is already taken (see `planflow person list`)",
                )
        before = _info(session, target)
        if name is not None:
            target.name = name.strip()
        if email is not None:
            target.email = email
        if user is not None:
            target.os_user = user or None
        target.department_id = department.id if department else None
        target.role = new_role
        if new_role == Role.HEAD.value and department is not None:
            _demote_heads(session, u, department, target, actor)
        session.add(target)
        session.flush()
        after = _info(session, target)
        changes = {
            f: [str(getattr(before, f)), str(getattr(after, f))]
            for f in ("name", "email", "user", "department", "role")
            if getattr(before, f) != getattr(after, f)
        }
        if changes:
            _person_updated(session, u, actor, before.user or before.name, **changes)
        return after, changes


def remove_person(url: str, *, unit: str | None, person: str) -> PersonInfo:
    """Deactivate someone: no more reminders or rights, and every event that names them stays
    as it was. Removing twice changes nothing."""
    with managing(url, unit, Perm.PERSON_MANAGE, "person_remove") as (session, u, actor):
        target = find_person(session, u, person)
        if actor is not None and actor.id == target.id:
            raise UsageError(
                "không tự gỡ chính mình: nhờ người quản lý khác", "you cannot remove yourself"
            )
        if target.active:
            target.active = False
            session.add(target)
            _person_updated(session, u, actor, target, active=[True, False])
        session.flush()
        return _info(session, target)


__all__ = [
    "PermissionDenied",
    "add_person",
    "list_people",
    "list_departments",
    "set_head",
]
