"""`planflow demo` prints the seeds' progress line from a fresh embedded database."""

from __future__ import annotations

from support import Cli


def test_demo_prints_progress_line_and_overdue_list(cli: Cli) -> None:
    result = cli.ok("demo", "--keep", str(cli.home / "demo"))
    # Derived by hand from planflow/services/demo.py and plans/ky-lac-2025.yaml, 15/10/2025:
    # fully done: I.2.1, I.2.2, III.2.1 (late: 12/08 > 31/07), V.2.1, VI.2.3, I.2.5, III.2.11
    # → 7/35 = 20%; in progress: II.2.2, I.2.3 (started) + II.2.1, III.2.4, VII.2.2.1 (Q3 of
    # Q3–Q4 done) = 5; not started 35 − 7 − 5 = 23; overdue: the eleven recurring tasks whose
    # Q3 occurrence (due Tue 30/09/2025) is still open, 11 working days late on Wed 15/10:
    # 01–03/10 (3) + 06–10/10 (5) + 13–15/10 (3), no holiday in October.
    assert "Hoàn thành 7/35 nhiệm vụ, đạt 20%" in result.out
    assert "đúng hạn 6, quá hạn 1" in result.out
    assert "Nhiệm vụ quá hạn chưa hoàn thành (11):" in result.out
    late = ", quá 11 ngày làm việc"
    overdue = [line.split()[0] for line in result.out.splitlines() if late in line]
    assert sorted(overdue) == sorted(
        [
            "I.2.4",
            "II.2.3",
            "III.2.2",
            "III.2.3",
            "III.2.5",
            "III.2.6",
            "III.2.7",
            "III.2.8",
            "III.2.9",
            "III.2.10",
            "VII.2.2.2",
        ]
    )
    assert (cli.home / "demo" / "planflow.db").exists()
    # The way on to the browser: the serve command and the first overdue task's mail link,
    # signed for its first lead with a head (I.2.4 is led by VP, KT, VHXH, TTHCC: VP's head).
    demo = cli.home / "demo"
    serve = f"PLANFLOW_SECRET_KEY_FILE={demo / 'secret.key'} planflow --db sqlite:///{demo}"
    assert serve in result.out and "--as-of 15/10/2025 serve" in result.out
    [url] = [w for w in result.out.split() if w.startswith("http://127.0.0.1:8040/")]
    assert url.startswith("http://127.0.0.1:8040/u/ky-lac/t/I.2.4?k=")
    from datetime import date

    from planflow import links

    key = (demo / "secret.key").read_text().strip().encode()
    claim = links.verify(url.split("?k=")[1], key, links.LINK, date(2025, 10, 15))
    assert (claim.email, claim.target) == ("vp@kylac.example.vn", "I.2.4")


def test_demo_in_english(cli: Cli) -> None:
    result = cli.ok("--lang", "en", "demo", "--keep", str(cli.home / "demo-en"))
    assert "Completed 7/35 tasks (20%)" in result.out
