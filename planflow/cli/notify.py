"""Reminder commands: `remind`, `outbox list|retry`, `scheduler run`, `calendar`.

Thin: each command parses, calls services.reminders (the scheduler calls the same code), and
prints. Only typer is imported at module level.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from planflow.cli import app
from planflow.cli.state import print_json, state

outbox_app = typer.Typer(
    help="The outbox: list and resend reminders.",
    no_args_is_help=True,
)
app.add_typer(outbox_app, name="outbox")
scheduler_app = typer.Typer(
    help="The reminder scheduler: daily reminders, delivery, weekly snapshot.",
    no_args_is_help=True,
)
app.add_typer(scheduler_app, name="scheduler")

UnitOpt = Annotated[str | None, typer.Option("--unit", help="Unit code (default: the only one).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _tr(vi: str, en: str) -> str:
    from planflow.i18n import tr

    return tr(vi, en)


def _set_day(as_of: str | None) -> None:
    if as_of:
        from planflow import clock
        from planflow.dates import parse_day

        clock.set_today(parse_day(as_of, "--as-of"))


@app.command()
def remind(
    unit: UnitOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing, send nothing; show who gets what.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Sweep as if today were this day (dd/mm/yyyy).")
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            min=1,
            help="Seconds to spend delivering at most (default [scheduler] delivery_budget, 900).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one reminder sweep and deliver everything owed now (for cron, or to check).

    Sends over PLANFLOW_SMTP_URL, or writes .eml files to the outbox folder when no SMTP
    server is configured. Safe to run any number of times: nothing is queued twice (a run
    killed mid-delivery may repeat its one message in flight, with the same Message-ID).
    Without --unit on a database holding several units, one sweep covers every unit.

    Example: planflow remind --dry-run --as-of 22/09/2025
    """
    from planflow import clock
    from planflow.db import require_schema, session_scope
    from planflow.services.reminders import deliver_owed, make_sender
    from planflow.services.sweep_all import AllUnitsSweep, sweep_owed

    _set_day(as_of)
    require_schema(state.url)
    today = clock.today()
    with session_scope(state.url, write=not dry_run) as session:
        sweep = sweep_owed(
            session,
            unit or state.settings.unit,
            today,
            dry_run=dry_run,
            progress=False if as_json else None,
        )
    out: dict[str, Any] = {
        "day": today.isoformat(),
        "unit": None if isinstance(sweep, AllUnitsSweep) else sweep.unit,
        "dry_run": dry_run,
        "queued": sweep.queued,
        "already_queued": sweep.already,
        "sent": 0,
        "failed": 0,
        "retrying": 0,
        "left": 0,
        "where": "",
        "messages": sweep.messages,
        "unreached": sweep.unreached,
    }
    if not dry_run:
        settings = state.settings
        sender = make_sender(settings.smtp_url, settings.outbox_dir)
        delivery = deliver_owed(
            state.url,
            sender,
            mail_from=settings.mail_from,
            budget=budget or settings.delivery_budget,
        )
        out.update(
            sent=delivery.sent,
            failed=delivery.failed,
            retrying=delivery.retrying,
            where=delivery.where,
            errors=delivery.errors,
            left=delivery.left,
            stopped=delivery.stopped,
        )
    _in_user_language(out["messages"])
    if as_json:
        print_json(out)
    else:
        _print_sweep(out)
    if not dry_run and out["left"] and not out["sent"]:
        raise typer.Exit(1)  # nothing could be delivered: cron must see it


# A digest line's role beyond lead, as `remind` prints it: why this person has the item.
_ROLE_MARKS = {
    "partner": ("  [phối hợp]", "  [partner]"),
    "coordinate": ("  [theo dõi, đôn đốc]", "  [follow up]"),
}


def _in_user_language(messages: list[dict[str, Any]]) -> None:
    """Each line's reason in the language of this run (the stored one is the e-mail's)."""
    from planflow.engine.reminders import reason_text
    from planflow.i18n import lang

    for m in messages:
        for i in m["items"]:
            if i.get("reason_key"):
                i["reason"] = reason_text(i["reason_key"], int(i.get("days") or 0), lang())


def _print_sweep(out: dict[str, Any]) -> None:
    from datetime import date

    from planflow.engine.reminders import kind_label
    from planflow.i18n import fmt_date, lang

    day = fmt_date(date.fromisoformat(out["day"]))
    if not out["messages"]:
        typer.echo(
            _tr(f"Ngày {day}: không có thư nhắc việc nào đến hạn.", f"{day}: no reminder is owed.")
        )
    for m in out["messages"]:
        mark = "" if m["new"] else _tr(" (đã xếp hàng trước đó)", " (already queued)")
        cc = f" cc {', '.join(m['cc'])}" if m["cc"] else ""
        typer.echo(f"{kind_label(m['kind'], lang()):<15} {m['to']}{cc}{mark}")
        for i in m["items"]:
            period = f" ({i['period']})" if i.get("period") else ""
            role = _ROLE_MARKS.get(i.get("role") or "lead", ("", ""))
            typer.echo(f"    {i['code']}{period}  {i.get('reason') or ''}{_tr(*role)}")
    for where, keys in out.get("unreached", {}).items():
        dept = where.rpartition(":")[2]  # "KT", or "xa-b:KT" when several units were swept
        if dept == "nobody":
            typer.echo(
                _tr(
                    f"  ! Không gửi được cho ai (điều phối viên chưa có e-mail): {', '.join(keys)}",
                    f"  ! Reached nobody (the coordinator has no e-mail): {', '.join(keys)}",
                )
            )
            continue
        typer.echo(
            _tr(
                f"  ! Trưởng phòng {where} chưa có e-mail: {len(keys)} mục gửi cho điều phối "
                f"viên thay ({', '.join(keys)}); thêm bằng `planflow person add … --email`",
                f"  ! The head of {where} has no e-mail: {len(keys)} item(s) went to the "
                f"coordinator instead ({', '.join(keys)}); add one with `planflow person add`",
            )
        )
    if out["dry_run"]:
        typer.echo(
            _tr(
                f"Chạy thử: {out['queued']} thư sẽ được gửi; không ghi, không gửi gì.",
                f"Dry run: {out['queued']} message(s) would be sent; nothing written.",
            )
        )
        return
    typer.echo(
        _tr(
            f"Đã xếp hàng {out['queued']}, đã gửi {out['sent']}, lỗi {out['failed']}, "
            f"chờ gửi lại {out['retrying']} — {out['where']}",
            f"Queued {out['queued']}, sent {out['sent']}, failed {out['failed']}, "
            f"retrying {out['retrying']} — {out['where']}",
        )
    )
    if out["where"] and not state.settings.smtp_url and out["sent"]:
        typer.echo(
            _tr(
                f"Chưa cấu hình SMTP (PLANFLOW_SMTP_URL): thư được ghi thành tệp .eml trong "
                f"{out['where']}",
                f"No SMTP configured (PLANFLOW_SMTP_URL): messages were written as .eml files in "
                f"{out['where']}",
            )
        )
    for err in out.get("errors", []):
        typer.echo(f"  ! {err}", err=True)
    if out.get("left"):
        why = {
            "budget": _tr(
                "hết thời gian dành cho việc gửi (--budget)",
                "the delivery budget ran out (--budget)",
            ),
            "no progress": _tr(
                "máy chủ thư không nhận thư nào lần này; sẽ thử lại",
                "the mail server took none this time; they will be retried",
            ),
        }.get(out.get("stopped", ""), "")
        typer.echo(
            _tr(
                f"Còn {out['left']} thư chờ gửi: {why}. Chạy lại `planflow remind` để gửi tiếp.",
                f"{out['left']} message(s) still waiting: {why}. Run `planflow remind` again.",
            ),
            err=True,
        )


@outbox_app.command("list")
def outbox_list(
    unit: UnitOpt = None,
    failed: Annotated[bool, typer.Option("--failed", help="Only messages that failed.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Messages in the outbox, newest first, with status, attempts and last error.

    Example: planflow outbox list --failed
    """
    from planflow.db import require_schema, session_scope
    from planflow.notifications.outbox import REFUSED, list_rows
    from planflow.services.common import get_unit
    from planflow.services.reminders import outbox_json

    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        rows = [outbox_json(r) for r in list_rows(session, unit_id=u.id, failed=failed)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(_tr("Hộp thư đi trống.", "The outbox is empty."))
    from planflow.engine.reminders import kind_label
    from planflow.i18n import lang
    from planflow.notifications.outbox import STATUS_LABELS

    for r in rows:
        partial = str(r["last_error"] or "").startswith(REFUSED)
        status = _tr(*STATUS_LABELS.get(r["status"], (r["status"], r["status"])))
        err = (
            f"  ! {r['last_error']}"
            if r["last_error"] and (r["status"] != "sent" or partial)
            else ""
        )
        typer.echo(
            f"#{r['id']:<5} {r['day']} {status:<9} {kind_label(r['kind'], lang()):<15} "
            f"{r['to']:<32} "
            f"{r['attempts']}x  {r['subject']}{err}"
        )


def _message_of_unit(session: Any, message_id: int, unit: str | None) -> None:
    """Refuse a message number that belongs to another unit (the ids are database-wide)."""
    from planflow.errors import NotFound
    from planflow.models import Outbox
    from planflow.services.common import get_unit

    u = get_unit(session, unit or state.settings.unit)
    row = session.get(Outbox, message_id)
    if row is not None and row.unit_id not in (None, u.id):
        raise NotFound(
            f"thư #{message_id} không thuộc đơn vị {u.code} (xem `planflow outbox list`)",
            f"message #{message_id} is not unit {u.code}'s (see `planflow outbox list`)",
        )


@outbox_app.command("retry")
def outbox_retry(
    message_id: Annotated[str, typer.Argument(help="The message number from `outbox list`.")],
    unit: UnitOpt = None,
) -> None:
    """Put a failed message back in the queue and try to send it now.

    Example: planflow outbox retry 12
    """
    from planflow import clock
    from planflow.db import require_schema
    from planflow.engine.permissions import Perm
    from planflow.engine.text import parse_id
    from planflow.errors import UsageError
    from planflow.notifications.outbox import retry_row
    from planflow.services.identity import managing
    from planflow.services.reminders import deliver_outbox, make_sender

    number = parse_id(message_id)
    if number is None:  # "abc", 0, 23 digits: no row has it, and no column holds it
        raise UsageError(
            f"'{message_id}': cần số thư (1, 2, …) như trong `planflow outbox list`",
            f"'{message_id}': expected a message number (1, 2, …) as in `planflow outbox list`",
        )
    require_schema(state.url)
    where = unit or state.settings.unit
    with managing(state.url, where, Perm.OUTBOX_RETRY, "outbox_retry") as (session, _, _):
        _message_of_unit(session, number, unit)
        retry_row(session, number, clock.now())
    settings = state.settings
    result = deliver_outbox(
        state.url,
        make_sender(settings.smtp_url, settings.outbox_dir),
        mail_from=settings.mail_from,
        ids=[number],
    )
    if result.sent:
        typer.echo(
            _tr(
                f"Đã gửi lại thư #{number} ({result.where}).",
                f"Message #{number} sent ({result.where}).",
            )
        )
    else:
        detail = "; ".join(result.errors)
        typer.echo(
            _tr(
                f"Thư #{number} chưa gửi được: {detail}",
                f"Message #{number} not sent: {detail}",
            ),
            err=True,
        )
        raise typer.Exit(1)


@scheduler_app.command("run")
def scheduler_run(
    unit: UnitOpt = None,
    sweep_time: Annotated[
        str | None,
        typer.Option(
            "--at", help="Daily sweep time HH:MM, Asia/Ho_Chi_Minh (or PLANFLOW_SWEEP_TIME)."
        ),
    ] = None,
) -> None:
    """Run in the foreground: catch-up sweep now, the daily sweep, delivery every minute,
    the chairman's weekly snapshot. One per SQLite database; on PostgreSQL two or three may
    run together (each message claimed by one of them, the sweep run once a day). Ctrl-C or SIGTERM
    stops it cleanly.

    Example: planflow scheduler run --at 07:30
    """
    from planflow.db import require_schema
    from planflow.scheduler import run

    require_schema(state.url)
    run(state.url, state.settings, unit=unit or state.settings.unit, sweep_time=sweep_time)


@app.command("calendar")
def calendar_feed(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write.")],
    unit: UnitOpt = None,
    dept: Annotated[
        str | None, typer.Option("--dept", help="Only this department's deadlines (code).")
    ] = None,
    alarms: Annotated[
        bool,
        typer.Option(
            "--alarms", help="Add an alarm at 08:00 on each day the reminder policy reminds."
        ),
    ] = False,
) -> None:
    """Write every dated deadline as an all-day event to an iCalendar (.ics) file.

    UIDs are stable, so importing the file again updates the events instead of doubling them;
    done and cancelled deadlines stay in the file, marked, so calendars update them.

    Example: planflow calendar --dept VHXH --alarms -o vhxh.ics
    """
    from planflow.cli.parse import check_output
    from planflow.db import require_schema, session_scope
    from planflow.i18n import lang
    from planflow.notifications.ics import calendar_bytes
    from planflow.services.common import get_unit

    check_output(output)
    require_schema(state.url)
    with session_scope(state.url) as session:
        u = get_unit(session, unit or state.settings.unit)
        data, count = calendar_bytes(session, u, dept, alarms=alarms, lang=lang())
    output.write_bytes(data)
    typer.echo(
        _tr(
            f"Đã ghi {count} hạn còn mở vào {output}.", f"Wrote {count} open deadlines to {output}."
        )
    )
