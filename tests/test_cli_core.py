"""The foundation through the real entry point on a real database file."""

from __future__ import annotations

from support import KYLAC_PLAN, Cli

# Hand-copied from the appendix (tests/fixtures/ky-lac-2025-phu-luc.docx).
EXPECTED = {
    "I.2.1": ("Phòng VHXH", ["VHXH"], "Ngày 25/7/2025", "date", "2025-07-25"),
    "I.2.5": ("Phòng VHXH", ["VHXH"], "Quý III/2025", "quarter", "2025-09-30"),
    "II.2.2": ("Văn phòng HĐND-UBND", ["VP"], "Quý IV năm 2025", "quarter", "2025-12-31"),
    "III.2.1": ("Trung tâm HCC xã", ["TTHCC"], "Tháng 7/2025", "month", "2025-07-31"),
    "III.2.4": ("Trung tâm HHC xã", ["TTHCC"], "Thường xuyên", "recurring", "2025-12-31"),
    "III.2.11": ("Văn phòng UBND xã", ["VP"], "06 tháng cuối năm 2025", "half_year", "2025-12-31"),
    "IV.2.1": ("Phòng VHXH", ["VHXH"], "Theo lộ trình đề án được phê duyệt", "unscheduled", None),
    "VI.2.1": ("Phòng kinh tế", ["KT"], "Năm 2025", "year", "2025-12-31"),
    "VII.2.2.1": ("Phòng VHXH", ["VHXH"], "Quý I-IV năm 2025", "recurring", "2025-12-31"),
}


def test_init_creates_then_reports_up_to_date(cli: Cli) -> None:
    first = cli.ok("init")
    assert "Đã tạo" in first.out
    again = cli.ok("init")
    assert "phiên bản mới nhất" in again.out


def test_commands_before_init_say_what_to_do(cli: Cli) -> None:
    result = cli("tasks")
    assert result.code != 0
    assert "planflow init" in result.err
    assert "Traceback" not in result.err


def test_import_lists_every_task_as_written(kylac: Cli) -> None:
    tasks = kylac.ok("tasks", "--json").json
    assert len(tasks) == 35
    by_code = {t["code"]: t for t in tasks}
    for code, (lead_text, lead, deadline, kind, due) in EXPECTED.items():
        task = by_code[code]
        assert task["lead_text"] == lead_text
        assert task["lead"] == lead
        assert task["deadline"] == deadline
        assert task["deadline_kind"] == kind
        assert task["due"] == due
        assert task["status"] == "not_started"
    # A group lead makes each member a lead, except the row's named partner (VP); partners
    # keep named outsiders by name.
    assert by_code["III.2.5"]["lead"] == ["KT", "VHXH", "TTHCC"]
    assert by_code["III.2.5"]["partners"] == ["VP"]
    assert by_code["I.2.4"]["lead"] == ["VP", "KT", "VHXH", "TTHCC"]
    assert by_code["VI.2.1"]["partners"] == ["VP", "VHXH", "các thôn", "các ĐVSN"]
    assert by_code["VI.2.4"]["lead"] == [] and by_code["VI.2.4"]["no_lead"] is True
    assert by_code["III.2.6"]["partners_text"] == by_code["III.2.7"]["partners_text"]
    sections = [t["section"] for t in tasks]
    assert [sections.count(s) for s in ("I", "II", "III", "IV", "V", "VI", "VII")] == [
        7,
        3,
        11,
        1,
        2,
        7,
        4,
    ]


def test_task_show_json_has_items_and_activities(kylac: Cli) -> None:
    task = kylac.ok("task", "show", "vii.2.2.1", "--json").json
    assert task["code"] == "VII.2.2.1"
    # Kỳ Lạc's plan starts 01/07/2025: only Q3 and Q4 occurrences are owed.
    assert [(i["period"], i["due"]) for i in task["items"]] == [
        ("Q3", "2025-09-30"),
        ("Q4", "2025-12-31"),
    ]
    by_id = kylac.ok("task", "show", str(task["id"]), "--json").json
    assert by_id["code"] == "VII.2.2.1"
    i22 = kylac.ok("task", "show", "I.2.2", "--json").json
    assert [a["code"] for a in i22["activities"]] == ["3.3", "3.4"]
    assert i22["activities"][1]["deadline"] == "Thường xuyên"


def test_overdue_and_due_within_follow_as_of(kylac: Cli) -> None:
    # On 28/07/2025 only I.2.1 (25/07) is past due; I.2.2 and III.2.1 fall due on 31/07.
    late = kylac.ok("--as-of", "28/07/2025", "tasks", "--overdue", "--json").json
    assert [t["code"] for t in late] == ["I.2.1"]
    # Working days, as in the reminders: due Fri 25/07, so Mon 28/07 is the first one past it.
    assert late[0]["days_overdue"] == 1
    soon = kylac.ok("--as-of", "28/07/2025", "tasks", "--due-within", "3", "--json").json
    assert [t["code"] for t in soon] == ["I.2.2", "III.2.1"]
    kt = kylac.ok("tasks", "--dept", "KT", "--json").json
    assert "VI.2.1" in [t["code"] for t in kt]


def test_planflow_today_takes_the_formats_of_as_of(kylac: Cli) -> None:
    """PLANFLOW_TODAY=30/09/2025 crashed every command with a traceback (issues 12, 13)."""
    for day in ("28/07/2025", "2025-07-28", "28-7-2025"):
        late = kylac.ok("tasks", "--overdue", "--json", env={"PLANFLOW_TODAY": day}).json
        assert [t["code"] for t in late] == ["I.2.1"], day
    bad = kylac("tasks", env={"PLANFLOW_TODAY": "garbage"})
    assert bad.code == 2 and "Traceback" not in bad.err
    assert "PLANFLOW_TODAY" in bad.err and "dd/mm/yyyy" in bad.err


def test_plan_show_counts_sections(kylac: Cli) -> None:
    data = kylac.ok("plan", "show", "--json").json
    counts = {s["code"]: s["tasks"] for s in data["sections"]}
    assert counts == {
        "I": 7,
        "II": 3,
        "III": 11,
        "IV": 1,
        "V": 2,
        "VI": 7,
        "VII": 4,
        "VII.1": 2,
        "VII.2": 2,
    }
    assert data["tasks"] == 35
    text = kylac.ok("plan", "show").out
    assert "UBND xã Kỳ Lạc" in text


def test_reimport_of_the_same_file_changes_nothing(kylac: Cli) -> None:
    result = kylac.ok("plan", "import", str(KYLAC_PLAN), "--json").json
    assert result["created"] is False
    assert (result["added"], result["changed"], result["archived"]) == ([], {}, [])
    assert result["revision"] == 1


def test_deadline_command(cli: Cli) -> None:
    data = cli.ok("deadline", "Quý III/2025", "--json").json
    assert data == {
        "text": "Quý III/2025",
        "kind": "quarter",
        "start": "2025-07-01",
        "due": "2025-09-30",
        "effective_due": "2025-09-30",
        "flagged": False,
    }
    # 31/08/2025 is a Sunday and 01–02/09 are National Day: due moves to Wednesday 03/09.
    data = cli.ok("deadline", "31/08/2025", "--json").json
    assert data["effective_due"] == "2025-09-03"
    recurring = cli.ok("deadline", "thuong xuyen", "--year", "2026", "--json").json
    assert [o["due"] for o in recurring["occurrences"]] == [
        "2026-03-31",
        "2026-06-30",
        "2026-09-30",
        "2026-12-31",
    ]
    odd = cli.ok("deadline", "càng sớm càng tốt", "--json").json
    assert odd["kind"] == "unparsed" and odd["flagged"] is True


def test_user_mistakes_are_one_line_errors(kylac: Cli) -> None:
    for args, fragment in (
        (("task", "show", "IX.9.9"), "không có nhiệm vụ 'IX.9.9'"),
        (("--as-of", "31/02/2025", "tasks"), "--as-of"),
        (("tasks", "--status", "finished"), "--status"),
        (("plan", "import", "nope.yaml"), "nope.yaml"),
    ):
        result = kylac(*args)
        assert result.code != 0, args
        assert fragment in result.err, (args, result.err)
        assert "Traceback" not in result.err
    english = kylac("--lang", "en", "task", "show", "IX.9.9")
    assert "no task 'IX.9.9'" in english.err


def test_python_dash_m_and_help(cli: Cli) -> None:
    result = cli.ok("--help")
    for command in ("init", "plan", "tasks", "task", "deadline"):
        assert command in result.out
