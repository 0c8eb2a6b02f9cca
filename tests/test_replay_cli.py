"""Every reading command under the global --as-of (or PLANFLOW_TODAY) shows what the event
log held on that day, and a write dated before the log's events is refused.

History (tests/test_reports.py's scenario): I.2.1 done 20/07, I.2.2 15/08, III.2.1 10/09,
VI.2.1 05/09, II.2.1 Q3 25/09 (recorded as of 30/09); VI.2.2 done 20/10, II.2.2 01/12
(recorded as of 14/12). Read off by hand: on 30/09/2025 the done tasks are I.2.1, I.2.2,
III.2.1 and VI.2.1 (II.2.1 has one of its two occurrences: in progress); on 01/07/2025
none is done; VI.2.2 is not started on 30/09 and done on 14/12.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import Cli
from tests.test_reports import FIRST, LATER, complete


@pytest.fixture
def worked(kylac: Cli) -> Cli:
    complete(kylac, FIRST, "30/09/2025")
    complete(kylac, LATER, "14/12/2025")
    return kylac


def _done(cli: Cli, *env_or_args: str, env: dict[str, str] | None = None) -> list[str]:
    rows = cli.ok(*env_or_args, "tasks", "--status", "done", "--json", env=env or {}).json
    return [r["code"] for r in rows]


def test_global_as_of_lists_the_statuses_of_that_day(worked: Cli) -> None:
    assert _done(worked, "--as-of", "30/09/2025") == ["I.2.1", "I.2.2", "III.2.1", "VI.2.1"]
    assert _done(worked, "--as-of", "01/07/2025") == []
    assert _done(worked, env={"PLANFLOW_TODAY": "30/09/2025"}) == [
        "I.2.1",
        "I.2.2",
        "III.2.1",
        "VI.2.1",
    ]
    assert len(_done(worked, "--as-of", "14/12/2025")) == 6  # and II.2.1 still in progress


def test_global_as_of_task_show_and_report_replay_the_log(worked: Cli) -> None:
    then = worked.ok("--as-of", "30/09/2025", "task", "show", "VI.2.2", "--json").json
    assert (then["status"], then["completed_on"], then["evidence"]) == ("not_started", None, "")
    now = worked.ok("--as-of", "14/12/2025", "task", "show", "VI.2.2", "--json").json
    assert (now["status"], now["completed_on"]) == ("done", "2025-10-20")
    global_ = worked.ok("--as-of", "30/09/2025", "report", "--format", "json").json
    local = worked.ok("report", "--as-of", "30/09/2025", "--format", "json").json
    assert (global_["done"], global_["total"], global_["basis"]) == (4, 35, "events")
    assert global_ == local


def test_a_write_dated_before_the_log_is_refused_with_the_fix(worked: Cli) -> None:
    result = worked("--as-of", "30/09/2025", "note", "VI.2.2", "Ghi chú muộn", user="kt")
    assert result.code != 0 and "Traceback" not in result.err
    assert "20/10/2025" in result.err and "planflow done VI.2.2 --on 30/09/2025" in result.err
    history = worked.ok("history", "VI.2.2", "--json").json
    assert not any(e["action"] == "note" for e in history["events"])


def test_a_move_before_the_plan_starts_is_refused(kylac: Cli) -> None:
    """Kỳ Lạc's plan starts on 01/07/2025."""
    result = kylac(
        "--as-of", "10/07/2025", "done", "I.2.3", "--on", "20/06/2025", "--evidence", "x",
        user="vhxh",
    )  # fmt: skip
    assert result.code != 0 and "trước ngày bắt đầu kế hoạch (01/07/2025)" in result.err


def test_remind_dry_run_chases_what_was_open_that_day(worked: Cli) -> None:
    """I.2.2 and III.2.1 fall due Thu 31/07/2025 and were done on 15/08 and 10/09: on Wed
    30/07 (one working day before) both were open and owed their "1 day before" reminder;
    I.2.1 was already done (20/07)."""
    out = worked.ok("--as-of", "30/07/2025", "remind", "--dry-run", "--json").out
    codes = set(re.findall(r'"code": "([^"]+)"', out))
    assert {"I.2.2", "III.2.1"} <= codes and "I.2.1" not in codes


def test_a_period_still_running_is_counted_up_to_today(kylac: Cli) -> None:
    """The 2025 report asked for on 15/10/2025 counts up to 15/10, not to the period's end
    (14/12/2025), and says so."""
    data = kylac.ok("--as-of", "15/10/2025", "report", "--period", "2025", "--format", "json")
    assert data.json["as_of"] == "2025-10-15"
    text = kylac.ok("--as-of", "15/10/2025", "report", "--period", "2025").out
    assert "(tính đến ngày 15/10/2025)" in text and "tính đến ngày 14/12/2025" not in text


def test_an_empty_period_says_so(kylac: Cli) -> None:
    """Q1/2025 (15/12/2024-14/03/2025) ends before the plan's tasks were created (01/07)."""
    data = kylac.ok("report", "--period", "Q1/2025", "--format", "json").json
    assert data["total"] == 0
    assert data["summary"] == "Chưa có nhiệm vụ nào được tính vào ngày hoặc kỳ này."
    assert "0/0" not in kylac.ok("report", "--period", "Q1/2025").out
