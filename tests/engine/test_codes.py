"""Task codes in reading order, not text order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.codes import code_key, roman_value


def test_numbers_as_numbers_and_sections_as_roman_numerals() -> None:
    codes = ["III.2.10", "IX.2.1", "III.2.2", "V.2.1", "IV.2.1", "III.2.9", "X.1", "PS.2", "I.2.1"]
    assert sorted(codes, key=code_key) == [
        "I.2.1",  # I = 1
        "III.2.2",
        "III.2.9",
        "III.2.10",  # as text it sorted before III.2.2
        "IV.2.1",
        "V.2.1",
        "IX.2.1",  # as text it sorted before V
        "X.1",
        "PS.2",  # not a numeral: after the sections
    ]


def test_roman_values() -> None:
    assert [roman_value(r) for r in ("I", "IV", "IX", "XIV", "XL", "xii")] == [1, 4, 9, 14, 40, 12]
    assert [roman_value(r) for r in ("", "IIII", "VX", "PS", "2")] == [None] * 5


def test_digit_runs_inside_a_part_count_as_numbers() -> None:
    assert sorted(["PS10", "PS2", "PS1a"], key=code_key) == ["PS1a", "PS2", "PS10"]


@given(st.lists(st.text(alphabet="IVX0123456789.aP", max_size=8), max_size=12))
def test_any_codes_sort_without_error(codes: list[str]) -> None:
    once = sorted(codes, key=code_key)
    assert sorted(once, key=code_key) == once
