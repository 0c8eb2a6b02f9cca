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
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from sqlmodel import Session, create_engine

from planflow.errors import ConfigError

HEAD = "0006"  # the newest migration; `planflow init` upgrades to it
_engines: dict[str, Engine] = {}


BACKENDS = ("sqlite", "postgresql")
_URL_HELP = (
    "cần sqlite:///đường/dẫn/planflow.db hoặc postgresql+psycopg://người@máy/csdl",
    "expected sqlite:///path/to/planflow.db or postgresql+psycopg://user@host/db",
)


def parse_url(url: str) -> URL:
    """The database URL, or one clear line: a typo in --db is the user's, not a bug."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ConfigError(
            f"--db / PLANFLOW_DATABASE_URL: '{safe_url(url)}' không phải URL cơ sở dữ liệu"
            f" ({_URL_HELP[0]})",
            f"--db / PLANFLOW_DATABASE_URL: '{safe_url(url)}' is not a database URL"
            f" ({_URL_HELP[1]})",
        ) from None
    if parsed.get_backend_name() not in BACKENDS:
        raise ConfigError(
            f"--db / PLANFLOW_DATABASE_URL: planflow không hỗ trợ '{parsed.get_backend_name()}'"
            f" ({_URL_HELP[0]})",
            f"--db / PLANFLOW_DATABASE_URL: planflow does not support"
            f" '{parsed.get_backend_name()}' ({_URL_HELP[1]})",
        )
    return parsed


def safe_url(url: str) -> str:
    """`url` fit to print: a password becomes ***. Never print a URL without this."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        import re

        return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", url)


def is_sqlite(url: str) -> bool:
    return parse_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other backends and in-memory databases)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def get_engine(url: str) -> Engine:
    if url in _engines:
        return _engines[url]
    parsed = parse_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _folder_error(folder, exc) from exc
        kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql":
            from planflow.models import attach_postgresql_where

            attach_postgresql_where()  # the dialect is loaded for this engine anyway
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as exc:  # postgresql+asyncpg://, postgresql+pg8000:// …
        raise ConfigError(
            f"--db / PLANFLOW_DATABASE_URL: trình điều khiển '{parsed.drivername}' chưa được"
            f" cài ({exc.name}); {_URL_HELP[0]}",
            f"--db / PLANFLOW_DATABASE_URL: the driver '{parsed.drivername}' is not installed"
            f" ({exc.name}); {_URL_HELP[1]}",
        ) from None
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
    """The Alembic revision, or None for a database without planflow's tables. A database
    that cannot be reached, opened or read is a ConfigError of its own, never None: "run
    `planflow init`" would be the wrong advice for it."""
    engine = get_engine(url)
    try:
        conn = engine.connect()
    except DBAPIError as exc:
        raise database_error(url, exc) from exc
    with conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            if _no_table(exc):
                return None
            raise database_error(url, exc) from exc
        except DBAPIError as exc:
            raise database_error(url, exc) from exc


def _no_table(exc: DBAPIError) -> bool:
    words = str(exc.orig).lower()
    return "no such table" in words or ("relation" in words and "does not exist" in words)


def _folder_error(folder: Path, exc: OSError | None) -> ConfigError:
    why = f" ({exc.strerror})" if exc is not None and exc.strerror else ""
    return ConfigError(
        f"{folder}: không tạo được cơ sở dữ liệu trong thư mục này{why}; cần một thư mục"
        " người dùng này ghi được",
        f"{folder}: cannot create the database in this folder{why}; expected a folder this"
        " user can write",
    )


def database_error(url: str, exc: BaseException) -> ConfigError:
    """The user's sentence for a database that cannot be used: unreachable, read-only, not a
    database, a folder that cannot be written. Each has its own cause and its own fix, so
    each has its own message; only a missing or uninitialised one says `planflow init`."""
    where = safe_url(url)
    words = str(getattr(exc, "orig", None) or exc).lower()
    path = sqlite_path(url)
    if path is not None:
        if "readonly" in words or "read-only" in words:
            return ConfigError(
                f"{path}: cơ sở dữ liệu chỉ đọc được, không ghi được; cần quyền ghi tệp này"
                " (và thư mục chứa nó) cho người dùng đang chạy planflow",
                f"{path}: the database is read-only; expected write permission on this file"
                " (and its folder) for the user running planflow",
            )
        if "not a database" in words or "malformed" in words or "file is encrypted" in words:
            return ConfigError(
                f"{path}: tệp này không phải cơ sở dữ liệu planflow (SQLite) hoặc đã hỏng;"
                " kiểm tra --db / PLANFLOW_DATABASE_URL",
                f"{path}: this file is not a planflow (SQLite) database or it is damaged;"
                " check --db / PLANFLOW_DATABASE_URL",
            )
        if "unable to open" in words:
            if path.is_dir():
                return ConfigError(
                    f"{path}: đây là thư mục, cần tệp cơ sở dữ liệu (ví dụ {path}/planflow.db)",
                    f"{path}: this is a folder; expected a database file (e.g. {path}/planflow.db)",
                )
            if path.exists():  # SQLite keeps its -wal and -shm files beside the database
                return ConfigError(
                    f"{path}: không mở được cơ sở dữ liệu; thư mục {path.parent} cần ghi được"
                    " (SQLite ghi tệp -wal, -shm bên cạnh)",
                    f"{path}: cannot open the database; expected its folder {path.parent} to"
                    " be writable (SQLite keeps -wal and -shm files beside it)",
                )
            return _folder_error(path.parent, None)
        return ConfigError(
            f"{path}: không dùng được cơ sở dữ liệu ({words})",
            f"{path}: cannot use the database ({words})",
        )
    first = words.strip().splitlines()[0] if words.strip() else type(exc).__name__
    if "does not exist" in words and "database" in words:
        return ConfigError(
            f"{where}: máy chủ không có cơ sở dữ liệu này; tạo nó (createdb) rồi chạy"
            " `planflow init`",
            f"{where}: the server has no such database; create it (createdb), then run"
            " `planflow init`",
        )
    if "password" in words or "authentication" in words or "permission denied" in words:
        return ConfigError(
            f"{where}: máy chủ từ chối đăng nhập hoặc quyền ({first})",
            f"{where}: the server refused the login or the permission ({first})",
        )
    return ConfigError(
        f"{where}: không kết nối được máy chủ cơ sở dữ liệu ({first}); kiểm tra máy chủ có"
        " chạy không và địa chỉ trong --db / PLANFLOW_DATABASE_URL",
        f"{where}: cannot reach the database server ({first}); check that it is running and"
        " the address in --db / PLANFLOW_DATABASE_URL",
    )


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
    """Refuse to go on unless the database is at HEAD; a missing SQLite file is not created."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise ConfigError(
            f"{path}: chưa có cơ sở dữ liệu này: chạy `planflow init` để tạo",
            f"{path}: no such database: run `planflow init` to create it",
        )
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
    if revision == "head":
        _record_admin(url)
    return before, schema_version(url) or HEAD


def _record_admin(url: str) -> None:
    """The OS login that first runs `planflow init` on a database is its administrator (for
    a database made before 0006, whoever upgrades it); later runs change nothing."""
    from planflow.login import os_login

    with session_scope(url, write=True) as session:
        session.execute(
            text(
                "INSERT INTO setting (key, value) SELECT 'admin', :login "
                "WHERE NOT EXISTS (SELECT 1 FROM setting WHERE key = 'admin')"
            ),
            {"login": os_login()},
        )
