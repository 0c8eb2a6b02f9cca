"""Real processes started at once on one database: nothing lost, nobody wins twice, and no
user ever sees "database is locked"."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import Cli

pytestmark = pytest.mark.slow

# Tasks of the Kỳ Lạc plan with a single item (no occurrences, no shared parts).
SINGLE = [
    "I.2.1",
    "I.2.2",
    "I.2.3",
    "I.2.5",
    "I.2.6",
    "I.2.7",
    "II.2.2",
    "III.2.1",
    "III.2.11",
    "IV.2.1",
    "V.2.1",
    "V.2.2",
    "VI.2.1",
    "VI.2.2",
    "VI.2.3",
    "VI.2.4",
    "VI.2.5",
    "VI.2.6",
    "VI.2.7",
    "VII.1.2.1",
]


@pytest.fixture
def coordinated(kylac: Cli) -> Cli:
    kylac.ok(
        "person",
        "add",
        "Trần Thị Điều",
        "--user",
        "dp",
        "--dept",
        "VHXH",
        "--role",
        "coordinator",  # added by the administrator (the OS login that ran init)
    )
    return kylac


def _start(cli: Cli, *args: str) -> subprocess.Popen[str]:
    env = {**cli.env, "PLANFLOW_USER": "dp", "PLANFLOW_TODAY": "2025-10-10"}
    return subprocess.Popen(
        [sys.executable, "-m", "planflow", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cli.home,
    )


def _wait(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append((proc.returncode, out, err))
    return results


def test_twenty_processes_twenty_tasks(coordinated: Cli) -> None:
    assert len(SINGLE) == 20
    procs = [_start(coordinated, "done", code, "--evidence", f"Văn bản {code}") for code in SINGLE]
    results = _wait(procs)
    for (code, out, err), task in zip(results, SINGLE, strict=True):
        assert code == 0, f"{task}: {err}"
        assert f"Đã ghi hoàn thành {task} ngày 10/10/2025" in out
        assert "locked" not in err + out
    listed = {t["code"]: t["status"] for t in coordinated.ok("tasks", "--json").json}
    assert all(listed[code] == "done" for code in SINGLE)
    for code in SINGLE[:3]:
        history = coordinated.ok("history", code, "--json").json["events"]
        assert [e["action"] for e in history] == ["created", "complete"]


def test_five_processes_one_task(coordinated: Cli) -> None:
    procs = [
        _start(coordinated, "done", "VI.2.1", "--evidence", f"Công văn số {n}") for n in range(5)
    ]
    results = _wait(procs)
    assert all(code == 0 for code, _, _ in results), results
    assert all("locked" not in out + err for _, out, err in results)
    winners = [out for _, out, _ in results if "Đã ghi hoàn thành VI.2.1" in out]
    already = [out for _, out, _ in results if "đã hoàn thành trước đó" in out]
    assert len(winners) == 1 and len(already) == 4, results
    history = coordinated.ok("history", "VI.2.1", "--json").json["events"]
    assert [e["action"] for e in history] == ["created", "complete"]
    winner_evidence = history[1]["evidence"]
    assert winner_evidence in winners[0]
