"""The department directory through the real CLI: what `plan import --create-departments`
makes of an appendix's names, the explicit partner of Kỳ Lạc III.2.2, and `planflow dept
add | rename | alias | merge | group | list` mending the directory for good."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, KYLAC_PLAN, Cli

DOCX = FIXTURES / "ky-lac-2025-phu-luc.docx"

# Each task's lead and partners, as an appendix of a fresh unit writes them. The unit knows
# one department (KT, Phòng Kinh tế).
ROWS = [
    ("Sở Khoa học và Công nghệ, Công an Thành phố", ""),
    ("Các sở, ngành, UBND xã, phường", ""),
    ("Văn phòng HĐND và UBND xã", "Cục DLQGVN"),
    ("Cục DLQGVN", ""),
    ("Cục Du lịch Quốc gia Việt Nam", "Phòng KT"),
    ("VP HĐND-UBND", "Sở, ban, ngành có liên quan"),
    ("Sở, ban, ngành có liên quan", "Sở Khoa học và Công nghệ"),
    ("Phòng KT", "các địa phương"),
]


def _plan(path: Path, rows: list[tuple[str, str]] = ROWS) -> str:
    lines = [
        "format: planflow-plan/1",
        "unit:",
        "  code: moi",
        "  name: UBND xã Mới",
        "  departments:",
        "    - code: KT",
        "      name: Phòng Kinh tế",
        "plan:",
        "  year: 2025",
        "  require_evidence: false",
        "  sections:",
        "    - code: I",
        "      title: CẢI CÁCH THỂ CHẾ",
        "      objectives:",
        '        - tt: "1"',
        "          text: Mục tiêu",
        "          tasks:",
    ]
    for n, (lead, partners) in enumerate(rows, 1):
        lines += [
            f'            - code: "2.{n}"',
            f"              text: Nhiệm vụ {n}",
            f'              lead: "{lead}"',
            f'              partners: "{partners}"',
            "              deadline: Ngày 30/09/2025",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _tasks(cli: Cli) -> dict[str, dict]:  # type: ignore[type-arg]
    return {t["code"]: t for t in cli.ok("tasks", "--json").json}


def _depts(cli: Cli) -> dict[str, dict]:  # type: ignore[type-arg]
    return {d["code"]: d for d in cli.ok("dept", "list", "--json").json}


def _groups(cli: Cli) -> dict[str, list[str]]:
    return {g["name"]: g["members"] for g in cli.ok("dept", "list", "--groups", "--json").json}


def test_create_departments_splits_groups_and_aliases(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    path = _plan(tmp_path / "moi.yaml")
    refused = cli("plan", "import", path)
    assert refused.code != 0 and "--create-departments" in refused.err
    report = cli.ok("plan", "import", path, "--create-departments", "--json").json
    # codes: the initials, abbreviations kept whole, the trailing place word left out
    assert report["created_departments"] == ["SKHCN", "CA", "VPHDNDUBND", "CDLQGVN"]
    assert report["created_groups"] == [
        "Các sở, ngành, UBND xã, phường",
        "Sở, ban, ngành có liên quan",
    ]
    depts = _depts(cli)
    assert {c: (d["name"], d["aliases"]) for c, d in depts.items()} == {
        "KT": ("Phòng Kinh tế", ["Phòng KT"]),
        "SKHCN": ("Sở Khoa học và Công nghệ", []),
        "CA": ("Công an Thành phố", []),
        "VPHDNDUBND": ("Văn phòng HĐND và UBND xã", ["VP HĐND-UBND"]),
        # met short first (I.2.4), then in full (I.2.5): the full name names it
        "CDLQGVN": ("Cục Du lịch Quốc gia Việt Nam", ["Cục DLQGVN"]),
    }
    assert _groups(cli) == {"Các sở, ngành, UBND xã, phường": [], "Sở, ban, ngành có liên quan": []}
    tasks = _tasks(cli)
    assert {c: (t["lead"], t["partners"]) for c, t in tasks.items()} == {
        "I.2.1": (["SKHCN", "CA"], []),
        "I.2.2": ([], []),  # a group without members: the coordinator chases it
        "I.2.3": (["VPHDNDUBND"], ["CDLQGVN"]),
        "I.2.4": (["CDLQGVN"], []),
        "I.2.5": (["CDLQGVN"], ["KT"]),
        "I.2.6": (["VPHDNDUBND"], []),
        "I.2.7": ([], ["SKHCN"]),
        "I.2.8": (["KT"], ["các địa phương"]),
    }
    assert tasks["I.2.2"]["no_lead"] is True
    # the created names resolve from now on: importing again needs no flag, changes nothing
    again = cli.ok("plan", "import", path, "--json").json
    assert (again["added"], again["changed"], again["created_departments"]) == ([], {}, [])


def test_created_names_print_as_departments_and_groups(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    rows = [("Sở Nội vụ; Các phòng chuyên môn", "")]
    out = cli.ok("plan", "import", _plan(tmp_path / "p.yaml", rows), "--create-departments").out
    assert "Đã tạo phòng ban: SNV" in out
    assert "Đã tạo nhóm (không phải phòng ban): Các phòng chuyên môn" in out
    assert "Các phòng chuyên môn: —" in cli.ok("dept", "list").out


def test_ky_lac_explicit_partner_is_not_a_lead(kylac: Cli) -> None:
    tasks = _tasks(kylac)
    # III.2.2: lead "Các phòng chuyên môn xã" (VP, KT, VHXH), partner "Văn phòng HĐND-UBND xã"
    assert tasks["III.2.2"]["lead"] == ["KT", "VHXH"]
    assert tasks["III.2.2"]["partners"] == ["VP"]
    assert tasks["III.2.2"]["parts"] == "0/2 kỳ, 0/2 phòng"
    # III.2.5: lead "UBND xã" (all four), partner "Văn phòng UBND xã"
    assert tasks["III.2.5"]["lead"] == ["KT", "VHXH", "TTHCC"]
    assert tasks["III.2.5"]["partners"] == ["VP"]
    # a lead named by itself stays lead: II.2.1 is led by VP
    assert tasks["II.2.1"]["lead"] == ["VP"]
    # the Word appendix reads the same
    report = kylac.ok("plan", "import", str(DOCX), "--json").json
    assert report["changed"] == {}
    assert _tasks(kylac)["III.2.2"]["partners"] == ["VP"]
    # --dept lists what a department leads; --partner adds what it supports
    assert "III.2.2" not in [t["code"] for t in kylac.ok("tasks", "--dept", "VP", "--json").json]
    listed = kylac.ok("tasks", "--dept", "VP", "--partner", "--json").json
    assert "III.2.2" in [t["code"] for t in listed]


def _coordinator(cli: Cli) -> None:
    # the administrator (the OS login that ran init, no PLANFLOW_USER) adds the coordinator
    cli.ok("person", "add", "Lê Thị Hạnh", "--user", "hanh", "--dept", "VHXH",
           "--role", "coordinator")  # fmt: skip


def test_dept_add_alias_rename_group(kylac: Cli, tmp_path: Path) -> None:
    _coordinator(kylac)
    out = kylac.ok("dept", "add", "TP", "Phòng Tư pháp", "--alias", "Phòng TP", user="hanh").out
    assert out.strip() == "Đã thêm phòng TP (Phòng Tư pháp); bí danh: Phòng TP."
    kylac.ok("dept", "alias", "KT", "Phòng KT xã", user="hanh")
    renamed = kylac.ok("dept", "rename", "VP", "Văn phòng HĐND và UBND xã", "--code", "VPUB",
                       "--json", user="hanh").json  # fmt: skip
    assert renamed["code"] == "VPUB"
    # the old name and code stay names of it; the new name is no longer an alias too
    assert renamed["aliases"] == [
        "Văn phòng HĐND-UBND xã",
        "Văn phòng UBND xã",
        "Văn phòng HĐND-UBND",
        "VP",
    ]
    group = kylac.ok("dept", "group", "Các phòng chuyên môn xã", "KT", "VHXH", "TP",
                     "--json", user="hanh").json  # fmt: skip
    assert group["created"] is False and group["members"] == ["KT", "VHXH", "TP"]
    made = kylac.ok("dept", "group", "Các đoàn thể", "tp", "Phòng KT xã", user="hanh").out
    assert made.strip() == "Đã tạo nhóm 'Các đoàn thể': TP, KT."
    tasks = _tasks(kylac)
    assert tasks["II.2.1"]["lead"] == ["VPUB"]  # the rename moved the tasks
    assert tasks["III.2.2"]["lead"] == ["KT", "VHXH"]  # not yet re-imported
    # both imports keep the mended directory: no VP again, the group as set by hand
    for source in (str(KYLAC_PLAN), str(DOCX)):
        kylac.ok("plan", "import", source)
        depts = _depts(kylac)
        assert list(depts) == ["VPUB", "KT", "VHXH", "TTHCC", "TP"]
        assert depts["VPUB"]["name"] == "Văn phòng HĐND và UBND xã"
        assert depts["KT"]["aliases"] == ["Phòng kinh tế", "Phòng KT xã"]
        assert _groups(kylac)["Các phòng chuyên môn xã"] == ["KT", "VHXH", "TP"]
        assert _groups(kylac)["Các đoàn thể"] == ["TP", "KT"]
        tasks = _tasks(kylac)
        assert tasks["II.2.1"]["lead"] == ["VPUB"]
        assert tasks["III.2.2"]["lead"] == ["KT", "VHXH", "TP"]
        assert tasks["III.2.2"]["partners"] == ["VPUB"]
    # VHXH's head still finds its tasks; the VP head now heads VPUB
    people = {p["user"]: p for p in kylac.ok("person", "list", "--json").json}
    assert people["vp"]["department"] == "VPUB"


def test_merge_moves_tasks_items_people_and_history(kylac: Cli) -> None:
    _coordinator(kylac)
    env = {"PLANFLOW_TODAY": "2025-08-20"}
    kylac.ok("done", "III.2.5", "--dept", "TTHCC", "--period", "Q3", "--evidence", "QĐ 12",
             user="tthcc", env=env)  # fmt: skip
    kylac.ok("start", "III.2.1", user="tthcc", env=env)
    before = kylac.ok("history", "III.2.5", "--json").json["events"]
    assert before[-1]["department"] == "TTHCC"
    out = kylac.ok("dept", "merge", "TTHCC", "VP", "--json", user="hanh").json
    # 14 tasks named TTHCC; III.2.5/8/9 lose the TTHCC part of Q3 and Q4 (the row's partner
    # VP now stands for it), except III.2.5 Q3, which is done: it stays, as VP's
    assert out["moved"] == {"tasks": 14, "items": 8, "people": 1}
    assert out["demoted"] == ["Giám đốc Trung tâm Phục vụ hành chính công (placeholder)"]
    depts = _depts(kylac)
    assert "TTHCC" not in depts
    assert {"TTHCC", "Trung tâm HCC xã"} <= set(depts["VP"]["aliases"])
    tasks = _tasks(kylac)
    assert (tasks["III.2.1"]["lead"], tasks["III.2.1"]["status"]) == (["VP"], "in_progress")
    assert tasks["III.2.5"]["lead"] == ["KT", "VHXH"]
    assert tasks["III.2.5"]["parts"] == "0/2 kỳ, 1/3 phòng"
    assert tasks["III.2.8"]["parts"] == "0/2 kỳ, 0/2 phòng"
    assert tasks["I.2.1"]["partners"] == ["VP", "KT"]
    # the history is whole: every event before, then the merge's own
    after = kylac.ok("history", "III.2.5", "--json").json["events"]
    assert [e["id"] for e in after[:-1]] == [e["id"] for e in before]
    done = after[-2]
    assert (done["action"], done["period"], done["department"], done["evidence"]) == (
        "complete",
        "Q3",
        "VP",  # the part is VP's now
        "QĐ 12",
    )
    assert after[-1]["action"] == "update" and after[-1]["note"] == "dept merge TTHCC → VP"
    assert after[-1]["data"]["changes"]["leads"] == [["KT", "VHXH", "TTHCC"], ["KT", "VHXH"]]
    people = {p["user"]: p for p in kylac.ok("person", "list", "--json").json}
    assert (people["tthcc"]["department"], people["tthcc"]["role"]) == ("VP", "staff")
    # the former head acts on VP's tasks as staff now: refused
    assert kylac("start", "III.2.4", user="tthcc", env=env).code == 1
    # re-importing the file that still names Trung tâm HCC changes nothing
    for source in (str(DOCX), str(KYLAC_PLAN)):
        report = kylac.ok("plan", "import", source, "--json").json
        assert (report["changed"], report["added"]) == ({}, [])
        assert "TTHCC" not in _depts(kylac)


def test_merge_that_would_fold_two_histories_is_refused(kylac: Cli) -> None:
    env = {"PLANFLOW_TODAY": "2025-08-20"}
    # I.2.4 is led by all four: VP's and KT's Q3 parts both get a history
    kylac.ok("start", "I.2.4", "--dept", "VP", "--period", "Q3", user="vp", env=env)
    kylac.ok("start", "I.2.4", "--dept", "KT", "--period", "Q3", user="kt", env=env)
    before = (_depts(kylac), _tasks(kylac))
    result = kylac("dept", "merge", "KT", "VP")
    assert result.code != 0
    assert result.err.count("\n") == 1 and "I.2.4 (Q3)" in result.err
    assert "Traceback" not in result.err
    assert (_depts(kylac), _tasks(kylac)) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("dept", "add", "KT", "Phòng khác"), "mã phòng 'KT' đã có (KT: Phòng Kinh tế)"),
        (("dept", "add", "X Y", "Phòng X"), "mã phòng 'X Y' không hợp lệ"),
        (("dept", "add", "KT2", "Phòng VHXH"), "'Phòng VHXH' đã là tên của phòng VHXH"),
        (("dept", "add", "UB", "UBND xã"), "'UBND xã' đã là tên của nhóm 'UBND xã'"),
        (("dept", "rename", "ZZ", "Tên"), "không có phòng 'ZZ'"),
        (("dept", "rename", "KT", "Phòng VHXH"), "'Phòng VHXH' đã là tên của phòng VHXH"),
        (("dept", "rename", "KT", "Phòng K", "--code", "VHXH"), "mã phòng 'VHXH' đã có"),
        (("dept", "alias", "KT", "Phòng kinh tế"), "'Phòng kinh tế' đã là tên của phòng KT"),
        (("dept", "alias", "KT", "Văn phòng UBND xã"), "đã là tên của phòng VP"),
        (("dept", "merge", "KT", "kt"), "không thể gộp phòng KT vào chính nó"),
        (("dept", "merge", "ZZ", "KT"), "không có phòng 'ZZ'"),
        (("dept", "group", "Nhóm A", "KT", "ZZ"), "không có phòng 'ZZ'"),
        (("dept", "group", "Phòng Kinh tế", "KT"), "là tên của phòng KT, không phải nhóm"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    kylac: Cli, args: tuple[str, ...], message: str
) -> None:
    before = (_depts(kylac), _groups(kylac), _tasks(kylac))
    result = kylac(*args)
    assert result.code != 0
    assert message in result.err
    assert result.err.startswith("planflow: ") and result.err.count("\n") == 1
    assert (_depts(kylac), _groups(kylac), _tasks(kylac)) == before


def test_english_messages(kylac: Cli) -> None:
    result = kylac("--lang", "en", "dept", "merge", "KT", "KT")
    assert result.err.strip() == "planflow: cannot merge department KT into itself"
    out = kylac.ok("--lang", "en", "dept", "add", "TP", "Phòng Tư pháp").out
    assert out.strip() == "Added department TP (Phòng Tư pháp); aliases: —."


def test_only_managers_mend_the_directory(kylac: Cli) -> None:
    # a fresh import seeds only heads: a head may not mend the directory even then...
    early = kylac("dept", "alias", "KT", "Phòng KT", user="kt")
    assert early.code == 1 and "quản trị viên" in early.err
    kylac.ok("dept", "alias", "KT", "Phòng KT")  # ...the administrator, who ran init, may
    _coordinator(kylac)
    refused = kylac("dept", "add", "TP", "Phòng Tư pháp", user="kt")
    assert refused.code == 1
    assert "Chỉ điều phối viên (Lê Thị Hạnh)" in refused.err
    assert "TP" not in _depts(kylac)
    history = kylac.ok("dept", "merge", "KT", "VHXH", "--json", user="hanh").json
    assert history["code"] == "VHXH"
