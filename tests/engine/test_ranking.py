"""Ranking and per-unit figures of the province roll-up; expected values worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.progress import Figures, ItemSnapshot, TaskSnapshot, compute
from planflow.engine.rollup import competition_ranks, rank_units

AS_OF = date(2025, 12, 31)
DUE = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([], []),
        ([Decimal("50")], [1]),
        ([Decimal(90), Decimal(80), Decimal(80), Decimal(70)], [1, 2, 2, 4]),  # "1224"
        ([Decimal(70), Decimal(80), Decimal(90), Decimal(80)], [4, 2, 1, 2]),  # order given
        ([Decimal(0)] * 3, [1, 1, 1]),
        ([Decimal("85.7"), Decimal("85.7"), Decimal("85.7"), Decimal(100)], [2, 2, 2, 1]),
        ([Decimal(1), Decimal(2), Decimal(3)], [3, 2, 1]),
    ],
)
def test_competition_ranks(values: list[Decimal], ranks: list[int]) -> None:
    assert competition_ranks(values) == ranks


# Few distinct values so ties are common.
rates = st.lists(st.integers(0, 6).map(lambda n: Decimal(n * 125).scaleb(-1)), max_size=30)


@given(rates, st.randoms(use_true_random=False))
def test_ranks_follow_the_units_when_shuffled(values: list[Decimal], rnd: object) -> None:
    order = list(range(len(values)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    ranks = competition_ranks(values)
    shuffled = competition_ranks([values[i] for i in order])
    assert shuffled == [ranks[i] for i in order]


@given(rates)
def test_ties_share_a_rank_and_better_rates_rank_higher(values: list[Decimal]) -> None:
    ranks = competition_ranks(values)
    for i, (a, ra) in enumerate(zip(values, ranks, strict=True)):
        assert 1 <= ra <= len(values)
        for b, rb in zip(values[i + 1 :], ranks[i + 1 :], strict=True):
            assert (a == b) == (ra == rb)
            assert (a > b) == (ra < rb)


@given(rates)
def test_rank_skips_after_a_tie(values: list[Decimal]) -> None:
    # Sorted, a rank r shared by k units is followed by rank r + k ("1, 2, 2, 4").
    ranks = sorted(competition_ranks(values))
    if ranks:
        assert ranks[0] == 1
    for r in set(ranks):
        nxt = [x for x in ranks if x > r]
        if nxt:
            assert min(nxt) == r + ranks.count(r)


def _task(status: str, *, due: date = DUE, on: date | None = None, **kw: object) -> TaskSnapshot:
    item = ItemSnapshot(status=status, due=due, completed_on=on)
    return TaskSnapshot(code="T", text="t", due=due, items=(item,), **kw)  # type: ignore[arg-type]


def test_unit_figures_hand_counted() -> None:
    """The counts each roll-up line states, by the single-unit report's rules."""
    early, late = DUE - timedelta(days=10), DUE + timedelta(days=15)
    tasks = [
        _task("done", on=early),  # on time
        _task("done", on=DUE),  # on time: the due day itself
        _task("done", on=late),  # late
        _task("in_progress"),  # open, overdue on 31/12
        _task("not_started", due=date(2026, 1, 15)),  # open, not yet due
        _task("not_started", cancelled=True),  # not counted
        _task("done", on=early, archived=True),  # not counted
        _task("done", on=late, source="ad_hoc"),  # counted apart
    ]
    report = compute(tasks, AS_OF)
    main, adhoc = report.figures, report.ad_hoc
    assert (main.total, main.done, main.on_time, main.late, main.overdue) == (5, 3, 2, 1, 1)
    assert main.percent == Decimal(60)  # 3/5
    assert (adhoc.total, adhoc.done, adhoc.late) == (1, 1, 1)


def _f(total: int, done: int, on_time: int, overdue: int = 0) -> Figures:
    from planflow.engine.progress import percent_of

    return Figures(total=total, done=done, on_time=on_time, late=done - on_time,
                   overdue=overdue, percent=percent_of(done, total))  # fmt: skip


def test_rank_units_and_province_totals() -> None:
    lines, totals = rank_units(
        [
            ("a", "Xã A", "Hà Tĩnh", 2025, _f(5, 4, 3, 1)),  # 80% / on time 3/5 = 60%
            ("b", "Xã B", "Hà Tĩnh", 2025, _f(5, 4, 4, 1)),  # 80% / 80%
            ("c", "Xã C", "Hà Tĩnh", 2025, _f(6, 3, 3, 3)),  # 50% / 50%
            ("d", "Xã D", "Hà Tĩnh", 2025, _f(5, 5, 3, 0)),  # 100% / 60%
            ("e", "Xã E", "Hà Tĩnh", None, _f(0, 0, 0)),  # no plan: not ranked
        ]
    )
    got = [(u.code, u.completion_rank, u.on_time_rank) for u in lines]
    # Completion: D 100 → 1; A, B 80 → 2, 2; C 50 → 4. On time: B 80 → 1; A, D 60 → 2; C → 4.
    # Listed by completion rank, then on-time rank, then code; E last.
    assert got == [("d", 1, 2), ("b", 2, 1), ("a", 2, 2), ("c", 4, 4), ("e", None, None)]
    assert [u.on_time_percent for u in lines[:4]] == [Decimal(60), Decimal(80), Decimal(60),
                                                      Decimal(50)]  # fmt: skip
    # 21 tasks, 16 done = 76.19…% → 76.2 (half-up); 13 on time = 61.90…% → 61.9.
    assert (totals.units, totals.ranked, totals.total, totals.done) == (5, 4, 21, 16)
    assert (totals.on_time, totals.late, totals.overdue) == (13, 3, 5)
    assert totals.percent == Decimal("76.2")
    assert totals.on_time_percent == Decimal("61.9")


def test_done_in_period_needs_every_completion_day() -> None:
    # Both items done; one has no completion day recorded, so the task's completion day is
    # unknown and it is not counted as done within the period (as engine.progress does).
    items = (
        ItemSnapshot(period="Q1", status="done", due=DUE, completed_on=None),
        ItemSnapshot(period="Q2", status="done", due=DUE, completed_on=DUE),
    )
    tasks = [TaskSnapshot(code="T", text="t", items=items)]
    start = DUE - timedelta(days=5)
    main = compute(tasks, AS_OF, period_start=start).figures
    assert (main.done, main.done_in_period) == (1, 0)
