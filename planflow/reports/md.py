"""Markdown: the same report for a wiki, an e-mail or a chat message."""

from __future__ import annotations

import html
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


def _text(text: str) -> str:
    """User text as Markdown shows it and never runs it: raw HTML (<script>, <img onerror>)
    is escaped, since most Markdown renderers pass HTML through."""
    return html.escape(text, quote=False)


def _cell(text: str) -> str:
    return _text(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |",
             "|" + "|".join("---" for _ in head) + "|"]  # fmt: skip
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render(report: Report, lang: str = "vi") -> str:
    from planflow.services.reports import summary_sentence

    p = report.progress
    lines = [f"# {_text(title_line(report, lang))}", "", _text(summary_sentence(report, lang)), ""]
    if report.period is not None:
        lines += [t(lang, f"Hoàn thành trong kỳ: {p.figures.done_in_period} nhiệm vụ.",
                    f"Completed in the period: {p.figures.done_in_period} tasks."), ""]  # fmt: skip
    for by in ("section", "dept") if report.by == "section" else ("dept", "section"):
        lines.append("## " + t(lang, "Theo lĩnh vực", "By section") if by == "section"
                     else "## " + t(lang, "Theo phòng chủ trì", "By lead department"))  # fmt: skip
        lines.append("")
        cells = [figure_cells(n, f, p.precision, lang) for n, f in groups(report, by, lang)]
        lines += _table(figure_headers(by, lang), cells)
        lines.append("")
    if p.overdue:
        lines += ["## " + t(lang, "Quá hạn chưa hoàn thành", "Overdue and not done"), ""]
        lines += _table(
            [t(lang, "Mã", "Code"), t(lang, "Nhiệm vụ", "Task"), t(lang, "Kỳ/phần", "Part"),
             t(lang, "Chủ trì", "Lead"), t(lang, "Hạn", "Due"),
             t(lang, "Ngày lịch", "Calendar days"), t(lang, "Ngày làm việc", "Working days")],
            [[e.code, e.text, " ".join(x for x in (e.period, e.department) if x),
              leads_text(report, e.leads), fmt_date(e.due), str(e.days), str(e.working_days)]
             for e in p.overdue],
        )  # fmt: skip
        lines.append("")
    if report.failed_mail:
        lines += ["## " + failed_mail_title(lang), ""]
        lines += _table(failed_mail_headers(lang), failed_mail_rows(report))
        lines.append("")
    lines += ["## " + t(lang, "Phụ lục 1B", "Appendix 1B"), ""]
    body = []
    for row in table_rows(report, lang):
        if row.section:
            body.append(["", f"**{row.cells[1]}**", *[""] * 6])
        else:
            body.append(list(row.cells))
    lines += _table(headers(lang), body)
    if p.cancelled:
        lines += [
            "",
            t(lang, "Đã hủy (không tính vào tổng số): ", "Cancelled (not counted): ")
            + "; ".join(_text(f"{r.code} {r.cancel_reason}".strip()) for r in p.cancelled),
        ]
    return "\n".join(lines) + "\n"
