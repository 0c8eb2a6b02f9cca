"""Read the appendix's "Thời gian hoàn thành" column into a Deadline (a period window).

The phrases are typed by people: any case, with or without diacritics, any Unicode form,
stray spaces. Matching is done on a folded key (no case, no diacritics) that keeps "/" and
"-" because they carry meaning in dates and ranges ("15-12-2025", "Quý I-IV"). Each kind is
one full-string pattern; anything else is UNPARSED, flagged for a human, never an error.

Window rules: start is the first day of the period, due its last day (before the
working-day rule, see calendar.WorkCalendar.effective_due). A recurring deadline has one
Occurrence per period, keyed as users type periods on the command line ("Q3", "M07", "H2").
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date
from functools import lru_cache
from typing import Any

from planflow.engine.calendar import WorkCalendar
from planflow.engine.text import clean, fold, one_line
from planflow.engine.types import Deadline, DeadlineKind, Occurrence, Recurrence

__all__ = [
    "canonical_text",
    "deadline_json",
    "excel_date_text",
    "normalize_period",
    "parse_deadline",
]

_DASHES = str.maketrans(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"))
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}

# A year after a period: "/2025", "-2025", " 2025", " năm 2025", " trong năm 2025".
_YEAR = r"(?:(?:/|-| | nam | trong nam )(?P<y>\d{4}))?"
# "Trong Quý III", "Hoàn thành trong tháng 7".
_WITHIN = r"(?:(?:hoan thanh |thuc hien )?trong )?"
_BY = r"(?:(?:hoan thanh |thuc hien )?(?:truoc|den|cham nhat|han|vao)(?: la)? )?(?:ngay )?"
_ITEM = r"(?:iv|i{1,3}|\d{1,2})(?![0-9a-z])"

_DATE_NUMERIC = re.compile(_BY + r"(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?:[/-](?P<y>\d{4}))?")
_DATE_WORDS = re.compile(_BY + r"(?P<d>\d{1,2}) thang (?P<m>\d{1,2})(?: nam (?P<y>\d{4}))?")
_MONTH_NUMERIC = re.compile(_WITHIN + r"(?P<m>\d{1,2})[/-](?P<y>\d{4})")
_PERIODS = re.compile(
    _WITHIN + r"(?P<dk>dinh ky )?(?:tu )?(?P<unit>quy|thang) "
    rf"(?P<body>{_ITEM}(?:(?: va | den |-| )(?:(?:quy|thang) )?{_ITEM})*)" + _YEAR
)
_HALF = re.compile(
    _WITHIN + r"(?P<dk>dinh ky )?(?:0?6 thang|nua) (?P<h>dau|cuoi) nam(?:(?:/|-| )(?P<y>\d{4}))?"
)
_YEAR_ONLY = re.compile(
    r"(?:hoan thanh |thuc hien )?(?:(?:ca|trong|hang) nam(?:(?:/|-| )(?P<y>\d{4}))?"
    r"|(?:trong )?(?:nam )?(?P<y2>\d{4}))"
)
_RECURRING = re.compile(
    r"(?:thuc hien )?(?P<base>(?:thuong xuyen|lien tuc|dinh ky)(?: (?:lien tuc|thuong xuyen))?)?"
    r" ?(?P<qual>(?:hang|moi|theo) (?:quy|thang)"
    r"|(?:hang |moi )?(?:0?6 thang|nua nam)(?: mot lan)?)?" + _YEAR
)
# "Theo lộ trình…", "Khi có yêu cầu", "Tùy tình hình", "Đột xuất": no date to hold anyone to.
_UNSCHEDULED_FIRST = frozenset({"theo", "khi", "tuy"})
_UNSCHEDULED_START = ("dot xuat", "can cu ")

_RECURRENCE_OF_PREFIX = {
    "Q": Recurrence.QUARTERLY,
    "M": Recurrence.MONTHLY,
    "H": Recurrence.HALF_YEARLY,
    "Y": Recurrence.YEARLY,
}


def _key(text: str) -> str:
    """Like text.fold, but "/" and "-" survive (dates and ranges need them)."""
    s = unicodedata.normalize("NFD", clean(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("đ", "d").replace("Đ", "D").casefold().translate(_DASHES)
    s = re.sub(r"(?<=\d)\.(?=\d)", "/", s)  # 15.12.2025
    s = re.sub(r"[^0-9a-z/-]+", " ", s)
    s = re.sub(r"\s*([/-])\s*", r"\1", s)
    s = re.sub(r"\bqui\b", "quy", s)  # "Quí", the older spelling
    return " ".join(s.split())


# Periods -------------------------------------------------------------------------------


def _month(year: int, month: int) -> Occurrence:
    return Occurrence(
        f"M{month:02d}", date(year, month, 1), date(year, month, monthrange(year, month)[1])
    )


def _quarter(year: int, quarter: int) -> Occurrence:
    first, last = 3 * quarter - 2, 3 * quarter
    return Occurrence(
        f"Q{quarter}", date(year, first, 1), date(year, last, monthrange(year, last)[1])
    )


def _half(year: int, half: int) -> Occurrence:
    if half == 1:
        return Occurrence("H1", date(year, 1, 1), date(year, 6, 30))
    return Occurrence("H2", date(year, 7, 1), date(year, 12, 31))


def _all_periods(year: int, recurrence: Recurrence) -> list[Occurrence]:
    if recurrence is Recurrence.MONTHLY:
        return [_month(year, m) for m in range(1, 13)]
    if recurrence is Recurrence.HALF_YEARLY:
        return [_half(year, h) for h in (1, 2)]
    return [_quarter(year, q) for q in range(1, 5)]


# Parsing -------------------------------------------------------------------------------


def parse_deadline(
    text: str,
    year: int,
    recurrence: Recurrence = Recurrence.QUARTERLY,
    starts: date | None = None,
    until: int | None = None,
) -> Deadline:
    """Read a deadline phrase; never raises. Missing years are the plan `year`.

    `recurrence` is the plan's setting for a bare "Thường xuyên"; an explicit "hằng quý",
    "hằng tháng", "định kỳ 6 tháng" or a list of periods wins over it. `starts` drops the
    occurrences already past when the plan was issued (keeping at least the last one).
    `until` is the last year of a plan that spans years ("giai đoạn 2026–2030"): there a
    yearly phrase ("Hằng năm") is one occurrence a year, Y2026 … Y2030.
    """
    found = _read(text, year, recurrence)
    if until is not None and until > year and found is not None and _yearly(text):
        found = DeadlineKind.RECURRING, _years(year, until), Recurrence.YEARLY
    if found is None:
        return Deadline(text, DeadlineKind.UNPARSED)
    kind, occurrences, how = found
    if not occurrences:
        return Deadline(text, kind)
    if kind is not DeadlineKind.RECURRING:
        return Deadline(text, kind, occurrences[0].start, occurrences[0].due)
    if starts is not None:
        occurrences = tuple(o for o in occurrences if o.due >= starts) or occurrences[-1:]
    return Deadline(text, kind, occurrences[0].start, occurrences[-1].due, occurrences, how)


# kind, windows (one unless recurring, none if unscheduled), recurrence (recurring only)
_Parsed = tuple[DeadlineKind, list[Occurrence], Recurrence | None]
_UNSCHEDULED: _Parsed = (DeadlineKind.UNSCHEDULED, [], None)


@lru_cache(maxsize=4096)
def _read(
    text: str, year: int, recurrence: Recurrence
) -> tuple[DeadlineKind, tuple[Occurrence, ...], Recurrence | None] | None:
    """Cached: an appendix repeats a handful of phrases across thousands of tasks."""
    if not clean(text):
        return DeadlineKind.UNSCHEDULED, (), None  # a blank cell: nothing was promised
    try:
        key = _key(text)
        found = _parse(key, year, recurrence) or _range(key, year, recurrence)
        found = found or _wrapped(key, year, recurrence)
    except (ValueError, OverflowError):  # 31/02, month 13, year 0000
        return None
    if found is None:
        return None
    kind, occurrences, how = found
    return kind, tuple(occurrences), how


def _parse(s: str, year: int, recurrence: Recurrence) -> _Parsed | None:
    """The kind and window of a folded phrase, or None when it is not understood."""
    if not s:
        return None  # "?", "-", "…": something was written, so a human should look
    for pattern in (_DATE_NUMERIC, _DATE_WORDS):
        if m := pattern.fullmatch(s):
            day = date(_year(m, year), int(m["m"]), int(m["d"]))
            return DeadlineKind.DATE, [Occurrence("", day, day)], None
    if m := _MONTH_NUMERIC.fullmatch(s):
        return DeadlineKind.MONTH, [_month(int(m["y"]), int(m["m"]))], None
    if m := _PERIODS.fullmatch(s):
        return _periods(m, year)
    if m := _HALF.fullmatch(s):
        occurrence = _half(_year(m, year), 1 if m["h"] == "dau" else 2)
        if m["dk"]:
            return DeadlineKind.RECURRING, [occurrence], Recurrence.HALF_YEARLY
        return DeadlineKind.HALF_YEAR, [occurrence], None
    if m := _YEAR_ONLY.fullmatch(s):
        y = int(m["y"] or m["y2"] or year)
        return DeadlineKind.YEAR, [Occurrence("", date(y, 1, 1), date(y, 12, 31))], None
    if (m := _RECURRING.fullmatch(s)) and (m["base"] or m["qual"]):
        qual = m["qual"] or ""
        if not m["base"] and re.fullmatch(r"0?6 thang|nua nam", qual):
            return None  # "6 tháng" alone is a length, not a rhythm
        if "6" in qual or "nua" in qual:
            recurrence = Recurrence.HALF_YEARLY
        elif "quy" in qual:
            recurrence = Recurrence.QUARTERLY
        elif "thang" in qual:
            recurrence = Recurrence.MONTHLY
        return DeadlineKind.RECURRING, _all_periods(_year(m, year), recurrence), recurrence
    if s.split(" ", 1)[0] in _UNSCHEDULED_FIRST or s.startswith(_UNSCHEDULED_START):
        return _UNSCHEDULED
    return None


# Ranges and phrases wrapped in other words ----------------------------------------------

_RANGE_LEAD = re.compile(r"(?:(?:hoan thanh |thuc hien |trien khai )?(?:trong )?giai doan |tu )")
_FROM_NOW = re.compile(r"(?:tu )?(?:nay|bay gio|thoi diem ban hanh)")
_BEFORE_YEAR = re.compile(r"truoc nam (?P<y>\d{4})")
_DATED = (
    DeadlineKind.DATE,
    DeadlineKind.MONTH,
    DeadlineKind.QUARTER,
    DeadlineKind.HALF_YEAR,
    DeadlineKind.YEAR,
)
# Words that make a phrase recurring wherever they stand ("Nhiệm vụ thường xuyên").
_RHYTHMS = (
    ("hang thang", Recurrence.MONTHLY),
    ("moi thang", Recurrence.MONTHLY),
    ("hang quy", Recurrence.QUARTERLY),
    ("moi quy", Recurrence.QUARTERLY),
    ("6 thang", Recurrence.HALF_YEARLY),
    ("nua nam", Recurrence.HALF_YEARLY),
)
_ONGOING = ("thuong xuyen", "lien tuc", "dinh ky")
_FREE_FORM = ("theo lo trinh", "theo huong dan", "theo chi dao", "khi co yeu cau", "dot xuat")


def _range(s: str, year: int, recurrence: Recurrence) -> _Parsed | None:
    """Read "Quý IV/2025 - Quý II/2026", "Năm 2025 - 2026", "2026-2028", "Từ nay đến hết năm
    2025": one window from the start of the first period to the end of the last. The kind is
    the last period's, so the due date is what the plan holds people to."""
    body = s[m.end() :] if (m := _RANGE_LEAD.match(s)) else s
    cuts = [(c.start(), c.end()) for c in re.finditer(r"-| den (?:het )?| toi ", body)]
    for start, end in cuts:
        first, last = body[:start], body[end:]
        b = _parse(last, year, recurrence)
        if b is None or b[0] not in _DATED or not b[1]:
            continue
        if _FROM_NOW.fullmatch(first):
            return b
        a = _parse(first, b[1][-1].due.year, recurrence)  # "Quý I - Quý III/2026"
        if a is None or a[0] not in _DATED or not a[1]:
            continue
        window = Occurrence("", a[1][0].start, b[1][-1].due)
        if window.start <= window.due:
            return b[0], [window], None
    return None


def _wrapped(s: str, year: int, recurrence: Recurrence) -> _Parsed | None:
    """A deadline inside other words ("Ban hành trong quý I năm 2026. Thực hiện rà soát…",
    "Nhiệm vụ thường xuyên", "Thường xuyên, định kỳ hằng quý báo cáo về Sở…"). A dated
    window wins (it is what someone can be held to); the earliest, longest run of words
    that reads as one is taken. Else rhythm words make it recurring, and "theo lộ trình"
    anywhere makes it unscheduled."""
    if m := _BEFORE_YEAR.search(s):
        y = int(m["y"]) - 1
        return DeadlineKind.YEAR, [Occurrence("", date(y, 1, 1), date(y, 12, 31))], None
    words = s.split(" ")
    n = len(words)
    if n > 1:
        for i in range(n):
            for j in range(min(n, i + 8), i, -1):
                if j - i == n:
                    continue
                part = " ".join(words[i:j])
                if not re.search(r"\d", part):
                    continue
                found = _parse(part, year, recurrence) or _range(part, year, recurrence)
                if found is not None and found[0] in _DATED:
                    return found
    if any(w in s for w in _ONGOING) or re.search(r"\b(?:hang|moi) (?:quy|thang)\b", s):
        for words_, rhythm in _RHYTHMS:
            if words_ in s:
                recurrence = rhythm
                break
        else:
            if re.search(r"\bhang nam\b", s):
                return DeadlineKind.YEAR, [_whole_year(year)], None
        return DeadlineKind.RECURRING, _all_periods(year, recurrence), recurrence
    if any(w in s for w in _FREE_FORM):
        return _UNSCHEDULED
    return None


def _yearly(text: str) -> bool:
    return re.search(r"\b(?:hang|moi|trong cac) nam\b", _key(text)) is not None


def _years(first: int, last: int) -> tuple[Occurrence, ...]:
    return tuple(
        Occurrence(f"Y{y}", date(y, 1, 1), date(y, 12, 31)) for y in range(first, last + 1)
    )


def _whole_year(year: int) -> Occurrence:
    return Occurrence("", date(year, 1, 1), date(year, 12, 31))


def _year(m: re.Match[str], default: int) -> int:
    return int(m["y"]) if m["y"] else default


def _periods(m: re.Match[str], year: int) -> _Parsed | None:
    """Quarters or months: one is a period ("Quý III"); a range, a list or "định kỳ" in
    front ("Quý I-IV", "tháng 6 và tháng 12", "định kỳ quý IV") makes a recurring deadline."""
    y = _year(m, year)
    quarter = m["unit"] == "quy"
    body = re.sub(r"(?:quy|thang) ", "", m["body"]).replace(" den ", "-").replace(" va ", " ")
    numbers: list[int] = []
    for token in body.split(" "):
        parts = token.split("-")
        first, last = _period_number(parts[0], quarter), _period_number(parts[-1], quarter)
        if first is None or last is None or len(parts) > 2 or first > last:
            return None
        numbers.extend(range(first, last + 1))
    numbers = sorted(set(numbers))
    make = _quarter if quarter else _month
    occurrences = [make(y, n) for n in numbers]
    if len(occurrences) == 1 and "-" not in body and not m["dk"]:
        return (DeadlineKind.QUARTER if quarter else DeadlineKind.MONTH), occurrences, None
    return (
        DeadlineKind.RECURRING,
        occurrences,
        Recurrence.QUARTERLY if quarter else Recurrence.MONTHLY,
    )


def _period_number(token: str, quarter: bool) -> int | None:
    if quarter:
        n = _ROMAN.get(token) or (int(token) if token.isdigit() else 0)
        return n if 1 <= n <= 4 else None
    if token.isdigit() and 1 <= int(token) <= 12:
        return int(token)
    return None


# Period keys typed on the command line --------------------------------------------------

_PERIOD_YEAR = re.compile(r" (?:nam )?\d{4}$")
_PERIOD_KEY_QUARTER = re.compile(r"(?:q|quy)(iv|i{1,3}|[1-4])")
_PERIOD_KEY_MONTH = re.compile(r"(?:t|m|thang)(0?[1-9]|1[0-2])")
_PERIOD_KEY_HALF = re.compile(r"h([12])|(?:0?6t|0?6thang|nua)(dau|cuoi)(?:nam)?")


def normalize_period(text: str) -> str | None:
    """The canonical key ("Q3", "M07", "H2") for a period as a user types it, or None.

    Accepts "Q3", "quý 3", "Quý III", "T7", "M7", "tháng 7", "H2", "6T-cuoi", "6 tháng đầu
    năm"; a trailing year ("Q3/2025") is ignored because keys are within the plan year.
    """
    s = _PERIOD_YEAR.sub("", fold(text)).replace(" ", "")
    if m := _PERIOD_KEY_QUARTER.fullmatch(s):
        token = m[1]
        return f"Q{_ROMAN.get(token) or int(token)}"
    if m := _PERIOD_KEY_MONTH.fullmatch(s):
        return f"M{int(m[1]):02d}"
    if m := _PERIOD_KEY_HALF.fullmatch(s):
        if m[1]:
            return f"H{m[1]}"
        return "H1" if m[2] == "dau" else "H2"
    return None


def excel_date_text(value: date, number_format: str) -> str:
    """The phrase an Excel date cell shows, read from its number format: a cell formatted
    `mm/yyyy` (or `m/yy`, `mmm-yy`) promises a month, `dd/mm/yyyy` a day. The importer
    passes the cell's value and format; the text then goes through parse_deadline. A month
    cell keeps the format's own words and padding (`"Tháng "m/yyyy` shows "Tháng 6/2025")."""
    fmt = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").casefold()
    has_day = "d" in fmt
    has_month = "m" in fmt.replace("mm:", "").replace(":mm", "")
    if has_month and not has_day:
        month = f"{value.month:02d}" if "mm" in fmt else str(value.month)
        literal = re.match(r'\s*"([^"]*)"', number_format or "")
        prefix = literal.group(1) if literal and fold(literal.group(1)).strip() else "Tháng "
        return f"{prefix}{month}/{value.year}"
    if "y" in fmt and not has_month and not has_day:
        return f"Năm {value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


# Output --------------------------------------------------------------------------------


def canonical_text(d: Deadline) -> str:
    """The phrase planflow would write for `d`; parse_deadline reads it back to the same
    kind, window and occurrences. Unscheduled and unparsed phrases keep their own words."""
    start, due = d.start, d.due
    if d.kind is DeadlineKind.RECURRING:
        return _canonical_recurring(d)
    if start is None or due is None or d.kind in (DeadlineKind.UNSCHEDULED, DeadlineKind.UNPARSED):
        return _canonical_unscheduled(d)
    if d.kind is DeadlineKind.DATE:
        return f"Ngày {due:%d/%m/%Y}"
    if d.kind is DeadlineKind.MONTH:
        return f"Tháng {start:%m/%Y}"
    if d.kind is DeadlineKind.QUARTER:
        return f"Quý {_ROMAN_OUT[(start.month - 1) // 3 + 1]}/{start.year}"
    if d.kind is DeadlineKind.HALF_YEAR:
        return f"06 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    return f"Năm {start.year}"


def _canonical_unscheduled(d: Deadline) -> str:
    text = one_line(d.text)
    if d.kind is DeadlineKind.UNSCHEDULED and parse_deadline(text, 2000).kind is not d.kind:
        return "Theo lộ trình"  # a hand-built Deadline whose words say otherwise
    return text


def _canonical_recurring(d: Deadline) -> str:
    keys = [o.period for o in d.occurrences]
    prefixes = {k[:1] for k in keys}
    if not keys or len(prefixes) != 1 or prefixes <= {""} or prefixes == {"Y"}:
        return one_line(d.text) or "Thường xuyên"
    prefix = prefixes.pop()
    year = d.occurrences[0].start.year
    numbers = [int(k[1:]) for k in keys]
    full = [o.period for o in _all_periods(year, _RECURRENCE_OF_PREFIX[prefix])]
    if keys == full:
        rhythm = {"Q": "hằng quý", "M": "hằng tháng", "H": "6 tháng một lần"}[prefix]
        return f"Thường xuyên ({rhythm}) năm {year}"
    if prefix == "H":
        return f"Định kỳ 06 tháng {'đầu' if numbers[0] == 1 else 'cuối'} năm {year}"
    name = "Quý" if prefix == "Q" else "Tháng"

    def show(n: int) -> str:
        return _ROMAN_OUT[n] if prefix == "Q" else f"{n:02d}"

    if len(numbers) == 1:
        return f"Định kỳ {name.lower()} {show(numbers[0])} năm {year}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{name} {show(numbers[0])}-{show(numbers[-1])} năm {year}"
    items = ", ".join(f"{name.lower()} {show(n)}" for n in numbers[1:])
    return f"{name} {show(numbers[0])}, {items} năm {year}"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def deadline_json(d: Deadline, calendar: WorkCalendar) -> dict[str, Any]:
    """A JSON-ready view of `d` for `--json` output and reports, with working-day dues."""
    out: dict[str, Any] = {
        "text": d.text,
        "kind": d.kind.value,
        "start": _iso(d.start),
        "due": _iso(d.due),
        "effective_due": _iso(calendar.effective_due(d.due)),
        "flagged": d.flagged,
    }
    if d.kind is DeadlineKind.RECURRING:
        out["occurrences"] = [
            {
                "period": o.period,
                "start": _iso(o.start),
                "due": _iso(o.due),
                "effective_due": _iso(calendar.effective_due(o.due)),
            }
            for o in d.occurrences
        ]
    return out


KIND_LABELS: dict[DeadlineKind, tuple[str, str]] = {
    DeadlineKind.DATE: ("ngày", "date"),
    DeadlineKind.MONTH: ("tháng", "month"),
    DeadlineKind.QUARTER: ("quý", "quarter"),
    DeadlineKind.HALF_YEAR: ("6 tháng", "half-year"),
    DeadlineKind.YEAR: ("năm", "year"),
    DeadlineKind.RECURRING: ("định kỳ", "recurring"),
    DeadlineKind.UNSCHEDULED: ("chưa có hạn", "unscheduled"),
    DeadlineKind.UNPARSED: ("không đọc được", "not understood"),
}


def kind_label(kind: DeadlineKind, lang: str = "vi") -> str:
    """The deadline kind in words, for people checking how a phrase was read."""
    vi, en = KIND_LABELS[kind]
    return en if lang == "en" else vi
