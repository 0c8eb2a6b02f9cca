"""`clean` and `fold` are total and idempotent: every importer and name lookup relies on it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.text import clean, fold, one_line, unwrap

# Text that looks like what PDFs and old fonts produce, plus anything at all.
_PIECES = st.sampled_from(
    [
        "ƣ",
        "Ƣ",
        "\u00ad",
        "\u200b",
        "\ufeff",
        "-\n",
        "\n",
        "\r\n",
        " ",
        "\u00a0",
        "\t",
        "a",
        "Đ",
        "ệ",
        "e\u0323\u0302",
        "u\u031b\u0301",
        "2.1.",
        "HĐND-",
        "ngh",
        "-",
        "\v",
        "\u2028",
    ]
)
VIETNAMESE = st.lists(_PIECES, max_size=30).map("".join)
ANY_TEXT = st.one_of(st.text(), VIETNAMESE)


@given(ANY_TEXT)
def test_clean_is_idempotent_and_total(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\u00ad" not in once and "ƣ" not in once and "\r" not in once
    assert not once.startswith((" ", "\n")) and "\n\n" not in once


@given(ANY_TEXT)
def test_fold_is_idempotent_and_total(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in key)


@given(ANY_TEXT)
def test_unwrap_and_one_line_never_raise(text: str) -> None:
    assert "\n" not in one_line(text)
    assert unwrap(unwrap(text)) == unwrap(text)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Tăng cƣờng", "Tăng cường"),
        ("TRƢỞNG PHÒNG", "TRƯỞNG PHÒNG"),
        ("ƣ\u0301", "ứ"),  # legacy glyph plus a combining tone composes
        ("kế hoạ\u00adch", "kế hoạch"),
        ("Kế\u200bhoạch", "Kếhoạch"),
        ("Vie\u0302\u0323t Nam", "Việt Nam"),  # NFD in the other mark order
        ("ngh-\niệp", "nghiệp"),
        ("HĐND-\nUBND", "HĐND-UBND"),
        ("12-\nNQ/TU", "12-NQ/TU"),
        ("  Phòng \u00a0 VHXH \t", "Phòng VHXH"),
        ("a\r\n\r\n b", "a\nb"),
        ("", ""),
    ],
)
def test_clean_cases(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("5- Chủ trì", "5 chu tri"),
        ("Thời gian hoàn\nthành", "thoi gian hoan thanh"),
        ("Phòng Kinh tế", "phong kinh te"),
        ("ĐOÀN THỂ", "doan the"),
        ("Trƣởng phòng", "truong phong"),
        ("Vie\u0302\u0323t", "viet"),
    ],
)
def test_fold_cases(raw: str, key: str) -> None:
    assert fold(raw) == key


def test_unwrap_keeps_list_items_and_joins_wraps() -> None:
    raw = (
        "3.7 Ban hành Kế hoạch\nKiểm tra CCHC\n3.8. Thông báo 06 tháng cuối\n2025 của xã\n- Báo cáo"
    )
    assert unwrap(raw) == (
        "3.7 Ban hành Kế hoạch Kiểm tra CCHC\n3.8. Thông báo 06 tháng cuối 2025 của xã\n- Báo cáo"
    )
