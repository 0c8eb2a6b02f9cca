"""Report commands: `planflow report` and `planflow snapshot take|list|show|diff`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from planflow.cli import app
from planflow.cli.state import print_json, state

snapshot_app = typer.Typer(
    help="Frozen reports: take, list, show, diff.",
    no_args_is_help=True,
)
app.add_typer(snapshot_app, name="snapshot")

UnitOpt = Annotated[str | None, typer.Option("--unit", help="Unit code (default: the only one).")]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="text, md, html, docx, xlsx or json.")
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (required for docx, xlsx)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _tr(vi: str, en: str) -> str:
    from planflow.i18n import tr

    return tr(vi, en)


def _emit(report: Any, fmt: str, output: Path | None) -> None:
    """Render and print (text formats) or write to -o."""
    from planflow.i18n import lang
    from planflow.reports import render

    _check_format(fmt, output)
    _write(render(report, fmt, lang()), output)


def _check_format(fmt: str, output: Path | None) -> None:
    from planflow.errors import UsageError
    from planflow.reports import BINARY, FORMATS

    if fmt not in FORMATS:
        raise UsageError(
            f"--format: '{fmt}' không hợp lệ ({', '.join(FORMATS)})",
            f"--format: invalid '{fmt}' ({', '.join(FORMATS)})",
        )
    if fmt in BINARY and output is None:
        raise UsageError(
            f"--format {fmt} cần -o TỆP (ví dụ -o phu-luc-1b.{fmt})",
            f"--format {fmt} needs -o FILE (e.g. -o appendix-1b.{fmt})",
        )
    if output is not None:
        from planflow.cli.parse import check_output

        check_output(output)


def _write(content: str | bytes, output: Path | None) -> None:
    """Print a text format, or write any format to -o."""
    if output is None:
        sys.stdout.write(content if isinstance(content, str) else content.decode())
        return
    if isinstance(content, str):
        output.write_text(content, encoding="utf-8")
    else:
        output.write_bytes(content)
    typer.echo(_tr(f"Đã ghi {output}.", f"Wrote {output}."), err=True)


@app.command()
def report(
    unit: UnitOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Report as of this day (dd/mm/yyyy).")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Q3/2025, 6T-dau/2025, 9T/2025, 6T-cuoi/2025 or 2025."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Group first by section or dept.")] = "section",
    fmt: FormatOpt = "text",
    output: OutOpt = None,
    all_units: Annotated[
        bool,
        typer.Option("--all-units", help="One line per unit, ranked, with the province totals."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Progress of the plan: "X/Y tasks done, Z%", tables and appendix 1B.

    A past --as-of day replays the event log; --period ends at the period's data cut-off
    (Q3/2025 → 14/09/2025). --all-units ranks every unit by completion rate and on-time
    rate ("ranked 2/4") under the province totals.

    Example: planflow report --period Q3/2025 --format docx -o phu-luc-1b.docx
    Example: planflow report --json
    """
    from planflow.dates import parse_day
    from planflow.db import require_schema, session_scope

    day = parse_day(as_of, "--as-of") if as_of else None
    if as_json:
        if fmt not in ("text", "json"):
            from planflow.errors import UsageError

            raise UsageError(
                f"--json là --format json: bỏ --format {fmt}",
                f"--json means --format json: drop --format {fmt}",
            )
        fmt = "json"
    _check_format(fmt, output)  # a bad -o or --format is refused before the report is built
    if all_units:
        if unit:
            from planflow.errors import UsageError

            raise UsageError(
                "--all-units tổng hợp mọi đơn vị: bỏ --unit",
                "--all-units covers every unit: drop --unit",
            )
        _emit_rollup(day, period, fmt, output)
        return
    from planflow.services.common import get_unit
    from planflow.services.reports import build_report

    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        result = build_report(session, u, as_of=day, period=period, by=by)
    _emit(result, fmt, output)


def _emit_rollup(day: Any, period: str | None, fmt: str, output: Path | None) -> None:
    """`report --all-units`: build the roll-up (a bar at a terminal, never for JSON)."""
    from planflow.db import require_schema, session_scope
    from planflow.i18n import lang
    from planflow.reports import rollup as rollup_render
    from planflow.services.rollup import build_rollup

    _check_format(fmt, output)
    require_schema(state.url)
    with session_scope(state.url) as session:
        result = build_rollup(session, as_of=day, period=period, show_progress=fmt != "json")
    _write(rollup_render.render(result, fmt, lang()), output)


@snapshot_app.command("take")
def snapshot_take(
    unit: UnitOpt = None,
    label: Annotated[str, typer.Option("--label", help="A name for the snapshot.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Freeze the report as of now (immutable).

    Example: planflow snapshot take --label "Báo cáo quý III"
    """
    from planflow.db import require_schema
    from planflow.engine.permissions import Perm
    from planflow.i18n import fmt_date
    from planflow.services.identity import managing
    from planflow.services.reports import take_snapshot

    require_schema(state.url)
    where = unit or state.settings.unit
    with managing(state.url, where, Perm.SNAPSHOT_TAKE, "snapshot_take") as (session, u, _):
        snap = take_snapshot(session, u, label)
        figures = (snap.data or {}).get("figures", {})
        info = {"id": snap.id, "as_of": snap.as_of.isoformat(), "label": snap.label,
                "done": figures.get("done"), "total": figures.get("total"),
                "percent_text": figures.get("percent_text")}  # fmt: skip
    if as_json:
        print_json(info)
        return
    typer.echo(
        _tr(
            f"Đã chụp #{info['id']} ngày {fmt_date(snap.as_of)}: "
            f"{info['done']}/{info['total']} ({info['percent_text']}).",
            f"Snapshot #{info['id']} of {fmt_date(snap.as_of)}: "
            f"{info['done']}/{info['total']} ({info['percent_text']}).",
        )
    )


@snapshot_app.command("list")
def snapshot_list(unit: UnitOpt = None, as_json: JsonOpt = False) -> None:
    """The unit's snapshots, oldest first.

    Example: planflow snapshot list --json
    """
    from planflow.db import require_schema, session_scope
    from planflow.i18n import fmt_date
    from planflow.services.common import get_unit
    from planflow.services.reports import list_snapshots

    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        rows = []
        for s in list_snapshots(session, u):
            f = (s.data or {}).get("figures", {})
            rows.append({"id": s.id, "as_of": s.as_of.isoformat(), "label": s.label,
                         "taken_at": s.taken_at.isoformat(), "done": f.get("done"),
                         "total": f.get("total"),
                         "percent_text": f.get("percent_text")})  # fmt: skip
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(_tr("Chưa có bản chụp nào.", "No snapshots yet."))
    for r in rows:
        day = fmt_date(__import__("datetime").date.fromisoformat(r["as_of"]))
        typer.echo(
            f"#{r['id']}  {day}  {r['done']}/{r['total']}  {r['percent_text']}  {r['label']}"
        )


@snapshot_app.command("show")
def snapshot_show(
    ref: Annotated[str, typer.Argument(help="Snapshot id.")],
    unit: UnitOpt = None,
    fmt: FormatOpt = "text",
    output: OutOpt = None,
) -> None:
    """A stored snapshot in any report format (json prints the stored figures as taken).

    Example: planflow snapshot show 3 --format html -o quy3.html
    """
    from planflow.db import require_schema, session_scope
    from planflow.services.common import get_unit
    from planflow.services.reports import get_snapshot, snapshot_report

    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        snap = get_snapshot(session, u, ref)
        if fmt == "json" and output is None:
            print_json((snap.data or {}).get("figures", {}))
            return
        result = snapshot_report(snap)
    _emit(result, fmt, output)


@snapshot_app.command("diff")
def snapshot_diff(
    a: Annotated[str, typer.Argument(help="The earlier snapshot id.")],
    b: Annotated[str, typer.Argument(help="The later snapshot id.")],
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed between two snapshots: completed, newly overdue, per department.

    Example: planflow snapshot diff 1 2
    """
    from planflow.db import require_schema, session_scope
    from planflow.i18n import lang
    from planflow.services.common import get_unit
    from planflow.services.reports import diff_snapshots, get_snapshot

    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        diff = diff_snapshots(get_snapshot(session, u, a), get_snapshot(session, u, b))
    if as_json:
        print_json(diff.to_dict(lang()))
        return
    typer.echo(
        _tr(
            f"#{a} ({diff.a_as_of}) → #{b} ({diff.b_as_of}): hoàn thành {diff.done_before} → "
            f"{diff.done_after} ({diff.percent_before} → {diff.percent_after}).",
            f"#{a} ({diff.a_as_of}) → #{b} ({diff.b_as_of}): done {diff.done_before} → "
            f"{diff.done_after} ({diff.percent_before} → {diff.percent_after}).",
        )
    )
    if diff.completed:
        typer.echo(_tr("Đã hoàn thành:", "Completed:"))
        for t in diff.completed:
            typer.echo(f"  {t['code']} {t['text']}")
    if diff.reopened:
        typer.echo(_tr("Mở lại:", "Reopened:"))
        for t in diff.reopened:
            typer.echo(f"  {t['code']} {t['text']}")
    if diff.new_overdue:
        typer.echo(_tr("Quá hạn mới:", "Newly overdue:"))
        for t in diff.new_overdue:
            days = _tr(f"{t['days']} ngày làm việc", f"{t['days']} working days")
            typer.echo(f"  {t['code']} {t['text']} ({days})")
    for d in diff.departments:
        typer.echo(d.text(lang()))
