"""Shared fixtures: a real database per test and the real `planflow` entry point.

The database is a fresh SQLite file by default. When PLANFLOW_TEST_PG_URL names a
PostgreSQL server (`.ci/run` sets it when the machine has one), every test gets its own
throw-away PostgreSQL database instead, so the whole suite runs on both backends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import FIXTURES, KYLAC_PLAN, PG_URL, ROOT, SHARED, Cli, Result, _base_env  # noqa: F401


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
        return (
            "planflow test database: PostgreSQL (a throw-away database per test); tests that "
            "use no database are deselected here: they ran in the SQLite half"
        )
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
