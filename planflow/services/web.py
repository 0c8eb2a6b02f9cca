"""What the web edge needs beyond the CLI's use cases: proving who holds a signed link,
recording a refused one, and the read models of its pages. Moves (done, start, note) are the
CLI's own functions in services.moves, called inside `login.signed_in`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from planflow.db import session_scope
from planflow.engine.permissions import breadth
from planflow.links import BadToken, Claim
from planflow.login import WebPerson
from planflow.models import Department, Person, Snapshot, Unit
from planflow.services.common import find_task, get_unit, record_event
from planflow.services.people import department_of
from planflow.services.tasks import TaskRow, list_tasks, task_detail


def prove(url: str, claim: Claim) -> WebPerson:
    """The person a verified claim names, if they still are who it was signed for: active,
    of that unit, at that address. Else the link is someone else's (BadToken "foreign")."""
    with session_scope(url) as session:
        if claim.person_id == 0:  # a mail link: the unit's person at that address
            person = _by_address(session, claim.unit, claim.email)
        else:
            person = session.get(Person, claim.person_id)
        unit = session.get(Unit, person.unit_id) if person else None
        if (
            person is None
            or not person.active
            or unit is None
            or unit.code != claim.unit
            or person.email.lower() != claim.email.lower()
        ):
            raise BadToken("foreign")
        assert person.id is not None
        return WebPerson(person.id, unit.code, person.email)


def _by_address(session: Session, unit_code: str, email: str) -> Person | None:
    people = session.exec(
        select(Person)
        .join(Unit, col(Unit.id) == Person.unit_id)
        .where(
            Unit.code == unit_code,
            col(Person.active),
            func.lower(Person.email) == email.lower(),
        )
        .order_by(col(Person.id))
    ).all()
    return min(people, key=lambda p: breadth(p.role), default=None)  # widest rights answer


def record_refused_link(
    url: str, unit_code: str, code: str, reason: str, client: str, claimed: int | None = None
) -> None:
    """A refused link or form is part of the record: who it claimed to be, from where, why."""
    with session_scope(url, write=True) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).first()
        task_id = None
        if unit is not None and code:
            from planflow.models import Plan, Task

            task_id = session.exec(
                select(Task.id)
                .join(Plan, col(Plan.id) == Task.plan_id)
                .where(Plan.unit_id == unit.id, Task.code == code)
            ).first()
        record_event(
            session,
            unit_id=unit.id if unit else None,  # type: ignore[arg-type]  # an unknown unit
            task_id=task_id,
            action="refused",
            actor_name="web",
            note={
                "tampered": "liên kết bị sửa",
                "expired": "liên kết hết hạn",
                "foreign": "liên kết của người khác",
                "malformed": "liên kết không hợp lệ",
                "csrf": "biểu mẫu không hợp lệ (CSRF)",
            }.get(reason, reason),
            data={"attempted": "web", "reason": reason, "client": client, "claimed": claimed},
        )


@dataclass
class Viewer:
    """The signed-in person as the pages show them."""

    name: str
    role: str
    department: str  # code, "" when none
    unit_name: str


def viewer(url: str, who: WebPerson) -> Viewer:
    with session_scope(url) as session:
        person = session.get(Person, who.person_id)
        unit = session.get(Unit, person.unit_id) if person else None
        assert person is not None and unit is not None  # proven a moment ago
        dept = department_of(session, person)
        return Viewer(person.name, person.role, dept.code if dept else "", unit.name)


def task_page(url: str, who: WebPerson, code: str, today: date) -> dict[str, Any]:
    """A task as its page shows it: the row (lateness for today), its items and history."""
    from planflow.services.moves import history_of

    with session_scope(url) as session:
        unit = get_unit(session, who.unit_code)
        row = task_detail(session, unit, code, today)
        history = history_of(session, find_task(session, unit, code))
        session.expunge_all()
    return {"row": row, "history": history}


def my_work(url: str, who: WebPerson, today: date) -> tuple[list[TaskRow], list[TaskRow]]:
    """ "Việc của tôi": what the person's department leads, then what it partners."""
    with session_scope(url) as session:
        unit = get_unit(session, who.unit_code)
        dept = department_of(session, session.get(Person, who.person_id))
        if dept is None:
            return [], []
        rows = list_tasks(session, unit, today, dept=dept.code, partner=True)
        session.expunge_all()
    lead = [r for r in rows if dept.code in (r.task.leads or [])]
    partner = [r for r in rows if r not in lead]
    return lead, partner


def dashboard(url: str, who: WebPerson) -> dict[str, Any]:
    """The chairman's page: the report's figures now and the trend over the snapshots."""
    from planflow.services.reports import build_report, list_snapshots, summary_sentence

    with session_scope(url) as session:
        unit = get_unit(session, who.unit_code)
        report = build_report(session, unit)
        trend = [_point(s) for s in list_snapshots(session, unit)]
        names = {
            d.code: d.name
            for d in session.exec(select(Department).where(Department.unit_id == unit.id))
        }
    return {
        "report": report,
        "summary_vi": summary_sentence(report, "vi"),
        "summary_en": summary_sentence(report, "en"),
        "trend": trend,
        "names": names,
    }


def _point(snapshot: Snapshot) -> dict[str, Any]:
    data = snapshot.data or {}
    figures = (data.get("figures") or {}) if isinstance(data, dict) else {}
    return {
        "day": snapshot.as_of,
        "done": int(figures.get("done") or 0),
        "total": int(figures.get("total") or 0),
    }


def people_for_email(session: Session, email: str) -> list[tuple[Person, Unit]]:
    """Everyone registered at this address, in every unit (a province officer may be in
    several), for the sign-in link."""
    rows = session.exec(
        select(Person, Unit)
        .join(Unit, col(Unit.id) == Person.unit_id)
        .where(col(Person.active), func.lower(Person.email) == email.strip().lower())
    ).all()
    return [(p, u) for p, u in rows]


SIGNIN = "signin"  # the outbox kind: at most one sign-in mail per address and day


def send_signin_links(settings: Any, key: bytes, email: str, today: date) -> int:
    """Queue and deliver at once a mail with a sign-in link for each unit the address is
    registered in; the number queued (0 for an unknown address: the page says the same)."""
    from planflow import clock, links
    from planflow.engine.text import address_problem
    from planflow.notifications import outbox
    from planflow.services.reminders import deliver_outbox, make_sender

    if not email or address_problem(email):
        return 0
    url = settings.database_url
    drafts: list[tuple[int, outbox.Draft]] = []
    with session_scope(url) as session:
        for person, unit in people_for_email(session, email):
            assert person.id is not None and unit.id is not None
            link = links.home_url(
                settings.base_url,
                key,
                person_id=person.id,
                email=person.email,
                unit=unit.code,
                today=today,
                days=1,  # a sign-in link is for now, not for the inbox's archive
            )
            drafts.append((unit.id, _signin_draft(person, unit, link, today, settings.lang)))
    ids: list[int] = []
    with session_scope(url, write=True) as session:
        for unit_id, draft in drafts:
            ids += outbox.queue(session, unit_id, [draft], clock.now())
    if ids:
        sender = make_sender(settings.smtp_url, settings.outbox_dir)
        deliver_outbox(url, sender, mail_from=settings.mail_from, ids=ids)
    return len(ids)


def _signin_draft(person: Person, unit: Unit, link: str, today: date, lang: str) -> Any:
    from planflow.notifications import outbox
    from planflow.notifications.render import SigninContext, one_line, render

    context = SigninContext(unit_name=unit.name, recipient_name=one_line(person.name), link=link)
    mail = render(SIGNIN, lang, context)
    return outbox.Draft(
        recipient=person.email,
        recipient_name=person.name,
        day=today,
        kind=SIGNIN,
        subject=mail.subject,
        body_text=mail.text,
        body_html=mail.html,
    )


def overview(url: str, who: WebPerson) -> dict[str, Any]:
    """The coordinator's page: every department with its head and whether a reminder can
    reach them, the report's figures by department, the overdue items, failed mail."""
    from planflow.services.common import department_heads
    from planflow.services.reports import build_report

    with session_scope(url) as session:
        unit = get_unit(session, who.unit_code)
        report = build_report(session, unit, by="dept")
        heads = department_heads(session, unit)
        departments = [
            {
                "code": d.code,
                "name": d.name,
                "head": heads[d.code].name if d.code in heads else "",
                "email": heads[d.code].email if d.code in heads else "",
            }
            for d in session.exec(
                select(Department).where(Department.unit_id == unit.id).order_by(col(Department.id))
            )
        ]
    return {"report": report, "departments": departments}


def rollup(url: str) -> Any:
    """The province office's ranking of every unit in the database (report --all-units)."""
    from planflow.services.rollup import build_rollup

    with session_scope(url) as session:
        return build_rollup(session, show_progress=False)


def unit_count(url: str) -> int:
    with session_scope(url) as session:
        return int(session.exec(select(func.count(col(Unit.id)))).one())


def attachment_of(url: str, who: WebPerson, sha256: str) -> dict[str, Any] | None:
    """A file attached to one of the unit's events, or None: a hash alone opens nothing
    of another unit's."""
    from planflow.models import Event

    with session_scope(url) as session:
        unit = get_unit(session, who.unit_code)
        rows = session.exec(
            select(Event.data).where(Event.unit_id == unit.id, Event.action == "complete")
        ).all()
    for data in rows:
        for a in (data or {}).get("attachments", []):
            if a.get("sha256") == sha256:
                return dict(a)
    return None
