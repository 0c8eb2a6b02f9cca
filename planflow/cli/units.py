"""Unit commands: `planflow unit add|list|edit` (many communes in one database)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from planflow.cli import app
from planflow.cli.state import print_json, state
from planflow.cli.workflow import UnitOpt, _ready, _unit

unit_app = typer.Typer(help="Units (communes): add, list.", no_args_is_help=True)
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


def _opt(flag: str, help: str) -> Any:
    return typer.Option(flag, help=help)


@unit_app.command("edit")
def unit_edit(
    name: Annotated[str | None, _opt("--name", 'Full name, e.g. "UBND xã Kỳ Lạc".')] = None,
    province: Annotated[str | None, _opt("--province", "Province, e.g. Hà Tĩnh.")] = None,
    agency: Annotated[
        str | None,
        _opt("--agency", 'Letterhead agency (default from the name): "ỦY BAN NHÂN DÂN XÃ KỲ LẠC".'),
    ] = None,
    superior: Annotated[
        str | None, _opt("--superior", "Superior agency line above it (none by default).")
    ] = None,
    place: Annotated[
        str | None, _opt("--place", 'Place of the date line (default: the name less "UBND xã").')
    ] = None,
    number_prefix: Annotated[
        str | None, _opt("--number-prefix", "Report number after the slash (BC-UBND).")
    ] = None,
    number: Annotated[
        str | None, _opt("--number", "Report number before the slash (blank by default).")
    ] = None,
    signer_title: Annotated[
        str | None, _opt("--signer-title", "Who signs (CHỦ TỊCH by default).")
    ] = None,
    signer_name: Annotated[str | None, _opt("--signer-name", "The signer's full name.")] = None,
    recipient: Annotated[
        list[str] | None,
        _opt("--recipient", 'A "Nơi nhận" line; repeat for each (replaces the list).'),
    ] = None,
    unit: UnitOpt = None,
) -> None:
    """Correct the unit's name or province, or what its Word report prints (letterhead,
    signer, recipients); recorded in the history. An empty value restores the default.

    Example: planflow unit edit --signer-name "Nguyễn Văn A" --recipient "UBND tỉnh (b/c);"
    --recipient "Lưu: VT."
    """
    from planflow.services.units import edit_unit

    code, changes = edit_unit(
        _ready(), _unit(unit), name=name, province=province, recipients=recipient,
        agency=agency, superior=superior, place=place, number_prefix=number_prefix,
        number=number, signer_title=signer_title, signer_name=signer_name,
    )  # fmt: skip
    if not changes:
        typer.echo(_tr(f"{code}: không có gì thay đổi.", f"{code}: nothing changed."))
        return

    def shown(value: Any) -> str:
        return "; ".join(value) if isinstance(value, list) else str(value)

    what = "; ".join(f"{k}: {shown(a) or '—'} → {shown(b) or '—'}" for k, (a, b) in changes.items())
    typer.echo(_tr(f"Đã sửa đơn vị {code} ({what}).", f"Updated unit {code} ({what})."))
