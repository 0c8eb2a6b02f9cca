"""Mending the department directory: what a rename or merge does to a task's departments and
items, and how a plan file's `unit:` section is read over a directory mended since.

Pure decisions; `services.departments` applies them in one transaction. A merge keeps every
item that has a history: when two parts of one task fold into one (both departments led it),
the part nobody touched is dropped, and two parts that both carry a history are a conflict
the user resolves first, never a silent loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from planflow.engine.plandoc import DepartmentDoc, GroupDoc, PartnerDoc, UnitDoc
from planflow.engine.text import fold


def follow(codes: Mapping[str, str], code: str) -> str:
    """Where a department code went after renames and merges (old → new, chained)."""
    seen = {code}
    while code in codes and codes[code] not in seen:
        code = codes[code]
        seen.add(code)
    return code


def remap(codes: Iterable[str], old: str, new: str) -> list[str]:
    """`codes` with `old` replaced by `new`, each code once, in order."""
    out: list[str] = []
    for code in codes:
        code = new if code == old else code
        if code not in out:
            out.append(code)
    return out


class ItemLike(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def period(self) -> str: ...
    @property
    def department(self) -> str: ...


@dataclass
class PartsPlan:
    """A task's items after a merge: new department per item id, items to drop, and the
    periods where two parts with a history would fold into one (the merge is refused)."""

    departments: dict[int, str] = field(default_factory=dict)
    drop: list[int] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def merge_parts(
    items: Sequence[ItemLike], touched: set[int], old: str, new: str, leads_after: Sequence[str]
) -> PartsPlan:
    """Items of one task once department `old` becomes `new`, as a fresh import would make
    them: one part per period when one department leads (department ""), one per lead when
    several do. A part no longer led is dropped unless it has a history (then it stays, as
    a re-import keeps it)."""
    shared = len(leads_after) > 1
    plan = PartsPlan()
    groups: dict[tuple[str, str], list[ItemLike]] = {}
    for item in items:
        dept = new if item.department == old else item.department
        if not shared:
            dept = ""
        elif dept and dept not in leads_after and item.id not in touched:
            if item.id is not None:
                plan.drop.append(item.id)  # no longer a lead's part, and nobody touched it
            continue
        groups.setdefault((item.period, dept), []).append(item)
    for (period, dept), same in groups.items():
        kept = [i for i in same if i.id in touched]
        if len(kept) > 1:
            plan.conflicts.append(period or "—")
            continue
        keep = kept[0] if kept else next((i for i in same if i.department == new), same[0])
        assert keep.id is not None
        if keep.department != dept:
            plan.departments[keep.id] = dept
        plan.drop += [i.id for i in same if i is not keep and i.id is not None]
    return plan


def _union(*lists: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    seen = {fold(x) for x in exclude}
    out: list[str] = []
    for values in lists:
        for value in values:
            if value and fold(value) not in seen:
                seen.add(fold(value))
                out.append(value)
    return out


def mend_unit(
    doc: UnitDoc,
    current: UnitDoc,
    codes: Mapping[str, str],
    kept: Iterable[str] = (),
    kept_groups: Iterable[str] = (),
) -> UnitDoc:
    """A plan file's unit read over the directory as mended in the database.

    `codes` maps old department codes to new ones (renames and merges); `kept` lists the
    departments mended by hand, whose name in the database wins; the file's name and aliases
    become aliases. Aliases are never lost; groups made or changed by hand stay as they are.
    """
    now = {d.code: d for d in current.departments}
    kept_set = set(kept)
    merged: dict[str, DepartmentDoc] = {}
    for dept in doc.departments:
        code = follow(codes, dept.code)
        base = merged.get(code)
        if base is None:
            mended = code != dept.code or code in kept_set
            db = now.get(code)
            if mended and db is not None:
                base = DepartmentDoc(code, db.name, list(db.aliases), dept.head)
            else:
                base = DepartmentDoc(code, dept.name, [], dept.head)
                if db is not None:
                    base.aliases = _union(db.aliases)
            merged[code] = base
        old_code = [dept.code] if dept.code != code else []
        base.aliases += _union(
            [dept.name], dept.aliases, old_code, exclude=[base.name, code, *base.aliases]
        )
        base.head = base.head or dept.head
    groups: list[GroupDoc] = []
    by_name = {fold(g.name): g for g in current.groups}
    hand = {fold(n) for n in kept_groups}
    for group in doc.groups:
        db_group = by_name.pop(fold(group.name), None)
        if db_group is not None and fold(group.name) in hand:
            groups.append(replace(db_group, aliases=_union(db_group.aliases, group.aliases)))
            continue
        members = list(dict.fromkeys(follow(codes, m) for m in group.members))
        aliases = _union(group.aliases, db_group.aliases if db_group else [])
        groups.append(GroupDoc(group.name, members, aliases))
    groups += by_name.values()  # groups the file does not have: made in the database
    partners = list(doc.partners)
    names = {fold(p.name) for p in partners}
    partners += [p for p in current.partners if fold(p.name) not in names]
    return replace(
        doc,
        departments=list(merged.values()),
        groups=groups,
        partners=[PartnerDoc(p.name, list(p.aliases)) for p in partners],
        coordinator=follow(codes, doc.coordinator) if doc.coordinator else "",
    )
