"""The plan file: the Kỳ Lạc reference transcription, round trips, and every user mistake."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planflow.engine.plandoc import (
    ActivityDoc,
    ObjectiveDoc,
    PlanDoc,
    SectionDoc,
    TaskDoc,
    TaskRef,
    iter_tasks,
)
from planflow.errors import ImportError_
from planflow.planfile import dump_plan, load_plan, loads_plan

KY_LAC = Path(__file__).resolve().parents[1] / "plans" / "ky-lac-2025.yaml"


@pytest.fixture(scope="module")
def ky_lac() -> PlanDoc:
    return load_plan(KY_LAC)


@pytest.fixture(scope="module")
def tasks(ky_lac: PlanDoc) -> dict[str, TaskRef]:
    return {ref.code: ref for ref in iter_tasks(ky_lac)}


# --------------------------------------------------------------------------- Kỳ Lạc 2025


def test_ky_lac_plan_header(ky_lac: PlanDoc) -> None:
    assert ky_lac.year == 2025
    assert ky_lac.title == "Kế hoạch cải cách hành chính năm 2025"
    assert ky_lac.source == (
        "Phụ lục kèm theo Kế hoạch số …/KH-UBND ngày …/7/2025 của UBND xã Kỳ Lạc"
    )
    assert ky_lac.starts == date(2025, 7, 1)
    assert ky_lac.recurrence == "quarterly"
    assert ky_lac.require_evidence is True
    assert [s.code for s in ky_lac.sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert ky_lac.sections[0].title == "CÔNG TÁC TRIỂN KHAI CÁC NHIỆM VỤ CCHC"
    vii = ky_lac.sections[6]
    assert vii.objectives == []
    assert [(s.code, s.title) for s in vii.subsections] == [
        ("1", "Ứng dụng công nghệ thông tin trong hoạt động của đơn vị"),
        ("2", "Áp dụng ISO 9001:2015 trong hoạt động của các cơ quan, đơn vị"),
    ]


def test_ky_lac_unit(ky_lac: PlanDoc) -> None:
    unit = ky_lac.unit
    assert unit is not None
    assert (unit.code, unit.name, unit.coordinator) == ("ky-lac", "UBND xã Kỳ Lạc", "VHXH")
    assert [d.code for d in unit.departments] == ["VP", "KT", "VHXH", "TTHCC"]
    vhxh = unit.departments[2]
    assert vhxh.name == "Phòng Văn hóa – Xã hội"
    assert vhxh.head is not None
    assert (vhxh.head.email, vhxh.head.user) == ("vhxh@kylac.example.vn", "vhxh")
    assert "Trung tâm HHC xã" in unit.departments[3].aliases
    groups = {g.name: g.members for g in unit.groups}
    assert groups == {
        "Các phòng chuyên môn xã": ["VP", "KT", "VHXH"],
        "Các cơ quan chủ trì CCHC xã": ["VP", "KT", "VHXH", "TTHCC"],
        "UBND xã": ["VP", "KT", "VHXH", "TTHCC"],
        "Các phòng, ban, đoàn thể xã": ["VP", "KT", "VHXH", "TTHCC"],
    }
    assert [p.name for p in unit.partners] == ["các thôn", "các ĐVSN", "Cơ quan, đơn vị liên quan"]
    assert unit.days_off == [] and unit.working_days == []


def test_ky_lac_task_counts(ky_lac: PlanDoc) -> None:
    counts = Counter(ref.section for ref in iter_tasks(ky_lac))
    assert counts == {"I": 7, "II": 3, "III": 11, "IV": 1, "V": 2, "VI": 7, "VII": 4}
    assert sum(counts.values()) == 35


def test_ky_lac_task_codes(tasks: dict[str, TaskRef]) -> None:
    assert list(tasks) == [
        *(f"I.2.{n}" for n in range(1, 8)),
        "II.2.1",
        "II.2.2",
        "II.2.3",
        *(f"III.2.{n}" for n in range(1, 12)),
        "IV.2.1",
        "V.2.1",
        "V.2.2",
        *(f"VI.2.{n}" for n in range(1, 8)),
        "VII.1.2.1",
        "VII.1.2.2",
        "VII.2.2.1",
        "VII.2.2.2",
    ]
    assert tasks["VII.2.2.1"].subsection == "2"
    assert tasks["III.2.10"].task.code == "2.10"


def test_ky_lac_i_2_1(tasks: dict[str, TaskRef]) -> None:
    ref = tasks["I.2.1"]
    assert (ref.objective.tt, ref.objective.code) == ("1", "1.1")
    assert ref.task == TaskDoc(
        code="2.1",
        text="Ban hành Kế hoạch CCHC 06 tháng cuối năm 2025 của xã",
        activities=[
            ActivityDoc("3.1", "Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ"),
            ActivityDoc(
                "3.2",
                "Tổng hợp và xin ý kiến, hoàn thiện dự thảo, trình Chủ tịch UBND xã ban hành",
            ),
        ],
        output="Văn bản và các dự thảo kèm theo",
        lead="Phòng VHXH",
        partners="Các phòng chủ trì CCHC của xã",
        deadline="Ngày 25/7/2025",
        budget="",
    )


def test_ky_lac_i_2_2_activity_on_its_own_line(tasks: dict[str, TaskRef]) -> None:
    task = tasks["I.2.2"].task
    assert (task.output, task.lead, task.deadline) == ("Kế hoạch", "Phòng VHXH", "Tháng 07/2025")
    first, second = task.activities
    assert first == ActivityDoc("3.3", "Xây dựng, ban hành kế hoạch")
    assert second == ActivityDoc(
        code="3.4",
        text="Tổ chức thực hiện Kế hoạch tuyên truyền",
        output="Các hình thức tuyên truyền đa dạng, phong phú",
        lead="Phòng VHXH",
        partners="Các phòng chủ trì CCHC của xã, các thôn",
        deadline="Thường xuyên",
    )


def test_ky_lac_ii_2_1_three_lines(tasks: dict[str, TaskRef]) -> None:
    task = tasks["II.2.1"].task
    assert task.text.endswith("do Trung ương, tỉnh giáo")
    assert (task.output, task.budget) == ("Danh mục", "Theo dự toán được cấp")
    assert [a.code for a in task.activities] == ["3.14", "3.15", "3.16"]
    assert task.activities[0].output == ""
    assert task.activities[1].budget == "Theo dự toán được cấp"
    assert task.activities[2].output == "Văn bản góp ý, đề xuất"
    assert task.activities[2].budget == ""
    assert tasks["II.2.2"].objective.tt == ""
    assert tasks["II.2.2"].task.text.startswith("Kiểm tra công tác TDTHPL")
    assert tasks["II.2.2"].task.output == (
        "- Thành lập đoàn kiểm tra\n- Thực hiện kiểm tra tại các cơ quan đơn vị, tổ chức"
    )


def test_ky_lac_iii(tasks: dict[str, TaskRef]) -> None:
    assert tasks["III.2.4"].task.lead == "Trung tâm HHC xã"
    assert tasks["III.2.4"].task.partners == ""
    assert tasks["III.2.4"].task.activities == []
    assert tasks["III.2.3"].task.output.endswith("Quyết định phê quyệt")
    # 2.6 and 2.7 share merged cells; each task carries a copy.
    six, seven = tasks["III.2.6"].task, tasks["III.2.7"].task
    assert six.output == seven.output
    assert six.output.count("\n") == 3
    assert (seven.lead, seven.partners, seven.deadline) == (
        "Các phòng chuyên môn xã",
        "Văn phòng HĐND-UBND xã",
        "Thường xuyên",
    )
    assert tasks["III.2.6"].objective.text.endswith(
        "\n- Tỷ lệ nộp hồ sơ trực tuyến toàn trình đạt 90%."
    )
    assert tasks["III.2.5"].task.activities[1].text.endswith("tổ chức thực hiện kế")


def test_ky_lac_iv_to_vi(tasks: dict[str, TaskRef]) -> None:
    iv = tasks["IV.2.1"]
    assert iv.task.deadline == "Theo lộ trình đề án được phê duyệt"
    assert iv.task.partners == "Các phòn chuyên môn liên quan"
    assert (iv.objective.tt, iv.objective.code, iv.objective.text) == ("1", "", "")
    assert tasks["V.2.2"].objective.tt == "2"
    assert tasks["V.2.2"].task.lead == ""
    vi4 = tasks["VI.2.4"].task
    assert (vi4.lead, vi4.deadline, vi4.output, vi4.activities) == ("", "", "", [])
    assert tasks["VI.2.7"].objective.code == "1.9"
    assert tasks["I.2.4"].task.lead == "Các cơ quan chủ trì các lĩnh vực CCHC xã;"


def test_ky_lac_vii(ky_lac: PlanDoc, tasks: dict[str, TaskRef]) -> None:
    first = ky_lac.sections[6].subsections[0]
    no_task = first.objectives[1]
    assert no_task == ObjectiveDoc(
        tt="1.2",
        code="1.5",
        text=(
            "100% hồ sơ công việc tại cơ quan chuyên UBND xã được xác lập trên môi trường mạng "
            "(trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)."
        ),
        lead="Văn phòng UBND xã",
        partners="Phòng VHXH",
        deadline="Năm 2025",
        budget="Theo dự toán được cấp",
    )
    assert tasks["VII.1.2.1"].task.lead == ""
    assert tasks["VII.1.2.1"].task.partners == "Các Ban, phòng liên quan"
    assert tasks["VII.2.2.2"].objective.code == ""
    assert tasks["VII.2.2.2"].objective.tt == "2.2"
    assert tasks["VII.2.2.1"].task.deadline == "Quý I-IV năm 2025"


def test_task_rows_point_into_the_file(tasks: dict[str, TaskRef]) -> None:
    lines = KY_LAC.read_text(encoding="utf-8").splitlines()
    row = tasks["III.2.4"].task.row
    assert row is not None
    assert lines[row - 1].strip() == '- code: "2.4"'


# --------------------------------------------------------------------------- round trip


def test_round_trip_ky_lac(ky_lac: PlanDoc) -> None:
    text = dump_plan(ky_lac)
    assert loads_plan(text) == ky_lac
    assert dump_plan(loads_plan(text)) == text


def test_dump_keeps_codes_as_strings_and_omits_empty_fields() -> None:
    doc = PlanDoc(
        year=2025,
        sections=[
            SectionDoc(
                "I",
                "T",
                [ObjectiveDoc("10", "1.10", "", [TaskDoc("2.10", "x\ny", output="null")])],
            )
        ],
    )
    text = dump_plan(doc)
    assert "code: '2.10'" in text and "tt: '10'" in text
    assert "output: 'null'" in text
    assert "lead" not in text and "unit" not in text and "starts" not in text
    assert "text: |-\n" in text
    assert loads_plan(text) == doc


def test_unquoted_codes_keep_their_text() -> None:
    doc = loads_plan(
        _plan(
            "  sections:\n    - {code: I, title: T, objectives:"
            " [{tasks: [{code: 2.10, text: x}]}]}\n"
        )
    )
    assert doc.sections[0].objectives[0].tasks[0].code == "2.10"


_line = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), max_size=30
)
_cell = st.lists(_line, max_size=3).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(
    code=_line.filter(str.strip),
    text=_cell.filter(str.strip),
    output=_cell,
    deadline=_cell,
    tt=_line,
)
def test_round_trip_any_text(code: str, text: str, output: str, deadline: str, tt: str) -> None:
    task = TaskDoc(code, text, [ActivityDoc(code, text, lead=output)], output=output)
    task.deadline = deadline
    doc = PlanDoc(
        year=2025, sections=[SectionDoc("I", text, [ObjectiveDoc(tt, code, text, [task])])]
    )
    assert loads_plan(dump_plan(doc)) == doc


# --------------------------------------------------------------------------- mistakes


def _plan(body: str = "", head: str = "format: planflow-plan/1\nplan:\n  year: 2025\n") -> str:
    return head + body


def _unit(body: str) -> str:
    return f"format: planflow-plan/1\nunit:\n  code: u\n  name: U\n{body}plan: {{year: 2025}}\n"


_TASK = "  sections:\n    - code: I\n      title: T\n      objectives:\n        - tasks:\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param("format: [\n", 2, "YAML", id="malformed"),
        pytest.param("- a\n- b\n", 1, "mapping", id="not-a-mapping"),
        pytest.param("just text\n", 1, "mapping", id="scalar-file"),
        pytest.param("plan:\n  year: 2025\n", 1, "'format'", id="missing-format"),
        pytest.param(
            "format: planflow-plan/2\nplan: {year: 2025}\n", 1, "planflow-plan/1", id="bad-format"
        ),
        pytest.param(_plan("  colour: red\n"), 4, "unknown key 'colour'", id="unknown-key"),
        pytest.param(
            _plan("  title: a\n  title: b\n"), 5, "duplicate key 'title'", id="duplicate-key"
        ),
        pytest.param(
            _plan(head="format: planflow-plan/1\nplan:\n  title: x\n"), 3, "'year'", id="no-year"
        ),
        pytest.param(
            _plan(head="format: planflow-plan/1\nplan:\n  year: '2025'\n"),
            3,
            "whole number",
            id="year-str",
        ),
        pytest.param(
            _plan(head="format: planflow-plan/1\nplan:\n  year: 2025.5\n"),
            3,
            "whole number",
            id="year-float",
        ),
        pytest.param(_plan("  starts: 01/07/2025\n"), 4, "ISO date", id="date-not-iso"),
        pytest.param(_plan("  starts: 2025-02-30\n"), 4, "ISO date", id="date-impossible"),
        pytest.param(_plan("  recurrence: weekly\n"), 4, "quarterly", id="recurrence"),
        pytest.param(_plan("  require_evidence: maybe\n"), 4, "true or false", id="bool"),
        pytest.param(
            _plan("  sections: {code: I}\n"), 4, "expected a list", id="sections-not-list"
        ),
        pytest.param(
            _plan("  sections:\n    - code: I\n"),
            5,
            "plan.sections[0]: missing required key 'title'",
            id="section-title",
        ),
        pytest.param(
            _plan("  sections:\n    - title: T\n"),
            5,
            "missing required key 'code'",
            id="section-code",
        ),
        pytest.param(
            _plan(_TASK + "            - code: '2.1'\n"),
            9,
            "plan.sections[0].objectives[0].tasks[0]: missing required key 'text'",
            id="task-text",
        ),
        pytest.param(
            _plan(_TASK + "            - text: x\n"),
            9,
            "missing required key 'code'",
            id="task-code",
        ),
        pytest.param(
            _plan(_TASK + "            - {code: '', text: x}\n"),
            9,
            "required key 'code' is empty",
            id="task-code-empty",
        ),
        pytest.param(
            _plan(_TASK + "            - {code: '2.1', text: [a, b]}\n"),
            9,
            "expected text, found list",
            id="text-is-list",
        ),
        pytest.param(
            _plan(_TASK + "            - {code: '2.1', text: x, lead: {a: 1}}\n"),
            9,
            "tasks[0].lead: expected text",
            id="lead-is-mapping",
        ),
        pytest.param(
            _plan(_TASK + "            - {code: '2.1', text: x, activities: [{code: '3.1'}]}\n"),
            9,
            "activities[0]: missing required key 'text'",
            id="activity-text",
        ),
        pytest.param(
            _plan(_TASK + "            - {code: '2.1', text: x}\n          lead: VP\n"),
            10,
            "objectives[0].lead",
            id="objective-cells-with-tasks",
        ),
        pytest.param(
            _plan(
                _TASK
                + "            - {code: '2.1', text: x}\n            - {code: '2.1', text: y}\n"
            ),
            10,
            "duplicate task code 'I.2.1'",
            id="duplicate-task",
        ),
        pytest.param(
            _plan(head="format: planflow-plan/1\nunit: {code: u}\nplan: {year: 2025}\n"),
            2,
            "unit: missing required key 'name'",
            id="unit-name",
        ),
        pytest.param(
            _unit("  coordinator: X\n"),
            5,
            "'X' is not in unit.departments",
            id="coordinator",
        ),
        pytest.param(
            _unit("  departments: [{code: A, name: a}]\n  groups: [{name: g, members: [A, B]}]\n"),
            6,
            "'B' is not in unit.departments",
            id="group-member",
        ),
        pytest.param(
            _unit("  departments: [{code: A, name: a}, {code: A, name: b}]\n"),
            5,
            "duplicate department code 'A'",
            id="duplicate-department",
        ),
        pytest.param(
            _unit("  calendar:\n    days_off: [2025-09-02, 2/9/2025]\n"),
            6,
            "unit.calendar.days_off[1]: expected an ISO date",
            id="calendar-date",
        ),
        pytest.param(
            _unit("  departments: [{code: A, name: a, head: {email: x}}]\n"),
            5,
            "head: missing required key 'name'",
            id="head-name",
        ),
    ],
)
def test_mistakes_name_the_line_and_key(text: str, line: int, words: str) -> None:
    with pytest.raises(ImportError_) as caught:
        loads_plan(text, name="plans/bad.yaml")
    err = caught.value
    assert err.file == "plans/bad.yaml"
    assert err.row == line, err.message("en")
    english = err.message("en")
    assert english.startswith(f"plans/bad.yaml, row {line}: ")
    assert words in english
    assert err.message("vi").startswith(f"plans/bad.yaml, dòng {line}: ")


def test_empty_file() -> None:
    with pytest.raises(ImportError_) as caught:
        loads_plan("", name="x.yaml")
    assert caught.value.message("en") == "x.yaml: the plan file is empty; expected a mapping"
    with pytest.raises(ImportError_):
        loads_plan("# only a comment\n", name="x.yaml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportError_) as caught:
        load_plan(tmp_path / "nope.yaml")
    assert caught.value.file == str(tmp_path / "nope.yaml")


def test_load_plan_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(_plan("  colour: red\n"), encoding="utf-8")
    with pytest.raises(ImportError_) as caught:
        load_plan(path)
    assert caught.value.file == str(path)
    assert caught.value.row == 4


def test_minimal_plan_defaults() -> None:
    doc = loads_plan(_plan())
    assert doc == PlanDoc(year=2025)
    assert doc.recurrence == "quarterly" and doc.require_evidence is True


def test_readme_example_loads() -> None:
    readme = (KY_LAC.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = loads_plan(example, name="plans/README.md")
    assert [ref.code for ref in iter_tasks(doc)] == ["I.2.2"]
    assert doc.unit is not None and doc.unit.coordinator == "VHXH"
