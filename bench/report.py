"""The roll-up report over every unit: a province (70 communes) and the country (3,300).

`planflow report --all-units --as-of 12/11/2025 --format F` as a whole process, for each
format (text, md, html, json to stdout; docx and xlsx to a file), on generated databases,
with its wall time, CPU time and peak memory. Targets (issue 7): the JSON roll-up ≤ 1 s
for the province and ≤ 5 s for the country.

The report's own `--as-of 12/11/2025` is a past day (the real today is later), so these
runs replay the event log; `json-today` runs `planflow --as-of 12/11/2025 report …` instead,
which makes that day today and reads the stored state (what a chairman gets by default).

    .venv/bin/python bench/report.py [--rounds 3] [--formats json,text,…]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DATA,
    PLANFLOW,
    child_env,
    compile_bytecode,
    ensure_data,
    machine,
    report,
    run,
)

FORMATS = ("json", "json-today", "text", "md", "html", "docx", "xlsx")
SCALES = (("province", 70, "units-70.db", 1.0), ("national", 3300, "national.db", 5.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    compile_bytecode()
    print(machine())
    formats = args.formats.split(",")
    for scale, units, name, target in SCALES:
        path = ensure_data(units, name)
        env = child_env(PLANFLOW_DATABASE_URL=f"sqlite:///{path}")
        for fmt in formats:
            if fmt == "json-today":
                cmd = [PLANFLOW, "--as-of", "12/11/2025", "report", "--all-units", "--format",
                       "json"]  # fmt: skip
            else:
                cmd = [PLANFLOW, "report", "--all-units", "--as-of", "12/11/2025", "--format", fmt]
            if fmt in ("docx", "xlsx"):
                cmd += ["-o", str(DATA / f"rollup-{scale}.{fmt}")]
            runs = [run(cmd, env) for _ in range(args.rounds)]
            if any(r.returncode for r in runs):
                report(f"roll-up {scale} {fmt}", "FAILED", " ".join(cmd[1:]), "-", False)
                continue
            wall = statistics.median(r.seconds for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            peak = max(r.peak_mb for r in runs)
            is_target = fmt.startswith("json")
            report(
                f"roll-up {scale} ({units} units) {fmt}",
                f"{wall:.2f} s (CPU {cpu:.2f} s)",
                f"peak {peak:.0f} MB",
                f"<= {target:g} s" if is_target else "(information)",
                wall <= target if is_target else True,
            )


if __name__ == "__main__":
    main()
