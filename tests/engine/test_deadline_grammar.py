"""Deadline phrases gathered from real appendices (issue 11, item 4); expected windows by hand."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.deadlines import excel_date_text, parse_deadline
from planflow.engine.types import DeadlineKind as K

D = date
REAL = [  # phrase, plan year, kind, start, due
    ("Quý IV/2025 - Quý II/2026", 2025, K.QUARTER, D(2025, 10, 1), D(2026, 6, 30)),
    ("Năm 2025 - 2026", 2025, K.YEAR, D(2025, 1, 1), D(2026, 12, 31)),
    ("Năm 2025-2030", 2025, K.YEAR, D(2025, 1, 1), D(2030, 12, 31)),
    ("2026-2028", 2026, K.YEAR, D(2026, 1, 1), D(2028, 12, 31)),
    ("2025 - 2035", 2025, K.YEAR, D(2025, 1, 1), D(2035, 12, 31)),
    ("Giai đoạn 2026 - 2030", 2026, K.YEAR, D(2026, 1, 1), D(2030, 12, 31)),
    ("Từ nay đến hết năm 2025", 2025, K.YEAR, D(2025, 1, 1), D(2025, 12, 31)),
    ("Quí III/2025", 2025, K.QUARTER, D(2025, 7, 1), D(2025, 9, 30)),
    ("Quý IV-2025", 2025, K.QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
    ("Quý IV/2025.", 2025, K.QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
    ("Tháng 02/2026", 2026, K.MONTH, D(2026, 2, 1), D(2026, 2, 28)),
    ("2026", 2026, K.YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    ("Ban hành trong quý I năm 2026. Thực hiện rà soát, điều chỉnh (nếu có)", 2026,
     K.QUARTER, D(2026, 1, 1), D(2026, 3, 31)),
    ("Hoàn thành trong năm 2026 và có rà soát, sửa đổi, bổ sung trong các năm tiếp theo"
     " (nếu có)", 2026, K.YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    ("Hoàn thành trong giai đoạn 2026 - 2027 và vận hành thường xuyên, liên tục", 2026,
     K.YEAR, D(2026, 1, 1), D(2027, 12, 31)),
    ("Mạng lưới quan trắc môi trường được đầu tư, đồng bộ hoàn thành trước năm 2027 và"
     " vận hành thường xuyên, liên tục.", 2026, K.YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    ("Nhiệm vụ thường xuyên", 2025, K.RECURRING, D(2025, 1, 1), D(2025, 12, 31)),
    ("Thực hiện thường xuyên, liên tục", 2026, K.RECURRING, D(2026, 1, 1), D(2026, 12, 31)),
    ("Thường xuyên, hằng năm", 2025, K.YEAR, D(2025, 1, 1), D(2025, 12, 31)),
    ("Thường xuyên, định kỳ hằng quý báo cáo về Sở Nội vụ", 2025, K.RECURRING,
     D(2025, 1, 1), D(2025, 12, 31)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "year", "kind", "start", "due"), REAL)
def test_real_phrase(text: str, year: int, kind: K, start: date, due: date) -> None:
    d = parse_deadline(text, year)
    assert (d.kind, d.start, d.due) == (kind, start, due)


def test_free_form_is_unscheduled_and_nonsense_flagged() -> None:
    assert parse_deadline("Triển khai theo lộ trình, hướng dẫn của Bộ, ngành", 2025).kind is (
        K.UNSCHEDULED
    )
    d = parse_deadline("Sau khi có ý kiến", 2025)
    assert d.flagged and d.text == "Sau khi có ý kiến"


def test_quarterly_rhythm_wrapped_in_words() -> None:
    d = parse_deadline("Thường xuyên, định kỳ hằng quý báo cáo về Sở Nội vụ", 2025)
    assert [o.period for o in d.occurrences] == ["Q1", "Q2", "Q3", "Q4"]


def test_yearly_in_a_five_year_plan_is_one_occurrence_a_year() -> None:
    d = parse_deadline("Hằng năm", 2026, until=2030)
    assert [o.period for o in d.occurrences] == ["Y2026", "Y2027", "Y2028", "Y2029", "Y2030"]
    assert d.occurrences[1].start == D(2027, 1, 1) and d.occurrences[1].due == D(2027, 12, 31)
    assert parse_deadline("Hằng năm", 2025).kind is K.YEAR  # a one-year plan: the year


@pytest.mark.parametrize(
    ("fmt", "text"),
    # "m" is the month unpadded, as Excel shows it; a quoted prefix is kept ('"Tháng "m/yyyy').
    [("mm/yyyy", "Tháng 06/2025"), ("m/yy", "Tháng 6/2025"), ('"Tháng "m/yyyy', "Tháng 6/2025"),
     ("dd/mm/yyyy", "03/06/2025"), ("d/m/yyyy", "03/06/2025"), ("yyyy", "Năm 2025"),
     ("General", "03/06/2025")],
)  # fmt: skip
def test_excel_date_by_number_format(fmt: str, text: str) -> None:
    assert excel_date_text(D(2025, 6, 3), fmt) == text


@given(st.text(max_size=120), st.integers(1900, 2100), st.none() | st.integers(1900, 2200))
def test_parser_never_crashes(text: str, year: int, until: int | None) -> None:
    parse_deadline(text, year, until=until)
