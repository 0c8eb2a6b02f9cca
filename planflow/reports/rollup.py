"""The province roll-up in every report format: one line per commune, ranked, and the totals.

`render(rollup, fmt, lang)` mirrors `planflow.reports.render`. Every format shows the same
cells (`table`), built once here, so text, Markdown, HTML, Excel and Word cannot disagree.
Heavy libraries are imported inside the format that needs them.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planflow.i18n import fmt_date
from planflow.reports.rows import t

if TYPE_CHECKING:
    from planflow.engine.rollup import UnitLine
    from planflow.services.rollup import Rollup


def _pct(value: Any, rollup: Rollup, lang: str) -> str:
    from planflow.engine.progress import format_percent

    return format_percent(value, rollup.precision, lang)


def count(value: int, lang: str = "vi") -> str:
    """ "132.000" (Vietnamese thousands dot) or "132,000"."""
    text = f"{value:,}"
    return text if lang == "en" else text.replace(",", ".")


def rank_text(rank: int | None, of: int, lang: str = "vi") -> str:
    """ "xếp thứ 20/69 xã" / "ranked 20 of 69"; a unit without a plan or tasks is not ranked."""
    if rank is None:
        return t(lang, "chưa xếp hạng (chưa có nhiệm vụ)", "not ranked (no tasks)")
    return t(lang, f"xếp thứ {count(rank)}/{count(of)} xã",
             f"ranked {count(rank, lang)} of {count(of, lang)}")  # fmt: skip


def title(rollup: Rollup, lang: str = "vi") -> str:
    head = t(lang, "Tổng hợp tiến độ thực hiện kế hoạch CCHC của các xã",
             "CCHC plan progress of all communes")  # fmt: skip
    if len(rollup.provinces) == 1:
        head += f" — {rollup.provinces[0]}"
    return head + t(lang, f", tính đến ngày {fmt_date(rollup.as_of)}",
                    f", as of {fmt_date(rollup.as_of)}")  # fmt: skip


def totals_sentence(rollup: Rollup, lang: str = "vi") -> str:
    """ "Toàn tỉnh: hoàn thành X/Y nhiệm vụ, đạt Z%; đúng hạn N, đạt W%." """
    s = rollup.totals
    pct, on_time = _pct(s.percent, rollup, lang), _pct(s.on_time_percent, rollup, lang)
    done, total, in_time, late, overdue, units, ranked = (
        count(n, lang) for n in (s.done, s.total, s.on_time, s.late, s.overdue, s.units, s.ranked)
    )
    many = len(rollup.provinces) > 1
    if lang == "en":
        who = "Nationwide" if many else "Province total"
        return (
            f"{who}: completed {done}/{total} tasks ({pct}); on time {in_time} ({on_time}); "
            f"completed late {late}; overdue and not done {overdue}; "
            f"{units} communes, {ranked} ranked."
        )
    who = "Toàn quốc" if many else "Toàn tỉnh"
    return (
        f"{who}: hoàn thành {done}/{total} nhiệm vụ, đạt {pct}; đúng hạn {in_time} "
        f"nhiệm vụ, đạt {on_time}; hoàn thành nhưng quá hạn {late}; quá hạn chưa hoàn "
        f"thành {overdue}; {units} xã, {ranked} xã được xếp hạng."
    )


def period_line(rollup: Rollup, lang: str = "vi") -> str:
    p = rollup.period
    if p is None:
        return ""
    return t(lang, f"Kỳ báo cáo {p.label_vi}: từ {fmt_date(p.start)} đến {fmt_date(p.end)}.",
             f"Period {p.label_en}: {fmt_date(p.start)} to {fmt_date(p.end)}.")  # fmt: skip


def headers(lang: str = "vi") -> list[str]:
    if lang == "en":
        return ["Rank", "Code", "Commune", "Tasks", "Done", "On time", "Late", "Overdue open",
                "Completion", "Completion rank", "On-time rate", "On-time rank"]  # fmt: skip
    return ["Hạng", "Mã", "Đơn vị", "Nhiệm vụ", "Hoàn thành", "Đúng hạn", "Trễ hạn",
            "Quá hạn chưa HT", "Tỷ lệ hoàn thành", "Xếp hạng hoàn thành", "Tỷ lệ đúng hạn",
            "Xếp hạng đúng hạn"]  # fmt: skip


def cells(line: UnitLine, rollup: Rollup, lang: str = "vi") -> list[str]:
    f, of = line.figures, rollup.totals.ranked
    return [
        str(line.completion_rank) if line.ranked else "—",
        line.code,
        line.name,
        str(f.total),
        str(f.done),
        str(f.on_time),
        str(f.late),
        str(f.overdue),
        _pct(f.percent, rollup, lang),
        rank_text(line.completion_rank, of, lang),
        _pct(line.on_time_percent, rollup, lang),
        rank_text(line.on_time_rank, of, lang),
    ]


def table(rollup: Rollup, lang: str = "vi") -> list[list[str]]:
    return [cells(line, rollup, lang) for line in rollup.lines]


def to_dict(rollup: Rollup, lang: str = "vi") -> dict[str, Any]:
    """Every figure, machine-readable (`--format json`)."""
    s, of = rollup.totals, rollup.totals.ranked
    p = rollup.period
    return {
        "as_of": rollup.as_of.isoformat(),
        "period": (
            {
                "key": p.key,
                "label": p.label(lang),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
            }
            if p
            else None
        ),  # fmt: skip
        "year": rollup.year,
        "precision": rollup.precision,
        "basis": rollup.basis,
        "provinces": list(rollup.provinces),
        "on_time_rate": "on_time / total",
        "totals": {
            "units": s.units,
            "ranked": s.ranked,
            "total": s.total,
            "done": s.done,
            "on_time": s.on_time,
            "late": s.late,
            "overdue": s.overdue,
            "percent": float(s.percent),
            "percent_text": _pct(s.percent, rollup, lang),
            "on_time_percent": float(s.on_time_percent),
            "on_time_percent_text": _pct(s.on_time_percent, rollup, lang),
            "summary": totals_sentence(rollup, lang),
        },
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "province": u.province,
                "plan_year": u.plan_year,
                "total": u.figures.total,
                "done": u.figures.done,
                "on_time": u.figures.on_time,
                "late": u.figures.late,
                "overdue": u.figures.overdue,
                "in_progress": u.figures.in_progress,
                "not_started": u.figures.not_started,
                "done_in_period": u.figures.done_in_period,
                "percent": float(u.figures.percent),
                "percent_text": _pct(u.figures.percent, rollup, lang),
                "on_time_percent": float(u.on_time_percent),
                "on_time_percent_text": _pct(u.on_time_percent, rollup, lang),
                "completion_rank": u.completion_rank,
                "on_time_rank": u.on_time_rank,
                "ranked_of": of if u.ranked else None,
                "completion_rank_text": rank_text(u.completion_rank, of, lang),
                "on_time_rank_text": rank_text(u.on_time_rank, of, lang),
            }
            for u in rollup.lines
        ],
    }


# --------------------------------------------------------------------------- formats


def render_text(rollup: Rollup, lang: str = "vi") -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None, force_terminal=False,
                      emoji=False, highlight=False)  # fmt: skip
    console.print(title(rollup, lang), markup=False)
    if rollup.period is not None:
        console.print(period_line(rollup, lang), markup=False)
    console.print(totals_sentence(rollup, lang), markup=False)
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for n, head in enumerate(headers(lang)):
        grid.add_column(head, justify="right" if 3 <= n <= 8 or n == 10 else "left",
                        overflow="fold")  # fmt: skip
    for row in table(rollup, lang):
        grid.add_row(*row)
    console.print()
    console.print(grid)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_md(rollup: Rollup, lang: str = "vi") -> str:
    lines = [f"# {title(rollup, lang)}", ""]
    if rollup.period is not None:
        lines += [period_line(rollup, lang), ""]
    lines += [f"**{totals_sentence(rollup, lang)}**", ""]
    head = headers(lang)
    lines.append("| " + " | ".join(_md_cell(h) for h in head) + " |")
    lines.append("|" + "|".join("---" for _ in head) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table(rollup, lang)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RollupPage:
    """The context of templates/rollup.html.j2 (StrictUndefined: every field is used)."""

    lang: str
    title: str
    period_line: str
    totals: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    unranked: tuple[bool, ...]


def render_html(rollup: Rollup, lang: str = "vi") -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from planflow.reports.page import TEMPLATES

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = RollupPage(
        lang=lang,
        title=title(rollup, lang),
        period_line=period_line(rollup, lang),
        totals=totals_sentence(rollup, lang),
        headers=tuple(headers(lang)),
        rows=tuple(tuple(r) for r in table(rollup, lang)),
        unranked=tuple(not u.ranked for u in rollup.lines),
    )
    return env.get_template("rollup.html.j2").render(ctx=page)


def render_json(rollup: Rollup, lang: str = "vi") -> str:
    return json.dumps(to_dict(rollup, lang), ensure_ascii=False, indent=2) + "\n"


def render_xlsx(rollup: Rollup, lang: str = "vi") -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from planflow.reports.sheet import _put

    wb = Workbook()
    ws = wb.active
    ws.title = t(lang, "Tong hop cac xa", "Communes")
    _put(ws, 1, 1, title(rollup, lang), bold=True)
    _put(ws, 2, 1, totals_sentence(rollup, lang))
    for c, head in enumerate(headers(lang), 1):
        _put(ws, 4, c, head, bold=True)
    numeric = {0, 3, 4, 5, 6, 7}
    for r, (line, row) in enumerate(zip(rollup.lines, table(rollup, lang), strict=True), 5):
        for c, text in enumerate(row):
            value: Any = text
            if c in numeric and text.isdigit():
                value = int(text)
            elif c == 8:
                value = float(line.figures.percent)
            elif c == 10:
                value = float(line.on_time_percent)
            _put(ws, r, c + 1, value)
    for c, width in enumerate((7, 10, 34, 10, 11, 10, 9, 14, 14, 22, 14, 22), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Word helpers of the roll-up's own, so reports/word.py (the Phụ lục 1B) may change its
# way of writing .docx without breaking this one. Same font and sizes as the Phụ lục.
FONT = "Times New Roman"
BODY_PT, TABLE_PT = 13, 12


def _font(run: Any, size: int, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)


def _para(container: Any, text: str, size: int = BODY_PT, *, bold: bool = False,
          center: bool = False, justify: bool = False) -> Any:  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = container.add_paragraph()
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.space_before = Pt(0)
    _font(para.add_run(text), size, bold)
    return para


def _cell_text(cell: Any, text: str, *, bold: bool = False, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para = cell.paragraphs[0]
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(para.add_run(text), TABLE_PT, bold)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def render_docx(rollup: Rollup, lang: str = "vi") -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    doc = Document()
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(BODY_PT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _para(doc, title(rollup, lang).upper(), 14, bold=True, center=True)
    if rollup.period is not None:
        _para(doc, period_line(rollup, lang), BODY_PT, center=True)
    _para(doc, "", BODY_PT)
    heads = headers(lang)
    grid = doc.add_table(rows=1, cols=len(heads))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(grid.rows[0].cells, heads, strict=True):
        _cell_text(cell, head, bold=True, center=True)
    _repeat_header(grid.rows[0])
    for row in table(rollup, lang):
        for n, (cell, text) in enumerate(zip(grid.add_row().cells, row, strict=True)):
            _cell_text(cell, text, center=n != 2)
    _para(doc, "", BODY_PT)
    _para(doc, totals_sentence(rollup, lang), BODY_PT, justify=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_RENDERERS = {"text": render_text, "md": render_md, "html": render_html,
              "json": render_json, "xlsx": render_xlsx, "docx": render_docx}  # fmt: skip


def render(rollup: Rollup, fmt: str, lang: str = "vi") -> str | bytes:
    """The roll-up in `fmt` (one of planflow.reports.FORMATS)."""
    result: str | bytes = _RENDERERS[fmt](rollup, lang)
    return result
