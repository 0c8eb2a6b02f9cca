"""Mending the department directory: `planflow dept add | rename | alias | merge | group`.

Each command parses, calls one function of services.departments and prints one line; the
permission check (coordinator, chairman or admin, as for `person add`) and the event live
there. `dept list` and `dept set-head` are in cli.people with the people commands.
"""

from __future__ import annotations

from typing import Annotated

import typer

from planflow.cli.people import dept_app
from planflow.cli.state import print_json
from planflow.cli.workflow import JsonOpt, UnitOpt, _ready, _tr, _unit

Code = Annotated[str, typer.Argument(help="Department code (KT), name or alias.")]


def _aliases(aliases: list[str]) -> str:
    return "; ".join(aliases) or "—"


@dept_app.command("add")
def dept_add(
    code: Annotated[str, typer.Argument(help="New department code, e.g. TP.")],
    name: Annotated[str, typer.Argument(help='Full name, e.g. "Phòng Tư pháp".')],
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name the appendix uses.")
    ] = None,
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a department; give it a head with `person add … --role head`.

    Example: planflow dept add TP "Phòng Tư pháp" --alias "Phòng TP"
    """
    from planflow.services.departments import add_department

    out = add_department(_ready(), unit=_unit(unit), code=code, name=name, aliases=alias or [])
    if as_json:
        print_json(out.as_json())
        return
    typer.echo(
        _tr(
            f"Đã thêm phòng {out.code} ({out.name}); bí danh: {_aliases(out.aliases)}.",
            f"Added department {out.code} ({out.name}); aliases: {_aliases(out.aliases)}.",
        )
    )


@dept_app.command("rename")
def dept_rename(
    code: Code,
    new_name: Annotated[str, typer.Argument(help="The department's new name.")],
    new_code: Annotated[
        str, typer.Option("--code", help="A new code too; tasks and items follow it.")
    ] = "",
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rename a department; the old name (and code) stay aliases, so imports still match.

    Example: planflow dept rename VP "Văn phòng HĐND và UBND xã" --code VPUB
    """
    from planflow.services.departments import rename_department

    out = rename_department(_ready(), unit=_unit(unit), code=code, name=new_name, new_code=new_code)
    if as_json:
        print_json(out.as_json())
        return
    typer.echo(
        _tr(
            f"Phòng {out.code} nay là {out.name}; bí danh: {_aliases(out.aliases)}.",
            f"Department {out.code} is now {out.name}; aliases: {_aliases(out.aliases)}.",
        )
    )


@dept_app.command("alias")
def dept_alias(
    code: Code,
    alias: Annotated[str, typer.Argument(help='Another name, e.g. "Phòng VH-XH".')],
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Teach planflow another name of a department, as the appendix writes it.

    Example: planflow dept alias VHXH "Phòng VH-XH xã"
    """
    from planflow.services.departments import add_alias

    out = add_alias(_ready(), unit=_unit(unit), code=code, alias=alias)
    if as_json:
        print_json(out.as_json())
        return
    typer.echo(
        _tr(
            f"Bí danh của phòng {out.code}: {_aliases(out.aliases)}.",
            f"Aliases of department {out.code}: {_aliases(out.aliases)}.",
        )
    )


@dept_app.command("merge")
def dept_merge(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Department that goes away.")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="Department that takes it in.")],
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Merge one department into another: tasks, items, people and names move; FROM goes.

    Example: planflow dept merge CA2 CA
    """
    from planflow.services.departments import merge_departments

    out = merge_departments(_ready(), unit=_unit(unit), source=source, into=into)
    if as_json:
        print_json(out.as_json())
        return
    m = out.moved
    typer.echo(
        _tr(
            f"Đã gộp vào phòng {out.code} ({out.name}): {m['tasks']} nhiệm vụ, "
            f"{m['items']} phần việc, {m['people']} người chuyển sang; "
            f"bí danh: {_aliases(out.aliases)}.",
            f"Merged into department {out.code} ({out.name}): {m['tasks']} tasks, "
            f"{m['items']} items, {m['people']} people moved; aliases: {_aliases(out.aliases)}.",
        )
    )
    if out.demoted:
        typer.echo(
            _tr(
                "Phòng đã có trưởng phòng; nay là nhân viên: ",
                "The department already has a head; now staff: ",
            )
            + ", ".join(out.demoted)
        )


@dept_app.command("group")
def dept_group(
    name: Annotated[str, typer.Argument(help='Group name, e.g. "Các phòng chuyên môn xã".')],
    members: Annotated[list[str], typer.Argument(help="Member department codes.")],
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a group, or set its members: a name in the appendix that stands for several
    departments. A task led by the group is led by each member.

    Example: planflow dept group "Các phòng chuyên môn xã" VP KT VHXH
    """
    from planflow.services.departments import set_group

    out = set_group(_ready(), unit=_unit(unit), name=name, members=members)
    if as_json:
        print_json(out)
        return
    verb = _tr("Đã tạo nhóm", "Created group") if out["created"] else _tr("Nhóm", "Group")
    typer.echo(
        _tr(
            f"{verb} '{out['name']}': {', '.join(out['members'])}.",
            f"{verb} '{out['name']}': {', '.join(out['members'])}.",
        )
    )
