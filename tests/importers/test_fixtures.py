"""The Kỳ Lạc appendix as the coordinator holds it (Word, Excel, signed PDF) → 35 tasks.

Values are checked as written in the appendix; the three formats and the hand-made plan
file must agree field by field.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planflow.engine.plandoc import ActivityDoc, PlanDoc, TaskDoc, iter_tasks
from planflow.importers import read_document, read_document_with_warnings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PLAN_FILE = ROOT / "plans" / "ky-lac-2025.yaml"
KINDS = ["docx", "xlsx", "pdf"]

CODES = {
    "I": ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"],
    "II": ["2.1", "2.2", "2.3"],
    "III": [f"2.{i}" for i in range(1, 12)],
    "IV": ["2.1"],
    "V": ["2.1", "2.2"],
    "VI": [f"2.{i}" for i in range(1, 8)],
    "VII": ["1.2.1", "1.2.2", "2.2.1", "2.2.2"],
}

_cache: dict[str, PlanDoc] = {}


def plan(kind: str) -> PlanDoc:
    if kind not in _cache:
        _cache[kind] = read_document(FIXTURES / f"ky-lac-2025-phu-luc.{kind}")
    return _cache[kind]


def task(kind: str, code: str) -> TaskDoc:
    return next(ref.task for ref in iter_tasks(plan(kind)) if ref.code == code)


@pytest.mark.parametrize("kind", KINDS)
def test_35_tasks_with_their_codes(kind: str) -> None:
    doc = plan(kind)
    assert doc.year == 2025
    assert "NĂM 2025" in doc.title
    codes: dict[str, list[str]] = {}
    for ref in iter_tasks(doc):
        codes.setdefault(ref.section, []).append(ref.code.split(".", 1)[1])
    assert codes == CODES
    assert len(list(iter_tasks(doc))) == 35
    assert [s.code for s in doc.sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert doc.sections[1].title == "CẢI CÁCH THỂ CHẾ"
    vii = doc.sections[6]
    assert [(s.code, s.title[:22]) for s in vii.subsections] == [
        ("1", "Ứng dụng công nghệ thô"),
        ("2", "Áp dụng ISO 9001:2015 "),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_tt_only_row_is_skipped(kind: str) -> None:
    result = read_document_with_warnings(FIXTURES / f"ky-lac-2025-phu-luc.{kind}")
    assert len(result.warnings) == 1 and "chỉ có số thứ tự" in result.warnings[0]
    section = result.doc.sections[0]
    assert [o.tt for o in section.objectives] == ["1", "2", "3", "5", "6"]


@pytest.mark.parametrize("kind", KINDS)
def test_tasks_field_by_field(kind: str) -> None:
    t = task(kind, "I.2.1")
    assert t.text == "Ban hành Kế hoạch CCHC 06 tháng cuối năm 2025 của xã"
    assert (t.lead, t.partners, t.deadline, t.budget) == (
        "Phòng VHXH",
        "Các phòng chủ trì CCHC của xã",
        "Ngày 25/7/2025",
        "",
    )
    assert t.output == "Văn bản và các dự thảo kèm theo"
    assert [a.code for a in t.activities] == ["3.1", "3.2"]
    assert t.activities[0].text == "Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ"

    t = task(kind, "I.2.4")
    assert t.text.startswith("Nghiên cứu, đề xuất sáng kiến mới")
    assert t.lead == "Các cơ quan chủ trì các lĩnh vực CCHC xã;"
    assert t.deadline == "Thường xuyên"

    t = task(kind, "I.2.5")
    assert [a.code for a in t.activities] == ["3.7", "3.8", "3.9", "3.10", "3.11"]
    assert t.activities[0].text == "Ban hành Kế hoạch Kiểm tra CCHC"
    assert (t.deadline, t.budget) == ("Quý III/2025", "Theo dự toán được cấp")

    t = task(kind, "I.2.6")
    assert (t.lead, t.partners, t.output) == ("", "Các công chức chuyên môn liên quan", "")

    t = task(kind, "II.2.2")
    assert t.text == "Kiểm tra công tác TDTHPL và tình hình thi hành pháp luật trên địa bàn xã"
    assert t.lead == "Văn phòng HĐND-UBND"
    assert t.deadline == "Quý IV năm 2025"
    assert t.output.split("\n")[0] == "- Thành lập đoàn kiểm tra"
    assert t.activities == [ActivityDoc("3.17", "Thành lập Đoàn kiểm tra liên ngành")]

    t = task(kind, "III.2.4")
    assert (t.text, t.lead, t.partners, t.activities) == (
        "Công bố các TTHC",
        "Trung tâm HHC xã",
        "",
        [],
    )

    t = task(kind, "III.2.11")
    assert (t.deadline, t.lead) == ("06 tháng cuối năm 2025", "Văn phòng UBND xã")

    t = task(kind, "IV.2.1")
    assert t.partners == "Các phòn chuyên môn liên quan"  # as written, typo kept
    assert t.deadline == "Theo lộ trình đề án được phê duyệt"

    t = task(kind, "V.2.2")
    assert (t.lead, t.partners, t.deadline) == ("", "Các phòng chuyên môn", "Năm 2025")

    t = task(kind, "VI.2.1")
    assert t.partners == "Các phòng chuyên môn liên quan, các thôn, các ĐVSN"
    assert t.lead == "Phòng kinh tế"

    t = task(kind, "VII.1.2.1")
    assert (t.lead, t.partners, t.budget) == (
        "",
        "Các Ban, phòng liên quan",
        "Theo dự toán được cấp",
    )

    t = task(kind, "VII.2.2.2")
    assert t.text.startswith("Rà soát, điều chỉnh và công bố áp dụng Hệ thống quản lý")
    assert (t.lead, t.deadline) == ("", "Quý I-IV năm 2025")


@pytest.mark.parametrize("kind", KINDS)
def test_cells_shared_by_iii_2_6_and_2_7(kind: str) -> None:
    first, second = task(kind, "III.2.6"), task(kind, "III.2.7")
    assert first.text.startswith("Đẩy mạnh cung cấp DVC trực tuyến")
    assert second.text == "Nâng cao tỷ lệ hồ sơ trực tuyến toàn trình của xã"
    for t in (first, second):
        assert t.output.startswith("- Báo cáo rà soát\n- Tích hợp, cung cấp dịch vụ công")
        assert (t.lead, t.partners, t.deadline, t.budget) == (
            "Các phòng chuyên môn xã",
            "Văn phòng HĐND-UBND xã",
            "Thường xuyên",
            "",
        )
    assert [a.code for a in second.activities] == ["3.7"]


@pytest.mark.parametrize("kind", KINDS)
def test_later_line_activities_carry_their_own_cells(kind: str) -> None:
    t = task(kind, "I.2.2")
    assert (t.output, t.lead, t.deadline) == ("Kế hoạch", "Phòng VHXH", "Tháng 07/2025")
    assert t.activities == [
        ActivityDoc("3.3", "Xây dựng, ban hành kế hoạch"),
        ActivityDoc(
            "3.4",
            "Tổ chức thực hiện Kế hoạch tuyên truyền",
            output="Các hình thức tuyên truyền đa dạng, phong phú",
            lead="Phòng VHXH",
            partners="Các phòng chủ trì CCHC của xã, các thôn",
            deadline="Thường xuyên",
        ),
    ]
    t = task(kind, "II.2.1")
    assert [a.code for a in t.activities] == ["3.14", "3.15", "3.16"]
    first, second, third = t.activities
    assert (first.lead, first.output) == ("", "")
    assert (second.output, second.budget) == ("Các văn bản QPPL", "Theo dự toán được cấp")
    assert (third.output, third.lead, third.budget) == (
        "Văn bản góp ý, đề xuất",
        "Văn phòng HĐND-UBND",
        "",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_objectives(kind: str) -> None:
    doc = plan(kind)
    ii = doc.sections[1].objectives
    assert [(o.tt, o.code, len(o.tasks)) for o in ii] == [("1", "1.1", 1), ("", "1.2", 2)]
    assert ii[1].text.startswith("Phấn đấu 100% văn bản QPPL của Trung ương")
    assert [(o.tt, o.code) for o in doc.sections[4].objectives] == [("1", "1.1"), ("2", "")]
    sub1, sub2 = doc.sections[6].subsections
    lone = sub1.objectives[1]
    assert (lone.tt, lone.code, lone.tasks) == ("1.2", "1.5", [])
    assert lone.text.startswith("100% hồ sơ công việc tại cơ quan chuyên UBND xã")
    assert (lone.lead, lone.partners, lone.deadline, lone.budget, lone.output) == (
        "Văn phòng UBND xã",
        "Phòng VHXH",
        "Năm 2025",
        "Theo dự toán được cấp",
        "",
    )
    assert (sub2.objectives[1].tt, sub2.objectives[1].code) == ("2.2", "")
    assert sub2.objectives[1].text.startswith("Thực hiện rà soát, điều chỉnh")


@pytest.mark.parametrize("kind", KINDS)
def test_vi_2_4_has_no_lead_and_no_deadline(kind: str) -> None:
    t = task(kind, "VI.2.4")
    assert t.text.startswith("Điều chỉnh phương án sắp xếp lại, xử lý nhà, đất")
    assert (t.lead, t.partners, t.deadline, t.output, t.budget, t.activities) == (
        "",
        "",
        "",
        "",
        "",
        [],
    )


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_formats_agree_with_word(kind: str) -> None:
    assert plan(kind).sections == plan("docx").sections


@pytest.mark.parametrize("kind", KINDS)
def test_same_sections_as_the_plan_file(kind: str) -> None:
    """Not skipped when the plan file is missing: it is part of the contract."""
    assert PLAN_FILE.is_file(), f"{PLAN_FILE} is missing"
    from planflow.planfile import load_plan

    reference = load_plan(PLAN_FILE)
    doc = plan(kind)
    assert doc.year == reference.year
    for mine, theirs in zip(doc.sections, reference.sections, strict=True):
        assert mine == theirs, mine.code
    assert read_document(PLAN_FILE).sections == reference.sections
