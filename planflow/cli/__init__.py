"""The `planflow` command: parses arguments, calls one service function, prints.

Command modules import only typer at module level; everything heavy (SQLAlchemy, Jinja2,
python-docx, aiosmtplib …) is imported inside the command that needs it, so `planflow done`
starts fast. Domain errors become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planflow.cli.lang import PlanflowGroup
from planflow.cli.state import state

if TYPE_CHECKING:
    from planflow.errors import PlanflowError

app = typer.Typer(
    name="planflow",
    help="Tracks a commune's administrative-reform (CCHC) plan.",
    cls=PlanflowGroup,  # the user's language before Click prints help or an error
    no_args_is_help=True,
    add_completion=True,  # --install-completion bash|zsh|fish: commands and options
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    from planflow.dates import parse_day

    return parse_day(value, "--as-of")


@app.callback()
def _global(
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (or PLANFLOW_DATABASE_URL).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Run as if today were this day, dd/mm/yyyy or ISO (or PLANFLOW_TODAY)."
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="vi (default) or en (or PLANFLOW_LANG).")
    ] = None,
) -> None:
    """Global options apply to every command."""
    from planflow import clock, i18n

    state.db, state.lang = db, lang
    # The language asked for speaks even the error about a broken config file or setting,
    # which loading the settings below may raise.
    asked = lang or os.environ.get("PLANFLOW_LANG")
    if asked in ("vi", "en"):
        i18n.set_lang(asked)
    i18n.set_lang(state.settings.lang)
    day = _as_of(as_of)
    if day is None and (env_day := os.environ.get("PLANFLOW_TODAY")):
        from planflow.dates import parse_day

        day = parse_day(env_day, "PLANFLOW_TODAY")  # the formats --as-of takes, one clear error
    if day is not None:
        clock.set_today(day)


# Each module adds its commands to `app`; they import only typer at module level.
from planflow.cli import (  # noqa: E402, F401
    configfile,
    core,
    depts,
    doctor,
    notify,
    people,
    report,
    serve,
    units,
    workflow,
)

_GLOBAL_VALUED = ("--db", "--as-of", "--lang")  # global options that take a value


def _command_name(args: list[str]) -> str | None:
    """The command word after the global options, or None (help, a bare option …)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _GLOBAL_VALUED:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in _GLOBAL_VALUED)):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def _narrowed(name: str | None) -> typer.Typer:
    """`app` holding only the top-level command about to run. Typer builds every registered
    command (parameters, type adapters) before it parses anything: ~45 ms for all of
    planflow's commands, against a few for the one that runs. A group (`person add`),
    `--help` or an unknown word gets the whole app, so help and "no such command" are
    unchanged."""
    from copy import copy

    picked = [
        c
        for c in app.registered_commands
        if name is not None
        and c.callback is not None
        and (c.name or c.callback.__name__.lower().replace("_", "-")) == name
    ]
    if len(picked) != 1:
        return app
    narrow = copy(app)
    narrow.registered_commands = picked
    narrow.registered_groups = []
    return narrow


# Commands that are one short transaction: their process ends a moment after the work. For
# them the cyclic garbage collector only walks, again and again, the ~70,000 long-lived
# objects that importing SQLAlchemy, pydantic and the tables creates, finding no garbage:
# ~10 % of `planflow done`'s CPU time. Long commands keep it.
_SHORT = frozenset({"start", "done", "reopen", "cancel", "restore", "note"})


class TerminalSafe:
    """A text stream whose writes pass through engine.text.for_terminal: every line planflow
    prints may hold a user's note or evidence, and a terminal obeys the escape sequences in
    it. Everything else (encoding, isatty, buffer, flush) is the wrapped stream's."""

    def __init__(self, stream: Any) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        from planflow.engine.text import for_terminal

        self.unfiltered.write(for_terminal(text) if isinstance(text, str) else text)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unfiltered, name)


def _explain(exc: Exception) -> PlanflowError | None:
    """A user's sentence for what their environment, not planflow, got wrong: a database
    that cannot be used, a file or folder that cannot be written. None: a bug, shown as one."""
    from planflow.errors import PlanflowError, UsageError

    if type(exc).__module__.startswith("sqlalchemy"):
        from sqlalchemy.exc import DatabaseError, IntegrityError, ProgrammingError

        from planflow.db import database_error

        if not isinstance(exc, DatabaseError) or isinstance(exc, IntegrityError | ProgrammingError):
            return None  # a constraint or a query planflow got wrong: a bug

        try:
            url = state.url
        except PlanflowError:
            return None
        return database_error(url, exc)
    if isinstance(exc, OSError) and exc.filename:
        why = exc.strerror or type(exc).__name__
        return UsageError(f"{exc.filename}: không ghi/đọc được ({why})", f"{exc.filename}: {why}")
    return None


def main() -> None:
    from planflow.errors import PlanflowError

    sys.stdout = TerminalSafe(sys.stdout)  # type: ignore[assignment]
    sys.stderr = TerminalSafe(sys.stderr)  # type: ignore[assignment]
    name = _command_name(sys.argv[1:])
    if name in _SHORT:
        import gc

        gc.disable()
    try:
        try:
            _narrowed(name)(prog_name="planflow")  # also under python -m planflow
        except PlanflowError:
            raise
        except Exception as exc:
            problem = _explain(exc)
            if problem is None:
                raise
            raise problem from exc
    except PlanflowError as exc:
        from planflow import i18n

        sys.stderr.write(f"planflow: {exc.message(i18n.lang())}\n")
        sys.exit(exc.exit_code)
