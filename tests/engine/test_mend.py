"""Mending the directory without a database: a merge's items, a plan file read over a mended
directory, and a row's explicit partner against a group lead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planflow.engine.mend import follow, mend_unit, merge_parts, remap
from planflow.engine.names import Directory
from planflow.engine.plandoc import DepartmentDoc, GroupDoc, PartnerDoc, UnitDoc
from planflow.engine.planning import leads_and_partners
from planflow.planfile import load_plan

KY_LAC = Path(__file__).resolve().parents[2] / "plans" / "ky-lac-2025.yaml"


@dataclass
class It:
    id: int
    period: str
    department: str


def test_follow_and_remap() -> None:
    assert follow({"A": "B", "B": "C"}, "A") == "C"
    assert follow({"A": "B", "B": "A"}, "A") == "B"  # a loop ends
    assert follow({}, "X") == "X"
    assert remap(["A", "B", "C"], "A", "C") == ["C", "B"]


def test_merge_of_two_leads_folds_their_parts() -> None:
    # leads A and B, Q3 and Q4 each; A merges into B: one lead left, one part per period
    items = [It(1, "Q3", "A"), It(2, "Q3", "B"), It(3, "Q4", "A"), It(4, "Q4", "B")]
    plan = merge_parts(items, touched={1}, old="A", new="B", leads_after=["B"])
    # Q3: A's part has a history, so it is the one kept; Q4: B's own part is kept
    assert plan.departments == {1: "", 4: ""}
    assert sorted(plan.drop) == [2, 3]
    assert plan.conflicts == []


def test_merge_refuses_to_fold_two_histories() -> None:
    items = [It(1, "Q3", "A"), It(2, "Q3", "B")]
    plan = merge_parts(items, touched={1, 2}, old="A", new="B", leads_after=["B"])
    assert plan.conflicts == ["Q3"]


def test_merge_among_three_leads_renames_the_part() -> None:
    items = [It(1, "", "A"), It(2, "", "C")]
    plan = merge_parts(items, touched=set(), old="A", new="B", leads_after=["B", "C"])
    assert plan.departments == {1: "B"} and plan.drop == []


def test_part_no_longer_led_goes_unless_touched() -> None:
    items = [It(1, "Q3", "A"), It(2, "Q3", "C"), It(3, "Q3", "D")]
    # after the merge B is the row's partner, not a lead: A's part has no lead any more
    assert merge_parts(items, set(), "A", "B", ["C", "D"]).drop == [1]
    kept = merge_parts(items, {1}, "A", "B", ["C", "D"])
    assert kept.drop == [] and kept.departments == {1: "B"}


def _unit() -> UnitDoc:
    return UnitDoc(
        "u",
        "U",
        departments=[
            DepartmentDoc("VP", "Văn phòng HĐND-UBND", ["Văn phòng UBND xã"]),
            DepartmentDoc("KT", "Phòng Kinh tế"),
            DepartmentDoc("TT", "Trung tâm HCC", ["Trung tâm HCC xã"]),
        ],
        groups=[GroupDoc("Các phòng chuyên môn xã", ["VP", "KT", "TT"])],
        partners=[PartnerDoc("các thôn")],
        coordinator="TT",
    )


def test_plan_file_over_a_mended_directory() -> None:
    doc = _unit()
    # in the database: VP renamed to VPUB with a new name, TT merged into VPUB, an alias on
    # KT, the group changed by hand, a partner added
    current = UnitDoc(
        "u",
        "U",
        departments=[
            DepartmentDoc(
                "VPUB",
                "Văn phòng HĐND và UBND xã",
                ["Văn phòng UBND xã", "Văn phòng HĐND-UBND", "VP", "TT", "Trung tâm HCC"],
            ),
            DepartmentDoc("KT", "Phòng Kinh tế", ["Phòng KT"]),
        ],
        groups=[
            GroupDoc("Các phòng chuyên môn xã", ["KT"]),
            GroupDoc("Các sở, ngành", []),
        ],
        partners=[PartnerDoc("các thôn"), PartnerDoc("các ĐVSN")],
    )
    out = mend_unit(
        doc,
        current,
        {"VP": "VPUB", "TT": "VPUB"},
        kept=["VPUB", "KT"],
        kept_groups=["Các phòng chuyên môn xã"],
    )
    depts = {d.code: d for d in out.departments}
    assert list(depts) == ["VPUB", "KT"]
    assert depts["VPUB"].name == "Văn phòng HĐND và UBND xã"
    assert depts["VPUB"].aliases == [
        "Văn phòng UBND xã",
        "Văn phòng HĐND-UBND",
        "VP",
        "TT",
        "Trung tâm HCC",
        "Trung tâm HCC xã",
    ]
    assert depts["KT"].aliases == ["Phòng KT"]
    assert [(g.name, g.members) for g in out.groups] == [
        ("Các phòng chuyên môn xã", ["KT"]),
        ("Các sở, ngành", []),
    ]
    assert [p.name for p in out.partners] == ["các thôn", "các ĐVSN"]
    assert out.coordinator == "VPUB"


def test_plan_file_wins_where_nothing_was_mended_by_hand() -> None:
    doc = _unit()
    current = UnitDoc("u", "U", departments=[DepartmentDoc("KT", "Phòng KT cũ", ["Phòng KT"])])
    out = mend_unit(doc, current, {})
    kt = next(d for d in out.departments if d.code == "KT")
    assert kt.name == "Phòng Kinh tế" and kt.aliases == ["Phòng KT"]
    group = out.groups[0]
    assert group.members == ["VP", "KT", "TT"]


def test_explicit_partner_beats_a_group_lead() -> None:
    plan = load_plan(KY_LAC)
    assert plan.unit is not None
    directory = Directory.from_unit(plan.unit)
    # Kỳ Lạc III.2.2: the group names VP, but the row names VP as its partner
    lead = directory.resolve("Các phòng chuyên môn xã")
    partners = directory.resolve("Văn phòng HĐND-UBND xã")
    assert lead.grouped == ["VP", "KT", "VHXH"]
    assert leads_and_partners(lead, partners) == (["KT", "VHXH"], ["VP"])
    # named as lead by itself, it stays the lead (and is not listed as partner too)
    both = directory.resolve("Phòng Kinh tế, Các phòng chuyên môn xã")
    assert both.grouped == ["VP", "VHXH"]
    assert leads_and_partners(both, directory.resolve("Phòng Kinh tế")) == (
        ["KT", "VP", "VHXH"],
        [],
    )
    # a partner named only through a group does not take a lead's place
    assert leads_and_partners(lead, directory.resolve("UBND xã")) == (
        ["VP", "KT", "VHXH"],
        ["TTHCC"],
    )
    # named partners and unknown names stay partners as written
    assert leads_and_partners(directory.resolve("Phòng VHXH"), directory.resolve("các thôn"))[
        1
    ] == ["các thôn"]
