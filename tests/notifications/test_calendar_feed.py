"""The calendar feed (.ics): UIDs unique per plan year, closed deadlines kept and marked,
alarms on the reminder policy's days."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from icalendar import Calendar
from support import KYLAC_PLAN, Cli


def _events(path: Path) -> dict[str, object]:
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "a UID repeats: calendars would overwrite events"
    return {str(e["UID"]): e for e in events}


def test_two_plan_years_of_one_unit_never_share_a_uid(kylac: Cli, tmp_path: Path) -> None:
    next_year = tmp_path / "ky-lac-2026.yaml"
    next_year.write_text(
        KYLAC_PLAN.read_text(encoding="utf-8").replace("2025", "2026"), encoding="utf-8"
    )
    kylac.ok("plan", "import", str(next_year))
    feed = tmp_path / "all.ics"
    kylac.ok("calendar", "-o", str(feed))
    events = _events(feed)
    assert "2025-I.2.1@ky-lac.planflow" in events and "2026-I.2.1@ky-lac.planflow" in events
    due = events["2026-I.2.1@ky-lac.planflow"].decoded("DTSTART")  # type: ignore[attr-defined]
    assert due.isoformat() == "2026-07-27"  # 25/07/2026 is a Saturday: due the Monday after


def test_a_done_deadline_stays_marked_with_a_higher_sequence(kylac: Cli, tmp_path: Path) -> None:
    before, after = tmp_path / "before.ics", tmp_path / "after.ics"
    env = {"PLANFLOW_TODAY": "2025-07-20"}
    kylac.ok("calendar", "-o", str(before), env=env)
    out = kylac.ok("done", "I.2.1", "--evidence", "KH số 5", user="vhxh", env=env).out
    assert "I.2.1" in out
    listed = kylac.ok("calendar", "-o", str(after), env=env).out
    old = _events(before)["2025-I.2.1@ky-lac.planflow"]
    new = _events(after)["2025-I.2.1@ky-lac.planflow"]
    assert str(old["SUMMARY"]).startswith("[I.2.1]")  # type: ignore[index]
    assert str(new["SUMMARY"]).startswith("Đã hoàn thành: [I.2.1]")  # type: ignore[index]
    assert new["SEQUENCE"] > old["SEQUENCE"]  # type: ignore[index]
    # the same events, one fewer of them open: 73 dated open deadlines before, 72 after
    assert set(_events(before)) == set(_events(after))
    early = {"PLANFLOW_TODAY": "2025-07-10"}
    assert "73 hạn" in kylac.ok("calendar", "-o", str(before), env=early).out
    assert "72 hạn" in listed


def test_a_cancelled_task_is_cancelled_in_the_feed(kylac: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "feed.ics"
    kylac.ok("person", "add", "Lê Văn Chủ", "--user", "ct", "--dept", "VP", "--role", "chairman")
    kylac.ok("cancel", "I.2.2", "--reason", "Gộp vào I.2.1", user="ct")
    kylac.ok("calendar", "-o", str(feed))
    event = _events(feed)["2025-I.2.2@ky-lac.planflow"]
    assert str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert str(event["SUMMARY"]).startswith("Đã hủy: ")  # type: ignore[index]


def test_alarms_fall_on_the_policy_days_at_eight(kylac: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "alarms.ics"
    kylac.ok("calendar", "--alarms", "-o", str(feed), env={"PLANFLOW_TODAY": "2025-07-10"})
    event = _events(feed)["2025-I.2.1@ky-lac.planflow"]
    triggers = [a.decoded("TRIGGER") for a in event.walk("VALARM")]  # type: ignore[attr-defined]
    # I.2.1 is due Friday 25/07/2025; the default policy reminds 7, 3 and 1 working days
    # before and on the day. No holiday in July 2025: 7 working days before is Wednesday
    # 16/07 (9 calendar days), 3 is Tuesday 22/07, 1 is Thursday 24/07. At 08:00 each.
    eight = timedelta(hours=8)
    assert triggers == [
        timedelta(days=-9) + eight,
        timedelta(days=-3) + eight,
        timedelta(days=-1) + eight,
        eight,
    ]
    plain = tmp_path / "plain.ics"
    kylac.ok("calendar", "-o", str(plain), env={"PLANFLOW_TODAY": "2025-07-10"})
    assert b"VALARM" not in plain.read_bytes()
