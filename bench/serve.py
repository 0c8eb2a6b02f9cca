"""`planflow serve` under requests from one client and from several at once.

A real `planflow serve` process on 127.0.0.1 over a fresh SQLite database holding the Kỳ Lạc
2025 plan, signed in through a real signed link. Sequential requests of each kind, then the
same from THREADS threads at once:

- `GET /healthz`: the floor (the framework and the server, no database, no template);
- `GET /u/ky-lac/t/I.2.4`: a task page (session check, a read transaction, the history,
  the template), measured before the notes below lengthen its history;
- `POST …/note`: a write (CSRF check, one write transaction with its audit event, a redirect).

Compared with a `planflow note` run as a whole process, what a head pays at the terminal.
There is no target in the issue; the figures go into bench/README.md.

    .venv/bin/python bench/serve.py [--requests 200] [--threads 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PLANFLOW, ROOT, child_env, compile_bytecode  # noqa: E402

DAY = "2025-10-10"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(
    port: int, method: str, path: str, cookie: str, body: str = ""
) -> tuple[float, int, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, response.status, response


def _figures(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{label:<44} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   n={len(ms)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    compile_bytecode()
    home = Path(tempfile.mkdtemp(prefix="planflow-bench-serve-"))
    port = _port()
    env = child_env(
        PLANFLOW_HOME=str(home),
        PLANFLOW_CONFIG=str(home / "config.toml"),
        PLANFLOW_DATABASE_URL=f"sqlite:///{home / 'planflow.db'}",
        PLANFLOW_TODAY=DAY,
        PLANFLOW_BASE_URL=f"http://127.0.0.1:{port}",
    )
    for step in (["init"], ["plan", "import", str(ROOT / "plans" / "ky-lac-2025.yaml")]):
        subprocess.run([PLANFLOW, *step], env=env, check=True, capture_output=True)
    server = subprocess.Popen([PLANFLOW, "serve", "--port", str(port)], env=env)
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        os.environ.update(env)
        from planflow import links

        link = links.item_url(
            f"http://127.0.0.1:{port}",
            links.secret_key(),
            person_id=2,
            email="kt@kylac.example.vn",
            unit="ky-lac",
            code="I.2.4",
            today=date.fromisoformat(DAY),
            days=14,
        ).removeprefix(f"http://127.0.0.1:{port}")
        _s, status, first = _timed(port, "GET", link, "")
        assert status == 303, status
        cookie = (first.getheader("set-cookie") or "").split(";")[0]
        _s, _st, page = _timed(port, "GET", "/u/ky-lac/t/I.2.4", cookie)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/u/ky-lac/t/I.2.4", headers={"Cookie": cookie})
        html = conn.getresponse().read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', html)
        assert token, "no form token on the page"
        note = f"csrf={token.group(1)}&text=bench"
        kinds = (
            ("GET /healthz (floor)", "GET", "/healthz", ""),
            ("GET task page", "GET", "/u/ky-lac/t/I.2.4", ""),
            ("POST note (write + audit event)", "POST", "/u/ky-lac/t/I.2.4/note", note),
        )
        print(f"planflow serve, Kỳ Lạc 2025 (35 tasks), SQLite, {sys.version.split()[0]}")
        for label, method, path, body in kinds:  # the page before any note lengthens it
            sequential = [_timed(port, method, path, cookie, body)[0] for _ in range(args.requests)]
            _figures(f"{label}, 1 client", sequential)
            times: list[float] = []
            lock = threading.Lock()

            def worker(
                method: str = method,
                path: str = path,
                body: str = body,
                times: list[float] = times,
                lock: threading.Lock = lock,
            ) -> None:
                for _ in range(args.requests // args.threads):
                    took, status, _r = _timed(port, method, path, cookie, body)
                    assert status in (200, 303), status
                    with lock:
                        times.append(took)

            started = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(args.threads)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            rate = len(times) / (time.perf_counter() - started)
            _figures(f"{label}, {args.threads} clients", times)
            print(f"{'':<44} {rate:7.1f} requests/s")
        cli = []
        for _ in range(10):
            started = time.perf_counter()
            subprocess.run(
                [PLANFLOW, "note", "I.2.4", "bench"],
                env={**env, "PLANFLOW_USER": "kt"},
                check=True,
                capture_output=True,
            )
            cli.append(time.perf_counter() - started)
        _figures("planflow note, whole process (compared with)", cli)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
