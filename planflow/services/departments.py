"""The department directory: creating departments and groups from an appendix's names
(`plan import --create-departments`) and mending it afterwards (`planflow dept add | rename
| alias | merge | group`).

Mending needs the `person_manage` permission, as `person add` does (coordinator, chairman,
admin; anyone while the unit has none of them). Each command is one transaction that records
an event. What was mended is kept in the unit's settings (`directory_mended`: old code → new
code, departments and groups changed by hand), so a later `plan import` of the plan file
reads its `unit:` section over the mended directory instead of undoing it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from planflow.engine.agencies import Agency, match_known, same_agency, short_key, split_agencies
from planflow.engine.mend import mend_unit, merge_parts, remap
from planflow.engine.permissions import Perm
from planflow.engine.plandoc import UnitDoc
from planflow.engine.text import clean, fold
from planflow.engine.types import Role, Source, Status
from planflow.errors import UsageError
from planflow.models import Department, Event, Item, Person, Task, Unit
from planflow.services.common import record_event, refresh_task_status, unit_doc
from planflow.services.identity import managing
from planflow.services.people import find_department

MENDED = "directory_mended"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


@dataclass
class Created:
    """What `--create-departments` made: department codes, group names, aliases added."""

    departments: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)


def _departments(session: Session, unit: Unit) -> list[Department]:
    return list(
        session.exec(
            select(Department).where(Department.unit_id == unit.id).order_by(col(Department.id))
        ).all()
    )


def _groups(unit: Unit) -> list[dict[str, Any]]:
    return [
        {"name": g["name"], "aliases": list(g.get("aliases", [])), "members": list(g["members"])}
        for g in (unit.directory or {}).get("groups", [])
    ]


def _set_groups(unit: Unit, groups: list[dict[str, Any]]) -> None:
    unit.directory = {**(unit.directory or {}), "groups": groups}


def _new_code(name: str, taken: set[str]) -> str:
    base = short_key(name).upper()[:10] or "PB"
    code, n = base, 1
    while code.upper() in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code.upper())
    return code


def create_from_names(session: Session, unit: Unit, names: list[str]) -> Created:
    """Departments and groups for the lead names no entry of the directory covers.

    Each name is split into the agencies it lists; a collective becomes a group (with the
    departments its words name, often none), never a department; a name that is the short
    or long form of a department already known, or made from another cell of this import,
    becomes that department's alias.
    """
    assert unit.id is not None
    created = Created()
    depts = _departments(session, unit)
    known = {d.code: [d.code, d.name, *(d.aliases or [])] for d in depts}
    rows = {d.code: d for d in depts}
    taken = {d.code.upper() for d in depts}
    groups = _groups(unit)
    agencies: list[Agency] = [a for name in names for a in split_agencies(name)]
    for agency in (a for a in agencies if not a.collective):
        name = clean(agency.name)
        code = match_known(name, known)
        if code is None:
            code = _new_code(name, taken)
            rows[code] = Department(unit_id=unit.id, code=code, name=name, aliases=[])
            known[code] = [code, name]
            created.departments.append(code)
        elif all(fold(n) != fold(name) for n in known[code]):
            dept = rows[code]
            if code in created.departments and len(name) > len(dept.name):
                name, dept.name = dept.name, name  # the full name names it, the short one aliases
            dept.aliases = [*(dept.aliases or []), name]
            known[code].append(name)
            created.aliases.setdefault(code, []).append(name)
            _remember(unit, dept=code)  # a plan file read later keeps the alias
        session.add(rows[code])
    session.flush()
    from planflow.services.common import directory_for

    directory = directory_for(session, unit)
    for agency in (a for a in agencies if a.collective):
        name = clean(agency.name)
        same = next(
            (g for g in groups if any(same_agency(name, n) for n in (g["name"], *g["aliases"]))),
            None,
        )
        if same is not None:
            if all(fold(n) != fold(name) for n in (same["name"], *same["aliases"])):
                same["aliases"] = [*same["aliases"], name]
                _remember(unit, group=same["name"])
            continue
        members = [d for d in directory.resolve(name).departments if d in known]
        groups.append({"name": name, "aliases": [], "members": members})
        created.groups.append(name)
        _remember(unit, group=name)
    _set_groups(unit, groups)
    session.add(unit)
    if created.departments or created.groups or created.aliases:
        record_event(
            session, unit_id=unit.id, action="directory", data={"created": asdict(created)}
        )
    session.flush()
    return created


# --- mending by hand ------------------------------------------------------------------


def _mended(unit: Unit) -> dict[str, Any]:
    # Copies: changing the stored lists in place would hide the change from the session.
    record = (unit.settings or {}).get(MENDED) or {}
    return {
        "codes": dict(record.get("codes", {})),
        "departments": list(record.get("departments", [])),
        "groups": list(record.get("groups", [])),
    }


def _remember(
    unit: Unit, *, codes: dict[str, str] | None = None, dept: str = "", group: str = ""
) -> None:
    """Note what was mended by hand, for later imports of the plan file (mended_unit_doc)."""
    record = _mended(unit)
    for old, new in (codes or {}).items():
        record["codes"] = {k: (new if v == old else v) for k, v in record["codes"].items()}
        record["codes"][old] = new
        record["departments"] = [new if c == old else c for c in record["departments"]]
    if dept and dept not in record["departments"]:
        record["departments"].append(dept)
    if group and fold(group) not in {fold(g) for g in record["groups"]}:
        record["groups"].append(group)
    unit.settings = {**(unit.settings or {}), MENDED: record}


def mended_unit_doc(session: Session, doc: UnitDoc | None, unit_code: str | None) -> UnitDoc | None:
    """A plan file's `unit:` read over the directory mended in the database (unchanged when
    the unit is new or nothing was mended)."""
    if doc is None:
        return None
    unit = session.exec(select(Unit).where(Unit.code == (unit_code or doc.code))).first()
    if unit is None or MENDED not in (unit.settings or {}):
        return doc
    record = _mended(unit)
    current = unit_doc(session, unit)
    return mend_unit(doc, current, record["codes"], record["departments"], record["groups"])


def _check_code(code: str, what: str) -> str:
    code = code.strip()
    if not _CODE.match(code):
        raise UsageError(
            f"{what} '{code}' không hợp lệ: chữ, số, '-', '_', '.', tối đa 32 ký tự (ví dụ: KT)",
            f"invalid {what} '{code}': letters, digits, '-', '_' or '.', at most 32 (e.g. KT)",
        )
    return code


def _name_taken(session: Session, unit: Unit, name: str, but: str = "") -> None:
    """Refuse a name or alias that already names another department or a group."""
    for d in _departments(session, unit):
        if d.code != but and _names(d, name):
            raise UsageError(
                f"'{name}' đã là tên của phòng {d.code} (xem `planflow dept list`)",
                f"'{name}' already names department {d.code} (see `planflow dept list`)",
            )
    for g in _groups(unit):
        if any(fold(n) == fold(name) for n in (g["name"], *g["aliases"])):
            raise UsageError(
                f"'{name}' đã là tên của nhóm '{g['name']}'",
                f"'{name}' already names the group '{g['name']}'",
            )


def _code_free(session: Session, unit: Unit, code: str) -> None:
    for d in _departments(session, unit):
        if d.code.upper() == code.upper():
            raise UsageError(
                f"mã phòng '{code}' đã có ({d.code}: {d.name})",
                f"department code '{code}' already exists ({d.code}: {d.name})",
            )


@dataclass
class DeptChange:
    """The outcome of a mending command, for the CLI to print."""

    code: str
    name: str
    aliases: list[str]
    moved: dict[str, int] = field(default_factory=dict)
    demoted: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _change(dept: Department, **extra: Any) -> DeptChange:
    return DeptChange(dept.code, dept.name, list(dept.aliases or []), **extra)


def _names(dept: Department, name: str) -> bool:
    """True when `name` is the department's code, name or an alias, folded."""
    return any(fold(n) == fold(name) for n in (dept.code, dept.name, *(dept.aliases or [])))


def add_department(
    url: str, *, unit: str | None, code: str, name: str, aliases: list[str]
) -> DeptChange:
    """A new department (with a head added later by `person add --role head`)."""
    code = _check_code(code, "mã phòng")
    name = clean(name)
    if not fold(name):
        raise UsageError("cần tên phòng", "a department name is required")
    with managing(url, unit, Perm.PERSON_MANAGE, "dept_add") as (session, u, actor):
        assert u.id is not None
        _code_free(session, u, code)
        for n in (name, *aliases):
            _name_taken(session, u, n)
        dept = Department(unit_id=u.id, code=code, name=name, aliases=[clean(a) for a in aliases])
        session.add(dept)
        _remember(u, dept=code)
        session.add(u)
        record_event(
            session,
            unit_id=u.id,
            action="dept_add",
            actor=actor,
            data={"department": code, "name": name, "aliases": dept.aliases},
        )
        session.flush()
        return _change(dept)


def add_alias(url: str, *, unit: str | None, code: str, alias: str) -> DeptChange:
    """Another name the appendix uses for a department ("Phòng VHXH")."""
    alias = clean(alias)
    if not fold(alias):
        raise UsageError("cần bí danh", "an alias is required")
    with managing(url, unit, Perm.PERSON_MANAGE, "dept_alias") as (session, u, actor):
        assert u.id is not None
        dept = find_department(session, u, code)
        if _names(dept, alias):
            raise UsageError(
                f"'{alias}' đã là tên của phòng {dept.code}",
                f"'{alias}' already names department {dept.code}",
            )
        _name_taken(session, u, alias, but=dept.code)
        dept.aliases = [*(dept.aliases or []), alias]
        session.add(dept)
        _remember(u, dept=dept.code)
        session.add(u)
        record_event(
            session,
            unit_id=u.id,
            action="dept_alias",
            actor=actor,
            data={"department": dept.code, "alias": alias},
        )
        session.flush()
        return _change(dept)


def rename_department(
    url: str, *, unit: str | None, code: str, name: str, new_code: str = ""
) -> DeptChange:
    """A new name (and code): the old name stays an alias, so the appendix still resolves."""
    name = clean(name)
    if not fold(name):
        raise UsageError("cần tên mới", "a new name is required")
    with managing(url, unit, Perm.PERSON_MANAGE, "dept_rename") as (session, u, actor):
        assert u.id is not None
        dept = find_department(session, u, code)
        old_code, old_name = dept.code, dept.name
        _name_taken(session, u, name, but=dept.code)
        target = old_code
        if new_code and new_code != old_code:
            target = _check_code(new_code, "mã phòng mới")
            if target.upper() != old_code.upper():
                _code_free(session, u, target)
        if fold(old_name) != fold(name):
            dept.aliases = [a for a in (dept.aliases or []) if fold(a) != fold(name)] + [old_name]
        dept.name = name
        moved: dict[str, int] = {}
        if target != old_code:
            dept.code = target
            dept.aliases = [*dept.aliases, old_code]
            session.add(dept)
            session.flush()
            moved = _move_references(session, u, old_code, target, actor, "dept rename")
            _remember(u, codes={old_code: target})
        _remember(u, dept=target)
        session.add_all([dept, u])
        record_event(
            session,
            unit_id=u.id,
            action="dept_rename",
            actor=actor,
            data={
                "department": target,
                "from": {"code": old_code, "name": old_name},
                "to": {"code": target, "name": name},
                "moved": moved,
            },
        )
        session.flush()
        return _change(dept, moved=moved)


def merge_departments(url: str, *, unit: str | None, source: str, into: str) -> DeptChange:
    """`source` becomes part of `into`: its tasks, items, people and names move; it goes."""
    with managing(url, unit, Perm.PERSON_MANAGE, "dept_merge") as (session, u, actor):
        assert u.id is not None
        src, dst = find_department(session, u, source), find_department(session, u, into)
        if src.id == dst.id:
            raise UsageError(
                f"không thể gộp phòng {src.code} vào chính nó",
                f"cannot merge department {src.code} into itself",
            )
        demoted = []
        has_head = session.exec(
            select(Person.id).where(
                Person.department_id == dst.id, Person.role == Role.HEAD.value, col(Person.active)
            )
        ).first()
        people = session.exec(select(Person).where(Person.department_id == src.id)).all()
        for person in people:
            person.department_id = dst.id
            if person.role == Role.HEAD.value and has_head is not None:
                person.role = Role.STAFF.value  # one head per department
                demoted.append(person.name)
            session.add(person)
        dst.aliases = [*(dst.aliases or [])]
        for n in (src.code, src.name, *(src.aliases or [])):
            if all(fold(n) != fold(x) for x in (dst.code, dst.name, *dst.aliases)):
                dst.aliases.append(n)
        session.add(dst)
        session.flush()
        session.delete(src)
        session.flush()
        moved = _move_references(session, u, src.code, dst.code, actor, "dept merge")
        moved["people"] = len(people)
        _remember(u, codes={src.code: dst.code}, dept=dst.code)
        session.add(u)
        record_event(
            session,
            unit_id=u.id,
            action="dept_merge",
            actor=actor,
            data={
                "department": dst.code,
                "merged": {"code": src.code, "name": src.name},
                "moved": moved,
                "demoted": demoted,
            },
        )
        session.flush()
        return _change(dst, moved=moved, demoted=demoted)


def _move_references(
    session: Session, unit: Unit, old: str, new: str, actor: Person | None, why: str
) -> dict[str, int]:
    """Every place department code `old` is written becomes `new`: groups, the coordinator,
    tasks' leads and partners, items. Called once the department rows are mended. An
    appendix task's cells are resolved again as `plan import` would resolve them (a partner
    is not also a lead through a group), so re-importing afterwards changes nothing. Raises
    before any task changes when two parts of a task that both have a history would fold."""
    from planflow.engine.planning import leads_and_partners
    from planflow.services.common import directory_for

    groups = _groups(unit)
    for g in groups:
        g["members"] = remap(g["members"], old, new)
    _set_groups(unit, groups)
    if unit.coordinator == old:
        unit.coordinator = new
    session.add(unit)
    session.flush()
    directory = directory_for(session, unit)
    tasks = [
        t
        for t in session.exec(select(Task).where(Task.unit_id == unit.id)).all()
        if old in (t.leads or []) or old in (t.partners or [])
    ]
    plans = []
    conflicts = []
    for task in tasks:
        if task.source == Source.APPENDIX.value:
            lead, partners = (
                directory.resolve(task.lead_text),
                directory.resolve(task.partners_text),
            )
            leads, partner_list = leads_and_partners(lead, partners)
        else:
            leads = remap(task.leads or [], old, new)
            partner_list = [p for p in remap(task.partners or [], old, new) if p not in leads]
        items = session.exec(select(Item).where(Item.task_id == task.id)).all()
        ids = [i.id for i in items]
        touched = {
            i for i in session.exec(select(Event.item_id).where(col(Event.item_id).in_(ids)))
        } | {i.id for i in items if i.status != Status.NOT_STARTED.value}
        parts = merge_parts(items, {i for i in touched if i is not None}, old, new, leads)
        if parts.conflicts:
            conflicts.append(f"{task.code} ({', '.join(parts.conflicts)})")
        plans.append((task, leads, partner_list, items, parts))
    if conflicts:
        raise UsageError(
            f"không gộp được {old} vào {new}: phần việc của hai phòng trong cùng nhiệm vụ đều "
            f"đã có lịch sử ({'; '.join(conflicts)}); gộp sẽ mất một phần nên hai phòng giữ riêng",
            f"cannot merge {old} into {new}: both departments' parts of the same task have a "
            f"history ({'; '.join(conflicts)}); merging would lose one, so both are kept",
        )
    moved = {"tasks": 0, "items": 0}
    assert unit.id is not None
    for task, leads, partner_list, items, parts in plans:
        changes = {
            name: [list(before or []), after]
            for name, before, after in (
                ("leads", task.leads, leads),
                ("partners", task.partners, partner_list),
            )
            if list(before or []) != after
        }
        if changes:  # the task's own history says why its departments changed
            record_event(
                session,
                unit_id=unit.id,
                task_id=task.id,
                action="update",
                actor=actor,
                note=f"{why} {old} → {new}",
                data={"changes": changes},
            )
        task.leads, task.partners = leads, partner_list
        task.version += 1
        session.add(task)
        for item in items:
            if item.id in parts.drop:
                session.delete(item)
                moved["items"] += 1
            elif item.id in parts.departments:
                item.department = parts.departments[item.id]
                item.version += 1
                session.add(item)
                moved["items"] += 1
        moved["tasks"] += 1
    session.flush()
    for task, *_ in plans:
        refresh_task_status(session, task)
    return moved


def set_group(url: str, *, unit: str | None, name: str, members: list[str]) -> dict[str, Any]:
    """Create the group `name`, or set its members: "Các phòng chuyên môn xã" = VP KT VHXH."""
    name = clean(name)
    if not fold(name):
        raise UsageError("cần tên nhóm", "a group name is required")
    with managing(url, unit, Perm.PERSON_MANAGE, "dept_group") as (session, u, actor):
        assert u.id is not None
        codes = list(dict.fromkeys(find_department(session, u, m).code for m in members))
        groups = _groups(u)
        group = next(
            (g for g in groups if any(fold(n) == fold(name) for n in (g["name"], *g["aliases"]))),
            None,
        )
        for d in _departments(session, u):
            if _names(d, name):
                raise UsageError(
                    f"'{name}' là tên của phòng {d.code}, không phải nhóm",
                    f"'{name}' names department {d.code}, not a group",
                )
        before = list(group["members"]) if group else None
        if group is None:
            group = {"name": name, "aliases": [], "members": codes}
            groups.append(group)
        else:
            group["members"] = codes
        _set_groups(u, groups)
        _remember(u, group=group["name"])
        session.add(u)
        record_event(
            session,
            unit_id=u.id,
            action="dept_group",
            actor=actor,
            data={"group": group["name"], "members": [before, codes]},
        )
        session.flush()
        return {
            "name": group["name"],
            "aliases": list(group.get("aliases", [])),
            "members": codes,
            "created": before is None,
        }


def list_groups(session: Session, unit: Unit) -> list[dict[str, Any]]:
    return [
        {"name": g["name"], "aliases": list(g.get("aliases", [])), "members": list(g["members"])}
        for g in _groups(unit)
    ]


__all__ = [
    "Created",
    "DeptChange",
    "add_alias",
    "add_department",
    "create_from_names",
    "list_groups",
    "mended_unit_doc",
    "merge_departments",
    "rename_department",
    "set_group",
]
