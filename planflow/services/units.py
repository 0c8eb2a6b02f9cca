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
