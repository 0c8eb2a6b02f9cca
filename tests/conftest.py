"""Shared fixtures: a real database per test and the real `planflow` entry point.

The database is a fresh SQLite file by default. When PLANFLOW_TEST_PG_URL names a
PostgreSQL server (`.ci/run` sets it when the machine has one), every test gets its own
throw-away PostgreSQL database instead, so the whole suite runs on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import (  # noqa: F401
    FIXTURES,
    KYLAC_PLAN,
    PG_URL,
    ROOT,
    Cli,
    DbFactory,
    Result,
    _base_env,
    create_pg_database,
    drop_pg_database,
    forget_engine,
)

# Tests that ask for one of these run in both halves; the PostgreSQL half skips the others.
DB_FIXTURES = ("db_url", "db_factory")


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database for this test: a SQLite file, or a PostgreSQL database that is
    dropped when the test ends, passed or failed."""
    if not PG_URL:
        url = f"sqlite:///{tmp_path / 'planflow.db'}"
        yield url
        forget_engine(url)
        return
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture
def db_factory(tmp_path: Path) -> Iterator[DbFactory]:
    """As many fresh databases as a test needs, on the same backend as `db_url`."""
    factory = DbFactory(tmp_path)
    try:
        yield factory
    finally:
        factory.drop_all()


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
    keep = [i for i in items if set(DB_FIXTURES) & set(getattr(i, "fixturenames", ()))]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
