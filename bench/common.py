"""What every benchmark shares: the interpreter, compiled bytecode, timed child processes.

Measured as users run planflow: the venv's own interpreter (not a version-manager shim),
bytecode compiled beforehand (this environment sets PYTHONDONTWRITEBYTECODE=1, so nothing
would be cached otherwise), each command a child process whose wall time and peak memory
(ru_maxrss from os.wait4, per child) are read here, and the two commands of a ratio run
alternately in one loop so that load from other processes hits both alike.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
PLANFLOW = str(Path(PYTHON).parent / "planflow")
AS_OF = "2025-11-12"  # the generator's fixed "today" (a Wednesday)


@dataclass
class Run:
    """One child process: wall seconds, peak resident memory (MB), what it printed."""

    seconds: float
    peak_mb: float
    stdout: str
    returncode: int
    cpu: float = 0.0  # user + system seconds: steadier than wall time on a shared machine


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


def compile_bytecode() -> None:
    """Write .pyc files for planflow and the venv's packages once (quietly)."""
    site = Path(PYTHON).parent.parent / "lib"
    for target in (ROOT / "planflow", site, ROOT / "bench"):
        subprocess.run(
            [PYTHON, "-m", "compileall", "-q", "-j", "0", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured child: bytecode is READ (it was compiled first)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PLANFLOW_PROGRESS"] = "0"
    env.update(extra)
    return env


def run(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run one child to completion, reaped with os.wait4 for its own peak memory."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdout=subprocess.PIPE,
            stderr=err,
            env=env or child_env(),
            cwd=str(ROOT),
            text=True,
        )
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if code != 0:
            err.seek(0)
            sys.stderr.write(f"command failed ({code}): {' '.join(cmd)}\n{err.read()[-2000:]}\n")
    return Run(elapsed, usage.ru_maxrss / 1024, out, code, usage.ru_utime + usage.ru_stime)


def interleave(
    commands: dict[str, Callable[[], Run]], rounds: int, warmup: int = 1
) -> dict[str, Series]:
    """Run each command once per round, alternately; the first `warmup` rounds are dropped
    (they fill the page cache)."""
    out = {name: Series() for name in commands}
    for n in range(warmup + rounds):
        for name, fn in commands.items():
            result = fn()
            if n >= warmup:
                out[name].runs.append(result)
    return out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(name: str, measured: str, compared: str, target: str, ok: bool) -> None:
    """One line per figure: what was measured, what it is compared with, the target."""
    print(f"{name:<34} {measured:<28} {compared:<44} target {target:<22} {verdict(ok)}")
    sys.stdout.flush()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"# {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()} ({PYTHON}), "
        f"load {load:.1f}"
    )


def fresh_copy(source: Path, name: str) -> Path:
    """A throw-away copy of a generated database (a sweep writes to the outbox)."""
    target = DATA / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def ensure_data(units: int, name: str) -> Path:
    """The generated database for `units` communes, generated once and reused."""
    path = DATA / name
    if not path.exists():
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "generate.py"), "--units", str(units), "-o", str(path)],
            check=True,
            env=child_env(),
        )
    else:  # generated by an older planflow: bring its schema (and indexes) up to date
        subprocess.run(
            [PLANFLOW, "init"],
            check=True,
            env=child_env(PLANFLOW_DATABASE_URL=f"sqlite:///{path}"),
            stdout=subprocess.DEVNULL,
        )
    return path


class Counter:
    """An SMTP sink's handler (aiosmtpd): answers 250 and counts, nothing else."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"
