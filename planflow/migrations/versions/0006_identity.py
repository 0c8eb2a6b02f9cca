"""Identity: the database's administrator, and the OS login on every event

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 20:45:00

- `setting`: one row per installation-wide value. `admin` is the OS login of whoever ran
  `planflow init` (for a database upgraded here, whoever runs the upgrade): only that login
  may act as someone else through PLANFLOW_USER.
- `event.os_user`: the operating system's login of whoever ran the command, beside the
  person it acted as, so a refusal names who really tried. '' for events recorded before.
- `event.unit_id` becomes nullable: a refused `unit add` belongs to no unit yet.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "os_user",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                server_default="",
                nullable=False,
            )
        )
        batch_op.alter_column("unit_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.alter_column("unit_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("os_user")
    op.drop_table("setting")
