"""Terminal text: the summary sentence in the reports' own words, then rich tables."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from planflow.i18n import fmt_date
from planflow.reports.rows import (
    failed_mail_headers,
    failed_mail_rows,
    failed_mail_title,
    figure_cells,
    figure_headers,
    groups,
    headers,
    leads_text,
    t,
    table_rows,
    title_line,
)

if TYPE_CHECKING:
    from planflow.services.reports import Report

WIDTH = 160


def render(report: Report, lang: str = "vi") -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from planflow.services.reports import summary_sentence

    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False,
                      emoji=False, highlight=False)  # fmt: skip
    p = report.progress
    console.print(title_line(report, lang), markup=False)
    console.print(summary_sentence(report, lang), markup=False)
    if report.period is not None:
        console.print(
            t(lang, f"Hoàn thành trong kỳ ({fmt_date(report.period.start)}–"
                    f"{fmt_date(report.period.end)}): {p.figures.done_in_period} nhiệm vụ.",
              f"Completed in the period ({fmt_date(report.period.start)}–"
              f"{fmt_date(report.period.end)}): {p.figures.done_in_period} tasks."),
            markup=False,
        )  # fmt: skip

    for by in ("section", "dept") if report.by == "section" else ("dept", "section"):
        table = Table(box=box.SIMPLE_HEAD, title=None, show_edge=False)
        for n, head in enumerate(figure_headers(by, lang)):
            table.add_column(head, justify="left" if n == 0 else "right", overflow="fold")
        for name, figures in groups(report, by, lang):
            table.add_row(*figure_cells(name, figures, p.precision, lang))
        console.print()
        console.print(table)

    if p.overdue:
        console.print()
        console.print(t(lang, "Quá hạn chưa hoàn thành:", "Overdue and not done:"), markup=False)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for head in (t(lang, "Mã", "Code"), t(lang, "Nhiệm vụ", "Task"),
                     t(lang, "Kỳ/phần", "Period/part"), t(lang, "Chủ trì", "Lead"),
                     t(lang, "Hạn", "Due"), t(lang, "Ngày lịch", "Calendar days"),
                     t(lang, "Ngày làm việc", "Working days")):  # fmt: skip
            table.add_column(head, overflow="fold")
        for e in p.overdue:
            part = " ".join(x for x in (e.period, e.department) if x)
            table.add_row(e.code, e.text, part, leads_text(report, e.leads), fmt_date(e.due),
                          str(e.days), str(e.working_days))  # fmt: skip
        console.print(table)

    if report.failed_mail:
        console.print()
        console.print(failed_mail_title(lang) + ":", markup=False)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for head in failed_mail_headers(lang):
            table.add_column(head, overflow="fold")
        for cells in failed_mail_rows(report):
            table.add_row(*cells)
        console.print(table)

    console.print()
    console.print(t(lang, "Phụ lục 1B — kết quả thực hiện nhiệm vụ:",
                    "Appendix 1B — tasks and results:"), markup=False)  # fmt: skip
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    widths = (4, 48, 16, 22, 18, 11, 14, 24)
    for head, width in zip(headers(lang), widths, strict=True):
        table.add_column(head, max_width=width, overflow="fold")
    for row in table_rows(report, lang):
        if row.section:
            table.add_row("", row.cells[1], *[""] * 6, style="bold")
        else:
            table.add_row(*row.cells)
    console.print(table)
    if p.cancelled:
        console.print(t(lang, "Đã hủy (không tính vào tổng số): ",
                        "Cancelled (not counted): ")
                      + "; ".join(f"{r.code} {r.cancel_reason}".strip() for r in p.cancelled),
                      markup=False)  # fmt: skip
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
