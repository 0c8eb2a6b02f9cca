"""outbox recipient name; indexes for the sweep's dedup read and the re-import's event probe

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:45:00

- `outbox.recipient_name`: the To: display name ("Nguyễn Văn An <an@xa.gov.vn>"), rendered
  when the message is queued like the rest of the row; '' for rows queued before it existed.
- `ix_outbox_day`: the sweep reads the keys already queued for its day
  (services.reminders._existing_keys: `WHERE day = ?`); the unique key (recipient, day, kind)
  cannot serve that because `day` is not its first column, so the read grew with history.
- `ix_event_item`: a re-import asks whether an item was ever touched before dropping it
  (services.plans: `SELECT id FROM event WHERE item_id = ? LIMIT 1`); without it that probe
  scanned a year of events per item.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "outbox",
        sa.Column(
            "recipient_name",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
            server_default="",
        ),
    )
    op.create_index("ix_outbox_day", "outbox", ["day"], unique=False)
    op.create_index("ix_event_item", "event", ["item_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_item", table_name="event")
    op.drop_index("ix_outbox_day", table_name="outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("recipient_name")
