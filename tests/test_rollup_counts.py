"""The roll-up's counts, made by the database (GROUP BY unit), equal the unit's own report,
made by `engine.progress.compute` over the same tasks, on a busy history.

The history is a seeded random walk over the real Kỳ Lạc plan (recurring occurrences, shared
tasks, tasks without a lead): start, complete (back-dated or not), reopen, cancel and
restore, by the chairman, on days through 2025. Both sides are then asked about many days:
past days replay the event log (the roll-up reads only each item's last event by then), and
"today" reads the stored state. No figure is written down here: the single-unit report is
the reference, and tests/test_rollup.py holds both to figures derived by hand.
"""

from __future__ import annotations

import random
from dataclasses import astuple
from datetime import date, timedelta

import pytest

from planflow.db import init_db, session_scope
from planflow.errors import PlanflowError
from planflow.planfile import load_plan
from planflow.services import moves as workflow
from planflow.services import people
from planflow.services.common import get_unit
from planflow.services.plans import import_plan
from planflow.services.reports import build_report
from planflow.services.rollup import build_rollup
from tests.conftest import KYLAC_PLAN

LAST_DAY = date(2025, 12, 31)
DAYS = [date(2025, 4, 30), date(2025, 6, 30), date(2025, 7, 20), date(2025, 9, 15),
        date(2025, 11, 10), date(2025, 12, 30)]  # fmt: skip
PERIODS = ["Q3/2025", "6T-dau/2025", "9T/2025"]


def _walk(url: str, seed: int, steps: int) -> int:
    """Random moves, in day order; returns how many were accepted."""
    rng = random.Random(seed)
    with session_scope(url) as session:
        codes = [t.code for t in build_report(session, get_unit(session, None)).progress.rows]
    accepted = 0
    day = date(2025, 3, 1)
    for _ in range(steps):
        day += timedelta(days=rng.randint(0, 3))
        code = rng.choice(codes)
        period = rng.choice([None, None, "Q2", "Q3", "Q4"])
        action = rng.choice(["start", "complete", "complete", "complete", "reopen", "cancel",
                             "restore"])  # fmt: skip
        try:
            if action == "start":
                out = workflow.start_task(url, code, today=day, period=period)
            elif action == "complete":
                on = day - timedelta(days=rng.choice([0, 0, 5, 40]))
                out = workflow.complete_task(
                    url, code, today=day, on=on, evidence="Quyết định số 1", period=period
                )
            elif action == "reopen":
                out = workflow.reopen_task(url, code, reason="bổ sung", today=day, period=period)
            elif action == "cancel":
                out = workflow.cancel_task(url, code, reason="không còn phù hợp", today=day)
            else:
                out = workflow.restore_task(url, code, reason="làm lại", today=day)
        except PlanflowError:
            continue
        accepted += out.changed
    return accepted


def _own_and_rolled(url: str, **when: object) -> tuple[tuple[int, ...], tuple[int, ...]]:
    with session_scope(url) as session:
        own = build_report(session, get_unit(session, None), **when).progress.figures  # type: ignore[arg-type]
        line = build_rollup(session, show_progress=False, **when).lines[0].figures  # type: ignore[arg-type]
    return astuple(own)[:-1], astuple(line)[:-1]  # every count; the percent's precision differs


@pytest.mark.parametrize("seed", [7, 2025])
def test_database_counts_equal_the_units_own_report(
    db_url: str, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    init_db(db_url)
    with session_scope(db_url, write=True) as session:
        import_plan(session, load_plan(KYLAC_PLAN))
    # the administrator (the OS login that ran init_db) adds the chairman
    people.add_person(db_url, unit=None, name="Chủ tịch", user="ct", dept="VP", role="chairman")
    monkeypatch.setenv("PLANFLOW_USER", "ct")
    accepted = _walk(db_url, seed, 160)
    assert accepted > 25  # a history worth comparing

    seen = set()
    for day in DAYS:  # before the real today: both sides replay the event log
        own, rolled = _own_and_rolled(db_url, as_of=day)
        assert rolled == own, day
        seen.add(own)
    for period in PERIODS:
        own, rolled = _own_and_rolled(db_url, period=period)
        assert rolled == own, period
    monkeypatch.setenv("PLANFLOW_TODAY", LAST_DAY.isoformat())  # stored state, not replay
    for day in (LAST_DAY, None):
        own, rolled = _own_and_rolled(db_url, as_of=day)
        assert rolled == own, day
    assert len(seen) >= 4  # the days asked about really differ
