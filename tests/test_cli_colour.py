"""Colour on a terminal only: overdue and status stand out in `planflow tasks` at a tty,
never in a pipe, never with NO_COLOR, and a user's own escape sequence never reaches it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.conftest import Cli

LATE = {"PLANFLOW_TODAY": "2025-10-10"}  # Kỳ Lạc's Quý III items are overdue by then
ESC = "\x1b["


def at_terminal(cli: Cli, *args: str, env: dict[str, str] | None = None) -> str:
    """`planflow args` with stdout on a pseudo-terminal, as a head typing it would see it."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "planflow", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**cli.env, **LATE, **(env or {})},
        cwd=cli.home,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = proc.wait(timeout=60)
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    assert code == 0, err
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_colour_for_overdue_and_status(kylac: Cli) -> None:
    out = at_terminal(kylac, "tasks", env={"TERM": "xterm-256color"})
    assert "\x1b[1;31m" in out  # bold red: an overdue code and its working days
    assert "I.2.1" in out


def test_no_color_and_pipes_get_plain_text(kylac: Cli) -> None:
    plain = at_terminal(kylac, "tasks", env={"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert ESC not in plain and "I.2.1" in plain
    piped = kylac.ok("tasks", env=LATE).out
    assert ESC not in piped and "I.2.1" in piped


def test_a_users_escape_sequence_is_not_passed_to_the_terminal(kylac: Cli) -> None:
    kylac.ok("person", "add", "Trần Thị Điều", "--user", "dp", "--dept", "VHXH",
             "--role", "coordinator")  # fmt: skip
    hidden = "Rà soát \x1b]8;;http://x\x1b\\bí mật"
    kylac.ok("task", "edit", "I.2.1", "--text", hidden, user="dp")
    out = at_terminal(kylac, "tasks", env={"TERM": "xterm-256color"})
    assert "\x1b]8" not in out and "bí mật" in out
