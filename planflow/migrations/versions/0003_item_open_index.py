"""partial covering index of open items, for the all-units sweep

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 13:20:00

- `ix_item_open`: the daily sweep over every unit (services.sweep_all) reads every open item
  (`WHERE item.status IN ('not_started', 'in_progress')`) with no unit to narrow it. A
  partial index holding only open items, with the columns the sweep reads, lets both
  SQLite and PostgreSQL answer from the index: the read grows with what is open, not with
  the done items of past years (national data: 0.9 s → 0.45 s for 103,621 open items).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = "status IN ('not_started', 'in_progress')"


def upgrade() -> None:
    op.create_index(
        "ix_item_open",
        "item",
        ["task_id", "unit_id", "due_on", "period", "department", "status"],
        unique=False,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_item_open", table_name="item")
