"""The plan file: a `PlanDoc` as YAML that a person can read, edit and diff.

Loading walks the composed YAML node tree rather than `safe_load`'s output, so every mistake
is reported with its line and key path (`plan.sections[2].objectives[0].tasks[1]`), and codes
such as `2.10` written without quotes keep their text instead of becoming the float 2.1.
Dumping writes the same shape back: empty fields left out, multi-line cells as literal blocks,
long lines never folded, so a re-dump after an edit changes only the edited lines.
The schema is documented in `plans/README.md`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planflow.engine.plandoc import (
    ActivityDoc,
    DepartmentDoc,
    GroupDoc,
    HeadDoc,
    ObjectiveDoc,
    PartnerDoc,
    PlanDoc,
    SectionDoc,
    TaskDoc,
    UnitDoc,
    iter_tasks,
)
from planflow.engine.progress import ROUNDINGS
from planflow.engine.text import address_problem
from planflow.errors import ImportError_

FORMAT = "planflow-plan/1"
RECURRENCES = ("monthly", "quarterly", "half_yearly")
CELLS = ("output", "lead", "partners", "deadline", "budget")
# unit.document: what the Word report's letterhead and signature print (reports/letterhead.py)
DOCUMENT_KEYS = ("agency", "superior", "number_prefix", "number", "place", "signer_title",
                 "signer_name", "recipients")  # fmt: skip

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_T = TypeVar("_T")


# --------------------------------------------------------------------------- loading


def load_plan(path: str | Path) -> PlanDoc:
    """Read a plan file; a missing or unreadable file is a user mistake too."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(
            f"không đọc được tệp kế hoạch: {exc}",
            f"cannot read the plan file: {exc}",
            file=str(path),
        ) from exc
    return loads_plan(text, name=str(path))


def loads_plan(text: str, name: str = "<string>") -> PlanDoc:
    """Parse plan-file text; `name` is what error messages call the file."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "?"
        raise ImportError_(
            f"YAML không hợp lệ: {problem}", f"malformed YAML: {problem}", file=name, row=line
        ) from exc
    except yaml.YAMLError as exc:  # reader errors (bad characters) carry no mark
        raise ImportError_(
            f"YAML không hợp lệ: {exc}", f"malformed YAML: {exc}", file=name
        ) from exc
    if root is None:
        raise ImportError_(
            "tệp kế hoạch rỗng", "the plan file is empty; expected a mapping", file=name
        )
    return _Reader(name).plan_file(root)


@dataclass
class _Map:
    """A YAML mapping with its keys checked: unknown, duplicate and missing keys are errors."""

    node: MappingNode
    path: str
    items: dict[str, Node]


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self._construct = SafeConstructor()

    # -- errors

    def fail(self, node: Node | None, path: str, vi: str, en: str) -> ImportError_:
        line = node.start_mark.line + 1 if node is not None else None
        where = f"{path}: " if path else ""
        return ImportError_(f"{where}{vi}", f"{where}{en}", file=self.name, row=line)

    # -- shapes

    def mapping(
        self, node: Node, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> _Map:
        if not isinstance(node, MappingNode):
            raise self.fail(
                node,
                path,
                f"cần một ánh xạ (khóa: giá trị), nhưng gặp {_kind(node)}",
                f"expected a mapping (key: value), found {_kind(node)}",
            )
        allowed = required + optional
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, path, "khóa phải là chữ", "a key must be plain text")
            key = str(key_node.value)
            if key not in allowed:
                raise self.fail(
                    key_node,
                    path,
                    f"khóa không hợp lệ {key!r}; các khóa được dùng: {', '.join(allowed)}",
                    f"unknown key {key!r}; expected one of: {', '.join(allowed)}",
                )
            if key in items:
                raise self.fail(
                    key_node, path, f"khóa {key!r} bị lặp lại", f"duplicate key {key!r}"
                )
            items[key] = value_node
        for key in required:
            if key not in items or self._is_null(items[key]):
                raise self.fail(
                    node, path, f"thiếu khóa bắt buộc {key!r}", f"missing required key {key!r}"
                )
        return _Map(node, path, items)

    def sequence(self, m: _Map, key: str, each: Callable[[Node, str], _T]) -> list[_T]:
        node = m.items.get(key)
        if node is None or self._is_null(node):
            return []
        path = f"{m.path}.{key}" if m.path else key
        if not isinstance(node, SequenceNode):
            raise self.fail(
                node,
                path,
                f"cần một danh sách, nhưng gặp {_kind(node)}",
                f"expected a list, found {_kind(node)}",
            )
        return [each(item, f"{path}[{i}]") for i, item in enumerate(node.value)]

    # -- scalars

    @staticmethod
    def _is_null(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == _NULL

    def text(self, m: _Map, key: str, *, required: bool = False) -> str:
        """Any scalar as written: `2.10` stays "2.10"; an empty value is ""."""
        node = m.items.get(key)
        path = f"{m.path}.{key}"
        if node is None or self._is_null(node):
            value = ""
        elif isinstance(node, ScalarNode):
            value = str(node.value)
        else:
            raise self.fail(
                node,
                path,
                f"cần một đoạn chữ, nhưng gặp {_kind(node)}",
                f"expected text, found {_kind(node)}",
            )
        if required and not value.strip():
            raise self.fail(
                node or m.node,
                path,
                f"khóa bắt buộc {key!r} đang để trống",
                f"required key {key!r} is empty",
            )
        return value

    def texts(self, m: _Map, key: str) -> list[str]:
        def one(node: Node, path: str) -> str:
            if isinstance(node, ScalarNode) and not self._is_null(node):
                return str(node.value)
            raise self.fail(
                node, path, f"cần một đoạn chữ, nhưng gặp {_kind(node)}", "expected text"
            )

        return self.sequence(m, key, one)

    def integer(self, m: _Map, key: str) -> int:
        node = m.items[key]
        if isinstance(node, ScalarNode) and node.tag == _INT:
            value = self._construct.construct_yaml_int(node)
            assert isinstance(value, int)
            return value
        raise self.fail(
            node,
            f"{m.path}.{key}",
            f"cần một số nguyên, nhưng gặp {node.value!r}",
            f"expected a whole number, found {node.value!r}",
        )

    def boolean(self, m: _Map, key: str, default: bool) -> bool:
        node = m.items.get(key)
        if node is None or self._is_null(node):
            return default
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return bool(self._construct.construct_yaml_bool(node))
        raise self.fail(
            node,
            f"{m.path}.{key}",
            f"cần true hoặc false, nhưng gặp {_show(node)}",
            f"expected true or false, found {_show(node)}",
        )

    def iso_date(self, node: Node, path: str) -> date:
        """ISO dates only (2025-07-01): "01/07/2025" is ambiguous to a reader abroad."""
        if isinstance(node, ScalarNode) and _ISO_DATE.fullmatch(str(node.value)):
            try:
                return date.fromisoformat(str(node.value))
            except ValueError:
                pass
        raise self.fail(
            node,
            path,
            f"cần một ngày dạng ISO YYYY-MM-DD (ví dụ 2025-07-01), nhưng gặp {_show(node)}",
            f"expected an ISO date YYYY-MM-DD (e.g. 2025-07-01), found {_show(node)}",
        )

    def cells(self, m: _Map) -> dict[str, str]:
        return {key: self.text(m, key) for key in CELLS}

    # -- the document

    def plan_file(self, root: Node) -> PlanDoc:
        if not isinstance(root, MappingNode):
            raise self.fail(
                root,
                "",
                f"tệp kế hoạch phải là ánh xạ có khóa 'format' và 'plan', nhưng gặp {_kind(root)}",
                f"a plan file must be a mapping with keys 'format' and 'plan', found {_kind(root)}",
            )
        top = self.mapping(root, "", ("format", "plan"), ("unit",))
        fmt = self.text(top, "format")
        if fmt != FORMAT:
            raise self.fail(
                top.items["format"],
                "format",
                f"cần {FORMAT!r}, nhưng gặp {fmt!r}",
                f"expected {FORMAT!r}, found {fmt!r}",
            )
        unit = self.unit(top.items["unit"], "unit") if "unit" in top.items else None
        doc = self.plan(top.items["plan"], "plan")
        doc.unit = unit
        self.check_task_codes(doc)
        return doc

    def plan(self, node: Node, path: str) -> PlanDoc:
        m = self.mapping(
            node,
            path,
            ("year",),
            (
                "title",
                "agency",
                "source",
                "starts",
                "until",
                "recurrence",
                "require_evidence",
                "sections",
            ),
        )
        recurrence = self.text(m, "recurrence") or "quarterly"
        if recurrence not in RECURRENCES:
            raise self.fail(
                m.items["recurrence"],
                f"{path}.recurrence",
                f"cần một trong {', '.join(RECURRENCES)}, nhưng gặp {recurrence!r}",
                f"expected one of {', '.join(RECURRENCES)}, found {recurrence!r}",
            )
        starts_node = m.items.get("starts")
        starts = None
        if starts_node is not None and not self._is_null(starts_node):
            starts = self.iso_date(starts_node, f"{path}.starts")
        year = self.integer(m, "year")
        until = None
        until_node = m.items.get("until")
        if until_node is not None and not self._is_null(until_node):
            until = self.integer(m, "until")
            if until <= year:
                raise self.fail(
                    until_node,
                    f"{path}.until",
                    f"năm cuối ({until}) phải sau năm đầu ({year}); "
                    "bỏ 'until' nếu kế hoạch một năm",
                    f"the last year ({until}) must come after the first ({year}); "
                    "leave 'until' out for a one-year plan",
                )
        return PlanDoc(
            year=year,
            until=until,
            agency=self.text(m, "agency"),
            title=self.text(m, "title"),
            source=self.text(m, "source"),
            sections=self.sequence(m, "sections", self.section),
            starts=starts,
            recurrence=recurrence,
            require_evidence=self.boolean(m, "require_evidence", True),
        )

    def section(self, node: Node, path: str) -> SectionDoc:
        m = self.mapping(node, path, ("code", "title"), ("objectives", "subsections"))
        return SectionDoc(
            code=self.text(m, "code", required=True),
            title=self.text(m, "title", required=True),
            objectives=self.sequence(m, "objectives", self.objective),
            subsections=self.sequence(m, "subsections", self.subsection),
        )

    def subsection(self, node: Node, path: str) -> SectionDoc:
        m = self.mapping(node, path, ("code", "title"), ("objectives",))
        return SectionDoc(
            code=self.text(m, "code", required=True),
            title=self.text(m, "title", required=True),
            objectives=self.sequence(m, "objectives", self.objective),
        )

    def objective(self, node: Node, path: str) -> ObjectiveDoc:
        m = self.mapping(node, path, (), ("tt", "code", "text", "tasks", *CELLS))
        tasks = self.sequence(m, "tasks", self.task)
        cells = self.cells(m)
        if tasks and any(cells.values()):
            key = next(k for k in CELLS if cells[k])
            raise self.fail(
                m.items[key],
                f"{path}.{key}",
                "mục tiêu đã có nhiệm vụ thì kết quả, chủ trì, phối hợp, thời hạn, kinh phí "
                "ghi ở từng nhiệm vụ",
                "an objective with tasks keeps no output/lead/partners/deadline/budget of its own; "
                "put them on its tasks",
            )
        return ObjectiveDoc(
            tt=self.text(m, "tt"),
            code=self.text(m, "code"),
            text=self.text(m, "text"),
            tasks=tasks,
            **cells,
        )

    def task(self, node: Node, path: str) -> TaskDoc:
        m = self.mapping(node, path, ("code", "text"), ("activities", "status", "result", *CELLS))
        return TaskDoc(
            code=self.text(m, "code", required=True),
            text=self.text(m, "text", required=True),
            activities=self.sequence(m, "activities", self.activity),
            row=node.start_mark.line + 1,
            status=self.text(m, "status"),
            result=self.text(m, "result"),
            **self.cells(m),
        )

    def activity(self, node: Node, path: str) -> ActivityDoc:
        m = self.mapping(node, path, ("text",), ("code", *CELLS))
        return ActivityDoc(
            code=self.text(m, "code"),
            text=self.text(m, "text", required=True),
            row=node.start_mark.line + 1,
            **self.cells(m),
        )

    def unit(self, node: Node, path: str) -> UnitDoc:
        m = self.mapping(
            node,
            path,
            ("code", "name"),
            ("coordinator", "departments", "groups", "partners", "calendar", "report", "document"),
        )
        unit = UnitDoc(
            code=self.text(m, "code", required=True),
            name=self.text(m, "name", required=True),
            departments=self.sequence(m, "departments", self.department),
            groups=self.sequence(m, "groups", self.group),
            partners=self.sequence(m, "partners", self.partner),
            coordinator=self.text(m, "coordinator"),
        )
        if "calendar" in m.items and not self._is_null(m.items["calendar"]):
            cal = self.mapping(
                m.items["calendar"], f"{path}.calendar", (), ("days_off", "working_days")
            )
            unit.days_off = self.sequence(cal, "days_off", self.iso_date)
            unit.working_days = self.sequence(cal, "working_days", self.iso_date)
        if "report" in m.items and not self._is_null(m.items["report"]):
            self.report_settings(
                unit,
                self.mapping(m.items["report"], f"{path}.report", (), ("precision", "rounding")),
            )
        if "document" in m.items and not self._is_null(m.items["document"]):
            unit.document = self.document_settings(
                self.mapping(m.items["document"], f"{path}.document", (), DOCUMENT_KEYS)
            )
        self.check_unit(unit, m)
        return unit

    def report_settings(self, unit: UnitDoc, m: _Map) -> None:
        """How "đạt Z%" is written: decimals (0–3) and half-up or truncated rounding."""
        if "precision" in m.items and not self._is_null(m.items["precision"]):
            precision = self.integer(m, "precision")
            if not 0 <= precision <= 3:
                raise self.fail(
                    m.items["precision"],
                    f"{m.path}.precision",
                    f"cần số chữ số thập phân từ 0 đến 3, nhưng gặp {precision}",
                    f"expected 0 to 3 decimals, found {precision}",
                )
            unit.percent_precision = precision
        rounding = self.text(m, "rounding")
        if rounding and rounding not in ROUNDINGS:
            raise self.fail(
                m.items["rounding"],
                f"{m.path}.rounding",
                "cần half_up (làm tròn, mặc định) hoặc truncate (bỏ phần lẻ), "
                f"nhưng gặp {rounding!r}",
                f"expected half_up (the default) or truncate, found {rounding!r}",
            )
        unit.percent_rounding = rounding

    def document_settings(self, m: _Map) -> dict[str, str | list[str]]:
        """The letterhead's texts (a number such as `number: 12` kept as written) and the
        recipients as a list of lines; empty values are left out, so defaults apply."""
        settings: dict[str, str | list[str]] = {}
        for key in DOCUMENT_KEYS:
            if key == "recipients":
                lines = [line.strip() for line in self.texts(m, key) if line.strip()]
                if lines:
                    settings[key] = lines
            elif value := self.text(m, key).strip():
                settings[key] = value
        return settings

    def department(self, node: Node, path: str) -> DepartmentDoc:
        m = self.mapping(node, path, ("code", "name"), ("aliases", "head"))
        head = None
        if "head" in m.items and not self._is_null(m.items["head"]):
            h = self.mapping(m.items["head"], f"{path}.head", ("name",), ("email", "user"))
            email = self.text(h, "email")
            if email and (problem := address_problem(email)):
                raise self.fail(h.items["email"], f"{path}.head.email", problem[0], problem[1])
            head = HeadDoc(
                name=self.text(h, "name", required=True),
                email=email,
                user=self.text(h, "user"),
            )
        return DepartmentDoc(
            code=self.text(m, "code", required=True),
            name=self.text(m, "name", required=True),
            aliases=self.texts(m, "aliases"),
            head=head,
        )

    def group(self, node: Node, path: str) -> GroupDoc:
        m = self.mapping(node, path, ("name", "members"), ("aliases",))
        members = self.texts(m, "members")
        if not members:
            raise self.fail(
                m.items["members"],
                f"{path}.members",
                "nhóm cần ít nhất một mã phòng",
                "a group needs at least one department code",
            )
        return GroupDoc(
            name=self.text(m, "name", required=True),
            members=members,
            aliases=self.texts(m, "aliases"),
        )

    def partner(self, node: Node, path: str) -> PartnerDoc:
        m = self.mapping(node, path, ("name",), ("aliases",))
        return PartnerDoc(
            name=self.text(m, "name", required=True), aliases=self.texts(m, "aliases")
        )

    # -- cross-checks

    def check_unit(self, unit: UnitDoc, m: _Map) -> None:
        """Codes are how tasks, heads and groups name departments: unique and known."""
        codes: set[str] = set()
        dept_nodes = _seq_items(m.items.get("departments"))
        for i, dept in enumerate(unit.departments):
            if dept.code in codes:
                raise self.fail(
                    dept_nodes[i],
                    f"unit.departments[{i}].code",
                    f"mã phòng {dept.code!r} bị trùng",
                    f"duplicate department code {dept.code!r}",
                )
            codes.add(dept.code)
        if unit.coordinator and unit.coordinator not in codes:
            raise self.fail(
                m.items["coordinator"],
                "unit.coordinator",
                f"mã phòng {unit.coordinator!r} không có trong unit.departments",
                f"department code {unit.coordinator!r} is not in unit.departments",
            )
        group_nodes = _seq_items(m.items.get("groups"))
        for i, group in enumerate(unit.groups):
            for member in group.members:
                if member not in codes:
                    raise self.fail(
                        group_nodes[i],
                        f"unit.groups[{i}].members",
                        f"mã phòng {member!r} không có trong unit.departments",
                        f"department code {member!r} is not in unit.departments",
                    )

    def check_task_codes(self, doc: PlanDoc) -> None:
        """The full task code is the task's identity in the database and on the command line."""
        seen: dict[str, int | None] = {}
        for ref in iter_tasks(doc):
            if ref.code in seen:
                first = seen[ref.code]
                raise ImportError_(
                    f"mã nhiệm vụ {ref.code!r} bị trùng (đã có ở dòng {first})",
                    f"duplicate task code {ref.code!r} (first at line {first})",
                    file=self.name,
                    row=ref.task.row,
                )
            seen[ref.code] = ref.task.row


def _seq_items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return _show(node)


def _show(node: Node) -> str:
    return repr(node.value) if isinstance(node, ScalarNode) else _kind(node)


# --------------------------------------------------------------------------- dumping


def dump_plan(doc: PlanDoc) -> str:
    """The plan file text for `doc`; `loads_plan(dump_plan(doc)) == doc`."""
    data: dict[str, Any] = {"format": FORMAT}
    if doc.unit is not None:
        data["unit"] = _unit_data(doc.unit)
    plan: dict[str, Any] = {
        "year": doc.year,
        "until": doc.until,
        "title": doc.title,
        "agency": doc.agency,
        "source": doc.source,
        "starts": doc.starts,
        "recurrence": doc.recurrence,
        "require_evidence": doc.require_evidence,
        "sections": [_section_data(s) for s in doc.sections],
    }
    data["plan"] = _compact(plan, keep=("require_evidence",))
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9, indent=2
    )


def _compact(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Leave out empty fields so the file shows only what the appendix says."""
    return {k: v for k, v in data.items() if k in keep or v not in ("", None, [], {})}


def _cells(obj: ActivityDoc | TaskDoc | ObjectiveDoc) -> dict[str, str]:
    return {key: getattr(obj, key) for key in CELLS}


def _section_data(section: SectionDoc) -> dict[str, Any]:
    return _compact(
        {
            "code": section.code,
            "title": section.title,
            "objectives": [_objective_data(o) for o in section.objectives],
            "subsections": [_section_data(s) for s in section.subsections],
        }
    )


def _objective_data(obj: ObjectiveDoc) -> dict[str, Any]:
    return _compact(
        {
            "tt": obj.tt,
            "code": obj.code,
            "text": obj.text,
            **_cells(obj),
            "tasks": [_task_data(t) for t in obj.tasks],
        }
    )


def _task_data(task: TaskDoc) -> dict[str, Any]:
    return _compact(
        {
            "code": task.code,
            "text": task.text,
            "activities": [
                _compact({"code": a.code, "text": a.text, **_cells(a)}) for a in task.activities
            ],
            **_cells(task),
            "status": task.status,
            "result": task.result,
        }
    )


def _unit_data(unit: UnitDoc) -> dict[str, Any]:
    departments = [
        _compact(
            {
                "code": d.code,
                "name": d.name,
                "aliases": d.aliases,
                "head": _compact(vars(d.head).copy()) if d.head else None,
            }
        )
        for d in unit.departments
    ]
    groups = [
        _compact({"name": g.name, "aliases": g.aliases, "members": g.members}) for g in unit.groups
    ]
    partners = [_compact({"name": p.name, "aliases": p.aliases}) for p in unit.partners]
    calendar = _compact({"days_off": unit.days_off, "working_days": unit.working_days})
    report = _compact({"precision": unit.percent_precision, "rounding": unit.percent_rounding})
    return _compact(
        {
            "code": unit.code,
            "name": unit.name,
            "coordinator": unit.coordinator,
            "departments": departments,
            "groups": groups,
            "partners": partners,
            "calendar": calendar,
            "report": report,
            "document": _compact(dict(unit.document)),
        }
    )


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key; multi-line cells as literal blocks (one line per line)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _represent_str)
