"""Core commands: init, plan import/convert/show, tasks, task show, deadline, demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planflow.cli import app
from planflow.cli.state import print_json, state

if TYPE_CHECKING:
    from planflow.services.tasks import TaskRow

plan_app = typer.Typer(help="The plan: import, convert, show.", no_args_is_help=True)
task_app = typer.Typer(help="One task: show, add, edit.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(task_app, name="task")

UnitOpt = Annotated[str | None, typer.Option("--unit", help="Unit code (default: the only one).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
UntilOpt = Annotated[
    int | None,
    typer.Option("--until", help="Last year of a plan over several years (e.g. 2030)."),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Which column holds what when the header wording is unknown: "
        "task=B,lead=C,deadline=E (also partners, output, budget, tt, status, result).",
    ),
]


def _tr(vi: str, en: str) -> str:
    from planflow.i18n import tr

    return tr(vi, en)


def status_label(status: str) -> str:
    from planflow.engine.states import label
    from planflow.i18n import lang

    return label(status, lang())


@app.command()
def init() -> None:
    """Create or upgrade the database (Alembic migrations).

    Example: planflow init
    """
    from planflow.db import init_db, safe_url
    from planflow.errors import ConfigError
    from planflow.links import ensure_key_file

    before, after = init_db(state.url)
    shown = safe_url(state.url)  # a PostgreSQL URL may carry a password
    try:
        key = ensure_key_file()
    except ConfigError as exc:  # the database is ready; only e-mailed links must wait
        from planflow.i18n import lang

        typer.echo(f"planflow: {exc.message(lang())}", err=True)
        key = None
    if key is not None:
        typer.echo(
            _tr(
                f"Đã tạo khóa ký liên kết {key} (chỉ người chạy planflow đọc được).",
                f"Created the link-signing key {key} (readable only by you).",
            )
        )
    if before is None:
        typer.echo(
            _tr(
                f"Đã tạo cơ sở dữ liệu {shown} (phiên bản {after}).",
                f"Created database {shown} (schema {after}).",
            )
        )
    elif before != after:
        typer.echo(
            _tr(
                f"Đã nâng cấp {shown}: {before} → {after}.",
                f"Upgraded {shown}: {before} → {after}.",
            )
        )
    else:
        typer.echo(
            _tr(
                f"Cơ sở dữ liệu {shown} đã ở phiên bản mới nhất ({after}).",
                f"Database {shown} is up to date ({after}).",
            )
        )


@plan_app.command("import")
def plan_import(
    file: Annotated[
        Path, typer.Argument(help="Plan file (.yaml) or appendix (.docx .xlsx .pdf .csv).")
    ],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", help="Unit code (default: the only one); a new code creates the unit."
        ),
    ] = None,
    unit_name: Annotated[
        str | None,
        typer.Option(
            "--unit-name", help="Name of a unit this import creates (default: the title block)."
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Plan year (overrides the title).")
    ] = None,
    until: UntilOpt = None,
    starts: Annotated[
        str | None,
        typer.Option("--starts", help="Start date DD/MM/YYYY (overrides the document)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the changes, write nothing.")
    ] = False,
    create_departments: Annotated[
        bool, typer.Option("--create-departments", help="Create departments for unknown leads.")
    ] = False,
    columns: ColumnsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a plan; importing the same unit and year again updates it (history kept).

    On a new database one command imports a unit's own appendix and creates the unit.

    Example: planflow plan import phu-luc.docx --unit KYLAC --create-departments
    """

    from planflow.dates import parse_day
    from planflow.db import init_db, require_schema, schema_version, session_scope
    from planflow.importers import is_plan_file, read_document_with_warnings
    from planflow.services.identity import recording
    from planflow.services.plans import import_plan

    start_day = parse_day(starts, "--starts") if starts is not None else None
    read = read_document_with_warnings(file, year=year, columns=columns)
    doc = read.doc
    if schema_version(state.url) is None:
        init_db(state.url)
    require_schema(state.url)  # a newer or older schema: refused before anything is written
    with recording(state.url), session_scope(state.url, write=True) as session:
        report = import_plan(
            session,
            doc,
            # A plan file naming its unit wins over the PLANFLOW_UNIT/config default; an
            # explicit --unit wins over both.
            unit_code=unit or (None if doc.unit else state.settings.unit),
            unit_name=unit_name,
            starts=start_day,
            until=until,
            create_departments=create_departments,
            file_name=file.name,
            table_only=not is_plan_file(file),
        )
        if dry_run:
            session.rollback()
    if as_json:
        print_json({**report.as_json(), "dry_run": dry_run, "warnings": read.warnings})
        return
    _print_import(report, dry_run)
    _print_warnings(file.name, read.warnings)


def _print_warnings(name: str, warnings: list[str]) -> None:
    """Rows skipped or renumbered on the way in, on stderr so a pipe keeps the summary."""
    for warning in warnings:
        typer.echo(_tr("cảnh báo", "warning") + f": {name}, {warning}", err=True)


def _print_import(report: Any, dry_run: bool) -> None:
    from planflow.i18n import field_label, field_value, fmt_date

    head = _tr("Xem trước (không ghi gì): ", "Dry run (nothing written): ") if dry_run else ""
    if report.unit_created:
        typer.echo(
            head
            + _tr(
                f"Đã tạo đơn vị {report.unit} ({report.unit_name}).",
                f"Created unit {report.unit} ({report.unit_name}).",
            )
        )
    verb = _tr("nhập mới", "imported") if report.created else _tr("cập nhật", "updated")
    years = f"{report.year}–{report.until}" if report.until else f"{report.year}"
    typer.echo(
        head
        + _tr(
            f"Kế hoạch {years} của {report.unit} ({verb}, lần {report.revision}): "
            f"{report.tasks} nhiệm vụ; thêm {len(report.added)}, sửa {len(report.changed)}, "
            f"lưu trữ {len(report.archived)}, khôi phục {len(report.restored)}.",
            f"Plan {years} of {report.unit} ({verb}, revision {report.revision}): "
            f"{report.tasks} tasks; added {len(report.added)}, changed {len(report.changed)}, "
            f"archived {len(report.archived)}, restored {len(report.restored)}.",
        )
    )
    if report.created and report.starts:
        typer.echo(
            _tr("Bắt đầu tính từ ngày ", "Counted from ")
            + fmt_date(report.starts)
            + _tr(
                " (kỳ kết thúc trước ngày này không phải báo cáo).",
                " (periods ending before it are not owed).",
            )
        )
    if not report.created:
        for code in report.added:
            typer.echo(f"  + {code}")
        for code, fields in report.changed.items():
            for name, (old, new) in fields.items():
                before, after = field_value(name, old), field_value(name, new)
                typer.echo(f"  ~ {code} {field_label(name)}: '{before}' → '{after}'")
        for code in report.archived:
            typer.echo(f"  - {code} " + _tr("(lưu trữ)", "(archived)"))
    if report.no_lead:
        typer.echo(
            _tr(
                "Chưa có đơn vị chủ trì (nhắc việc gửi điều phối viên): ",
                "No lead (reminders go to the coordinator): ",
            )
            + ", ".join(report.no_lead)
        )
    if report.unscheduled:
        typer.echo(
            _tr("Chưa có thời hạn cụ thể: ", "No fixed deadline: ")
            + ", ".join(f"{c} ({t or '—'})" for c, t in report.unscheduled)
        )
    if report.flagged:
        typer.echo(
            _tr(
                f"Thời hạn không đọc được ({len(report.flagged)}), cần kiểm tra:",
                f"Deadlines not read ({len(report.flagged)}), check them:",
            )
        )
        for code, row, text in report.flagged:
            where = _tr(f"dòng {row} ({code})", f"row {row} ({code})") if row else code
            phrase = " ".join(text.split())
            typer.echo(
                f"  {where}: '{phrase}' — "
                + _tr("không đọc được, giữ nguyên văn bản", "not read, kept as written")
            )
    if report.created_departments:
        typer.echo(
            _tr("Đã tạo phòng ban: ", "Created departments: ")
            + ", ".join(report.created_departments)
        )
    if report.created_groups:
        typer.echo(
            _tr("Đã tạo nhóm (không phải phòng ban): ", "Created groups (not departments): ")
            + "; ".join(report.created_groups)
        )


@plan_app.command("convert")
def plan_convert(
    file: Annotated[Path, typer.Argument(help="Appendix (.docx .xlsx .pdf .csv) or plan file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Plan file to write (.yaml).")],
    year: Annotated[
        int | None, typer.Option("--year", help="Plan year (overrides the title).")
    ] = None,
    until: UntilOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output file if it exists.")
    ] = False,
    columns: ColumnsOpt = None,
) -> None:
    """Write the plan file for an appendix, without touching the database.

    An existing output file is kept unless --force: it may hold the commune's own edits.

    Example: planflow plan convert phu-luc.docx -o plans/ky-lac-2025.yaml
    """
    from planflow.engine.plandoc import iter_tasks
    from planflow.errors import UsageError
    from planflow.importers import read_document_with_warnings
    from planflow.planfile import dump_plan

    if output.is_dir():
        raise UsageError(
            f"{output}: đây là thư mục; -o cần tên tệp, ví dụ plans/ky-lac-2025.yaml",
            f"{output}: this is a folder; -o needs a file name, e.g. plans/ky-lac-2025.yaml",
        )
    if output.exists() and not force:
        raise UsageError(
            f"{output}: tệp đã có, không ghi đè; dùng --force để ghi đè hoặc chọn tên khác (-o)",
            f"{output}: the file exists and was not overwritten; use --force to overwrite it "
            "or choose another name (-o)",
        )
    read = read_document_with_warnings(file, year=year, columns=columns)
    doc = read.doc
    if until is not None:
        from dataclasses import replace

        from planflow.services.plans import check_until

        doc = replace(doc, until=check_until(doc.year, until))
    text = dump_plan(doc)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)  # a reader never sees half a plan file
    count = sum(1 for _ in iter_tasks(doc))
    typer.echo(_tr(f"Đã ghi {output}: {count} nhiệm vụ.", f"Wrote {output}: {count} tasks."))
    _print_warnings(file.name, read.warnings)


@plan_app.command("show")
def plan_show(
    unit: UnitOpt = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The plan's sections, task counts and departments.

    Example: planflow plan show
    """
    from planflow.cli.parse import check_year
    from planflow.db import require_schema, session_scope
    from planflow.services.common import get_unit
    from planflow.services.plans import plan_overview

    check_year(year)
    require_schema(state.url)
    with session_scope(state.url) as session:
        data = plan_overview(session, get_unit(session, unit or state.settings.unit), year)
    if as_json:
        print_json(data)
        return
    years = f"{data['year']}–{data['until']}" if data["until"] else f"{data['year']}"
    typer.echo(
        f"{data['unit']['name']} — {data['title']} ({years}), "
        + _tr(f"lần {data['revision']}", f"revision {data['revision']}")
    )
    if data["source"]:
        typer.echo(data["source"])
    for s in data["sections"]:
        typer.echo(f"  {s['code']:<6} {s['tasks']:>3}  {s['title']}")
    typer.echo(
        _tr(
            f"Tổng: {data['tasks']} nhiệm vụ trong phụ lục, {data['ad_hoc']} nhiệm vụ tỉnh giao.",
            f"Total: {data['tasks']} appendix tasks, {data['ad_hoc']} ad-hoc tasks.",
        )
    )
    typer.echo(
        _tr("Phòng ban: ", "Departments: ")
        + ", ".join(f"{d['code']} ({d['name']})" for d in data["departments"])
    )


StatusOpt = Annotated[
    str | None,
    typer.Option("--status", help="not_started, in_progress, done, cancelled or open."),
]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="Only overdue tasks.")]


@app.command()
def tasks(
    unit: UnitOpt = None,
    dept: Annotated[
        str | None, typer.Option("--dept", help="What this department leads (code).")
    ] = None,
    partner: Annotated[
        bool, typer.Option("--partner", help="With --dept or --mine: also its partner tasks.")
    ] = False,
    mine: Annotated[
        bool, typer.Option("--mine", help="What your own department leads (planflow mine).")
    ] = False,
    status: StatusOpt = None,
    overdue: OverdueOpt = False,
    due_within: Annotated[
        int | None, typer.Option("--due-within", help="Only tasks due within DAYS.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include archived tasks.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the plan's tasks; lateness is computed for today (or --as-of).

    Example: planflow tasks --dept KT --overdue
    """
    from planflow import clock
    from planflow.db import require_schema, session_scope
    from planflow.services.common import get_unit
    from planflow.services.tasks import list_tasks

    if mine and dept:
        from planflow.errors import UsageError

        raise UsageError(
            "--mine và --dept: chọn một (--mine là phòng của bạn)",
            "--mine and --dept: choose one (--mine is your own department)",
        )
    require_schema(state.url)
    today = clock.today()
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        if mine:
            from planflow.services.people import acting_department

            dept = acting_department(session, u).code
        rows = list_tasks(
            session,
            u,
            today,
            dept=dept,
            partner=partner,
            status=status,
            overdue=overdue,
            due_within=due_within,
            include_archived=all_,
        )
        if as_json:
            print_json([r.as_json() for r in rows])
            return
        _print_tasks(rows)


@app.command("mine")
def mine_(
    unit: UnitOpt = None,
    partner: Annotated[
        bool, typer.Option("--partner", help="Also the tasks your department supports.")
    ] = False,
    status: StatusOpt = None,
    overdue: OverdueOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Your department's own work: what it leads (planflow tasks --mine).

    Example: planflow mine --overdue
    """
    tasks(
        unit=unit,
        dept=None,
        partner=partner,
        mine=True,
        status=status,
        overdue=overdue,
        due_within=None,
        all_=False,
        as_json=as_json,
    )


def _print_tasks(rows: list[TaskRow]) -> None:
    from rich.table import Table
    from rich.text import Text  # cells as plain text: "[/b]" in a task is not rich markup

    from planflow.cli.colour import OVERDUE_STYLE, STATUS_STYLES, console
    from planflow.engine.text import for_terminal
    from planflow.i18n import fmt_date, lang

    table = Table(show_lines=False)
    for title in (
        _tr("ID", "ID"),
        _tr("Mã", "Code"),
        _tr("Nhiệm vụ", "Task"),
        _tr("Chủ trì", "Lead"),
        _tr("Thời hạn", "Deadline"),
        _tr("Hạn", "Due"),
        _tr("Trạng thái", "Status"),
        _tr("Quá hạn\n(ngày làm việc)", "Overdue\n(working days)"),
    ):
        table.add_column(title)
    for r in rows:
        t = r.task
        late = str(r.days_overdue) if r.overdue else ""  # the header names the unit
        text = t.text if len(t.text) <= 60 else t.text[:57] + "…"
        parts = r.parts(lang())
        status = status_label(t.status) + (f" ({parts})" if parts else "")
        cells = [
            Text(for_terminal(cell))
            for cell in (
                str(t.id),
                t.code,
                text,
                ", ".join(t.leads or []) or "—",
                t.deadline_text,
                fmt_date(r.next_due or t.due_on),
            )
        ]
        cells.append(Text(status, style=STATUS_STYLES.get(t.status, "")))
        cells.append(Text(late, style=OVERDUE_STYLE))
        if r.overdue:
            cells[1].stylize(OVERDUE_STYLE)  # the code too: an overdue row is found by eye
        table.add_row(*cells)
    console().print(table)
    typer.echo(_tr(f"{len(rows)} nhiệm vụ.", f"{len(rows)} tasks."))


@task_app.command("show")
def task_show(
    code: Annotated[str, typer.Argument(help="Task code (III.2.7) or id.")],
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One task in full: fields as written, departments, deadline, items, status.

    Example: planflow task show III.2.4
    """
    from planflow import clock
    from planflow.db import require_schema, session_scope
    from planflow.i18n import field_value, fmt_date
    from planflow.services.common import get_unit
    from planflow.services.tasks import task_detail

    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        row = task_detail(session, u, code, clock.today())
        data = row.as_json(full=True)
    if as_json:
        print_json(data)
        return
    t = row.task
    lines = [
        (_tr("Mã", "Code"), f"{t.code} (id {t.id})"),
        (_tr("Nhiệm vụ", "Task"), t.text),
        (_tr("Kết quả, sản phẩm", "Output"), t.output),
        (_tr("Chủ trì", "Lead"), f"{t.lead_text} → {', '.join(t.leads or []) or '—'}"),
        (_tr("Phối hợp", "Partners"), f"{t.partners_text} → {', '.join(t.partners or []) or '—'}"),
        (
            _tr("Thời hạn", "Deadline"),
            f"{t.deadline_text} ({field_value('deadline_kind', t.deadline_kind)}, "
            + _tr("hạn ", "due ")
            + (fmt_date(t.due_on) or "—")
            + ")",
        ),
        (_tr("Kinh phí", "Budget"), t.budget),
        (
            _tr("Trạng thái", "Status"),
            status_label(t.status)
            + (f" — {fmt_date(t.completed_on)}" if t.completed_on else "")
            + (
                _tr(
                    f", quá hạn {row.days_overdue} ngày làm việc",
                    f", {row.days_overdue} working days overdue",
                )
                if row.overdue
                else ""
            ),
        ),
        (_tr("Văn bản chứng minh", "Evidence"), t.evidence),
        *((label, value) for label, value in (t.extras or {}).items()),
    ]
    if t.archived_at is not None:
        typer.echo(
            _tr(
                "[LƯU TRỮ] Nhiệm vụ này không còn trong kế hoạch (đã lưu trữ khi nhập lại).",
                "[ARCHIVED] This task is no longer in the plan (archived by a re-import).",
            )
        )
    for label, value in lines:
        if value:
            typer.echo(f"{label}: {value}")
    for a in data["activities"]:
        own = ", ".join(f"{k}: {v}" for k, v in a.items() if k not in ("code", "text"))
        typer.echo(f"  {a.get('code', '')} {a['text']}" + (f" [{own}]" if own else ""))
    if len(row.items) > 1:
        for i in row.items:
            typer.echo(
                f"  • {i.period or ''} {i.department or ''} {status_label(i.status)} "
                + _tr("hạn ", "due ")
                + fmt_date(i.due_on)
                + (f" ✓ {fmt_date(i.completed_on)}" if i.completed_on else "")
            )


@app.command()
def deadline(
    text: Annotated[str, typer.Argument(help='A deadline phrase, e.g. "Quý III/2025".')],
    year: Annotated[
        int | None, typer.Option("--year", help="Plan year for phrases without one.")
    ] = None,
    until: UntilOpt = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", help="Use this unit's days off and make-up days (or PLANFLOW_UNIT)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """How planflow reads a deadline phrase (kind, window, due date, working-day due date).

    Without a unit the national calendar is used and no database is needed.

    Example: planflow deadline "06 tháng cuối năm 2025" --json
    """
    from planflow import clock
    from planflow.cli.parse import check_year
    from planflow.engine.deadlines import deadline_json, kind_label, parse_deadline
    from planflow.i18n import fmt_date, lang

    check_year(year)
    plan_year = year or clock.today().year
    parsed = parse_deadline(text, plan_year, until=until)
    years = tuple(range(plan_year - 1, max(until or plan_year, plan_year) + 2))
    code = unit or state.settings.unit
    if code:
        from planflow.db import require_schema, session_scope
        from planflow.services.common import get_unit, unit_calendar

        require_schema(state.url)
        with session_scope(state.url) as session:
            calendar = unit_calendar(get_unit(session, code), years)
    else:
        from planflow.calendars import national_calendar

        calendar = national_calendar(years)
    data = deadline_json(parsed, calendar)
    if as_json:
        print_json(data)
        return
    typer.echo(f"{text!r}: " + kind_label(parsed.kind, lang()))

    def iso(value: str | None) -> str:
        from datetime import date

        return fmt_date(date.fromisoformat(value)) if value else "—"

    if data["start"]:
        typer.echo(
            _tr("  từ ", "  from ")
            + iso(data["start"])
            + _tr(" đến ", " to ")
            + iso(data["due"])
            + _tr("; hạn tính theo ngày làm việc: ", "; working-day due date: ")
            + iso(data["effective_due"])
        )
    for occ in data.get("occurrences", []):
        typer.echo(
            f"  {occ['period']}: "
            + iso(occ["start"])
            + " – "
            + iso(occ["due"])
            + f" ({iso(occ['effective_due'])})"
        )
    if data["kind"] == "unparsed":
        typer.echo(
            _tr(
                "  Giữ nguyên văn bản; cần ghi rõ thời hạn (ví dụ: Quý III/2025).",
                "  Kept as text; write a clearer deadline (e.g. Quý III/2025).",
            )
        )


@app.command()
def demo(
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep", help="Keep the demo database in this folder instead of a temporary one."
        ),
    ] = None,
) -> None:
    """Import the Kỳ Lạc 2025 plan into a fresh database, record a realistic set of
    completions and print the progress line and the overdue list as of 15/10/2025.

    Example: planflow demo
    """
    import tempfile

    from planflow import clock
    from planflow.db import session_scope
    from planflow.i18n import fmt_date, lang
    from planflow.services.common import get_unit
    from planflow.services.demo import run_demo
    from planflow.services.reports import build_report, summary_sentence

    folder = keep or Path(tempfile.mkdtemp(prefix="planflow-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    result = run_demo(folder)
    clock.set_today(result.day)
    with session_scope(result.url) as session:
        unit = get_unit(session, None)
        report = build_report(session, unit, as_of=result.day)
    progress = report.progress
    typer.echo(
        f"{report.unit_name} — {report.plan_title}, "
        + _tr("tính đến ngày ", "as of ")
        + fmt_date(result.day)
    )
    typer.echo(summary_sentence(report, lang()))
    typer.echo("")
    grouped: dict[tuple[str, str], list[Any]] = {}
    for item in progress.overdue:  # most overdue first; one line per task and period
        grouped.setdefault((item.code, item.period), []).append(item)
    typer.echo(
        _tr(
            f"Nhiệm vụ quá hạn chưa hoàn thành ({len(grouped)}):",
            f"Overdue and not done ({len(grouped)}):",
        )
    )
    for (code, period), parts in grouped.items():
        first = parts[0]
        text = first.text if len(first.text) <= 60 else first.text[:57] + "…"
        waiting = ", ".join(p.department for p in parts if p.department)
        who = waiting or ", ".join(first.leads) or _tr("chưa có chủ trì", "no lead")
        late = first.working_days
        typer.echo(
            f"  {code:<10} {period:<3} {who:<20} "
            + _tr("hạn ", "due ")
            + fmt_date(first.due)
            + _tr(f", quá {late} ngày làm việc", f", {late} working days late")
            + f"  {text}"
        )
    typer.echo("")
    typer.echo(_tr("Cơ sở dữ liệu thử: ", "Demo database: ") + result.url)
    typer.echo(
        _tr("Xem tiếp, ví dụ: ", "Explore, e.g.: ")
        + f"planflow --db {result.url} --as-of {fmt_date(result.day)} tasks --overdue"
    )
    if grouped:
        from planflow.services.demo import demo_link

        code = next(iter(grouped))[0]
        command, url = demo_link(result, code)
        typer.echo(_tr("Mở trên trình duyệt: chạy", "In a browser: run"))
        typer.echo(f"    {command}")
        typer.echo(
            _tr(f"  rồi mở liên kết trong thư nhắc {code}:", f"  then open the {code} mail link:")
        )
        typer.echo(f"    {url}")
