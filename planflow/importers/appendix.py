"""Appendix grid → PlanDoc: rows read by their shape, whatever the unit's numbering.

Readers only say what each cell holds and whether it is a merge continuation; headers are
read by meaning in headers.py; everything about sections, parts, groups, tasks and
activities lives here, so a Word file, its Excel copy and its PDF give the same plan.

A row is a section ("I" in its own cell or "I. …" across the row), a part ("A."), a group
("III.1.1 Nhóm …", or a title with no plan cells), a task, an activity of the task above,
or a note. Task numbers may sit in the TT column or at the start of the task cell, restart
in every section, be hierarchical, or be missing: a line without a number of its own is a
line of the numbered task above it. Codes are given once the whole table is read, so a
number printed twice gets a warning and two codes instead of a refusal.
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
from planflow.importers.grid import Cell, Grid, Row, Table
from planflow.importers.headers import (
    Candidate,
    Header,
    assign,
    find_header,
    header_field,
    is_column_numbers,
    missing_header_error,
)
from planflow.importers.titles import no_year_error, plan_start, read_title_block

__all__ = ["ReadResult", "header_field", "parse_grid", "split_activities", "split_number"]

FIELDS = ("output", "lead", "partners", "deadline", "budget", "status", "result")
_PLAN_CELLS = ("output", "lead", "partners", "deadline", "budget", "activity", "status", "result")

_ROMAN = re.compile(r"^([IVX]+)(?:\s*[.:)\-–]\s*|\s+)(\S.*)$", re.S)
_PART = re.compile(r"^([A-Z])\s*[.)]\s*(\S.*)$", re.S)
_GROUP_CODE = re.compile(r"^([IVX]+(?:\.\d{1,3})+)\.?(?:\s+(\S.*))?$", re.S)
_SUBSECTION = re.compile(r"^(\d{1,2})(?:\s*[.)\-–]\s*|\s+)(?=[^\W\d_])(.+)$", re.S)
# "2.1.", "2.4 ", "2.2.Kiểm", "3.17.Thành" — but not "85,7%" or "100%".
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?![\d,%])\s*(.*)$", re.S)
_NUMBER1 = re.compile(r"^(\d{1,3})[.)](?![\d,%])\s*(.*)$", re.S)
_TT = re.compile(r"^\(?(\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?$")
_NOTE = ("ghi chu", "luu y", "chu thich", "nguon", "[", "(*", "*")
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

    @property
    def own(self) -> bool:
        return bool(self.text) and not self.continued


@dataclass
class _Line:
    """A task as read, before its code is given (codes need the whole container)."""

    number: str
    subline: bool
    task: TaskDoc
    where: str  # "bảng 2, dòng 7", for warnings


@dataclass
class _State:
    file: str
    sections: list[SectionDoc] = field(default_factory=list)
    top: SectionDoc | None = None  # the top-level section (or part)
    part: SectionDoc | None = None
    container: SectionDoc | None = None  # where tasks go: the section or its subsection
    objective: ObjectiveDoc | None = None
    task: TaskDoc | None = None
    carry: dict[int, str] = field(default_factory=dict)  # last text per column (merges)
    lines: dict[int, list[_Line]] = field(default_factory=dict)  # id(container) → lines
    warnings: list[str] = field(default_factory=list)
    tasks: int = 0
    numbered_cells: bool = False  # Kỳ Lạc style: TT numbers objectives, tasks carry "2.1"


def _roman_value(numeral: str) -> int | None:
    if not re.fullmatch(r"[IVX]+", numeral):
        return None
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if _to_roman(total) == numeral and 1 <= total <= 20 else None


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


def parse_grid(
    grid: Grid, *, year: int | None = None, columns: dict[str, int] | None = None
) -> ReadResult:
    """Find the appendix table(s) by header and build the plan from their rows.

    `columns` (from --columns) maps fields to columns by hand when the header is worded
    in a way no rule knows."""
    state = _State(grid.file)
    title_lines = list(grid.preamble)
    header: Header | None = None
    best = Candidate()
    if not grid.tables:
        raise ImportError_(
            "không tìm thấy bảng nào trong tệp; cần một bảng có các cột: "
            "Nhiệm vụ, Chủ trì, Thời gian hoàn thành",
            "no table found in the file; expected a table with the columns: "
            "Nhiệm vụ (task), Chủ trì (lead), Thời gian hoàn thành (deadline)",
            file=grid.file,
        )
    for table in grid.tables:
        found = find_header(table, columns)
        start = 0
        if isinstance(found, Header):
            first = header is None
            if first:
                title_lines.extend(t for t in table.heading if t not in title_lines)
                title_lines.extend(t for r in table.rows[: found.body - 1] for t in r.texts() if t)
            header, start = found, found.body
            _headings(state, table.heading, first=first)
            state.numbered_cells = _numbered_cells(table, header)
        elif header is not None and table.rows and len(table.rows[0].cells) == header.width:
            _headings(state, table.heading, first=False)  # continued without its header
        else:
            if len(found.found) > len(best.found) or not best.labels:
                best = found
            if header is None:
                title_lines.extend(t for t in table.heading if t not in title_lines)
                title_lines.extend(t for r in table.rows for t in r.texts() if t)
            continue
        for row in table.rows[start:]:
            _row(state, table, row, header)
    if header is None:
        raise missing_header_error(grid.file, best)
    if state.tasks == 0:
        raise ImportError_(
            "bảng phụ lục có dòng tiêu đề nhưng không có nhiệm vụ nào",
            "the appendix table has a header but no task",
            file=grid.file,
        )
    _give_codes(state)
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


def _numbered_cells(table: Table, header: Header) -> bool:
    """Do the task cells carry their own numbers while TT numbers the objective column?"""
    if "objective" not in header.mapping or "tt" not in header.mapping:
        return False
    index = header.mapping["task"]
    cells = [
        r.cells[index].text
        for r in table.rows[header.body :]
        if index < len(r.cells) and r.cells[index].text and not r.cells[index].continued
    ]
    return bool(cells) and sum(bool(split_number(t)[0]) for t in cells) * 2 >= len(cells)


def _headings(state: _State, lines: list[str], *, first: bool) -> None:
    """A section heading written as a paragraph above its own table ("I. NHÓM …")."""
    candidates = lines[-2:] if first else lines
    for line in candidates:
        text = clean(line)
        if _ROMAN.match(text) or (_PART.match(text) and not first):
            _structure(state, text)


def _row(state: _State, table: Table, row: Row, header: Header) -> None:
    cells = row.cells
    mapping = header.mapping
    live = [(i, c) for i, c in enumerate(cells) if c.text and not c.continued]
    if not live:
        return  # empty, or wholly covered by merges above
    if row.texts() in header.rows or _header_again(row, live):
        return  # header repeated inside the table (or on each PDF page)
    if is_column_numbers(row):
        return
    where = f"bảng {table.index}, dòng {row.number}"
    if _structure_row(state, cells, live, header, where):
        return
    values = {name: _value(state, cells, index) for name, index in mapping.items()}
    for index, cell in enumerate(cells):
        if not cell.continued:
            state.carry[index] = clean(cell.text)

    def get(name: str) -> _Value:
        return values.get(name, _Value("", False))

    tt, objective, task = get("tt"), get("objective"), get("task")
    if not any(get(n).own for n in mapping if n != "tt"):
        state.warnings.append(f"{where}: chỉ có số thứ tự, bỏ qua")
        return
    container = _container(state)
    if state.numbered_cells:
        new_objective = state.objective is None or tt.own or objective.own
    else:
        new_objective = state.objective is None or objective.own
    if new_objective:
        code, text = split_number(objective.text) if objective.own else ("", objective.text)
        own_tt = tt.text if tt.own and state.numbered_cells else ""
        state.objective = ObjectiveDoc(tt=own_tt, code=code, text=text)
        container.objectives.append(state.objective)
        state.task = None
    assert state.objective is not None
    if task.own:
        number, text = _number(state, tt, task.text)
        subline = not number and state.task is not None and (tt.continued or not tt.text)
        state.task = TaskDoc(
            code="",
            text=text,
            activities=_activities(get("activity"), row.number),
            row=row.number,
            extras={
                label: clean(cells[i].text) if not cells[i].continued else state.carry.get(i, "")
                for i, label in header.extras.items()
                if i < len(cells)
            },
            **{name: get(name).text for name in FIELDS},
        )
        state.objective.tasks.append(state.task)
        state.lines.setdefault(id(container), []).append(_Line(number, subline, state.task, where))
        state.tasks += 1
        return
    activity = get("activity")
    if new_objective:
        for name in FIELDS:
            setattr(state.objective, name, get(name).text)
        if activity.own:
            state.warnings.append(f"{where}: hoạt động không thuộc nhiệm vụ nào, bỏ qua")
        return
    own = {name: get(name).text for name in FIELDS if get(name).own}
    if state.task is not None and activity.own:
        for item in _activities(activity, row.number):
            for name, text in own.items():
                if name in ("output", "lead", "partners", "deadline", "budget"):
                    setattr(item, name, text)
            state.task.activities.append(item)
    elif own:
        state.warnings.append(f"{where}: dòng không có nhiệm vụ hay hoạt động, bỏ qua")


def _number(state: _State, tt: _Value, text: str) -> tuple[str, str]:
    """The task's own number and its text without it: from the task cell in Kỳ Lạc style
    (TT numbers the objective there), else from TT, else from the start of the cell."""
    code, rest = split_number(text)
    if state.numbered_cells or not tt.own:
        return code, rest if code else clean(text)
    number = _tt(tt.text)
    if number is None:
        return code, rest if code else clean(text)
    return number, rest if code == number else clean(text)


def _tt(text: str) -> str | None:
    match = _TT.match(clean(text).lower() if clean(text)[:1].isalpha() else clean(text))
    return match.group(1) if match else None


def _header_again(row: Row, live: list[tuple[int, Cell]]) -> bool:
    if not all(len(c.text) <= 60 for _, c in live):
        return False
    found = assign([c.text if not c.continued else "" for c in row.cells])
    return all(name in found for name in ("task", "lead"))


def _structure_row(
    state: _State, cells: list[Cell], live: list[tuple[int, Cell]], header: Header, where: str
) -> bool:
    """Section, part, group and note rows: no plan cells of their own, a marker or a title."""
    mapping = header.mapping
    plan = [mapping[n] for n in _PLAN_CELLS if n in mapping]
    if any(i in plan and (c.span == 1 or len(live) > 2) for i, c in live):
        return False  # a title merged across the row may start in a plan column
    tt_index = mapping.get("tt")
    texts = [(i, clean(c.text)) for i, c in live]
    if tt_index is not None and texts[0][0] == tt_index and len(texts) <= 2:
        marker = texts[0][1]
        title = texts[1][1] if len(texts) == 2 else ""
        if _marker(state, marker, title):
            return True
        if _tt(marker) is not None:
            return False  # a numbered task that has no plan cells
    if len(texts) == 1:
        index, text = texts[0]
        cell = live[0][1]
        body = {mapping.get(n) for n in ("objective", "task", "activity")}
        if cell.span > 1 or index not in body:
            if _structure(state, text):
                return True
            if fold(text).startswith(_NOTE) or index == tt_index or not body - {None}:
                state.warnings.append(f"{where}: ghi chú ngoài bảng, bỏ qua: {text[:60]}")
                return True
            _group(state, "", text)
            return True
        merged = any(cells[i].continued for i in plan if i < len(cells))
        if index == mapping.get("task") and not merged and _tt_blank(cells, tt_index):
            code, rest = split_number(text)
            if not code and not state.numbered_cells:
                _group(state, "", text)  # a title row between tasks: "Nhiệm vụ giao …"
                return True
    return False


def _tt_blank(cells: list[Cell], tt_index: int | None) -> bool:
    if tt_index is None or tt_index >= len(cells):
        return True
    cell = cells[tt_index]
    return not cell.continued and not cell.text


def _marker(state: _State, marker: str, title: str) -> bool:
    """A marker in the TT cell: "I" a section, "A." a part, "III.1.1" a group."""
    bare = marker.rstrip(".").strip()
    if _is_part(state, bare):
        _part(state, bare, title)
        return True
    if _roman_value(bare):
        _section(state, bare, title)
        return True
    match = _GROUP_CODE.match(bare)
    if match and _roman_value(match.group(1).split(".")[0]):
        _group(state, match.group(1), title)
        return True
    return False


def _is_part(state: _State, letter: str) -> bool:
    if not re.fullmatch(r"[A-Z]", letter):
        return False
    if letter in "IVX":  # a Roman numeral unless it follows the part letter before it
        return state.part is not None and ord(state.part.code) + 1 == ord(letter)
    return True


def _structure(state: _State, text: str) -> bool:
    """A title across the row: "I. …" a section, "A. …" a part, "III.1 …" a group,
    "1. …" a subsection of the current section; else False."""
    text = clean(text)
    part = _PART.match(text)
    if part and _is_part(state, part.group(1)):
        _part(state, part.group(1), clean(part.group(2)))
        return True
    roman = _ROMAN.match(text)
    if roman and _roman_value(roman.group(1)):
        _section(state, roman.group(1), clean(roman.group(2)))
        return True
    group = _GROUP_CODE.match(text)
    if group and group.group(2) and _roman_value(group.group(1).split(".")[0]):
        _group(state, group.group(1), clean(group.group(2)))
        return True
    match = _SUBSECTION.match(text)
    if not match or state.top is None or state.part is not None:
        return False
    state.container = SectionDoc(code=match.group(1), title=clean(match.group(2)))
    state.top.subsections.append(state.container)
    _reset(state)
    return True


def _part(state: _State, letter: str, title: str) -> None:
    state.part = state.top = state.container = SectionDoc(code=letter, title=title)
    state.sections.append(state.part)
    _reset(state)


def _section(state: _State, numeral: str, title: str) -> None:
    section = SectionDoc(code=numeral, title=title)
    if state.part is not None:
        state.part.subsections.append(section)
    else:
        state.top = section
        state.sections.append(section)
    state.container = section
    _reset(state)


def _group(state: _State, code: str, title: str) -> None:
    """A group of tasks ("Nhóm các nền tảng số …"): kept as the objective of its tasks."""
    container = _container(state)
    state.objective = ObjectiveDoc(tt=code, code="", text=title)
    container.objectives.append(state.objective)
    state.task = None


def _reset(state: _State) -> None:
    state.objective = state.task = None
    state.carry.clear()


def _container(state: _State) -> SectionDoc:
    if state.container is None:
        state.top = state.container = SectionDoc(code="", title="")
        state.sections.append(state.top)
    return state.container


def _give_codes(state: _State) -> None:
    """Codes per container: a number's lines are number.1, number.2 …; a line with no
    number before any numbered one is numbered by position; a number printed twice is
    warned about and gets "-2"."""
    auto: list[_Line] = []
    for lines in state.lines.values():
        groups: list[tuple[str, list[_Line]]] = []
        for line in lines:
            if line.number or not (line.subline and groups):
                groups.append((line.number or str(len(groups) + 1), [line]))
                if not line.number:
                    auto.append(line)
            else:
                groups[-1][1].append(line)
        for number, members in groups:
            for k, line in enumerate(members, start=1):
                line.task.code = number if len(members) == 1 else f"{number}.{k}"
    seen: dict[str, _Line] = {}
    by_task = {id(line.task): line for lines in state.lines.values() for line in lines}
    for top in state.sections:
        for node, sub in [(top, ""), *((s, s.code) for s in top.subsections)]:
            for objective in node.objectives:
                for task in objective.tasks:
                    line = by_task[id(task)]
                    full = task_code(top.code, sub, task.code)
                    if full in seen:
                        base, k = task.code, 2
                        while task_code(top.code, sub, f"{base}-{k}") in seen:
                            k += 1
                        task.code = f"{base}-{k}"
                        new = task_code(top.code, sub, task.code)
                        state.warnings.append(
                            f"số thứ tự {full} in hai lần: {seen[full].where} và {line.where}; "
                            f"dòng sau lấy mã {new}"
                        )
                        full = new
                    if line in auto:
                        state.warnings.append(
                            f"{line.where}: nhiệm vụ không có số thứ tự; lấy mã {full} theo vị trí"
                        )
                    seen[full] = line


def _activities(value: _Value, row: int) -> list[ActivityDoc]:
    if not value.own:
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
