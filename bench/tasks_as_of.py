"""`planflow tasks` for one unit of the national database, today against a replayed past day.

Each round runs, alternately, as child processes on bench/data/national.db (3,300 units):

- today: `planflow --as-of 12/11/2025 tasks --unit U --json`: the generated log ends on that
  day, so the stored rows answer (no replay);
- past: `planflow --as-of 01/10/2025 tasks --unit U --json`: the log holds six weeks of the
  unit's events after that day, so the statuses are replayed from it.

Target (issue 13): the past listing costs ≤ 1.3× today's. The roll-up JSON replayed for a
past day is measured by report.py (`json` against `json-today`).

    .venv/bin/python bench/tasks_as_of.py [--rounds 7] [--unit xa-01650]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PLANFLOW,
    child_env,
    compile_bytecode,
    ensure_data,
    interleave,
    machine,
    report,
    run,
)

TODAY, PAST = "12/11/2025", "01/10/2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--unit", default="xa-01650")
    args = parser.parse_args()
    compile_bytecode()
    print(machine())
    path = ensure_data(3300, "national.db")
    env = child_env(PLANFLOW_DATABASE_URL=f"sqlite:///{path}")

    def listing(day: str):  # type: ignore[no-untyped-def]
        return lambda: run([PLANFLOW, "--as-of", day, "tasks", "--unit", args.unit, "--json"], env)

    check = {day: listing(day)() for day in (TODAY, PAST)}
    if any(r.returncode for r in check.values()):
        report("tasks --as-of", "FAILED", "see the error above", "-", False)
        return
    rows = {day: json.loads(r.stdout) for day, r in check.items()}
    done = {day: sum(t.get("status") == "done" for t in listed) for day, listed in rows.items()}
    series = interleave({"today": listing(TODAY), "past": listing(PAST)}, args.rounds)
    t, p = series["today"], series["past"]
    report(
        f"tasks, one unit, as of {PAST} (replayed)",
        f"{p.median * 1000:.0f} ms (CPU {p.cpu * 1000:.0f} ms), {p.peak_mb:.0f} MB",
        f"as of {TODAY} (stored) {t.median * 1000:.0f} ms: {p.median / t.median:.2f}×",
        "<= 1.3×",
        p.median <= 1.3 * t.median,
    )
    print(f"  done tasks listed: {done[PAST]} as of {PAST}, {done[TODAY]} as of {TODAY}")


if __name__ == "__main__":
    main()
