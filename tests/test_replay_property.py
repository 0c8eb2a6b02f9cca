"""Property: the figures of any past day D, replayed from the log of a database that went on
past D, equal those of a fresh database that lived only until D.

A random history of moves (done with a completion day up to ten days back, start, reopen,
note) on three of Kỳ Lạc's tasks is played into database A. Database B gets the same moves,
in the same order, but only those whose event is dated on or before D: a completion by its
completion day, anything else by the day it was recorded. A's report as of D is replayed
from its log (A has later events); B's is read from its stored rows (it has none). Every
figure of the two reports must agree.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planflow.db import init_db, session_scope
from planflow.errors import PlanflowError
from planflow.planfile import load_plan
from planflow.services import moves
from planflow.services.common import get_unit
from planflow.services.plans import import_plan
from planflow.services.reports import build_report
from tests.conftest import KYLAC_PLAN

START = date(2025, 7, 2)  # the plan starts on 01/07/2025
TASKS = ("VI.2.1", "VI.2.2", "VI.2.5")  # Phòng Kinh tế, "Năm 2025": due 31/12/2025
KINDS = ("done", "start", "reopen", "note")
FIGURES = ("total", "done", "on_time", "late", "in_progress", "not_started", "overdue")

Move = tuple[int, str, str, int]  # (days since the previous move, kind, task, days back)
MOVES = st.lists(
    st.tuples(
        st.integers(0, 60), st.sampled_from(KINDS), st.sampled_from(TASKS), st.integers(0, 10)
    ),
    min_size=1,
    max_size=8,
)


def _fresh(path: Path) -> str:
    """A new database with the plan imported by its administrator (no one acted as)."""
    url = f"sqlite:///{path}"
    acting = os.environ.pop("PLANFLOW_USER", None)
    try:
        init_db(url)
        with session_scope(url, write=True) as session:
            import_plan(session, load_plan(KYLAC_PLAN))
    finally:
        if acting is not None:
            os.environ["PLANFLOW_USER"] = acting
    return url


def _play(url: str, history: list[tuple[date, str, str, date]]) -> None:
    for recorded, kind, code, on in history:
        try:
            if kind == "done":
                moves.complete_task(url, code, today=recorded, on=on, evidence="CV")
            elif kind == "start":
                moves.start_task(url, code, today=recorded)
            elif kind == "reopen":
                moves.reopen_task(url, code, today=recorded, reason="bổ sung")
            else:
                moves.add_note(url, code, "ghi chú", today=recorded)
        except PlanflowError:
            pass  # a move the state table refuses (reopen of an open task …): no event


def _figures(url: str, day: date) -> tuple[int, ...]:
    from planflow import clock

    clock.set_today(day)
    try:
        with session_scope(url) as session:
            report = build_report(session, get_unit(session, None), as_of=day)
    finally:
        clock.set_today(None)
    f = report.progress.figures
    return tuple(getattr(f, name) for name in FIGURES)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves_=MOVES, cut=st.integers(0, 400))
def test_past_figures_replayed_equal_a_database_that_stopped_that_day(
    tmp_path_factory: pytest.TempPathFactory,
    moves_: list[Move],
    cut: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANFLOW_USER", "kt")
    history: list[tuple[date, str, str, date]] = []
    day = START
    for gap, kind, code, back in moves_:
        day += timedelta(days=gap)
        history.append((day, kind, code, max(START, day - timedelta(days=back))))
    d = START + timedelta(days=cut)
    folder = tmp_path_factory.mktemp("replay")
    a, b = _fresh(folder / "a.db"), _fresh(folder / "b.db")
    _play(a, history)
    _play(b, [h for h in history if (h[3] if h[1] == "done" else h[0]) <= d])
    assert _figures(a, d) == _figures(b, d), (history, d)
