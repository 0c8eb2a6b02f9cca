"""Unit commands: `planflow unit add|list` (many communes in one database)."""

from __future__ import annotations

from typing import Annotated

import typer

from planflow.cli import app
from planflow.cli.state import print_json, state

unit_app = typer.Typer(
    help="Đơn vị (UBND xã): thêm, liệt kê. Units (communes): add, list.", no_args_is_help=True
)
app.add_typer(unit_app, name="unit")


def _tr(vi: str, en: str) -> str:
    from planflow.i18n import tr

    return tr(vi, en)


@unit_app.command("add")
def unit_add(
    code: Annotated[str, typer.Argument(help="Unit code, e.g. KY-LAC.")],
    name: Annotated[str, typer.Option("--name", help='Full name, e.g. "UBND xã Kỳ Lạc".')],
    province: Annotated[str, typer.Option("--province", help="Province, e.g. Hà Tĩnh.")] = "",
    coordinator: Annotated[
        str, typer.Option("--coordinator", help="Coordinator department code (e.g. VHXH).")
    ] = "",
) -> None:
    """Add a unit (a commune's People's Committee) to the database.

    Example: planflow unit add KY-LAC --name "UBND xã Kỳ Lạc" --province "Hà Tĩnh"
    """
    from planflow.db import init_db, require_schema, schema_version
    from planflow.services.units import add_unit_as_manager

    if schema_version(state.url) is None:
        init_db(state.url)
    require_schema(state.url)  # a newer or older schema: refused before anything is written
    code, name = add_unit_as_manager(
        state.url, code, name, province=province, coordinator=coordinator
    )
    typer.echo(_tr(f"Đã thêm đơn vị {code} ({name}).", f"Added unit {code} ({name})."))


@unit_app.command("list")
def unit_list(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Every unit: code, name, province, plan years and task count.

    Example: planflow unit list --json
    """
    from planflow.db import require_schema, session_scope
    from planflow.services.units import list_units

    require_schema(state.url)
    with session_scope(state.url) as session:
        units = list_units(session)
    if as_json:
        print_json([u.as_json() for u in units])
        return
    if not units:
        typer.echo(_tr("Chưa có đơn vị nào.", "No units yet."))
    for u in units:
        plans = ", ".join(str(y) for y in u.plans) or "—"
        typer.echo(
            f"{u.code:<12} {u.name:<32} {u.province or '—':<16} "
            + _tr(f"kế hoạch {plans}; {u.tasks} nhiệm vụ", f"plans {plans}; {u.tasks} tasks")
        )
