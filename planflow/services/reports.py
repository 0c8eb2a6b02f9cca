"""Reports and snapshots: the plan's progress as of any day, for the chairman.

`build_report` reads the plan in a fixed number of queries (tasks, items, sections,
departments, and for a past day all events), turns the rows into the engine's plain
`TaskSnapshot`s and lets `engine.progress.compute` count. For today or later the stored
state is used; for a past day the event log is replayed, so a report "as of 30/09/2025"
run in December shows what was true on 30/09, whatever changed since.

A snapshot stores the report's figures (the JSON form) and the engine's input, frozen:
`snapshot show` renders the stored input again in any format, and `snapshot diff` compares
the stored figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from planflow import clock
from planflow.engine.periods import CUTOFF, Period, parse_period
from planflow.engine.progress import (
    HALF_UP,
    ROUNDINGS,
    TRUNCATE,
    ItemSnapshot,
    Progress,
    TaskSnapshot,
    compute,
    format_percent,
)
from planflow.engine.progress import summary_sentence as _progress_sentence
from planflow.engine.text import parse_id
from planflow.engine.types import Status
from planflow.errors import NotFound, UsageError
from planflow.models import Department, Event, Item, Plan, Section, Snapshot, Task, Unit

SNAPSHOT_FORMAT = "planflow-snapshot/1"
GROUPINGS = ("section", "dept")


FAILED_AFTER = 3  # a message still retrying after this many attempts is shown as failing
ERROR_CHARS = 80  # last errors are shortened to this in the report


@dataclass(frozen=True)
class FailedMail:
    """A reminder that has not reached its recipient: failed, or still retrying after
    `FAILED_AFTER` attempts. The chairman sees these so a silent mail problem cannot hide
    a department that was never chased (issue 6)."""

    id: int
    recipient: str
    subject: str
    attempts: int
    last_error: str  # shortened to ERROR_CHARS
    day: date
    status: str  # failed, or queued/sending while retrying


@dataclass(frozen=True)
class Report:
    """Everything a renderer shows; `progress` holds the figures (engine.progress)."""

    unit_code: str
    unit_name: str
    plan_year: int
    plan_title: str
    as_of: date
    progress: Progress
    period: Period | None = None
    by: str = "section"
    department_names: dict[str, str] = field(default_factory=dict)
    basis: str = "state"  # "state" (stored rows) or "events" (replayed log)
    snapshot_id: int | None = None
    snapshot_label: str = ""
    failed_mail: tuple[FailedMail, ...] = ()
    document: dict[str, Any] = field(default_factory=dict)  # unit.settings["document"]

    def department(self, code: str) -> str:
        return self.department_names.get(code, code)


def summary_sentence(report: Report | Progress, lang: str = "vi") -> str:
    """ "Hoàn thành 12/35 nhiệm vụ, đạt 34,2%. Trong đó: đúng hạn 10, quá hạn 2; …"."""
    progress = report.progress if isinstance(report, Report) else report
    return _progress_sentence(progress, lang)


# --------------------------------------------------------------------------- building


def _settings(unit: Unit) -> dict[str, Any]:
    return dict(unit.settings or {})


def report_precision(unit: Unit) -> int:
    """Decimals of the rate: the unit setting `percent_precision` (1 by default)."""
    value = _settings(unit).get("percent_precision", 1)
    return int(value) if str(value).isdigit() else 1


def report_rounding(unit: Unit) -> str:
    """How the rate is rounded: the unit setting `percent_rounding` (half-up by default)."""
    value = _settings(unit).get("percent_rounding", HALF_UP)
    return value if value in ROUNDINGS else HALF_UP


def resolve_period(unit: Unit, text: str | None) -> Period | None:
    """`--period` read by the unit's `period_mode` (cutoff by default, or calendar)."""
    if not text:
        return None
    return parse_period(text, str(_settings(unit).get("period_mode", CUTOFF)), clock.today().year)


def build_report(
    session: Session,
    unit: Unit,
    *,
    as_of: date | None = None,
    period: Period | str | None = None,
    by: str | None = None,
    year: int | None = None,
) -> Report:
    """The unit's plan as of `as_of` (today by default; the period's end with a period)."""
    from planflow.services.common import current_plan, plan_calendar
    from planflow.services.replaying import needs_replay

    if isinstance(period, str):
        period = resolve_period(unit, period)
    if by is not None and by not in GROUPINGS:
        raise UsageError(
            f"--by: '{by}' không hợp lệ (section hoặc dept)",
            f"--by: invalid '{by}' (section or dept)",
        )
    today = clock.today()
    if period is not None:
        as_of = min(period.end, today)  # a period still running counts up to today
    as_of = as_of or today
    plan = current_plan(session, unit, year or (period.year if period else None))
    assert unit.id is not None
    # Replay when the day is past, or when the log already holds later events (the global
    # --as-of and PLANFLOW_TODAY move "today" itself back).
    past = as_of < today or needs_replay(session, unit.id, as_of)
    tasks, names = _task_snapshots(session, unit, plan, as_of, replay_events=past)
    progress = compute(
        tasks,
        as_of,
        plan_calendar(unit, plan.year, plan.until),
        report_precision(unit),
        department_names=names,
        period_start=period.start if period else None,
        rounding=report_rounding(unit),
    )
    return Report(
        unit_code=unit.code,
        unit_name=unit.name,
        plan_year=plan.year,
        plan_title=plan.title,
        as_of=as_of,
        progress=progress,
        period=period,
        by=by or "section",
        department_names=names,
        basis="events" if past else "state",
        failed_mail=failed_mail(session, unit, as_of),
        document=dict(_settings(unit).get("document") or {}),
    )


def shorten(text: str, limit: int = ERROR_CHARS) -> str:
    """One line of at most `limit` characters, "…" marking a cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def failed_mail(session: Session, unit: Unit, as_of: date) -> tuple[FailedMail, ...]:
    """The unit's reminders of `as_of` or before that have not been delivered: status failed,
    or still queued/sending after FAILED_AFTER attempts, or sent while the server refused
    some of its recipients (those are named in last_error). One query, oldest day first."""
    from sqlalchemy import and_, or_

    from planflow.models import Outbox
    from planflow.notifications.outbox import FAILED, QUEUED, SENDING, partly_refused

    rows = session.exec(
        select(Outbox)
        .where(
            Outbox.unit_id == unit.id,
            col(Outbox.day) <= as_of,
            or_(
                col(Outbox.status) == FAILED,
                and_(
                    col(Outbox.status).in_([QUEUED, SENDING]),
                    col(Outbox.attempts) >= FAILED_AFTER,
                ),
                partly_refused(),
            ),
        )
        .order_by(col(Outbox.day), col(Outbox.id))
    ).all()
    return tuple(
        FailedMail(
            id=r.id or 0,
            recipient=r.recipient,
            subject=r.subject,
            attempts=r.attempts,
            last_error=shorten(r.last_error or ""),
            day=r.day,
            status=r.status,
        )
        for r in rows
    )


def _task_snapshots(
    session: Session, unit: Unit, plan: Plan, as_of: date, *, replay_events: bool
) -> tuple[list[TaskSnapshot], dict[str, str]]:
    """The plan's tasks as plain data as of `as_of`: five queries, whatever the plan's size."""
    tasks = session.exec(
        select(Task).where(Task.plan_id == plan.id).order_by(col(Task.position), col(Task.id))
    ).all()
    task_ids = select(Task.id).where(Task.plan_id == plan.id)
    items = session.exec(
        select(Item).where(col(Item.task_id).in_(task_ids)).order_by(col(Item.id))
    ).all()
    sections = session.exec(
        select(Section).where(Section.plan_id == plan.id, col(Section.parent_id).is_(None))
    ).all()
    departments = session.exec(select(Department).where(Department.unit_id == unit.id)).all()
    names = {d.code: d.name for d in departments}
    titles = {s.code: s.title for s in sections}
    order = {s.code: s.position for s in sections}

    by_task: dict[int, list[Item]] = {}
    for item in items:
        by_task.setdefault(item.task_id, []).append(item)

    replayed = None
    created: set[int] = set()
    if replay_events:
        from planflow.engine.history import replay

        events = session.exec(
            select(Event).where(col(Event.task_id).in_(task_ids)).order_by(col(Event.id))
        ).all()
        created = {e.task_id for e in events if e.action == "created" and e.task_id is not None}
        replayed = replay(events, as_of)
        cancels = [e for e in events if e.action == "cancel" and e.on <= as_of]
    else:
        cancels = list(
            session.exec(
                select(Event)
                .where(col(Event.task_id).in_(task_ids), Event.action == "cancel")
                .order_by(col(Event.id))
            ).all()
        )
    # The reason the chairman gave: the note of the task's last cancellation (by that day).
    reasons = {e.task_id: e.note for e in cancels}

    out: list[TaskSnapshot] = []
    for task in sorted(tasks, key=lambda t: (order.get(t.section, 999), t.position, t.id or 0)):
        assert task.id is not None
        if replayed is None:
            cancelled = task.status == Status.CANCELLED
            archived = task.archived_at is not None
            states = [
                ItemSnapshot(i.period, i.department, i.status, i.due_on, i.completed_on, i.evidence)
                for i in by_task.get(task.id, [])
            ]
        else:
            at = replayed.tasks.get(task.id)
            if task.id in created and (at is None or not at.exists):
                continue  # the task did not exist yet on that day
            cancelled = bool(at and at.cancelled)
            archived = bool(at and at.archived)
            states = []
            for i in by_task.get(task.id, []):
                assert i.id is not None
                past = replayed.item(i.id)
                states.append(
                    ItemSnapshot(
                        i.period, i.department, past.status.value, i.due_on,
                        past.completed_on, past.evidence,
                    )
                )  # fmt: skip
        out.append(
            TaskSnapshot(
                code=task.code,
                text=task.text,
                section=task.section,
                section_title=titles.get(task.section, ""),
                leads=tuple(task.leads or ()),
                source=task.source,
                cancelled=cancelled,
                cancel_reason=reasons.get(task.id, "") if cancelled else "",
                archived=archived,
                deadline_text=task.deadline_text,
                due=task.due_on,
                items=tuple(states),
                output=task.output,
                status=task.status,
                completed_on=task.completed_on if replayed is None else None,
                evidence=task.evidence if replayed is None else "",
            )
        )
    return out, names


# --------------------------------------------------------------------------- JSON form


def _figures(f: Any, precision: int, lang: str = "vi") -> dict[str, Any]:
    return {
        "total": f.total,
        "done": f.done,
        "percent": float(f.percent),
        "percent_text": format_percent(f.percent, precision, lang),
        "on_time": f.on_time,
        "late": f.late,
        "in_progress": f.in_progress,
        "not_started": f.not_started,
        "overdue": f.overdue,
        "due_soon": f.due_soon,
        "done_in_period": f.done_in_period,
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def report_to_dict(report: Report, lang: str = "vi") -> dict[str, Any]:
    """Every figure of the report, machine-readable (`--format json`, snapshots)."""
    p = report.progress
    period = report.period
    data: dict[str, Any] = {
        "unit": {"code": report.unit_code, "name": report.unit_name},
        "plan": {"year": report.plan_year, "title": report.plan_title},
        "as_of": report.as_of.isoformat(),
        "period": (
            {
                "key": period.key,
                "label": period.label(lang),
                "start": _day(period.start),
                "end": _day(period.end),
                "mode": period.mode,
            }
            if period
            else None
        ),  # fmt: skip
        "precision": p.precision,
        "basis": report.basis,
        **_figures(p.figures, p.precision, lang),
        "summary": summary_sentence(report, lang),
        "by_section": [
            {"key": g.key, "title": g.title, **_figures(g.figures, p.precision, lang)}
            for g in p.by_section
        ],
        "by_department": [
            {"key": g.key, "name": g.title, **_figures(g.figures, p.precision, lang)}
            for g in p.by_department
        ],
        "ad_hoc": _figures(p.ad_hoc, p.precision, lang),
        "cancelled": [
            {"code": r.code, "text": r.text, "reason": r.cancel_reason} for r in p.cancelled
        ],
        "overdue_items": [_entry(e) for e in p.overdue],
        "due_soon_items": [_entry(e) for e in p.due_soon],
        "tasks": [
            {
                "code": r.code,
                "text": r.text,
                "section": r.section,
                "leads": list(r.leads),
                "source": r.source,
                "deadline": r.deadline_text,
                "due": _day(r.due),
                "state": r.state,
                "completed_on": _day(r.completed_on),
                "on_time": r.on_time,
                "overdue_days": r.overdue_days,
                "overdue_working_days": r.overdue_working_days,
                "evidence": r.evidence,
                "occurrences": list(r.occurrences) if r.occurrences else None,
                "parts": list(r.parts) if r.parts else None,
            }
            for r in p.rows
        ],
    }
    data["failed_mail"] = [
        {"id": m.id, "recipient": m.recipient, "subject": m.subject, "attempts": m.attempts,
         "last_error": m.last_error, "day": m.day.isoformat(), "status": m.status}
        for m in report.failed_mail
    ]  # fmt: skip
    if report.snapshot_id is not None:
        data["snapshot"] = {"id": report.snapshot_id, "label": report.snapshot_label}
    return data


def _entry(e: Any) -> dict[str, Any]:
    return {
        "code": e.code,
        "text": e.text,
        "period": e.period,
        "department": e.department,
        "leads": list(e.leads),
        "due": _day(e.due),
        "days": e.days,
        "working_days": e.working_days,
        "source": e.source,
    }


# --------------------------------------------------------------------------- snapshots


def _input_to_dict(report: Report, tasks: list[TaskSnapshot]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return {
        "unit": {"code": report.unit_code, "name": report.unit_name},
        "plan": {"year": report.plan_year, "title": report.plan_title},
        "precision": report.progress.precision,
        "rounding": report.progress.rounding,
        "department_names": report.department_names,
        "tasks": [plain(asdict(t)) for t in tasks],
    }


def _task_from_dict(data: dict[str, Any]) -> TaskSnapshot:
    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    items = tuple(
        ItemSnapshot(
            i["period"], i["department"], i["status"], day(i["due"]), day(i["completed_on"]),
            i["evidence"],
        )
        for i in data.get("items", [])
    )  # fmt: skip
    fields = {k: v for k, v in data.items() if k != "items"}
    fields["leads"] = tuple(fields.get("leads", ()))
    fields["due"] = day(fields.get("due"))
    fields["completed_on"] = day(fields.get("completed_on"))
    return TaskSnapshot(**fields, items=items)


def take_snapshot(session: Session, unit: Unit, label: str = "") -> Snapshot:
    """Freeze the report as of now: figures and input, never changed afterwards."""
    from planflow.services.common import current_plan
    from planflow.services.replaying import needs_replay

    today = clock.today()
    plan = current_plan(session, unit)
    assert unit.id is not None
    past = needs_replay(session, unit.id, today)  # taken --as-of a day before later events
    tasks, _names = _task_snapshots(session, unit, plan, today, replay_events=past)
    report = build_report(session, unit, as_of=today)
    snapshot = Snapshot(
        unit_id=unit.id or 0,
        plan_id=plan.id,
        taken_at=clock.now(),
        as_of=today,
        label=label,
        data={
            "format": SNAPSHOT_FORMAT,
            "figures": report_to_dict(report),
            "input": _input_to_dict(report, tasks),
        },
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def list_snapshots(session: Session, unit: Unit) -> list[Snapshot]:
    return list(
        session.exec(
            select(Snapshot).where(Snapshot.unit_id == unit.id).order_by(col(Snapshot.id))
        ).all()
    )


def get_snapshot(session: Session, unit: Unit, ref: int | str) -> Snapshot:
    snapshot = None
    if (number := parse_id(str(ref))) is not None:
        snapshot = session.get(Snapshot, number)
    if snapshot is None or snapshot.unit_id != unit.id:
        raise NotFound(
            f"không có bản chụp '{ref}' (xem `planflow snapshot list`)",
            f"no snapshot '{ref}' (see `planflow snapshot list`)",
        )
    return snapshot


def snapshot_report(snapshot: Snapshot) -> Report:
    """The stored report again, computed from the snapshot's frozen input."""
    from planflow.calendars import national_calendar

    data = snapshot.data or {}
    source = data.get("input", {})
    tasks = [_task_from_dict(t) for t in source.get("tasks", [])]
    names = dict(source.get("department_names", {}))
    year = int(source.get("plan", {}).get("year", snapshot.as_of.year))
    progress = compute(
        tasks,
        snapshot.as_of,
        national_calendar((year - 1, year, year + 1)),
        int(source.get("precision", 1)),
        department_names=names,
        # snapshots taken before rounding was a setting were truncated
        rounding=source.get("rounding", TRUNCATE),
    )
    return Report(
        unit_code=source.get("unit", {}).get("code", ""),
        unit_name=source.get("unit", {}).get("name", ""),
        plan_year=year,
        plan_title=source.get("plan", {}).get("title", ""),
        as_of=snapshot.as_of,
        progress=progress,
        department_names=names,
        basis="snapshot",
        snapshot_id=snapshot.id,
        snapshot_label=snapshot.label,
    )


@dataclass(frozen=True)
class DepartmentChange:
    code: str
    name: str
    completed: int  # change in done tasks
    new_overdue: int

    def text(self, lang: str = "vi") -> str:
        if lang == "en":
            return f"{self.name}: {self.completed:+d} done, {self.new_overdue} newly overdue"
        return f"{self.name}: {self.completed:+d} hoàn thành, {self.new_overdue} quá hạn mới"


@dataclass(frozen=True)
class SnapshotDiff:
    a: int | None
    b: int | None
    a_as_of: str
    b_as_of: str
    done_before: int
    done_after: int
    percent_before: str
    percent_after: str
    completed: list[dict[str, Any]]  # tasks done in b and not in a
    reopened: list[dict[str, Any]]  # tasks done in a and no longer in b
    new_overdue: list[dict[str, Any]]  # tasks overdue in b and not in a
    departments: list[DepartmentChange]

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        data = asdict(self)
        data["departments"] = [{**asdict(d), "text": d.text(lang)} for d in self.departments]
        return data


def diff_snapshots(a: Snapshot | dict[str, Any], b: Snapshot | dict[str, Any]) -> SnapshotDiff:
    """What changed from snapshot `a` to `b`: completed tasks, new overdue tasks, and
    each department's change ("Phòng Kinh tế: +3 hoàn thành, 1 quá hạn mới")."""

    def figures(s: Snapshot | dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
        if isinstance(s, dict):
            return None, s
        return s.id, (s.data or {}).get("figures", {})

    a_id, fa = figures(a)
    b_id, fb = figures(b)
    ta = {t["code"]: t for t in fa.get("tasks", [])}
    tb = {t["code"]: t for t in fb.get("tasks", [])}

    def overdue(t: dict[str, Any] | None) -> bool:
        return bool(t) and t["state"] not in ("done", "cancelled") and bool(t["overdue_days"])  # type: ignore[index]

    def done(t: dict[str, Any] | None) -> bool:
        return bool(t) and t["state"] == "done"  # type: ignore[index]

    completed = [t for code, t in tb.items() if done(t) and not done(ta.get(code))]
    reopened = [t for code, t in ta.items() if done(t) and not done(tb.get(code))]
    new_overdue = [t for code, t in tb.items() if overdue(t) and not overdue(ta.get(code))]

    depts_a = {d["key"]: d for d in fa.get("by_department", [])}
    changes: list[DepartmentChange] = []
    for d in fb.get("by_department", []):
        before = depts_a.get(d["key"], {})
        new = sum(1 for t in new_overdue if d["key"] in t["leads"])
        delta = d["done"] - before.get("done", 0)
        if delta or new:
            changes.append(DepartmentChange(d["key"], d["name"] or d["key"], delta, new))
    return SnapshotDiff(
        a=a_id,
        b=b_id,
        a_as_of=fa.get("as_of", ""),
        b_as_of=fb.get("as_of", ""),
        done_before=fa.get("done", 0),
        done_after=fb.get("done", 0),
        percent_before=fa.get("percent_text", ""),
        percent_after=fb.get("percent_text", ""),
        completed=[{"code": t["code"], "text": t["text"]} for t in completed],
        reopened=[{"code": t["code"], "text": t["text"]} for t in reopened],
        new_overdue=[
            {
                "code": t["code"],
                "text": t["text"],
                "days": t["overdue_working_days"],  # every snapshot has stored it
                "leads": t["leads"],
            }
            for t in new_overdue
        ],
        departments=changes,
    )


__all__ = [
    "Report",
    "build_report",
    "diff_snapshots",
    "get_snapshot",
    "list_snapshots",
    "report_to_dict",
    "snapshot_report",
    "summary_sentence",
    "take_snapshot",
]
