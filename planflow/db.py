"""Engines and sessions: the same code on the embedded SQLite file and on PostgreSQL.

SQLite gets foreign keys, WAL and a busy timeout on every connection, and write
transactions start with BEGIN IMMEDIATE: a deferred transaction that later writes can fail
at once with "database is locked" when another process committed in between, which the busy
timeout cannot absorb. Readers stay deferred so reports never block writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, create_engine

from planflow.errors import ConfigError

HEAD = "0005"  # the newest migration; `planflow init` upgrades to it
_engines: dict[str, Engine] = {}


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def get_engine(url: str) -> Engine:
    if url in _engines:
        return _engines[url]
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql":
            from planflow.models import attach_postgresql_where

            attach_postgresql_where()  # the dialect is loaded for this engine anyway
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    _engines[url] = engine
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("planflow_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def session_scope(url: str, *, write: bool = False) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any exception."""
    engine = get_engine(url)
    bind = engine.execution_options(planflow_write=True) if write else engine
    with Session(bind=bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def schema_version(url: str) -> str | None:
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        return None


def known_revisions() -> list[str]:
    """Every revision this planflow ships, oldest first (imports Alembic: slow path only)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _refuse_unknown(version: str) -> None:
    """A schema this planflow does not know was written by a newer planflow: upgrading or
    using it could lose what that version stores, so say which program to upgrade."""
    if version not in known_revisions():
        raise ConfigError(
            f"cơ sở dữ liệu ở phiên bản {version}, mới hơn phiên bản planflow này biết ({HEAD}):"
            " hãy cập nhật planflow, không dùng bản cũ trên cơ sở dữ liệu này",
            f"the database is at schema {version}, newer than this planflow knows ({HEAD}):"
            " upgrade planflow rather than use an older one on this database",
        )


def require_schema(url: str) -> None:
    version = schema_version(url)
    if version == HEAD:
        return
    if version is None:
        raise ConfigError(
            "cơ sở dữ liệu chưa được khởi tạo: chạy `planflow init`",
            "the database is not initialised: run `planflow init`",
        )
    _refuse_unknown(version)
    raise ConfigError(
        f"cơ sở dữ liệu ở phiên bản {version}, cần {HEAD}: chạy `planflow init` để nâng cấp",
        f"the database is at schema {version}, planflow needs {HEAD}: run `planflow init`",
    )


def init_db(url: str, revision: str = "head") -> tuple[str | None, str]:
    """Create or upgrade the schema with Alembic; returns (before, after) revisions.

    `revision` is for tests that need a database as an older planflow left it ("0001").
    A database at a revision this planflow does not know is refused before Alembic runs.
    """
    from alembic import command
    from alembic.config import Config

    before = schema_version(url)
    if before is not None:
        _refuse_unknown(before)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["url"] = url
    command.upgrade(cfg, revision)
    return before, schema_version(url) or HEAD
