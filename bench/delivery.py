"""Outbox delivery to a local SMTP sink, against a bare aiosmtplib loop to the same sink.

The sink is aiosmtpd on 127.0.0.1 in this (parent) process, answering 250 and counting (it
does not parse the messages, so the sink's own work does not blur the comparison); both
measured sides are child processes, so neither shares the sink's GIL. Each round runs,
alternately, in child processes:

- planflow: M rendered digests queued in a fresh SQLite outbox (not timed), then
  `deliver_outbox` over SMTP (timed): claim, then per message the e-mail built from the
  row, the SMTP transaction, and one commit that records it sent and begins the next;
- the floor: one aiosmtplib connection and a loop that builds each message with the email
  package (same headers, text and HTML parts) and sends it.

Target (issue 7): planflow ≥ 0.8× the floor's messages per second.

    .venv/bin/python bench/delivery.py [--messages 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PYTHON,
    Counter,
    compile_bytecode,
    interleave,
    machine,
    report,
    run,
)

BODY = (
    "Kính gửi Trưởng phòng Kinh tế,\n\nUBND xã Kỳ Lạc nhắc các nhiệm vụ cải cách hành chính "
    "sau đây (ngày 12/11/2025):\n\n"
    + "".join(
        f"- III.2.{n} Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền — quá hạn "
        f"{n} ngày làm việc\n"
        for n in range(1, 6)
    )
)


def drafts(n: int, day: date) -> list[Any]:
    from planflow.notifications.outbox import Draft

    return [
        Draft(
            recipient=f"kt{i}@xa-{i:05d}.example.vn",
            recipient_name="Trưởng phòng Kinh tế",
            day=day,
            kind="digest",
            subject=f"[CCHC] Nhắc việc ngày {day:%d/%m/%Y}: 5 nhiệm vụ, 5 quá hạn",
            body_text=BODY,
            body_html="<p>" + BODY.replace("\n", "<br>") + "</p>",
            cc=[f"vp@xa-{i:05d}.example.vn"],
            items=[{"code": f"III.2.{k}"} for k in range(1, 6)],
        )
        for i in range(n)
    ]


def child_planflow(port: str, count: str) -> None:
    from planflow import clock
    from planflow.db import init_db, session_scope
    from planflow.notifications import outbox
    from planflow.notifications.smtp import SmtpSender
    from planflow.services.reminders import deliver_outbox

    n = int(count)
    folder = tempfile.mkdtemp(prefix="planflow-bench-")
    url = f"sqlite:///{folder}/outbox.db"
    init_db(url)
    now = clock.now()
    with session_scope(url, write=True) as session:
        outbox.queue(session, None, drafts(n, date(2025, 11, 12)), now - timedelta(minutes=1))
    sender = SmtpSender(f"smtp://127.0.0.1:{port}")
    started, cpu = time.perf_counter(), time.process_time()
    result = deliver_outbox(url, sender, now, mail_from="planflow@localhost", limit=n)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(result.sent, f"{elapsed:.4f}", f"{cpu:.4f}")


def child_bare(port: str, count: str) -> None:
    """The floor: build each message with the email package and send it, one connection."""
    from email.message import EmailMessage
    from email.policy import SMTP

    import aiosmtplib

    items = drafts(int(count), date(2025, 11, 12))

    async def loop() -> int:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=int(port), start_tls=False)
        await client.connect()
        for i, d in enumerate(items):
            msg = EmailMessage(policy=SMTP)
            msg["From"] = "planflow <planflow@localhost>"
            msg["To"] = f"{d.recipient_name} <{d.recipient}>"
            msg["Cc"] = ", ".join(d.cc)
            msg["Subject"] = d.subject
            msg["Message-ID"] = f"<bench-{i}@planflow>"
            msg.set_content(d.body_text, charset="utf-8", cte="quoted-printable")
            msg.add_alternative(
                d.body_html, subtype="html", charset="utf-8", cte="quoted-printable"
            )
            await client.send_message(msg, recipients=[d.recipient, *d.cc])
        await client.quit()
        return len(items)

    started, cpu = time.perf_counter(), time.process_time()
    sent = asyncio.run(loop())
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(sent, f"{elapsed:.4f}", f"{cpu:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        child_planflow(*rest) if kind == "planflow" else child_bare(*rest)
        return
    from aiosmtpd.controller import Controller

    compile_bytecode()
    print(machine())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    me, m = str(Path(__file__).resolve()), str(args.messages)
    try:
        series = interleave(
            {
                "planflow": lambda: run([PYTHON, me, "--child", "planflow", str(port), m]),
                "bare": lambda: run([PYTHON, me, "--child", "bare", str(port), m]),
            },
            args.rounds,
        )
    finally:
        controller.stop()

    def rate(name: str) -> tuple[float, int]:
        values = sorted(
            int(r.stdout.split()[0]) / float(r.stdout.split()[1]) for r in series[name].runs
        )
        return values[len(values) // 2], int(series[name].runs[0].stdout.split()[0])

    pf, sent = rate("planflow")
    bare, _ = rate("bare")
    report(
        f"delivery of {args.messages} messages",
        f"{pf:,.0f} msg/s ({sent} sent)",
        f"bare aiosmtplib loop {bare:,.0f} msg/s: {pf / bare:.2f}x",
        ">= 0.8x",
        pf / bare >= 0.8,
    )
    cpu = {
        name: statistics.median(float(r.stdout.split()[2]) for r in series[name].runs)
        for name in series
    }
    n = args.messages
    report(
        "delivery: CPU of the timed part",
        f"{cpu['planflow']:.2f} s ({1000 * cpu['planflow'] / n:.1f} ms/msg)",
        f"bare loop {cpu['bare']:.2f} s ({1000 * cpu['bare'] / n:.1f} ms/msg): "
        f"{cpu['planflow'] / cpu['bare']:.2f}x",
        "(information: load disturbs it less)",
        True,
    )
    report(
        "delivery: peak memory",
        f"{series['planflow'].peak_mb:.0f} MB",
        f"bare loop {series['bare'].peak_mb:.0f} MB",
        "(information)",
        True,
    )


if __name__ == "__main__":
    main()
