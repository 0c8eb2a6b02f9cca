"""Units (UBND xã) in one database: add one, list them with their plans and task counts.

A province office keeps many communes in one database; every plan, department and person
belongs to one unit, and every command picks its unit with `--unit` (see
services.common.get_unit). Importing a plan file whose `unit:` is new also creates the unit.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from planflow import clock
from planflow.errors import UsageError
from planflow.models import Plan, Task, Unit

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    province: str
    coordinator: str
    plans: list[int]  # plan years, oldest first
    tasks: int  # live tasks (not archived) of all its plans

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def add_unit_as_manager(
    url: str, code: str, name: str, *, province: str = "", coordinator: str = ""
) -> tuple[str, str]:
    """`planflow unit add`: a manager of any unit (or the administrator) adds a unit; a
    refusal is recorded. Returns the (code, name) stored."""
    from planflow.db import session_scope
    from planflow.engine.permissions import Perm
    from planflow.services.identity import recording, require_manager

    with recording(url), session_scope(url, write=True) as session:
        require_manager(session, None, None, Perm.UNIT_ADD, "unit_add")
        unit = add_unit(session, code, name, province=province, coordinator=coordinator)
        return unit.code, unit.name


def add_unit(
    session: Session, code: str, name: str, *, province: str = "", coordinator: str = ""
) -> Unit:
    """Create a unit; its code must be new (letters, digits, '-', '_', '.')."""
    code, name = code.strip(), name.strip()
    if not _CODE.match(code):
        raise UsageError(
            f"mã đơn vị '{code}' không hợp lệ: dùng chữ, số, '-', '_' (ví dụ KY-LAC)",
            f"invalid unit code '{code}': use letters, digits, '-', '_' (e.g. KY-LAC)",
        )
    if not name:
        raise UsageError("--name: cần tên đơn vị", "--name: the unit's name is required")
    if session.execute(select(Unit.id).where(Unit.code == code)).first() is not None:
        raise UsageError(
            f"đơn vị '{code}' đã có (xem `planflow unit list`)",
            f"unit '{code}' already exists (see `planflow unit list`)",
        )
    unit = Unit(
        code=code,
        name=name,
        province=province.strip(),
        coordinator=coordinator.strip().upper(),
        created_at=clock.now(),
    )
    session.add(unit)
    session.flush()
    from planflow.services.common import record_event

    record_event(
        session,
        unit_id=unit.id or 0,
        action="unit_added",
        data={"code": code, "name": name, "province": unit.province},
    )
    return unit


def list_units(session: Session) -> list[UnitInfo]:
    """Every unit by code, with its plan years and live task count: three queries."""
    units = session.execute(select(Unit).order_by(Unit.code)).scalars().all()
    years: dict[int, list[int]] = {}
    for unit_id, year in session.execute(
        select(Plan.unit_id, Plan.year).order_by(Plan.unit_id, Plan.year)
    ).all():
        years.setdefault(unit_id, []).append(year)
    counts = dict(
        session.execute(  # type: ignore[arg-type]
            select(Task.unit_id, func.count())
            .where(col(Task.archived_at).is_(None))
            .group_by(Task.unit_id)
        ).all()
    )
    return [
        UnitInfo(
            code=u.code,
            name=u.name,
            province=u.province,
            coordinator=u.coordinator,
            plans=years.get(u.id or 0, []),
            tasks=int(counts.get(u.id, 0)),
        )
        for u in units
    ]


# Fields of `planflow unit edit` kept in unit.settings["document"] (the Word letterhead).
DOCUMENT_FIELDS = ("agency", "superior", "place", "number_prefix", "number", "signer_title",
                   "signer_name", "recipients")  # fmt: skip


def edit_unit(
    url: str,
    unit: str | None,
    *,
    name: str | None = None,
    province: str | None = None,
    recipients: list[str] | None = None,
    **document: str | None,
) -> tuple[str, dict[str, list[Any]]]:
    """`planflow unit edit`: the unit's name, province and what its Word report prints
    (agency, place, number, signer, recipients). A manager of the unit only; each changed
    field is recorded as [before, after] in one "update" event, as `person edit` does.
    An empty value clears a setting, so the default derived from the name applies again.
    Returns the unit's code and the changes ({} when nothing changed)."""
    from planflow.engine.permissions import Perm
    from planflow.services.common import record_event
    from planflow.services.identity import managing

    unknown = set(document) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"edit_unit: unknown fields {sorted(unknown)}")
    if name is not None and not name.strip():
        raise UsageError("--name: cần tên đơn vị", "--name: the unit's name is required")
    wanted: dict[str, Any] = {k: " ".join(v.split()) for k, v in document.items() if v is not None}
    if recipients is not None:
        wanted["recipients"] = [r.strip() for r in recipients if r.strip()]
    if name is None and province is None and not wanted:
        raise UsageError(
            "không có gì để sửa: cần ít nhất một tùy chọn (xem `planflow unit edit --help`)",
            "nothing to change: give at least one option (see `planflow unit edit --help`)",
        )
    with managing(url, unit, Perm.UNIT_EDIT, "unit_edit") as (session, u, actor):
        changes: dict[str, list[Any]] = {}
        for field_name, value in (("name", name), ("province", province)):
            if value is not None and (value := value.strip()) != getattr(u, field_name):
                changes[field_name] = [getattr(u, field_name), value]
                setattr(u, field_name, value)
        settings = dict(u.settings or {})
        stored = dict(settings.get("document") or {})
        for key, value in wanted.items():
            before = stored.get(key, [] if key == "recipients" else "")
            if value == before:
                continue
            changes[key] = [before, value]
            if value:
                stored[key] = value
            else:
                stored.pop(key, None)
        if not changes:
            return u.code, {}
        settings["document"] = stored
        u.settings = settings  # a new dict, so the JSON column is written
        session.add(u)
        session.flush()
        assert u.id is not None
        record_event(session, unit_id=u.id, action="update", actor=actor,
                     data={"changes": changes})  # fmt: skip
        return u.code, changes
