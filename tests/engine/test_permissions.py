"""The permission matrix, role × relation × action, written out in full by hand."""

from __future__ import annotations

import pytest

from planflow.engine.permissions import Perm, Relation, Who, allowed, check
from planflow.engine.types import Role
from planflow.errors import PermissionDenied

ALL = {p.value for p in Perm}
MANAGE = {"person_manage", "plan_import", "unit_add", "unit_edit", "snapshot_take", "outbox_retry"}
TASK_MOVES = {"start", "complete", "reopen", "note"}
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("head", "own"): {"start", "complete", "reopen", "note"},
    ("head", "partner"): {"note"},
    ("head", "other"): set(),
    ("coordinator", "own"): ALL - {"cancel", "restore"},
    ("coordinator", "partner"): ALL - {"cancel", "restore"},
    ("coordinator", "other"): ALL - {"cancel", "restore"},
    ("chairman", "own"): ALL,
    ("chairman", "partner"): ALL,
    ("chairman", "other"): ALL,
    ("staff", "own"): set(),
    ("staff", "partner"): set(),
    ("staff", "other"): set(),
    ("admin", "own"): MANAGE,
    ("admin", "partner"): MANAGE,
    ("admin", "other"): MANAGE,
}
CASES = [
    (role, rel, perm, perm in EXPECTED[(role, rel)])
    for role in (r.value for r in Role)
    for rel in (r.value for r in Relation)
    for perm in sorted(ALL)
]


def test_expected_covers_the_matrix() -> None:
    assert len(CASES) == 5 * 3 * 14


@pytest.mark.parametrize(("role", "relation", "perm", "ok"), CASES)
def test_matrix(role: str, relation: str, perm: str, ok: bool) -> None:
    assert allowed(role, relation, perm) is ok
    if ok:
        check(role, relation, perm)
    else:
        with pytest.raises(PermissionDenied):
            check(role, relation, perm)


@pytest.mark.parametrize("perm", sorted(ALL))
def test_unknown_actor_may_do_nothing(perm: str) -> None:
    assert not allowed(None, "own", perm)
    with pytest.raises(PermissionDenied, match="chưa được khai báo"):
        check(None, "own", perm, actor="mallory")


def test_refusal_names_who_may() -> None:
    who = Who(
        lead_heads=[("Phòng Kinh tế", "Nguyễn Văn A")],
        partner_heads=[("Phòng VHXH", "B")],
        coordinators=["Trần Thị C"],
        chairmen=["Lê Văn D"],
    )
    with pytest.raises(PermissionDenied) as info:
        check("head", "other", "complete", who=who, task="VI.2.1")
    assert info.value.vi == (
        "Chỉ trưởng Phòng Kinh tế (Nguyễn Văn A), điều phối viên (Trần Thị C) hoặc "
        "Chủ tịch (Lê Văn D) được ghi hoàn thành nhiệm vụ VI.2.1"
    )
    assert info.value.en.startswith(
        "Only the head of Phòng Kinh tế (Nguyễn Văn A), the "
        "coordinator (Trần Thị C) or the chairman (Lê Văn D) may"
    )


def test_note_refusal_includes_partner_heads() -> None:
    who = Who(lead_heads=[("Phòng KT", "A")], partner_heads=[("Phòng VHXH", "B")])
    with pytest.raises(PermissionDenied) as info:
        check("staff", "own", "note", who=who)
    assert "trưởng Phòng VHXH (B)" in info.value.vi


def test_cancel_refusal_names_only_the_chairman() -> None:
    with pytest.raises(PermissionDenied) as info:
        check("coordinator", "own", "cancel", who=Who(coordinators=["C"], chairmen=["D"]))
    assert info.value.vi == "Chỉ Chủ tịch (D) được hủy nhiệm vụ"


def test_person_manage_refusal_names_admins() -> None:
    with pytest.raises(PermissionDenied) as info:
        check("head", "own", "person_manage")
    assert info.value.vi == (
        "Chỉ điều phối viên, Chủ tịch hoặc quản trị viên được quản lý người dùng và phòng"
    )


def test_widest_role_answers_at_a_shared_address() -> None:
    from planflow.engine.permissions import breadth

    roles = ["head", "staff", "coordinator", "admin", "chairman"]
    assert sorted(roles, key=breadth) == ["coordinator", "chairman", "admin", "head", "staff"]
    assert breadth("nonsense") > breadth("staff")  # an unknown role never answers first
