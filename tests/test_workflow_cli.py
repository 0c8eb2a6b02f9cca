"""The workflow through the real `planflow` command on the Kỳ Lạc 2025 plan.

Users (seeded by the plan file): vp, kt, vhxh, tthcc are the heads of VP, KT, VHXH, TTHCC.
The tests add a chairman (ct) and a coordinator (dp). Today is 10/10/2025 throughout.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cli

TODAY = {"PLANFLOW_TODAY": "2025-10-10"}


def run(cli: Cli, user: str, *args: str) -> Any:
    return cli(*args, user=user, env=TODAY)


def ok(cli: Cli, user: str, *args: str) -> Any:
    return cli.ok(*args, user=user, env=TODAY)


@pytest.fixture
def office(kylac: Cli) -> Cli:
    """Kỳ Lạc with a chairman and a coordinator added."""
    # Until a manager exists only the database's administrator (who ran `planflow init`, the
    # OS login running the tests; "" = no PLANFLOW_USER) adds people.
    ok(
        kylac,
        "",
        "person",
        "add",
        "Lê Văn Chủ",
        "--user",
        "ct",
        "--email",
        "ct@kylac.vn",
        "--dept",
        "VP",
        "--role",
        "chairman",
    )
    ok(
        kylac,
        "ct",
        "person",
        "add",
        "Trần Thị Điều",
        "--user",
        "dp",
        "--email",
        "dp@kylac.vn",
        "--dept",
        "VHXH",
        "--role",
        "coordinator",
    )
    return kylac


def events(cli: Cli, code: str) -> list[dict[str, Any]]:
    data = ok(cli, "kt", "history", code, "--json").json
    assert data["task"] == code
    return list(data["events"])


def test_people_and_departments(office: Cli) -> None:
    people = ok(office, "kt", "person", "list", "--json").json
    assert [(p["user"], p["role"], p["department"]) for p in people] == [
        ("vp", "head", "VP"),
        ("kt", "head", "KT"),
        ("vhxh", "head", "VHXH"),
        ("tthcc", "head", "TTHCC"),
        ("ct", "chairman", "VP"),
        ("dp", "coordinator", "VHXH"),
    ]
    # once a chairman exists, a head may no longer manage people
    refused = run(office, "kt", "person", "add", "Kẻ Lạ", "--user", "x", "--role", "chairman")
    assert refused.code == 1
    assert "Chỉ điều phối viên (Trần Thị Điều), Chủ tịch (Lê Văn Chủ)" in refused.err
    ok(office, "dp", "person", "add", "Nguyễn Văn Mới", "--user", "nvm", "--dept", "KT")
    ok(office, "ct", "dept", "set-head", "KT", "nvm")
    depts = {d["code"]: d for d in ok(office, "kt", "dept", "list", "--json").json}
    assert depts["KT"]["head"] == "Nguyễn Văn Mới" and depts["KT"]["head_user"] == "nvm"
    # the old head of KT is staff now and may not mark KT's tasks done
    assert run(office, "kt", "done", "VI.2.3", "--evidence", "x").code == 1
    ok(office, "nvm", "done", "VI.2.3", "--evidence", "Công văn 7/UBND")


def test_head_completes_own_task_and_is_refused_elsewhere(office: Cli) -> None:
    out = ok(
        office,
        "kt",
        "done",
        "VI.2.1",
        "--evidence",
        "Công văn số 12/UBND ngày 01/09/2025",
        "--on",
        "01/09/2025",
    ).out
    assert "Đã ghi hoàn thành VI.2.1 ngày 01/09/2025 — đúng hạn (hạn 31/12/2025)." in out
    again = ok(office, "kt", "done", "VI.2.1")
    assert "đã hoàn thành trước đó" in again.out
    assert "already done" in ok(office, "kt", "--lang", "en", "done", "VI.2.1").out

    refused = run(office, "kt", "done", "I.2.1", "--evidence", "x")
    assert refused.code == 1
    assert refused.err.startswith("planflow: Trưởng phòng Kinh tế (placeholder) không có quyền.")
    assert (
        "Chỉ trưởng Phòng Văn hóa – Xã hội (Trưởng phòng Văn hóa – Xã hội (placeholder)), "
        "điều phối viên (Trần Thị Điều) hoặc Chủ tịch (Lê Văn Chủ)"
    ) in refused.err
    assert "Traceback" not in refused.err
    log = events(office, "I.2.1")
    assert [e["action"] for e in log] == ["created", "refused"]
    assert log[1]["actor"] == "Trưởng phòng Kinh tế (placeholder)"
    assert log[1]["data"]["attempted"] == "complete"
    # The stored refusal reads in the language of whoever reads the history.
    assert "không có quyền" in ok(office, "kt", "history", "I.2.1").out
    english = ok(office, "kt", "--lang", "en", "history", "I.2.1").out
    assert "may not do this" in english
    assert "không có quyền" not in english
    assert ok(office, "kt", "task", "show", "I.2.1", "--json").json["status"] == "not_started"


def test_evidence_is_required(office: Cli) -> None:
    refused = run(office, "tthcc", "done", "III.2.1")
    assert refused.code == 2
    assert (
        "Cần văn bản chứng minh (kết quả: 'Trung tâm Phục vụ hành chính công xã phục vụ "
        "người dân, doanh nghiệp thông suốt, hiệu quả'): thêm --evidence"
    ) in refused.err
    assert [e["action"] for e in events(office, "III.2.1")] == ["created"]


def test_notes_partner_yes_outsider_no(office: Cli) -> None:
    ok(office, "kt", "note", "I.2.1", "Phòng KT đã gửi góp ý ngày 20/07")  # KT is a partner
    refused = run(office, "tthcc", "note", "VI.2.1", "xin góp ý")  # TTHCC is neither
    assert refused.code == 1 and "trưởng phòng phối hợp" not in refused.err
    assert "Chỉ trưởng Phòng Kinh tế" in refused.err
    log = events(office, "I.2.1")
    assert log[-1]["action"] == "note" and log[-1]["note"] == "Phòng KT đã gửi góp ý ngày 20/07"
    assert events(office, "VI.2.1")[-1]["action"] == "refused"


def test_cancel_reason_is_in_every_report_format(office: Cli) -> None:
    """The report JSON listed a cancelled task with an empty reason (issue 13)."""
    ok(office, "ct", "cancel", "VI.2.2", "--reason", "tỉnh giao lại cho huyện")
    ok(office, "ct", "cancel", "IV.2.1", "--reason", "lần đầu")
    ok(office, "ct", "restore", "IV.2.1", "--reason", "tỉnh giao lại")
    report = ok(office, "ct", "report", "--format", "json").json
    assert [(c["code"], c["reason"]) for c in report["cancelled"]] == [
        ("VI.2.2", "tỉnh giao lại cho huyện")
    ]
    for fmt in ("text", "md"):
        text = ok(office, "ct", "report", "--format", fmt).out
        assert "VI.2.2 tỉnh giao lại cho huyện" in text, fmt
    # Replayed on a past day the reason is the one given by then.
    past = office.ok(
        "report", "--as-of", "10/10/2025", "--format", "json", user="ct", env=TODAY
    ).json
    assert [(c["code"], c["reason"]) for c in past["cancelled"]] == [
        ("VI.2.2", "tỉnh giao lại cho huyện")
    ]


def test_cancel_restore_reopen(office: Cli) -> None:
    refused = run(office, "dp", "cancel", "VI.2.2", "--reason", "tỉnh thu hồi")
    assert refused.code == 1 and "Chỉ Chủ tịch (Lê Văn Chủ) được hủy nhiệm vụ" in refused.err
    out = ok(office, "ct", "cancel", "VI.2.2", "--reason", "tỉnh thu hồi").out
    assert "VI.2.2: chưa thực hiện → đã hủy." in out
    blocked = run(office, "kt", "done", "VI.2.2", "--evidence", "x")
    assert blocked.code == 1 and "đã hủy" in blocked.err
    assert run(office, "ct", "cancel", "VI.2.2", "--reason", "lần nữa").code == 1
    ok(office, "ct", "restore", "VI.2.2", "--reason", "tỉnh giao lại")

    ok(office, "kt", "done", "VI.2.1", "--evidence", "Công văn 12", "--on", "01/09/2025")
    assert run(office, "dp", "reopen", "VI.2.1").code == 2  # --reason is required
    out = ok(office, "dp", "reopen", "VI.2.1", "--reason", "Công văn bị trả lại").out
    assert "VI.2.1: hoàn thành → đang thực hiện." in out
    start_done = run(office, "kt", "start", "VI.2.1")
    assert start_done.code == 1 and "đã ở trạng thái 'đang thực hiện'" in start_done.err

    log = events(office, "VI.2.1")
    assert [(e["action"], e["from"], e["to"]) for e in log] == [
        ("created", None, "not_started"),
        ("complete", "not_started", "done"),
        ("reopen", "done", "in_progress"),
    ]
    assert log[1]["evidence"] == "Công văn 12" and log[1]["on"] == "2025-09-01"
    assert log[1]["actor"] == "Trưởng phòng Kinh tế (placeholder)"
    assert log[2]["note"] == "Công văn bị trả lại" and log[2]["actor"] == "Trần Thị Điều"
    assert [e["action"] for e in events(office, "VI.2.2")] == [
        "created",
        "refused",
        "cancel",
        "restore",
    ]


def test_recurring_task_by_period(office: Cli) -> None:
    # II.2.1 (VP, "Thường xuyên"): Q3 and Q4; on 10/10 both have begun, so planflow asks
    ambiguous = run(office, "vp", "done", "II.2.1", "--evidence", "x")
    assert ambiguous.code == 2 and "--period" in ambiguous.err and "Q3" in ambiguous.err
    out = ok(
        office,
        "vp",
        "done",
        "II.2.1",
        "--period",
        "Quý III",
        "--on",
        "28/09/2025",
        "--evidence",
        "Danh mục quý III",
    ).out
    assert "II.2.1 [Q3] ngày 28/09/2025 — đúng hạn (hạn 30/09/2025)" in out
    assert "Nhiệm vụ II.2.1: đang thực hiện (1/2 kỳ)." in out
    out = ok(office, "vp", "done", "II.2.1", "--evidence", "Danh mục quý IV").out  # Q4 is left
    assert "II.2.1 [Q4]" in out and "Nhiệm vụ II.2.1: hoàn thành (2/2 kỳ)." in out
    assert run(office, "vp", "done", "II.2.1", "--period", "Q1", "--evidence", "x").code == 2


def test_shared_task_parts(office: Cli) -> None:
    # III.2.5 is led by KT, VHXH and TTHCC ("UBND xã", less its named partner VP), quarterly
    ok(office, "tthcc", "done", "III.2.5", "--period", "Q3", "--evidence", "Báo cáo TTHCC")
    out = ok(office, "kt", "done", "III.2.5", "--period", "Q3", "--evidence", "Báo cáo KT").out
    assert "III.2.5 [Q3, KT]" in out and "(Q3: 2/3 phòng; 0/2 kỳ)" in out
    # the coordinator must say which part when several are open …
    several = run(office, "dp", "done", "III.2.5", "--period", "Q4", "--evidence", "x")
    assert several.code == 2 and "--dept" in several.err
    # … and need not when one is left
    out = ok(office, "dp", "done", "III.2.5", "--period", "Q3", "--evidence", "Báo cáo VHXH").out
    assert "III.2.5 [Q3, VHXH]" in out and "(Q3: 3/3 phòng; 1/2 kỳ)" in out
    out = ok(
        office,
        "ct",
        "done",
        "III.2.5",
        "--period",
        "Q4",
        "--dept",
        "KT",
        "--evidence",
        "Báo cáo KT Q4",
    ).out
    assert "III.2.5 [Q4, KT]" in out
    # a head may not record another department's part
    refused = run(
        office, "kt", "done", "III.2.5", "--period", "Q4", "--dept", "TTHCC", "--evidence", "x"
    )
    assert refused.code == 1 and "Chỉ trưởng Trung tâm Phục vụ hành chính công" in refused.err
    # the partner's head has no part to record
    partner = run(office, "vp", "done", "III.2.5", "--period", "Q4", "--evidence", "x")
    assert partner.code == 1
    task = ok(office, "kt", "task", "show", "III.2.5", "--json").json
    assert task["status"] == "in_progress"


def test_late_and_on_time_and_bad_dates(office: Cli) -> None:
    late = ok(office, "vhxh", "done", "I.2.1", "--evidence", "KH số 5", "--on", "30/07/2025").out
    assert "— trễ hạn (hạn 25/07/2025)." in late
    on_time = ok(office, "vhxh", "done", "I.2.2", "--evidence", "KH số 6", "--on", "2025-07-31")
    assert "— đúng hạn (hạn 31/07/2025)." in on_time.out
    future = run(office, "vhxh", "done", "I.2.3", "--evidence", "x", "--on", "11/10/2025")
    assert future.code == 2 and "tương lai" in future.err
    before = run(office, "vhxh", "done", "I.2.3", "--evidence", "x", "--on", "31/12/2024")
    assert before.code == 2 and "trước năm kế hoạch 2025" in before.err
    garbage = run(office, "vhxh", "done", "I.2.3", "--evidence", "x", "--on", "hôm qua")
    assert garbage.code == 2 and "Traceback" not in garbage.err
    log = events(office, "I.2.1")
    assert log[-1]["on"] == "2025-07-30" and log[-1]["at"] == "2025-10-10"
    assert log[-1]["data"]["on_time"] is False


def test_ad_hoc_tasks(office: Cli) -> None:
    args = (
        "task",
        "add",
        "--text",
        "Rà soát TTHC lĩnh vực đất đai",
        "--source-document",
        "Công văn 123/UBND-KSTT ngày 01/10/2025",
        "--lead",
        "Phòng Kinh tế",
        "--partners",
        "Văn phòng UBND xã",
        "--deadline",
        "30/11/2025",
        "--json",
    )
    refused = run(office, "kt", *args)
    assert refused.code == 1 and "thêm nhiệm vụ phát sinh" in refused.err
    first = ok(office, "dp", *args).json
    assert first["task"] == "PA.1" and first["due_on"] == "2025-12-01"  # 30/11 is a Sunday
    assert ok(office, "ct", *args).json["task"] == "PA.2"
    shown = ok(office, "kt", "task", "show", "PA.1", "--json").json
    assert (shown["source"], shown["lead"], shown["partners"]) == ("ad_hoc", ["KT"], ["VP"])
    assert shown["source_document"] == "Công văn 123/UBND-KSTT ngày 01/10/2025"
    ok(office, "kt", "done", "PA.1", "--evidence", "Báo cáo rà soát số 9")
    assert [e["action"] for e in events(office, "PA.1")] == ["created", "complete"]
    bad = run(
        office,
        "dp",
        "task",
        "add",
        "--text",
        "x",
        "--source-document",
        "y",
        "--lead",
        "Phòng Không Có",
        "--deadline",
        "30/11/2025",
    )
    assert bad.code == 2 and "Phòng Không Có" in bad.err


def test_unknown_user_is_refused_and_recorded(office: Cli) -> None:
    refused = run(office, "mallory", "done", "VI.2.5", "--evidence", "x")
    assert refused.code == 1 and "'mallory' chưa được khai báo" in refused.err
    log = events(office, "VI.2.5")
    assert log[-1]["action"] == "refused" and log[-1]["data"]["user"] == "mallory"


def test_done_imports_nothing_heavy(office: Cli) -> None:
    code = (
        "import sys, runpy; sys.argv=['planflow','done','VI.2.7','--evidence','x'];"
        "\ntry: runpy.run_module('planflow', run_name='__main__')"
        "\nexcept SystemExit: pass"
        "\nheavy={'jinja2','apscheduler','aiosmtplib','docx','openpyxl','pdfplumber'}"
        "\nprint(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
        "\nprint('sqlalchemy.dialects.postgresql' in sys.modules)"
    )
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**office.env, **TODAY, "PLANFLOW_USER": "kt"},
        cwd=office.home,
    )
    *_, heavy, pg_dialect = proc.stdout.strip().splitlines()
    assert heavy == "[]", proc.stderr
    # On SQLite not even SQLAlchemy's PostgreSQL dialect (models attach its index clauses
    # only for a PostgreSQL engine).
    assert pg_dialect == str(not office.url.startswith("sqlite")), proc.stderr
