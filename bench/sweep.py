"""The daily reminder sweep over every unit of the national database, against its floor.

Each round runs, alternately, in child processes:

- the sweep: `sweep_all_units` (what `planflow remind` and the scheduler run) at the fixed
  as-of day on a fresh copy of bench/data/national.db, committed: every open item read,
  the policy applied, the owed messages rendered and queued;
- the floor: a bare `sqlite3` fetch of the same open rows (same columns, same filter) on the
  same file, with nothing done to them.

Both time their own work (the interpreter's start-up is not part of a daily sweep); peak
memory is the sweep process's high-water mark. Targets (issue 7): ≤ 5 s, ≥ 25 % of the
floor's rate, ≤ 500 MB.

`--monday` sweeps as of Monday 10/11/2025 instead: the same reminders plus every chairman's
weekly snapshot, a report with its Phụ lục 1B .docx, one per unit. It has no floor; it
prints wall and CPU time, peak memory, and the longest time the sweep held the write lock
(BEGIN IMMEDIATE to COMMIT), which is what a concurrent `planflow done` waits for: target
≤ 2 s. One round is about ten minutes nationally.

    .venv/bin/python bench/sweep.py [--rounds 3] [--units 3300] [--monday]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    AS_OF,
    PYTHON,
    compile_bytecode,
    ensure_data,
    fresh_copy,
    interleave,
    machine,
    report,
    run,
)

MONDAY = "2025-11-10"  # the week of AS_OF: chairmen's snapshots are owed
LOCK_TARGET_S = 2.0

BARE_SQL = """
SELECT item.unit_id, item.id, item.due_on, item.period, item.department, item.status,
       task.code, task.text, task.leads, task.partners, task.status, task.deadline_kind,
       task.deadline_text
FROM item JOIN task ON task.id = item.task_id
WHERE item.status IN ('not_started', 'in_progress')
  AND task.archived_at IS NULL AND task.status != 'cancelled'
"""


def child_sweep(path: str, day: str) -> None:
    from planflow.db import session_scope
    from planflow.services.sweep_all import sweep_all_units

    url = f"sqlite:///{path}"
    held = _watch_write_lock(url)
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope(url, write=True) as session:
        result = sweep_all_units(session, date.fromisoformat(day))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    longest = max(held, default=0.0)
    print(
        result.open_items,
        f"{elapsed:.4f}",
        result.queued,
        len(result.messages),
        f"{cpu:.4f}",
        f"{longest:.4f}",
        len(held),
    )


def _watch_write_lock(url: str) -> list[float]:
    """Seconds each write transaction lasted (BEGIN IMMEDIATE to COMMIT or ROLLBACK)."""
    from sqlalchemy import event

    from planflow.db import get_engine

    engine = get_engine(url)
    began: dict[int, float] = {}
    held: list[float] = []

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get("planflow_write", False):
            began[id(conn)] = time.perf_counter()

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        if id(conn) in began:
            held.append(time.perf_counter() - began.pop(id(conn)))

    event.listen(engine, "rollback", _commit)
    return held


def child_bare(path: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(path)
    rows = conn.execute(BARE_SQL).fetchall()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(len(rows), f"{elapsed:.4f}", f"{cpu:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--units", type=int, default=3300)
    parser.add_argument("--as-of", default=AS_OF)
    parser.add_argument("--monday", action="store_true", help=f"as of Monday {MONDAY}")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        child_sweep(*rest) if kind == "sweep" else child_bare(*rest)
        return
    compile_bytecode()
    name = "national.db" if args.units == 3300 else f"units-{args.units}.db"
    source = ensure_data(args.units, name)
    me = str(Path(__file__).resolve())

    if args.monday:
        monday(source, me, args.units, args.rounds)
        return

    def sweep() -> object:
        copy = fresh_copy(source, "sweep-run.db")
        return run([PYTHON, me, "--child", "sweep", str(copy), args.as_of])

    def bare() -> object:
        return run([PYTHON, me, "--child", "bare", str(source)])

    print(machine())
    series = interleave({"sweep": sweep, "bare": bare}, args.rounds)  # type: ignore[dict-item]
    sweeps = [r.stdout.split() for r in series["sweep"].runs]
    bares = [r.stdout.split() for r in series["bare"].runs]
    items = int(sweeps[0][0])
    sweep_s = sorted(float(s[1]) for s in sweeps)[len(sweeps) // 2]
    bare_rows = int(bares[0][0])
    bare_s = sorted(float(b[1]) for b in bares)[len(bares) // 2]
    rate, floor = items / sweep_s, bare_rows / bare_s
    queued = sweeps[0][2]
    label = f"sweep {args.units} units"
    report(
        f"{label}: time",
        f"{sweep_s:.2f} s ({items} open items)",
        f"{queued} messages queued, as of {args.as_of}",
        "<= 5 s",
        sweep_s <= 5.0,
    )
    report(
        f"{label}: rate vs bare fetch",
        f"{rate:,.0f} items/s",
        f"bare sqlite3 {floor:,.0f} rows/s ({bare_s:.2f} s): {rate / floor:.0%}",
        ">= 25% of the floor",
        rate / floor >= 0.25,
    )
    sweep_cpu = sorted(float(s[4]) for s in sweeps)[len(sweeps) // 2]
    bare_cpu = sorted(float(b[2]) for b in bares)[len(bares) // 2]
    report(
        f"{label}: CPU time",
        f"{sweep_cpu:.2f} s ({items / sweep_cpu:,.0f} items/s)",
        f"bare fetch {bare_cpu:.2f} s: {bare_cpu / sweep_cpu:.0%} of its rate",
        "(load-independent view)",
        sweep_cpu <= 5.0 and bare_cpu / sweep_cpu >= 0.25,
    )
    peak = series["sweep"].peak_mb
    report(
        f"{label}: peak memory",
        f"{peak:.0f} MB",
        f"bare fetch {series['bare'].peak_mb:.0f} MB",
        "<= 500 MB",
        peak <= 500,
    )


def monday(source: Path, me: str, units: int, rounds: int) -> None:
    """The Monday sweep: reminders plus a snapshot with its .docx for every chairman."""

    def sweep() -> object:
        copy = fresh_copy(source, "sweep-run.db")
        return run([PYTHON, me, "--child", "sweep", str(copy), MONDAY])

    print(machine())
    series = interleave({"monday": sweep}, rounds, warmup=0)  # type: ignore[dict-item]
    sweeps = [r.stdout.split() for r in series["monday"].runs]
    wall = sorted(float(s[1]) for s in sweeps)[len(sweeps) // 2]
    cpu = sorted(float(s[4]) for s in sweeps)[len(sweeps) // 2]
    lock = max(float(s[5]) for s in sweeps)
    label = f"Monday sweep {units} units"
    report(
        f"{label}: time",
        f"{wall:.1f} s (CPU {cpu:.1f} s, {cpu / units * 1000:.0f} ms/unit)",
        f"{sweeps[0][2]} messages queued, as of {MONDAY}",
        "(none; was ~0.5 s/unit)",
        True,
    )
    report(
        f"{label}: longest write lock",
        f"{lock:.2f} s",
        f"{sweeps[0][6]} write transactions",
        f"<= {LOCK_TARGET_S:.0f} s",
        lock <= LOCK_TARGET_S,
    )
    peak = series["monday"].peak_mb
    report(f"{label}: peak memory", f"{peak:.0f} MB", "", "<= 500 MB", peak <= 500)


if __name__ == "__main__":
    main()
