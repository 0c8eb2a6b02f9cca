"""Ten SIGKILLs at random moments of a delivery, then one run to the end: nothing lost, and
any message the server got twice carries the same Message-ID both times.

The one-message test (test_crash.py) kills at two chosen points; this one kills where the
dice say, so the kills land in every part of the cycle (claim, the commit that records one
message and begins the next, the SMTP transaction itself). 200 messages are queued; each
round starts `python -m planflow remind` against a real aiosmtpd sink, waits for its first
message to arrive (start-up takes ~0.75 s here, and varies with the load), then kills it
after a delay drawn from 0–0.1 s: at the ~5 ms per message measured on this machine, 0 to
~20 messages into the round, so ten rounds leave work for the final, unkilled run.

The one window no SMTP client can close (server said 250, the process died before its
commit) may repeat a message; the figures (kills, lost, duplicates) are printed and carried
in the assertion messages. Lost must be 0, and a duplicate must keep its Message-ID so
that mail clients fold the copies into one.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date

import pytest
from smtpsink import OutboxDb, SmtpServer
from support import Cli

pytestmark = pytest.mark.slow
DAY = date(2025, 9, 23)
MESSAGES = 200
ROUNDS = 10
SEED = 12  # issue 12


def _accepted(server: SmtpServer) -> int:
    return len(server.recorder.ids())


def _kill_round(cli: Cli, server: SmtpServer, delay: float) -> bool:
    """Start `remind`, let it deliver for `delay` seconds after its first accepted message,
    SIGKILL it. True when it was killed mid-delivery (still running), False when it had
    already finished."""
    env = {**cli.env, "PLANFLOW_SMTP_URL": server.url}
    before = _accepted(server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "planflow", "remind", "--as-of", DAY.isoformat()],
        env=env,
        cwd=cli.home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while _accepted(server) == before and proc.poll() is None:
            assert time.monotonic() < deadline, "remind delivered nothing within 30 s"
            time.sleep(0.001)
        time.sleep(delay)
        alive = proc.poll() is None
    finally:
        proc.kill()  # SIGKILL: no cleanup, no final commit
        proc.wait()
    return alive


def test_ten_random_sigkills_lose_nothing_and_repeat_with_the_same_message_id(
    cli: Cli, outbox_db: OutboxDb, smtp_server: SmtpServer
) -> None:
    outbox_db.queue(MESSAGES, day=DAY)
    rng = random.Random(SEED)
    started = time.monotonic()
    kills = sum(_kill_round(cli, smtp_server, rng.uniform(0.0, 0.1)) for _ in range(ROUNDS))
    before_final = _accepted(smtp_server)
    cli.ok("remind", "--as-of", DAY.isoformat(), env={"PLANFLOW_SMTP_URL": smtp_server.url})
    elapsed = time.monotonic() - started

    rows = outbox_db.rows()
    copies: dict[str, list[str]] = defaultdict(list)  # recipient → Message-IDs received
    for received in smtp_server.recorder.received:
        [to] = received.rcpt_tos  # the queued messages have no Cc: one recipient each
        copies[to].append(received.message_id)
    lost = [r.recipient for r in rows if not copies.get(r.recipient)]
    duplicates = sum(len(ids) - 1 for ids in copies.values())
    changed_id = {
        r.recipient: copies[r.recipient]
        for r in rows
        if copies.get(r.recipient) and set(copies[r.recipient]) != {r.message_id}
    }
    figures = f"kills={kills} lost={len(lost)} duplicates={duplicates}"
    print(
        f"\nSIGKILL rounds: {figures}; {before_final} of {MESSAGES} delivered before the "
        f"final run, {elapsed:.1f} s in all"
    )

    assert kills == ROUNDS, f"only {kills} of {ROUNDS} kills landed mid-delivery ({figures})"
    assert before_final < MESSAGES, f"the kills left nothing for the final run ({figures})"
    assert len(rows) == MESSAGES and all(r.status == "sent" for r in rows), figures
    assert lost == [], f"lost {lost} ({figures})"
    assert changed_id == {}, f"a copy came with another Message-ID: {changed_id} ({figures})"
    assert len(smtp_server.recorder.received) == MESSAGES + duplicates, figures
    # Each kill leaves at most one message in the unrecordable window: at most one repeat.
    assert duplicates <= kills, figures
