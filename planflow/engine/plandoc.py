"""The plan as the commune writes it: the appendix table plus the unit's departments.

Every importer (plan file, Word, Excel, PDF, CSV) produces a `PlanDoc`; the plan file is its
YAML form. Lead, partners and deadline stay as written; resolving them to departments and
dates happens later (names.py, deadlines.py), so a plan file reads like the appendix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


@dataclass
class HeadDoc:
    name: str
    email: str = ""
    user: str = ""


@dataclass
class DepartmentDoc:
    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    head: HeadDoc | None = None


@dataclass
class GroupDoc:
    """A name in the appendix that stands for several departments ("Các phòng chuyên môn xã")."""

    name: str
    members: list[str]
    aliases: list[str] = field(default_factory=list)


@dataclass
class PartnerDoc:
    """A partner without e-mail (villages "các thôn", schools "các ĐVSN"): kept by name."""

    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class UnitDoc:
    code: str
    name: str
    departments: list[DepartmentDoc] = field(default_factory=list)
    groups: list[GroupDoc] = field(default_factory=list)
    partners: list[PartnerDoc] = field(default_factory=list)
    coordinator: str = ""  # department code of the coordinator (usually VHXH)
    days_off: list[date] = field(default_factory=list)  # the unit's extra days off
    working_days: list[date] = field(default_factory=list)  # make-up working days
    percent_precision: int | None = None  # decimals of "đạt Z%" (1 when not set)
    percent_rounding: str = ""  # "half_up" (when not set) or "truncate"
    # the Word report's letterhead and signature (planfile.DOCUMENT_KEYS); text, recipients a list
    document: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass
class ActivityDoc:
    """A step of a task. Output/lead/partners/deadline/budget are set only when the activity
    stands on its own line of the appendix with its own cells."""

    code: str
    text: str
    output: str = ""
    lead: str = ""
    partners: str = ""
    deadline: str = ""
    budget: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass
class TaskDoc:
    code: str  # as numbered in the appendix, e.g. "2.1"
    text: str
    activities: list[ActivityDoc] = field(default_factory=list)
    output: str = ""
    lead: str = ""
    partners: str = ""
    deadline: str = ""
    budget: str = ""
    row: int | None = field(default=None, compare=False)  # source row, for messages
    status: str = ""  # the table's own status cell ("Đã hoàn thành"), as written
    result: str = ""  # its "Kết quả thực hiện" cell: what was reported, not the output
    extras: dict[str, str] = field(default_factory=dict, compare=False)  # other columns


@dataclass
class ObjectiveDoc:
    """A "Mục tiêu/Chỉ tiêu" cell. An objective line with no task keeps its cells here and is
    not counted as a task (the commune counts tasks)."""

    tt: str
    code: str
    text: str
    tasks: list[TaskDoc] = field(default_factory=list)
    output: str = ""
    lead: str = ""
    partners: str = ""
    deadline: str = ""
    budget: str = ""


@dataclass
class SectionDoc:
    code: str  # "I" … "VII"; a subsection's own number ("1", "2")
    title: str
    objectives: list[ObjectiveDoc] = field(default_factory=list)
    subsections: list[SectionDoc] = field(default_factory=list)


@dataclass
class PlanDoc:
    year: int
    title: str = ""
    source: str = ""
    unit: UnitDoc | None = None
    sections: list[SectionDoc] = field(default_factory=list)
    starts: date | None = None  # occurrences ending before this date are not owed
    until: int | None = None  # last year of a plan over several years ("2026 - 2030")
    agency: str = ""  # who issued it, from the title block ("UBND xã Kỳ Lạc")
    recurrence: str = "quarterly"
    require_evidence: bool = True


@dataclass(frozen=True)
class TaskRef:
    """A task with its place in the plan; `code` is the stable task code (e.g. "VII.2.2.1")."""

    code: str
    section: str  # section code "I" … "VII"
    subsection: str  # "" or the subsection number
    objective: ObjectiveDoc
    task: TaskDoc


def task_code(section: str, subsection: str, task: str) -> str:
    """Section + [subsection +] task number: "III.2.7", "VII.2.2.1"."""
    return ".".join(part for part in (section, subsection, task) if part)


def iter_tasks(plan: PlanDoc) -> Iterator[TaskRef]:
    for section in plan.sections:
        yield from _section_tasks(section.code, "", section)
        for sub in section.subsections:
            yield from _section_tasks(section.code, sub.code, sub)


def _section_tasks(section: str, subsection: str, node: SectionDoc) -> Iterator[TaskRef]:
    for objective in node.objectives:
        for task in objective.tasks:
            yield TaskRef(
                task_code(section, subsection, task.code), section, subsection, objective, task
            )


# The plan years planflow reasons about: the administrative-reform plans exist since the
# 2000s, and a year outside this is a typo (99999, 0, 225) that would build dates Python
# cannot hold or a calendar with no holidays.
MIN_YEAR, MAX_YEAR = 2000, 2100


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR
