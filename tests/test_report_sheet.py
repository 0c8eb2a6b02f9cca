"""`planflow report --format xlsx` end to end: the workbook a clerk prints and re-uses.

One unit (tests/unitplans.py): six tasks I.2.1 … I.2.6 in section I, all due 30/06/2025
("Ngày 30/06/2025", a Monday), lead VP. Completions, recorded with `done --on`:

    task   completed   evidence        timeliness
    I.2.1  20/06/2025  "=1+1"          on time
    I.2.2  20/06/2025  "@SUM(A1)"      on time
    I.2.3  20/06/2025  "0123"          on time
    I.2.4  15/07/2025  "30/06/2025"    late
    I.2.5, I.2.6 open (overdue as of 31/12/2025)

Rate as of 31/12/2025: 4/6 = 66.666…%: at one decimal half-up (the default) 66,7% → the
cell holds 0.667 shown "0.0%"; truncated 66,6% → 0.666; at no decimals half-up 67% → 0.67
shown "0%". Section I: 6 tasks, 4 done, 0 in progress, 2 not started.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from unitplans import plan_yaml

from tests.conftest import Cli

CODE, NAME = "x-xa", "UBND xã Xuân Thành"
DONE = [  # (task number, completed on, evidence)
    (1, "20/06/2025", "=1+1"),
    (2, "20/06/2025", "@SUM(A1)"),
    (3, "20/06/2025", "0123"),
    (4, "15/07/2025", "30/06/2025"),
]
AS_OF = "31/12/2025"


def write(tmp_path: Path, settings: str = "") -> Path:
    """The unit's plan, with `unit.report` settings when given."""
    text = plan_yaml(CODE, NAME, 6)
    if settings:
        text = text.replace("  coordinator: VP\n", f"  coordinator: VP\n  report:\n{settings}", 1)
    path = tmp_path / f"{CODE}-2025.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def unit(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("init")
    cli.ok("--as-of", "01/03/2025", "plan", "import", str(write(tmp_path)))
    for n, on, evidence in DONE:
        cli.ok("--as-of", AS_OF, "done", f"I.2.{n}", "--on", on, "--evidence", evidence,
               user=f"{CODE}-vp")  # fmt: skip
    return cli


def workbook(cli: Cli, tmp_path: Path, *args: str) -> Any:
    from openpyxl import load_workbook

    out = tmp_path / "bao-cao.xlsx"
    cli.ok("--as-of", AS_OF, *args, "report", "--format", "xlsx", "-o", str(out))
    return load_workbook(out)


def task_row(ws: Any, code: str) -> list[Any]:
    """The cells of task `code` on the Phụ lục sheet (column B starts with the code)."""
    return next(
        list(row)
        for row in ws.iter_rows()
        if isinstance(row[1].value, str) and row[1].value.startswith(f"{code} ")
    )


def named_row(ws: Any, name: str) -> list[Any]:
    """The cells of the summary row whose first cell is `name`."""
    return next(list(row) for row in ws.iter_rows() if row[0].value == name)


def test_sheets_are_named_with_their_diacritics(unit: Cli, tmp_path: Path) -> None:
    assert workbook(unit, tmp_path).sheetnames == ["Phụ lục 1B", "Tổng hợp"]
    assert workbook(unit, tmp_path, "--lang", "en").sheetnames == ["Appendix 1B", "Summary"]


def test_sheet_title_keeps_diacritics_and_drops_what_excel_refuses() -> None:
    from planflow.reports.sheet import sheet_title

    assert sheet_title("Thư chưa gửi được") == "Thư chưa gửi được"
    assert sheet_title("Quý III/2025: [tổng hợp]?*\\") == "Quý III-2025- -tổng hợp----"
    assert len(sheet_title("x" * 40)) == 31


def test_times_new_roman_everywhere(unit: Cli, tmp_path: Path) -> None:
    wb = workbook(unit, tmp_path)
    assert wb._named_styles["Normal"].font.name == "Times New Roman"
    for ws in wb.worksheets:
        fonts = {c.font.name for row in ws.iter_rows() for c in row}
        assert fonts == {"Times New Roman"}, ws.title
        assert ws["Z99"].font.name == "Times New Roman"  # a cell never written


def test_table_cells_have_borders_and_a_bold_shaded_header(unit: Cli, tmp_path: Path) -> None:
    ws = workbook(unit, tmp_path)["Phụ lục 1B"]
    # Row 4 is the header; then section I, then its six tasks: rows 4–11, columns A–I.
    assert [c.value for c in ws[4]][:5] == ["TT", "Nhiệm vụ", "Chủ trì", "Thời hạn",
                                           "Ngày đến hạn"]  # fmt: skip
    assert ws.max_row == 11
    assert [str(m) for m in ws.merged_cells.ranges if m.min_row > 3] == ["B5:I5"]  # section I
    for row in ws.iter_rows(min_row=4, max_row=11, max_col=9):
        for c in row:
            sides = [c.border.top, c.border.bottom]
            if c.row != 5 or c.column in (1, 2):  # inside the merged section row: no seams
                sides.append(c.border.left)
            if c.row != 5 or c.column in (1, 9):
                sides.append(c.border.right)
            assert all(s.style == "thin" for s in sides), c.coordinate
    head = ws["B4"]
    assert head.font.bold and head.fill.fill_type == "solid"
    assert head.fill.start_color.rgb.endswith("DDEBF7")
    assert ws["B6"].alignment.wrap_text and ws["B6"].alignment.vertical == "top"
    assert ws["A1"].border.left.style is None  # the title above the table is not boxed


def test_dates_are_date_cells(unit: Cli, tmp_path: Path) -> None:
    ws = workbook(unit, tmp_path)["Phụ lục 1B"]
    late, open_ = task_row(ws, "I.2.4"), task_row(ws, "I.2.5")
    completed, due = late[6], late[4]
    assert completed.value == datetime(2025, 7, 15) and completed.number_format == "dd/mm/yyyy"
    assert due.value == datetime(2025, 6, 30) and due.number_format == "dd/mm/yyyy"
    assert late[3].value == "Ngày 30/06/2025"  # the plan's own words stay in Thời hạn
    assert open_[6].value is None and open_[5].value == "Chưa thực hiện"


def test_user_text_stays_text(unit: Cli, tmp_path: Path) -> None:
    ws = workbook(unit, tmp_path)["Phụ lục 1B"]
    for code, _, evidence in ((f"I.2.{n}", on, ev) for n, on, ev in DONE):
        cell = task_row(ws, code)[8]
        assert (cell.value, cell.data_type) == (evidence, "s"), code
        assert cell.number_format == "@"


@pytest.mark.parametrize(
    ("settings", "value", "fmt"),
    [
        ("", 0.667, "0.0%"),  # 66.666…% half-up at one decimal: 66,7%
        ("    rounding: truncate\n", 0.666, "0.0%"),  # cut at one decimal: 66,6%
        ("    precision: 0\n", 0.67, "0%"),  # half-up at no decimals: 67%
    ],
)
def test_rates_are_unit_rounded_percentage_cells(
    unit: Cli, tmp_path: Path, settings: str, value: float, fmt: str
) -> None:
    if settings:
        unit.ok("--as-of", AS_OF, "plan", "import", str(write(tmp_path, settings)))
    ws = workbook(unit, tmp_path)["Tổng hợp"]
    section, total = named_row(ws, "I. CẢI CÁCH THỂ CHẾ"), named_row(ws, "Tổng")
    for row in (section, total):
        assert [c.value for c in row[1:3]] == [6, 4]
        assert row[3].value == pytest.approx(value, abs=1e-12)
        assert row[3].number_format == fmt and row[3].number_format.endswith("%")
    assert all(c.font.bold and c.border.bottom.style == "thin" for c in total[:9])


def test_every_sheet_prints_a4_landscape_fitted_to_width(unit: Cli, tmp_path: Path) -> None:
    wb = workbook(unit, tmp_path)
    for ws, titles in ((wb["Phụ lục 1B"], "$4:$4"), (wb["Tổng hợp"], "$1:$1")):
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == titles
        assert 0.3 <= ws.page_margins.left <= 1 and 0.3 <= ws.page_margins.top <= 1


def test_summary_has_a_bar_chart_of_its_own_cells(unit: Cli, tmp_path: Path) -> None:
    from openpyxl.chart import BarChart

    ws = workbook(unit, tmp_path)["Tổng hợp"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert isinstance(chart, BarChart) and chart.grouping == "stacked"
    # Done (C), in progress (G), not started (H) of section I (row 2), titled by row 1.
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == ["'Tổng hợp'!$C$2", "'Tổng hợp'!$G$2", "'Tổng hợp'!$H$2"]
    assert [ws[r.split("!")[1].replace("$", "")].value for r in refs] == [4, 0, 2]
    categories = chart.series[0].cat
    assert (categories.numRef or categories.strRef).f == "'Tổng hợp'!$A$2"
    assert chart.series[0].tx.strRef.f.replace("$", "") == "'Tổng hợp'!C1"  # "Hoàn thành"


def test_all_units_workbook_has_the_same_layout(unit: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "tinh.xlsx"
    unit.ok("--as-of", AS_OF, "report", "--all-units", "--format", "xlsx", "-o", str(out))
    wb = load_workbook(out)
    ws = wb.active
    assert ws.title == "Tổng hợp các xã"
    assert wb._named_styles["Normal"].font.name == "Times New Roman"
    assert ws.cell(5, 2).value == CODE
    rate, on_time = ws.cell(5, 9), ws.cell(5, 11)
    # Roll-ups compare units at one decimal, half-up: 4/6 → 66,7%; on time 3/6 → 50%
    assert (rate.value, rate.number_format) == (pytest.approx(0.667), "0.0%")
    assert on_time.value == pytest.approx(0.5)
    assert ws.cell(5, 3).border.left.style == "thin" and ws.cell(4, 1).font.bold
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
