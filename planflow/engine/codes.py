"""Task codes sorted as people read them: III.2.2 before III.2.10, IX after V.

A code is parts joined by dots ("III.2.10", "PS.3", "2a"). A part that is a roman numeral
(section numbers) counts as its value; digits count as numbers; anything else sorts after
the numbers, by its text with its digit runs as numbers.
"""

from __future__ import annotations

import re

_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_DIGITS = re.compile(r"(\d+)")

Key = tuple[tuple[int, int, tuple[tuple[int, str], ...]], ...]


def roman_value(text: str) -> int | None:
    """The value of a well-formed roman numeral ("IX" → 9), else None ("IIII", "A", "")."""
    upper = text.upper()
    if not upper or not _ROMAN.fullmatch(upper):
        return None
    total = 0
    for this, after in zip(upper, [*upper[1:], ""], strict=True):
        value = _VALUES[this]
        total += -value if after and _VALUES[after] > value else value
    return total


def code_key(code: str) -> Key:
    """Sort key of a task code; total (any string has one) and case-insensitive."""
    parts = []
    for part in code.strip().split("."):
        if part.isdigit():
            parts.append((0, int(part), ()))
        elif (value := roman_value(part)) is not None:
            parts.append((0, value, ()))
        else:
            chunks = tuple(
                (int(c), "") if c.isdigit() else (-1, c.casefold())
                for c in _DIGITS.split(part)
                if c
            )
            parts.append((1, 0, chunks))
    return tuple(parts)
