"""`planflow report --all-units` end to end: five units built through the real CLI.

Every unit's plan (tests/unitplans.py) has tasks I.2.1 … I.2.n, all due 30/06/2025, lead VP.
Completions, recorded with `done --on` ("on time" = 20/06/2025, "late" = 15/07/2025):

    unit  tasks  on time        late          open        as of 31/12/2025
    a-xa  5      I.2.1–I.2.3    I.2.4         I.2.5       4/5 = 80%; on time 3/5 = 60%; overdue 1
    b-xa  5      I.2.1–I.2.4    —             I.2.5       4/5 = 80%; on time 4/5 = 80%; overdue 1
    c-xa  6      I.2.1–I.2.3    —             I.2.4–I.2.6 3/6 = 50%; on time 3/6 = 50%; overdue 3
    d-xa  5      I.2.1–I.2.3    I.2.4, I.2.5  —           5/5 = 100%; on time 3/5 = 60%
    e-xa  no plan (added with `unit add` only): listed, not ranked

Completion ranks (standard competition): d 1; a, b 2 and 2; c 4 (of 4 ranked communes).
On-time ranks: b 1; a, d 2 and 2; c 4.
Province: 21 tasks, 16 done → 76.19…% shown "76,2%" (half-up; truncation would say 76,1%);
13 on time → 61.90…% "61,9%"; late 1 + 2 = 3; overdue and open 1 + 1 + 3 = 5.

As of 10/07/2025 (replayed from the event log) the late completions of 15/07 had not happened:
a 3/5 = 60%, b 4/5 = 80%, c 3/6 = 50%, d 3/5 = 60%; completion ranks b 1, a and d 2, c 4;
13/21 done = 61,9%; overdue open 2 + 1 + 3 + 2 = 8.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from unitplans import write_plan

from tests.conftest import Cli

ON_TIME, LATE = "20/06/2025", "15/07/2025"
UNITS = {  # code: (name, tasks, on-time task numbers, late task numbers)
    "a-xa": ("UBND xã An Lạc", 5, (1, 2, 3), (4,)),
    "b-xa": ("UBND xã Bình Minh", 5, (1, 2, 3, 4), ()),
    "c-xa": ("UBND xã Cẩm Hưng", 6, (1, 2, 3), ()),
    "d-xa": ("UBND xã Đức Thủy", 5, (1, 2, 3), (4, 5)),
}
BAR = "━"  # rich's bar glyph


@pytest.fixture
def province(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("init")
    cli.ok("unit", "add", "e-xa", "--name", "UBND xã Ê Đê", "--province", "Hà Tĩnh")
    for code, (name, tasks, on_time, late) in UNITS.items():
        if code != "d-xa":  # d-xa is created by its plan import alone
            cli.ok("unit", "add", code, "--name", name, "--province", "Hà Tĩnh")
        plan = write_plan(tmp_path, code, name, tasks)
        cli.ok("--as-of", "01/03/2025", "plan", "import", str(plan), "--unit", code)
        for numbers, on in ((on_time, ON_TIME), (late, LATE)):
            for n in numbers:
                cli.ok("--as-of", "31/12/2025", "done", f"I.2.{n}", "--unit", code, "--on", on,
                       user=f"{code}-vp")  # fmt: skip
    return cli


def _lines(data: dict) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {
        u["code"]: (u["total"], u["done"], u["on_time"], u["late"], u["overdue"],
                    u["percent_text"], u["on_time_percent_text"], u["completion_rank"],
                    u["on_time_rank"])
        for u in data["units"]
    }  # fmt: skip


def test_rollup_figures_ranks_and_formats(province: Cli, tmp_path: Path) -> None:
    cli = province
    data = cli.ok("--as-of", "31/12/2025", "report", "--all-units", "--format", "json").json
    assert data["basis"] == "state"
    assert _lines(data) == {
        "a-xa": (5, 4, 3, 1, 1, "80%", "60%", 2, 2),
        "b-xa": (5, 4, 4, 0, 1, "80%", "80%", 2, 1),
        "c-xa": (6, 3, 3, 0, 3, "50%", "50%", 4, 4),
        "d-xa": (5, 5, 3, 2, 0, "100%", "60%", 1, 2),
        "e-xa": (0, 0, 0, 0, 0, "0%", "0%", None, None),
    }
    assert [u["code"] for u in data["units"]] == ["d-xa", "b-xa", "a-xa", "c-xa", "e-xa"]
    t = data["totals"]
    assert (t["units"], t["ranked"], t["total"], t["done"], t["on_time"]) == (5, 4, 21, 16, 13)
    assert (t["late"], t["overdue"], t["percent_text"], t["on_time_percent_text"]) == (
        3, 5, "76,2%", "61,9%")  # fmt: skip
    assert t["summary"].startswith("Toàn tỉnh: hoàn thành 16/21 nhiệm vụ, đạt 76,2%")
    a = next(u for u in data["units"] if u["code"] == "a-xa")
    assert a["completion_rank_text"] == "xếp thứ 2/4 xã"

    # Each unit's line equals the X/Y of its own report.
    for code in UNITS:
        own = cli.ok("--as-of", "31/12/2025", "report", "--unit", code, "--format", "json").json
        line = next(u for u in data["units"] if u["code"] == code)
        assert (own["total"], own["done"], own["on_time"], own["percent_text"]) == (
            line["total"], line["done"], line["on_time"], line["percent_text"])  # fmt: skip

    # The same day replayed from the event log gives the same figures.
    replayed = cli.ok("report", "--all-units", "--as-of", "31/12/2025", "--format", "json").json
    assert replayed["basis"] == "events"
    assert _lines(replayed) == _lines(data)

    # Before the late completions of 15/07/2025.
    early = cli.ok("report", "--all-units", "--as-of", "10/07/2025", "--format", "json").json
    got = {k: (v[1], v[5], v[7]) for k, v in _lines(early).items()}
    assert got == {"a-xa": (3, "60%", 2), "b-xa": (4, "80%", 1), "c-xa": (3, "50%", 4),
                   "d-xa": (3, "60%", 2), "e-xa": (0, "0%", None)}  # fmt: skip
    assert (early["totals"]["done"], early["totals"]["percent_text"]) == (13, "61,9%")
    assert early["totals"]["overdue"] == 8

    # Period Q3/2025 runs 15/06–14/09/2025 (data cut-off): every completion (20/06, 15/07)
    # falls inside it, so done within the period equals done.
    q3 = cli.ok("report", "--all-units", "--period", "Q3/2025", "--format", "json").json
    assert (q3["as_of"], q3["period"]["start"]) == ("2025-09-14", "2025-06-15")
    assert {u["code"]: (u["done"], u["done_in_period"]) for u in q3["units"]} == {
        "a-xa": (4, 4), "b-xa": (4, 4), "c-xa": (3, 3), "d-xa": (5, 5), "e-xa": (0, 0)}  # fmt: skip

    # Text, Vietnamese and English; quiet when not a terminal (no bar, nothing on stderr).
    text = cli.ok("--as-of", "31/12/2025", "report", "--all-units")
    assert "Toàn tỉnh: hoàn thành 16/21 nhiệm vụ, đạt 76,2%; đúng hạn 13 nhiệm vụ, đạt 61,9%" in (
        text.out)  # fmt: skip
    a_line = next(line for line in text.out.splitlines() if " a-xa " in line)
    assert "xếp thứ 2/4 xã" in a_line and "80%" in a_line
    assert BAR not in text.out + text.err and text.err == ""
    en = cli.ok("--lang", "en", "--as-of", "31/12/2025", "report", "--all-units").out
    assert "Province total: completed 16/21 tasks (76.2%)" in en
    assert "ranked 2 of 4" in en

    md = cli.ok("--as-of", "31/12/2025", "report", "--all-units", "--format", "md").out
    assert "| 1 | d-xa | UBND xã Đức Thủy | 5 | 5 | 3 | 2 | 0 | 100% | xếp thứ 1/4 xã | 60% |" in md

    html = cli.ok("--as-of", "31/12/2025", "report", "--all-units", "--format", "html").out
    assert 'id="totals">Toàn tỉnh: hoàn thành 16/21' in html
    assert '<tr class="unranked"><td>—</td><td>e-xa</td>' in html

    from docx import Document
    from openpyxl import load_workbook

    xlsx, docx = tmp_path / "tinh.xlsx", tmp_path / "tinh.docx"
    cli.ok("--as-of", "31/12/2025", "report", "--all-units", "--format", "xlsx", "-o", str(xlsx))
    ws = load_workbook(xlsx).active
    assert [ws.cell(5, c).value for c in range(1, 10)] == [1, "d-xa", "UBND xã Đức Thủy", 5, 5,
                                                          3, 2, 0, 1]  # fmt: skip
    assert ws.cell(5, 9).number_format == "0.0%"  # 100% as a percentage cell
    assert ws.cell(7, 2).value == "a-xa" and ws.cell(7, 1).value == 2
    cli.ok("--as-of", "31/12/2025", "report", "--all-units", "--format", "docx", "-o", str(docx))
    letterhead = Document(str(docx)).tables[0].rows[0].cells[0].text
    assert "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH" in letterhead  # the units' one province
    table = Document(str(docx)).tables[1]
    assert [c.text for c in table.rows[4].cells][:3] == ["4", "c-xa", "UBND xã Cẩm Hưng"]
    # The total row closes the table: 16/21 done, 76,2%.
    assert [c.text for c in table.rows[-1].cells][3:5] == ["21", "16"]
    assert table.rows[-1].cells[8].text == "76,2%"
    assert any("76,2%" in p.text for p in Document(str(docx)).paragraphs)

    bad = cli("report", "--all-units", "--unit", "a-xa")
    assert bad.code != 0 and "--all-units" in bad.err and "Traceback" not in bad.err


def _run_on_pty(cli: Cli, *args: str) -> tuple[str, str]:
    """Run planflow with stderr on a pseudo-terminal and stdout on a pipe; (stdout, tty)."""
    master, slave = pty.openpty()
    env = {**cli.env, "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "planflow", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cli.home,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=60)  # also closes the pipe
    os.close(master)
    assert proc.returncode == 0, seen.decode(errors="replace")
    return out.decode(), seen.decode(errors="replace")


def test_progress_bar_only_on_a_terminal(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    for code, name in (("x1", "UBND xã Một"), ("x2", "UBND xã Hai"), ("x3", "UBND xã Ba")):
        cli.ok("plan", "import", str(write_plan(tmp_path, code, name, 2)), "--unit", code)
    # A terminal on stderr: the bar is drawn there; stdout still holds only the report.
    out, tty = _run_on_pty(cli, "report", "--all-units")
    assert BAR in tty and "3/3" in tty
    assert "Toàn tỉnh: hoàn thành 0/6 nhiệm vụ" in out and BAR not in out
    # JSON mode stays quiet even at a terminal.
    out, tty = _run_on_pty(cli, "report", "--all-units", "--format", "json")
    assert BAR not in tty and BAR not in out
    # Not a terminal (pipes): quiet.
    piped = cli.ok("report", "--all-units")
    assert BAR not in piped.out + piped.err
