"""Alembic migrations on the test database (SQLite file, or a throw-away PostgreSQL database
in the PostgreSQL half): a database an older planflow filled upgrades with every row and
value kept; `planflow init` on a current database changes nothing; a newer, unknown schema
is refused; and the migrations build exactly the schema the models declare.

The 0001-era data comes from the real flow (`planflow demo`, then a cancel, a reopen, a note,
a reminder sweep and a snapshot through the CLI) on a scratch SQLite file; its rows are
copied, column by column as 0001 knew them, into the test database brought to 0001 only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, Table, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel
from support import Cli, _base_env

import planflow.models  # noqa: F401 - registers the tables
from planflow import db as dbmod
from planflow.login import os_login

# What 0002 to 0006 add, read from their migration files: what an autogenerate diff of
# the models against a 0001 database must list, and nothing else.
ADDED_AFTER_0001 = {
    ("add_column", "outbox", "recipient_name"),
    ("add_index", "outbox", "ix_outbox_day"),
    ("add_index", "event", "ix_event_item"),
    ("add_index", "item", "ix_item_open"),  # 0003
    ("add_column", "plan", "until"),  # 0004
    ("add_column", "task", "extras"),  # 0005
    ("add_table", "setting", ""),  # 0006
    ("add_column", "event", "os_user"),  # 0006
    ("modify_nullable", "event", "unit_id"),  # 0006: a refused `unit add` has no unit
}


# --------------------------------------------------------------------------- helpers


def schema_diff(url: str) -> list[Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with dbmod.get_engine(url).connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), SQLModel.metadata))


def _diff_key(op: Any) -> tuple[str, str, str]:
    """("add_column", table, column) or ("add_index", table, index) for one diff entry."""
    if isinstance(op, list):  # column-level changes come as a list of tuples
        [op] = op
    kind = op[0]
    if kind == "add_column":
        return (kind, op[2], op[3].name)
    if kind in ("add_index", "remove_index"):
        return (kind, op[1].table.name, op[1].name)
    if kind == "add_table":
        return (kind, op[1].name, "")
    if kind == "modify_nullable":
        return (kind, op[2], op[3])
    return (kind, str(op[1:]), "")


def reflect(conn: Connection) -> MetaData:
    meta = MetaData()
    meta.reflect(bind=conn)
    return meta


def dump(conn: Connection, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as the driver returns it (no model types in between), only
    the given columns, in primary-key order: what "unchanged" is measured on."""
    quote = conn.dialect.identifier_preparer.quote
    meta = reflect(conn)
    out = {}
    for name, cols in columns.items():
        pk = [c.name for c in meta.tables[name].primary_key.columns]
        sql = (
            f"SELECT {', '.join(quote(c) for c in cols)} FROM {quote(name)}"
            f" ORDER BY {', '.join(quote(c) for c in pk)}"
        )
        out[name] = [tuple(r) for r in conn.execute(text(sql))]
    return out


def fill_from(source_url: str, target_url: str) -> dict[str, list[str]]:
    """Copy every row of the source into the target at 0001: the target's own columns (as
    0001 made them), written with the models' column types, so values are stored exactly as
    planflow of that era stored them. PostgreSQL sequences are moved past the copied ids, as
    they would be after real inserts. Returns {table: 0001 columns}."""
    model = SQLModel.metadata
    columns: dict[str, list[str]] = {}
    with (
        dbmod.get_engine(source_url).connect() as src,
        dbmod.get_engine(target_url).begin() as dst,
    ):
        old = reflect(dst)
        for table in old.sorted_tables:
            if table.name == "alembic_version":
                continue
            cols = [c.name for c in table.columns]
            columns[table.name] = cols
            typed = Table(
                table.name,
                MetaData(),
                *(Column(c, model.tables[table.name].c[c].type) for c in cols),
            )
            source = model.tables[table.name]
            pk = list(source.primary_key.columns)
            rows = [
                dict(r._mapping)
                for r in src.execute(select(*(source.c[c] for c in cols)).order_by(*pk))
            ]
            if rows:
                dst.execute(typed.insert(), rows)
            if dst.dialect.name == "postgresql" and "id" in cols:
                dst.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'),"
                        f' (SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}"), false)'
                    )
                )
    return columns


@pytest.fixture
def era_0001(tmp_path: Path) -> Iterator[Cli]:
    """A scratch SQLite database that the real CLI filled: every table has realistic rows."""
    home = tmp_path / "src-home"
    home.mkdir()
    url = f"sqlite:///{tmp_path / 'src' / 'planflow.db'}"
    src = Cli(url, home, _base_env(url, home))
    src.ok("demo", "--keep", str(tmp_path / "src"))
    src.ok(
        "person",
        "add",
        "Nguyễn Văn Chủ",
        "--email",
        "chutich@kylac.example.vn",
        "--user",
        "chutich",
        "--role",
        "chairman",
        user="dieuphoi",
    )
    src.ok(
        "--as-of", "16/10/2025", "cancel", "IV.2.1", "--reason", "Không còn phù hợp", user="chutich"
    )
    src.ok("--as-of", "16/10/2025", "reopen", "I.2.2", "--reason", "Thiếu phụ lục", user="dieuphoi")
    src.ok("--as-of", "16/10/2025", "note", "I.2.3", "Đã gửi dự thảo xin ý kiến", user="dieuphoi")
    # Outbox rows (sent as .eml files). On 17/10, after the changes of 16/10: a sweep "as of"
    # an earlier day replays the log, where I.2.2 was still done and nothing was owed.
    src.ok("remind", "--as-of", "17/10/2025")
    src.ok("--as-of", "17/10/2025", "snapshot", "take", "--label", "Tuần 42")
    # The scheduler's two kinds of lease, as a scheduler leaves them.
    from planflow.models import Lease

    with dbmod.session_scope(url, write=True) as session:
        session.add(
            Lease(
                name="scheduler",
                holder="may-chu:4242:1a2b3c4d",
                expires_at=datetime(2025, 10, 17, 0, 32, tzinfo=UTC),
                data={},
            )
        )
        session.add(
            Lease(
                name="sweep:2025-10-17",
                holder="finished",
                expires_at=None,
                data={"queued": 1, "units": ["ky-lac"]},
            )
        )
    yield src
    engine = dbmod._engines.pop(url, None)
    if engine is not None:
        engine.dispose()


# --------------------------------------------------------------------------- tests


def test_upgrade_from_0001_keeps_every_row(era_0001: Cli, cli: Cli) -> None:
    dbmod.init_db(cli.url, "0001")
    assert dbmod.schema_version(cli.url) == "0001"
    columns = fill_from(era_0001.url, cli.url)
    assert "recipient_name" not in columns["outbox"]  # really the 0001 schema
    with dbmod.get_engine(cli.url).connect() as conn:
        before = dump(conn, columns)
    empty = sorted(name for name, rows in before.items() if not rows)
    assert empty == [], f"the 0001 database must hold rows in every table: {empty}"
    assert set(before) == {t for t in SQLModel.metadata.tables} - {"setting"}  # 0006 adds it

    upgraded = cli.ok("init")
    assert f"0001 → {dbmod.HEAD}" in upgraded.out
    assert dbmod.schema_version(cli.url) == dbmod.HEAD

    with dbmod.get_engine(cli.url).connect() as conn:
        after = dump(conn, columns)
        names = conn.execute(text("SELECT recipient_name FROM outbox")).scalars().all()
        os_users = conn.execute(text("SELECT os_user FROM event")).scalars().all()
        admin = [tuple(r) for r in conn.execute(text("SELECT value FROM setting"))]
    for name in before:
        assert after[name] == before[name], f"table {name} changed in the upgrade"
    assert names and set(names) == {""}  # the new column's default on every old row
    assert os_users and set(os_users) == {""}  # nobody's login was known before 0006
    assert admin == [(os_login(),)]  # whoever upgraded is the administrator

    # planflow reads the upgraded database exactly as the original one...
    listing = cli.ok("tasks", "--json").json
    assert listing == era_0001.ok("tasks", "--json").json
    history = cli.ok("history", "II.2.2", "--json").json
    assert history == era_0001.ok("history", "II.2.2", "--json").json
    # ...and writes to it: an old task, started in the 0001 era, is completed now.
    cli.ok(
        "--as-of",
        "20/10/2025",
        "done",
        "II.2.2",
        "--evidence",
        "Công văn số 12/UBND",
        user="dieuphoi",
    )
    task = next(t for t in cli.ok("tasks", "--json").json if t["code"] == "II.2.2")
    assert task["status"] == "done"
    old_ids = [row[0] for row in before["event"]]
    with dbmod.get_engine(cli.url).connect() as conn:
        new_ids = (
            conn.execute(
                text("SELECT id FROM event WHERE id > :m ORDER BY id"), {"m": max(old_ids)}
            )
            .scalars()
            .all()
        )
    assert new_ids and new_ids[0] == max(old_ids) + 1  # ids continue after the old rows
    events = cli.ok("history", "II.2.2", "--json").json["events"]
    assert events[:-1] == history["events"] and events[-1]["id"] == new_ids[0]


def test_init_on_a_current_database_changes_nothing(kylac: Cli) -> None:
    columns = {name: [c.name for c in t.columns] for name, t in SQLModel.metadata.tables.items()}
    with dbmod.get_engine(kylac.url).connect() as conn:
        before = dump(conn, columns)
    again = kylac.ok("init")
    assert f"({dbmod.HEAD})" in again.out and "→" not in again.out
    with dbmod.get_engine(kylac.url).connect() as conn:
        assert dump(conn, columns) == before
    assert dbmod.schema_version(kylac.url) == dbmod.HEAD


def test_a_newer_unknown_schema_is_refused(kylac: Cli) -> None:
    with dbmod.get_engine(kylac.url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    for args in (("init",), ("tasks",)):
        result = kylac(*args)
        assert result.code == 1, result
        assert "Traceback" not in result.err
        assert "0099" in result.err and "cập nhật planflow" in result.err
    english = kylac("--lang", "en", "init")
    assert f"newer than this planflow knows ({dbmod.HEAD})" in english.err
    assert dbmod.schema_version(kylac.url) == "0099"  # nothing touched


def test_the_migrations_build_exactly_the_models(db_url: str) -> None:
    dbmod.init_db(db_url, "0001")
    # At 0001 the diff is exactly what 0002 to 0006 add: the comparison sees a missing
    # column and missing indexes, so an empty diff at head means something.
    assert {_diff_key(op) for op in schema_diff(db_url)} == ADDED_AFTER_0001
    before, after = dbmod.init_db(db_url)
    assert (before, after) == ("0001", dbmod.HEAD)
    assert schema_diff(db_url) == []
