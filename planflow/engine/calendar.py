"""Working days of a Vietnamese public office, and the deadline rule built on them.

A day is a working day when it is Monday–Friday and not a holiday or one of the unit's own
days off, or when it is a make-up working day (a Saturday worked in exchange for a bridge day).
Precedence, most specific first: the unit's `days_off`, then `working_days`, then `holidays`,
then the weekday. A deadline that falls on a day off moves to the next working day (Civil Code
2015, art. 148), which is what `effective_due` applies.

Counting is arithmetic, not day-by-day: the number of working days up to an ordinal is the
number of weekdays (closed form) minus the weekday days off plus the weekend working days
(two sorted lists, bisected). A national sweep calls this ~130,000 times.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)


def _weekdays_upto(ordinal: int) -> int:
    """Mondays–Fridays among ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


class WorkCalendar:
    """Plain-data working-day calendar; immutable once built."""

    __slots__ = ("_off", "_on", "_off_ordinals", "_on_ordinals")

    def __init__(
        self,
        holidays: Iterable[date] = (),
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ) -> None:
        unit_off = set(days_off)
        on = set(working_days) - unit_off
        off = (set(holidays) - on) | unit_off
        # Only the exceptions to the Monday–Friday rule matter from here on.
        self._off: frozenset[date] = frozenset(d for d in off if d.weekday() < 5)
        self._on: frozenset[date] = frozenset(d for d in on if d.weekday() >= 5)
        self._off_ordinals: list[int] = sorted(d.toordinal() for d in self._off)
        self._on_ordinals: list[int] = sorted(d.toordinal() for d in self._on)

    def __repr__(self) -> str:
        return f"WorkCalendar(<{len(self._off)} weekdays off, {len(self._on)} weekend days on>)"

    def is_working_day(self, d: date) -> bool:
        """True when the office is open on `d`."""
        if d.weekday() < 5:
            return d not in self._off
        return d in self._on

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def effective_due(self, due: date | None) -> date | None:
        """The day a deadline really falls due: a day off moves it to the next working day."""
        if due is None:
            return None
        return self.next_working_day(due)

    def _count_upto(self, ordinal: int) -> int:
        """Working days among ordinals 1..ordinal; non-decreasing, +1 exactly on working days."""
        return (
            _weekdays_upto(ordinal)
            - bisect_right(self._off_ordinals, ordinal)
            + bisect_right(self._on_ordinals, ordinal)
        )

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (minus the days in (b, a]) when b < a."""
        return self._count_upto(b.toordinal()) - self._count_upto(a.toordinal())

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (before it when n < 0); n = 0 gives next_working_day.

        For a working day `d`, `working_days_between(d, add_working_days(d, n)) == n`.
        """
        if n == 0:
            return self.next_working_day(d)
        origin = d.toordinal()
        count = self._count_upto
        if n > 0:
            # Smallest x > origin with count(x) - count(origin) >= n: it is a working day.
            base = count(origin)
            lo, step = origin + n, n + 7
            hi = lo + step
            while count(hi) - base < n:
                lo, step = hi, step * 2
                hi = lo + step
            while lo < hi:
                mid = (lo + hi) // 2
                if count(mid) - base >= n:
                    hi = mid
                else:
                    lo = mid + 1
            return date.fromordinal(lo)
        # Largest x < origin with working days in [x, origin) >= -n: it is a working day.
        need = -n
        top = count(origin - 1)
        hi, step = origin - need, need + 7
        lo = hi - step
        while top - count(lo - 1) < need:
            hi, step = lo, step * 2
            lo = hi - step
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if top - count(mid - 1) >= need:
                lo = mid
            else:
                hi = mid - 1
        return date.fromordinal(lo)
