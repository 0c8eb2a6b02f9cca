"""The appendix table (Phụ lục 1B) as plain rows, shared by every renderer, so the Word,
Excel, HTML, Markdown and text tables can never disagree."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planflow.engine.items import counts_label
from planflow.engine.progress import TaskRow, format_percent
from planflow.i18n import fmt_date

if TYPE_CHECKING:
    from planflow.engine.progress import Figures
    from planflow.services.reports import Report

STATE_VI = {"done": "Hoàn thành", "in_progress": "Đang thực hiện",
            "not_started": "Chưa thực hiện", "cancelled": "Đã hủy"}  # fmt: skip
STATE_EN = {"done": "Done", "in_progress": "In progress", "not_started": "Not started",
            "cancelled": "Cancelled"}  # fmt: skip


def t(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def headers(lang: str = "vi") -> list[str]:
    if lang == "en":
        return ["No.", "Task", "Lead", "Deadline", "Status", "Completed on", "On time/Late",
                "Evidence"]  # fmt: skip
    return ["TT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Trạng thái", "Ngày hoàn thành",
            "Đúng hạn/Quá hạn", "Văn bản chứng minh"]  # fmt: skip


@dataclass(frozen=True)
class Row:
    """A section heading (`section=True`, text in `cells[1]`) or a task's eight cells."""

    cells: tuple[str, ...]
    section: bool = False
    overdue: bool = False


def state_text(row: TaskRow, lang: str) -> str:
    text = (STATE_EN if lang == "en" else STATE_VI)[row.state]
    counts = counts_label(row.occurrences, row.parts, lang)
    return f"{text} ({counts})" if counts else text


def timeliness(row: TaskRow, lang: str) -> str:
    if row.state == "done":
        return t(lang, "Đúng hạn", "On time") if row.on_time else t(lang, "Quá hạn", "Late")
    if row.overdue_days:
        days = row.overdue_working_days or 0
        return t(lang, f"Quá hạn {days} ngày làm việc", f"Overdue {days} working days")
    return ""


def task_cells(report: Report, row: TaskRow, number: int, lang: str) -> tuple[str, ...]:
    leads = ", ".join(report.department(code) for code in row.leads)
    deadline = row.deadline_text or fmt_date(row.due)
    if row.deadline_text and row.due:
        deadline = f"{row.deadline_text} ({fmt_date(row.due)})"
    return (
        str(number), f"{row.code} {row.text}".strip(), leads, deadline, state_text(row, lang),
        fmt_date(row.completed_on), timeliness(row, lang), row.evidence,
    )  # fmt: skip


def table_rows(report: Report, lang: str = "vi") -> Iterator[Row]:
    """Section rows, each followed by its tasks; then the province's ad-hoc tasks."""
    p = report.progress
    number = 0
    current: str | None = None
    adhoc = [r for r in p.rows if r.source == "ad_hoc"]
    for row in (r for r in p.rows if r.source != "ad_hoc"):
        if row.section != current:
            current = row.section
            yield Row(("", f"{row.section}. {row.section_title}".strip(" ."), *[""] * 6), True)
        number += 1
        yield Row(task_cells(report, row, number, lang), overdue=bool(row.overdue_days))
    if adhoc:
        yield Row(("", t(lang, "Nhiệm vụ UBND tỉnh giao", "Tasks assigned by the province"),
                   *[""] * 6), True)  # fmt: skip
        for row in adhoc:
            number += 1
            yield Row(task_cells(report, row, number, lang), overdue=bool(row.overdue_days))


def figure_headers(by: str, lang: str = "vi") -> list[str]:
    first = t(lang, "Lĩnh vực", "Section") if by == "section" else t(lang, "Phòng", "Department")
    if lang == "en":
        return [first, "Tasks", "Done", "Rate", "On time", "Late", "In progress", "Not started",
                "Overdue"]  # fmt: skip
    return [first, "Số NV", "Hoàn thành", "Tỷ lệ", "Đúng hạn", "Quá hạn", "Đang thực hiện",
            "Chưa thực hiện", "Quá hạn chưa HT"]  # fmt: skip


def figure_cells(name: str, f: Figures, precision: int, lang: str) -> list[str]:
    return [name, str(f.total), str(f.done), format_percent(f.percent, precision, lang),
            str(f.on_time), str(f.late), str(f.in_progress), str(f.not_started),
            str(f.overdue)]  # fmt: skip


def groups(report: Report, by: str | None = None, lang: str = "vi") -> list[tuple[str, Figures]]:
    """(name, figures) per section or per lead department, as `--by` asks."""
    p = report.progress
    if (by or report.by) == "dept":
        nobody = t(lang, "(Chưa xác định chủ trì)", "(No lead yet)")
        return [(g.title or g.key or nobody, g.figures) for g in p.by_department]
    return [(f"{g.key}. {g.title}".strip(" ."), g.figures) for g in p.by_section]


def title_line(report: Report, lang: str = "vi") -> str:
    when = fmt_date(report.as_of)
    if report.period is not None:
        return t(
            lang,
            f"{report.unit_name} — Kế hoạch CCHC năm {report.plan_year} — "
            f"{report.period.label_vi} (tính đến ngày {when})",
            f"{report.unit_name} — CCHC plan {report.plan_year} — "
            f"{report.period.label_en} (as of {when})",
        )
    return t(
        lang,
        f"{report.unit_name} — Kế hoạch CCHC năm {report.plan_year} — tính đến ngày {when}",
        f"{report.unit_name} — CCHC plan {report.plan_year} — as of {when}",
    )


def leads_text(report: Report, codes: tuple[str, ...]) -> str:
    return ", ".join(report.department(c) for c in codes)


def failed_mail_title(lang: str = "vi") -> str:
    return t(lang, "Thư nhắc chưa gửi được", "Reminders not delivered")


def failed_mail_headers(lang: str = "vi") -> list[str]:
    if lang == "en":
        return ["Recipient", "Subject", "Attempts", "Last error", "Day"]
    return ["Người nhận", "Tiêu đề", "Số lần gửi", "Lỗi gần nhất", "Ngày"]


def failed_mail_rows(report: Report) -> list[list[str]]:
    """One row per undelivered reminder (services.reports.failed_mail)."""
    return [[m.recipient, m.subject, str(m.attempts), m.last_error, fmt_date(m.day)]
            for m in report.failed_mail]  # fmt: skip
