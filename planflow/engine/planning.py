"""From an appendix row to the task planflow tracks: departments resolved, deadline read,
and the items that will be recorded done (occurrences × shared parts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from planflow.engine.calendar import WorkCalendar
from planflow.engine.deadlines import parse_deadline
from planflow.engine.names import Directory, Resolution
from planflow.engine.plandoc import PlanDoc, TaskRef, iter_tasks
from planflow.engine.types import Deadline, Recurrence


@dataclass(frozen=True)
class ItemPlan:
    period: str  # "" or the occurrence key ("Q3")
    department: str  # "" or the lead department of a shared task
    start: date | None
    due: date | None  # effective due date


@dataclass
class TaskPlan:
    """Everything the database keeps for one task, computed without the database."""

    code: str
    section: str
    subsection: str
    number: str
    text: str
    activities: list[dict[str, Any]]
    output: str
    lead_text: str
    partners_text: str
    leads: list[str]
    partners: list[str]
    deadline: Deadline
    start: date | None
    due: date | None
    budget: str
    items: list[ItemPlan] = field(default_factory=list)
    unknown_leads: list[str] = field(default_factory=list)
    row: int | None = None
    ref: TaskRef | None = None
    # Deadline phrases that could not be read, kept as written: (where, source row, phrase);
    # `where` is the task code, or the task code and activity number for an activity's own.
    flagged: list[tuple[str, int | None, str]] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """The fields a re-import compares, by their column names."""
        return {
            "text": self.text,
            "section": self.section,
            "number": self.number,
            "activities": self.activities,
            "output": self.output,
            "lead_text": self.lead_text,
            "partners_text": self.partners_text,
            "leads": self.leads,
            "partners": self.partners,
            "deadline_text": self.deadline.text,
            "deadline_kind": self.deadline.kind.value,
            "start_on": self.start,
            "due_on": self.due,
            "budget": self.budget,
        }


def build_items(deadline: Deadline, leads: list[str], calendar: WorkCalendar) -> list[ItemPlan]:
    """One item per occurrence (recurring) × lead department (when several lead)."""
    if deadline.occurrences:
        periods = [(o.period, o.start, calendar.effective_due(o.due)) for o in deadline.occurrences]
    else:
        periods = [("", deadline.start, calendar.effective_due(deadline.due))]
    departments = leads if len(leads) > 1 else [""]
    return [ItemPlan(p, d, start, due) for p, start, due in periods for d in departments]


def leads_and_partners(lead: Resolution, partners: Resolution) -> tuple[list[str], list[str]]:
    """A row's lead departments and its partners (codes, then names as written).

    A department the lead cell names only through a group ("Các phòng chuyên môn xã") and the
    partner cell names on its own ("Văn phòng HĐND-UBND xã") is a partner on that row, not
    also a lead: the row said so explicitly. A department named as lead by itself stays lead.
    """
    explicit_partners = {d for d in partners.departments if d not in partners.grouped}
    leads = [d for d in lead.departments if not (d in lead.grouped and d in explicit_partners)]
    partner_list = [d for d in partners.departments if d not in leads]
    return leads, partner_list + partners.named + partners.unknown + lead.named


def plan_task(
    ref: TaskRef,
    directory: Directory,
    calendar: WorkCalendar,
    *,
    year: int,
    recurrence: str = "quarterly",
    starts: date | None = None,
    until: int | None = None,
) -> TaskPlan:
    task = ref.task
    lead = directory.resolve(task.lead)
    partners = directory.resolve(task.partners)
    leads, partner_names = leads_and_partners(lead, partners)
    # `until`: in a plan over several years "Hằng năm" is one occurrence a year.
    deadline = parse_deadline(task.deadline, year, Recurrence(recurrence), starts, until)
    activities = [
        {k: v for k, v in asdict(a).items() if v not in ("", None) and k != "row"}
        for a in task.activities
    ]
    flagged = [(ref.code, task.row, task.deadline)] if deadline.flagged else []
    for a in task.activities:  # an activity on its own line may carry its own deadline
        if a.deadline and parse_deadline(a.deadline, year, Recurrence(recurrence)).flagged:
            where = f"{ref.code} ({a.code})" if a.code else ref.code
            flagged.append((where, a.row or task.row, a.deadline))
    return TaskPlan(
        code=ref.code,
        section=ref.section,
        subsection=ref.subsection,
        number=task.code,
        text=task.text,
        activities=activities,
        output=task.output,
        lead_text=task.lead,
        partners_text=task.partners,
        leads=leads,
        partners=partner_names,
        deadline=deadline,
        start=deadline.start,
        due=calendar.effective_due(deadline.due),
        budget=task.budget,
        items=build_items(deadline, leads, calendar),
        unknown_leads=list(lead.unknown),
        row=task.row,
        ref=ref,
        flagged=flagged,
    )


def plan_tasks(doc: PlanDoc, directory: Directory, calendar: WorkCalendar) -> list[TaskPlan]:
    return [
        plan_task(
            ref,
            directory,
            calendar,
            year=doc.year,
            recurrence=doc.recurrence,
            starts=doc.starts,
            until=doc.until,
        )
        for ref in iter_tasks(doc)
    ]


def unknown_leads(plans: Iterable[TaskPlan]) -> dict[str, list[str]]:
    """Each unknown lead name with the tasks (and rows) that use it."""
    found: dict[str, list[str]] = {}
    for plan in plans:
        for name in plan.unknown_leads:
            where = plan.code + (f" (dòng {plan.row})" if plan.row else "")
            found.setdefault(name, []).append(where)
    return found
