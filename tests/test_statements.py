"""No N+1: the roll-up, the single-unit report and the overdue listing run a fixed number of
SQL statements however many units or tasks there are.

Statements are counted at the driver with a SQLAlchemy `before_cursor_execute` listener on the
real engine (SQLite file, or PostgreSQL when PLANFLOW_TEST_PG_URL is set), while the service
runs in its own read transaction. Units are made through the plan import service, as
`planflow plan import` makes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event
from unitplans import plan_yaml

from planflow.db import get_engine, init_db, session_scope
from planflow.planfile import loads_plan
from planflow.services.common import get_unit
from planflow.services.plans import import_plan
from planflow.services.reports import build_report
from planflow.services.rollup import build_rollup
from planflow.services.tasks import list_tasks

PAST = date(2025, 12, 31)  # before the real today: reports replay the event log
LIMIT = 10


@contextmanager
def counted(url: str) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def add_units(url: str, first: int, last: int, tasks: int = 3) -> None:
    with session_scope(url, write=True) as session:
        for n in range(first, last):
            doc = loads_plan(plan_yaml(f"u{n:03d}", f"UBND xã Số {n}", tasks))
            import_plan(session, doc, actor_name="test")


def rollup_statements(url: str, as_of: date | None) -> tuple[int, int]:
    """(statements, units in the roll-up)."""
    with counted(url) as statements, session_scope(url) as session:
        rollup = build_rollup(session, as_of=as_of, show_progress=False)
    return len(statements), len(rollup.lines)


def test_rollup_statements_do_not_grow_with_units(db_url: str) -> None:
    init_db(db_url)
    add_units(db_url, 0, 5)
    few_state, n5 = rollup_statements(db_url, None)
    few_events, _ = rollup_statements(db_url, PAST)
    add_units(db_url, 5, 50)
    many_state, n50 = rollup_statements(db_url, None)
    many_events, _ = rollup_statements(db_url, PAST)
    assert (n5, n50) == (5, 50)
    assert few_state == many_state <= LIMIT, (few_state, many_state)
    assert few_events == many_events <= LIMIT, (few_events, many_events)


def test_unit_report_and_overdue_listing_do_not_grow_with_tasks(db_url: str) -> None:
    init_db(db_url)
    with session_scope(db_url, write=True) as session:
        for code, tasks in (("ten", 10), ("forty", 40)):
            import_plan(session, loads_plan(plan_yaml(code, f"UBND xã {code}", tasks)))
    counts: dict[str, dict[str, int]] = {}
    for code, tasks in (("ten", 10), ("forty", 40)):
        with session_scope(db_url) as session:
            unit = get_unit(session, code)
        with counted(db_url) as report_now, session_scope(db_url) as session:
            report = build_report(session, unit)
        assert report.progress.figures.total == tasks
        with counted(db_url) as report_past, session_scope(db_url) as session:
            build_report(session, unit, as_of=PAST)
        with counted(db_url) as listing, session_scope(db_url) as session:
            rows = list_tasks(session, unit, PAST, overdue=True)
            [r.as_json() for r in rows]  # what `planflow tasks --overdue --json` prints
        assert len(rows) == tasks  # every task is open and was due 30/06/2025
        counts[code] = {"now": len(report_now), "past": len(report_past), "list": len(listing)}
    assert counts["ten"] == counts["forty"], counts
    assert max(counts["forty"].values()) <= LIMIT, counts
