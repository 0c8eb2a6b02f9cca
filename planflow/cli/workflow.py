"""Workflow commands: start, done, reopen, cancel, restore, note, history, task add. Each
parses, calls one use case in services.moves or services.adhoc, and prints. Only typer is
imported at module level so that `planflow done` starts fast; domain errors are raised as
they are and become one line on stderr (see main).

Exit codes: 0 on success, including `done` on something already done; 1 for a refused or
impossible move (permission, state, conflict, unknown task); 2 for a usage mistake (missing
--evidence, future --on, ambiguous --period/--dept).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from planflow.cli import app
from planflow.cli.core import task_app
from planflow.cli.state import print_json, state

if TYPE_CHECKING:
    from datetime import date

    from planflow.services.acting import Outcome

Code = Annotated[str, typer.Argument(help="Task code (VI.2.1) or numeric id.")]
UnitOpt = Annotated[str | None, typer.Option("--unit", help="Unit code (default: the only one).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="Occurrence of a recurring task: Q3, M07, H2 (needed when several are open).",
    ),
]
DeptOpt = Annotated[
    str | None,
    typer.Option("--dept", help="Lead department's part of a shared task (coordinator/chairman)."),
]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (recorded in the history).")]


def _tr(vi: str, en: str) -> str:
    from planflow.i18n import tr

    return tr(vi, en)


def _unit(unit: str | None) -> str | None:
    return unit or state.settings.unit


def _ready() -> str:
    from planflow.db import require_schema

    require_schema(state.url)
    return state.url


def _today() -> date:
    from planflow import clock

    return clock.today()


def _fmt(day: date | None) -> str:
    from planflow.i18n import fmt_date

    return fmt_date(day) or "—"


def _status(status: str | None) -> str:
    from planflow.engine.states import label
    from planflow.i18n import lang

    return label(status, lang()) if status else "—"


def _what(out: Outcome) -> str:
    """ "III.2.2 [Q3, KT]": the task and the occurrence/part acted on."""
    part = ", ".join(p for p in (out.period, out.department) if p)
    return f"{out.task} [{part}]" if part else out.task


def _timing(out: Outcome) -> str:
    if out.on_time is None:
        return ""
    if out.on_time:
        return _tr(f" — đúng hạn (hạn {_fmt(out.due_on)})", f" — on time (due {_fmt(out.due_on)})")
    return _tr(f" — trễ hạn (hạn {_fmt(out.due_on)})", f" — late (due {_fmt(out.due_on)})")


def _print_outcome(out: Outcome) -> None:
    """One line for the move, one for where the task stands."""
    what = _what(out)
    if not out.changed:
        typer.echo(
            _tr(
                f"{what} đã hoàn thành trước đó (ngày {_fmt(out.completed_on)}); "
                "không thay đổi gì.",
                f"{what} already done (on {_fmt(out.completed_on)}); nothing changed.",
            )
        )
    elif out.action == "complete":
        typer.echo(
            _tr(
                f"Đã ghi hoàn thành {what} ngày {_fmt(out.completed_on)}",
                f"Recorded {what} done on {_fmt(out.completed_on)}",
            )
            + _timing(out)
            + "."
        )
        if out.evidence:
            typer.echo(_tr("Văn bản: ", "Evidence: ") + out.evidence)
    elif out.action == "note":
        typer.echo(_tr(f"Đã ghi chú vào {what}.", f"Note added to {what}."))
        return
    else:
        typer.echo(
            _tr(
                f"{what}: {_status(out.from_status)} → {_status(out.to_status)}.",
                f"{what}: {_status(out.from_status)} → {_status(out.to_status)}.",
            )
        )
    parts = []
    if out.parts_total:
        parts.append(
            _tr(
                f"{out.period + ': ' if out.period else ''}{out.parts_done}/"
                f"{out.parts_total} phòng",
                f"{out.period + ': ' if out.period else ''}{out.parts_done}/"
                f"{out.parts_total} departments",
            )
        )
    if out.periods_total:
        parts.append(
            _tr(
                f"{out.periods_done}/{out.periods_total} kỳ",
                f"{out.periods_done}/{out.periods_total} occurrences",
            )
        )
    counts = f" ({'; '.join(parts)})" if parts else ""
    typer.echo(
        _tr(
            f"Nhiệm vụ {out.task}: {_status(out.task_status)}{counts}.",
            f"Task {out.task}: {_status(out.task_status)}{counts}.",
        )
    )


@app.command()
def start(
    code: Code,
    unit: UnitOpt = None,
    period: PeriodOpt = None,
    dept: DeptOpt = None,
    note: Annotated[str, typer.Option("--note", help="A comment.")] = "",
) -> None:
    """Mark a task in progress (not started → in progress).

    Example: planflow start VI.2.1
    """
    from planflow.services.moves import start_task

    _print_outcome(
        start_task(
            _ready(), code, unit=_unit(unit), today=_today(), note=note, period=period, dept=dept
        )
    )


@app.command()
def done(
    codes: Annotated[
        list[str], typer.Argument(help="Task codes (VI.2.1) or numeric ids; several at once.")
    ],
    evidence: Annotated[
        str,
        typer.Option(
            "--evidence", help='The document that proves it: "Quyết định số 75/QĐ-UBND ngày …".'
        ),
    ] = "",
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="The real completion day, dd/mm/yyyy (default today); not in the future."
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="A comment.")] = "",
    period: PeriodOpt = None,
    dept: DeptOpt = None,
    unit: UnitOpt = None,
) -> None:
    """Record tasks done; safe to repeat ("already done", exit 0).

    Several codes are recorded one by one, each with its own outcome: one refused does not
    stop the others, and the exit code is the worst of them.

    Example: planflow done VI.2.1 --evidence "Công văn số 12/UBND ngày 01/09/2025" --on 01/09/2025
    """
    from planflow.dates import parse_day
    from planflow.services.moves import complete_task

    day = parse_day(on, "--on") if on else None
    url, today = _ready(), _today()
    _for_each(
        codes,
        lambda code: complete_task(
            url,
            code,
            unit=_unit(unit),
            today=today,
            on=day,
            evidence=evidence,
            note=note,
            period=period,
            dept=dept,
        ),
    )


def _for_each(codes: list[str], move: Any) -> None:
    """One code: its outcome, or its error as any command's. Several: each code's outcome or
    error on its own, then the count; the exit code is the worst one's."""
    if len(codes) == 1:
        _print_outcome(move(codes[0]))
        return
    import sys

    from planflow.errors import PlanflowError
    from planflow.i18n import lang

    worst, refused = 0, []
    for code in codes:
        try:
            _print_outcome(move(code))
        except PlanflowError as exc:
            sys.stderr.write(f"planflow: {code}: {exc.message(lang())}\n")
            worst, refused = max(worst, exc.exit_code), [*refused, code]
    if refused:
        n, total, which = len(refused), len(codes), ", ".join(refused)
        typer.echo(
            _tr(
                f"{n}/{total} nhiệm vụ không ghi được: {which}.",
                f"{n}/{total} not recorded: {which}.",
            ),
            err=True,
        )
        raise typer.Exit(worst)


@app.command()
def reopen(
    code: Code,
    reason: ReasonOpt,
    unit: UnitOpt = None,
    period: PeriodOpt = None,
    dept: DeptOpt = None,
) -> None:
    """Take a done task back to in progress, with a reason.

    Example: planflow reopen VI.2.1 --reason "Công văn bị trả lại, cần bổ sung"
    """
    from planflow.services.moves import reopen_task

    _print_outcome(
        reopen_task(
            _ready(),
            code,
            reason=reason,
            unit=_unit(unit),
            today=_today(),
            period=period,
            dept=dept,
        )
    )


@app.command()
def cancel(code: Code, reason: ReasonOpt, unit: UnitOpt = None) -> None:
    """Cancel a task (chairman only): it leaves the report's denominator, listed separately.

    Example: planflow cancel VI.2.4 --reason "Tỉnh đã thu hồi nhiệm vụ"
    """
    from planflow.services.moves import cancel_task

    _print_outcome(cancel_task(_ready(), code, reason=reason, unit=_unit(unit), today=_today()))


@app.command()
def restore(code: Code, reason: ReasonOpt, unit: UnitOpt = None) -> None:
    """Undo a cancellation (chairman only).

    Example: planflow restore VI.2.4 --reason "Tỉnh giao lại"
    """
    from planflow.services.moves import restore_task

    _print_outcome(restore_task(_ready(), code, reason=reason, unit=_unit(unit), today=_today()))


@app.command()
def note(
    code: Code, text: Annotated[str, typer.Argument(help="The note.")], unit: UnitOpt = None
) -> None:
    """Add a note to a task (lead and partner heads, coordinator, chairman).

    Example: planflow note I.2.1 "Phòng KT đã gửi góp ý ngày 20/07"
    """
    from planflow.services.moves import add_note

    _print_outcome(add_note(_ready(), code, text, unit=_unit(unit), today=_today()))


@app.command()
def history(code: Code, unit: UnitOpt = None, as_json: JsonOpt = False) -> None:
    """Everything that happened to a task, oldest first: who, when, what, evidence.

    Example: planflow history VI.2.1 --json
    """
    from datetime import date as _date

    from planflow.engine.states import event_label
    from planflow.i18n import field_label, field_value, lang
    from planflow.services.moves import task_history

    task, events = task_history(_ready(), code, unit=_unit(unit))
    if as_json:
        print_json({"task": task.code, "status": task.status, "events": events})
        return
    typer.echo(f"{task.code} — {_status(task.status)}")
    for e in events:
        part = ", ".join(p for p in (e["period"], e["department"]) if p)
        move = ""
        if e["to"]:
            move = (
                f" {_status(e['from'])} → {_status(e['to'])}"
                if e["from"]
                else f" → {_status(e['to'])}"
            )
        on = _fmt(_date.fromisoformat(e["on"]))
        line = f"{_fmt(_date.fromisoformat(e['at']))}  {event_label(e['action'], lang()):<12}{move}"
        if part:
            line += f" [{part}]"
        if e["on"] != e["at"]:
            line += _tr(f" (tính từ ngày {on})", f" (effective {on})")
        line += f" — {e['actor'] or '?'}"
        typer.echo(line)
        if e["evidence"]:
            typer.echo("    " + _tr("Văn bản: ", "Evidence: ") + e["evidence"])
        if e["note"]:
            note = e["data"].get("note_en") if lang() == "en" else None
            typer.echo("    " + (note or e["note"]))
        for field, (old, new) in (e["data"].get("changes") or {}).items():
            typer.echo(
                f"    {field_label(field)}: {field_value(field, old)} → {field_value(field, new)}"
            )


@task_app.command("add")
def task_add(
    text: Annotated[str, typer.Option("--text", help="What is to be done.")],
    source_document: Annotated[
        str, typer.Option("--source-document", help="The province's document assigning it.")
    ],
    lead: Annotated[str, typer.Option("--lead", help="Lead department(s), as written or codes.")],
    deadline: Annotated[
        str, typer.Option("--deadline", help="As written: 30/11/2025, Quý IV/2025, Thường xuyên …")
    ],
    partners: Annotated[str, typer.Option("--partners", help="Partner departments.")] = "",
    output: Annotated[str, typer.Option("--output", help="Expected output.")] = "",
    code: Annotated[str | None, typer.Option("--code", help="Code (default PA.1, PA.2 …).")] = None,
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an ad-hoc task assigned by the province (coordinator or chairman).

    Example: planflow task add --text "Rà soát TTHC lĩnh vực đất đai" --source-document
    "Công văn 123/UBND-KSTT" --lead KT --partners VP --deadline 30/11/2025
    """
    from planflow.services.adhoc import add_task

    out = add_task(
        _ready(),
        text=text,
        source_document=source_document,
        lead=lead,
        deadline=deadline,
        partners=partners,
        output=output,
        code=code,
        unit=_unit(unit),
        today=_today(),
    )
    if as_json:
        print_json(out.as_json())
        return
    typer.echo(
        _tr(
            f"Đã thêm nhiệm vụ {out.task} (chủ trì {', '.join(out.data['leads'])}, "
            f"hạn {_fmt(out.due_on)}).",
            f"Added task {out.task} (lead {', '.join(out.data['leads'])}, due {_fmt(out.due_on)}).",
        )
    )


@task_app.command("edit")
def task_edit(
    code: Code,
    text: Annotated[str | None, typer.Option("--text", help="The corrected task text.")] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="As written: 30/11/2025, Quý IV/2025 …")
    ] = None,
    lead: Annotated[
        str | None, typer.Option("--lead", help="Lead department(s), as written or codes.")
    ] = None,
    partners: Annotated[str | None, typer.Option("--partners", help="Partner departments.")] = None,
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a task's text, deadline, lead or partners (coordinator or chairman); recorded
    in its history. A re-import of the appendix writes the document's wording again.

    Example: planflow task edit III.2.7 --deadline "Quý IV/2025" --lead KT
    """
    from planflow.services.editing import edit_task

    task, changes = edit_task(
        _ready(),
        code,
        unit=_unit(unit),
        text=text,
        deadline=deadline,
        lead=lead,
        partners=partners,
        today=_today(),
    )
    if as_json:
        print_json({"task": task, "changes": changes})
        return
    if not changes:
        typer.echo(_tr(f"{task}: không có gì thay đổi.", f"{task}: nothing changed."))
        return
    from planflow.i18n import field_label, field_value

    typer.echo(_tr(f"Đã sửa nhiệm vụ {task}:", f"Updated task {task}:"))
    for field, (old, new) in changes.items():
        typer.echo(f"  {field_label(field)}: {field_value(field, old)} → {field_value(field, new)}")
