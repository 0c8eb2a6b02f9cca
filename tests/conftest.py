"""Shared fixtures: a real database per test and the real `planflow` entry point.

The database is a fresh SQLite file by default. When PLANFLOW_TEST_PG_URL names a
PostgreSQL server (`.ci/run` sets it when the machine has one), every test gets its own
throw-away PostgreSQL database instead, so the whole suite runs on both backends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KYLAC_PLAN = ROOT / "plans" / "ky-lac-2025.yaml"
FIXTURES = SHARED / "fixtures"
PG_URL = os.environ.get("PLANFLOW_TEST_PG_URL", "")


def backend() -> str:
    return "postgresql" if PG_URL else "sqlite"


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'planflow.db'}"
        return
    import psycopg

    name = f"pf_{uuid.uuid4().hex[:12]}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_URL.rpartition("/")
    yield f"{base}/{name}"
    from planflow import db as dbmod

    engine = dbmod._engines.pop(f"{base}/{name}", None)
    if engine is not None:
        engine.dispose()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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

    def __call__(self, *args: str, user: str | None = None, input: str | None = None,
                 env: dict[str, str] | None = None, timeout: float = 120) -> Result:
        full_env = {**self.env, **(env or {})}
        if user is not None:
            full_env["PLANFLOW_USER"] = user
        proc = subprocess.run(
            [sys.executable, "-m", "planflow", *args],
            capture_output=True, text=True, env=full_env, input=input, timeout=timeout,
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


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(db_url, home, _base_env(db_url, home))


@pytest.fixture
def kylac(cli: Cli) -> Cli:
    """A database initialised and holding the Kỳ Lạc 2025 plan from plans/."""
    cli.ok("init")
    cli.ok("plan", "import", str(KYLAC_PLAN))
    return cli


def pytest_report_header(config: pytest.Config) -> str:
    if PG_URL:
        return ("planflow test database: PostgreSQL (a throw-away database per test); tests that "
                "use no database are deselected here: they ran in the SQLite half")
    return "planflow test database: SQLite (a fresh file per test)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL run, keep only the tests that touch a database."""
    if not PG_URL:
        return
    keep = [i for i in items if "db_url" in getattr(i, "fixturenames", ())]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
