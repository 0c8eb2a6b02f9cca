"""From the reminder e-mail to "done, with evidence" in a real browser: Debian's Chromium
driven by Selenium through Debian's ChromeDriver, against a real `planflow serve` process
on 127.0.0.1, with a phone-sized window and JavaScript left as the pages have it (none).

Kỳ Lạc 2025. I.2.1 (VHXH alone, due Fri 25/07/2025) is 54 working days late on Mon
13/10/2025 (53 on Fri 10/10, see test_web.py, plus Monday), a multiple of the policy's 3:
the VHXH head's digest of 13/10 lists it. After it is done, the digest of Thu 16/10 (57 days,
owed again had it stayed open) no longer does, and the report counts 1/35.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.support import need_programs

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
LISTED = re.compile(r"^\d+\. I\.2\.1 ", re.MULTILINE)  # "3. I.2.1 — Ban hành …" in a digest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(kylac: Cli) -> Iterator[tuple[Cli, str]]:
    need_programs(CHROMIUM, DRIVER, install="chromium chromium-driver")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    kylac.env.update(PLANFLOW_BASE_URL=base)
    env = {**kylac.env, "PLANFLOW_TODAY": "2025-10-13"}
    server = subprocess.Popen(
        [sys.executable, "-m", "planflow", "serve", "--port", str(port)],
        env=env,
        cwd=kylac.home,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    out = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"planflow serve did not start:\n{out}")
                time.sleep(0.2)
        yield kylac, base
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout:
            server.stdout.close()


def _digest_to(home: Path, recipient: str, day: str) -> str:
    """The plain-text body of the digest `planflow remind` left in the outbox folder ("" when
    there is none)."""
    for path in sorted((home / "outbox").rglob("*.eml")):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if recipient in str(mail["To"]) and day in str(mail["Subject"]):
            return mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    return ""


def test_a_head_goes_from_the_mail_to_done_in_chromium(served: tuple[Cli, str]) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    cli, base = served
    cli.ok("remind", env={"PLANFLOW_TODAY": "2025-10-13"})
    body = _digest_to(cli.home, "vhxh@kylac.example.vn", "13/10/2025")
    assert LISTED.search(body), body
    found = re.search(re.escape(base) + r"/u/ky-lac/t/I\.2\.1\?k=[A-Za-z0-9_.-]+", body)
    assert found, body
    assert f"{base}/?k=" in body and "planflow done MÃ" in body  # the footer: page and CLI
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,915",
                "--disable-background-networking", "--no-first-run"):  # fmt: skip
        options.add_argument(arg)
    browser = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    try:
        browser.set_page_load_timeout(30)
        browser.get(found.group(0))
        assert browser.current_url == f"{base}/u/ky-lac/t/I.2.1"  # the token left the address
        assert "54 ngày làm việc" in browser.find_element(By.TAG_NAME, "main").text
        browser.find_element(By.ID, "evidence").send_keys("Kế hoạch số 45/KH-UBND")
        browser.find_element(By.ID, "done-button").click()
        # The click posts the form; the answer is a new page, which may take a moment.
        shown = WebDriverWait(browser, 30).until(
            expected_conditions.presence_of_element_located((By.ID, "ok"))
        )
        assert "Đã ghi hoàn thành." in shown.text
        assert "hoàn thành" in browser.find_element(By.ID, "status").text
        history = browser.find_element(By.ID, "history").text
        assert "Kế hoạch số 45/KH-UBND" in history and "Văn hóa" in history
    finally:
        browser.quit()
    report = cli.ok("report", env={"PLANFLOW_TODAY": "2025-10-13"}).out
    assert "Hoàn thành 1/35 nhiệm vụ, đạt 2,9%" in report
    cli.ok("remind", env={"PLANFLOW_TODAY": "2025-10-16"})
    later = _digest_to(cli.home, "vhxh@kylac.example.vn", "16/10/2025")
    assert later and not LISTED.search(later), later  # VHXH is still chased for the rest
