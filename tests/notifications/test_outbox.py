"""The outbox through the real CLI on the Kỳ Lạc plan: idempotent sweeps, catch-up after the
machine was off, dry runs, list/retry, the .eml default, the calendar feed, the scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from smtpsink import SmtpServer, free_port
from support import backend

from planflow.models import Outbox


def people(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok(
        "person",
        "add",
        "Chủ tịch UBND xã",
        "--email",
        "chutich@kylac.example.vn",
        "--role",
        "chairman",
        "--user",
        "chutich",
    )
    cli.ok(
        "person",
        "add",
        "Công chức phụ trách CCHC",
        "--email",
        "cchc@kylac.example.vn",
        "--role",
        "coordinator",
        "--dept",
        "VHXH",
        "--user",
        "cchc",
        user="chutich",
    )


def rows(url: str) -> list[Outbox]:
    from sqlmodel import col, select

    from planflow.db import session_scope

    with session_scope(url) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))).all())


def test_sweep_twice_queues_nothing_twice(kylac, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    env = {"PLANFLOW_SMTP_URL": smtp_server.url}
    first = kylac.ok("remind", "--as-of", "25/09/2025", "--json", env=env).json
    again = kylac.ok("remind", "--as-of", "25/09/2025", "--json", env=env).json
    assert first["queued"] == first["sent"] == len(first["messages"]) > 0
    assert (again["queued"], again["sent"], again["already_queued"]) == (0, 0, first["queued"])
    assert len(smtp_server.recorder.received) == first["sent"]


def test_machine_off_three_days_catches_up_without_doubling(kylac, smtp_server) -> None:  # type: ignore[no-untyped-def]
    env = {"PLANFLOW_SMTP_URL": smtp_server.url}
    kylac.ok("remind", "--as-of", "19/09/2025", env=env)
    # Off Mon 22, Tue 23, Wed 24; back on Thu 25/09: what is owed on the 25th, once.
    back = kylac.ok("remind", "--as-of", "25/09/2025", "--json", env=env).json
    twice = kylac.ok("remind", "--as-of", "25/09/2025", "--json", env=env).json
    days = sorted({r.day.isoformat() for r in rows(kylac.url)})
    assert days == ["2025-09-19", "2025-09-25"]
    assert twice["sent"] == 0
    assert {m["to"] for m in back["messages"]} == {
        "vhxh@kylac.example.vn",
        "vp@kylac.example.vn",
        "kt@kylac.example.vn",
        "tthcc@kylac.example.vn",
    }
    ids = smtp_server.recorder.ids()
    assert len(ids) == len(set(ids)) == len(rows(kylac.url))


def test_dry_run_writes_and_sends_nothing(kylac) -> None:  # type: ignore[no-untyped-def]
    out = kylac.ok("remind", "--dry-run", "--as-of", "30/09/2025", "--json").json
    assert out["dry_run"] and out["queued"] == len(out["messages"]) == 4
    assert rows(kylac.url) == []
    assert not (kylac.home / "outbox").exists()
    text = kylac.ok("remind", "--dry-run", "--as-of", "30/09/2025").out
    assert "vp@kylac.example.vn" in text and "đến hạn hôm nay" in text
    assert text.startswith("nhắc việc")  # the kind, in words: a digest
    # English: the reason and the kind in English, though the e-mails are Vietnamese.
    en = kylac.ok("--lang", "en", "remind", "--dry-run", "--as-of", "30/09/2025")
    assert "due today" in en.out and en.out.startswith("digest") and "hôm nay" not in en.out
    as_json = kylac.ok("--lang", "en", "remind", "--dry-run", "--as-of", "30/09/2025", "--json")
    reasons = {i["reason"] for m in as_json.json["messages"] for i in m["items"]}
    assert "due today" in reasons and not any("hạn" in r for r in reasons)


def test_without_smtp_messages_become_eml_files(kylac) -> None:  # type: ignore[no-untyped-def]
    res = kylac.ok("remind", "--as-of", "22/09/2025")
    folder = kylac.home / "outbox"
    files = sorted(p.name for p in folder.glob("*.eml"))
    # I.2.1 (VHXH, 39 working days overdue) to VHXH and, as partners, to VP, KT and TTHCC;
    # the weekly list to VHXH (the plan's coordinator department, no coordinator added).
    assert len(files) == 5 and str(folder) in res.out
    import email
    from email import policy

    msg = email.message_from_bytes((folder / files[0]).read_bytes(), policy=policy.default)
    assert msg["To"] and msg.get_body(("html",)) is not None


def test_outbox_list_and_retry(kylac, smtp_server: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    people(kylac)
    smtp_server.recorder.refuse = {"cchc@kylac.example.vn"}
    env = {"PLANFLOW_SMTP_URL": smtp_server.url}
    out = kylac.ok("remind", "--as-of", "15/09/2025", "--json", env=env).json
    # Mon 15/09: I.2.1 is 34 working days overdue, so the escalation goes To the coordinator
    # with the chairman in Cc (digests have no Cc: the only message here with one). The
    # coordinator's address is refused and the chairman's accepted: sent, the refusal noted.
    # The weekly list goes to the coordinator alone: failed. Four digests (VHXH, TTHCC and
    # the partners VP, KT of I.2.2/III.2.1) and the chairman's snapshot are sent.
    assert out["failed"] == 1 and out["sent"] == 6
    esc = next(m for m in out["messages"] if m["kind"] == "escalation")
    assert (esc["to"], esc["cc"]) == ("cchc@kylac.example.vn", ["chutich@kylac.example.vn"])
    # Both are listed as failed: the weekly list outright, the escalation for its refused To.
    listed = kylac.ok("outbox", "list", "--failed", "--json").json
    assert sorted((f["to"], f["kind"], f["status"]) for f in listed) == [
        ("cchc@kylac.example.vn", "escalation", "sent"),
        ("cchc@kylac.example.vn", "unscheduled", "failed"),
    ]
    failed = [f for f in listed if f["status"] == "failed"]
    assert "550" in failed[0]["last_error"]
    partial = [r for r in rows(kylac.url) if r.kind == "escalation"][0]
    assert partial.status == "sent" and "refused: cchc@kylac.example.vn" in partial.last_error
    assert "refused: cchc@kylac.example.vn" in kylac.ok("outbox", "list", "--failed").out
    smtp_server.recorder.refuse = set()
    res = kylac.ok("outbox", "retry", str(failed[0]["id"]), env=env)
    assert f"#{failed[0]['id']}" in res.out
    left = kylac.ok("outbox", "list", "--failed", "--json").json
    assert [(f["kind"], f["status"]) for f in left] == [("escalation", "sent")]
    again = kylac("outbox", "retry", str(failed[0]["id"]), env=env)
    assert again.code != 0 and "đã gửi" in again.err
    assert "đã gửi" in kylac.ok("outbox", "list").out  # the status in the user's language
    assert " sent " in kylac.ok("--lang", "en", "outbox", "list").out


def test_calendar_feed_has_stable_uids(kylac, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    kylac.ok("calendar", "--dept", "VHXH", "-o", str(a))
    kylac.ok("calendar", "--dept", "VHXH", "-o", str(b))
    events = [e for e in Calendar.from_ical(a.read_bytes()).walk("VEVENT")]
    uids = [str(e["UID"]) for e in events]
    assert uids == [str(e["UID"]) for e in Calendar.from_ical(b.read_bytes()).walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert "2025-I.2.4-Q3-VHXH@ky-lac.planflow" in uids
    ev = next(e for e in events if str(e["UID"]).startswith("2025-I.2.1@"))
    assert str(ev["SUMMARY"]).startswith("[I.2.1]") and "Chủ trì" in str(ev["DESCRIPTION"])
    assert ev.decoded("DTSTART").isoformat() == "2025-07-25"
    every = tmp_path / "all.ics"
    kylac.ok("calendar", "-o", str(every))
    assert len(Calendar.from_ical(every.read_bytes()).walk("VEVENT")) > len(events)


def test_scheduler_runs_once_per_database_and_stops_on_sigterm(kylac) -> None:  # type: ignore[no-untyped-def]
    env = {**kylac.env, "PLANFLOW_TODAY": "2025-09-22"}
    cmd = [sys.executable, "-m", "planflow", "scheduler", "run", "--at", "00:00"]
    proc = subprocess.Popen(
        cmd, env=env, cwd=kylac.home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        folder = kylac.home / "outbox"
        deadline = time.monotonic() + 60
        # the catch-up sweep and delivery: as in test_without_smtp_messages_become_eml_files,
        # I.2.1 to VHXH and its three partner heads, and the weekly list
        while time.monotonic() < deadline and len(list(folder.glob("*.eml"))) < 5:
            time.sleep(0.2)
        assert len(list(folder.glob("*.eml"))) == 5
        if backend() == "sqlite":  # PostgreSQL runs several: test_multi_scheduler.py
            second = kylac("scheduler", "run", env={"PLANFLOW_TODAY": "2025-09-22"}, timeout=60)
            assert second.code != 0 and "bộ lập lịch khác" in second.err
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    from planflow.scheduler import lease_holder

    lease = lease_holder(kylac.url)
    if backend() == "sqlite":
        assert lease is not None and lease.holder == ""
    assert os.environ.get("PLANFLOW_SMTP_URL") is None or True
    assert free_port() > 0
