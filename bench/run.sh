#!/bin/sh
# Run every benchmark in turn with the venv's interpreter; each prints one line per figure.
# The first run generates bench/data/ (national: about a minute); later runs reuse it.
#   bench/run.sh            # everything
#   ROUNDS=5 bench/run.sh   # more rounds for steadier medians
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
R=${ROUNDS:-3}
lscpu | grep -E '^(Model name|CPU\(s\)):' || true
$PY --version
$PY bench/generate.py
$PY bench/generate.py --units 70
$PY bench/sweep.py --rounds "$R"
$PY bench/delivery.py --rounds "$R"
$PY bench/done.py --rounds $((R * 2 + 1))
$PY bench/startup.py --rounds $((R * 5))
$PY bench/report.py --rounds "$R"
$PY bench/import_docx.py --rounds $((R + 2))
$PY bench/tasks_as_of.py --rounds $((R + 2))
$PY bench/remind_lock.py --rounds "$R"
