"""Alembic environment: the URL comes from planflow (never from a .ini file)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import planflow.models  # noqa: F401 - registers the tables
from planflow.db import get_engine

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
target_metadata = SQLModel.metadata


def run() -> None:
    engine = get_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
