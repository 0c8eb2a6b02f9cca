"""Nobody acts as someone else: the OS login is the actor, PLANFLOW_USER is only honoured for
the database's administrator (the login that ran `planflow init`), managing needs a manager,
and every refusal is on the record with the OS login that tried.

The tests run as one OS login, the one that ran `init`, so it is the administrator. To be
someone who is not, a test records another administrator in the `setting` table, as if a
colleague had created the database and this login were a head's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from planflow import db as dbmod
from planflow.login import os_login
from tests.conftest import KYLAC_PLAN, Cli

TODAY = {"PLANFLOW_TODAY": "2025-10-10"}


def _sql(cli: Cli, query: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows as plain values; a JSON column is its text on both backends (PostgreSQL's driver
    hands back a dict where SQLite gives the stored string)."""
    with dbmod.get_engine(cli.url).begin() as conn:
        result = conn.execute(text(query), params)
        if not result.returns_rows:
            return []
        return [
            tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in row) for row in result
        ]


def _not_admin(cli: Cli) -> None:
    """This OS login is no longer the database's administrator."""
    _sql(cli, "UPDATE setting SET value = 'quantri' WHERE key = 'admin'")


def _refusals(cli: Cli) -> list[tuple[Any, ...]]:
    return _sql(cli, "SELECT actor, os_user, data FROM event WHERE action = 'refused' ORDER BY id")


def _events(cli: Cli) -> int:
    return _sql(cli, "SELECT count(*) FROM event")[0][0]


def test_init_records_its_login_as_administrator(cli: Cli) -> None:
    cli.ok("init")
    cli.ok("init")  # a second run changes nothing
    assert _sql(cli, "SELECT key, value FROM setting") == [("admin", os_login())]


def test_every_event_records_the_os_login(kylac: Cli) -> None:
    kylac.ok("done", "I.2.3", "--evidence", "Công văn 5/UBND", user="vhxh", env=TODAY)
    rows = _sql(kylac, "SELECT actor, os_user FROM event WHERE action = 'complete'")
    # acting as the VHXH head, through the administrator's PLANFLOW_USER: both are kept
    assert rows == [("Trưởng phòng Văn hóa – Xã hội (placeholder)", os_login())]
    assert {r[0] for r in _sql(kylac, "SELECT DISTINCT os_user FROM event")} == {os_login()}


def test_planflow_user_from_a_non_administrator_is_refused_and_recorded(kylac: Cli) -> None:
    _not_admin(kylac)
    before = _sql(kylac, "SELECT status FROM task WHERE code = 'I.2.3'")
    result = kylac("done", "I.2.3", "--evidence", "Công văn 5/UBND", user="vhxh", env=TODAY)
    assert result.code == 1 and "Traceback" not in result.err
    line = result.err.strip()
    assert len(line.splitlines()) == 1
    assert "PLANFLOW_USER=vhxh" in line and "quantri" in line and os_login() in line
    assert _sql(kylac, "SELECT status FROM task WHERE code = 'I.2.3'") == before
    [(actor, who, data)] = _refusals(kylac)
    assert (actor, who) == ("vhxh", os_login())  # the claim, and the login that made it
    assert '"claimed": "vhxh"' in data and '"attempted": "act_as"' in data
    english = kylac("--lang", "en", "note", "I.2.3", "x", user="kt", env=TODAY)
    assert english.code == 1
    assert "only the database's administrator (quantri) may act as someone else" in english.err


def test_without_planflow_user_the_os_login_acts_for_itself(kylac: Cli) -> None:
    """Someone whose own login is a head's acts as that head, administrator or not."""
    _not_admin(kylac)
    _sql(kylac, "UPDATE person SET os_user = :me WHERE os_user = 'vhxh'", me=os_login())
    kylac.ok("done", "I.2.3", "--evidence", "Công văn 5/UBND", env=TODAY)
    assert _sql(kylac, "SELECT status FROM task WHERE code = 'I.2.3'") == [("done",)]
    # naming oneself through PLANFLOW_USER is not a claim to be someone else
    kylac.ok("note", "I.2.3", "Đã lưu hồ sơ", user=os_login(), env=TODAY)
    # and the head may not manage: import, add a unit, take a snapshot, add people
    for args in (
        ("plan", "import", str(KYLAC_PLAN)),
        ("unit", "add", "MOI", "--name", "UBND xã Mới"),
        ("snapshot", "take"),
        ("person", "add", "Kẻ Lạ", "--user", "kela", "--role", "chairman"),
        ("dept", "add", "TP", "Phòng Tư pháp"),
    ):
        refused = kylac(*args, env=TODAY)
        assert refused.code == 1, args
        assert "không có quyền" in refused.err and "quản trị viên (quantri)" in refused.err
    attempted = [data for _a, _w, data in _refusals(kylac)]
    for action in ("plan_import", "unit_add", "snapshot_take", "person_add", "dept_add"):
        assert sum(f'"attempted": "{action}"' in d for d in attempted) == 1, action
    assert _sql(kylac, "SELECT code FROM unit") == [("ky-lac",)]
    assert _sql(kylac, "SELECT count(*) FROM snapshot") == [(0,)]


def test_an_unregistered_login_may_not_manage(kylac: Cli) -> None:
    _not_admin(kylac)
    for args in (("unit", "add", "MOI", "--name", "UBND xã Mới"), ("snapshot", "take")):
        refused = kylac(*args, env=TODAY)
        assert refused.code == 1 and "chưa được khai báo" in refused.err, args
    _sql(kylac, "INSERT INTO outbox (unit_id, recipient, recipient_name, day, kind, subject,"
         " body_text, body_html, status, attempts, last_error, message_id, claimed_by,"
         " created_at) SELECT id, 'kt@kylac.vn', '', '2025-10-10', 'digest', 's', 't', 'h',"
         " 'failed', 5, 'x', '', '', '2025-10-10 01:00:00' FROM unit")  # fmt: skip
    [(row,)] = _sql(kylac, "SELECT id FROM outbox")
    refused = kylac("outbox", "retry", str(row), env=TODAY)
    assert refused.code == 1 and "chưa được khai báo" in refused.err
    assert _sql(kylac, "SELECT status, attempts FROM outbox") == [("failed", 5)]
    unit_add = [r for r in _refusals(kylac) if '"unit_add"' in r[2]]
    assert len(unit_add) == 1
    assert _sql(kylac, "SELECT unit_id FROM event WHERE CAST(data AS TEXT) LIKE '%unit_add%'") == [
        (None,)
    ]


def test_until_a_coordinator_exists_only_the_administrator_adds_people(kylac: Cli) -> None:
    refused = kylac("person", "add", "Lê Văn Chủ", "--user", "ct", "--role", "chairman", user="kt")
    assert refused.code == 1 and "quản trị viên" in refused.err
    kylac.ok("person", "add", "Lê Văn Chủ", "--user", "ct", "--role", "chairman")
    # the chairman manages from now on; a head still may not
    kylac.ok("person", "add", "Trần Thị Điều", "--user", "dp", "--dept", "VHXH",
             "--role", "coordinator", user="ct")  # fmt: skip
    assert kylac("person", "add", "X", "--user", "x", user="kt").code == 1
    people = {p["user"]: p["role"] for p in kylac.ok("person", "list", "--json").json}
    assert people["ct"] == "chairman" and people["dp"] == "coordinator" and "x" not in people


def test_a_head_named_by_the_plan_file_is_on_the_record(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    cli.ok("plan", "import", str(KYLAC_PLAN))
    rows = _sql(cli, "SELECT os_user, data FROM event WHERE action = 'update' ORDER BY id")
    heads = [data for _who, data in rows if '"from": "plan"' in data]
    # the plan file names four heads (VP, KT, VHXH, TTHCC): one event each
    assert len(heads) == 4
    assert all('"role": "head"' in d for d in heads)
    assert {who for who, _d in rows} == {os_login()}


def test_a_manager_imports_and_a_coordinator_retries(kylac: Cli) -> None:
    """Managers other than the administrator: a coordinator re-imports the plan."""
    kylac.ok("person", "add", "Trần Thị Điều", "--user", "dp", "--dept", "VHXH",
             "--role", "coordinator")  # fmt: skip
    _sql(kylac, "UPDATE person SET os_user = :me WHERE os_user = 'dp'", me=os_login())
    _not_admin(kylac)
    events = _events(kylac)
    kylac.ok("plan", "import", str(KYLAC_PLAN))
    kylac.ok("snapshot", "take", env=TODAY)
    assert _sql(kylac, "SELECT count(*) FROM snapshot") == [(1,)]
    assert _events(kylac) >= events
    assert _refusals(kylac) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_refusal_lines_name_the_fix(kylac: Cli, lang: str) -> None:
    _not_admin(kylac)
    result = kylac("--lang", lang, "start", "I.2.3", user="vhxh", env=TODAY)
    fix = "bỏ PLANFLOW_USER" if lang == "vi" else "unset PLANFLOW_USER"
    assert result.code == 1 and fix in result.err
