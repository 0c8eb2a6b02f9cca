"""task.extras: the appendix's own columns that are not plan fields, kept with the task

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:20:00

- `task.extras`: a JSON object of header → cell for the columns an appendix has beyond the
  plan fields ("Người đứng đầu chịu trách nhiệm", "Ghi chú", "Nội dung chính", "Hình thức
  phổ biến"), and "Kết quả thực hiện" as the reported result. They are shown with the task
  and never read as a lead or an output. NULL for tasks imported before it existed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("extras", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("extras")
