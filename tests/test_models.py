"""Declarations in planflow.models that only show on one database."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex
from sqlmodel import SQLModel

import planflow.models  # noqa: F401 - registers the tables
from planflow import db as dbmod

WHERE = {
    "uq_task_plan_code_live": "WHERE archived_at IS NULL",
    "ix_item_open": "WHERE status IN ('not_started', 'in_progress')",
}


def _ddl(dialect: object) -> dict[str, str]:
    return {
        index.name: str(CreateIndex(index).compile(dialect=dialect))  # type: ignore[arg-type]
        for table in SQLModel.metadata.tables.values()
        for index in table.indexes
        if index.name in WHERE
    }


def test_partial_indexes_are_partial_on_both_databases() -> None:
    # A PostgreSQL engine is what attaches the PostgreSQL clauses; making one connects to
    # nothing, so no server is needed here.
    dbmod.get_engine("postgresql+psycopg://nobody@127.0.0.1:1/planflow_models_test")
    for ddl in (_ddl(sqlite.dialect()), _ddl(postgresql.dialect())):
        assert {name: sql.partition(") ")[2] for name, sql in ddl.items()} == WHERE
