"""Reporting periods by the national data cut-off rule, and by calendar."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.periods import parse_period
from planflow.errors import UsageError


@pytest.mark.parametrize(
    ("text", "key", "start", "end"),
    [
        ("Q1/2025", "Q1/2025", date(2024, 12, 15), date(2025, 3, 14)),
        ("Q2/2025", "Q2/2025", date(2025, 3, 15), date(2025, 6, 14)),
        ("Q3/2025", "Q3/2025", date(2025, 6, 15), date(2025, 9, 14)),
        ("Q4/2025", "Q4/2025", date(2025, 9, 15), date(2025, 12, 14)),
        ("quý III/2025", "Q3/2025", date(2025, 6, 15), date(2025, 9, 14)),
        ("6T-dau/2025", "6T-dau/2025", date(2024, 12, 15), date(2025, 6, 14)),
        ("6T/2025", "6T-dau/2025", date(2024, 12, 15), date(2025, 6, 14)),
        ("9T/2025", "9T/2025", date(2024, 12, 15), date(2025, 9, 14)),
        ("6T-cuoi/2025", "6T-cuoi/2025", date(2025, 6, 15), date(2025, 12, 14)),
        ("H2-2025", "6T-cuoi/2025", date(2025, 6, 15), date(2025, 12, 14)),
        ("2025", "2025", date(2024, 12, 15), date(2025, 12, 14)),
    ],
)
def test_cutoff_periods(text: str, key: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.key, period.start, period.end) == (key, start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q3/2025", date(2025, 7, 1), date(2025, 9, 30)),
        ("Q1/2024", date(2024, 1, 1), date(2024, 3, 31)),
        ("6T-dau/2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("9T/2025", date(2025, 1, 1), date(2025, 9, 30)),
        ("6T-cuoi/2025", date(2025, 7, 1), date(2025, 12, 31)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_calendar_periods(text: str, start: date, end: date) -> None:
    period = parse_period(text, "calendar")
    assert (period.start, period.end) == (start, end)


def test_labels() -> None:
    period = parse_period("Q3/2025")
    assert (period.label("vi"), period.label("en")) == ("Quý III/2025", "Q3 2025")
    assert date(2025, 9, 14) in period and date(2025, 9, 15) not in period


@pytest.mark.parametrize("text", ["Q5/2025", "quarter", "", "Q3/25", "7T/2025"])
def test_bad_period_names_the_option_and_forms(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_period(text)
    assert "--period" in info.value.vi and "6T-cuoi/2025" in info.value.en


def test_bad_mode() -> None:
    with pytest.raises(UsageError):
        parse_period("Q3/2025", "weekly")


@given(st.text(max_size=20))
def test_parser_never_crashes(text: str) -> None:
    try:
        period = parse_period(text)
    except UsageError:
        return
    assert period.start <= period.end


@pytest.mark.parametrize(
    ("text", "key", "start", "end"),
    [
        ("6M/2025", "6T-dau/2025", date(2024, 12, 15), date(2025, 6, 14)),
        ("9M/2025", "9T/2025", date(2024, 12, 15), date(2025, 9, 14)),
        ("9 tháng năm 2025", "9T/2025", date(2024, 12, 15), date(2025, 9, 14)),
        ("Q4", "Q4/2026", date(2026, 9, 15), date(2026, 12, 14)),
        ("Quý IV", "Q4/2026", date(2026, 9, 15), date(2026, 12, 14)),
        ("9M", "9T/2026", date(2025, 12, 15), date(2026, 9, 14)),
    ],
)
def test_more_period_forms_and_a_bare_period_of_the_current_year(
    text: str, key: str, start: date, end: date
) -> None:
    period = parse_period(text, year=2026)
    assert (period.key, period.start, period.end) == (key, start, end)


def test_a_bare_period_without_a_current_year_is_refused() -> None:
    with pytest.raises(UsageError):
        parse_period("Q4")
