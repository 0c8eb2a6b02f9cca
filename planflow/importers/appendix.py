"""Appendix grid → PlanDoc: the one place that knows how the commune lays out its table.

Readers only say what each cell holds and whether it is a merge continuation; everything
about headers, sections, objectives, tasks and activities lives here so that a Word file,
its Excel copy and its PDF give the same plan (and the same plan as the YAML plan file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planflow.engine.plandoc import (
    ActivityDoc,
    ObjectiveDoc,
    PlanDoc,
    SectionDoc,
    TaskDoc,
    task_code,
)
from planflow.engine.text import clean, fold
from planflow.errors import ImportError_
from planflow.importers.grid import Cell, Grid, Row, Table, column_letter
from planflow.importers.titles import no_year_error, plan_start, read_title_block

# Column → header wordings, folded (no case, no diacritics). Matched whole or as a prefix,
# after dropping a leading column number ("5- Chủ trì", "(5) Chủ trì").
HEADERS: dict[str, tuple[str, ...]] = {
    "tt": ("tt", "stt", "so tt", "so thu tu"),
    "objective": ("muc tieu", "chi tieu", "noi dung"),
    "task": ("nhiem vu",),
    "activity": ("hoat dong",),
    "output": ("ket qua san pham", "san pham", "ket qua"),
    "lead": ("chu tri", "co quan chu tri", "don vi chu tri"),
    "partners": ("phoi hop", "co quan phoi hop", "don vi phoi hop"),
    "deadline": ("thoi gian hoan thanh", "thoi han hoan thanh", "thoi han", "thoi gian"),
    "budget": ("kinh phi",),
}
REQUIRED = ("task", "lead", "deadline")
REQUIRED_VI = "Nhiệm vụ, Chủ trì, Thời gian hoàn thành"
FIELDS = ("output", "lead", "partners", "deadline", "budget")

_COLUMN_NUMBER = re.compile(r"^\d+\s+")
_ROMAN = re.compile(r"^([IVX]+)(?:\s*[.:)\-–]\s*|\s+)(\S.*)$", re.S)
_SUBSECTION = re.compile(r"^(\d{1,2})(?:\s*[.)\-–]\s*|\s+)(?=[^\W\d_])(.+)$", re.S)
# "2.1.", "2.4 ", "2.2.Kiểm", "3.17.Thành" — but not "85,7%" or "100%".
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?![\d,%])\s*(.*)$", re.S)
_NUMBER1 = re.compile(r"^(\d{1,3})[.)](?![\d,%])\s*(.*)$", re.S)
_YEAR = re.compile(r"\bnam (\d{4})\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


@dataclass
class ReadResult:
    """The plan plus what was skipped on the way, so a user can check nothing was lost."""

    doc: PlanDoc
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Value:
    text: str
    continued: bool


@dataclass
class _State:
    file: str
    sections: list[SectionDoc] = field(default_factory=list)
    section: SectionDoc | None = None
    container: SectionDoc | None = None  # the section or its current subsection
    objective: ObjectiveDoc | None = None
    task: TaskDoc | None = None
    carry: dict[int, str] = field(default_factory=dict)  # last text per column (merges)
    codes: dict[str, int] = field(default_factory=dict)  # full task code → row
    warnings: list[str] = field(default_factory=list)
    tasks: int = 0


def header_field(text: str) -> str | None:
    """Which column a header cell names, or None ("Ghi chú" and other extras)."""
    key = _COLUMN_NUMBER.sub("", fold(text))
    for name, words in HEADERS.items():
        if key in words:
            return name
    for name, words in HEADERS.items():
        if any(key.startswith(word + " ") for word in words):
            return name
    return None


def header_map(row: Row) -> dict[str, int]:
    """Field → column index for a row that reads as a header (first match of each field)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        if cell.continued or not cell.text:
            continue
        name = header_field(cell.text)
        if name and name not in found:
            found[name] = index
    return found


def _is_header(found: dict[str, int]) -> bool:
    return all(name in found for name in REQUIRED)


def _is_column_numbers(row: Row) -> bool:
    """The "1 2 3 …" (or "(1) (2) …") row printed under many headers."""
    texts = [c.text for c in row.cells if c.text and not c.continued]
    return len(texts) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in texts)


def _roman(text: str) -> tuple[str, str] | None:
    match = _ROMAN.match(text)
    if not match:
        return None
    numeral, title = match.groups()
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    canonical = _to_roman(total)
    if canonical != numeral or not 1 <= total <= 20:
        return None
    return numeral, clean(title)


def _to_roman(value: int) -> str:
    out = ""
    for number, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += numeral
            value -= number
    return out


def split_number(text: str) -> tuple[str, str]:
    """ "2.2.Kiểm tra…" → ("2.2", "Kiểm tra…"); no leading number → ("", text)."""
    text = clean(text)
    match = _NUMBER.match(text) or _NUMBER1.match(text)
    if not match:
        return "", text
    return match.group(1), match.group(2).strip()


def split_activities(text: str) -> list[ActivityDoc]:
    """One cell may hold several numbered activities, one per paragraph."""
    activities: list[ActivityDoc] = []
    for line in clean(text).split("\n"):
        code, rest = split_number(line)
        if code or not activities:
            activities.append(ActivityDoc(code=code, text=rest))
        else:
            last = activities[-1]
            last.text = f"{last.text}\n{line}" if last.text else line
    return activities


def find_year(lines: list[str]) -> tuple[int | None, str]:
    """The plan year and title line from the title block ("… TRỌNG TÂM NĂM 2025")."""
    for line in lines:
        match = _YEAR.search(fold(line))
        if match:
            return int(match.group(1)), clean(line)
    return None, ""


def parse_grid(grid: Grid, *, year: int | None = None) -> ReadResult:
    """Find the appendix table(s) by header and build the plan from their rows."""
    state = _State(grid.file)
    title_lines = list(grid.preamble)
    mapping: dict[str, int] | None = None
    width = 0
    best: dict[str, int] = {}
    if not grid.tables:
        raise ImportError_(
            f"không tìm thấy bảng nào trong tệp; cần một bảng có các cột: {REQUIRED_VI}",
            "no table found in the file; expected a table with the columns: "
            "Nhiệm vụ (task), Chủ trì (lead), Thời gian hoàn thành (deadline)",
            file=grid.file,
        )
    for table in grid.tables:
        start = None
        for position, row in enumerate(table.rows):
            found = header_map(row)
            if _is_header(found):
                mapping, width, start = found, len(row.cells), position + 1
                break
            if len(found) > len(best):
                best = found
        if start is None:
            if mapping is not None and len(table.rows) and len(table.rows[0].cells) == width:
                start = 0  # a table continued without repeating its header
            else:
                if mapping is None:
                    title_lines.extend(t for r in table.rows for t in r.texts() if t)
                continue
        else:
            title_lines.extend(t for r in table.rows[: start - 1] for t in r.texts() if t)
        assert mapping is not None
        for row in table.rows[start:]:
            _row(state, table, row, mapping)
    if mapping is None:
        missing = [n for n in REQUIRED if n not in best]
        raise ImportError_(
            f"không tìm thấy dòng tiêu đề của bảng phụ lục; cần các cột: {REQUIRED_VI}"
            + (f" (thiếu: {', '.join(_VI[n] for n in missing)})" if best else ""),
            "no header row found for the appendix table; expected the columns: "
            "Nhiệm vụ (task), Chủ trì (lead), Thời gian hoàn thành (deadline)"
            + (f" (missing: {', '.join(missing)})" if best else ""),
            file=grid.file,
        )
    if state.tasks == 0:
        raise ImportError_(
            "bảng phụ lục có dòng tiêu đề nhưng không có nhiệm vụ nào",
            "the appendix table has a header but no task",
            file=grid.file,
        )
    block = read_title_block(title_lines)
    year = block.year if year is None else year  # --year wins over the title
    until = block.until if year is not None and (block.until or 0) > year else None
    if year is None:
        raise no_year_error(grid.file, block.dated)
    doc = PlanDoc(
        year=year,
        until=until,
        title=block.title or next((clean(t) for t in title_lines if clean(t)), ""),
        agency=block.agency,
        source=grid.file,
        sections=state.sections,
        starts=plan_start(block.dated, year, until),
    )
    return ReadResult(doc, state.warnings)


_VI = {"task": "Nhiệm vụ", "lead": "Chủ trì", "deadline": "Thời gian hoàn thành"}


def _row(state: _State, table: Table, row: Row, mapping: dict[str, int]) -> None:
    cells = row.cells
    live = [(i, c) for i, c in enumerate(cells) if c.text and not c.continued]
    if not live:
        return  # empty, or wholly covered by merges above
    if _is_header(header_map(row)) and all(len(c.text) <= 60 for _, c in live):
        return  # header repeated inside the table (or on each PDF page)
    if _is_column_numbers(row):
        return
    if len(live) == 1 and _lone(live[0], mapping) and _structure(state, live[0][1].text):
        return
    values = {name: _value(state, cells, index) for name, index in mapping.items()}
    for index, cell in enumerate(cells):
        if not cell.continued:
            state.carry[index] = clean(cell.text)

    def get(name: str) -> _Value:
        return values.get(name, _Value("", False))

    def fail(vi: str, en: str, name: str) -> ImportError_:
        return ImportError_(
            vi,
            en,
            file=state.file,
            table=table.index,
            row=row.number,
            column=column_letter(mapping[name]),
        )

    tt, objective, task = get("tt"), get("objective"), get("task")
    if not any(get(n).text and not get(n).continued for n in mapping if n != "tt"):
        state.warnings.append(f"bảng {table.index}, dòng {row.number}: chỉ có số thứ tự, bỏ qua")
        return
    if state.container is None:
        state.section = state.container = SectionDoc(code="", title="")
        state.sections.append(state.section)
    new_objective = state.objective is None or any(
        v.text and not v.continued for v in (tt, objective)
    )
    if new_objective:
        code, text = split_number(objective.text) if not objective.continued else ("", "")
        state.objective = ObjectiveDoc(tt=tt.text if not tt.continued else "", code=code, text=text)
        state.container.objectives.append(state.objective)
        state.task = None
    assert state.objective is not None
    if task.text and not task.continued:
        code, text = split_number(task.text)
        if not code:
            raise fail(
                "nhiệm vụ không có số thứ tự (cần số thứ tự như 2.1 ở đầu ô)",
                "task without a number (expected a number such as 2.1 at the start of the cell)",
                "task",
            )
        assert state.section is not None
        sub = state.container.code if state.container is not state.section else ""
        full = task_code(state.section.code, sub, code)
        if full in state.codes:
            raise fail(
                f"nhiệm vụ {full} trùng số thứ tự: dòng {state.codes[full]} và dòng {row.number}",
                f"task {full} numbered twice: rows {state.codes[full]} and {row.number}",
                "task",
            )
        state.codes[full] = row.number
        activity = get("activity")
        state.task = TaskDoc(
            code=code,
            text=text,
            activities=_activities(activity, row.number),
            row=row.number,
            **{name: get(name).text for name in FIELDS},
        )
        state.objective.tasks.append(state.task)
        state.tasks += 1
        return
    if new_objective:
        for name in FIELDS:
            setattr(state.objective, name, get(name).text)
        if get("activity").text and not get("activity").continued:
            state.warnings.append(
                f"bảng {table.index}, dòng {row.number}: hoạt động không thuộc nhiệm vụ nào, bỏ qua"
            )
        return
    activity = get("activity")
    own = {name: get(name).text for name in FIELDS if not get(name).continued}
    if state.task is not None and activity.text and not activity.continued:
        for item in _activities(activity, row.number):
            for name, text in own.items():
                setattr(item, name, text)
            state.task.activities.append(item)
    elif any(own.values()):
        state.warnings.append(
            f"bảng {table.index}, dòng {row.number}: dòng không có nhiệm vụ hay hoạt động, bỏ qua"
        )


def _activities(value: _Value, row: int) -> list[ActivityDoc]:
    if value.continued or not value.text:
        return []
    items = split_activities(value.text)
    for item in items:
        item.row = row
    return items


def _value(state: _State, cells: list[Cell], index: int) -> _Value:
    if index >= len(cells):
        return _Value("", False)
    cell = cells[index]
    if cell.continued:
        return _Value(state.carry.get(index, ""), True)
    return _Value(clean(cell.text), False)


def _lone(item: tuple[int, Cell], mapping: dict[str, int]) -> bool:
    """A row whose only text is a merged cell, or sits in the first column, may be a title."""
    index, cell = item
    if cell.span > 1:
        return True
    body = {mapping.get(n) for n in ("objective", "task", "activity")}
    return index == 0 and index not in body


def _structure(state: _State, text: str) -> bool:
    """Start a section ("I. …") or a subsection ("1. …" inside a section); else False."""
    text = clean(text)
    roman = _roman(text)
    if roman:
        state.section = state.container = SectionDoc(code=roman[0], title=roman[1])
        state.sections.append(state.section)
    else:
        match = _SUBSECTION.match(text)
        if not match or state.section is None:
            return False
        state.container = SectionDoc(code=match.group(1), title=clean(match.group(2)))
        state.section.subsections.append(state.container)
    state.objective = state.task = None
    state.carry.clear()
    return True
