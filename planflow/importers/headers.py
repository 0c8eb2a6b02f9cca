"""Which column holds what: header cells read by meaning, as offices really word them.

Every unit heads its appendix its own way ("Chủ trì", "Cơ quan chủ trì", "Đơn vị thực hiện",
"Đơn vị chịu trách nhiệm phổ biến"…), sometimes over two rows ("Cơ quan" merged over
"chủ trì | phối hợp"), with footnote marks ("Cơ quan chủ trì[1]") and a column-number row
under it. The rules below are ordered: the first that matches a folded label wins, so
"Thuộc nhóm nhiệm vụ" is a group before it could be a task, and "Người đứng đầu chịu trách
nhiệm" is kept as an extra column instead of being taken for the lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planflow.engine.text import clean, fold
from planflow.errors import ImportError_
from planflow.importers.grid import Row, Table, column_letter

REQUIRED = ("task", "lead", "deadline")
FIELD_NAMES = (
    "tt",
    "objective",
    "task",
    "activity",
    "output",
    "lead",
    "partners",
    "deadline",
    "budget",
    "status",
    "result",
)
_VI_NAMES = {
    "tt": "TT",
    "objective": "Mục tiêu / nhóm",
    "task": "Nhiệm vụ",
    "activity": "Hoạt động",
    "output": "Kết quả, sản phẩm",
    "lead": "Chủ trì",
    "partners": "Phối hợp",
    "deadline": "Thời gian hoàn thành",
    "budget": "Kinh phí",
    "status": "Tình trạng",
    "result": "Kết quả thực hiện",
}

# (field, how the folded label may begin). None keeps the column as an extra of the task.
# Order matters: more specific wordings come first.
_RULES: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("nguoi", "lanh dao", "ghi chu", "muc do", "hinh thuc", "noi dung chinh")),
    ("tt", ("tt", "stt", "so tt", "so thu tu", "thu tu")),
    ("output", ("chi tieu dat duoc", "ket qua du kien", "san pham du kien")),
    ("objective", ("thuoc nhom", "nhom nhiem vu", "linh vuc", "muc tieu", "chi tieu")),
    ("activity", ("hoat dong", "cac hoat dong")),
    ("result", ("ket qua thuc hien", "ket qua trien khai", "tinh hinh thuc hien")),
    ("status", ("tien do thuc hien", "tinh trang", "trang thai", "danh gia")),
    ("partners", ("phoi hop", "co quan phoi hop", "don vi phoi hop", "co quan don vi phoi hop")),
    (
        "lead",
        (
            "chu tri",
            "co quan chu tri",
            "don vi chu tri",
            "co quan don vi chu tri",
            "don vi thuc hien",
            "co quan thuc hien",
            "don vi chiu trach nhiem",
            "co quan chiu trach nhiem",
            "trach nhiem thuc hien",
            "phan cong",
        ),
    ),
    (
        "deadline",
        (
            "thoi gian hoan thanh",
            "thoi han hoan thanh",
            "thoi gian du kien hoan thanh",
            "tien do hoan thanh",
            "han hoan thanh",
            "thoi han",
            "thoi gian",
            "moc thoi gian",
            "thoi diem hoan thanh",
            "thoi diem",
        ),
    ),
    ("output", ("ket qua", "san pham", "chi tieu dat duoc", "dau ra")),
    ("budget", ("kinh phi", "nguon kinh phi", "du toan", "nguon luc")),
    (
        "task",
        (
            "nhiem vu",
            "cac nhiem vu",
            "ten nhiem vu",
            "noi dung nhiem vu",
            "noi dung cong viec",
            "noi dung thuc hien",
            "cong viec",
            "giai phap",
            "ten du an",
            "ten",
        ),
    ),
    ("objective", ("noi dung",)),
    ("status", ("tien do",)),
)
# Labels that contain these words anywhere are that field even when worded otherwise.
_ANYWHERE = (("partners", "phoi hop"), ("lead", "chu tri"))
_NOT_DEADLINE = ("bat dau",)  # "Thời gian bắt đầu" is a start, not the deadline

_FOOTNOTE = re.compile(r"\[\d+\]|\(\*+\)|\*+$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?\s*[-.:)]?\s+")
_PUNCT = re.compile(r"[^\w\s]")


def label_key(text: str) -> str:
    """ "5- Chủ trì", "(5) Chủ trì", "Cơ quan chủ trì[1]" → "chu tri" / "co quan chu tri"."""
    text = _FOOTNOTE.sub(" ", clean(text))
    key = _COLUMN_NUMBER.sub("", fold(text))
    return " ".join(_PUNCT.sub(" ", key).split())


def header_field(text: str) -> str | None:
    """Which plan field a header label names, or None for a column kept as an extra."""
    key = label_key(text)
    if not key:
        return None
    for name, word in _ANYWHERE:
        if f" {word} " in f" {key} ":
            return name
    for name, words in _RULES:
        if any(key == w or key.startswith(w + " ") for w in words):
            if name == "deadline" and any(w in key for w in _NOT_DEADLINE):
                return None
            return name
    return None


@dataclass
class Header:
    """Where a table's header is and what each column holds."""

    mapping: dict[str, int]  # field → column index
    labels: list[str]  # the label of every column, as printed (two-row headers joined)
    rows: list[list[str]]  # the header rows' texts, to skip them when repeated (PDF pages)
    body: int  # index of the first body row
    width: int

    @property
    def extras(self) -> dict[int, str]:
        used = set(self.mapping.values())
        return {i: label for i, label in enumerate(self.labels) if label and i not in used}


@dataclass
class Candidate:
    """The best header-looking row of a file, for the error when none is complete."""

    labels: list[str] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=dict)


def _labels(rows: list[Row], i: int, two: bool) -> list[str]:
    top = rows[i].cells
    labels: list[str] = []
    for j, cell in enumerate(top):
        text = cell.text
        if cell.continued:  # a horizontal merge: the group label of the cell on its left
            k = j
            while k > 0 and top[k].continued:
                k -= 1
            text = top[k].text if top[k].span > 1 or k < j else ""
        if two:
            below = rows[i + 1].cells[j] if j < len(rows[i + 1].cells) else None
            if below is not None and below.text and not below.continued:
                text = f"{text} {below.text}".strip() if _is_group(top, j) else below.text
        labels.append(clean(text))
    return labels


def _is_group(top: list, j: int) -> bool:
    """Is column j under a label merged across several columns (a group header)?"""
    k = j
    while k > 0 and top[k].continued:
        k -= 1
    return top[k].span > 1


def assign(labels: list[str]) -> dict[str, int]:
    """Field → column, the first column that names each field ("thời hạn hoàn thành"
    beats a plain "thời gian" when both are there)."""
    found: dict[str, int] = {}
    for index, label in enumerate(labels):
        name = header_field(label) if label else None
        if name is None:
            continue
        if name not in found or (
            name == "deadline"
            and "hoan thanh" in label_key(label)
            and "hoan thanh" not in label_key(labels[found[name]])
        ):
            found[name] = index
    return _fallbacks(labels, found)


# Plain labels that name a field only when no more precise column does.
_LEAD_PLAIN = ("don vi", "co quan", "bo phan", "phong ban", "bo phan thuc hien")


def _fallbacks(labels: list[str], found: dict[str, int]) -> dict[str, int]:
    """Tables with fewer, plainer columns: "Nội dung" is the task when no column says
    "Nhiệm vụ"; "Tiến độ (thực hiện)" is the schedule when no column says "Thời gian";
    a bare "Đơn vị" is the lead when no column says "Chủ trì"."""
    found = dict(found)
    objective = found.get("objective")
    if (
        "task" not in found
        and objective is not None
        and label_key(labels[objective]).startswith("noi dung")
    ):
        found["task"] = found.pop("objective")
    if "deadline" not in found and "status" in found:
        found["deadline"] = found.pop("status")
    if "lead" not in found:
        used = set(found.values())
        for index, label in enumerate(labels):
            if index not in used and label_key(label) in _LEAD_PLAIN:
                found["lead"] = index
                break
    return found


def find_header(table: Table, columns: dict[str, int] | None = None) -> Header | Candidate:
    """The header of `table` (one or two rows) or, when none is complete, the best try."""
    rows = table.rows
    best = Candidate()
    for i in range(min(len(rows), 20)):
        if not any(c.text and not c.continued for c in rows[i].cells):
            continue
        # A label merged across columns ("Cơ quan", "Thời gian") heads a second row.
        grouped = i + 1 < len(rows) and any(c.span > 1 and c.text for c in rows[i].cells)
        for two in (True, False) if grouped else (False,):
            labels = _labels(rows, i, two)
            found = assign(labels)
            if columns:
                # Mapped by hand: the header is the first row labelling every mapped column.
                labelled = all(
                    i < len(labels) and 0 < len(labels[i]) <= 60 for i in columns.values()
                )
                found = {**found, **columns} if labelled else {}
            if all(name in found for name in REQUIRED):
                used = rows[i : i + 1 + two]
                return Header(found, labels, [r.texts() for r in used], i + 1 + two, len(labels))
            short = sum(1 for label in labels if label and len(label) <= 60)
            if len(found) > len(best.found) or (not best.labels and short >= 2):
                best = Candidate(labels, found)
    return best


def is_column_numbers(row: Row) -> bool:
    """The "1 2 3 …", "(1) (2) …" or "A B 1 2 3" row printed under many headers."""
    texts = [c.text for c in row.cells if c.text and not c.continued]
    if len(texts) < 3 or not all(re.fullmatch(r"\(?(\d{1,2}|[A-Z])\)?", t) for t in texts):
        return False
    return sum(t.strip("()").isdigit() for t in texts) >= 2


def parse_columns(spec: str) -> dict[str, int]:
    """ "task=B,lead=C,deadline=E" → {"task": 1, "lead": 2, "deadline": 4} (the --columns
    option and the plan file's `columns:`); a bad part is named in the error."""
    mapping: dict[str, int] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        name, _, letter = part.partition("=")
        name, letter = name.strip().lower(), letter.strip().upper()
        if name not in FIELD_NAMES or not re.fullmatch(r"[A-Z]{1,2}", letter):
            raise ImportError_(
                f"--columns: không hiểu '{part}'; cần dạng tên=cột, ví dụ "
                f"task=B,lead=C,deadline=E (tên: {', '.join(FIELD_NAMES)})",
                f"--columns: cannot read '{part}'; expected name=column, for example "
                f"task=B,lead=C,deadline=E (names: {', '.join(FIELD_NAMES)})",
            )
        index = 0
        for ch in letter:
            index = index * 26 + ord(ch) - 64
        mapping[name] = index - 1
    return mapping


def missing_header_error(file: str, best: Candidate) -> ImportError_:
    """No complete header: say what was found, what is missing and how to map by hand."""
    missing = [n for n in REQUIRED if n not in best.found]
    cells = [f"{column_letter(i)}: {label}" for i, label in enumerate(best.labels) if label]
    seen_vi = f"; các ô tiêu đề tìm thấy: {' | '.join(cells)}" if cells else ""
    seen_en = f"; header cells found: {' | '.join(cells)}" if cells else ""
    hint_vi = ". Hãy chỉ rõ các cột, ví dụ: --columns task=B,lead=C,deadline=E"
    hint_en = ". Map the columns yourself, for example: --columns task=B,lead=C,deadline=E"
    return ImportError_(
        "không tìm thấy dòng tiêu đề của bảng phụ lục; cần các cột: "
        + ", ".join(_VI_NAMES[n] for n in REQUIRED)
        + (f" (thiếu: {', '.join(_VI_NAMES[n] for n in missing)})" if best.found else "")
        + seen_vi
        + hint_vi,
        "no header row found for the appendix table; expected the columns: "
        "Nhiệm vụ (task), Chủ trì (lead), Thời gian hoàn thành (deadline)"
        + (f" (missing: {', '.join(missing)})" if best.found else "")
        + seen_en
        + hint_en,
        file=file,
    )
