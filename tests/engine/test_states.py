"""Every allowed and every forbidden move of the state table, written out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planflow.engine import states
from planflow.engine.states import AlreadyDone, apply, markdown_table
from planflow.engine.types import Status
from planflow.errors import TransitionError

NS, IP, DN, CX = Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED
README = Path(__file__).resolve().parents[2] / "README.md"

# (action, from, to) for every allowed move, reason given where one is needed.
ALLOWED = [
    ("start", NS, IP),
    ("complete", NS, DN),
    ("complete", IP, DN),
    ("reopen", DN, IP),
    ("cancel", NS, CX),
    ("cancel", IP, CX),
    ("restore", CX, NS),
]
# complete-on-done is the one move that is neither allowed nor an error.
NOOP = [("complete", DN)]
FORBIDDEN = [
    ("start", IP),
    ("start", DN),
    ("start", CX),
    ("complete", CX),
    ("reopen", NS),
    ("reopen", IP),
    ("reopen", CX),
    ("cancel", DN),
    ("cancel", CX),
    ("restore", NS),
    ("restore", IP),
    ("restore", DN),
]


def test_cases_cover_every_action_and_status() -> None:
    seen = {(a, s) for a, s, _ in ALLOWED} | set(NOOP) | set(FORBIDDEN)
    assert seen == {(a.value, s) for a in states.Action for s in Status}


@pytest.mark.parametrize(("action", "current", "target"), ALLOWED)
def test_allowed(action: str, current: Status, target: Status) -> None:
    assert apply(action, current, reason="vì lý do") == target


@pytest.mark.parametrize(("action", "current"), FORBIDDEN)
def test_forbidden(action: str, current: Status) -> None:
    with pytest.raises(TransitionError) as info:
        apply(action, current, reason="vì lý do")
    assert states.label(current) in info.value.vi
    assert states.label(current, "en") in info.value.en


def test_complete_done_is_already_done_not_an_error() -> None:
    with pytest.raises(AlreadyDone):
        apply("complete", DN)
    assert not issubclass(AlreadyDone, TransitionError)


def test_done_message_points_to_reopen() -> None:
    with pytest.raises(TransitionError) as info:
        apply("start", DN)
    assert info.value.vi == (
        "Nhiệm vụ đang ở trạng thái 'hoàn thành'; chỉ có thể mở lại bằng "
        "`planflow reopen … --reason`"
    )
    assert "reopen" in info.value.en


@pytest.mark.parametrize(
    ("action", "current"), [("reopen", DN), ("cancel", NS), ("cancel", IP), ("restore", CX)]
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_required(action: str, current: Status, reason: str) -> None:
    with pytest.raises(TransitionError, match="lý do"):
        apply(action, current, reason=reason)


@pytest.mark.parametrize(("action", "current"), [("start", NS), ("complete", NS), ("complete", IP)])
def test_no_reason_needed(action: str, current: Status) -> None:
    apply(action, current)


def test_labels() -> None:
    assert [states.label(s) for s in Status] == [
        "chưa thực hiện",
        "đang thực hiện",
        "hoàn thành",
        "đã hủy",
    ]
    assert [states.label(s, "en") for s in Status] == [
        "not started",
        "in progress",
        "done",
        "cancelled",
    ]


def test_only_cancel_and_restore_are_chairman_only() -> None:
    assert {t.action for t in states.TRANSITIONS if t.chairman_only} == {"cancel", "restore"}


def test_markdown_table_rows() -> None:
    table = markdown_table("en").splitlines()
    assert table[0] == "| Command | From | To | Reason | Chairman only | Changes |"
    assert table[2] == (
        "| `planflow start CODE` | not started | in progress | no | no "
        "| one item (occurrence/part) |"
    )
    assert table[3].startswith("| `planflow done CODE` | not started, in progress | done | no |")
    assert table[5].startswith(
        "| `planflow cancel CODE --reason …` | not started, in progress | cancelled | yes | yes |"
    )
    assert len(table) == 2 + len(states.TRANSITIONS) + 1
    assert "đã hoàn thành trước đó" in markdown_table("vi")


def test_readme_table_is_generated() -> None:
    """The README shows the table between markers; it must be the generated one."""
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    found = re.search(r"<!-- states:begin -->\n(.*?)\n<!-- states:end -->", text, re.S)
    assert found, "README.md lacks the <!-- states:begin --> … <!-- states:end --> block"
    assert found.group(1).strip() in (markdown_table("vi"), markdown_table("en"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Đã hoàn thành", (Status.DONE, True)),
        ("Hoàn thành", (Status.DONE, True)),
        ("Đã hoàn thành quá hạn", (Status.DONE, False)),
        ("Đang thực hiện", (Status.IN_PROGRESS, None)),
        ("Đang triển khai.", (Status.IN_PROGRESS, None)),
        ("Chưa hoàn thành", (Status.NOT_STARTED, None)),
        ("Thực hiện mới", (Status.NOT_STARTED, None)),
        ("Chính thức", None),  # "Mức độ hoàn chỉnh" of a schedule, not a progress status
        ("", None),
    ],
)
def test_starting_status_of_a_status_column(cell: str, expected: object) -> None:
    from planflow.engine.states import starting_status
    from planflow.engine.text import fold

    assert starting_status(fold(cell)) == expected
