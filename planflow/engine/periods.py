"""Reporting periods (kỳ báo cáo): which days a quarterly, half-year or annual report covers.

Periodic reports of state agencies close their data by the national cut-off rule
(Nghị định 09/2019/NĐ-CP, art. 12): a quarter runs from the 15th of the month before it to
the 14th of its last month (Q3/2025 = 15/06/2025–14/09/2025, Q1/2025 = 15/12/2024–14/03/2025);
six months from 15/12 of the previous year to 14/06; nine months to 14/09; the second half
from 15/06 to 14/12; the year from 15/12 of the previous year to 14/12. That is why Thạch
Khê's Q3 report counts "tính đến 14/9/2025". A unit may instead report calendar periods
(Q3 = 01/07–30/09): the unit setting `period_mode` is "cutoff" (default) or "calendar".

Accepted forms (case-insensitive, "/" or "-" or a space before the year):
Q1/2025 … Q4/2025 (also "Quý III/2025"), 6T-dau/2025 (also 6T/2025, 6M/2025, H1/2025,
"6 tháng đầu năm 2025"), 9T/2025 (also 9M/2025, "9 tháng năm 2025"), 6T-cuoi/2025 (also
H2/2025), 2025; without the year ("Q4", "9M") the current year.
"""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from planflow.errors import UsageError

CUTOFF, CALENDAR = "cutoff", "calendar"
MODES = (CUTOFF, CALENDAR)
FORMS = "Q1/2025…Q4/2025, 6T-dau/2025 (6M/2025), 9T/2025 (9M/2025), 6T-cuoi/2025, 2025, Q4"

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Period:
    """A reporting period: `key` is the canonical form users type ("Q3/2025")."""

    key: str
    label_vi: str
    label_en: str
    start: date
    end: date
    year: int
    mode: str = CUTOFF

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def _span(kind: str, year: int, mode: str) -> tuple[date, date]:
    """(first month, last month) of the period, then the days by the mode's rule."""
    first, last = {
        "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
        "h1": (1, 6), "9t": (1, 9), "h2": (7, 12), "y": (1, 12),
    }[kind]  # fmt: skip
    if mode == CALENDAR:
        return date(year, first, 1), _month_end(year, last)
    start = date(year - 1, 12, 15) if first == 1 else date(year, first - 1, 15)
    return start, date(year, last, 14)


_LABELS = {
    "q1": ("Quý I/{y}", "Q1 {y}"),
    "q2": ("Quý II/{y}", "Q2 {y}"),
    "q3": ("Quý III/{y}", "Q3 {y}"),
    "q4": ("Quý IV/{y}", "Q4 {y}"),
    "h1": ("6 tháng đầu năm {y}", "first half of {y}"),
    "9t": ("9 tháng năm {y}", "first nine months of {y}"),
    "h2": ("6 tháng cuối năm {y}", "second half of {y}"),
    "y": ("Năm {y}", "year {y}"),
}
_KEYS = {
    "q1": "Q1/{y}", "q2": "Q2/{y}", "q3": "Q3/{y}", "q4": "Q4/{y}",
    "h1": "6T-dau/{y}", "9t": "9T/{y}", "h2": "6T-cuoi/{y}", "y": "{y}",
}  # fmt: skip

_FORM = re.compile(r"^(?:(?P<what>[a-z0-9 _\-]+?)\s*[/\- ]\s*)?(?P<year>[12][0-9]{3})$")


def _kind(what: str) -> str | None:
    what = re.sub(r"[\s\-_]+", "", what)
    if not what or what in ("nam", "y", "year"):
        return "y"
    match = re.fullmatch(r"(?:q|quy)([1-4]|i{1,3}|iv)", what)
    if match:
        n = match.group(1)
        return f"q{_ROMAN.get(n, n)}"
    if what in ("6t", "6m", "6tdau", "h1", "6thang", "6thangdau", "6thangdaunam", "6thangnam"):
        return "h1"
    if what in ("6tcuoi", "h2", "6thangcuoi", "6thangcuoinam"):
        return "h2"
    if what in ("9t", "9m", "9thang", "9thangnam", "9thangdaunam"):
        return "9t"
    return None


def make_period(kind: str, year: int, mode: str = CUTOFF) -> Period:
    """A period from its kind ("q1"…"q4", "h1", "9t", "h2", "y") and year."""
    start, end = _span(kind, year, mode)
    vi, en = _LABELS[kind]
    return Period(
        key=_KEYS[kind].format(y=year),
        label_vi=vi.format(y=year),
        label_en=en.format(y=year),
        start=start,
        end=end,
        year=year,
        mode=mode,
    )


def parse_period(text: str, mode: str = CUTOFF, year: int | None = None) -> Period:
    """Read `--period`; a text it cannot read is a UsageError naming the accepted forms.
    Without a year in the text ("Q4", "9M"), `year` (the caller's current year) is used."""
    if mode not in MODES:
        raise UsageError(
            f"period_mode '{mode}' không hợp lệ (cutoff hoặc calendar)",
            f"invalid period_mode '{mode}' (cutoff or calendar)",
        )
    folded = _ascii(text.strip())
    match = _FORM.match(folded)
    kind = _kind(match.group("what") or "") if match else None
    if match is None and year is not None and folded and (bare := _kind(folded)) != "y":
        return make_period(bare, year, mode) if bare else _unknown(text)
    if match is None or kind is None:
        raise UsageError(
            f"--period: không hiểu kỳ báo cáo '{text}' (dùng {FORMS})",
            f"--period: cannot read the reporting period '{text}' (use {FORMS})",
        )
    return make_period(kind, int(match.group("year")), mode)


def _unknown(text: str) -> Period:
    raise UsageError(
        f"--period: không hiểu kỳ báo cáo '{text}' (dùng {FORMS})",
        f"--period: cannot read the reporting period '{text}' (use {FORMS})",
    )
