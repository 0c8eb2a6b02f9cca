"""Reminders that did not reach their recipient appear in the chairman's report (issue 6).

One unit (tests/unitplans.py): tasks I.2.1–I.2.3, all due Mon 30/06/2025, lead VP, whose
head is vp@a-xa.example.vn. Reminders go 7, 3 and 1 working days before the due date and on
it: Thu 19/06, Wed 25/06, Fri 27/06, Mon 30/06, each one digest to the VP head. Here:

    25/06  the real SMTP server answers 554 → failed at once, 1 attempt        → listed
    27/06  the server answers 451 three times → still queued after 3 attempts  → listed
    30/06  delivered                                                           → not listed

So the report as of 30/06/2025 lists exactly two rows: 25/06 (1 attempt, "554 …") and
27/06 (3 attempts, "451 …"), oldest first; as of 26/06 only the first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from smtpsink import SmtpServer
from unitplans import write_plan

from planflow.notifications.smtp import SmtpSender
from planflow.services.reminders import deliver_outbox
from tests.conftest import Cli

HEAD = "vp@a-xa.example.vn"
FROM = "planflow@a-xa.example.vn"


def test_failed_reminders_are_in_the_report(
    cli: Cli, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = {"PLANFLOW_SMTP_URL": smtp_server.url, "PLANFLOW_MAIL_FROM": FROM}
    cli.ok("init")
    cli.ok(
        "--as-of", "01/06/2025", "plan", "import", str(write_plan(tmp_path, "a-xa", "UBND xã A", 3))
    )
    recorder = smtp_server.recorder

    recorder.data_replies = ["554 5.6.0 message rejected by policy"]
    cli.ok("--as-of", "25/06/2025", "remind", env=env)
    recorder.data_replies = ["451 4.3.0 mailbox busy, try later"] * 3
    cli.ok("--as-of", "27/06/2025", "remind", env=env)  # attempt 1
    later = datetime(2030, 1, 1, tzinfo=UTC)  # past any backoff
    for n in range(2):  # attempts 2 and 3
        deliver_outbox(cli.url, SmtpSender(smtp_server.url, timeout=5),
                       later + timedelta(hours=n), mail_from=FROM)  # fmt: skip
    cli.ok("--as-of", "30/06/2025", "remind", env=env)
    assert [r.rcpt_tos for r in recorder.received] == [[HEAD]]  # only 30/06 got through

    data = cli.ok("--as-of", "30/06/2025", "report", "--format", "json").json
    rows = [(m["recipient"], m["day"], m["attempts"], m["status"], m["last_error"][:3])
            for m in data["failed_mail"]]  # fmt: skip
    assert rows == [
        (HEAD, "2025-06-25", 1, "failed", "554"),
        (HEAD, "2025-06-27", 3, "queued", "451"),
    ]
    assert all(len(m["last_error"]) <= 80 and m["subject"] for m in data["failed_mail"])

    text = cli.ok("--as-of", "30/06/2025", "report").out
    assert "Thư nhắc chưa gửi được:" in text
    section = text.split("Thư nhắc chưa gửi được:")[1].split("Phụ lục 1B")[0]
    assert "25/06/2025" in section and "27/06/2025" in section and "30/06/2025" not in section
    assert HEAD in section and "554" in section and "451" in section

    md = cli.ok("--as-of", "30/06/2025", "report", "--format", "md").out
    assert "## Thư nhắc chưa gửi được" in md
    assert "| Người nhận | Tiêu đề | Số lần gửi | Lỗi gần nhất | Ngày |" in md
    html = cli.ok("--as-of", "30/06/2025", "report", "--format", "html").out
    assert '<table id="failed-mail">' in html and html.count("<td>" + HEAD + "</td>") == 2
    from docx import Document
    from openpyxl import load_workbook

    xlsx, docx = tmp_path / "r.xlsx", tmp_path / "r.docx"
    cli.ok("--as-of", "30/06/2025", "report", "--format", "xlsx", "-o", str(xlsx))
    sheet = load_workbook(xlsx)["Thư chưa gửi được"]
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 3).value, sheet.cell(r, 5).value)
            for r in (2, 3)] == [(HEAD, 1, datetime(2025, 6, 25)),
                                 (HEAD, 3, datetime(2025, 6, 27))]  # fmt: skip
    assert sheet.cell(2, 5).number_format == "dd/mm/yyyy"
    cli.ok("--as-of", "30/06/2025", "report", "--format", "docx", "-o", str(docx))
    paras = [p.text for p in Document(str(docx)).paragraphs]
    listed = paras[paras.index("Thư nhắc chưa gửi được:") + 1 :]
    assert [p[:12] for p in listed] == ["- 25/06/2025", "- 27/06/2025"]
    en = cli.ok("--lang", "en", "--as-of", "30/06/2025", "report").out
    assert "Reminders not delivered:" in en

    # As of 26/06 only the reminder of 25/06 existed.
    early = cli.ok("--as-of", "30/06/2025", "report", "--as-of", "26/06/2025", "--format", "json")
    assert [m["day"] for m in early.json["failed_mail"]] == ["2025-06-25"]


def test_no_section_when_everything_was_delivered(
    cli: Cli, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = {"PLANFLOW_SMTP_URL": smtp_server.url, "PLANFLOW_MAIL_FROM": FROM}
    cli.ok("init")
    cli.ok(
        "--as-of", "01/06/2025", "plan", "import", str(write_plan(tmp_path, "a-xa", "UBND xã A", 3))
    )
    cli.ok("--as-of", "25/06/2025", "remind", env=env)
    assert len(smtp_server.recorder.received) == 1
    out = cli.ok("--as-of", "30/06/2025", "report").out
    assert "Thư nhắc chưa gửi được" not in out
    assert cli.ok("--as-of", "30/06/2025", "report", "--format", "json").json["failed_mail"] == []
