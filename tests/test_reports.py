"""Reports end to end through the real CLI on the Kỳ Lạc plan (35 tasks, plan from 01/07/2025).

Scenario (each expected figure below is derived by hand from this list and the plan's due dates):

    task       lead   due         completed   timeliness
    I.2.1      VHXH   25/07/2025  20/07/2025  on time
    I.2.2      VHXH   31/07/2025  15/08/2025  late
    III.2.1    TTHCC  31/07/2025  10/09/2025  late (evidence "=cmd|' /C calc'!A0")
    VI.2.1     KT     31/12/2025  05/09/2025  on time
    II.2.1 Q3  VP     30/09/2025  25/09/2025  (recurring Q3/Q4: 1/2 kỳ, in progress)
    VI.2.2     KT     31/12/2025  20/10/2025  on time
    II.2.2     VP     31/12/2025  01/12/2025  on time

As of 31/07/2025: 1/35 done (1 on time) → 2,9% (2.857… half-up); nothing overdue
(I.2.2 and III.2.1 fall due that very day).
As of 30/09/2025: 4/35 done (I.2.1, VI.2.1 on time; I.2.2, III.2.1 late) → 11,4% (11.428…);
II.2.1 in progress; 30 not started; nothing overdue yet (the Q3 items fall due on 30/09).
Period 2025 (15/12/2024–14/12/2025, so as of 14/12/2025): 6/35 → 17,1% (17.142…), 4 on
time, 2 late, 1 in progress, 28 not started; overdue: the 13 tasks with an open Q3 item
(I.2.4, II.2.3, III.2.2–III.2.10, VII.2.2.1, VII.2.2.2) plus I.2.5 (Quý III) = 14.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import KYLAC_PLAN, ROOT, Cli

GOLDEN = ROOT / "tests" / "golden"
EVIL = "=cmd|' /C calc'!A0"

FIRST = [  # done by 30/09/2025
    ("I.2.1", "vhxh", "20/07/2025", "Quyết định số 75/QĐ-UBND ngày 20/07/2025", None),
    ("I.2.2", "vhxh", "15/08/2025", "Kế hoạch số 90/KH-UBND ngày 15/08/2025", None),
    ("III.2.1", "tthcc", "10/09/2025", EVIL, None),
    ("VI.2.1", "kt", "05/09/2025", "Báo cáo số 12/BC-UBND ngày 05/09/2025", None),
    ("II.2.1", "vp", "25/09/2025", "Báo cáo quý III", "Q3"),
]
LATER = [
    ("VI.2.2", "kt", "20/10/2025", "Công văn số 30/UBND ngày 20/10/2025", None),
    ("II.2.2", "vp", "01/12/2025", "Quyết định số 120/QĐ-UBND ngày 01/12/2025", None),
]


def complete(cli: Cli, rows: list[tuple[str, str, str, str, str | None]], today: str) -> None:
    for code, user, on, evidence, period in rows:
        args = ["--as-of", today, "done", code, "--evidence", evidence, "--on", on]
        if period:
            args += ["--period", period]
        cli.ok(*args, user=user)


def report_json(cli: Cli, *args: str) -> dict:  # type: ignore[type-arg]
    return cli.ok("report", *args, "--format", "json").json


@pytest.fixture
def worked(kylac: Cli) -> Cli:
    complete(kylac, FIRST, "30/09/2025")
    complete(kylac, LATER, "14/12/2025")
    return kylac


def figures(data: dict) -> tuple:  # type: ignore[type-arg]
    keys = ("total", "done", "on_time", "late", "in_progress", "not_started", "overdue")
    return tuple(data[k] for k in keys)


def test_three_as_of_dates(worked: Cli) -> None:
    july = report_json(worked, "--as-of", "31/07/2025")
    assert figures(july) == (35, 1, 1, 0, 0, 34, 0)
    assert (july["percent"], july["percent_text"]) == (2.9, "2,9%")
    assert july["summary"].startswith("Hoàn thành 1/35 nhiệm vụ, đạt 2,9%.")

    sept = report_json(worked, "--as-of", "30/09/2025")
    assert figures(sept) == (35, 4, 2, 2, 1, 30, 0)
    assert (sept["percent"], sept["percent_text"]) == (11.4, "11,4%")
    depts = {d["key"]: d for d in sept["by_department"]}
    assert (depts["VHXH"]["total"], depts["VHXH"]["done"], depts["VHXH"]["late"]) == (16, 2, 1)
    assert (depts["KT"]["total"], depts["KT"]["done"]) == (13, 1)
    assert depts["KT"]["name"] == "Phòng Kinh tế"
    sections = {s["key"]: s for s in sept["by_section"]}
    assert (sections["I"]["total"], sections["I"]["done"]) == (7, 2)
    assert (sections["III"]["done"], sections["VI"]["done"]) == (1, 1)
    ii = next(t for t in sept["tasks"] if t["code"] == "II.2.1")
    assert (ii["state"], ii["occurrences"]) == ("in_progress", [1, 2])

    year = report_json(worked, "--period", "2025")
    assert year["as_of"] == "2025-12-14"
    assert year["period"]["key"] == "2025" and year["period"]["start"] == "2024-12-15"
    assert figures(year) == (35, 6, 4, 2, 1, 28, 14)
    assert (year["percent"], year["percent_text"], year["done_in_period"]) == (17.1, "17,1%", 6)
    overdue_codes = {e["code"] for e in year["overdue_items"]}
    assert len(overdue_codes) == 14 and "I.2.5" in overdue_codes
    i25 = next(e for e in year["overdue_items"] if e["code"] == "I.2.5")
    # due Tue 30/09/2025; 14/12/2025 (a Sunday) is 1 + 31 + 30 + 13 = 75 days later; working
    # days: October 23 (Wed 1st…), November 20, 1–12 December 10 = 53 (no holiday between).
    assert (i25["due"], i25["days"], i25["working_days"]) == ("2025-09-30", 75, 53)
    assert year["ad_hoc"]["total"] == 0 and year["cancelled"] == []


def test_as_of_report_equals_the_state_of_that_day(kylac: Cli) -> None:
    complete(kylac, FIRST, "30/09/2025")
    then = report_json(kylac, "--as-of", "30/09/2025")  # nothing recorded after it yet
    live = kylac.ok("--as-of", "30/09/2025", "report", "--format", "json").json  # stored rows
    complete(kylac, LATER, "14/12/2025")
    kylac.ok("--as-of", "14/12/2025", "reopen", "I.2.1", "--reason", "bổ sung", user="vhxh")
    later = report_json(kylac, "--as-of", "30/09/2025")  # replayed after the changes
    assert live["basis"] == "state" and later["basis"] == "events"
    for data in (then, live, later):
        data.pop("basis")
    assert later == then == live
    now = report_json(kylac, "--as-of", "14/12/2025")
    assert (now["done"], now["on_time"]) == (5, 3)  # I.2.1 reopened on 14/12


def test_bad_period_is_a_usage_error(kylac: Cli) -> None:
    result = kylac("report", "--period", "Q5/2025")
    assert result.code == 2 and "--period" in result.err and "6T-cuoi/2025" in result.err


def test_q3_period_ends_at_the_cutoff(worked: Cli) -> None:
    q3 = report_json(worked, "--period", "Q3/2025")
    assert (q3["as_of"], q3["period"]["start"]) == ("2025-09-14", "2025-06-15")
    # Done by 14/09: I.2.1, I.2.2, III.2.1, VI.2.1; all four within 15/06–14/09.
    assert (q3["done"], q3["done_in_period"], q3["percent_text"]) == (4, 4, "11,4%")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PLANFLOW_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with PLANFLOW_UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8")


def test_golden_text_and_markdown(worked: Cli) -> None:
    text = worked.ok("report", "--as-of", "30/09/2025").out
    assert "Hoàn thành 4/35 nhiệm vụ, đạt 11,4%. Trong đó: đúng hạn 2, quá hạn 2;" in text
    _golden("report_kylac.txt", text)
    md = worked.ok("report", "--as-of", "30/09/2025", "--format", "md").out
    _golden("report_kylac.md", md)


def test_docx_is_the_appendix(worked: Cli, tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    out = tmp_path / "phu-luc-1b.docx"
    worked.ok("report", "--as-of", "30/09/2025", "--format", "docx", "-o", str(out))
    doc = Document(str(out))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert abs(section.left_margin - Mm(30)) < Mm(1) and abs(section.right_margin - Mm(15)) < Mm(1)
    texts = [p.text for p in doc.paragraphs]
    assert "PHỤ LỤC 1B" in texts
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH" in texts
    assert "(Tính đến ngày 30/09/2025)" in texts
    assert any(t.startswith("Hoàn thành 4/35 nhiệm vụ, đạt 11,4%.") for t in texts)
    header = doc.tables[0].rows[0].cells
    assert [p.text for p in header[0].paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN", "XÃ KỲ LẠC", "Số:      /BC-UBND"
    ]  # fmt: skip
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Kỳ Lạc, ngày 30 tháng 9 năm 2025" in header[1].text  # Nghị định 30: "tháng 9"
    # The motto is ruled (a short paragraph border under it), no longer underlined text.
    motto = [r for p in header[1].paragraphs for r in p.runs if "Độc lập" in r.text]
    assert motto and motto[0].bold and not motto[0].underline
    assert header[1]._tc.xml.count("<w:pBdr>") == 1
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")
    assert [c.text for c in table.rows[0].cells] == [
        "TT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Trạng thái", "Ngày hoàn thành",
        "Đúng hạn/Quá hạn", "Văn bản chứng minh",
    ]  # fmt: skip
    rows = {r.cells[1].text.split(" ")[0]: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["I.2.2"][4:8] == ["Hoàn thành", "15/08/2025", "Quá hạn",
                                  "Kế hoạch số 90/KH-UBND ngày 15/08/2025"]  # fmt: skip
    assert rows["I.2.1"][6] == "Đúng hạn"
    assert len(table.rows) == 1 + 35 + 7  # header, tasks, one row per section I–VII
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text}
    assert fonts == {"Times New Roman"}


def test_xlsx_keeps_formulas_as_text(worked: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "phu-luc-1b.xlsx"
    worked.ok("report", "--as-of", "30/09/2025", "--format", "xlsx", "-o", str(out))
    ws = load_workbook(out).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][0].startswith("Hoàn thành 4/35 nhiệm vụ, đạt 11,4%.")
    row = next(r for r in values if isinstance(r[1], str) and r[1].startswith("III.2.1 "))
    assert row[8] == EVIL  # column I: a due-date column follows the deadline
    cell = next(c for r in ws.iter_rows() for c in r if c.value == EVIL)
    assert cell.data_type == "s"
    done = [r for r in values if r[5] == "Hoàn thành"]
    assert len(done) == 4


def test_xlsx_summary_puts_each_blocks_total_under_it(worked: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "phu-luc-1b.xlsx"
    worked.ok("report", "--as-of", "30/09/2025", "--format", "xlsx", "-o", str(out))
    rows = [[c.value for c in row] for row in load_workbook(out)["Tổng hợp"].iter_rows()]
    blocks: list[list[list[object]]] = [[]]
    for row in rows:
        if row[0] is None:
            blocks.append([])
        else:
            blocks[-1].append(row)
    sections, departments = (b for b in blocks if b)
    # 30/09/2025: 4/35 done, 11,4% (a percentage cell: 0.114); I.2.1 and VI.2.1 on time,
    # I.2.2 and III.2.1 late
    assert sections[-1][:6] == ["Tổng", 35, 4, 0.114, 2, 2]
    assert sum(r[1] for r in sections[1:-1]) == 35  # type: ignore[misc]
    assert [r[0] for r in sections[1:-1]][0].startswith("I. ")  # type: ignore[union-attr]
    assert departments[-1][:6] == ["Tổng (mỗi nhiệm vụ tính một lần)", 35, 4, 0.114, 2, 2]
    assert departments[-2][0] == "(Chưa xác định chủ trì)"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.svgs: list[str] = []
        self.text: list[str] = []
        self.scripts = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg":
            self.svgs.append(a.get("class") or "")
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if a.get(key):
                self.links.append(a[key] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained(worked: Cli) -> None:
    html = worked.ok("report", "--period", "2025", "--format", "html").out
    page = _Page()
    page.feed(html)
    body = " ".join(page.text)
    assert "Hoàn thành 6/35 nhiệm vụ, đạt 17,1%." in body
    assert page.svgs.count("chart-section") == 7  # sections I–VII
    assert page.svgs.count("chart-dept") >= 4
    assert page.scripts == 0 and page.links == []
    assert 'name="viewport"' in html and "@page" in html
    assert "75" in body and "I.2.5" in body  # the overdue list with its days


def test_snapshots_take_list_diff(kylac: Cli) -> None:
    complete(kylac, FIRST, "30/09/2025")
    first = kylac.ok("--as-of", "30/09/2025", "snapshot", "take", "--label", "Quý III",
                     "--json").json  # fmt: skip
    complete(kylac, LATER, "14/12/2025")
    second = kylac.ok("--as-of", "14/12/2025", "snapshot", "take", "--json").json
    assert (first["done"], first["percent_text"]) == (4, "11,4%")
    assert (second["done"], second["percent_text"]) == (6, "17,1%")
    listed = kylac.ok("snapshot", "list", "--json").json
    assert [s["id"] for s in listed] == [first["id"], second["id"]]
    assert listed[0]["label"] == "Quý III"

    # Immutable: the stored figures stay those of 30/09 after later changes.
    shown = kylac.ok("snapshot", "show", str(first["id"]), "--format", "json").json
    assert (shown["as_of"], shown["done"]) == ("2025-09-30", 4)
    text = kylac.ok("snapshot", "show", str(first["id"])).out
    assert "Hoàn thành 4/35 nhiệm vụ, đạt 11,4%." in text

    diff = kylac.ok("snapshot", "diff", str(first["id"]), str(second["id"]), "--json").json
    assert {t["code"] for t in diff["completed"]} == {"VI.2.2", "II.2.2"}
    assert len(diff["new_overdue"]) == 14
    depts = {d["code"]: d for d in diff["departments"]}
    # KT: VI.2.2 done; new overdue I.2.4, III.2.2, III.2.3, III.2.5–III.2.9 (8 tasks).
    assert depts["KT"]["text"] == "Phòng Kinh tế: +1 hoàn thành, 8 quá hạn mới"
    # VP: II.2.2 done; new overdue I.2.4, II.2.3, III.2.10 (3 tasks; it only partners
    # III.2.2, III.2.3, III.2.5–III.2.9).
    assert (depts["VP"]["completed"], depts["VP"]["new_overdue"]) == (1, 3)
    plain = kylac.ok("snapshot", "diff", str(first["id"]), str(second["id"])).out
    assert "Phòng Kinh tế: +1 hoàn thành, 8 quá hạn mới" in plain
    # Days overdue are working days, labelled so: I.2.5 (due 30/09) is 53 on 14/12 (see
    # test_three_as_of_dates for the count).
    i25 = next(t for t in diff["new_overdue"] if t["code"] == "I.2.5")
    assert i25["days"] == 53
    assert any(ln.startswith("  I.2.5 ") and ln.endswith("(53 ngày làm việc)") for ln in
               plain.splitlines())  # fmt: skip


def test_days_overdue_are_working_days_in_every_format(worked: Cli) -> None:
    # I.2.5, due Tue 30/09/2025, open on Sun 14/12/2025: 75 calendar, 53 working days.
    md = worked.ok("report", "--as-of", "14/12/2025", "--format", "md").out
    row = next(ln for ln in md.splitlines() if re.match(r"\| \d+ \| I\.2\.5 ", ln))  # appendix
    assert row.split(" | ")[-2] == "Quá hạn 53 ngày làm việc"
    assert "| Ngày lịch | Ngày làm việc |" in md
    listed = worked.ok("--as-of", "14/12/2025", "tasks", "--overdue").out
    assert "(ngày làm việc)" in listed  # the column's header names the unit
    i25 = next(ln for ln in listed.splitlines() if " I.2.5 " in ln)
    assert i25.rstrip(" │┃").rsplit("│", 1)[-1].strip() == "53"
    shown = worked.ok("--as-of", "14/12/2025", "task", "show", "I.2.5").out
    assert "quá hạn 53 ngày làm việc" in shown
    en = worked.ok("--lang", "en", "report", "--as-of", "14/12/2025", "--format", "md").out
    assert "Overdue 53 working days" in en and "| Calendar days | Working days |" in en


def test_binary_formats_need_an_output_file(kylac: Cli) -> None:
    result = kylac("report", "--format", "docx")
    assert result.code == 2 and "-o" in result.err


def test_json_has_every_documented_key(kylac: Cli) -> None:
    data = report_json(kylac, "--as-of", "30/09/2025")
    for key in ("total", "done", "percent", "percent_text", "on_time", "late", "in_progress",
                "not_started", "overdue", "by_section", "by_department", "as_of", "period",
                "ad_hoc", "cancelled", "overdue_items"):  # fmt: skip
        assert key in data, key
    json.dumps(data)


def _with_report_settings(kylac: Cli, tmp_path: Path, settings: str) -> Path:
    path = tmp_path / "ky-lac-2025.yaml"
    text = KYLAC_PLAN.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  coordinator: VHXH\n", f"  coordinator: VHXH\n  report:\n{settings}", 1),
        encoding="utf-8",
    )
    return path


def test_rounding_and_decimals_are_unit_settings(kylac: Cli, tmp_path: Path) -> None:
    complete(kylac, FIRST[:1], "31/07/2025")
    # 1/35 = 2.857…%: half-up (the default) says 2,9%; truncated at two decimals 2,85%
    assert report_json(kylac, "--as-of", "31/07/2025")["percent_text"] == "2,9%"
    plan = _with_report_settings(kylac, tmp_path, "    rounding: truncate\n    precision: 2\n")
    kylac.ok("plan", "import", str(plan))
    assert report_json(kylac, "--as-of", "31/07/2025")["percent_text"] == "2,85%"
    plan = _with_report_settings(kylac, tmp_path, "    rounding: truncate\n")
    kylac.ok("plan", "import", str(plan))
    assert report_json(kylac, "--as-of", "31/07/2025")["percent_text"] == "2,8%"
    kylac.ok("plan", "import", str(KYLAC_PLAN))  # the setting left out: back to the default
    assert report_json(kylac, "--as-of", "31/07/2025")["percent_text"] == "2,9%"


def test_a_bad_rounding_setting_names_its_place(kylac: Cli, tmp_path: Path) -> None:
    plan = _with_report_settings(kylac, tmp_path, "    rounding: nearest\n")
    bad = kylac("plan", "import", str(plan))
    assert bad.code != 0 and "Traceback" not in bad.err
    assert "unit.report.rounding" in bad.err and "half_up" in bad.err and "truncate" in bad.err
    plan = _with_report_settings(kylac, tmp_path, "    precision: 7\n")
    bad = kylac("plan", "import", str(plan))
    assert bad.code != 0 and "unit.report.precision" in bad.err
