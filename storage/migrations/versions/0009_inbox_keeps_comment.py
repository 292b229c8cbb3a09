"""the inbox journals status selects too: a select keeps the current comment

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("submission_inbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("keep_comment", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("submission_inbox", schema=None) as batch_op:
        batch_op.alter_column("keep_comment", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("submission_inbox", schema=None) as batch_op:
        batch_op.drop_column("keep_comment")
