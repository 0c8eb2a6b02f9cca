"""The one place time enters planflow.

`--as-of DATE` (or PLANFLOW_TODAY) makes every command run as if on that day; everything
else takes `today`/`now` as arguments, so tests pass dates instead of patching the clock.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_override: date | None = None


def set_today(day: date | None) -> None:
    global _override
    _override = day


def today() -> date:
    if _override is not None:
        return _override
    env = os.environ.get("PLANFLOW_TODAY")
    if env:
        from planflow.dates import parse_day  # the formats --as-of takes

        return parse_day(env, "PLANFLOW_TODAY")
    return datetime.now(TZ).date()


def now() -> datetime:
    """Aware UTC (how every timestamp is stored). On an overridden day: that day at the
    current wall-clock time in Vietnam, so events recorded "as of" a day sort naturally."""
    real = datetime.now(UTC)
    if _override is None and not os.environ.get("PLANFLOW_TODAY"):
        return real
    local = datetime.combine(today(), real.astimezone(TZ).timetz().replace(tzinfo=None), TZ)
    return local.astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The Vietnamese calendar day of a stored timestamp."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TZ).date()
