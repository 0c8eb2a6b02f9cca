"""Resolving lead/partner cells to departments, against the Kỳ Lạc unit."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planflow.engine.names import Directory, Resolution
from planflow.engine.plandoc import (
    DepartmentDoc,
    GroupDoc,
    PartnerDoc,
    PlanDoc,
    UnitDoc,
    iter_tasks,
)
from planflow.planfile import load_plan

KY_LAC = Path(__file__).resolve().parents[2] / "plans" / "ky-lac-2025.yaml"
ALL = ["VP", "KT", "VHXH", "TTHCC"]
STAFF = ["VP", "KT", "VHXH"]


@pytest.fixture(scope="module")
def plan() -> PlanDoc:
    return load_plan(KY_LAC)


@pytest.fixture(scope="module")
def directory(plan: PlanDoc) -> Directory:
    assert plan.unit is not None
    return Directory.from_unit(plan.unit)


def _cells(plan: PlanDoc, key: str) -> set[str]:
    cells: set[str] = set()
    for ref in iter_tasks(plan):
        cells.add(getattr(ref.task, key))
        cells.update(getattr(a, key) for a in ref.task.activities)
    for section in plan.sections:
        for node in (section, *section.subsections):
            cells.update(getattr(o, key) for o in node.objectives if not o.tasks)
    return {c for c in cells if c.strip()}


def test_every_ky_lac_lead_resolves(plan: PlanDoc, directory: Directory) -> None:
    leads = _cells(plan, "lead")
    assert len(leads) == 9
    for cell in leads:
        result = directory.resolve(cell)
        assert result.unknown == [], cell
        assert result.departments, cell


def test_every_ky_lac_partner_resolves(plan: PlanDoc, directory: Directory) -> None:
    partners = _cells(plan, "partners")
    assert len(partners) == 16
    for cell in partners:
        result = directory.resolve(cell)
        assert result.unknown == [], cell
        assert result.departments or result.named, cell


@pytest.mark.parametrize(
    ("cell", "departments", "named"),
    [
        ("Phòng VHXH", ["VHXH"], []),
        ("Phòng kinh tế", ["KT"], []),
        ("Văn phòng HĐND-UBND", ["VP"], []),
        ("Văn phòng HĐND-UBND xã", ["VP"], []),
        ("Văn phòng UBND xã", ["VP"], []),
        ("Văn phòng HĐND và UBND xã", ["VP"], []),
        ("Trung tâm HCC xã", ["TTHCC"], []),
        ("Trung tâm HHC xã", ["TTHCC"], []),
        ("Các phòn chuyên môn liên quan", STAFF, []),
        ("Các phòng chuyên môn xã", STAFF, []),
        ("Các Ban, phòng liên quan", STAFF, []),
        ("UBND xã", ALL, []),
        ("UBND cấp xã", ALL, []),
        ("Các phòng, ban, đoàn thể xã", ALL, []),
        ("Các cơ quan chủ trì các lĩnh vực CCHC xã;", ALL, []),
        ("Các phòng chủ trì CCHC của xã, các thôn", ALL, ["các thôn"]),
        ("Các phòng chuyên môn liên quan, các thôn, các ĐVSN", STAFF, ["các thôn", "các ĐVSN"]),
        ("Cơ quan, đơn vị liên quan", [], ["Cơ quan, đơn vị liên quan"]),
        ("các đơn vị sự nghiệp", [], ["các ĐVSN"]),
        (
            "Các cơ quan chủ trì CCHC của xã, các phòng chuyên môn được kiểm tra",
            ALL,
            [],
        ),
        # codes, case, diacritics, spacing, trailing punctuation, other separators
        ("VHXH", ["VHXH"], []),
        ("phong van hoa - xa hoi.", ["VHXH"], []),
        ("PHÒNG  KINH   TẾ", ["KT"], []),
        ("Phòng VHXH; Phòng Kinh tế", ["VHXH", "KT"], []),
        ("Phòng VHXH và Phòng Kinh tế", ["VHXH", "KT"], []),
        ("- Phòng Kinh tế\n- Phòng VHXH", ["KT", "VHXH"], []),
        ("Phòng VHXH, Các phòng chuyên môn xã", ["VHXH", "VP", "KT"], []),
    ],
)
def test_resolve(directory: Directory, cell: str, departments: list[str], named: list[str]) -> None:
    assert directory.resolve(cell) == Resolution(departments, named, [])


def test_comma_names_stay_whole(directory: Directory) -> None:
    result = directory.resolve("Các phòng, ban, đoàn thể xã")
    assert result == Resolution(ALL, [], [])
    assert directory.resolve("Phòng VHXH, Cơ quan, đơn vị liên quan") == Resolution(
        ["VHXH"], ["Cơ quan, đơn vị liên quan"], []
    )


def test_unknown_text_is_reported_as_written(directory: Directory) -> None:
    assert directory.resolve("Sở Nội vụ") == Resolution([], [], ["Sở Nội vụ"])
    # consecutive unknown pieces are one name; known ones around them still resolve
    assert directory.resolve("Phòng VHXH, Công an xã, Ban chỉ huy quân sự xã, các thôn.") == (
        Resolution(["VHXH"], ["các thôn"], ["Công an xã, Ban chỉ huy quân sự xã"])
    )
    # a hard separator keeps unknowns apart
    assert directory.resolve("Sở Nội vụ; Sở Tài chính").unknown == ["Sở Nội vụ", "Sở Tài chính"]


@pytest.mark.parametrize("cell", ["", "   ", "\n", ";", ".", " , ; "])
def test_blank_cell(directory: Directory, cell: str) -> None:
    result = directory.resolve(cell)
    assert result == Resolution()
    assert not result


def test_duplicates_are_dropped_in_order(directory: Directory) -> None:
    result = directory.resolve("Phòng Kinh tế, UBND xã, Phòng kinh tế, các thôn, các thôn")
    assert result == Resolution(["KT", "VP", "VHXH", "TTHCC"], ["các thôn"], [])


def test_lookup_department(directory: Directory) -> None:
    assert directory.lookup_department("VHXH") == "VHXH"
    assert directory.lookup_department("vhxh") == "VHXH"
    assert directory.lookup_department("Phòng Văn hóa – Xã hội") == "VHXH"
    assert directory.lookup_department("Trung tâm HHC xã") == "TTHCC"
    assert directory.lookup_department("Văn phòng UBND xã") == "VP"
    assert directory.lookup_department("UBND xã") is None  # a group, not a department
    assert directory.lookup_department("các thôn") is None
    assert directory.lookup_department("") is None


def test_department_name_wins_over_a_group_alias() -> None:
    unit = UnitDoc(
        "u",
        "U",
        departments=[DepartmentDoc("A", "Phòng A")],
        groups=[GroupDoc("Tất cả", ["A"], aliases=["Phòng A"])],
        partners=[PartnerDoc("các thôn")],
    )
    assert Directory.from_unit(unit).resolve("phong a") == Resolution(["A"], [], [])


@given(st.text())
def test_resolve_never_raises(cell: str) -> None:
    directory = _DIRECTORY
    result = directory.resolve(cell)
    assert set(result.departments) <= set(ALL)
    assert len(result.departments) == len(set(result.departments))


@given(
    st.lists(
        st.sampled_from(
            [
                ", ",
                "; ",
                " và ",
                "\n",
                ",",
                "Phòng VHXH",
                "các thôn",
                "Sở X",
                "Các phòng",
                "ban",
                "đoàn thể xã",
            ]
        )
    ).map("".join)
)
def test_resolve_never_raises_on_near_names(cell: str) -> None:
    result = _DIRECTORY.resolve(cell)
    assert all(piece.strip() for piece in result.unknown)


_DIRECTORY = Directory.from_unit(load_plan(KY_LAC).unit or UnitDoc("", ""))
