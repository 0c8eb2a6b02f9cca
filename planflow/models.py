"""Database tables (SQLModel on SQLAlchemy 2). Portable SQL only: SQLite and PostgreSQL.

Timestamps are aware UTC datetimes; calendar days (`on`, `due_on`, `completed_on`) are
Vietnamese days.
The task status is stored for fast listing, but the event table is the record: every change
writes an Event in the same transaction, and replaying events rebuilds any past state.
Overdue is never stored (see engine.progress).
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

# The WHERE clauses of the partial indexes. The models declare them for SQLite only;
# attach_postgresql_where() adds the PostgreSQL twins when a PostgreSQL engine is made
# (planflow.db), because merely declaring `postgresql_where` imports SQLAlchemy's whole
# PostgreSQL dialect package (~30 ms, all its drivers) into every SQLite `planflow done`.
LIVE = "archived_at IS NULL"
OPEN = "status IN ('not_started', 'in_progress')"
_PARTIAL = {"uq_task_plan_code_live": LIVE, "ix_item_open": OPEN}


def attach_postgresql_where() -> None:
    """Give the partial indexes their PostgreSQL WHERE clause (idempotent)."""
    for table in SQLModel.metadata.tables.values():
        for index in table.indexes:
            where = _PARTIAL.get(index.name or "")
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = text(where)


class _Table(SQLModel):
    """Base of every table. Pydantic builds a table's validator and serializer on first use
    rather than when the class is declared: table models are not validated when built, and
    `planflow done` never needs one (~10 ms of its start-up for twelve tables)."""

    model_config = SQLModelConfig(defer_build=True)


def _json(default: Any = None) -> Any:
    return Field(
        default_factory=lambda: default() if callable(default) else default,
        sa_column=Column(JSON, nullable=True),
    )


class Unit(_Table, table=True):
    """A commune's people's committee (UBND xã): owns departments, people and plans."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str
    province: str = ""
    coordinator: str = ""  # department code of the coordinator (usually VHXH)
    # groups, named partners, calendar days off / make-up days, reminder policy overrides
    directory: dict[str, Any] | None = _json(dict)
    settings: dict[str, Any] | None = _json(dict)
    created_at: datetime


class Department(_Table, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    code: str = Field(max_length=32)
    name: str
    aliases: list[str] | None = _json(list)


class Person(_Table, table=True):
    """Someone who acts or is reminded; a department's head is its Person with role head."""

    __table_args__ = (UniqueConstraint("unit_id", "os_user"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str
    email: str = ""
    os_user: str | None = Field(default=None, max_length=64)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    role: str = Field(max_length=16)  # engine.types.Role
    active: bool = True


class Plan(_Table, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    year: int
    title: str = ""
    source: str = ""  # the source document ("Kế hoạch số …/KH-UBND")
    revision: int = 1  # +1 on every re-import that changes something
    starts: date | None = None
    until: int | None = None  # last year of a plan over several years (2030 for 2026–2030)
    recurrence: str = "quarterly"
    require_evidence: bool = True
    imported_at: datetime


class Section(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="section.id")
    code: str = Field(max_length=16)  # "I" … "VII"; a subsection's "1", "2"
    path: str = Field(max_length=32)  # "VII" or "VII.2": the prefix of its task codes
    title: str
    position: int = 0


class Objective(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    tt: str = ""
    code: str = ""
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    cells: dict[str, Any] | None = _json(dict)  # an objective line with no task keeps its cells
    position: int = 0


class Task(_Table, table=True):
    """One task of the appendix (or one the province assigned ad hoc): the unit counted in
    "X/Y nhiệm vụ". `id` is the short numeric id shown in listings."""

    __table_args__ = (
        # Codes are unique among the plan's live tasks; an archived task keeps its old code.
        Index(
            "uq_task_plan_code_live",
            "plan_id",
            "code",
            unique=True,
            sqlite_where=text(LIVE),
        ),
        Index("ix_task_open_due", "unit_id", "status", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    section_id: int | None = Field(default=None, foreign_key="section.id")
    objective_id: int | None = Field(default=None, foreign_key="objective.id")
    code: str = Field(max_length=32)  # "III.2.7", "VII.2.2.1", "PA.3" for ad-hoc
    section: str = Field(default="", max_length=16)  # section code, for grouping
    number: str = Field(default="", max_length=16)  # as numbered in the appendix
    text: str = Field(sa_column=Column(Text, nullable=False))
    activities: list[dict[str, Any]] | None = _json(list)
    extras: dict[str, str] | None = _json(dict)  # other columns of the appendix, as printed
    output: str = Field(default="", sa_column=Column(Text, nullable=False))
    lead_text: str = ""  # as written
    partners_text: str = ""  # as written
    leads: list[str] | None = _json(list)  # department codes
    partners: list[str] | None = _json(list)  # department codes and named partners
    deadline_text: str = ""
    deadline_kind: str = ""
    start_on: date | None = None
    due_on: date | None = None  # effective due date (working-day rule applied)
    budget: str = ""
    status: str = Field(default="not_started", max_length=16)
    completed_on: date | None = None
    evidence: str = ""
    source: str = Field(default="appendix", max_length=16)
    source_document: str = ""
    position: int = 0
    archived_at: datetime | None = None
    created_at: datetime
    version: int = 1


class Item(_Table, table=True):
    """The smallest thing recorded done: a task itself, one occurrence (`period`) of a
    recurring task, one lead department's part of a shared task, or both."""

    __table_args__ = (
        UniqueConstraint("task_id", "period", "department"),
        Index("ix_item_open_due", "unit_id", "status", "due_on"),
        # The all-units sweep reads every open item from this index alone (migration 0003).
        Index(
            "ix_item_open",
            "task_id",
            "unit_id",
            "due_on",
            "period",
            "department",
            "status",
            sqlite_where=text(OPEN),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    period: str = Field(default="", max_length=8)  # "" or "Q3", "M07", "H2"
    department: str = Field(default="", max_length=32)  # "" or the lead department code
    start_on: date | None = None
    due_on: date | None = None  # effective due date
    status: str = Field(default="not_started", max_length=16)
    completed_on: date | None = None
    evidence: str = ""
    version: int = 1


class Event(_Table, table=True):
    """Append-only audit log. `on` is the day the change is true from (the real completion
    day given with --on); `at` is when it was recorded."""

    __table_args__ = (
        Index("ix_event_task", "task_id", "id"),
        Index("ix_event_item", "item_id"),  # re-import: was this item ever touched?
    )

    id: int | None = Field(default=None, primary_key=True)
    # None only for a refused `unit add`: the unit it asked for does not exist
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id")
    item_id: int | None = Field(default=None, foreign_key="item.id")
    at: datetime
    on: date
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    actor: str = ""  # name or OS user as known at the time
    # the operating system's login that ran the command, whoever it acted as ('' before 0006)
    os_user: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    action: str = Field(max_length=32)
    from_status: str | None = None
    to_status: str | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence: str = ""
    data: dict[str, Any] | None = _json(dict)


class Outbox(_Table, table=True):
    """A reminder rendered and queued before it is sent; the unique key makes a sweep run
    twice, late or after a crash queue nothing twice."""

    __table_args__ = (
        UniqueConstraint("recipient", "day", "kind"),
        Index("ix_outbox_due", "status", "next_try_at"),
        Index("ix_outbox_day", "day"),  # the sweep reads the keys already queued for its day
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    recipient: str  # the To: address
    # the To: display name (the head's name), '' when unknown; rows queued before 0002 have ''
    recipient_name: str = Field(default="", sa_column_kwargs={"server_default": ""})
    cc: list[str] | None = _json(list)
    day: date
    kind: str = Field(max_length=32)  # digest, escalation, unscheduled, snapshot
    subject: str
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    items: list[dict[str, Any]] | None = _json(list)
    attachments: list[dict[str, Any]] | None = _json(list)
    status: str = Field(default="queued", max_length=16)  # queued, sending, sent, failed
    attempts: int = 0
    next_try_at: datetime | None = None
    last_error: str = ""
    message_id: str = ""
    claimed_by: str = ""
    claimed_until: datetime | None = None
    created_at: datetime
    sent_at: datetime | None = None


class Snapshot(_Table, table=True):
    """A report frozen at a moment: immutable once written."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    taken_at: datetime
    as_of: date
    label: str = ""
    data: dict[str, Any] | None = _json(dict)


class Lease(_Table, table=True):
    """Named locks with expiry: one scheduler per database, one sweep per day."""

    name: str = Field(primary_key=True, max_length=128)
    holder: str = ""
    expires_at: datetime | None = None
    data: dict[str, Any] | None = _json(dict)


class Setting(_Table, table=True):
    """Installation-wide values: `admin`, the OS login that ran `planflow init`."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = ""
