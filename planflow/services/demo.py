"""`planflow demo`: the whole idea in one command, on a throw-away embedded database.

It imports the real Kỳ Lạc 2025 plan, records what a commune typically has done by mid
October (some on time, one recorded days later, one late, several recurring occurrences
missed) through the same use cases the CLI uses, and reports as of 15/10/2025.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEMO_DAY = date(2025, 10, 15)
COORDINATOR = ("Lê Thị Hạnh", "hanh.vhxh@kylac.example.vn", "dieuphoi")

# (task, completed on, recorded on, evidence, period) — a realistic second half of 2025.
COMPLETIONS: tuple[tuple[str, date, date, str, str | None], ...] = (
    ("I.2.1", date(2025, 7, 24), date(2025, 7, 24), "Kế hoạch số 45/KH-UBND ngày 24/07/2025", None),
    ("I.2.2", date(2025, 7, 30), date(2025, 8, 4), "Kế hoạch số 52/KH-UBND ngày 30/07/2025", None),
    (
        "III.2.1",
        date(2025, 8, 12),
        date(2025, 8, 12),
        "Quyết định số 75/QĐ-UBND ngày 12/08/2025",
        None,
    ),
    ("V.2.1", date(2025, 8, 15), date(2025, 8, 15), "Kế hoạch số 60/KH-UBND ngày 15/08/2025", None),
    (
        "VI.2.3",
        date(2025, 9, 19),
        date(2025, 9, 22),
        "Quyết định số 88/QĐ-UBND ngày 19/09/2025 ban hành quy chế",
        None,
    ),
    ("I.2.5", date(2025, 9, 26), date(2025, 9, 26), "Báo cáo số 120/BC-UBND ngày 26/09/2025", None),
    ("VII.2.2.1", date(2025, 9, 29), date(2025, 9, 29), "Báo cáo duy trì ISO quý III", "Q3"),
    (
        "III.2.4",
        date(2025, 9, 30),
        date(2025, 9, 30),
        "Quyết định số 95/QĐ-UBND công bố TTHC",
        "Q3",
    ),
    ("II.2.1", date(2025, 9, 30), date(2025, 10, 2), "Danh mục văn bản QPPL quý III", "Q3"),
    ("III.2.11", date(2025, 10, 10), date(2025, 10, 10), "Kế hoạch đối thoại số 70/KH-UBND", None),
)
STARTED: tuple[tuple[str, date], ...] = (("II.2.2", date(2025, 10, 1)), ("I.2.3", date(2025, 9, 1)))


@dataclass
class DemoResult:
    url: str
    folder: Path
    day: date


def run_demo(folder: Path) -> DemoResult:
    from planflow.db import init_db, session_scope
    from planflow.planfile import load_plan
    from planflow.services.moves import complete_task, start_task
    from planflow.services.people import add_person
    from planflow.services.plans import import_plan

    url = f"sqlite:///{folder / 'planflow.db'}"
    init_db(url)
    doc = load_plan(Path(__file__).resolve().parents[1] / "data" / "ky-lac-2025.yaml")
    with session_scope(url, write=True) as session:
        import_plan(session, doc, actor_name="demo", file_name="ky-lac-2025.yaml")
    name, email, user = COORDINATOR
    add_person(url, unit=None, name=name, email=email, user=user, dept="VHXH", role="coordinator")
    previous = os.environ.get("PLANFLOW_USER")
    os.environ["PLANFLOW_USER"] = user  # the coordinator records for every department
    try:
        for code, started in STARTED:
            start_task(url, code, today=started)
        for code, done_on, recorded, evidence, period in COMPLETIONS:
            complete_task(url, code, today=recorded, on=done_on, evidence=evidence, period=period)
    finally:
        if previous is None:
            os.environ.pop("PLANFLOW_USER", None)
        else:
            os.environ["PLANFLOW_USER"] = previous
    return DemoResult(url, folder, DEMO_DAY)


def demo_link(result: DemoResult, code: str) -> tuple[str, str]:
    """The command that serves the demo database, and a signed link for the head who leads
    `code` (the coordinator when nobody does): what the README's demo opens next."""
    from sqlmodel import select

    from planflow import links
    from planflow.db import session_scope
    from planflow.models import Person
    from planflow.services.common import department_heads, find_task, get_unit

    key_file = result.folder / "secret.key"
    links.write_key(key_file)
    with session_scope(result.url) as session:
        unit = get_unit(session, None)
        task = find_task(session, unit, code)
        heads = department_heads(session, unit)
        lead = next((heads[c] for c in task.leads or [] if c in heads), None)
        who = lead or session.exec(select(Person).where(Person.os_user == COORDINATOR[2])).one()
        assert who.id is not None
        url = links.item_url(
            "http://127.0.0.1:8040",
            key_file.read_text(encoding="utf-8").strip().encode("utf-8"),
            person_id=who.id,
            email=who.email,
            unit=unit.code,
            code=code,
            today=result.day,
            days=14,
        )
    command = (
        f"PLANFLOW_SECRET_KEY_FILE={key_file} planflow --db {result.url} "
        f"--as-of {result.day:%d/%m/%Y} serve"
    )
    return command, url
