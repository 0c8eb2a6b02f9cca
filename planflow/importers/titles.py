"""The title block above an appendix table: which plan this is, whose, for which years.

    read_title_block(lines) -> TitleBlock(year, until, starts, agency, title, dated)

A Vietnamese administrative document prints, above its table, a header (the issuing body
"ỦY BAN NHÂN DÂN / XÃ KỲ LẠC" beside the national motto, "Số: 552/KH-UBND", "Đồng Tháp,
ngày 19 tháng 11 năm 2025"), then "PHỤ LỤC", the title ("… TRỌNG TÂM NĂM 2025",
"… GIAI ĐOẠN 2026 - 2030, TẦM NHÌN ĐẾN NĂM 2045") and the attachment line "(Kèm theo Kế
hoạch số … ngày … của …)". The plan's years come from the title only: the dates printed
around it are when the document was signed, and a plan for 2026 is signed in 2025. The
plan's own date (the attachment line, else the header's date line) is its start when it
falls inside the plan's years. Pure: standard library and engine.text only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from planflow.engine.text import clean
from planflow.errors import ImportError_

__all__ = ["TitleBlock", "no_year_error", "plan_start", "read_title_block"]


@dataclass(frozen=True)
class TitleBlock:
    year: int | None = None  # first year of the plan ("NĂM 2025", "GIAI ĐOẠN 2026 - 2030")
    until: int | None = None  # last year of a plan that spans years (2030), else None
    starts: date | None = None  # the plan's own date, when it falls inside its years
    agency: str = ""  # "UBND xã Kỳ Lạc", "Thủ tướng Chính phủ"; the title when none is printed
    title: str = ""  # the title line(s), joined
    dated: date | None = None  # the plan's own date as printed, wherever it falls


_DASHES = str.maketrans(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"))
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
_NUMBER_LINE = re.compile(r"^so\s*:?\s*\d*\s*/")  # "Số: 552/KH-UBND", "Số: /KH-UBND"
_APPENDIX = re.compile(r"^phu luc(?:\s+[ivx\d]+)?\.?$")  # "PHỤ LỤC", "PHỤ LỤC II"
# "(Ban hành kèm theo Kế hoạch số …", "(Kèm theo Quyết định số …": the plan's own paper.
_ATTACHED = re.compile(
    r"^\(?\s*(?:ban hanh )?kem theo\s+(?:ke hoach|quyet dinh|chuong trinh|de an|nghi quyet"
    r"|chi thi)\b"
)
_ATTACHED_ANY = re.compile(r"^\(?\s*(?:ban hanh )?kem theo\b")
_HEADER_DATE = re.compile(r"^[^,()]{2,40}, ngay\b")  # "Đồng Tháp, ngày 19 tháng 11 năm 2025"
# "ngày 19 tháng 11 năm 2025", "ngày 19/11/2025", "ngày /7/2025", "ngày   tháng 7 năm 2025"
_DATE = re.compile(
    r"ngay\s*(?P<d>\d{1,2})?\s*(?:/|-|thang)\s*(?P<m>\d{1,2})\s*(?:/|-|nam)\s*(?P<y>\d{4})"
)
# A horizon is not the plan's period: "TẦM NHÌN ĐẾN NĂM 2045", "ĐỊNH HƯỚNG ĐẾN NĂM 2050".
_HORIZON = re.compile(r"(?:tam nhin|dinh huong)(?: den)?(?: nam)? \d{4}")
_PERIOD = re.compile(
    r"(?:giai doan|thoi ky|tu nam|nam)?\s*\b(?P<a>(?:19|20)\d{2})\s*(?:-|den(?: nam)?)\s*"
    r"(?P<b>(?:19|20)\d{2})\b"
)
_UNTIL = re.compile(r"\bden nam (?P<y>(?:19|20)\d{2})\b")
_YEAR = re.compile(r"\bnam (?P<y>(?:19|20)\d{2})\b")
_BARE_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d{2})\b")

# Issuing bodies as printed on the header's left: the first words say it is one.
_BODY_START = (
    "uy ban nhan dan",
    "ubnd",
    "hoi dong nhan dan",
    "hdnd",
    "thu tuong chinh phu",
    "chinh phu",
    "van phong",
    "bo ",
    "so ",
    "phong ",
    "ban ",
    "cuc ",
    "tong cuc ",
)
_LEVELS = ("thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa", "phuong")
_FIXED = {
    "thu tuong chinh phu": "Thủ tướng Chính phủ",
    "chinh phu": "Chính phủ",
    "van phong chinh phu": "Văn phòng Chính phủ",
}
_ABBREVIATIONS = (
    (re.compile(r"^(?:ủy|uỷ) ban nhân dân\b", re.I), "UBND"),
    (re.compile(r"^hội đồng nhân dân\b", re.I), "HĐND"),
)
_OFFICE_HOLDER = re.compile(r"^(?:bộ trưởng|chủ tịch|thủ trưởng|giám đốc)\s+(?=\S)", re.I)


def _key(text: str) -> str:
    """No case, no diacritics; keeps digits, "/", "-", "(" and "," (dates and periods)."""
    s = unicodedata.normalize("NFD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("đ", "d").replace("Đ", "D").casefold().translate(_DASHES)
    s = re.sub(r"[^0-9a-z/,()-]+", " ", s)
    s = re.sub(r"\s*([/-])\s*", r" \1 ", s)
    return " ".join(s.split())


def _lines(lines: list[str]) -> list[str]:
    """One entry per printed line; rules ("--------", "___") dropped."""
    out: list[str] = []
    for entry in lines:
        for line in clean(entry).split("\n"):
            line = line.strip()
            if line and re.search(r"\w", line):
                out.append(line)
    return out


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _date(key: str) -> date | None:
    """The date a "ngày …" phrase names; a blank day ("ngày /7/2025") is the 1st."""
    match = _DATE.search(key)
    if not match:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"] or 1))
    except ValueError:
        return None


def plan_start(dated: date | None, year: int | None, until: int | None) -> date | None:
    """The plan's own date as its start, only inside its years: a 2026 plan signed in
    November 2025 owes everything of 2026, and a date after the plan cannot start it."""
    if dated is None or year is None:
        return None
    return dated if year <= dated.year <= max(until or year, year) else None


def read_title_block(lines: list[str]) -> TitleBlock:
    """Read the lines above the appendix table (any order of header, title, attachment)."""
    header: list[str] = []  # issuing body lines, top to bottom
    titles: list[list[str]] = []  # runs of title lines
    attached_date = header_date = None
    attached_agency = ""
    in_header = True
    previous_title = False
    for line in _lines(lines):
        key = _key(line)
        if key.startswith(_MOTTO) or _NUMBER_LINE.match(key):
            previous_title = False
            continue
        if _HEADER_DATE.match(key) and not _ATTACHED_ANY.match(key):
            header_date = header_date or _date(key)
            previous_title = False
            continue
        if _ATTACHED_ANY.match(key):
            if _ATTACHED.match(key) and attached_date is None:
                attached_date = _date(key)
                attached_agency = attached_agency or _after_of(line)
            in_header = previous_title = False
            continue
        if _APPENDIX.match(key):
            in_header = previous_title = False
            continue
        if in_header and (_is_body(key) or (header and _is_council(header[-1]) and _is_place(key))):
            header.append(line)
            continue
        in_header = False
        if previous_title and (_is_upper(line) == _is_upper(titles[-1][-1])):
            titles[-1].append(line)
        else:
            titles.append([line])
        previous_title = True
    title_lines = [" ".join(run) for run in titles]
    title = next((t for t in title_lines if _is_upper(t)), title_lines[0] if title_lines else "")
    year, until = _years(title_lines)
    dated = attached_date or header_date
    agency = _header_agency(header) or attached_agency or _title_agency(title) or title
    return TitleBlock(year, until, plan_start(dated, year, until), agency, title, dated)


def _years(title_lines: list[str]) -> tuple[int | None, int | None]:
    """(year, until) from the title lines, first line that names one wins. "ĐẾN NĂM 2035"
    alone gives the last year only: when the plan starts is for --year to say."""
    ends: int | None = None
    for line in title_lines:
        key = _HORIZON.sub(" ", _key(line))
        for match in _PERIOD.finditer(key):
            first, last = int(match["a"]), int(match["b"])
            if first < last <= first + 30:
                return first, last
        if match := _YEAR.search(key):
            year = int(match["y"])
            ahead = _UNTIL.search(key)
            if ahead and ahead.start() < match.start() <= ahead.end():
                ends = ends or year  # "ĐẾN NĂM 2035" says when it ends, not when it starts
                continue
            return year, None
    for line in title_lines:
        key = _HORIZON.sub(" ", _key(line))
        found = {m["y"] for m in _BARE_YEAR.finditer(key)}
        if len(found) == 1 and not _UNTIL.search(key):
            return int(found.pop()), None
    return None, ends


def _is_body(key: str) -> bool:
    return key.startswith(_BODY_START)


def _is_council(line: str) -> bool:
    """ "ỦY BAN NHÂN DÂN" (or HĐND) on its own: the place follows on the next line."""
    return _key(line) in ("uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd")


def _is_place(key: str) -> bool:
    """ "XÃ KỲ LẠC", "TỈNH ĐỒNG THÁP": the second line of "ỦY BAN NHÂN DÂN"."""
    return any(key.startswith(level + " ") for level in _LEVELS)


def _header_agency(header: list[str]) -> str:
    """The issuing body of the header: its last line, with the council above a place."""
    if not header:
        return ""
    last = header[-1]
    if _is_place(_key(last)) and len(header) > 1:
        return _council(header[-2]) + " " + _place(last)
    return _body(last)


def _council(line: str) -> str:
    key = _key(line)
    if key.startswith(("hoi dong nhan dan", "hdnd")):
        return "HĐND"
    return "UBND"


def _place(line: str) -> str:
    """ "XÃ KỲ LẠC" → "xã Kỳ Lạc": the level in lower case, the name in title case."""
    if not _is_upper(line):
        return line
    words = line.split()
    key = _key(line)
    level = next(lv for lv in _LEVELS if key.startswith(lv + " "))
    count = len(level.split())
    return (
        " ".join(w.lower() for w in words[:count])
        + " "
        + " ".join(w.title() for w in words[count:])
    )


def _body(line: str) -> str:
    """ "BỘ NỘI VỤ" → "Bộ Nội vụ", "UBND TỈNH ĐỒNG THÁP" → "UBND tỉnh Đồng Tháp"."""
    line = line.strip(" .;:)")
    key = _key(line)
    if key in _FIXED:
        return _FIXED[key]
    for pattern, short in _ABBREVIATIONS:
        line = pattern.sub(short, line)
    words = line.split()
    if words and words[0].upper() in ("UBND", "HĐND") and len(words) > 1:
        rest = " ".join(words[1:])
        return f"{words[0].upper()} {_place(rest) if _is_place(_key(rest)) else rest}"
    if not _is_upper(line):
        return line
    # "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" → "Bộ Nông nghiệp và Môi trường": each name after the
    # kind of body, and after "và" or a comma, starts with a capital.
    kind_words = 2 if key.startswith(("van phong ", "tong cuc ")) else 1
    head = " ".join(words[:kind_words]).lower().capitalize()
    parts = re.split(r"(\s+VÀ\s+|,\s*)", " ".join(words[kind_words:]))
    out = []
    for part in parts:
        if re.fullmatch(r"\s+VÀ\s+", part):
            out.append(" và ")
        elif part.startswith(","):
            out.append(", ")
        elif part:
            lower = part.lower()
            out.append(lower[:1].upper() + lower[1:])
    return (head + " " + "".join(out)).replace("chính phủ", "Chính phủ").strip()


def _after_of(line: str) -> str:
    """ "(Kèm theo … ngày 19/11/2025 của Thủ tướng Chính phủ)" → "Thủ tướng Chính phủ"."""
    match = re.search(r"\bcủa\s+(.+?)[\s).;]*$", line, re.I)
    if not match:
        return ""
    name = _OFFICE_HOLDER.sub("", match.group(1).strip())
    return _body(name) if name else ""


def _title_agency(title: str) -> str:
    """ "… NĂM 2026 CỦA BỘ NỘI VỤ" → "Bộ Nội vụ"."""
    match = re.search(r"\bCỦA\s+(.+)$", title)
    if not match:
        return ""
    name = match.group(1).strip()
    return _body(name) if _is_body(_key(name)) else ""


def no_year_error(file: str, dated: date | None) -> ImportError_:
    """The title names no year: say so, say why the printed date is not it, name the fix."""
    seen_vi = seen_en = ""
    if dated is not None:
        day = dated.strftime("%d/%m/%Y")
        seen_vi = f"; ngày {day} là ngày ký văn bản, không phải năm kế hoạch"
        seen_en = f"; {day} is the date the document was signed, not the plan year"
    return ImportError_(
        "tiêu đề không ghi năm của kế hoạch (như “NĂM 2025” hoặc “GIAI ĐOẠN 2026 - 2030”)"
        + seen_vi
        + ": thêm --year NĂM (và --until NĂM nếu kế hoạch nhiều năm)",
        "the title names no plan year (such as “NĂM 2025” or “GIAI ĐOẠN 2026 - 2030”)"
        + seen_en
        + ": add --year YEAR (and --until YEAR for a plan over several years)",
        file=file,
    )
