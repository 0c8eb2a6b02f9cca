"""Importing a plan: the first import creates it; importing the same unit and year again
is an amendment — tasks are matched by code (then by text when renumbered), changed fields
become events, tasks gone from the file are archived, and nothing done is ever lost.

The caller owns the transaction: commit to apply, roll back for a dry run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from planflow import clock
from planflow.engine.plandoc import PlanDoc, SectionDoc, UnitDoc
from planflow.engine.planning import ItemPlan, TaskPlan, plan_tasks, unknown_leads
from planflow.engine.text import fold
from planflow.engine.types import DeadlineKind, Source, Status
from planflow.errors import ImportError_, NotFound, UsageError
from planflow.models import Department, Event, Item, Objective, Person, Plan, Section, Task, Unit
from planflow.services.common import (
    current_plan,
    directory_for,
    get_unit,
    plan_calendar,
    record_event,
    refresh_task_status,
)


@dataclass
class ImportReport:
    unit: str
    year: int
    created: bool
    tasks: int = 0
    added: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    no_lead: list[str] = field(default_factory=list)
    unscheduled: list[tuple[str, str]] = field(default_factory=list)
    unparsed: list[tuple[str, str]] = field(default_factory=list)
    created_departments: list[str] = field(default_factory=list)
    created_groups: list[str] = field(default_factory=list)
    revision: int = 1
    until: int | None = None
    starts: date | None = None
    unit_name: str = ""
    unit_created: bool = False  # the import created the unit (a fresh database)
    # Deadline phrases planflow could not read, kept as written: (code, source row, phrase).
    flagged: list[tuple[str, int | None, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "unit_created": self.unit_created,
            "year": self.year,
            "until": self.until,
            "starts": _jsonable(self.starts),
            "created": self.created,
            "revision": self.revision,
            "tasks": self.tasks,
            "added": self.added,
            "changed": {
                code: {
                    f: {"old": _jsonable(o), "new": _jsonable(n)} for f, (o, n) in fields.items()
                }
                for code, fields in self.changed.items()
            },
            "archived": self.archived,
            "restored": self.restored,
            "no_lead": self.no_lead,
            "unscheduled": [{"code": c, "deadline": t} for c, t in self.unscheduled],
            "unparsed": [{"code": c, "deadline": t} for c, t in self.unparsed],
            "created_departments": self.created_departments,
            "flagged": [{"code": c, "row": r, "deadline": t} for c, r, t in self.flagged],
            "created_groups": self.created_groups,
        }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def import_plan(
    session: Session,
    doc: PlanDoc,
    *,
    unit_code: str | None = None,
    unit_name: str | None = None,
    starts: date | None = None,
    until: int | None = None,
    create_departments: bool = False,
    actor_name: str = "",
    file_name: str = "",
    table_only: bool = False,
) -> ImportReport:
    """Create or amend the unit's plan for `doc.year`.

    `table_only`: `doc` was read from an appendix (Word, Excel, PDF, CSV), which holds the
    task table but not the plan's own settings; an existing plan then keeps its title,
    source, start date, recurrence and evidence rule, so re-importing the commune's .docx
    over the plan file changes no task (a reset start date would add Q1/Q2 occurrences).
    `starts` and `until` (--starts, --until) win over the document and the existing plan.
    An appendix names no unit: `unit_code` names it, and a unit not yet in the database is
    created, named `unit_name` or what the title block says (`doc.agency`, else the title).
    """
    from planflow.services.departments import mended_unit_doc

    if until is not None:
        doc = replace(doc, until=check_until(doc.year, until))
    # A plan file's departments are read over the directory mended in the database.
    doc = replace(doc, unit=mended_unit_doc(session, doc.unit, unit_code))
    _check_may_import(session, doc, unit_code)
    unit, unit_created = _unit_for(session, doc, unit_code, unit_name, file_name)
    if table_only:
        doc = _keep_plan_settings(session, unit, doc)
    if starts is not None:
        doc = replace(doc, starts=starts)
    directory = directory_for(session, unit)
    calendar = plan_calendar(unit, doc.year, doc.until)
    plans = plan_tasks(doc, directory, calendar)
    unknown = unknown_leads(plans)
    created_departments: list[str] = []
    created_groups: list[str] = []
    if unknown and create_departments:
        created_departments, created_groups = _create_departments(session, unit, list(unknown))
        directory = directory_for(session, unit)
        plans = plan_tasks(doc, directory, calendar)
    elif unknown and not _has_departments(session, unit):
        raise ImportError_(
            f"đơn vị {unit.code} chưa có phòng ban nào; bảng phụ lục ghi {len(unknown)} đơn vị "
            "chủ trì: chạy lại với --create-departments để tạo chúng",
            f"unit {unit.code} has no departments yet and the appendix names {len(unknown)} "
            "leads: run again with --create-departments to create them",
            file=file_name or None,
        )
    elif unknown:
        lines = "; ".join(f"'{name}' ({', '.join(where)})" for name, where in unknown.items())
        raise ImportError_(
            f"đơn vị chủ trì không có trong danh mục của {unit.code}: {lines}. "
            "Thêm bí danh (aliases) vào cấu hình đơn vị hoặc dùng --create-departments",
            f"lead not in {unit.code}'s departments: {lines}. "
            "Add an alias to the unit's configuration or use --create-departments",
            file=file_name or None,
        )
    plan = session.exec(select(Plan).where(Plan.unit_id == unit.id, Plan.year == doc.year)).first()
    created = plan is None
    now = clock.now()
    if plan is None:
        plan = Plan(unit_id=unit.id, year=doc.year, imported_at=now)
    plan.title, plan.source = doc.title, doc.source
    plan.starts, plan.until, plan.recurrence, plan.require_evidence = (
        doc.starts,
        doc.until,
        doc.recurrence,
        doc.require_evidence,
    )
    plan.imported_at = now
    session.add(plan)
    session.flush()
    assert unit.id is not None and plan.id is not None
    places = _rebuild_sections(session, plan, doc)
    report = ImportReport(
        unit.code,
        doc.year,
        created,
        tasks=len(plans),
        created_departments=created_departments,
        until=doc.until,
        starts=doc.starts,
        unit_name=unit.name,
        unit_created=unit_created,
        created_groups=created_groups,
    )
    existing = session.exec(
        select(Task).where(Task.plan_id == plan.id, Task.source == Source.APPENDIX)
    ).all()
    matches = _match(existing, plans)
    old_codes = {t.id: t.code for t in existing}
    for code, task in matches.items():  # free the codes first: renumbering may swap them
        if task.code != code:
            task.code = f"~{task.id}"
            session.add(task)
    session.flush()
    matched_ids = {t.id for t in matches.values()}
    for task in existing:
        if task.id not in matched_ids and task.archived_at is None:
            task.archived_at = now
            session.add(task)
            record_event(
                session,
                unit_id=unit.id,
                task_id=task.id,
                action="archive",
                actor_name=actor_name,
                note=file_name,
            )
            report.archived.append(task.code)
    session.flush()
    for position, task_plan in enumerate(plans):
        section_id, objective_id = places[task_plan.code]
        task = matches.get(task_plan.code)
        if task is None:
            task = _create_task(
                session,
                unit,
                plan,
                task_plan,
                position,
                section_id,
                objective_id,
                actor_name,
                first=not existing,  # the plan's first tasks, or tasks added later
            )
            report.added.append(task_plan.code)
        else:
            changes = _update_task(
                session, task, old_codes[task.id], task_plan, position, section_id, objective_id
            )
            if task.archived_at is not None:
                task.archived_at = None
                record_event(
                    session,
                    unit_id=unit.id,
                    task_id=task.id,
                    action="unarchive",
                    actor_name=actor_name,
                    note=file_name,
                )
                report.restored.append(task_plan.code)
            if changes:
                record_event(
                    session,
                    unit_id=unit.id,
                    task_id=task.id,
                    action="update",
                    actor_name=actor_name,
                    note=file_name,
                    data={
                        "changes": {
                            k: [_jsonable(o), _jsonable(n)] for k, (o, n) in changes.items()
                        }
                    },
                )
                report.changed[task_plan.code] = changes
            sync_items(session, unit, task, task_plan.items)
        if not task_plan.leads:
            report.no_lead.append(task_plan.code)
        kind = task_plan.deadline.kind
        if kind is DeadlineKind.UNSCHEDULED:
            report.unscheduled.append((task_plan.code, task_plan.deadline.text))
        elif kind is DeadlineKind.UNPARSED:
            report.unparsed.append((task_plan.code, task_plan.deadline.text))
        report.flagged.extend(task_plan.flagged)
    if not created and (report.added or report.changed or report.archived or report.restored):
        plan.revision += 1
    report.revision = plan.revision
    session.add(plan)
    session.flush()
    return report


def _keep_plan_settings(session: Session, unit: Unit, doc: PlanDoc) -> PlanDoc:
    """`doc` with the existing plan's own settings, which an appendix cannot carry."""
    plan = session.exec(select(Plan).where(Plan.unit_id == unit.id, Plan.year == doc.year)).first()
    if plan is None:
        return doc
    return replace(
        doc,
        title=plan.title,
        source=plan.source,
        starts=plan.starts,
        until=doc.until or plan.until,  # the title names the span; else the plan keeps its own
        recurrence=plan.recurrence,
        require_evidence=plan.require_evidence,
    )


def _has_departments(session: Session, unit: Unit) -> bool:
    """Whether the unit has any department yet (a unit an appendix import just created
    has none, and then every lead is unknown)."""
    query = select(Department.id).where(Department.unit_id == unit.id).limit(1)
    return session.exec(query).first() is not None


def check_until(year: int, until: int) -> int:
    """`until` (--until) as the plan's last year: it must come after its first."""
    if until <= year:
        raise UsageError(
            f"--until {until}: năm cuối phải sau năm đầu của kế hoạch ({year})",
            f"--until {until}: the last year must come after the plan's first year ({year})",
        )
    return until


def _check_may_import(session: Session, doc: PlanDoc, unit_code: str | None) -> None:
    """Only a manager imports: into an existing unit its coordinator, chairman or admin; a
    new unit, a manager of any unit. The administrator may always (services.identity)."""
    from planflow.engine.permissions import Perm
    from planflow.services.identity import require_manager, resolve_actor

    code = unit_code or (doc.unit.code if doc.unit else None)
    unit = session.exec(select(Unit).where(Unit.code == code)).first() if code else None
    if unit is None and code is None and doc.unit is None:
        units = session.exec(select(Unit).limit(2)).all()
        unit = units[0] if len(units) == 1 else None
    actor = resolve_actor(session, unit) if unit else None
    require_manager(session, unit, actor, Perm.PLAN_IMPORT, "plan_import")


def _unit_for(
    session: Session,
    doc: PlanDoc,
    unit_code: str | None,
    unit_name: str | None,
    file_name: str,
) -> tuple[Unit, bool]:
    """The unit the plan belongs to, and whether this import created it.

    A plan file's `unit:` creates or updates its unit. An appendix names none: `--unit`
    picks it, and creates it when new. Beside other units a new code must come with its
    name (--unit-name), so a mistyped code does not start a second commune by accident.
    """
    if doc.unit is not None:
        existed = session.exec(select(Unit.id).where(Unit.code == (unit_code or doc.unit.code)))
        found = existed.first() is not None
        return _upsert_unit(session, doc.unit, unit_code), not found
    name = (unit_name or "").strip()
    if unit_code:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).first()
        if unit is not None:
            if name and name != unit.name:
                unit.name = name
                session.add(unit)
            return unit, False
        others = session.exec(select(Unit.code).order_by(col(Unit.code)).limit(21)).all()
        suggested = doc.agency or doc.title or unit_code
        if others and not name:
            listed = ", ".join(others[:20]) + (", …" if len(others) > 20 else "")
            raise ImportError_(
                f"không có đơn vị '{unit_code}' (đã có: {listed}); để thêm đơn vị mới, "
                f'cho biết tên: --unit-name "{suggested}"',
                f"no unit '{unit_code}' (there are: {listed}); to add a new unit, give its "
                f'name: --unit-name "{suggested}"',
                file=file_name or None,
            )
        from planflow.services.units import add_unit

        return add_unit(session, unit_code, name or suggested), True
    if session.exec(select(Unit.id).limit(1)).first() is None:
        shown = file_name or "FILE"
        raise NotFound(
            "cơ sở dữ liệu chưa có đơn vị nào; bảng phụ lục không ghi mã đơn vị: chạy "
            f"`planflow plan import {shown} --unit MÃ --create-departments` "
            "(MÃ là mã đơn vị, ví dụ KYLAC)",
            "the database has no unit yet and an appendix names none: run "
            f"`planflow plan import {shown} --unit CODE --create-departments` "
            "(CODE is the unit's code, e.g. KYLAC)",
        )
    return get_unit(session, None), False


def _upsert_unit(session: Session, doc: UnitDoc | None, unit_code: str | None) -> Unit:
    if doc is None:
        return get_unit(session, unit_code)
    code = unit_code or doc.code
    unit = session.exec(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        unit = Unit(code=code, name=doc.name, created_at=clock.now())
    unit.name = doc.name or unit.name
    unit.coordinator = doc.coordinator or unit.coordinator
    unit.directory = {
        "groups": [
            {"name": g.name, "aliases": g.aliases, "members": g.members} for g in doc.groups
        ],
        "partners": [{"name": p.name, "aliases": p.aliases} for p in doc.partners],
    }
    settings = dict(unit.settings or {})
    settings["days_off"] = [d.isoformat() for d in doc.days_off]
    settings["working_days"] = [d.isoformat() for d in doc.working_days]
    for key, value in (
        ("percent_precision", doc.percent_precision),
        ("percent_rounding", doc.percent_rounding or None),
    ):
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    if doc.document:  # the file's letterhead keys; others (`unit edit`) are kept
        settings["document"] = {**(settings.get("document") or {}), **doc.document}
    unit.settings = settings
    session.add(unit)
    session.flush()
    known = {
        d.code: d for d in session.exec(select(Department).where(Department.unit_id == unit.id))
    }
    for dept_doc in doc.departments:
        dept = known.get(dept_doc.code) or Department(unit_id=unit.id, code=dept_doc.code, name="")
        dept.name, dept.aliases = dept_doc.name, list(dept_doc.aliases)
        session.add(dept)
        session.flush()
        if dept_doc.head is not None:
            _ensure_head(
                session, unit, dept, dept_doc.head.name, dept_doc.head.email, dept_doc.head.user
            )
    for group in doc.groups:
        missing = [
            m for m in group.members if m not in {d.code for d in doc.departments} | set(known)
        ]
        if missing:
            raise ImportError_(
                f"nhóm '{group.name}' có thành viên không phải phòng ban: {', '.join(missing)}",
                f"group '{group.name}' has members that are not departments: {', '.join(missing)}",
            )
    return unit


def _ensure_head(
    session: Session, unit: Unit, dept: Department, name: str, email: str, user: str
) -> None:
    query = select(Person).where(Person.unit_id == unit.id)
    person = None
    if user:
        person = session.exec(query.where(Person.os_user == user)).first()
    if person is None and email:
        person = session.exec(query.where(Person.email == email)).first()
    if person is not None:
        return  # people are managed with `planflow person`; the plan file only seeds them
    head = Person(
        unit_id=unit.id,
        name=name,
        email=email,
        os_user=user or None,
        department_id=dept.id,
        role="head",
    )
    session.add(head)
    session.flush()
    assert unit.id is not None
    record_event(  # a head made by a file is on the record like one made by `person add`
        session,
        unit_id=unit.id,
        action="update",
        data={
            "person": user or name,
            "added": True,
            "role": "head",
            "department": dept.code,
            "from": "plan",
        },
    )


def _create_departments(
    session: Session, unit: Unit, names: list[str]
) -> tuple[list[str], list[str]]:
    """Departments and groups for unknown lead names (see services.departments)."""
    from planflow.services.departments import create_from_names

    created = create_from_names(session, unit, names)
    return created.departments, created.groups


def _rebuild_sections(session: Session, plan: Plan, doc: PlanDoc) -> dict[str, tuple[int, int]]:
    """Sections and objectives are structure, not history: rebuilt on every import.
    Returns task code → (section id, objective id)."""
    old_sections = select(Section.id).where(Section.plan_id == plan.id)
    session.execute(
        Task.__table__.update()  # type: ignore[attr-defined]
        .where(Task.__table__.c.plan_id == plan.id)  # type: ignore[attr-defined]
        .values(section_id=None, objective_id=None)
    )
    session.execute(delete(Objective).where(col(Objective.section_id).in_(old_sections)))
    session.execute(
        delete(Section).where(col(Section.plan_id) == plan.id, col(Section.parent_id).is_not(None))
    )
    session.execute(delete(Section).where(col(Section.plan_id) == plan.id))
    places: dict[str, tuple[int, int]] = {}
    for position, section_doc in enumerate(doc.sections):
        section = _add_section(session, plan, section_doc, None, section_doc.code, position)
        _add_objectives(session, section, section_doc, section_doc.code, "", places)
        for sub_pos, sub_doc in enumerate(section_doc.subsections):
            path = f"{section_doc.code}.{sub_doc.code}"
            sub = _add_section(session, plan, sub_doc, section.id, path, sub_pos)
            _add_objectives(session, sub, sub_doc, section_doc.code, sub_doc.code, places)
    return places


def _add_section(
    session: Session, plan: Plan, doc: SectionDoc, parent: int | None, path: str, position: int
) -> Section:
    assert plan.id is not None
    section = Section(
        plan_id=plan.id,
        parent_id=parent,
        code=doc.code,
        path=path,
        title=doc.title,
        position=position,
    )
    session.add(section)
    session.flush()
    return section


def _add_objectives(
    session: Session,
    section: Section,
    doc: SectionDoc,
    code: str,
    sub: str,
    places: dict[str, tuple[int, int]],
) -> None:
    from planflow.engine.plandoc import task_code

    assert section.id is not None
    for position, obj_doc in enumerate(doc.objectives):
        cells = {
            k: getattr(obj_doc, k)
            for k in ("output", "lead", "partners", "deadline", "budget")
            if getattr(obj_doc, k)
        }
        objective = Objective(
            section_id=section.id,
            tt=obj_doc.tt,
            code=obj_doc.code,
            text=obj_doc.text,
            cells=cells,
            position=position,
        )
        session.add(objective)
        session.flush()
        assert objective.id is not None
        for task_doc in obj_doc.tasks:
            places[task_code(code, sub, task_doc.code)] = (section.id, objective.id)


def _match(existing: list[Task], plans: list[TaskPlan]) -> dict[str, Task]:
    """New code → existing task: same code and text; else same text (renumbered); else
    same code (text edited). Unmatched existing tasks are archived by the caller."""
    matches: dict[str, Task] = {}
    free = {t.id: t for t in existing}
    rules = (
        lambda p, t: t.code == p.code and fold(t.text) == fold(p.text),
        lambda p, t: fold(t.text) == fold(p.text),
        lambda p, t: t.code == p.code,
    )
    for rule in rules:
        for p in plans:
            if p.code in matches:
                continue
            task = next((t for t in free.values() if rule(p, t)), None)
            if task is not None:
                matches[p.code] = task
                del free[task.id]
    return matches


def _create_task(
    session: Session,
    unit: Unit,
    plan: Plan,
    p: TaskPlan,
    position: int,
    section_id: int,
    objective_id: int,
    actor_name: str,
    *,
    first: bool = True,
) -> Task:
    """A task of the plan's first tasks exists from the plan's start (its year's first day
    when none is set); one a re-import adds to them exists from the day it was added, so a
    report of an earlier day does not count it."""
    assert unit.id is not None and plan.id is not None
    task = Task(
        unit_id=unit.id,
        plan_id=plan.id,
        section_id=section_id,
        objective_id=objective_id,
        code=p.code,
        position=position,
        created_at=clock.now(),
        source=Source.APPENDIX.value,
        status=Status.NOT_STARTED.value,
        extras=_extras(p),
        **p.fields(),
    )
    session.add(task)
    session.flush()
    assert task.id is not None
    for item in p.items:
        session.add(_item(unit.id, task.id, item))
    session.flush()
    record_event(
        session,
        unit_id=unit.id,
        task_id=task.id,
        action="created",
        to_status=Status.NOT_STARTED.value,
        actor_name=actor_name,
        on=min(clock.today(), plan.starts or date(plan.year, 1, 1)) if first else clock.today(),
    )
    if p.ref is not None and p.ref.task.status:
        _start_as_written(session, task, p.ref.task.status, p.ref.task.result, actor_name)
    return task


def _start_as_written(session: Session, task: Task, cell: str, result: str, actor: str) -> None:
    """A table with a status column ("Đang thực hiện", "Đã hoàn thành"): every item of the
    new task starts in that state, by an event quoting the cell, so the log explains it.
    The completion day is unknown: on time means by the due day, late means the import day."""
    from planflow.engine.states import starting_status

    found = starting_status(fold(cell))
    if found is None or found[0] is Status.NOT_STARTED:
        return
    status, on_time = found
    today = clock.today()
    note = f"Theo bảng của kế hoạch: “{cell}”"
    evidence = (result or cell).strip()
    items = session.exec(select(Item).where(Item.task_id == task.id)).all()
    for item in items:
        day = today
        if status is Status.DONE and on_time and item.due_on is not None:
            day = min(today, item.due_on)
        item.status = status.value
        item.completed_on = day if status is Status.DONE else None
        item.evidence = evidence if status is Status.DONE else ""
        session.add(item)
        session.flush()
        action = "complete" if status is Status.DONE else "start"
        record_event(
            session,
            unit_id=task.unit_id,
            task_id=task.id,
            item_id=item.id,
            action=action,
            actor_name=actor,
            from_status=Status.NOT_STARTED.value,
            to_status=status.value,
            note=note,
            evidence=item.evidence,
            on=day,
            data={"source": "import", "cell": cell, "result": result},
        )
    refresh_task_status(session, task)


def _item(unit_id: int, task_id: int, p: ItemPlan) -> Item:
    return Item(
        unit_id=unit_id,
        task_id=task_id,
        period=p.period,
        department=p.department,
        start_on=p.start,
        due_on=p.due,
        status=Status.NOT_STARTED.value,
    )


def _update_task(
    session: Session,
    task: Task,
    old_code: str,
    p: TaskPlan,
    position: int,
    section_id: int,
    objective_id: int,
) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    if old_code != p.code:
        changes["code"] = (old_code, p.code)
    task.code = p.code
    for name, new in p.fields().items():
        old = getattr(task, name)
        if old != new:
            changes[name] = (old, new)
            setattr(task, name, new)
    task.position, task.section_id, task.objective_id = position, section_id, objective_id
    task.extras = _extras(p) or task.extras  # informative columns: kept, not diffed
    session.add(task)
    session.flush()
    return changes


def _extras(p: TaskPlan) -> dict[str, str]:
    """The appendix's other columns of the task, and its reported result, as printed."""
    if p.ref is None:
        return {}
    extras = {k: v for k, v in p.ref.task.extras.items() if v}
    if p.ref.task.result:
        extras["Kết quả thực hiện"] = p.ref.task.result
    return extras


def sync_items(session: Session, unit: Unit, task: Task, wanted: list[ItemPlan]) -> None:
    """Keep items (and their history) whose period/part still exists; add new ones; drop
    obsolete ones nobody touched. Due dates follow the amended deadline."""
    assert unit.id is not None and task.id is not None
    current = {
        (i.period, i.department): i
        for i in session.exec(select(Item).where(Item.task_id == task.id))
    }
    keys = set()
    for p in wanted:
        key = (p.period, p.department)
        keys.add(key)
        item = current.get(key)
        if item is None:
            session.add(_item(unit.id, task.id, p))
        elif (item.start_on, item.due_on) != (p.start, p.due):
            item.start_on, item.due_on = p.start, p.due
            session.add(item)
    for key, item in current.items():
        if key in keys:
            continue
        touched = session.exec(select(Event.id).where(Event.item_id == item.id).limit(1)).first()
        if touched is None and item.status == Status.NOT_STARTED:
            session.delete(item)
    session.flush()
    refresh_task_status(session, task)


def plan_overview(session: Session, unit: Unit, year: int | None = None) -> dict[str, Any]:
    """The plan at a glance: sections in appendix order with their live task counts."""
    plan = current_plan(session, unit, year)
    sections = session.exec(select(Section).where(Section.plan_id == plan.id)).all()
    position = {s.id: s.position for s in sections}
    sections = sorted(
        sections,
        key=lambda s: (position.get(s.parent_id, s.position), s.parent_id is not None, s.position),
    )
    tasks = session.exec(
        select(Task.code, Task.source).where(
            Task.plan_id == plan.id, col(Task.archived_at).is_(None)
        )
    ).all()
    appendix = [code for code, source in tasks if source == Source.APPENDIX]
    departments = session.exec(
        select(Department).where(Department.unit_id == unit.id).order_by(col(Department.id))
    ).all()
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "year": plan.year,
        "title": plan.title,
        "source": plan.source,
        "until": plan.until,
        "revision": plan.revision,
        "starts": plan.starts.isoformat() if plan.starts else None,
        "tasks": len(appendix),
        "ad_hoc": len(tasks) - len(appendix),
        "sections": [
            {
                "code": s.path,
                "title": s.title,
                "tasks": sum(1 for c in appendix if c.startswith(s.path + ".")),
            }
            for s in sections
        ],
        "departments": [{"code": d.code, "name": d.name} for d in departments],
    }
