"""How long `planflow remind` holds the SQLite write lock, and how long a `planflow done`
run meanwhile waits for it, on a province (70 communes).

Each round, on a fresh copy of bench/data/units-70.db, runs as child processes:

- `planflow remind --as-of DAY` (sweep of every unit, then delivery of everything queued
  to an aiosmtpd sink on 127.0.0.1 in this parent process), with a watch on the engine
  that times every write transaction from the moment BEGIN IMMEDIATE returned (the lock
  is held) to COMMIT or ROLLBACK, as bench/sweep.py does for the sweep alone;
- meanwhile, one after another until remind exits, `planflow done CODE` by the task's
  head on a different open task each time, with a watch that times its BEGIN IMMEDIATE:
  the wait for the lock remind holds (the whole process's wall time is printed too).

Both are the real command (`planflow.cli.main`, in-process only so the watches can be
installed). DAY is Wednesday 12/11/2025 (reminders) and Monday 10/11/2025 (reminders and
every chairman's weekly snapshot with its Phụ lục 1B .docx). Goal (issue 12): the lock
held < 0.5 s, `done` during `remind` waiting < 0.5 s (the worst of every run).

    .venv/bin/python bench/remind_lock.py [--rounds 3] [--units 70]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    AS_OF,
    PYTHON,
    Counter,
    child_env,
    compile_bytecode,
    ensure_data,
    fresh_copy,
    machine,
    report,
)
from done import open_tasks  # noqa: E402

MONDAY = "2025-11-10"
GOAL_S = 0.5


def _watch_writes(url: str) -> list[tuple[float, str]]:
    """(seconds held, first statement) of every write transaction on `url`'s engine."""
    from sqlalchemy import event

    from planflow.db import get_engine

    engine = get_engine(url)
    began: dict[int, list[Any]] = {}
    held: list[tuple[float, str]] = []

    @event.listens_for(engine, "begin")  # runs after planflow's BEGIN IMMEDIATE returned
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get("planflow_write", False):
            began[id(conn)] = [time.perf_counter(), ""]

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        entry = began.get(id(conn))
        if entry is not None and not entry[1]:
            entry[1] = " ".join(statement.split()[:3])  # "INSERT INTO outbox", "SELECT outbox.id,"

    def _end(conn: Any) -> None:
        entry = began.pop(id(conn), None)
        if entry is not None:
            held.append((time.perf_counter() - entry[0], entry[1]))

    event.listen(engine, "commit", _end)
    event.listen(engine, "rollback", _end)
    return held


def _watch_lock_wait(url: str) -> list[float]:
    """Seconds each BEGIN IMMEDIATE took on `url`'s engine: the wait for the write lock."""
    from sqlalchemy import event

    from planflow.db import get_engine

    engine = get_engine(url)
    started: dict[int, float] = {}
    waits: list[float] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            started[id(conn)] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if id(conn) in started:
            waits.append(time.perf_counter() - started.pop(id(conn)))

    return waits


def child(kind: str, out: str, *args: str) -> None:
    """Run one planflow command in this process with its watch; figures go to `out`."""
    from planflow.cli import main as planflow_main

    url = os.environ["PLANFLOW_DATABASE_URL"]
    watched: Any = _watch_writes(url) if kind == "remind" else _watch_lock_wait(url)
    sys.argv = ["planflow", *args]
    started = time.perf_counter()
    code = 0
    try:
        planflow_main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    elapsed = time.perf_counter() - started
    Path(out).write_text(json.dumps({"code": code, "seconds": elapsed, "watched": watched}))


def _child(kind: str, env: dict[str, str], *args: str) -> tuple[subprocess.Popen[str], Path]:
    fd, out = tempfile.mkstemp(prefix=f"remind-lock-{kind}-", suffix=".json")
    os.close(fd)
    me = str(Path(__file__).resolve())
    proc = subprocess.Popen(
        [PYTHON, me, "--child", kind, out, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, Path(out)


def _result(proc: subprocess.Popen[str], out: Path) -> dict[str, Any]:
    _, err = proc.communicate()
    data = json.loads(out.read_text() or "{}")
    out.unlink(missing_ok=True)
    if proc.returncode != 0 or data.get("code"):
        sys.stderr.write(f"child failed ({proc.returncode}, {data.get('code')}):\n{err[-2000:]}\n")
        raise SystemExit(1)
    return data


def one_round(source: Path, day: str, port: int) -> dict[str, Any]:
    """remind on a fresh copy, with `done` runs one after another until it exits."""
    copy = fresh_copy(source, "remind-lock.db")
    url = f"sqlite:///{copy}"
    todo = iter(open_tasks(copy, 200))
    smtp = f"smtp://127.0.0.1:{port}"
    env = child_env(PLANFLOW_DATABASE_URL=url, PLANFLOW_SMTP_URL=smtp)
    remind, remind_out = _child("remind", env, "remind", "--as-of", day)
    dones: list[dict[str, Any]] = []
    while remind.poll() is None:
        unit, code, user = next(todo)
        done_env = {**env, "PLANFLOW_USER": user}
        proc, out = _child(
            "done", done_env, "--as-of", "12/11/2025", "done", code, "--unit", unit,
            "--evidence", "Công văn số 12/UBND", "--on", "12/11/2025",
        )  # fmt: skip
        data = _result(proc, out)
        data["during"] = remind.poll() is None  # still running when this done finished
        dones.append(data)
    result = _result(remind, remind_out)
    result["dones"] = dones
    return result


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # planflow's own options follow: not for argparse
        child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--units", type=int, default=70)
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    compile_bytecode()
    source = ensure_data(args.units, f"units-{args.units}.db")
    print(machine())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        for label, day in (("weekday", AS_OF), ("Monday", MONDAY)):
            rounds = [one_round(source, day, port) for _ in range(args.rounds)]
            _report(label, day, args.units, rounds)
    finally:
        controller.stop()


def _report(label: str, day: str, units: int, rounds: list[dict[str, Any]]) -> None:
    holds = [(s, what) for r in rounds for s, what in r["watched"]]
    longest, what = max(holds, default=(0.0, ""))
    wall = sorted(r["seconds"] for r in rounds)[len(rounds) // 2]
    name = f"remind {units} units, {label}"
    report(
        f"{name}: longest write lock",
        f"{longest:.3f} s",
        f"{len(holds) // len(rounds)} write txns/run, remind {wall:.1f} s; longest: {what}",
        f"< {GOAL_S} s",
        longest < GOAL_S,
    )
    during = [d for r in rounds for d in r["dones"] if d["during"]]
    waits = [w for d in during for w in d["watched"]]
    worst = max(waits, default=0.0)
    done_wall = max((d["seconds"] for d in during), default=0.0)
    report(
        f"{name}: done waits",
        f"{worst:.3f} s (max of {len(during)})",
        f"slowest done during remind {done_wall:.2f} s",
        f"< {GOAL_S} s",
        bool(during) and worst < GOAL_S,
    )


if __name__ == "__main__":
    main()
