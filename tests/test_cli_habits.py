"""What a department head expects of the command line: their own list, several codes at once.

Kỳ Lạc 2025 (plans/ky-lac-2025.yaml) with its seeded heads (users vp, kt, vhxh, tthcc).
"""

from __future__ import annotations

from tests.conftest import Cli

TODAY = {"PLANFLOW_TODAY": "2025-10-10"}
# What KT leads, read from the plan file by hand: "Phòng kinh tế" leads VI.2.1, 2.2, 2.3, 2.5
# and 2.7; the groups that hold KT lead I.2.4 ("Các cơ quan chủ trì các lĩnh vực CCHC xã"),
# III.2.2, 2.3, 2.6, 2.7 ("Các phòng chuyên môn xã") and III.2.5, 2.8, 2.9 ("UBND xã").
KT_LEADS = [
    "I.2.4", "III.2.2", "III.2.3", "III.2.5", "III.2.6", "III.2.7", "III.2.8", "III.2.9",
    "VI.2.1", "VI.2.2", "VI.2.3", "VI.2.5", "VI.2.7",
]  # fmt: skip


def codes(result: object) -> list[str]:
    return [t["code"] for t in result.json]  # type: ignore[attr-defined]


def test_dept_lists_what_it_leads_and_partner_adds_the_rest(kylac: Cli) -> None:
    assert codes(kylac.ok("tasks", "--dept", "KT", "--json")) == KT_LEADS
    with_partner = codes(kylac.ok("tasks", "--dept", "KT", "--partner", "--json"))
    assert set(KT_LEADS) < set(with_partner)
    # I.2.1 is led by VHXH with "Các phòng chủ trì CCHC của xã" (KT among them) as partners
    assert "I.2.1" in with_partner and "I.2.1" not in KT_LEADS


def test_mine_is_the_acting_heads_lead_items(kylac: Cli) -> None:
    assert codes(kylac.ok("mine", "--json", user="kt")) == KT_LEADS
    assert codes(kylac.ok("tasks", "--mine", "--json", user="kt")) == KT_LEADS
    out = kylac.ok("mine", user="kt").out
    assert "13 nhiệm vụ." in out
    both = kylac("tasks", "--mine", "--dept", "VP", user="kt")
    assert both.code == 2 and "--mine" in both.err and "Traceback" not in both.err


def test_mine_tells_an_unknown_person_how_to_be_known(kylac: Cli) -> None:
    result = kylac("mine", user="ai-do")
    assert result.code == 1 and "Traceback" not in result.err
    assert "'ai-do' chưa được khai báo" in result.err and "person add" in result.err
    en = kylac("--lang", "en", "mine", user="ai-do")
    assert "'ai-do' is not a known user" in en.err


def test_done_takes_several_codes_each_with_its_outcome(kylac: Cli) -> None:
    args = ("done", "VI.2.1", "VI.2.2", "--evidence", "Báo cáo số 5/BC-UBND", "--on", "01/10/2025")
    result = kylac(*args, user="kt", env=TODAY)
    assert result.code == 0, result.err
    assert result.out.count("Đã ghi hoàn thành") == 2
    assert "VI.2.1" in result.out and "VI.2.2" in result.out
    done = {t["code"] for t in kylac.ok("tasks", "--status", "done", "--json", env=TODAY).json}
    assert done == {"VI.2.1", "VI.2.2"}


def test_one_refused_code_does_not_stop_the_others(kylac: Cli) -> None:
    # I.2.1 is VHXH's: KT may not record it; KHONG-CO does not exist; VI.2.3 is KT's own.
    result = kylac(
        "done", "I.2.1", "KHONG-CO", "VI.2.3", "--evidence", "KH 7", user="kt", env=TODAY
    )
    assert result.code == 1 and "Traceback" not in result.err
    assert "planflow: I.2.1:" in result.err and "planflow: KHONG-CO:" in result.err
    assert "2/3 nhiệm vụ không ghi được: I.2.1, KHONG-CO." in result.err
    assert "Đã ghi hoàn thành VI.2.3" in result.out
    done = {t["code"] for t in kylac.ok("tasks", "--status", "done", "--json", env=TODAY).json}
    assert done == {"VI.2.3"}
    # done again on the same codes: already done is not a failure (exit 0 for VI.2.3)
    again = kylac("done", "VI.2.3", "VI.2.3", "--evidence", "KH 7", user="kt", env=TODAY)
    assert again.code == 0 and again.out.count("đã hoàn thành trước đó") == 2


def test_person_edit_fixes_an_address_and_records_it(kylac: Cli) -> None:
    # the database's administrator (no PLANFLOW_USER) manages people until a manager exists
    result = kylac.ok("person", "edit", "kt", "--email", "truongphong.kt@kylac.gov.vn")
    assert result.out.strip() == (
        "Đã sửa Trưởng phòng Kinh tế (placeholder) "
        "(e-mail: kt@kylac.example.vn → truongphong.kt@kylac.gov.vn)."
    )
    people = {p["user"]: p for p in kylac.ok("person", "list", "--json").json}
    assert people["kt"]["email"] == "truongphong.kt@kylac.gov.vn"
    same = kylac.ok("person", "edit", "kt", "--email", "truongphong.kt@kylac.gov.vn")
    assert "không có gì thay đổi" in same.out
    bad = kylac("person", "edit", "kt", "--email", "khong-phai-dia-chi")
    assert bad.code == 2 and "--email" in bad.err and "Traceback" not in bad.err
    taken = kylac("person", "edit", "kt", "--user", "vp")
    assert taken.code == 2 and "'vp' đã được dùng" in taken.err
    assert kylac.ok("person", "list", "--json").json == list(people.values())  # unchanged


def test_person_edit_to_head_demotes_the_old_head(kylac: Cli) -> None:
    kylac.ok("person", "add", "Nguyễn Văn Mới", "--user", "moi", "--dept", "KT")
    out = kylac.ok("--lang", "en", "person", "edit", "moi", "--role", "head").out
    assert out.strip() == "Updated Nguyễn Văn Mới (role: staff → head)."
    roles = {p["user"]: p["role"] for p in kylac.ok("person", "list", "--json").json}
    assert roles["moi"] == "head" and roles["kt"] == "staff"


def test_person_remove_deactivates_and_keeps_history(kylac: Cli) -> None:
    kylac.ok("done", "VI.2.1", "--evidence", "KH 1", user="kt", env=TODAY)
    out = kylac.ok("person", "remove", "kt").out
    assert "Đã gỡ Trưởng phòng Kinh tế (placeholder)" in out
    people = {p["user"]: p for p in kylac.ok("person", "list", "--json").json}
    assert people["kt"]["active"] is False
    assert "(đã gỡ)" in kylac.ok("person", "list").out
    # the removed head acts no more, and the event they recorded is still theirs
    refused = kylac("done", "VI.2.2", "--evidence", "KH 2", user="kt", env=TODAY)
    assert refused.code == 1
    events = kylac.ok("history", "VI.2.1", "--json", env=TODAY).json["events"]
    assert [e["actor"] for e in events if e["action"] == "complete"] == [
        "Trưởng phòng Kinh tế (placeholder)"
    ]
    again = kylac.ok("person", "remove", "kt")  # twice: nothing more happens
    assert "Đã gỡ" in again.out


def test_task_edit_replans_and_is_recorded(kylac: Cli) -> None:
    kylac.ok("person", "add", "Trần Thị Điều", "--user", "dp", "--dept", "VHXH",
             "--role", "coordinator")  # fmt: skip
    # VI.2.1: "Năm 2025", led by "Phòng kinh tế" (KT). A quarter due 31/12/2025, led by VHXH.
    out = kylac.ok("task", "edit", "VI.2.1", "--deadline", "Quý IV/2025", "--lead", "Phòng VHXH",
                   user="dp", env=TODAY).out  # fmt: skip
    assert "Đã sửa nhiệm vụ VI.2.1:" in out
    assert "  chủ trì: KT → VHXH" in out
    assert "  thời gian hoàn thành: Năm 2025 → Quý IV/2025" in out
    assert "  loại thời hạn: năm → quý" in out
    assert "  bắt đầu: 01/01/2025 → 01/10/2025" in out
    task = kylac.ok("task", "show", "VI.2.1", "--json", env=TODAY).json
    assert task["lead"] == ["VHXH"] and task["deadline"] == "Quý IV/2025"
    # the lead moved: KT no longer answers for it, VHXH does
    assert "VI.2.1" not in codes(kylac.ok("mine", "--json", user="kt"))
    assert "VI.2.1" in codes(kylac.ok("mine", "--json", user="vhxh"))
    history = kylac.ok("history", "VI.2.1", "--json", env=TODAY).json["events"]
    [update] = [e for e in history if e["action"] == "update"]
    assert update["actor"] == "Trần Thị Điều"
    assert update["data"]["changes"]["deadline_text"] == ["Năm 2025", "Quý IV/2025"]
    assert "sửa" in kylac.ok("history", "VI.2.1", env=TODAY).out


def test_task_edit_is_the_coordinators_and_bad_input_changes_nothing(kylac: Cli) -> None:
    refused = kylac("task", "edit", "VI.2.1", "--text", "Khác", user="kt", env=TODAY)
    assert refused.code == 1 and "Chỉ" in refused.err and "Traceback" not in refused.err
    kylac.ok("person", "add", "Trần Thị Điều", "--user", "dp", "--dept", "VHXH",
             "--role", "coordinator")  # fmt: skip
    bad = kylac("task", "edit", "VI.2.1", "--deadline", "Quý V/2025", user="dp", env=TODAY)
    assert bad.code == 2 and "--deadline" in bad.err
    nothing = kylac("task", "edit", "VI.2.1", user="dp", env=TODAY)
    assert nothing.code == 2 and "--text" in nothing.err
    task = kylac.ok("task", "show", "VI.2.1", "--json", env=TODAY).json
    assert task["deadline"] == "Năm 2025" and task["text"] == "Hướng dẫn, đôn đốc, báo cáo"


def test_shell_completion_offers_commands_and_options(cli: Cli) -> None:
    def complete(words: str) -> list[str]:
        cword = len(words.split()) - (0 if words.endswith(" ") else 1)
        env = {"_PLANFLOW_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        return cli.ok(env=env).out.split()

    assert complete("planflow rep") == ["report"]
    assert complete("planflow person e") == ["edit"]
    assert "--partner" in complete("planflow tasks --pa")
    script = cli.ok("--show-completion", "bash").out
    assert "_PLANFLOW_COMPLETE=complete_bash" in script


def test_config_init_writes_a_commented_file_that_changes_nothing(cli: Cli) -> None:
    import dataclasses
    import stat
    import tomllib

    from planflow.config import Settings

    path = cli.home / "config.toml"  # PLANFLOW_CONFIG in the tests' environment
    assert "config.toml" in cli.ok("config", "init").out
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text) == {"mail": {}, "scheduler": {}, "web": {}}  # all commented
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Every setting a user can change is there, named as the file spells it.
    keys = {"from" if f.name == "mail_from" else f.name for f in dataclasses.fields(Settings)}
    for key in keys - {"timezone"}:
        assert f"# {key} = " in text, key
    assert "mật khẩu" in text
    # A second run keeps the user's file; --force replaces it.
    path.write_text('lang = "en"\n', encoding="utf-8")
    again = cli("config", "init")
    assert again.code == 1 and "--force" in again.err and "Traceback" not in again.err
    assert path.read_text(encoding="utf-8") == 'lang = "en"\n'
    other = cli.home / "en.toml"
    cli.ok("--lang", "en", "config", "init", "--path", str(other))
    assert "# Display language" in other.read_text(encoding="utf-8")
    cli.ok("config", "init", "--force")
    assert path.read_text(encoding="utf-8") == text


def test_report_json_is_the_json_format(kylac: Cli) -> None:
    short = kylac.ok("report", "--json", env=TODAY).json
    assert short == kylac.ok("report", "--format", "json", env=TODAY).json
    # Kỳ Lạc's plan holds 35 tasks; nothing is done on a fresh import.
    assert (short["total"], short["done"], short["percent_text"]) == (
        35,
        0,
        "0%",
    )  # trailing zeros dropped, as "100%"
    clash = kylac("report", "--json", "--format", "docx", "-o", "r.docx", env=TODAY)
    assert clash.code != 0 and "--json" in clash.err and "Traceback" not in clash.err
