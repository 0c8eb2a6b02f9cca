"""`planflow --help` against a one-command Typer app: the price of planflow's start-up.

Both run as whole processes with the venv's interpreter and compiled bytecode, alternately,
and the medians are compared. Target (issue 7): planflow no slower than the Typer app.
Also shows the start-up of `planflow done --help` (the command module path without
touching a database).

    .venv/bin/python bench/startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PLANFLOW,
    PYTHON,
    compile_bytecode,
    interleave,
    machine,
    report,
    run,
)

FLOOR = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    \"\"\"Say hello.\"\"\"
    print(f"hello {name}")


app()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    compile_bytecode()
    print(machine())
    series = interleave(
        {
            "planflow": lambda: run([PLANFLOW, "--help"]),
            "typer": lambda: run([PYTHON, "-c", FLOOR, "--help"]),
            "done": lambda: run([PLANFLOW, "done", "--help"]),
        },
        args.rounds,
    )
    p, t, d = (series[k].median for k in ("planflow", "typer", "done"))
    report(
        "planflow --help",
        f"{p * 1000:.0f} ms (peak {series['planflow'].peak_mb:.0f} MB)",
        f"one-command Typer app {t * 1000:.0f} ms: {p / t:.2f}x",
        "<= 1.0x",
        p <= t,
    )
    report(
        "planflow done --help",
        f"{d * 1000:.0f} ms (peak {series['done'].peak_mb:.0f} MB)",
        f"one-command Typer app {t * 1000:.0f} ms: {d / t:.2f}x",
        "(information)",
        True,
    )


if __name__ == "__main__":
    main()
