"""The web edge in process (FastAPI's TestClient over the real app and a real database):
a signed link signs a head in, the forms record moves as that head with the CLI's rules,
and every refused link or form is answered 403 and recorded.

Kỳ Lạc 2025 on 10/10/2025 (a Friday). People from the plan file: ids 1–4 are the heads of
VP, KT, VHXH and TTHCC. I.2.1 is led by VHXH alone (due 25/07/2025); KT partners it.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from planflow import clock, links
from planflow.config import load_settings
from planflow.db import session_scope
from planflow.models import Event, Item, Outbox, Person, Task
from planflow.web.app import create_app
from tests.conftest import Cli

DAY = date(2025, 10, 10)
KEY = "test-secret-key-of-enough-length"


@pytest.fixture
def web(kylac: Cli, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    for name, value in kylac.env.items():
        if name.startswith("PLANFLOW_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv(links.KEY_ENV, KEY)
    clock.set_today(DAY)
    try:
        with TestClient(create_app(load_settings()), follow_redirects=False) as client:
            yield client
    finally:
        clock.set_today(None)


def person(url: str, email: str) -> Person:
    with session_scope(url) as s:
        p = s.exec(select(Person).where(Person.email == email)).one()
        s.expunge(p)
        return p


def link(who: Person, code: str, today: date = DAY, days: int = 14) -> str:
    assert who.id is not None
    url = links.item_url(
        "http://testserver",
        KEY.encode(),
        person_id=who.id,
        email=who.email,
        unit="ky-lac",
        code=code,
        today=today,
        days=days,
    )
    return url.removeprefix("http://testserver")


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def events(url: str, code: str) -> list[Event]:
    with session_scope(url) as s:
        rows = s.exec(
            select(Event)
            .join(Task, col(Task.id) == Event.task_id)
            .where(Task.code == code)
            .order_by(col(Event.id))
        ).all()
        s.expunge_all()
        return list(rows)


def refusals(url: str) -> list[dict[str, Any]]:
    with session_scope(url) as s:
        rows = s.exec(select(Event).where(Event.action == "refused").order_by(col(Event.id)))
        return [dict(e.data or {}) for e in rows]


def open_as(web: TestClient, who: Person, code: str) -> str:
    """Follow the mail's link: 303 to the clean address with a session cookie, then the page."""
    first = web.get(link(who, code))
    assert first.status_code == 303
    assert first.headers["location"] == f"/u/ky-lac/t/{code}"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = web.get(first.headers["location"])
    assert page.status_code == 200
    return page.text


def test_done_from_the_link_is_recorded_as_that_head(web: TestClient, kylac: Cli) -> None:
    vhxh = person(kylac.url, "vhxh@kylac.example.vn")
    page = open_as(web, vhxh, "I.2.1")
    assert "Ban hành Kế hoạch CCHC 06" in page
    # Due Fri 25/07; to Fri 10/10: 11 weeks of 5 working days minus 2/9 (National Day)
    # and 1/9 (the holiday bridged in 2025) = 55 - 2 = 53 working days late.
    assert "53 ngày làm việc" in page
    done = web.post(
        "/u/ky-lac/t/I.2.1/done",
        data={"csrf": csrf(page), "evidence": "Kế hoạch số 45/KH-UBND", "on": "2025-10-08"},
        files=[("files", ("ke-hoach.pdf", b"%PDF-1.4 scan", "application/pdf"))],
    )
    assert done.status_code == 303, done.text
    shown = web.get(done.headers["location"]).text
    assert "Đã ghi hoàn thành." in shown and "ke-hoach.pdf" in shown
    [created, complete] = events(kylac.url, "I.2.1")
    assert (created.action, complete.action) == ("created", "complete")
    assert complete.actor_id == vhxh.id and complete.actor == vhxh.name
    assert complete.on == date(2025, 10, 8) and complete.evidence == "Kế hoạch số 45/KH-UBND"
    [attached] = (complete.data or {})["attachments"]
    assert attached["name"] == "ke-hoach.pdf" and attached["kind"] == "pdf"
    # sha256 of the 13 bytes uploaded; the file is kept under it and downloads again.
    assert attached["sha256"] == hashlib.sha256(b"%PDF-1.4 scan").hexdigest()
    download = web.get(f"/u/ky-lac/a/{attached['sha256']}")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 scan"
    assert download.headers["content-type"] == "application/pdf"
    assert web.get(f"/u/ky-lac/a/{'0' * 64}").status_code == 404
    # The CLI sees the same record.
    shown_cli = kylac.ok("task", "show", "I.2.1", "--json", env={"PLANFLOW_TODAY": "2025-10-10"})
    assert shown_cli.json["status"] == "done" and shown_cli.json["completed_on"] == "2025-10-08"


def test_start_and_note(web: TestClient, kylac: Cli) -> None:
    kt = person(kylac.url, "kt@kylac.example.vn")
    page = open_as(web, kt, "VI.2.1")  # led by KT
    assert web.post("/u/ky-lac/t/VI.2.1/start", data={"csrf": csrf(page)}).status_code == 303
    note = web.post("/u/ky-lac/t/VI.2.1/note", data={"csrf": csrf(page), "text": "Đã họp"})
    assert note.status_code == 303
    actions = [(e.action, e.actor_id, e.note) for e in events(kylac.url, "VI.2.1")]
    assert actions[1:] == [("start", kt.id, ""), ("note", kt.id, "Đã họp")]


def test_the_clis_permissions_hold_and_a_refusal_is_recorded(web: TestClient, kylac: Cli) -> None:
    """KT only partners I.2.1: it may write a note there but not record it done."""
    kt = person(kylac.url, "kt@kylac.example.vn")
    page = open_as(web, kt, "I.2.1")
    refused = web.post("/u/ky-lac/t/I.2.1/done", data={"csrf": csrf(page), "evidence": "x"})
    assert refused.status_code == 403
    assert "VHXH" in refused.text or "Văn hóa" in refused.text  # who may, as the CLI says
    log = events(kylac.url, "I.2.1")
    assert [e.action for e in log] == ["created", "refused"]
    assert log[1].actor_id == kt.id and log[1].data["attempted"] == "complete"
    with session_scope(kylac.url) as s:
        assert {i.status for i in s.exec(select(Item).join(Task).where(Task.code == "I.2.1"))} == {
            "not_started"
        }


def _tampered(token_url: str) -> str:
    head, _, mac = token_url.rpartition(".")
    return f"{head}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}"


def test_tampered_expired_and_foreign_links_are_refused_and_recorded(
    web: TestClient, kylac: Cli
) -> None:
    kt = person(kylac.url, "kt@kylac.example.vn")
    vhxh = person(kylac.url, "vhxh@kylac.example.vn")
    other_task = link(kt, "VI.2.1").replace("/t/VI.2.1", "/t/I.2.1")  # signed for another page
    expired = link(kt, "VI.2.1", today=DAY - timedelta(days=15), days=14)  # last day 09/10
    foreign = links.item_url(
        "http://testserver",
        KEY.encode(),
        person_id=kt.id or 0,
        email=vhxh.email,  # KT's id with VHXH's address: not who it claims to be
        unit="ky-lac",
        code="VI.2.1",
        today=DAY,
        days=14,
    ).removeprefix("http://testserver")
    for url, reason in (
        (_tampered(link(kt, "VI.2.1")), "tampered"),
        (other_task, "tampered"),
        (expired, "expired"),
        (foreign, "foreign"),
    ):
        answer = web.get(url)
        assert answer.status_code == 403, url
        assert "pf_session" not in answer.headers.get("set-cookie", "")
        assert "Lần thử này đã được ghi lại" in answer.text
        assert refusals(kylac.url)[-1]["reason"] == reason
    assert len(refusals(kylac.url)) == 4
    # Nothing signed anyone in: the page asks to sign in.
    assert web.get("/u/ky-lac/t/VI.2.1").headers["location"].startswith("/signin")


def test_a_form_without_its_token_changes_nothing(web: TestClient, kylac: Cli) -> None:
    kt = person(kylac.url, "kt@kylac.example.vn")
    open_as(web, kt, "VI.2.1")
    for token in ("", "forged"):
        answer = web.post("/u/ky-lac/t/VI.2.1/done", data={"csrf": token, "evidence": "x"})
        assert answer.status_code == 403
    assert [e.action for e in events(kylac.url, "VI.2.1")] == ["created", "refused", "refused"]
    assert refusals(kylac.url)[-1]["reason"] == "csrf"


def test_an_attachment_that_is_not_a_document_is_refused(web: TestClient, kylac: Cli) -> None:
    kt = person(kylac.url, "kt@kylac.example.vn")
    page = open_as(web, kt, "VI.2.1")
    answer = web.post(
        "/u/ky-lac/t/VI.2.1/done",
        data={"csrf": csrf(page), "evidence": "QĐ 1"},
        files=[("files", ("virus.exe", b"MZ\x90\x00", "application/pdf"))],
    )
    assert answer.status_code == 400
    assert "chỉ nhận PDF" in answer.text
    assert [e.action for e in events(kylac.url, "VI.2.1")] == ["created"]


def test_my_tasks_lists_lead_then_partner_items(web: TestClient, kylac: Cli) -> None:
    kt = person(kylac.url, "kt@kylac.example.vn")
    first = web.get(link(kt, ""))
    assert first.status_code == 303 and first.headers["location"] == "/u/ky-lac/mine"
    page = web.get("/u/ky-lac/mine").text
    lead, partner = page.split("Phòng anh/chị phối hợp")
    assert ">VI.2.1<" in lead and ">I.2.1<" not in lead  # KT leads VI.2.1, partners I.2.1
    assert ">I.2.1<" in partner


def test_english_switch(web: TestClient, kylac: Cli) -> None:
    kt = person(kylac.url, "kt@kylac.example.vn")
    open_as(web, kt, "VI.2.1")
    page = web.get("/u/ky-lac/t/VI.2.1?lang=en")
    assert "Record as done" in page.text and "Ghi hoàn thành" not in page.text
    assert "pf_lang=en" in page.headers["set-cookie"]
    assert "Record as done" in web.get("/u/ky-lac/t/VI.2.1").text  # the choice is kept


def test_sign_in_by_mail_link(web: TestClient, kylac: Cli) -> None:
    form = web.get("/signin").text
    for address in ("nobody@kylac.example.vn", "KT@kylac.example.vn"):
        sent = web.post("/signin", data={"csrf": csrf(form), "email": address})
        assert sent.status_code == 200 and "Nếu địa chỉ này đã được đăng ký" in sent.text
    with session_scope(kylac.url) as s:
        [row] = s.exec(select(Outbox).where(Outbox.kind == "signin")).all()
        assert (row.recipient, row.status) == ("kt@kylac.example.vn", "sent")
    [eml] = list((kylac.home / "outbox").rglob("*.eml"))
    mail = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"http://127\.0\.0\.1:8040(/\?k=[A-Za-z0-9_.-]+)", body)
    assert found, body
    signed = web.get(found.group(1))
    assert signed.status_code == 303 and signed.headers["location"] == "/u/ky-lac/mine"


def test_dashboard_figures(web: TestClient, kylac: Cli) -> None:
    vhxh = person(kylac.url, "vhxh@kylac.example.vn")
    page = open_as(web, vhxh, "I.2.1")
    web.post("/u/ky-lac/t/I.2.1/done", data={"csrf": csrf(page), "evidence": "KH 45"})
    board = web.get("/u/ky-lac/dashboard").text
    assert "Hoàn thành 1/35 nhiệm vụ, đạt 2,9%" in board  # 1/35 = 2.857… → 2,9%
    docx = web.get("/u/ky-lac/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_overview_names_heads_no_reminder_can_reach(web: TestClient, kylac: Cli) -> None:
    kylac.ok("dept", "add", "CA", "Công an xã")  # a department with no head yet
    vhxh = person(kylac.url, "vhxh@kylac.example.vn")
    open_as(web, vhxh, "I.2.1")
    page = web.get("/u/ky-lac/overview").text
    row = page.split("Công an xã (CA)")[1].split("</tr>")[0]
    assert "Không nhắc được" in row
    assert "vhxh@kylac.example.vn" in page.split("(VHXH)")[1].split("</tr>")[0]
    # I.2.1 is overdue (53 working days, see the first test) and listed with a link.
    assert '/u/ky-lac/t/I.2.1">I.2.1</a>' in page


def test_rollup_ranks_the_units_of_the_database(web: TestClient, kylac: Cli) -> None:
    vhxh = person(kylac.url, "vhxh@kylac.example.vn")
    page = open_as(web, vhxh, "I.2.1")
    assert "Xếp hạng" not in page  # one unit: no ranking in the menu
    board = web.get("/rollup").text
    assert "hoàn thành 0/35 nhiệm vụ" in board
