"""Progress of a plan as of a day: "Hoàn thành X/Y nhiệm vụ, đạt Z%" and everything behind it.

Pure and stdlib-only: the report service hands in plain `TaskSnapshot`s (built from the stored
rows for today, or from the replayed event log for a past day) and gets `Progress` back.

Counting rules (what the communes' reports count):
- Y (`total`) counts the appendix's tasks, without cancelled and archived ones. Tasks the
  province assigned ad hoc are counted apart, with the same figures (`Progress.ad_hoc`).
- A task is done when every one of its items is done (each occurrence of a recurring task,
  each lead department's part of a shared task). It is done on time when every item was
  completed on or before that item's due date, late otherwise ("hoàn thành nhưng quá hạn").
- An open task is in progress when any item was started or done, else not started.
- Overdue is computed, never stored: an open item whose due date is before `as_of`. Days
  overdue are counted in calendar days and in working days.
- Due soon: an open item falling due within `DUE_SOON_DAYS` days from `as_of` (inclusive).
- By department: a shared task counts, for each lead department, that department's part.

Rounding of Z is a unit setting (`ROUNDINGS`): half-up by default (1/7 → 14,3%), or
truncation, at `precision` decimals, in exact integer arithmetic. Either way 100% is shown
only when every task is done and 0% only when none is: 1999/2000 is "99,9%", not "100%",
and 1/2000 truncated is "0,1%", not "0%". 30/35 → 85,7%; 16/38 → 42,1%; 30/32 at two
decimals → 93,75% (the seeds' figures, the same under both rules). Trailing zeros are
dropped as the reports write them ("100%", "50%"). A plan with no tasks has a rate of 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from planflow.engine.calendar import WorkCalendar
from planflow.engine.codes import code_key
from planflow.engine.items import aggregate_status, count_groups
from planflow.engine.types import Source, Status

DUE_SOON_DAYS = 7
HALF_UP, TRUNCATE = "half_up", "truncate"  # how "đạt Z%" is rounded (see the module doc)
ROUNDINGS = (HALF_UP, TRUNCATE)

DONE, IN_PROGRESS, NOT_STARTED, CANCELLED = (
    Status.DONE.value,
    Status.IN_PROGRESS.value,
    Status.NOT_STARTED.value,
    Status.CANCELLED.value,
)


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class ItemSnapshot:
    """One item as it stood on the report day."""

    period: str = ""
    department: str = ""
    status: str = NOT_STARTED
    due: date | None = None
    completed_on: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class TaskSnapshot:
    """One task as it stood on the report day; `items` empty means the task is its own item
    (then `status`, `completed_on` and `evidence` of the task are used)."""

    code: str
    text: str
    section: str = ""
    section_title: str = ""
    leads: tuple[str, ...] = ()
    source: str = Source.APPENDIX.value
    cancelled: bool = False
    archived: bool = False
    deadline_text: str = ""
    due: date | None = None
    items: tuple[ItemSnapshot, ...] = ()
    output: str = ""
    status: str = NOT_STARTED
    completed_on: date | None = None
    evidence: str = ""
    cancel_reason: str = ""


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Figures:
    """The counts the report states, for the whole plan or for one group."""

    total: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    due_soon: int = 0
    done_in_period: int = 0
    percent: Decimal = Decimal(0)

    @property
    def open(self) -> int:
        return self.total - self.done


@dataclass(frozen=True)
class Group:
    """Figures of one section or one lead department."""

    key: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class OverdueItem:
    """An open item past its due date (or, for `due_soon`, falling due shortly)."""

    code: str
    text: str
    period: str
    department: str
    leads: tuple[str, ...]
    due: date
    days: int  # calendar days past due (negative: days left)
    working_days: int
    source: str = Source.APPENDIX.value


@dataclass(frozen=True)
class TaskRow:
    """One task's line in the appendix table (Phụ lục 1B)."""

    code: str
    text: str
    section: str
    section_title: str
    leads: tuple[str, ...]
    source: str
    deadline_text: str
    due: date | None
    state: str  # done, in_progress, not_started, cancelled
    completed_on: date | None
    on_time: bool | None  # None while open
    overdue_days: int | None
    overdue_working_days: int | None
    evidence: str
    occurrences: tuple[int, int] | None  # (done, total) of a recurring task
    parts: tuple[int, int] | None  # (done, total) of a shared task
    output: str = ""
    cancel_reason: str = ""


@dataclass(frozen=True)
class Progress:
    as_of: date
    precision: int
    figures: Figures  # appendix tasks: the X/Y of the report
    ad_hoc: Figures  # province-assigned tasks, counted apart
    by_section: tuple[Group, ...]
    by_department: tuple[Group, ...]
    rows: tuple[TaskRow, ...]  # every task (appendix and ad hoc), cancelled included
    overdue: tuple[OverdueItem, ...]  # most overdue first
    due_soon: tuple[OverdueItem, ...]  # soonest first
    period_start: date | None = None
    rounding: str = HALF_UP

    @property
    def cancelled(self) -> tuple[TaskRow, ...]:
        return tuple(r for r in self.rows if r.state == CANCELLED)

    @property
    def percent_text(self) -> str:
        return format_percent(self.figures.percent, self.precision)


# --------------------------------------------------------------------------- rounding


def percent_of(done: int, total: int, precision: int = 1, rounding: str = HALF_UP) -> Decimal:
    """done/total as a percentage at `precision` decimals (see the module doc)."""
    if precision < 0:
        raise ValueError("precision must be >= 0")
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding must be one of {ROUNDINGS}")
    if total <= 0:
        return Decimal(0)
    scale = 10**precision
    exact = done * 100 * scale  # the rate in units of 10**-precision, times `total`
    units = (2 * exact + total) // (2 * total) if rounding == HALF_UP else exact // total
    if done < total:
        units = min(units, 100 * scale - 1)  # never "100%" while one is open
    if done > 0:
        units = max(units, 1)  # never "0%" once one is done
    return Decimal(units).scaleb(-precision)


def format_percent(value: Decimal | float | int, precision: int = 1, lang: str = "vi") -> str:
    """ "85,7%" (Vietnamese decimal comma) or "85.7%"; trailing zeros dropped ("100%").

    The value comes rounded by `percent_of`; a longer one is cut at `precision` decimals."""
    quantum = Decimal(1).scaleb(-precision)
    number = Decimal(str(value)).quantize(quantum, rounding="ROUND_FLOOR")
    text = f"{number:.{precision}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang != "en":
        text = text.replace(".", ",")
    return f"{text}%"


# --------------------------------------------------------------------------- computing


@dataclass
class _Tally:
    total: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    due_soon: int = 0
    done_in_period: int = 0

    def add(self, state: _State) -> None:
        self.total += 1
        if state.state == DONE:
            self.done += 1
            if state.on_time:
                self.on_time += 1
            else:
                self.late += 1
            if state.in_period:
                self.done_in_period += 1
        elif state.state == IN_PROGRESS:
            self.in_progress += 1
        else:
            self.not_started += 1
        if state.overdue:
            self.overdue += 1
        if state.due_soon:
            self.due_soon += 1

    def freeze(self, precision: int, rounding: str = HALF_UP) -> Figures:
        return Figures(
            total=self.total,
            done=self.done,
            on_time=self.on_time,
            late=self.late,
            in_progress=self.in_progress,
            not_started=self.not_started,
            overdue=self.overdue,
            due_soon=self.due_soon,
            done_in_period=self.done_in_period,
            percent=percent_of(self.done, self.total, precision, rounding),
        )


@dataclass
class _State:
    state: str
    on_time: bool | None
    completed_on: date | None
    overdue: list[ItemSnapshot] = field(default_factory=list)
    due_soon: bool = False
    in_period: bool = False


def _items_of(task: TaskSnapshot) -> tuple[ItemSnapshot, ...]:
    if task.items:
        return task.items
    return (
        ItemSnapshot(
            status=task.status, due=task.due, completed_on=task.completed_on, evidence=task.evidence
        ),
    )


def _status(item: ItemSnapshot) -> str:
    return str(getattr(item.status, "value", item.status))


def _state_of(items: Iterable[ItemSnapshot], as_of: date, since: date | None) -> _State:
    live = [i for i in items if _status(i) != CANCELLED]
    if not live:
        return _State(CANCELLED, None, None)
    open_items = [i for i in live if _status(i) != DONE]
    soon = as_of + timedelta(days=DUE_SOON_DAYS)
    if not open_items:
        days = [i.completed_on for i in live]
        completed = max(days) if all(days) else None  # type: ignore[type-var]
        on_time = all(
            i.due is None or i.completed_on is None or i.completed_on <= i.due for i in live
        )
        in_period = since is None or (completed is not None and completed >= since)
        return _State(DONE, on_time, completed, in_period=in_period)
    overdue = [i for i in open_items if i.due is not None and i.due < as_of]
    due_soon = any(i.due is not None and as_of <= i.due <= soon for i in open_items)
    state = aggregate_status(i.status for i in live).value
    return _State(state, None, None, overdue, due_soon)


def _evidence(items: tuple[ItemSnapshot, ...]) -> str:
    parts: list[str] = []
    for item in items:
        text = item.evidence.strip()
        if not text:
            continue
        label = " ".join(p for p in (item.period, item.department) if p)
        entry = f"{label}: {text}" if label and len(items) > 1 else text
        if entry not in parts:
            parts.append(entry)
    return "; ".join(parts)


def _department_parts(
    task: TaskSnapshot, items: tuple[ItemSnapshot, ...]
) -> dict[str, list[ItemSnapshot]]:
    """Each lead department's part: its own items when the task is shared, else the task."""
    shared = any(i.department for i in items)
    departments = list(dict.fromkeys(task.leads))
    if shared:
        departments += [
            i.department for i in items if i.department and i.department not in departments
        ]
    if not departments:
        departments = [""]
    parts: dict[str, list[ItemSnapshot]] = {}
    for dept in departments:
        own = [i for i in items if i.department == dept] if shared else []
        parts[dept] = own or list(items)
    return parts


def compute(
    tasks: Iterable[TaskSnapshot],
    as_of: date,
    calendar: WorkCalendar | None = None,
    precision: int = 1,
    *,
    department_names: Mapping[str, str] | None = None,
    period_start: date | None = None,
    rounding: str = HALF_UP,
) -> Progress:
    """The plan's progress as of `as_of` (see the module doc for what is counted).

    `calendar` counts working days overdue (Monday–Friday when not given); `period_start`
    makes `done_in_period` count the tasks completed from that day on."""
    calendar = calendar or WorkCalendar()
    names = department_names or {}
    main, adhoc = _Tally(), _Tally()
    sections: dict[str, tuple[str, _Tally]] = {}
    departments: dict[str, _Tally] = {}
    rows: list[TaskRow] = []
    overdue: list[OverdueItem] = []
    due_soon: list[OverdueItem] = []
    soon = as_of + timedelta(days=DUE_SOON_DAYS)

    for task in tasks:
        if task.archived:
            continue
        items = _items_of(task)
        state = (
            _State(CANCELLED, None, None)
            if task.cancelled
            else _state_of(items, as_of, period_start)
        )
        worst = max(state.overdue, key=lambda i: as_of - i.due, default=None)  # type: ignore[operator]
        rows.append(
            TaskRow(
                code=task.code,
                text=task.text,
                section=task.section,
                section_title=task.section_title,
                leads=tuple(task.leads),
                source=task.source,
                deadline_text=task.deadline_text,
                due=task.due,
                state=state.state,
                completed_on=state.completed_on,
                on_time=state.on_time,
                overdue_days=(as_of - worst.due).days if worst and worst.due else None,
                overdue_working_days=(
                    calendar.working_days_between(worst.due, as_of) if worst and worst.due else None
                ),
                evidence=_evidence(items),
                occurrences=count_groups(items, "period"),
                parts=count_groups(items, "department"),
                output=task.output,
                cancel_reason=task.cancel_reason,
            )
        )
        if state.state == CANCELLED:
            continue
        for item in items:
            if _status(item) in (DONE, CANCELLED) or item.due is None:
                continue
            entry = OverdueItem(
                code=task.code,
                text=task.text,
                period=item.period,
                department=item.department,
                leads=tuple(task.leads),
                due=item.due,
                days=(as_of - item.due).days,
                working_days=calendar.working_days_between(item.due, as_of),
                source=task.source,
            )
            if item.due < as_of:
                overdue.append(entry)
            elif item.due <= soon:
                due_soon.append(entry)
        if task.source == Source.AD_HOC.value:
            adhoc.add(state)
            continue
        main.add(state)
        sections.setdefault(task.section, (task.section_title, _Tally()))[1].add(state)
        for dept, part in _department_parts(task, items).items():
            departments.setdefault(dept, _Tally()).add(_state_of(part, as_of, period_start))

    overdue.sort(key=lambda e: (e.due, code_key(e.code), e.period, e.department))
    due_soon.sort(key=lambda e: (e.due, code_key(e.code), e.period, e.department))
    return Progress(
        as_of=as_of,
        precision=precision,
        rounding=rounding,
        figures=main.freeze(precision, rounding),
        ad_hoc=adhoc.freeze(precision, rounding),
        by_section=tuple(
            Group(key, title, tally.freeze(precision, rounding))
            for key, (title, tally) in sections.items()
        ),
        by_department=tuple(
            Group(key, names.get(key, key), tally.freeze(precision, rounding))
            for key, tally in departments.items()
        ),
        rows=tuple(rows),
        overdue=tuple(overdue),
        due_soon=tuple(due_soon),
        period_start=period_start,
    )


# --------------------------------------------------------------------------- sentences


def summary_sentence(progress: Progress, lang: str = "vi") -> str:
    """The report's sentence, in the seeds' form:
    "Hoàn thành 30/35 nhiệm vụ, đạt 85,7%. Trong đó: đúng hạn 28, quá hạn 2; …"."""
    f = progress.figures
    if f.total == 0 and not progress.ad_hoc.total:
        # Nothing counted (a period before the plan, an empty plan): say so, not "0/0, 0%".
        return (
            "No task is counted on this day or in this period."
            if lang == "en"
            else "Chưa có nhiệm vụ nào được tính vào ngày hoặc kỳ này."
        )
    pct = format_percent(f.percent, progress.precision, lang)
    if lang == "en":
        text = (
            f"Completed {f.done}/{f.total} tasks ({pct}). Of these: on time {f.on_time}, "
            f"late {f.late}; in progress {f.in_progress}, not started {f.not_started}; "
            f"overdue and not done {f.overdue}."
        )
        if progress.ad_hoc.total:
            a = progress.ad_hoc
            text += (
                f" Tasks assigned by the province: {a.total}, completed {a.done} "
                f"(on time {a.on_time}, completed late {a.late})."
            )
        return text
    text = (
        f"Hoàn thành {f.done}/{f.total} nhiệm vụ, đạt {pct}. Trong đó: đúng hạn {f.on_time}, "
        f"quá hạn {f.late}; đang thực hiện {f.in_progress}, chưa thực hiện {f.not_started}; "
        f"quá hạn chưa hoàn thành {f.overdue}."
    )
    if progress.ad_hoc.total:
        a = progress.ad_hoc
        text += (
            f" Nhiệm vụ UBND tỉnh giao: {a.total}, đã hoàn thành {a.done}. Trong đó: đúng hạn: "
            f"{a.on_time} nhiệm vụ; hoàn thành nhưng quá hạn: {a.late} nhiệm vụ."
        )
    return text
