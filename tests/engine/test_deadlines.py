"""Deadline phrases from the appendix and as people type them; windows counted by hand."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.calendar import WorkCalendar
from planflow.engine.deadlines import (
    canonical_text,
    deadline_json,
    normalize_period,
    parse_deadline,
)
from planflow.engine.types import Deadline, DeadlineKind, Occurrence, Recurrence

K = DeadlineKind
D = date
Q_2025 = ("Q1", "Q2", "Q3", "Q4")
M_2025 = tuple(f"M{m:02d}" for m in range(1, 13))

# phrase, kind, start, due, occurrence keys (plan year 2025, default QUARTERLY)
PHRASES: list[tuple[str, DeadlineKind, date | None, date | None, tuple[str, ...]]] = [
    # from the real appendix
    ("Ngày 25/7/2025", K.DATE, D(2025, 7, 25), D(2025, 7, 25), ()),
    ("Tháng 07/2025", K.MONTH, D(2025, 7, 1), D(2025, 7, 31), ()),
    ("Tháng 7/2025", K.MONTH, D(2025, 7, 1), D(2025, 7, 31), ()),
    ("Quý III/2025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30), ()),
    ("Quý IV năm 2025", K.QUARTER, D(2025, 10, 1), D(2025, 12, 31), ()),
    ("06 tháng cuối năm 2025", K.HALF_YEAR, D(2025, 7, 1), D(2025, 12, 31), ()),
    ("Năm 2025", K.YEAR, D(2025, 1, 1), D(2025, 12, 31), ()),
    ("Quý I-IV năm 2025", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("Thường xuyên", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("Theo lộ trình đề án được phê duyệt", K.UNSCHEDULED, None, None, ()),
    # as typed
    ("trước ngày 15/12/2025", K.DATE, D(2025, 12, 15), D(2025, 12, 15), ()),
    ("31/12/2025", K.DATE, D(2025, 12, 31), D(2025, 12, 31), ()),
    ("15-12-2025", K.DATE, D(2025, 12, 15), D(2025, 12, 15), ()),
    ("ngay 5/1", K.DATE, D(2025, 1, 5), D(2025, 1, 5), ()),
    ("quý 3/2025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30), ()),
    ("Quy III", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30), ()),
    ("Quý  III/2025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30), ()),
    ("tháng 7 năm 2025", K.MONTH, D(2025, 7, 1), D(2025, 7, 31), ()),
    ("thang 7", K.MONTH, D(2025, 7, 1), D(2025, 7, 31), ()),
    ("Tháng 2/2024", K.MONTH, D(2024, 2, 1), D(2024, 2, 29), ()),
    ("6 tháng cuối năm", K.HALF_YEAR, D(2025, 7, 1), D(2025, 12, 31), ()),
    ("6 tháng đầu năm", K.HALF_YEAR, D(2025, 1, 1), D(2025, 6, 30), ()),
    ("6 tháng đầu năm 2025", K.HALF_YEAR, D(2025, 1, 1), D(2025, 6, 30), ()),
    ("năm 2025", K.YEAR, D(2025, 1, 1), D(2025, 12, 31), ()),
    ("Cả năm", K.YEAR, D(2025, 1, 1), D(2025, 12, 31), ()),
    ("thuong xuyen", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("Thường xuyên, liên tục", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("Quý I - IV/2025", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("hằng quý", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("hàng quý", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("định kỳ hằng quý", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), Q_2025),
    ("hằng tháng", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), M_2025),
    ("hàng tháng", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), M_2025),
    ("định kỳ 6 tháng", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), ("H1", "H2")),
    ("6 tháng một lần", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31), ("H1", "H2")),
    ("tháng 6 và tháng 12", K.RECURRING, D(2025, 6, 1), D(2025, 12, 31), ("M06", "M12")),
    ("Tháng 6, tháng 12 năm 2025", K.RECURRING, D(2025, 6, 1), D(2025, 12, 31), ("M06", "M12")),
    ("Theo lộ trình", K.UNSCHEDULED, None, None, ()),
    ("theo kế hoạch của tỉnh", K.UNSCHEDULED, None, None, ()),
    ("Khi có yêu cầu", K.UNSCHEDULED, None, None, ()),
    ("Theo chỉ đạo", K.UNSCHEDULED, None, None, ()),
    ("", K.UNSCHEDULED, None, None, ()),
    ("   ", K.UNSCHEDULED, None, None, ()),
    # not understood: flagged, never fatal
    ("31/02/2025", K.UNPARSED, None, None, ()),
    ("Tháng 13/2025", K.UNPARSED, None, None, ()),
    ("Quý V/2025", K.UNPARSED, None, None, ()),
    ("6 tháng", K.UNPARSED, None, None, ()),
    ("Sớm nhất có thể", K.UNPARSED, None, None, ()),
]


def _no_diacritics(text: str) -> str:
    """The way a phrase arrives from an unaccented keyboard."""
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return stripped.replace("đ", "d").replace("Đ", "D")


def _variants() -> list[tuple[str, DeadlineKind, date | None, date | None, tuple[str, ...]]]:
    rows = []
    for text, *expected in PHRASES:
        for variant in {
            text,
            text.upper(),
            _no_diacritics(text),
            _no_diacritics(text).upper(),
            unicodedata.normalize("NFD", text),
            f"  {text}  ",
        }:
            rows.append((variant, *expected))
    return rows  # type: ignore[return-value]


@pytest.mark.parametrize(("text", "kind", "start", "due", "keys"), _variants())
def test_phrase(
    text: str, kind: DeadlineKind, start: date | None, due: date | None, keys: tuple[str, ...]
) -> None:
    d = parse_deadline(text, 2025)
    assert d.text == text
    assert (d.kind, d.start, d.due) == (kind, start, due)
    assert tuple(o.period for o in d.occurrences) == keys
    assert d.flagged is (kind is K.UNPARSED)


@pytest.mark.parametrize(
    ("text", "kind", "start", "due"),
    [
        ("QUY III/2025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30)),
        ("THUONG XUYEN", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31)),
        ("NGAY 25/7/2025", K.DATE, D(2025, 7, 25), D(2025, 7, 25)),
        ("06 THANG CUOI NAM 2025", K.HALF_YEAR, D(2025, 7, 1), D(2025, 12, 31)),
        ("Quý\u00a0III /\u00a02025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30)),
        ("15.12.2025", K.DATE, D(2025, 12, 15), D(2025, 12, 15)),
        ("Quý I – IV năm 2025", K.RECURRING, D(2025, 1, 1), D(2025, 12, 31)),
        ("Trong Quý IV/2025", K.QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
    ],
)
def test_hand_typed_variants(text: str, kind: DeadlineKind, start: date, due: date) -> None:
    d = parse_deadline(text, 2025)
    assert (d.kind, d.start, d.due) == (kind, start, due)


def test_missing_year_comes_from_plan() -> None:
    assert parse_deadline("Quý III", 2026).due == D(2026, 9, 30)
    assert parse_deadline("ngay 5/1", 2026).due == D(2026, 1, 5)
    assert parse_deadline("Cả năm", 2026).start == D(2026, 1, 1)


def test_quarterly_occurrence_windows() -> None:
    d = parse_deadline("Thường xuyên", 2025)
    assert d.recurrence is Recurrence.QUARTERLY
    assert d.occurrences == (
        Occurrence("Q1", D(2025, 1, 1), D(2025, 3, 31)),
        Occurrence("Q2", D(2025, 4, 1), D(2025, 6, 30)),
        Occurrence("Q3", D(2025, 7, 1), D(2025, 9, 30)),
        Occurrence("Q4", D(2025, 10, 1), D(2025, 12, 31)),
    )


@pytest.mark.parametrize(
    ("recurrence", "keys", "first_due"),
    [
        (Recurrence.QUARTERLY, Q_2025, D(2025, 3, 31)),
        (Recurrence.MONTHLY, M_2025, D(2025, 1, 31)),
        (Recurrence.HALF_YEARLY, ("H1", "H2"), D(2025, 6, 30)),
    ],
)
def test_thuong_xuyen_follows_plan_recurrence(
    recurrence: Recurrence, keys: tuple[str, ...], first_due: date
) -> None:
    d = parse_deadline("Thường xuyên", 2025, recurrence)
    assert d.recurrence is recurrence
    assert tuple(o.period for o in d.occurrences) == keys
    assert d.occurrences[0].due == first_due
    assert (d.start, d.due) == (D(2025, 1, 1), D(2025, 12, 31))


@pytest.mark.parametrize(
    ("text", "recurrence", "keys"),
    [
        ("Quý I-IV năm 2025", Recurrence.MONTHLY, Q_2025),
        ("hằng quý", Recurrence.HALF_YEARLY, Q_2025),
        ("hằng tháng", Recurrence.QUARTERLY, M_2025),
        ("định kỳ 6 tháng", Recurrence.MONTHLY, ("H1", "H2")),
        ("tháng 6 và tháng 12", Recurrence.QUARTERLY, ("M06", "M12")),
    ],
)
def test_explicit_rhythm_wins_over_plan_setting(
    text: str, recurrence: Recurrence, keys: tuple[str, ...]
) -> None:
    d = parse_deadline(text, 2025, recurrence)
    assert tuple(o.period for o in d.occurrences) == keys


@pytest.mark.parametrize(
    ("text", "recurrence", "keys", "start", "due"),
    [
        ("Thường xuyên", Recurrence.QUARTERLY, ("Q3", "Q4"), D(2025, 7, 1), D(2025, 12, 31)),
        (
            "Thường xuyên",
            Recurrence.MONTHLY,
            ("M07", "M08", "M09", "M10", "M11", "M12"),
            D(2025, 7, 1),
            D(2025, 12, 31),
        ),
        ("Thường xuyên", Recurrence.HALF_YEARLY, ("H2",), D(2025, 7, 1), D(2025, 12, 31)),
        ("Quý I-IV năm 2025", Recurrence.MONTHLY, ("Q3", "Q4"), D(2025, 7, 1), D(2025, 12, 31)),
        ("tháng 6 và tháng 12", Recurrence.QUARTERLY, ("M12",), D(2025, 12, 1), D(2025, 12, 31)),
        ("định kỳ 6 tháng", Recurrence.QUARTERLY, ("H2",), D(2025, 7, 1), D(2025, 12, 31)),
    ],
)
def test_plan_issued_in_july_owes_nothing_earlier(
    text: str, recurrence: Recurrence, keys: tuple[str, ...], start: date, due: date
) -> None:
    d = parse_deadline(text, 2025, recurrence, starts=D(2025, 7, 1))
    assert tuple(o.period for o in d.occurrences) == keys
    assert (d.start, d.due) == (start, due)


def test_starts_after_every_occurrence_keeps_the_last() -> None:
    d = parse_deadline("Thường xuyên", 2025, starts=D(2026, 3, 1))
    assert [o.period for o in d.occurrences] == ["Q4"]
    assert (d.start, d.due) == (D(2025, 10, 1), D(2025, 12, 31))


def test_starts_mid_quarter_keeps_that_quarter() -> None:
    d = parse_deadline("hằng quý", 2025, starts=D(2025, 8, 15))
    assert [o.period for o in d.occurrences] == ["Q3", "Q4"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Q3", "Q3"),
        ("q3", "Q3"),
        ("quý 3", "Q3"),
        ("Quý III", "Q3"),
        ("QUY IV", "Q4"),
        ("Q3/2025", "Q3"),
        ("T7", "M07"),
        ("M7", "M07"),
        ("m07", "M07"),
        ("tháng 7", "M07"),
        ("Tháng 12", "M12"),
        ("H2", "H2"),
        ("h1", "H1"),
        ("6T-cuoi", "H2"),
        ("6T-đầu", "H1"),
        ("6 tháng cuối năm", "H2"),
        ("Q5", None),
        ("M13", None),
        ("", None),
        ("hôm nay", None),
    ],
)
def test_normalize_period(text: str, key: str | None) -> None:
    assert normalize_period(text) == key


@pytest.mark.parametrize(
    ("text", "recurrence", "starts", "canonical"),
    [
        ("Ngày 25/7/2025", Recurrence.QUARTERLY, None, "Ngày 25/07/2025"),
        ("thang 7", Recurrence.QUARTERLY, None, "Tháng 07/2025"),
        ("quý 3/2025", Recurrence.QUARTERLY, None, "Quý III/2025"),
        ("6 tháng cuối năm", Recurrence.QUARTERLY, None, "06 tháng cuối năm 2025"),
        ("6 tháng đầu năm", Recurrence.QUARTERLY, None, "06 tháng đầu năm 2025"),
        ("Cả năm", Recurrence.QUARTERLY, None, "Năm 2025"),
        ("Quý I-IV năm 2025", Recurrence.QUARTERLY, None, "Thường xuyên (hằng quý) năm 2025"),
        ("Thường xuyên", Recurrence.MONTHLY, None, "Thường xuyên (hằng tháng) năm 2025"),
        ("Thường xuyên", Recurrence.HALF_YEARLY, None, "Thường xuyên (6 tháng một lần) năm 2025"),
        ("Thường xuyên", Recurrence.QUARTERLY, D(2025, 7, 1), "Quý III-IV năm 2025"),
        ("Thường xuyên", Recurrence.QUARTERLY, D(2025, 10, 1), "Định kỳ quý IV năm 2025"),
        ("Thường xuyên", Recurrence.HALF_YEARLY, D(2025, 7, 1), "Định kỳ 06 tháng cuối năm 2025"),
        ("tháng 6 và tháng 12", Recurrence.QUARTERLY, None, "Tháng 06, tháng 12 năm 2025"),
        ("Khi có yêu cầu", Recurrence.QUARTERLY, None, "Khi có yêu cầu"),
    ],
)
def test_canonical_text(
    text: str, recurrence: Recurrence, starts: date | None, canonical: str
) -> None:
    d = parse_deadline(text, 2025, recurrence, starts)
    assert canonical_text(d) == canonical
    again = parse_deadline(canonical, 2025)
    assert (again.kind, again.start, again.due, again.occurrences) == (
        d.kind,
        d.start,
        d.due,
        d.occurrences,
    )


def test_deadline_json_moves_due_off_days() -> None:
    calendar = WorkCalendar(holidays=[D(2025, 9, 1), D(2025, 9, 2)])
    d = parse_deadline("Tháng 8/2025", 2025)  # ends Sunday 31/08
    assert deadline_json(d, calendar) == {
        "text": "Tháng 8/2025",
        "kind": "month",
        "start": "2025-08-01",
        "due": "2025-08-31",
        "effective_due": "2025-09-03",
        "flagged": False,
    }


def test_deadline_json_recurring_and_unparsed() -> None:
    calendar = WorkCalendar()
    d = parse_deadline("6 tháng một lần", 2025)
    out = deadline_json(d, calendar)
    assert out["kind"] == "recurring"
    assert out["occurrences"] == [
        # 30/06/2025 is a Monday; 31/12/2025 a Wednesday
        {"period": "H1", "start": "2025-01-01", "due": "2025-06-30", "effective_due": "2025-06-30"},
        {"period": "H2", "start": "2025-07-01", "due": "2025-12-31", "effective_due": "2025-12-31"},
    ]
    assert deadline_json(parse_deadline("??", 2025), calendar) == {
        "text": "??",
        "kind": "unparsed",
        "start": None,
        "due": None,
        "effective_due": None,
        "flagged": True,
    }


# Properties ----------------------------------------------------------------------------


@given(st.text())
def test_never_raises(text: str) -> None:
    d = parse_deadline(text, 2025)
    assert d.text == text
    assert (d.start is None) == (d.due is None)


@given(st.text(alphabet="0123456789/-. QqUuÝýIiVvTtHhÁáNnGgĐđ"))
def test_never_raises_on_near_misses(text: str) -> None:
    parse_deadline(text, 2025)


def _in_year_phrase() -> st.SearchStrategy[str]:
    """Random single-period phrases with no year of their own."""
    roman = ["I", "II", "III", "IV"]
    return st.one_of(
        st.dates(D(2001, 1, 1), D(2001, 12, 31)).map(lambda d: f"ngày {d.day}/{d.month}"),
        st.dates(D(2001, 1, 1), D(2001, 12, 31)).map(lambda d: f"{d.day:02d}-{d.month:02d}"),
        st.integers(1, 12).map(lambda m: f"Tháng {m}"),
        st.integers(1, 4).map(lambda q: f"Quý {roman[q - 1]}"),
        st.integers(1, 4).map(lambda q: f"quy {q}"),
        st.sampled_from(["6 tháng đầu năm", "6 tháng cuối năm", "Cả năm", "Thường xuyên"]),
        st.sampled_from(["hằng tháng", "định kỳ 6 tháng", "tháng 6 và tháng 12"]),
    )


@given(_in_year_phrase(), st.integers(1990, 2100))
def test_in_year_phrases_fall_due_inside_the_year(text: str, year: int) -> None:
    d = parse_deadline(text, year)
    assert d.start is not None and d.due is not None
    assert D(year, 1, 1) <= d.start <= d.due <= D(year, 12, 31)
    for o in d.occurrences:
        assert D(year, 1, 1) <= o.start <= o.due <= D(year, 12, 31)


@given(
    _in_year_phrase(),
    st.integers(1990, 2100),
    st.sampled_from(list(Recurrence)),
    st.none() | st.dates(D(2001, 1, 1), D(2001, 12, 31)),
)
def test_parse_is_idempotent_on_canonical_text(
    text: str, year: int, recurrence: Recurrence, starts: date | None
) -> None:
    d = parse_deadline(text, year, recurrence, starts and starts.replace(year=year))
    again: Deadline = parse_deadline(canonical_text(d), year + 1)  # the text carries the year
    assert (again.kind, again.start, again.due, again.occurrences) == (
        d.kind,
        d.start,
        d.due,
        d.occurrences,
    )
