"""a decision remembers when it was followed up

The committee's channel, the board and the returned activities' reporters are told by the
process that has a chat connection: right after the decision, or by the next sweep when the
decision came from the command line or the process stopped before it was done. Decisions
recorded before this migration were followed up when they were made.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("followed_up_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.execute("UPDATE decision SET followed_up_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("followed_up_at")
