"""`planflow done` as a whole process at 10,000 and 100,000 tasks, against the stack's floor.

For each size (a generated database of 250 or 2,500 communes × 40 tasks) each round runs,
alternately, as child processes:

- `planflow --as-of 12/11/2025 done CODE --unit U --evidence … --on 12/11/2025` as the lead
  department's head, on a task that is still open (a different task every run, so every
  run really completes something: guarded update, task status, audit event, one commit);
- the floor: a bare script that imports sqlmodel, declares the one table it updates (item,
  as planflow declares it), opens the same file and updates one row in one transaction;
- for information, the same floor with the cyclic GC disabled, as `planflow done` runs
  (see planflow/cli/__init__.py): how much of the ratio that setting earns.

Targets (issue 7): done ≤ 1.3× the floor at both sizes, and done at 100k ≤ 1.1× done at 10k.

    .venv/bin/python bench/done.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PLANFLOW,
    PYTHON,
    Run,
    child_env,
    compile_bytecode,
    ensure_data,
    fresh_copy,
    interleave,
    machine,
    report,
    run,
)

SIZES = ((10_000, 250, "tasks-10k.db"), (100_000, 2500, "tasks-100k.db"))

FLOOR = """
import sys
from datetime import date

from sqlmodel import Field, Session, SQLModel, col, create_engine, update


class Item(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int
    task_id: int
    period: str = ""
    department: str = ""
    start_on: date | None = None
    due_on: date | None = None
    status: str = "not_started"
    completed_on: date | None = None
    evidence: str = ""
    version: int = 1


engine = create_engine("sqlite:///" + sys.argv[1])
with Session(engine) as session:
    session.execute(update(Item).where(col(Item.id) == 1).values(evidence="floor"))
    session.commit()
"""


def open_tasks(path: Path, count: int) -> list[tuple[str, str, str]]:
    """(unit, code, head's user) of single-item open tasks, spread over the units."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        """
        SELECT unit.code, task.code, task.leads FROM task
        JOIN unit ON unit.id = task.unit_id
        WHERE task.status = 'not_started' AND task.deadline_kind IN ('date', 'month', 'year')
          AND (SELECT COUNT(*) FROM item WHERE item.task_id = task.id) = 1
        ORDER BY task.id DESC LIMIT ?
        """,
        (count,),
    ).fetchall()
    conn.close()
    out = []
    for unit, code, leads in rows:
        lead = json.loads(leads)[0]
        out.append((unit, code, f"{lead.lower()}-{unit.removeprefix('xa-')}"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    compile_bytecode()
    print(machine())
    medians: dict[int, float] = {}
    cpus: dict[int, float] = {}
    for tasks, units, name in SIZES:
        copy = fresh_copy(ensure_data(units, name), f"done-{name}")
        todo = iter(open_tasks(copy, args.rounds + 2))
        url = f"sqlite:///{copy}"

        def done(url: str = url, todo=todo) -> Run:  # type: ignore[no-untyped-def]
            unit, code, user = next(todo)
            env = child_env(PLANFLOW_DATABASE_URL=url, PLANFLOW_USER=user)
            result = run(
                [
                    PLANFLOW, "--as-of", "12/11/2025", "done", code, "--unit", unit,
                    "--evidence", "Công văn số 12/UBND", "--on", "12/11/2025",
                ],
                env,
            )  # fmt: skip
            assert result.returncode == 0 and "12/11/2025" in result.stdout, result.stdout
            return result

        def floor(copy: Path = copy) -> Run:
            return run([PYTHON, "-c", FLOOR, str(copy)])

        def floor_no_gc(copy: Path = copy) -> Run:
            return run([PYTHON, "-c", "import gc; gc.disable()\n" + FLOOR, str(copy)])

        series = interleave({"done": done, "floor": floor, "floor_no_gc": floor_no_gc}, args.rounds)
        d, f = series["done"].median, series["floor"].median
        medians[tasks] = d
        dc, fc = series["done"].cpu, series["floor"].cpu
        cpus[tasks] = dc
        report(
            f"done at {tasks:,} tasks",
            f"{d * 1000:.0f} ms (peak {series['done'].peak_mb:.0f} MB)",
            f"sqlmodel floor {f * 1000:.0f} ms: {d / f:.2f}x",
            "<= 1.3x the floor",
            d / f <= 1.3,
        )
        g, gc_ = series["floor_no_gc"].median, series["floor_no_gc"].cpu
        report(
            f"done at {tasks:,} tasks vs a GC-less floor",
            f"{d * 1000:.0f} ms, CPU {dc * 1000:.0f} ms",
            f"floor with gc.disable() {g * 1000:.0f} ms: {d / g:.2f}x, CPU {gc_ * 1000:.0f} ms:"
            f" {dc / gc_:.2f}x",
            "(information: done disables the GC too)",
            True,
        )
        report(
            f"done at {tasks:,} tasks (CPU time)",
            f"{dc * 1000:.0f} ms",
            f"sqlmodel floor {fc * 1000:.0f} ms: {dc / fc:.2f}x",
            "(load-independent view)",
            dc / fc <= 1.3,
        )
    ratio = medians[100_000] / medians[10_000]
    report(
        "done 100k vs 10k",
        f"{medians[100_000] * 1000:.0f} ms",
        f"{medians[10_000] * 1000:.0f} ms at 10k: {ratio:.2f}x",
        "<= 1.1x",
        ratio <= 1.1,
    )
    cpu_ratio = cpus[100_000] / cpus[10_000]
    report(
        "done 100k vs 10k (CPU time)",
        f"{cpus[100_000] * 1000:.0f} ms",
        f"{cpus[10_000] * 1000:.0f} ms at 10k: {cpu_ratio:.2f}x",
        "(load-independent view)",
        cpu_ratio <= 1.1,
    )


if __name__ == "__main__":
    main()
