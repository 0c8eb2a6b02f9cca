"""A new commune's first day: its own appendix imported on a fresh database, through the
real `planflow` entry point.

One command creates the unit (named from the title block, or --unit-name), the plan (its
years and start read from the document, or --year/--until/--starts) and, with
--create-departments, the departments. A plan over several years keeps its last year, so
"Hằng năm" is one item a year. Every deadline phrase that cannot be read is listed with
its row. Expected values are read by hand off the fixtures' printed title blocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, Cli
from tablegen import HEADER, Spec, write_docx
from test_cli_import import db_state, refused

KINDS = ["docx", "xlsx", "pdf"]
KYLAC_NAME = "UBND xã Kỳ Lạc"  # "(Kèm theo Kế hoạch số: /KH-UBND ngày /7/2025 của UBND xã Kỳ Lạc)"
W = len(HEADER)


def _fixture(kind: str) -> str:
    return str(FIXTURES / f"ky-lac-2025-phu-luc.{kind}")


def _sqlite_file(cli: Cli) -> Path | None:
    return Path(cli.url.removeprefix("sqlite:///")) if cli.url.startswith("sqlite:") else None


# --------------------------------------------------------------------------- Kỳ Lạc's own files


@pytest.mark.parametrize("kind", KINDS)
def test_ky_lac_file_imports_in_one_command_on_a_new_database(cli: Cli, kind: str) -> None:
    """No `planflow init` first: the database does not exist until the import makes it."""
    db_file = _sqlite_file(cli)
    if db_file is not None:
        assert not db_file.exists()
    report = cli.ok(
        "plan", "import", _fixture(kind), "--unit", "KYLAC", "--create-departments", "--json"
    ).json
    assert (report["unit"], report["unit_name"], report["unit_created"]) == (
        "KYLAC",
        KYLAC_NAME,
        True,
    )
    assert (report["year"], report["until"], report["starts"]) == (2025, None, "2025-07-01")
    assert (report["created"], report["revision"], report["tasks"]) == (True, 1, 35)
    assert report["created_departments"]  # the new unit had none: every lead made one
    assert report["flagged"] == []  # every phrase of Kỳ Lạc's appendix is read
    shown = cli.ok("plan", "show", "--json").json
    assert shown["unit"] == {"code": "KYLAC", "name": KYLAC_NAME}
    assert (shown["year"], shown["until"], shown["starts"]) == (2025, None, "2025-07-01")
    assert shown["title"] == "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2025"
    assert shown["tasks"] == 35
    units = cli.ok("unit", "list", "--json").json
    assert [(u["code"], u["name"]) for u in units] == [("KYLAC", KYLAC_NAME)]


def test_first_day_text_output(cli: Cli) -> None:
    cli.ok("init")
    out = cli.ok("plan", "import", _fixture("docx"), "--unit", "KYLAC", "--create-departments").out
    lines = out.splitlines()
    assert lines[0] == f"Đã tạo đơn vị KYLAC ({KYLAC_NAME})."
    assert lines[1].startswith("Kế hoạch 2025 của KYLAC (nhập mới, lần 1): 35 nhiệm vụ")
    assert lines[2] == (
        "Bắt đầu tính từ ngày 01/07/2025 (kỳ kết thúc trước ngày này không phải báo cáo)."
    )
    # The same file again changes nothing and creates nothing.
    again = cli.ok("plan", "import", _fixture("docx"), "--unit", "KYLAC", "--json").json
    assert (again["unit_created"], again["created"], again["revision"]) == (False, False, 1)
    assert (again["added"], again["changed"], again["archived"]) == ([], {}, [])


def test_a_new_unit_without_departments_is_told_to_create_them(cli: Cli) -> None:
    cli.ok("init")
    before = db_state(cli.url)
    line = refused(
        cli,
        cli("plan", "import", _fixture("docx"), "--unit", "KYLAC"),
        "ky-lac-2025-phu-luc.docx",
        "KYLAC",
        "--create-departments",
    )
    assert "chưa có phòng ban nào" in line
    assert db_state(cli.url) == before  # not even the unit


def test_empty_database_hint_names_the_command_that_works(cli: Cli) -> None:
    cli.ok("init")
    before = db_state(cli.url)
    line = refused(
        cli,
        cli("plan", "import", _fixture("xlsx")),
        "ky-lac-2025-phu-luc.xlsx",
        "`planflow plan import ky-lac-2025-phu-luc.xlsx --unit MÃ --create-departments`",
    )
    assert ".yaml" not in line  # not a circle back to the plan file
    english = cli("--lang", "en", "plan", "import", _fixture("xlsx"))
    refused(
        cli,
        english,
        "ky-lac-2025-phu-luc.xlsx",
        "`planflow plan import ky-lac-2025-phu-luc.xlsx --unit CODE --create-departments`",
    )
    assert db_state(cli.url) == before
    # Any other command on the empty database names the same way in.
    tasks = cli("tasks")
    assert tasks.code != 0 and "Traceback" not in tasks.err
    assert "planflow plan import FILE --unit MÃ --create-departments" in tasks.err


def test_unit_name_year_and_start_override_the_document(cli: Cli) -> None:
    report = cli.ok(
        "plan",
        "import",
        _fixture("xlsx"),
        "--unit",
        "KL",
        "--unit-name",
        "UBND xã Kỳ Lạc, tỉnh Hà Tĩnh",
        "--starts",
        "01/10/2025",
        "--create-departments",
        "--json",
    ).json
    assert (report["unit_name"], report["starts"]) == ("UBND xã Kỳ Lạc, tỉnh Hà Tĩnh", "2025-10-01")
    # II.2.3 "Thường xuyên" is quarterly: from 01/10/2025 only Q4 is owed (from the
    # document's own 01/07/2025 it would be Q3 and Q4).
    task = cli.ok("task", "show", "II.2.3", "--json").json
    assert task["deadline"] == "Thường xuyên"
    assert [i["period"] for i in task["items"]] == ["Q4"]
    other = cli.ok(
        "plan",
        "import",
        _fixture("pdf"),
        "--unit",
        "KL",
        "--year",
        "2026",
        "--create-departments",
        "--json",
    ).json
    # --year wins over "NĂM 2025"; the document's date (07/2025) is not inside 2026.
    assert (other["year"], other["starts"], other["created"]) == (2026, None, True)
    years = sorted(p["year"] for p in [cli.ok("plan", "show", "--year", "2026", "--json").json])
    assert years == [2026]


def test_a_bad_start_date_is_one_line_and_changes_nothing(cli: Cli) -> None:
    cli.ok("init")
    before = db_state(cli.url)
    result = cli("plan", "import", _fixture("docx"), "--unit", "KYLAC", "--starts", "31/02/2025")
    assert result.code != 0 and "Traceback" not in result.err
    [line] = result.err.strip().splitlines()
    assert "--starts" in line and "31/02/2025" in line
    assert db_state(cli.url) == before


def test_a_second_unit_needs_its_name(kylac: Cli) -> None:
    """Beside Kỳ Lạc (from the plan file, code ky-lac) a mistyped code must not start a
    second commune: the refusal lists the units and the name it would use."""
    before = db_state(kylac.url)
    line = refused(
        kylac,
        kylac("plan", "import", _fixture("docx"), "--unit", "KYLAK", "--create-departments"),
        "ky-lac-2025-phu-luc.docx",
        "KYLAK",
        "ky-lac",
        f'--unit-name "{KYLAC_NAME}"',
    )
    assert line
    assert db_state(kylac.url) == before
    report = kylac.ok(
        "plan",
        "import",
        _fixture("docx"),
        "--unit",
        "KYLAK",
        "--unit-name",
        "UBND xã Kỳ Lạc (bản thử)",
        "--create-departments",
        "--json",
    ).json
    assert (report["unit_created"], report["tasks"]) == (True, 35)
    units = kylac.ok("unit", "list", "--json").json
    assert sorted(u["code"] for u in units) == ["KYLAK", "ky-lac"]


# --------------------------------------------------------------------------- a five-year plan

TITLE_2026_2030 = [
    "ỦY BAN NHÂN DÂN",
    "XÃ KỲ LẠC",
    "Số: 123/KH-UBND",
    "Kỳ Lạc, ngày 19 tháng 11 năm 2025",
    "PHỤ LỤC",
    "KẾ HOẠCH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030",
    "(Kèm theo Kế hoạch số 123/KH-UBND ngày 19/11/2025 của UBND xã Kỳ Lạc)",
]


def _five_year_spec(title: list[str]) -> Spec:
    """Word rows: 1 header, 2 section, 3–5 tasks 2.1–2.3, 6 an activity of 2.3 on its own
    line with its own deadline."""
    empty = [""] * W
    rows: list[list[Any]] = [
        list(HEADER),
        ["I. CHUYỂN ĐỔI SỐ"] + [""] * (W - 1),
        ["1", "1.1. Mục tiêu", "2.1. Báo cáo kết quả chuyển đổi số", "", "Báo cáo"]
        + ["Phòng VHXH", "", "Hằng năm", ""],
        ["", "", "2.2. Rà soát hạ tầng", "", "Kế hoạch", "Phòng VHXH", "", "Quý II/2027", ""],
        ["", "", "2.3. Tổng kết giai đoạn", "3.1. Dự thảo báo cáo", "Báo cáo"]
        + ["Phòng VHXH", "", "Sau khi có hướng dẫn của tỉnh", ""],
        [*empty[:3], "3.2. Trình ký", "Báo cáo", "Phòng VHXH", "", "Đợt 2", ""],
    ]
    return Spec(rows, [(1, 0, 1, W - 1)], title)


def test_five_year_plan_on_a_new_database(cli: Cli, tmp_path: Path) -> None:
    path = write_docx(_five_year_spec(TITLE_2026_2030), tmp_path / "chuyen-doi-so.docx")
    report = cli.ok(
        "plan", "import", str(path), "--unit", "KL", "--create-departments", "--json"
    ).json
    # The header's "ngày 19 tháng 11 năm 2025" is the signing date: the plan is 2026–2030,
    # and signed before its first year it owes all of 2026 (no start date).
    assert (report["year"], report["until"], report["starts"]) == (2026, 2030, None)
    assert (report["unit_name"], report["tasks"]) == (KYLAC_NAME, 3)
    assert report["flagged"] == [
        {"code": "I.2.3", "row": 5, "deadline": "Sau khi có hướng dẫn của tỉnh"},
        {"code": "I.2.3 (3.2)", "row": 6, "deadline": "Đợt 2"},
    ]
    assert report["unparsed"] == [{"code": "I.2.3", "deadline": "Sau khi có hướng dẫn của tỉnh"}]
    yearly = cli.ok("task", "show", "I.2.1", "--json").json
    assert [i["period"] for i in yearly["items"]] == ["Y2026", "Y2027", "Y2028", "Y2029", "Y2030"]
    # 31/12/2028 is a Sunday: due the next working day, Tuesday 02/01/2029 (01/01 is the
    # New Year holiday).
    assert [i["due"] for i in yearly["items"]][2] == "2029-01-02"
    assert cli.ok("task", "show", "I.2.2", "--json").json["due"] == "2027-06-30"
    kept = cli.ok("task", "show", "I.2.3", "--json").json
    assert (kept["deadline"], kept["deadline_kind"]) == (
        "Sau khi có hướng dẫn của tỉnh",
        "unparsed",
    )
    assert cli.ok("plan", "show", "--json").json["until"] == 2030
    shown = cli.ok("plan", "show").out.splitlines()[0]
    assert (
        shown == f"{KYLAC_NAME} — KẾ HOẠCH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030 (2026–2030), lần 1"
    )


def test_flagged_phrases_are_listed_with_their_rows(cli: Cli, tmp_path: Path) -> None:
    path = write_docx(_five_year_spec(TITLE_2026_2030), tmp_path / "chuyen-doi-so.docx")
    args = ("plan", "import", str(path), "--unit", "KL", "--create-departments", "--dry-run")
    vi = cli.ok(*args).out.splitlines()
    assert "Xem trước (không ghi gì): Kế hoạch 2026–2030 của KL" in "\n".join(vi)
    at = vi.index("Thời hạn không đọc được (2), cần kiểm tra:")
    assert vi[at + 1 : at + 3] == [
        "  dòng 5 (I.2.3): 'Sau khi có hướng dẫn của tỉnh' — không đọc được, giữ nguyên văn bản",
        "  dòng 6 (I.2.3 (3.2)): 'Đợt 2' — không đọc được, giữ nguyên văn bản",
    ]
    en = cli.ok("--lang", "en", *args).out.splitlines()
    at = en.index("Deadlines not read (2), check them:")
    assert en[at + 1 : at + 3] == [
        "  row 5 (I.2.3): 'Sau khi có hướng dẫn của tỉnh' — not read, kept as written",
        "  row 6 (I.2.3 (3.2)): 'Đợt 2' — not read, kept as written",
    ]
    # A dry run creates neither the unit nor the plan.
    assert "planflow plan import FILE --unit MÃ --create-departments" in cli("tasks").err


def test_no_year_in_the_title_names_the_fix(cli: Cli, tmp_path: Path) -> None:
    title = [line for line in TITLE_2026_2030 if "GIAI ĐOẠN" not in line]
    title.insert(5, "DANH MỤC NHIỆM VỤ TRỌNG TÂM")
    path = write_docx(_five_year_spec(title), tmp_path / "danh-muc.docx")
    cli.ok("init")
    before = db_state(cli.url)
    line = refused(
        cli,
        cli("plan", "import", str(path), "--unit", "KL", "--create-departments"),
        "danh-muc.docx",
        "--year",
        "ngày 19/11/2025 là ngày ký văn bản, không phải năm kế hoạch",
    )
    assert line
    assert db_state(cli.url) == before
    report = cli.ok(
        "plan",
        "import",
        str(path),
        "--unit",
        "KL",
        "--create-departments",
        "--year",
        "2026",
        "--until",
        "2030",
        "--json",
    ).json
    assert (report["year"], report["until"]) == (2026, 2030)
    bad = cli("plan", "import", str(path), "--unit", "KL", "--year", "2026", "--until", "2026")
    assert bad.code != 0 and "--until 2026" in bad.err and "Traceback" not in bad.err
    out = tmp_path / "danh-muc.yaml"
    args = ("plan", "convert", str(path), "-o", str(out), "--year", "2026", "--until", "2030")
    cli.ok(*args)
    assert "  year: 2026\n  until: 2030\n" in out.read_text(encoding="utf-8")


def test_the_deadline_command_reads_a_span(cli: Cli) -> None:
    data = cli.ok("deadline", "Hằng năm", "--year", "2026", "--until", "2030", "--json").json
    assert [o["period"] for o in data["occurrences"]] == [f"Y{y}" for y in range(2026, 2031)]
    one = cli.ok("deadline", "Hằng năm", "--year", "2026", "--json").json
    assert (one["kind"], one["due"]) == ("year", "2026-12-31")


def test_the_plan_file_keeps_the_span_and_the_agency(cli: Cli, tmp_path: Path) -> None:
    path = write_docx(_five_year_spec(TITLE_2026_2030), tmp_path / "chuyen-doi-so.docx")
    out = tmp_path / "plans" / "kl.yaml"
    cli.ok("plan", "convert", str(path), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "  year: 2026\n  until: 2030\n" in text
    assert f"  agency: {KYLAC_NAME}\n" in text
    report = cli.ok(
        "plan", "import", str(out), "--unit", "KL", "--create-departments", "--json"
    ).json
    assert (report["unit_name"], report["year"], report["until"]) == (KYLAC_NAME, 2026, 2030)
    yearly = cli.ok("task", "show", "I.2.1", "--json").json
    assert len(yearly["items"]) == 5


def test_an_ad_hoc_task_in_a_five_year_plan_is_yearly_too(cli: Cli, tmp_path: Path) -> None:
    """The plan's last year is stored (plan.until), so a task added later reads "Hằng năm"
    the way the import did."""
    path = write_docx(_five_year_spec(TITLE_2026_2030), tmp_path / "chuyen-doi-so.docx")
    cli.ok("plan", "import", str(path), "--unit", "KL", "--create-departments")
    # The administrator (who ran init: the OS login, no PLANFLOW_USER) adds the chairman.
    cli.ok("person", "add", "Lê Văn Chủ", "--user", "ct", "--role", "chairman")
    added = cli.ok(
        "task",
        "add",
        "--text",
        "Báo cáo số hóa hồ sơ",
        "--source-document",
        "Công văn 45/UBND ngày 05/01/2026",
        "--lead",
        "Phòng VHXH",
        "--deadline",
        "Hằng năm",
        "--json",
        user="ct",
    ).json
    shown = cli.ok("task", "show", added["task"], "--json").json
    assert [i["period"] for i in shown["items"]] == [f"Y{y}" for y in range(2026, 2031)]
