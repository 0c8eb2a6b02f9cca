"""Re-importing an amended plan: an update, never a second plan, and nothing done is lost."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from support import KYLAC_PLAN, Cli

from planflow.engine.plandoc import PlanDoc, TaskDoc
from planflow.planfile import dump_plan, load_plan


def _write(doc: PlanDoc, path: Path) -> str:
    path.write_text(dump_plan(doc), encoding="utf-8")
    return str(path)


def _section(doc: PlanDoc, code: str):  # type: ignore[no-untyped-def]
    return next(s for s in doc.sections if s.code == code)


def _coordinator(cli: Cli) -> None:
    cli.ok(
        "person",
        "add",
        "Lê Thị Hạnh",
        "--email",
        "hanh@kylac.example.vn",
        "--user",
        "hanh",
        "--dept",
        "VHXH",
        "--role",
        "coordinator",
    )


def test_field_change_is_an_event_and_keeps_status(kylac: Cli, tmp_path: Path) -> None:
    _coordinator(kylac)
    kylac.ok(
        "done",
        "I.2.1",
        "--on",
        "24/07/2025",
        "--evidence",
        "Kế hoạch số 45/KH-UBND",
        user="hanh",
        env={"PLANFLOW_TODAY": "2025-07-24"},
    )
    doc = load_plan(KYLAC_PLAN)
    task = _section(doc, "I").objectives[0].tasks[0]
    assert task.code == "2.1"
    task.deadline = "Ngày 31/7/2025"
    report = kylac.ok("plan", "import", _write(doc, tmp_path / "amended.yaml"), "--json").json
    assert report["created"] is False and report["revision"] == 2
    assert report["changed"]["I.2.1"]["deadline_text"] == {
        "old": "Ngày 25/7/2025",
        "new": "Ngày 31/7/2025",
    }
    assert report["changed"]["I.2.1"]["due_on"] == {"old": "2025-07-25", "new": "2025-07-31"}
    shown = kylac.ok("task", "show", "I.2.1", "--json").json
    assert (shown["status"], shown["completed_on"]) == ("done", "2025-07-24")
    assert shown["evidence"] == "Kế hoạch số 45/KH-UBND"
    actions = [e["action"] for e in kylac.ok("history", "I.2.1", "--json").json["events"]]
    assert actions == ["created", "complete", "update"]


def test_renumbering_and_removal(kylac: Cli, tmp_path: Path) -> None:
    _coordinator(kylac)
    kylac.ok(
        "done",
        "VI.2.5",
        "--on",
        "20/08/2025",
        "--evidence",
        "Công văn số 12/UBND",
        user="hanh",
        env={"PLANFLOW_TODAY": "2025-08-20"},
    )
    doc = load_plan(KYLAC_PLAN)
    vi = _section(doc, "VI")
    # Drop VI 2.4 ("Điều chỉnh phương án …") and renumber 2.5–2.7 as 2.4–2.6.
    objective = next(o for o in vi.objectives if any(t.code == "2.4" for t in o.tasks))
    objective.tasks = [t for t in objective.tasks if t.code != "2.4"]
    for o in vi.objectives:
        for t in o.tasks:
            if t.code in ("2.5", "2.6", "2.7"):
                t.code = f"2.{int(t.code[2]) - 1}"
    report = kylac.ok("plan", "import", _write(doc, tmp_path / "renumbered.yaml"), "--json").json
    assert report["archived"] == ["VI.2.4"]
    assert report["added"] == []
    assert report["changed"]["VI.2.4"]["code"] == {"old": "VI.2.5", "new": "VI.2.4"}
    tasks = {t["code"]: t for t in kylac.ok("tasks", "--json").json}
    assert len(tasks) == 34
    assert tasks["VI.2.4"]["text"].startswith("Hướng dẫn, đôn đốc các cơ quan")
    assert (tasks["VI.2.4"]["status"], tasks["VI.2.4"]["completed_on"]) == ("done", "2025-08-20")
    archived = [t for t in kylac.ok("tasks", "--all", "--json").json if t["archived"]]
    assert [t["text"] for t in archived] == [
        "Điều chỉnh phương án sắp xếp lại, xử lý nhà, đất (nếu có)"
    ]


def test_added_task_and_dry_run_writes_nothing(kylac: Cli, tmp_path: Path) -> None:
    doc = load_plan(KYLAC_PLAN)
    ii = _section(doc, "II")
    ii.objectives[-1].tasks.append(
        dataclasses.replace(
            TaskDoc(code="2.4", text="Rà soát văn bản hết hiệu lực"),
            lead="Văn phòng HĐND-UBND",
            deadline="Quý IV/2025",
        )
    )
    path = _write(doc, tmp_path / "added.yaml")
    preview = kylac.ok("plan", "import", path, "--dry-run", "--json").json
    assert preview["added"] == ["II.2.4"] and preview["dry_run"] is True
    assert len(kylac.ok("tasks", "--json").json) == 35
    text = kylac.ok("plan", "import", path, "--dry-run").out
    assert "+ II.2.4" in text and "không ghi gì" in text
    kylac.ok("plan", "import", path)
    codes = [t["code"] for t in kylac.ok("tasks", "--json").json]
    assert "II.2.4" in codes and len(codes) == 36


def test_unknown_lead_stops_the_import_with_every_name(kylac: Cli, tmp_path: Path) -> None:
    doc = load_plan(KYLAC_PLAN)
    _section(doc, "I").objectives[0].tasks[0].lead = "Ban Chỉ huy Quân sự xã"
    _section(doc, "V").objectives[0].tasks[0].lead = "Công an xã"
    path = _write(doc, tmp_path / "unknown.yaml")
    result = kylac("plan", "import", path)
    assert result.code != 0
    assert "'Ban Chỉ huy Quân sự xã' (I.2.1" in result.err
    assert "'Công an xã' (V.2.1" in result.err
    assert "Traceback" not in result.err
    leads = {t["code"]: t["lead"] for t in kylac.ok("tasks", "--json").json}
    assert leads["I.2.1"] == ["VHXH"]  # unchanged
    created = kylac.ok("plan", "import", path, "--create-departments", "--json").json
    assert len(created["created_departments"]) == 2
    assert len(kylac.ok("tasks", "--json").json[0]["lead"]) == 1


def test_a_task_added_later_is_absent_from_reports_of_an_earlier_day(
    kylac: Cli, tmp_path: Path
) -> None:
    """II.2.4 is added by a re-import on 15/10/2025: the report of 30/09 counts the 35 tasks
    of the first import (which exist from the plan's start, 01/07), that of 16/10 counts 36."""
    doc = load_plan(KYLAC_PLAN)
    _section(doc, "II").objectives[-1].tasks.append(
        dataclasses.replace(
            TaskDoc(code="2.4", text="Rà soát văn bản hết hiệu lực"),
            lead="Văn phòng HĐND-UBND",
            deadline="Quý IV/2025",
        )
    )
    path = _write(doc, tmp_path / "added.yaml")
    kylac.ok("--as-of", "15/10/2025", "plan", "import", path)
    sept = kylac.ok("report", "--as-of", "30/09/2025", "--format", "json").json
    october = kylac.ok("report", "--as-of", "16/10/2025", "--format", "json").json
    assert (sept["total"], october["total"]) == (35, 36)
    listed = kylac.ok("--as-of", "30/09/2025", "tasks", "--json").json
    assert "II.2.4" not in [t["code"] for t in listed] and len(listed) == 35
