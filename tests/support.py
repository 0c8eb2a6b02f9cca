"""Helpers shared by tests: paths and the real `planflow` entry point as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KYLAC_PLAN = ROOT / "plans" / "ky-lac-2025.yaml"
FIXTURES = SHARED / "fixtures"
PG_URL = os.environ.get("PLANFLOW_TEST_PG_URL", "")


def backend() -> str:
    return "postgresql" if PG_URL else "sqlite"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.out)


@dataclass
class Cli:
    """Runs `python -m planflow` as a separate process, as a user would."""

    url: str
    home: Path
    env: dict[str, str]

    def __call__(
        self,
        *args: str,
        user: str | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Result:
        full_env = {**self.env, **(env or {})}
        if user is not None:
            full_env["PLANFLOW_USER"] = user
        proc = subprocess.run(
            [sys.executable, "-m", "planflow", *args],
            capture_output=True,
            text=True,
            env=full_env,
            input=input,
            timeout=timeout,
            cwd=self.home,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str, **kwargs: object) -> Result:
        result = self(*args, **kwargs)  # type: ignore[arg-type]
        assert result.code == 0, f"planflow {' '.join(args)} failed:\n{result.err}\n{result.out}"
        return result


def _base_env(url: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANFLOW_")}
    env.update(
        PLANFLOW_DATABASE_URL=url,
        PLANFLOW_HOME=str(home),
        PLANFLOW_CONFIG=str(home / "config.toml"),
        PLANFLOW_OUTBOX_DIR=str(home / "outbox"),
        PLANFLOW_LANG="vi",
        PYTHONIOENCODING="utf-8",
        COLUMNS="200",
    )
    return env
