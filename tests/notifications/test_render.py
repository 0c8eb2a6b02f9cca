"""Rendered e-mails against golden files a reviewer can read.

Regenerate deliberately with PLANFLOW_UPDATE_GOLDEN=1, then read the diff.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from planflow.engine.reminders import Contact, Message, Reminder
from planflow.notifications.render import (
    ReminderContext,
    SnapshotContext,
    line_of,
    reminder_context,
    render,
    render_message,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
NAMES = {"VHXH": "Phòng Văn hóa – Xã hội", "VP": "Văn phòng HĐND-UBND"}

# VHXH's digest of 25/09/2025 on the Kỳ Lạc plan when VHXH's head is also the coordinator:
# two items it leads, one it partners (II.2.1, led by VP) and one with no lead (VII.2.2.2).
DIGEST = Message(
    recipient=Contact("Trưởng phòng Văn hóa – Xã hội", "vhxh@kylac.example.vn", "VHXH"),
    cc=(),
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
        Reminder(
            "II.2.1",
            "Rà soát văn bản quy phạm pháp luật để góp ý xây dựng các văn bản do Trung ương,"
            " tỉnh giáo",
            "Q3",
            "VP",
            date(2025, 9, 30),
            "before",
            3,
            "Thường xuyên",
            role="partner",
        ),
        Reminder(
            "VII.2.2.2",
            "Rà soát, điều chỉnh và công bố áp dụng Hệ thống quản lý chất lượng phù hợp theo"
            " TCVN ISO 9001:2015.",
            "Q3",
            "",
            date(2025, 9, 30),
            "before",
            3,
            "Quý I-IV năm 2025",
            role="coordinate",
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
    assert r.subject == "[CCHC] Nhắc việc ngày 25/09/2025: 4 nhiệm vụ, 1 quá hạn"
    check_golden("email_digest_vi.txt", r.text)
    check_golden("email_digest_vi.html", r.html)


def test_signin_mail_matches_the_golden_files() -> None:
    from planflow.notifications.render import SigninContext, render

    link = "http://127.0.0.1:8040/?k=abc&x=<1>"
    r = render("signin", "vi", SigninContext("UBND xã Kỳ Lạc", "Nguyễn Văn A", link))
    assert r.subject == "[CCHC] Đăng nhập planflow (UBND xã Kỳ Lạc)"
    check_golden("email_signin_vi.txt", r.text)
    check_golden("email_signin_vi.html", r.html)
    assert 'href="http://127.0.0.1:8040/?k=abc&amp;x=&lt;1&gt;"' in r.html
    en = render("signin", "en", SigninContext("UBND xã Kỳ Lạc", "Nguyễn Văn A", link))
    assert en.subject == "[CCHC] Sign in to planflow (UBND xã Kỳ Lạc)"
    assert "valid today only" in en.text and link in en.text


def test_html_is_escaped_and_text_is_not() -> None:
    r = render_message(DIGEST, "vi", "UBND xã Kỳ Lạc", NAMES)
    assert "Tuyên truyền &lt;CCHC&gt; &amp; chuyển đổi số" in r.html
    assert "Tuyên truyền <CCHC> & chuyển đổi số" in r.text


def test_english_and_every_kind_render() -> None:
    r = render_message(DIGEST, "en", "Ky Lac commune", NAMES)
    assert r.subject == "[CCHC] Reminders for 25/09/2025: 4 tasks, 1 overdue"
    assert "overdue by 42 working days" in r.text
    for heading in (
        "Tasks your department leads",
        "Tasks your department partners",
        "Tasks you follow up (no lead head to receive them)",
    ):
        assert f"{heading}:\n" in r.text and f"<strong>{heading}</strong>" in r.html
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


def test_only_sections_with_lines_have_a_heading() -> None:
    lead_only = Message(DIGEST.recipient, (), DIGEST.day, "digest", DIGEST.items[:2])
    r = render_message(lead_only, "vi", "UBND xã Kỳ Lạc", NAMES)
    assert "Nhiệm vụ phòng anh/chị chủ trì:\n1. I.2.1" in r.text
    assert "phối hợp" not in r.text and "theo dõi, đôn đốc" not in r.text
    assert r.html.count("<table") == 1
    partner_only = Message(DIGEST.recipient, (), DIGEST.day, "digest", DIGEST.items[2:3])
    r = render_message(partner_only, "vi", "UBND xã Kỳ Lạc", NAMES)
    assert "Nhiệm vụ phòng anh/chị phối hợp:\n1. II.2.1 (Q3)" in r.text
    assert "chủ trì:" not in r.text


def test_a_row_stored_before_roles_renders_as_lead() -> None:
    stored = DIGEST.items[1].as_dict()
    del stored["role"], stored["leads"]
    line = line_of(stored, "vi", NAMES)
    assert (line.role, line.department_name, line.url) == ("lead", "Phòng Văn hóa – Xã hội", "")


def test_a_task_led_together_names_every_lead() -> None:
    shared = Reminder("I.9", "Chung", "", "VP", date(2025, 9, 30), "due", leads=("VP", "VHXH"))
    line = line_of(shared, "vi", NAMES)
    assert (line.department, line.department_name) == (
        "VP",
        "Văn phòng HĐND-UBND, Phòng Văn hóa – Xã hội",
    )


def test_links_show_only_when_known() -> None:
    base = reminder_context(DIGEST, "vi", "UBND xã Kỳ Lạc", NAMES)
    first = replace(base.lines[0], url="https://cchc.kylac.example.vn/items/7?a=1&b=2")
    linked = replace(base, lines=(first, *base.lines[1:]), home_url="https://cchc.example.vn/me")
    r = render("digest", "vi", linked)
    assert "   Cập nhật: https://cchc.kylac.example.vn/items/7?a=1&b=2\n2. I.2.4" in r.text
    assert r.text.count("Cập nhật:") == 1
    assert '<a href="https://cchc.kylac.example.vn/items/7?a=1&amp;b=2">Cập nhật</a>' in r.html
    # the foot gives both the page and the command
    assert "Mở trang việc của anh/chị: https://cchc.example.vn/me" in r.text
    assert 'planflow done MÃ --evidence "Quyết định số …"' in r.text
    assert '<a href="https://cchc.example.vn/me">' in r.html and "<code>planflow done" in r.html
    en = replace(
        reminder_context(DIGEST, "en", "Ky Lac", NAMES),
        lines=(replace(first, reason="due today"),),
        home_url="https://cchc.example.vn/me",
    )
    r = render("digest", "en", en)
    assert "   Update: https://cchc.kylac.example.vn/items/7?a=1&b=2" in r.text
    assert "Open your tasks page: https://cchc.example.vn/me" in r.text
    assert "planflow done CODE" in r.text
    plain = render("digest", "vi", base)
    assert "Cập nhật:" not in plain.text and "<a " not in plain.html
    assert "Mở trang việc" not in plain.text
    for kind in ("escalation", "unscheduled"):
        for lang, label in (("vi", "Cập nhật"), ("en", "Update")):
            ctx = replace(reminder_context(DIGEST, lang, "UBND xã Kỳ Lạc", NAMES), lines=(first,))
            out = render(kind, lang, ctx)
            assert f"   {label}: https://cchc.kylac.example.vn/items/7" in out.text
            assert f">{label}</a>" in out.html


def test_escalation_asks_the_coordinator_to_chase_and_the_leaders_to_direct() -> None:
    esc = Message(DIGEST.recipient, (), DIGEST.day, "escalation", DIGEST.items[:1])
    vi = render_message(esc, "vi", "UBND xã Kỳ Lạc", NAMES)
    ask = (
        "Đề nghị bộ phận đầu mối đôn đốc các phòng chủ trì hoàn thành; "
        "lãnh đạo UBND (đồng gửi) chỉ đạo khi cần."
    )
    assert ask in vi.text and ask in vi.html
    assert "Đề nghị lãnh đạo chỉ đạo các phòng" not in vi.text
    en = render_message(esc, "en", "Ky Lac", NAMES)
    assert "Please chase the lead departments" in en.text
    assert "(in Cc) are asked to give direction" in en.html
