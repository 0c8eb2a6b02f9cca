"""Who may do what: one matrix of role × relation to the task × action, declared once.

The relation is how the actor's department stands to the task (or to the part of a shared
task being acted on): `own` when it leads it, `partner` when it is a partner, `other` else.
Department heads act on their own department's work and may comment where they are partners;
the coordinator and the chairman oversee everything, but only the chairman cancels or
restores (a cancelled task leaves the denominator of the report). Staff may read only;
an admin manages (people, departments, plan imports, units, snapshots, resending) and acts
on no task.

`check` raises PermissionDenied naming who may act instead; the caller passes the names
(this module does no I/O).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from planflow.engine.types import Role
from planflow.errors import PermissionDenied


class Relation(StrEnum):
    OWN = "own"
    PARTNER = "partner"
    OTHER = "other"


class Perm(StrEnum):
    """Everything a permission is asked for (task actions plus management)."""

    START = "start"
    COMPLETE = "complete"
    REOPEN = "reopen"
    NOTE = "note"
    CANCEL = "cancel"
    RESTORE = "restore"
    TASK_ADD = "task_add"
    TASK_EDIT = "task_edit"
    PERSON_MANAGE = "person_manage"
    PLAN_IMPORT = "plan_import"
    UNIT_ADD = "unit_add"
    UNIT_EDIT = "unit_edit"
    SNAPSHOT_TAKE = "snapshot_take"
    OUTBOX_RETRY = "outbox_retry"


P = Perm
_EVERYTHING = frozenset(Perm)
_OVERSIGHT = _EVERYTHING - {P.CANCEL, P.RESTORE}
_HEAD_OWN = frozenset({P.START, P.COMPLETE, P.REOPEN, P.NOTE})
# what only managers do: the coordinator, the chairman and an admin (and the database's
# administrator, see services.identity)
MANAGEMENT = frozenset(
    {P.PERSON_MANAGE, P.PLAN_IMPORT, P.UNIT_ADD, P.UNIT_EDIT, P.SNAPSHOT_TAKE, P.OUTBOX_RETRY}
)

# role -> relation -> permitted actions. Anything not listed is refused.
MATRIX: dict[Role, dict[Relation, frozenset[Perm]]] = {
    Role.HEAD: {
        Relation.OWN: _HEAD_OWN,
        Relation.PARTNER: frozenset({P.NOTE}),
        Relation.OTHER: frozenset(),
    },
    Role.COORDINATOR: {r: _OVERSIGHT for r in Relation},
    Role.CHAIRMAN: {r: _EVERYTHING for r in Relation},
    Role.STAFF: {r: frozenset() for r in Relation},
    Role.ADMIN: {r: MANAGEMENT for r in Relation},
}

ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.HEAD: ("trưởng phòng", "head"),
    Role.STAFF: ("công chức", "staff"),
    Role.COORDINATOR: ("đầu mối CCHC", "coordinator"),
    Role.CHAIRMAN: ("chủ tịch", "chairman"),
    Role.ADMIN: ("quản trị", "admin"),
}


def role_label(role: Role | str, lang: str = "vi") -> str:
    """A role as people say it; an unknown stored value is shown as it is."""
    try:
        vi, en = ROLE_LABELS[Role(role)]
    except ValueError:
        return str(role)
    return en if lang == "en" else vi


PERM_LABELS: dict[Perm, tuple[str, str]] = {
    P.START: ("bắt đầu nhiệm vụ", "start task"),
    P.COMPLETE: ("ghi hoàn thành nhiệm vụ", "complete task"),
    P.REOPEN: ("mở lại nhiệm vụ", "reopen task"),
    P.NOTE: ("ghi chú vào nhiệm vụ", "add a note to task"),
    P.CANCEL: ("hủy nhiệm vụ", "cancel a task"),
    P.RESTORE: ("khôi phục nhiệm vụ đã hủy", "restore a cancelled task"),
    P.TASK_ADD: ("thêm nhiệm vụ phát sinh", "add an ad-hoc task"),
    P.TASK_EDIT: ("sửa nội dung, thời hạn, đơn vị chủ trì của nhiệm vụ", "edit a task"),
    P.PERSON_MANAGE: ("quản lý người dùng và phòng", "manage people and departments"),
    P.PLAN_IMPORT: ("nhập kế hoạch", "import a plan"),
    P.UNIT_ADD: ("thêm đơn vị", "add a unit"),
    P.UNIT_EDIT: ("sửa thông tin đơn vị (tên, người ký, nơi nhận)", "edit the unit's details"),
    P.SNAPSHOT_TAKE: ("chụp số liệu báo cáo", "take a snapshot"),
    P.OUTBOX_RETRY: ("gửi lại thư nhắc việc", "resend a reminder"),
}


def allowed(role: Role | str | None, relation: Relation | str, perm: Perm | str) -> bool:
    """True when the matrix lets `role` do `perm` on something it stands to as `relation`.

    An unknown actor (role None) may do nothing.
    """
    if role is None:
        return False
    return Perm(perm) in MATRIX[Role(role)][Relation(relation)]


def may_act_as(login: str, administrator: str | None, claimed_login: str | None) -> bool:
    """May the OS `login` act as the person it names (PLANFLOW_USER), whose own login is
    `claimed_login` (None: nobody known)? Naming oneself is no claim; naming someone else
    stands only for the database's administrator, never for a head making themselves
    another head."""
    return claimed_login == login or administrator == login


# Who answers at an address several people of a unit share (a coordinator who also heads a
# department): the widest rights first, as the mail sent there covers all of them.
_BREADTH = (Role.COORDINATOR, Role.CHAIRMAN, Role.ADMIN, Role.HEAD, Role.STAFF)


def breadth(role: Role | str) -> int:
    """Sort key: 0 for the widest role; an unknown role sorts last."""
    return _BREADTH.index(Role(role)) if role in set(_BREADTH) else len(_BREADTH)


@dataclass(frozen=True)
class Who:
    """The people who may act, as the caller knows them: ("Phòng Kinh tế", "Nguyễn Văn A")."""

    lead_heads: Sequence[tuple[str, str]] = field(default=())
    partner_heads: Sequence[tuple[str, str]] = field(default=())
    coordinators: Sequence[str] = field(default=())
    chairmen: Sequence[str] = field(default=())
    admins: Sequence[str] = field(default=())


def check(
    role: Role | str | None,
    relation: Relation | str,
    perm: Perm | str,
    *,
    who: Who | None = None,
    actor: str = "",
    task: str = "",
) -> None:
    """Raise PermissionDenied unless `allowed`; the message names who may act instead."""
    if allowed(role, relation, perm):
        return
    perm = Perm(perm)
    who = who or Who()
    vi_who, en_who = _who_may(perm, who)
    what_vi, what_en = PERM_LABELS[perm]
    subject = f" {task}" if task and perm in _TASK_PERMS else ""
    if role is None:
        vi_me = f"'{actor}' chưa được khai báo (planflow person add … --user {actor}). "
        en_me = f"'{actor}' is not a known user (planflow person add … --user {actor}). "
    else:
        vi_me = f"{actor} không có quyền. " if actor else ""
        en_me = f"{actor} may not do this. " if actor else ""
    raise PermissionDenied(
        f"{vi_me}Chỉ {vi_who} được {what_vi}{subject}",
        f"{en_me}Only {en_who} may {what_en}{subject}",
    )


_TASK_PERMS = frozenset({P.START, P.COMPLETE, P.REOPEN, P.NOTE, P.CANCEL, P.RESTORE, P.TASK_EDIT})


def _who_may(perm: Perm, who: Who) -> tuple[str, str]:
    """'trưởng Phòng Kinh tế (Nguyễn Văn A), điều phối viên (…) hoặc Chủ tịch (…)'."""
    vi: list[str] = []
    en: list[str] = []

    def heads(pairs: Sequence[tuple[str, str]], vi_default: str, en_default: str) -> None:
        if not pairs:
            vi.append(vi_default)
            en.append(en_default)
        for dept, name in pairs:
            suffix = f" ({name})" if name else ""
            vi.append(f"trưởng {dept}{suffix}")
            en.append(f"the head of {dept}{suffix}")

    def named(names: Sequence[str], vi_word: str, en_word: str) -> None:
        suffix = f" ({', '.join(names)})" if names else ""
        vi.append(f"{vi_word}{suffix}")
        en.append(f"{en_word}{suffix}")

    if perm in MATRIX[Role.HEAD][Relation.OWN]:
        heads(who.lead_heads, "trưởng phòng chủ trì", "the head of the lead department")
    if perm in MATRIX[Role.HEAD][Relation.PARTNER]:
        heads(who.partner_heads, "trưởng phòng phối hợp", "the head of a partner department")
    if perm in MATRIX[Role.COORDINATOR][Relation.OTHER]:
        named(who.coordinators, "điều phối viên", "the coordinator")
    if perm in MATRIX[Role.CHAIRMAN][Relation.OTHER]:
        named(who.chairmen, "Chủ tịch", "the chairman")
    if perm in MATRIX[Role.ADMIN][Relation.OTHER]:
        named(who.admins, "quản trị viên", "an admin")
    return _join(vi, "hoặc"), _join(en, "or")


def _join(parts: list[str], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def markdown_table(lang: str = "vi") -> str:
    """Role × action, with the relation that allows it, for the README."""
    en = lang == "en"
    rel = {
        Relation.OWN: ("own", "chủ trì"),
        Relation.PARTNER: ("partner", "phối hợp"),
        Relation.OTHER: ("any", "mọi"),
    }
    head = ["Role" if en else "Vai trò", *(p.value for p in Perm)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for role in Role:
        cells = []
        for perm in Perm:
            if perm in MATRIX[role][Relation.OTHER]:
                cells.append(rel[Relation.OTHER][0 if en else 1])
            else:
                ok = [
                    rel[r][0 if en else 1]
                    for r in (Relation.OWN, Relation.PARTNER)
                    if perm in MATRIX[role][r]
                ]
                cells.append(", ".join(ok) or "—")
        lines.append(f"| {role.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
