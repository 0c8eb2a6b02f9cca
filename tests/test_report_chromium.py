"""The HTML report as a browser renders it: headless Chromium (Debian's chromium, which
`.ci/run` installs) loads the file with networking off, and the rendered DOM must show the
summary sentence and one chart per section; a screenshot must be produced."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import Cli
from tests.support import need_programs

CHROMIUM = Path("/usr/bin/chromium")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    need_programs(CHROMIUM, install="chromium")
    base = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    return subprocess.run([*base, *args], capture_output=True, text=True, timeout=120)


def test_rendered_page_shows_summary_and_charts(kylac: Cli, tmp_path: Path) -> None:
    kylac.ok("--as-of", "30/09/2025", "done", "I.2.1", "--evidence", "Quyết định số 75/QĐ-UBND",
             "--on", "20/07/2025", user="vhxh")  # fmt: skip
    page = tmp_path / "report.html"
    kylac.ok("report", "--as-of", "30/09/2025", "--format", "html", "-o", str(page))

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    # 1/35 = 2.857… → 2,9% (half-up).
    assert "Hoàn thành 1/35 nhiệm vụ, đạt 2,9%." in dom.stdout
    assert dom.stdout.count('<svg class="chart-section"') == 7  # sections I–VII

    shot = tmp_path / "report.png"
    result = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=412,1600",
                       page.as_uri())  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert shot.exists() and shot.stat().st_size > 10_000
