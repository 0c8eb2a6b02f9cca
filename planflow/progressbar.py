"""A progress bar for long work over many units, shown only to a person at a terminal.

Long loops (a national sweep, data generation, a roll-up over many communes) wrap their
iterable in `track`. The bar goes to stderr, and only when stderr is a terminal and the caller
is not producing JSON: scripts, cron jobs, pipes and `--json` output stay byte-for-byte clean.
rich is imported only when a bar is actually drawn, so quiet runs pay nothing for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def wanted(enabled: bool | None = None) -> bool:
    """Whether a bar would be drawn: never when `enabled` is False (e.g. --json), never
    when stderr is not a terminal, never with PLANFLOW_PROGRESS=0 or TERM=dumb."""
    if enabled is False:
        return False
    if os.environ.get("PLANFLOW_PROGRESS") == "0" or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


def track(
    iterable: Iterable[T],
    total: int | None = None,
    label: str = "",
    enabled: bool | None = None,
) -> Iterator[T]:
    """Yield every item of `iterable`, drawing a bar on stderr when `wanted(enabled)`.

    `total` defaults to `len(iterable)` when it has one. The bar is transient: it disappears
    when the loop ends, so the terminal keeps only the command's real output.
    """
    if not wanted(enabled):
        yield from iterable
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    # The bar's own cursor moves must reach the terminal, past the CLI's filter of them.
    console = Console(file=getattr(sys.stderr, "unfiltered", sys.stderr))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        for item in iterable:
            yield item
            progress.advance(task)
