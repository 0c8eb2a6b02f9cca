"""Render e-mails from templates: ONE Jinja2 environment, strict and autoescaped.

`StrictUndefined` turns a misspelt variable into an error instead of an empty string, and
HTML autoescape makes a task text such as "<b>" or a name with "\\r\\nBcc:" plain text in the
body. Each template's context is one of the dataclasses below; the fields are the contract
(datasette documents its template contexts the same way). Templates are named
`<kind>.<lang>.<part>` with part `subject.txt`, `txt` or `html`, in `templates/`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from planflow.engine.reminders import Message, Reminder, reason_text

TEMPLATES = Path(__file__).parent / "templates"
LANGS = ("vi", "en")


@dataclass(frozen=True)
class Line:
    """One item in a message, already formatted for people.

    code, text: the task ("III.2.7", "Rà soát thủ tục hành chính …"); period: "Q3", "M08" or "";
    department: code answering for it; department_name: its name (every lead's, joined with
    ", ", for a task several departments lead together); due: "dd/mm/yyyy" or "";
    reason: why it is listed today, in the message's language; days_overdue: working days;
    deadline_text: the deadline as written in the plan ("Quý III/2025"); role: the
    recipient's part in a digest, "lead", "partner" or "coordinate" (its section; rows stored
    before roles existed read as "lead"); url: where to update the item, "" when unknown
    (the line then shows no link).
    """

    code: str
    text: str
    period: str
    department: str
    department_name: str
    due: str
    reason: str
    days_overdue: int
    deadline_text: str
    role: str
    url: str = ""


@dataclass(frozen=True)
class ReminderContext:
    """Context of digest.*, escalation.* and unscheduled.* templates.

    unit_name: "UBND xã Kỳ Lạc"; recipient_name: the greeting; day: "dd/mm/yyyy" of the
    sweep; lines: the items, ordered by due day then code (a digest's by role first: lead,
    partner, coordinate, each a section of its own); overdue_count: lines overdue;
    done_hint: the command a head runs to record an item done; home_url: the recipient's
    tasks page, "" when unknown (a digest then gives only the command).
    """

    unit_name: str
    recipient_name: str
    day: str
    lines: tuple[Line, ...]
    overdue_count: int
    done_hint: str = 'planflow done MÃ --evidence "Quyết định số …"'
    home_url: str = ""


@dataclass(frozen=True)
class SnapshotContext:
    """Context of snapshot.* (the chairman's weekly progress mail).

    summary: the report's sentence ("hoàn thành 30/35 nhiệm vụ, đạt 85,7%"); done/total;
    overdue: lines overdue as of `day`; failed_messages: reminders that could not be
    delivered (so the chairman sees that someone was not reached); attachment: the file
    name of the Phụ lục 1B .docx, or "" when none is attached.
    """

    unit_name: str
    recipient_name: str
    day: str
    plan_title: str
    summary: str
    done: int
    total: int
    overdue: tuple[Line, ...] = ()
    failed_messages: tuple[str, ...] = ()
    attachment: str = ""


@dataclass(frozen=True)
class SigninContext:
    """Context of signin.* (the link a person asks for on the sign-in page).

    link: the signed address, valid for the day it was sent.
    """

    unit_name: str
    recipient_name: str
    link: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def one_line(text: str) -> str:
    """Collapse CR/LF and runs of spaces: a list line stays one line."""
    return " ".join(str(text).split())


def fmt_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one environment: strict, autoescaped for .html, tidy whitespace for .txt."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html",), default_for_string=True, default=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with planflow: no stat() per render in a sweep
    )
    return env


def render(
    kind: str, lang: str, context: ReminderContext | SnapshotContext | SigninContext
) -> Rendered:
    """Subject, plain text and HTML of one message; unknown kind or language is a bug."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    env = environment()
    data = {f: getattr(context, f) for f in context.__dataclass_fields__}
    subject = env.get_template(f"{kind}.{lang}.subject.txt").render(data)
    return Rendered(
        subject=" ".join(subject.split()),
        text=env.get_template(f"{kind}.{lang}.txt").render(data),
        html=env.get_template(f"{kind}.{lang}.html").render(data),
    )


def line_of(
    item: Reminder | dict[str, Any], lang: str, department_names: dict[str, str] | None = None
) -> Line:
    """A Line from an engine Reminder (or its stored dict form, which may predate `role`
    and `leads`)."""
    d = item.as_dict() if isinstance(item, Reminder) else dict(item)
    due = d.get("due")
    due_day = date.fromisoformat(due) if isinstance(due, str) else due
    dept = d.get("department") or ""
    names = department_names or {}
    leads = [c for c in d.get("leads") or [dept] if c]
    return Line(
        code=d["code"],
        text=one_line(d["text"]),
        period=d.get("period") or "",
        department=dept,
        department_name=", ".join(names.get(c, c) for c in leads),
        due=fmt_date(due_day),
        reason=reason_text(d["reason_key"], int(d.get("days") or 0), lang),
        days_overdue=int(d.get("days_overdue") or 0),
        deadline_text=d.get("deadline_text") or "",
        role=d.get("role") or "lead",
        url=d.get("url") or "",
    )


def reminder_context(
    message: Message,
    lang: str,
    unit_name: str,
    department_names: dict[str, str] | None = None,
    link: Callable[[str], str] | None = None,
) -> ReminderContext:
    """`link(code)`: the recipient's signed link to a task's page ("" code: their own
    page); None when the installation has no signing key."""
    lines = tuple(line_of(i, lang, department_names) for i in message.items)
    if link is not None:
        lines = tuple(replace(ln, url=link(ln.code)) for ln in lines)
    return ReminderContext(
        home_url=link("") if link is not None else "",
        unit_name=unit_name,
        recipient_name=one_line(message.recipient.name),
        day=fmt_date(message.day),
        lines=lines,
        overdue_count=sum(1 for ln in lines if ln.days_overdue > 0),
        done_hint=(
            'planflow done CODE --evidence "Decision No …"'
            if lang == "en"
            else 'planflow done MÃ --evidence "Quyết định số …"'
        ),
    )


def render_message(
    message: Message,
    lang: str,
    unit_name: str,
    department_names: dict[str, str] | None = None,
    link: Callable[[str], str] | None = None,
) -> Rendered:
    context = reminder_context(message, lang, unit_name, department_names, link)
    return render(message.kind, lang, context)


def context_dict(context: ReminderContext | SnapshotContext) -> dict[str, Any]:
    return asdict(context)
