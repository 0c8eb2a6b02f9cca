"""`planflow doctor`: one line per check of the installation; exit 1 when one fails."""

from __future__ import annotations

from typing import Annotated

import typer

from planflow.cli import app
from planflow.cli.state import print_json, state


@app.command()
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check the database (reachable, schema, integrity), the config file, the SMTP secret
    file and the mail settings; writes nothing.

    Example: planflow doctor
    """
    from planflow.i18n import lang
    from planflow.services.doctor import check_all

    findings = check_all(state.settings)
    if as_json:
        print_json([{"check": f.check, "ok": f.ok, "text": f.text(lang())} for f in findings])
    else:
        for f in findings:
            typer.echo(f"{'✓' if f.ok else '✗'} {f.check}: {f.text(lang())}")
    if not all(f.ok for f in findings):
        raise typer.Exit(1)
