"""People and the department list: `planflow person add | list`, `dept list | set-head`.

Each parses, calls one function of services.people and prints; the permission check and the
"update" event live there. Mending the department directory is cli.depts.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from planflow.cli import app
from planflow.cli.state import print_json
from planflow.cli.workflow import JsonOpt, UnitOpt, _ready, _tr, _unit

person_app = typer.Typer(
    help="People: add, edit, remove, list.",
    no_args_is_help=True,
)
dept_app = typer.Typer(
    help="Departments: list, set head, add, rename, alias, merge, group.",
    no_args_is_help=True,
)
app.add_typer(person_app, name="person")
app.add_typer(dept_app, name="dept")


def _role(role: str) -> str:
    from planflow.engine.permissions import role_label
    from planflow.i18n import lang

    return role_label(role, lang())


@person_app.command("add")
def person_add(
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Annotated[str, typer.Option("--email", help="E-mail for reminders.")] = "",
    user: Annotated[str, typer.Option("--user", help="OS login (or PLANFLOW_USER).")] = "",
    dept: Annotated[str, typer.Option("--dept", help="Department code.")] = "",
    role: Annotated[
        str, typer.Option("--role", help="head, staff, coordinator, chairman or admin.")
    ] = "staff",
    unit: UnitOpt = None,
) -> None:
    """Add a person; a new head replaces the department's previous head (now staff).

    Example: planflow person add "Nguyễn Văn A" --email a@kylac.gov.vn --user nva --dept KT
    --role head
    """
    from planflow.services.people import add_person

    info = add_person(
        _ready(), unit=_unit(unit), name=name, email=email, user=user, dept=dept, role=role
    )
    where = f"{_role(info.role)}, {info.department}" if info.department else _role(info.role)
    typer.echo(_tr(f"Đã thêm {info.name} ({where}).", f"Added {info.name} ({where})."))


@person_app.command("edit")
def person_edit(
    person: Annotated[str, typer.Argument(help="Login, e-mail, id or exact name.")],
    name: Annotated[str | None, typer.Option("--name", help="New full name.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="New e-mail for reminders.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="New OS login.")] = None,
    dept: Annotated[
        str | None, typer.Option("--dept", help='New department code ("" for none).')
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="head, staff, coordinator, chairman or admin.")
    ] = None,
    unit: UnitOpt = None,
) -> None:
    """Correct someone's name, e-mail, login, department or role; recorded in the history.

    Example: planflow person edit kt --email truongphong.kt@kylac.gov.vn
    """
    from planflow.services.people import edit_person

    info, changes = edit_person(
        _ready(),
        unit=_unit(unit),
        person=person,
        name=name,
        email=email,
        user=user,
        dept=dept,
        role=role,
    )
    if not changes:
        typer.echo(_tr(f"{info.name}: không có gì thay đổi.", f"{info.name}: nothing changed."))
        return
    labels = {
        "name": _tr("tên", "name"),
        "email": "e-mail",
        "user": _tr("đăng nhập", "login"),
        "department": _tr("phòng", "department"),
        "role": _tr("vai trò", "role"),
    }

    def shown(field: str, value: str) -> str:
        return _role(value) if field == "role" and value else value or "—"

    what = "; ".join(
        f"{labels[f]}: {shown(f, old)} → {shown(f, new)}" for f, (old, new) in changes.items()
    )
    typer.echo(_tr(f"Đã sửa {info.name} ({what}).", f"Updated {info.name} ({what})."))


@person_app.command("remove")
def person_remove(
    person: Annotated[str, typer.Argument(help="Login, e-mail, id or exact name.")],
    unit: UnitOpt = None,
) -> None:
    """Deactivate someone: no reminders, no rights; their history stays.

    Example: planflow person remove nva
    """
    from planflow.services.people import remove_person

    info = remove_person(_ready(), unit=_unit(unit), person=person)
    typer.echo(
        _tr(
            f"Đã gỡ {info.name}: không còn nhận nhắc việc; lịch sử vẫn giữ nguyên.",
            f"Removed {info.name}: no more reminders; their history stays.",
        )
    )


@person_app.command("list")
def person_list(unit: UnitOpt = None, as_json: JsonOpt = False) -> None:
    """Everyone known to planflow, with login, department and role.

    Example: planflow person list --json
    """
    from planflow.services.people import list_people

    people = list_people(_ready(), unit=_unit(unit))
    if as_json:
        print_json([p.as_json() for p in people])
        return
    _table(
        [
            _tr("Tên", "Name"),
            _tr("Đăng nhập", "Login"),
            "E-mail",
            _tr("Phòng", "Dept"),
            _tr("Vai trò", "Role"),
        ],
        [
            [
                p.name,
                p.user,
                p.email,
                p.department,
                _role(p.role) + ("" if p.active else _tr(" (đã gỡ)", " (removed)")),
            ]
            for p in people
        ],
    )


@dept_app.command("list")
def dept_list(
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
    groups: Annotated[
        bool, typer.Option("--groups", help="List the groups (collectives) instead.")
    ] = False,
) -> None:
    """Departments with their heads and aliases, then the groups and their members.

    Example: planflow dept list; planflow dept list --groups --json
    """
    from planflow.services.people import list_departments, list_unit_groups

    url = _ready()
    if groups:
        found = list_unit_groups(url, unit=_unit(unit))
        if as_json:
            print_json(found)
            return
        _table(
            [_tr("Nhóm", "Group"), _tr("Thành viên", "Members"), _tr("Bí danh", "Aliases")],
            [[g["name"], " ".join(g["members"]) or "—", "; ".join(g["aliases"])] for g in found],
        )
        return
    depts = list_departments(url, unit=_unit(unit))
    if as_json:
        print_json([d.as_json() for d in depts])
        return
    _table(
        [
            _tr("Mã", "Code"),
            _tr("Tên", "Name"),
            _tr("Trưởng phòng", "Head"),
            _tr("Đăng nhập", "Login"),
            _tr("Bí danh", "Aliases"),
        ],
        [[d.code, d.name, d.head or "—", d.head_user, "; ".join(d.aliases)] for d in depts],
    )
    found = list_unit_groups(url, unit=_unit(unit))
    if found:
        typer.echo(_tr("Nhóm (không phải phòng ban):", "Groups (not departments):"))
        for g in found:
            typer.echo(f"  {g['name']}: {' '.join(g['members']) or '—'}")


@dept_app.command("set-head")
def dept_set_head(
    code: Annotated[str, typer.Argument(help="Department code.")],
    person: Annotated[str, typer.Argument(help="Login, e-mail, id or exact name.")],
    unit: UnitOpt = None,
) -> None:
    """Make someone the department's head; the previous head becomes staff.

    Example: planflow dept set-head KT nva
    """
    from planflow.services.people import set_head

    info, demoted = set_head(_ready(), unit=_unit(unit), dept=code, person=person)
    typer.echo(
        _tr(
            f"{info.name} là trưởng phòng {info.department}.",
            f"{info.name} is now head of {info.department}.",
        )
    )
    if demoted:
        typer.echo(
            _tr("Trưởng phòng trước (nay là nhân viên): ", "Previous head (now staff): ")
            + ", ".join(demoted)
        )


def _table(headers: list[str], rows: list[list[Any]]) -> None:
    """Plain aligned columns: readable in a terminal and in a pasted e-mail."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    for row in (headers, *rows):
        typer.echo("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)).rstrip())
