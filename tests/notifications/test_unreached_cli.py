"""`planflow remind` says which department's head it could not write to, instead of dropping it.

Hand count for 30/09/2025 (Tue, a working day): the Q3 occurrence of every "Thường xuyên" task
is due that day. KT leads a part of eight of them in plans/ky-lac-2025.yaml: I.2.4, III.2.2,
III.2.3, III.2.5, III.2.6, III.2.7, III.2.8, III.2.9. KT's own yearly tasks (VI.2.x, due
31/12) owe nothing on 30/09. KT's digest also lists, in its partner section, items other
departments lead (I.2.1, I.2.5, II.2.1 …); without a head's e-mail KT loses those copies,
which are not counted as unreached: their leads were told.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from support import Cli

from planflow import clock
from planflow.config import Settings
from planflow.scheduler import Runner

KT_PARTS = [
    "I.2.4/Q3/KT",
    "III.2.2/Q3/KT",
    "III.2.3/Q3/KT",
    "III.2.5/Q3/KT",
    "III.2.6/Q3/KT",
    "III.2.7/Q3/KT",
    "III.2.8/Q3/KT",
    "III.2.9/Q3/KT",
]


def test_head_without_email_is_reported_and_chased_through_the_coordinator(kylac: Cli) -> None:
    kylac.ok(
        "person",
        "add",
        "Lê Thị Hạnh",
        "--email",
        "hanh@kylac.example.vn",
        "--user",
        "hanh",
        "--dept",
        "VHXH",
        "--role",
        "coordinator",
    )
    day = ("--as-of", "30/09/2025")
    before = kylac.ok("remind", "--dry-run", "--json", *day).json
    assert before["unreached"] == {}
    [kt] = [m for m in before["messages"] if m["to"] == "kt@kylac.example.vn"]
    led = [i for i in kt["items"] if i["role"] == "lead"]
    assert [f"{i['code']}/{i['period']}/{i['department']}" for i in led] == KT_PARTS
    assert kt["items"][: len(led)] == led  # its own section first

    kylac.ok(
        "person",
        "add",
        "Trần Văn Kinh",
        "--user",
        "kt2",
        "--dept",
        "KT",
        "--role",
        "head",
        user="hanh",
    )
    after = kylac.ok("remind", "--dry-run", "--json", *day).json
    assert after["unreached"] == {"KT": KT_PARTS}
    assert "kt@kylac.example.vn" not in {m["to"] for m in after["messages"]}
    coordinator = next(m for m in after["messages"] if m["to"] == "hanh@kylac.example.vn")
    kt_lines = [i for i in coordinator["items"] if i["department"] == "KT"]
    assert [f"{i['code']}/{i['period']}/KT" for i in kt_lines] == KT_PARTS
    assert {i["role"] for i in coordinator["items"]} == {"coordinate"}
    text = kylac.ok("remind", "--dry-run", *day).out
    assert "Trưởng phòng KT chưa có e-mail: 8 mục gửi cho điều phối viên" in text


def test_scheduler_sweep_logs_the_department_it_could_not_reach(
    kylac: Cli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The scheduler runs unattended: a head without e-mail must show in its log."""
    kylac.ok("person", "add", "Trần Văn Kinh", "--user", "kt2", "--dept", "KT", "--role", "head")
    settings = Settings(database_url=kylac.url, outbox_dir=tmp_path / "outbox")
    from planflow import i18n

    clock.set_today(date(2025, 9, 30))
    i18n.set_lang("vi")  # the log speaks the user's language, Vietnamese by default
    try:
        with caplog.at_level(logging.WARNING, logger="planflow.scheduler"):
            Runner(kylac.url, settings).sweep()
            Runner(kylac.url, settings, "ky-lac").sweep()
            i18n.set_lang("en")
            Runner(kylac.url, settings, "ky-lac").sweep()
    finally:
        clock.set_today(None)
        i18n.set_lang("vi")
    messages = [r.getMessage() for r in caplog.records]
    lines = [m for m in messages if "chưa gửi tới" in m]
    assert len(lines) == 2  # once by the all-units sweep, once by the per-unit one
    for line in lines:
        assert "8 việc chưa gửi tới trưởng phòng ky-lac:KT" in line
        assert "III.2.9/Q3/KT" in line
    english = [m for m in messages if "not sent to" in m]
    assert len(english) == 1 and "8 items not sent to ky-lac:KT's head" in english[0]
