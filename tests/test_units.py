"""Many units in one database, through the real CLI: `unit add|list`, choosing the unit
(--unit, PLANFLOW_UNIT, the config file, the only unit), and units kept apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from unitplans import write_plan

from tests.conftest import Cli

# Commands that act on no unit's data, and why.
NO_UNIT = {
    "init": "creates or upgrades the whole database",
    "config init": "writes the config file, which holds no unit's data",
    "demo": "makes its own database",
    "plan convert": "reads a file and writes a file, no database",
    "unit add": "creates a unit",
    "unit list": "lists every unit",
    "doctor": "checks the installation: the database, config and mail, not one unit",
    "serve": "serves every unit of the database: each page names its unit in the address",
}


def _commands() -> dict[str, object]:
    """Every leaf command of `planflow`, by its full name ("plan import")."""
    import typer.main

    from planflow.cli import app

    found: dict[str, object] = {}

    def walk(cmd: Any, prefix: str) -> None:
        if hasattr(cmd, "commands"):  # a group
            for name, sub in cmd.commands.items():
                walk(sub, f"{prefix} {name}".strip())
        else:
            found[prefix] = cmd

    walk(typer.main.get_command(app), "")
    return found


def test_every_command_takes_unit() -> None:
    commands = _commands()
    assert set(NO_UNIT) <= set(commands)
    missing = [
        name
        for name, cmd in commands.items()
        if name not in NO_UNIT and not any("--unit" in p.opts for p in cmd.params)  # type: ignore[attr-defined]
    ]
    assert missing == []
    assert "unit add" in commands and "unit list" in commands


def test_unit_add_and_list(cli: Cli) -> None:
    cli.ok("init")
    out = cli.ok("unit", "add", "ky-lac", "--name", "UBND xã Kỳ Lạc", "--province", "Hà Tĩnh",
                 "--coordinator", "vhxh").out  # fmt: skip
    assert "ky-lac" in out
    cli.ok("unit", "add", "thach-khe", "--name", "UBND xã Thạch Khê", "--province", "Hà Tĩnh")
    listed = cli.ok("unit", "list", "--json").json
    assert listed == [
        {"code": "ky-lac", "name": "UBND xã Kỳ Lạc", "province": "Hà Tĩnh",
         "coordinator": "VHXH", "plans": [], "tasks": 0},
        {"code": "thach-khe", "name": "UBND xã Thạch Khê", "province": "Hà Tĩnh",
         "coordinator": "", "plans": [], "tasks": 0},
    ]  # fmt: skip
    text = cli.ok("unit", "list").out
    assert "UBND xã Thạch Khê" in text and "0 nhiệm vụ" in text

    dup = cli("unit", "add", "ky-lac", "--name", "Khác")
    assert dup.code != 0 and "ky-lac" in dup.err and "đã có" in dup.err
    bad = cli("unit", "add", "ky lac!", "--name", "X")
    assert bad.code != 0 and "mã đơn vị" in bad.err and "Traceback" not in bad.err
    assert cli.ok("unit", "list", "--json").json == listed  # nothing changed


@pytest.fixture
def two_units(cli: Cli, tmp_path: Path) -> Cli:
    """a-xa with 3 tasks and b-xa with 2, each by importing its plan file."""
    cli.ok("init")
    cli.ok(
        "--as-of", "01/03/2025", "plan", "import", str(write_plan(tmp_path, "a-xa", "UBND xã A", 3))
    )
    cli.ok(
        "--as-of", "01/03/2025", "plan", "import", str(write_plan(tmp_path, "b-xa", "UBND xã B", 2))
    )
    return cli


UNIT_COMMANDS = [
    ("tasks",),
    ("report",),
    ("plan", "show"),
    ("task", "show", "I.2.1"),
    ("done", "I.2.1"),
    ("history", "I.2.1"),
    ("person", "list"),
    ("dept", "list"),
    ("outbox", "list"),
    ("outbox", "retry", "1"),
    ("snapshot", "list"),
    ("calendar", "-o", "x.ics"),
]  # `remind` and `scheduler run` without --unit sweep every unit (the national sweep)


@pytest.mark.parametrize("args", UNIT_COMMANDS, ids=lambda a: " ".join(a))
def test_several_units_need_a_choice(two_units: Cli, args: tuple[str, ...]) -> None:
    result = two_units(*args, user="a-xa-vp")
    assert result.code != 0
    assert "có nhiều đơn vị (a-xa, b-xa)" in result.err and "--unit" in result.err
    assert "Traceback" not in result.err


def test_unit_from_option_environment_and_config(two_units: Cli) -> None:
    cli = two_units

    def codes(*args: str, env: dict[str, str] | None = None) -> list[str]:
        rows = cli.ok("tasks", "--json", *args, env=env).json
        return [r["text"].rsplit(" của ", 1)[1] for r in rows]

    assert codes("--unit", "a-xa") == ["UBND xã A"] * 3
    assert codes(env={"PLANFLOW_UNIT": "b-xa"}) == ["UBND xã B"] * 2
    (cli.home / "config.toml").write_text('unit = "a-xa"\n', encoding="utf-8")
    assert codes() == ["UBND xã A"] * 3
    assert codes(env={"PLANFLOW_UNIT": "b-xa"}) == ["UBND xã B"] * 2  # env beats the file
    assert codes("--unit", "b-xa", env={"PLANFLOW_UNIT": "a-xa"}) == ["UBND xã B"] * 2
    missing = cli("tasks", "--unit", "z-xa")
    assert missing.code != 0 and "z-xa" in missing.err and "unit list" in missing.err


def test_a_user_of_one_unit_cannot_act_on_another(two_units: Cli) -> None:
    cli = two_units
    refused = cli("--as-of", "20/06/2025", "done", "I.2.1", "--unit", "b-xa", user="a-xa-vp")
    assert refused.code != 0 and "a-xa-vp" in refused.err and "Traceback" not in refused.err
    b_task = cli.ok("task", "show", "I.2.1", "--unit", "b-xa", "--json").json
    assert b_task["status"] == "not_started"
    # B's log keeps the refusal (who tried what) and no change of status.
    events = cli.ok("history", "I.2.1", "--unit", "b-xa", "--json").json["events"]
    assert [e["action"] for e in events] == ["created", "refused"]
    assert events[1]["data"]["user"] == "a-xa-vp" and events[1]["to"] is None
    # B's task by its numeric id is not found from unit A.
    other = cli("--as-of", "20/06/2025", "done", str(b_task["id"]), "--unit", "a-xa",
                user="a-xa-vp")  # fmt: skip
    assert other.code != 0 and "không có nhiệm vụ" in other.err
    assert cli.ok("task", "show", "I.2.1", "--unit", "b-xa", "--json").json["status"] == (
        "not_started"
    )
    # The same person acts on their own unit's task.
    cli.ok("--as-of", "20/06/2025", "done", "I.2.1", "--unit", "a-xa", user="a-xa-vp")
    assert cli.ok("task", "show", "I.2.1", "--unit", "a-xa", "--json").json["status"] == "done"


def test_outbox_retry_refuses_another_units_message(two_units: Cli) -> None:
    cli = two_units
    # 25/06/2025 is 3 working days before the tasks' due date: one digest to a-xa's VP head,
    # written as an .eml file (no SMTP server configured).
    cli.ok("--as-of", "25/06/2025", "remind", "--unit", "a-xa")
    rows = cli.ok("outbox", "list", "--unit", "a-xa", "--json").json
    assert [r["to"] for r in rows] == ["vp@a-xa.example.vn"]
    assert cli.ok("outbox", "list", "--unit", "b-xa", "--json").json == []
    other = cli("outbox", "retry", str(rows[0]["id"]), "--unit", "b-xa")
    assert other.code != 0 and "không thuộc đơn vị b-xa" in other.err


def test_plan_import_of_a_new_unit_creates_it(two_units: Cli, tmp_path: Path) -> None:
    cli = two_units
    plan = write_plan(tmp_path, "c-xa", "UBND xã C", 4)
    # The file names its unit: the PLANFLOW_UNIT default must not redirect it into a-xa.
    cli.ok("plan", "import", str(plan), env={"PLANFLOW_UNIT": "a-xa"})
    units = {u["code"]: (u["plans"], u["tasks"]) for u in cli.ok("unit", "list", "--json").json}
    assert units == {"a-xa": ([2025], 3), "b-xa": ([2025], 2), "c-xa": ([2025], 4)}


def test_deadline_uses_the_units_days_off(two_units: Cli, tmp_path: Path) -> None:
    cli = two_units
    # National calendar: Mon 30/06/2025 is a working day, so the due date stays.
    assert cli.ok("deadline", "Ngày 30/06/2025", "--json").json["effective_due"] == "2025-06-30"
    plan = write_plan(tmp_path, "d-xa", "UBND xã D", 1)
    text = plan.read_text(encoding="utf-8").replace(
        "  coordinator: VP\n", "  coordinator: VP\n  calendar:\n    days_off: [2025-06-30]\n"
    )
    plan.write_text(text, encoding="utf-8")
    cli.ok("plan", "import", str(plan))
    # d-xa is off on 30/06: the due date moves to the next working day, Tue 01/07/2025.
    got = cli.ok("deadline", "Ngày 30/06/2025", "--unit", "d-xa", "--json").json
    assert got["effective_due"] == "2025-07-01"
