"""HTML: one self-contained page the chairman opens on a phone or prints on A4.

Inline CSS and inline SVG only (no network, no JavaScript). The template's context is
`PageContext`; the environment has autoescape on and StrictUndefined, so a missing value
is an error, never an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planflow.i18n import fmt_date
from planflow.reports.rows import (
    Row,
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
    from planflow.engine.progress import Figures
    from planflow.services.reports import Report

TEMPLATES = Path(__file__).parent / "templates"
COLORS = {"on_time": "#2e7d32", "late": "#f9a825", "open": "#b0bec5", "overdue": "#c62828"}


@dataclass(frozen=True)
class Segment:
    kind: str  # on_time, late, open, overdue
    x: float  # 0–100 of the bar
    width: float
    count: int
    color: str


@dataclass(frozen=True)
class Chart:
    """One group's stacked bar: done on time / done late / open / overdue."""

    kind: str  # section or dept
    name: str
    done: int
    total: int
    percent_text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class OverdueLine:
    code: str
    text: str
    part: str
    lead: str
    due: str
    days: int
    working_days: int


@dataclass(frozen=True)
class PageContext:
    lang: str
    title: str
    summary: str
    period_line: str
    as_of: str
    section_charts: tuple[Chart, ...]
    dept_charts: tuple[Chart, ...]
    figure_headers_section: tuple[str, ...]
    figure_headers_dept: tuple[str, ...]
    section_rows: tuple[tuple[str, ...], ...]
    dept_rows: tuple[tuple[str, ...], ...]
    overdue: tuple[OverdueLine, ...]
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    cancelled: str
    failed_mail_title: str
    failed_mail_headers: tuple[str, ...]
    failed_mail: tuple[tuple[str, ...], ...]  # undelivered reminders (may be empty)
    labels: dict[str, str]
    colors: dict[str, str]


def _chart(kind: str, name: str, f: Figures, precision: int, lang: str) -> Chart:
    from planflow.engine.progress import format_percent

    counts = [("on_time", f.on_time), ("late", f.late),
              ("open", f.total - f.done - f.overdue), ("overdue", f.overdue)]  # fmt: skip
    segments, x = [], 0.0
    for key, count in counts:
        if count <= 0 or f.total == 0:
            continue
        width = 100 * count / f.total
        segments.append(Segment(key, round(x, 3), round(width, 3), count, COLORS[key]))
        x += width
    return Chart(kind, name, f.done, f.total, format_percent(f.percent, precision, lang),
                 tuple(segments))  # fmt: skip


def context(report: Report, lang: str = "vi") -> PageContext:
    from planflow.services.reports import summary_sentence

    p = report.progress
    period_line = ""
    if report.period is not None:
        period_line = t(
            lang,
            f"Kỳ báo cáo {report.period.label_vi}: từ {fmt_date(report.period.start)} đến "
            f"{fmt_date(report.period.end)}; hoàn thành trong kỳ {p.figures.done_in_period}.",
            f"Period {report.period.label_en}: {fmt_date(report.period.start)} to "
            f"{fmt_date(report.period.end)}; completed in the period {p.figures.done_in_period}.",
        )
    sections = groups(report, "section", lang)
    depts = groups(report, "dept", lang)
    return PageContext(
        lang=lang,
        title=title_line(report, lang),
        summary=summary_sentence(report, lang),
        period_line=period_line,
        as_of=fmt_date(report.as_of),
        section_charts=tuple(_chart("section", n, f, p.precision, lang) for n, f in sections),
        dept_charts=tuple(_chart("dept", n, f, p.precision, lang) for n, f in depts),
        figure_headers_section=tuple(figure_headers("section", lang)),
        figure_headers_dept=tuple(figure_headers("dept", lang)),
        section_rows=tuple(tuple(figure_cells(n, f, p.precision, lang)) for n, f in sections),
        dept_rows=tuple(tuple(figure_cells(n, f, p.precision, lang)) for n, f in depts),
        overdue=tuple(
            OverdueLine(
                e.code,
                e.text,
                " ".join(x for x in (e.period, e.department) if x),
                leads_text(report, e.leads),
                fmt_date(e.due),
                e.days,
                e.working_days,
            )
            for e in p.overdue
        ),  # fmt: skip
        headers=tuple(headers(lang)),
        rows=tuple(table_rows(report, lang)),
        cancelled="; ".join(f"{r.code} {r.cancel_reason}".strip() for r in p.cancelled),
        failed_mail_title=failed_mail_title(lang),
        failed_mail_headers=tuple(failed_mail_headers(lang)),
        failed_mail=tuple(tuple(r) for r in failed_mail_rows(report)),
        labels={
            "by_section": t(lang, "Tiến độ theo lĩnh vực", "Progress by section"),
            "by_dept": t(lang, "Tiến độ theo phòng chủ trì", "Progress by lead department"),
            "overdue": t(lang, "Quá hạn chưa hoàn thành", "Overdue and not done"),
            "none_overdue": t(lang, "Không có nhiệm vụ quá hạn.", "Nothing is overdue."),
            "table": t(
                lang,
                "Phụ lục 1B — Kết quả thực hiện nhiệm vụ CCHC",
                "Appendix 1B — tasks and results",
            ),  # fmt: skip
            "on_time": t(lang, "Hoàn thành đúng hạn", "Done on time"),
            "late": t(lang, "Hoàn thành quá hạn", "Done late"),
            "open": t(lang, "Chưa hoàn thành", "Open"),
            "overdue_legend": t(lang, "Quá hạn", "Overdue"),
            "code": t(lang, "Mã", "Code"),
            "task": t(lang, "Nhiệm vụ", "Task"),
            "part": t(lang, "Kỳ/phần", "Part"),
            "lead": t(lang, "Chủ trì", "Lead"),
            "due": t(lang, "Hạn", "Due"),
            "days": t(lang, "Ngày lịch quá hạn", "Calendar days overdue"),
            "working_days": t(lang, "Ngày làm việc quá hạn", "Working days overdue"),
            "cancelled": t(lang, "Đã hủy (không tính vào tổng số)", "Cancelled (not counted)"),
            "tasks": t(lang, "nhiệm vụ", "tasks"),
        },
        colors=COLORS,
    )


def render(report: Report, lang: str = "vi") -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(ctx=context(report, lang))
