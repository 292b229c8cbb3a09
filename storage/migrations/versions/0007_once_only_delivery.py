"""once-only: action times, platform-neutral inbox, reminder log and handled events; versions

- status_report.acted_at: when the person acted, so an older action never overwrites a newer one;
- submission_inbox: platform, workspace, the person and the action's time; wider ids (Teams);
- reminder_message: platform, and room for Teams conversation and activity ids;
- handled_event (platform, event_id) replaces slack_event (its rows are moved over);
- delivery_attempt: a message about to be sent, so a crash between send and log repeats nothing;
- report_version: every publication of a report, immutable, with its files and hashes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUTO = sqlmodel.sql.sqltypes.AutoString
_UTC = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "handled_event",
        sa.Column("platform", _AUTO(length=10), nullable=False),
        sa.Column("event_id", _AUTO(length=200), nullable=False),
        sa.Column("received_at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "event_id"),
    )
    with op.batch_alter_table("handled_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handled_event_received_at"), ["received_at"], unique=False
        )
    op.execute(
        "INSERT INTO handled_event (platform, event_id, received_at) "
        "SELECT 'slack', event_id, received_at FROM slack_event"
    )
    with op.batch_alter_table("slack_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_event_received_at"))
    op.drop_table("slack_event")

    op.create_table(
        "delivery_attempt",
        sa.Column("key", _AUTO(length=200), nullable=False),
        sa.Column("platform", _AUTO(length=10), nullable=False),
        sa.Column("attempted_at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "report_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", _AUTO(length=10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", _AUTO(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", _AUTO(length=64), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=True),
        sa.Column("docx_sha256", _AUTO(length=64), nullable=True),
        sa.Column("published_by_person_id", sa.Integer(), nullable=True),
        sa.Column("published_by_name", _AUTO(length=200), nullable=False),
        sa.Column("surface", _AUTO(length=20), nullable=False),
        sa.Column("channel", _AUTO(length=300), nullable=False),
        sa.Column("delivery", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("published_at", _UTC(), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"]),
        sa.ForeignKeyConstraint(["published_by_person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "version", name="uq_report_version"),
    )
    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_version_period_id"), ["period_id"], unique=False
        )

    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("platform", _AUTO(length=10), nullable=False, server_default="slack")
        )
        batch_op.alter_column(
            "channel", existing_type=sa.VARCHAR(length=32), type_=_AUTO(length=300)
        )
        batch_op.alter_column("ts", existing_type=sa.VARCHAR(length=32), type_=_AUTO(length=300))
    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.alter_column("platform", server_default=None)

    with op.batch_alter_table("status_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acted_at", _UTC(), nullable=True))

    with op.batch_alter_table("submission_inbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("platform", _AUTO(length=10), nullable=False, server_default="slack")
        )
        batch_op.add_column(
            sa.Column("workspace", _AUTO(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("acted_at", _UTC(), nullable=True))
        batch_op.alter_column(
            "user_id", existing_type=sa.VARCHAR(length=32), type_=_AUTO(length=200)
        )
        batch_op.alter_column(
            "channel", existing_type=sa.VARCHAR(length=32), type_=_AUTO(length=300)
        )
        batch_op.alter_column(
            "message_ts", existing_type=sa.VARCHAR(length=32), type_=_AUTO(length=300)
        )
    with op.batch_alter_table("submission_inbox", schema=None) as batch_op:
        batch_op.alter_column("platform", server_default=None)
        batch_op.alter_column("workspace", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("submission_inbox", schema=None) as batch_op:
        batch_op.alter_column("message_ts", type_=sa.VARCHAR(length=32))
        batch_op.alter_column("channel", type_=sa.VARCHAR(length=32))
        batch_op.alter_column("user_id", type_=sa.VARCHAR(length=32))
        batch_op.drop_column("acted_at")
        batch_op.drop_column("person_id")
        batch_op.drop_column("workspace")
        batch_op.drop_column("platform")
    with op.batch_alter_table("status_report", schema=None) as batch_op:
        batch_op.drop_column("acted_at")
    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.alter_column("ts", type_=sa.VARCHAR(length=32))
        batch_op.alter_column("channel", type_=sa.VARCHAR(length=32))
        batch_op.drop_column("platform")
    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_version_period_id"))
    op.drop_table("report_version")
    op.drop_table("delivery_attempt")
    op.create_table(
        "slack_event",
        sa.Column("event_id", sa.VARCHAR(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("slack_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_event_received_at"), ["received_at"])
    op.execute(
        "INSERT INTO slack_event (event_id, received_at) "
        "SELECT substr(event_id, 1, 64), received_at FROM handled_event WHERE platform = 'slack'"
    )
    with op.batch_alter_table("handled_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handled_event_received_at"))
    op.drop_table("handled_event")
