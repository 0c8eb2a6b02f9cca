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
    from planflow.reports.letterhead import Letterhead
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
    """The ranking as the Phụ lục workbook is laid out (reports/sheet.py): Times New Roman,
    bordered grid, A4 landscape, rates as percentage cells at the roll-up's precision."""
    from planflow.reports.sheet import (
        grid,
        heading,
        new_workbook,
        percent_format,
        percent_value,
        print_setup,
        put,
        set_widths,
        sheet_title,
    )

    widths = (7, 10, 34, 10, 11, 10, 9, 14, 14, 22, 14, 22)
    wb = new_workbook()
    ws = wb.active
    ws.title = sheet_title(t(lang, "Tổng hợp các xã", "Communes"))
    heading(ws, 1, title(rollup, lang), widths, bold=True)
    heading(ws, 2, totals_sentence(rollup, lang), widths)
    for c, head in enumerate(headers(lang), 1):
        put(ws, 4, c, head, bold=True)
    numeric = {0, 3, 4, 5, 6, 7}
    rate = percent_format(rollup.precision)
    r = 4
    for r, (line, row) in enumerate(zip(rollup.lines, table(rollup, lang), strict=True), 5):
        for c, text in enumerate(row):
            value: Any = text
            if c in numeric and text.isdigit():
                value = int(text)
            elif c == 8:
                value = percent_value(line.figures.percent)
            elif c == 10:
                value = percent_value(line.on_time_percent)
            put(ws, r, c + 1, value, number_format=rate if c in (8, 10) else None)
    grid(ws, 4, r, len(widths), header_rows=(4,))
    set_widths(ws, widths)
    ws.freeze_panes = "A5"
    print_setup(ws, "4:4")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Word: the same letterhead and fast package as the Phụ lục 1B (reports/word.py), the
# issuer being the province's committee; the ranking table ends with the total row.
DOCX_WIDTHS_MM = (12, 20, 50, 16, 18, 16, 16, 20, 20, 26, 18, 20)  # 252 mm, the letterhead's


def province_letterhead(rollup: Rollup, lang: str = "vi") -> Letterhead:
    """ "ỦY BAN NHÂN DÂN" / "TỈNH HÀ TĨNH" when the units share a province; dots to fill
    in by hand when they do not (a national roll-up has no single issuer)."""
    from planflow.reports.letterhead import letterhead

    province = rollup.provinces[0] if len(rollup.provinces) == 1 else ""
    if province and not province.lower().startswith(("tỉnh", "thành phố")):
        province = f"tỉnh {province}"
    name = f"UBND {province}" if province else "UBND tỉnh ……"
    place = (province.split(" ", 1)[1] if " " in province else province) or "……"
    return letterhead(name, {"place": place}, lang)


def total_cells(rollup: Rollup, lang: str = "vi") -> list[str]:
    """The table's last row: every commune together, as the totals sentence says."""
    s = rollup.totals
    who = t(lang, "Toàn quốc", "Nationwide") if len(rollup.provinces) > 1 else t(
        lang, "Toàn tỉnh", "Province total")  # fmt: skip
    return ["", "", f"{who} ({count(s.units, lang)} " + t(lang, "xã)", "communes)"),
            count(s.total, lang), count(s.done, lang), count(s.on_time, lang),
            count(s.late, lang), count(s.overdue, lang), _pct(s.percent, rollup, lang), "",
            _pct(s.on_time_percent, rollup, lang), ""]  # fmt: skip


def render_docx(rollup: Rollup, lang: str = "vi") -> bytes:
    from planflow.reports.letterhead import header_xml
    from planflow.reports.wml import cell, grid_table, para, row
    from planflow.reports.word import assemble

    widths = DOCX_WIDTHS_MM

    def line_row(cells: list[str], *, bold: bool = False, header: bool = False) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return row("".join(cell(c, w, bold=bold, center=header or n != 2) for n, (c, w) in pairs),
                   header=header)  # fmt: skip

    parts = [header_xml(province_letterhead(rollup, lang), rollup.as_of, lang)]
    parts.append(para(title(rollup, lang).upper(), 14, bold=True, center=True, before_pt=12))
    if rollup.period is not None:
        parts.append(para(period_line(rollup, lang), center=True))
    parts.append(para(""))
    rows = [line_row(headers(lang), bold=True, header=True)]
    rows += [line_row(line) for line in table(rollup, lang)]
    rows.append(line_row(total_cells(rollup, lang), bold=True))
    parts += [grid_table(widths, rows), para("")]
    parts.append(para(totals_sentence(rollup, lang), justify=True))
    return assemble("".join(parts))


_RENDERERS = {"text": render_text, "md": render_md, "html": render_html,
              "json": render_json, "xlsx": render_xlsx, "docx": render_docx}  # fmt: skip


def render(rollup: Rollup, fmt: str, lang: str = "vi") -> str | bytes:
    """The roll-up in `fmt` (one of planflow.reports.FORMATS)."""
    result: str | bytes = _RENDERERS[fmt](rollup, lang)
    return result
