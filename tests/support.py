"""Helpers shared by tests: paths and the real `planflow` entry point as a process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KYLAC_PLAN = ROOT / "plans" / "ky-lac-2025.yaml"
# Fixtures live in the repository, so a bare clone with nothing beside it runs the suite.
FIXTURES = ROOT / "tests" / "fixtures"
REAL = FIXTURES / "real"
PG_URL = os.environ.get("PLANFLOW_TEST_PG_URL", "")


# Every PostgreSQL database this test process creates is named with this prefix, so the
# session can drop whatever a teardown that never ran left behind, and only its own.
PG_RUN_PREFIX = f"pf_{uuid.uuid4().hex[:6]}_"
_cleanup_registered = False


def backend() -> str:
    return "postgresql" if PG_URL else "sqlite"


def _pg_admin() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


def create_pg_database() -> str:
    """A new empty database on the PLANFLOW_TEST_PG_URL server; returns its planflow URL.

    The first one registers an exit handler that drops whatever this process created and
    did not drop: pytest can skip fixture teardowns on Ctrl-C (only SIGKILL escapes)."""
    import atexit

    import psycopg

    global _cleanup_registered
    if not _cleanup_registered:
        atexit.register(drop_leftover_pg_databases)
        _cleanup_registered = True
    name = f"{PG_RUN_PREFIX}{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_pg_admin(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_URL.rpartition('/')[0]}/{name}"


def forget_engine(url: str) -> None:
    """Close planflow's pooled connections to `url` (a dropped database, a deleted file)."""
    from planflow import db as dbmod

    engine = dbmod._engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def drop_pg_database(url: str) -> None:
    """Drop a test database even if a process still holds connections to it."""
    import psycopg

    forget_engine(url)
    name = url.rpartition("/")[2]
    with psycopg.connect(_pg_admin(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_leftover_pg_databases() -> list[str]:
    """Drop this process's databases that are still there; returns their names."""
    import psycopg

    with psycopg.connect(_pg_admin(), autocommit=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                (PG_RUN_PREFIX,),
            )
        ]
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return names


@dataclass
class DbFactory:
    """Fresh databases on the test backend, for tests that need more than `db_url` (one per
    hypothesis example, two imports to compare); `drop` or the fixture's end removes them."""

    folder: Path
    made: list[str] = field(default_factory=list)

    def __call__(self) -> str:
        if PG_URL:
            url = create_pg_database()
        else:
            path = self.folder / f"db-{len(self.made)}-{uuid.uuid4().hex[:6]}" / "planflow.db"
            path.parent.mkdir(parents=True)
            url = f"sqlite:///{path}"
        self.made.append(url)
        return url

    def drop(self, url: str) -> None:
        if url in self.made:
            self.made.remove(url)
        if PG_URL:
            drop_pg_database(url)
        else:
            forget_engine(url)
            import shutil

            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)

    def drop_all(self) -> None:
        errors = []
        for url in list(self.made):
            try:
                self.drop(url)
            except Exception as exc:  # keep dropping the others
                errors.append(exc)
        if errors:
            raise errors[0]


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
        # The child imports the planflow beside these tests, even from a second worktree
        # whose venv's editable install points at another checkout.
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    )
    return env


def need_programs(*paths: Path, install: str) -> None:
    """Skip, saying why, when a Debian program a test drives is missing; under `.ci/run`
    (PLANFLOW_REQUIRE_CHROMIUM=1, after it installed them) fail instead of passing by
    skipping."""
    import pytest

    missing = [str(p) for p in paths if not p.exists()]
    if not missing:
        return
    why = (
        f"{' and '.join(missing)} missing: `.ci/run` installs them "
        f"(locally: apt-get update && apt-get install -y {install})"
    )
    if os.environ.get("PLANFLOW_REQUIRE_CHROMIUM") == "1":
        pytest.fail(why)
    pytest.skip(why)
