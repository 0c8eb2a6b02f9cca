"""Rendered e-mails against golden files a reviewer can read.

Regenerate deliberately with PLANFLOW_UPDATE_GOLDEN=1, then read the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from planflow.engine.reminders import Contact, Message, Reminder
from planflow.notifications.render import (
    ReminderContext,
    SnapshotContext,
    render,
    render_message,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
NAMES = {"VHXH": "Phòng Văn hóa – Xã hội", "VP": "Văn phòng HĐND-UBND"}

DIGEST = Message(
    recipient=Contact("Trưởng phòng Văn hóa – Xã hội", "vhxh@kylac.example.vn", "VHXH"),
    cc=(Contact("Chánh Văn phòng", "vp@kylac.example.vn", "VP"),),
    day=date(2025, 9, 25),
    kind="digest",
    items=(
        Reminder(
            "I.2.1",
            "Xây dựng Kế hoạch tự kiểm tra công tác CCHC năm 2025",
            "",
            "VHXH",
            date(2025, 7, 25),
            "overdue",
            42,
            "Ngày 25/7/2025",
        ),
        Reminder(
            "I.2.4",
            "Tuyên truyền <CCHC> & chuyển đổi số",
            "Q3",
            "VHXH",
            date(2025, 9, 30),
            "before",
            3,
            "Thường xuyên",
        ),
    ),
)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PLANFLOW_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from the golden file"


def test_digest_vi_matches_the_golden_files() -> None:
    r = render_message(DIGEST, "vi", "UBND xã Kỳ Lạc", NAMES)
    assert r.subject == "[CCHC] Nhắc việc ngày 25/09/2025: 2 nhiệm vụ, 1 quá hạn"
    check_golden("email_digest_vi.txt", r.text)
    check_golden("email_digest_vi.html", r.html)


def test_html_is_escaped_and_text_is_not() -> None:
    r = render_message(DIGEST, "vi", "UBND xã Kỳ Lạc", NAMES)
    assert "Tuyên truyền &lt;CCHC&gt; &amp; chuyển đổi số" in r.html
    assert "Tuyên truyền <CCHC> & chuyển đổi số" in r.text


def test_english_and_every_kind_render() -> None:
    r = render_message(DIGEST, "en", "Ky Lac commune", NAMES)
    assert r.subject == "[CCHC] Reminders for 25/09/2025: 2 tasks, 1 overdue"
    assert "overdue by 42 working days" in r.text
    for kind in ("escalation", "unscheduled"):
        for lang in ("vi", "en"):
            msg = Message(DIGEST.recipient, (), DIGEST.day, kind, DIGEST.items)
            assert render_message(msg, lang, "UBND xã Kỳ Lạc").text.strip()
    snap = SnapshotContext(
        "UBND xã Kỳ Lạc",
        "Chủ tịch",
        "22/09/2025",
        "Kế hoạch CCHC 2025",
        "Hoàn thành 12/35 nhiệm vụ, đạt 34,2%",
        12,
        35,
        failed_messages=("kt@x: 550",),
        attachment="phu-luc-1b.docx",
    )
    out = render("snapshot", "vi", snap)
    assert out.subject == "[CCHC] Tiến độ kế hoạch đến ngày 22/09/2025: 12/35 nhiệm vụ hoàn thành"
    assert "kt@x: 550" in out.text and "phu-luc-1b.docx" in out.html


def test_a_missing_context_field_is_an_error_not_a_blank() -> None:
    from planflow.notifications.render import environment

    with pytest.raises(UndefinedError):
        environment().get_template("digest.vi.txt").render({"lines": []})
    assert ReminderContext.__doc__
