"""Vietnam's national working-day calendar, from the `holidays` package (an edge module).

The engine's WorkCalendar takes plain dates; this module is the one place that knows where
national holidays come from. The package lists each officially swapped bridge day as
"Day off (substituted from MM/DD/YYYY)": the bridge day is a day off, and the date in
parentheses (a Saturday) becomes a make-up working day, added here automatically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays as holidays_package

from planflow.engine.calendar import WorkCalendar

_SUBSTITUTED = re.compile(r"substituted from (\d{1,2})/(\d{1,2})/(\d{4})")


def national_calendar(
    years: Iterable[int],
    days_off: Iterable[date] = (),
    working_days: Iterable[date] = (),
) -> WorkCalendar:
    """Vietnam's holidays and make-up days for `years`, plus the unit's own exceptions.

    Cached: a sweep over every commune asks for the same few calendars again and again.
    """
    return _national_calendar(
        tuple(sorted(set(years))),
        tuple(sorted(set(days_off))),
        tuple(sorted(set(working_days))),
    )


@lru_cache(maxsize=64)
def _national_calendar(
    years: tuple[int, ...],
    days_off: tuple[date, ...],
    working_days: tuple[date, ...],
) -> WorkCalendar:
    official = holidays_package.country_holidays("VN", years=years, language="en_US")
    made_up: list[date] = []
    for name in official.values():
        for month, day, year in _SUBSTITUTED.findall(str(name)):
            made_up.append(date(int(year), int(month), int(day)))
    return WorkCalendar(
        holidays=official.keys(),
        days_off=days_off,
        working_days=(*made_up, *working_days),
    )
