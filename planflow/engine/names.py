"""From a lead/partner cell as written to the departments that answer for it.

Appendix cells name departments loosely ("Phòng VHXH", "Văn phòng UBND xã", typos such as
"Trung tâm HHC xã"), name groups ("Các phòng chuyên môn xã") and outsiders ("các thôn"), and
list several at once. Some names contain commas themselves ("Các phòng, ban, đoàn thể xã"), so
a cell is not split blindly: its comma-separated pieces are covered by the longest known names.
Anything left over is reported as written, so the user can add an alias instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from planflow.engine.text import clean, fold, split_pieces

# Hard separators never occur inside a name; soft ones may ("Các Ban, phòng liên quan",
# "Văn phòng HĐND và UBND xã"), so pieces split on them may be joined again.
_HARD = re.compile(r"[;\n]")
_SOFT = re.compile(r"(\s*,\s*|\s+và\s+)", re.IGNORECASE)
_EDGE_JUNK = " \t-–•+*;.,"


@dataclass
class Resolution:
    """What a cell names: department codes (groups expanded), named partners, leftovers.
    `grouped`: the departments the cell names only through a group ("Các phòng chuyên môn
    xã"), not by their own name; a row's explicit partner is not also a lead through one."""

    departments: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    grouped: list[str] = field(default_factory=list, compare=False)

    def __bool__(self) -> bool:
        return bool(self.departments or self.named or self.unknown)


@dataclass(frozen=True)
class _Target:
    departments: tuple[str, ...] = ()
    named: str = ""
    group: bool = False


class _Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...


class _Department(_Named, Protocol):
    @property
    def code(self) -> str: ...


class _Group(_Named, Protocol):
    @property
    def members(self) -> Sequence[str]: ...


class _Unit(Protocol):
    @property
    def departments(self) -> Sequence[_Department]: ...
    @property
    def groups(self) -> Sequence[_Group]: ...
    @property
    def partners(self) -> Sequence[_Named]: ...


class Directory:
    """The unit's names, folded: department codes/names/aliases, groups and named partners."""

    def __init__(self) -> None:
        self._targets: dict[str, _Target] = {}
        self._departments: dict[str, str] = {}
        self._longest = 1  # most soft pieces any known name spans

    @classmethod
    def from_unit(cls, unit: _Unit) -> Directory:
        """Build from a `UnitDoc` (or any object with the same attributes, e.g. database rows)."""
        directory = cls()
        for dept in unit.departments:
            target = _Target(departments=(dept.code,))
            for name in (dept.code, dept.name, *dept.aliases):
                directory._add(name, target)
                directory._departments.setdefault(fold(name), dept.code)
        for group in unit.groups:
            target = _Target(departments=tuple(group.members), group=True)
            for name in (group.name, *group.aliases):
                directory._add(name, target)
        for partner in unit.partners:
            target = _Target(named=clean(partner.name))
            for name in (partner.name, *partner.aliases):
                directory._add(name, target)
        return directory

    def _add(self, name: str, target: _Target) -> None:
        # First definition wins: a department's own name beats a group alias that folds the same.
        key = fold(name)
        if key:
            self._targets.setdefault(key, target)
            self._longest = max(self._longest, len(_soft_pieces(clean(name))))

    def lookup_department(self, text: str) -> str | None:
        """A department code from its code, name or alias (the CLI's `--department`)."""
        return self._departments.get(fold(text))

    def resolve(self, cell: str) -> Resolution:
        """Resolve a lead/partner cell; never raises, a blank cell gives an empty resolution."""
        result = Resolution()
        direct: set[str] = set()
        for chunk in _HARD.split(clean(cell)):
            pieces = _soft_pieces(chunk)
            if pieces:
                direct |= self._cover(pieces, result)
        result.grouped = [d for d in result.departments if d not in direct]
        return result

    def _cover(self, pieces: list[tuple[str, str]], result: Resolution) -> set[str]:
        """Cover pieces with known names: fewest unknown pieces, then fewest (longest) names.
        Returns the departments named directly (not through a group)."""
        n = len(pieces)
        # best[i] = (unknown pieces, names) for pieces[i:], and the end of the first segment
        best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        step: list[tuple[int, _Target | None]] = [(n, None)] * n
        for i in range(n - 1, -1, -1):
            cost = (best[i + 1][0] + 1, best[i + 1][1] + 1)
            choice: tuple[int, _Target | None] = (i + 1, None)
            for j in range(min(n, i + self._longest), i, -1):
                target = self._targets.get(fold(_join(pieces[i:j])))
                if target is not None:
                    option = (best[j][0], best[j][1] + 1)
                    if option < cost:
                        cost, choice = option, (j, target)
            best[i], step[i] = cost, choice
        i, unknown_from = 0, None
        direct: set[str] = set()
        while i < n:
            end, target = step[i]
            if target is None:
                unknown_from = i if unknown_from is None else unknown_from
            else:
                if unknown_from is not None:
                    _append(result.unknown, _join(pieces[unknown_from:i]))
                    unknown_from = None
                for code in target.departments:
                    _append(result.departments, code)
                if not target.group:
                    direct.update(target.departments)
                if target.named:
                    _append(result.named, target.named)
            i = end
        if unknown_from is not None:
            _append(result.unknown, _join(pieces[unknown_from:]))
        return direct


def _soft_pieces(chunk: str) -> list[tuple[str, str]]:
    """Pieces split on soft separators, each with the separator written before it."""
    return split_pieces(chunk, _SOFT, _EDGE_JUNK)


def _join(pieces: list[tuple[str, str]]) -> str:
    """The pieces as written, with the separators between them."""
    return pieces[0][1] + "".join(f"{sep}{text}" for sep, text in pieces[1:])


def _append(items: list[str], value: str) -> None:
    if value and value not in items:
        items.append(value)
