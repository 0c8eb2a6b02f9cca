"""plan.until: the last year of a plan over several years

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:30:00

- `plan.until`: a plan "giai đoạn 2026 - 2030" runs from `year` (2026) to `until` (2030);
  there a yearly phrase ("Hằng năm") is one occurrence a year, 2026 … 2030, and an ad-hoc
  task added later is read the same way. NULL for a one-year plan, and for every plan
  imported before it existed (all of them one-year plans: nothing read the span then).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan", sa.Column("until", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("until")
