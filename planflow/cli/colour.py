"""Colour on a terminal: status and overdue stand out in `planflow tasks` and `mine`.

Only for a terminal that wants it: nothing in a pipe or a file, nothing when NO_COLOR is set
(https://no-color.org) or TERM is "dumb". planflow's streams strip every escape sequence
(a user's note may hold one), so coloured output goes to the unfiltered stream underneath,
and each cell is passed through engine.text.for_terminal first: the colours are planflow's,
never the text's.
"""

from __future__ import annotations

import os
import sys
from typing import Any

STATUS_STYLES = {"done": "green", "in_progress": "yellow", "cancelled": "dim"}
OVERDUE_STYLE = "bold red"


def wanted(stream: Any) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console() -> Any:
    """A rich Console on stdout, coloured only when `wanted`."""
    from rich.console import Console

    out = getattr(sys.stdout, "unfiltered", sys.stdout)
    if wanted(out):
        return Console(file=out, force_terminal=True, no_color=False)
    return Console(file=out, width=None if out.isatty() else 160, color_system=None)
