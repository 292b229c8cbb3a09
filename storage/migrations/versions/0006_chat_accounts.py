"""chat accounts: people are reached through platform-neutral accounts

Moves every Person.slack_user_id (and teams_user_id) into chat_account, then drops the columns.
The downgrade moves them back, so nothing is lost either way.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("workspace", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "platform", "workspace", name="uq_chat_account_person"),
        sa.UniqueConstraint("platform", "workspace", "user_id", name="uq_chat_account_user"),
    )
    with op.batch_alter_table("chat_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_account_person_id"), ["person_id"], unique=False)

    # The Slack workspace is not known here; the adapter fills in its team id at start.
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("slack_user_id", sa.String),
        sa.column("teams_user_id", sa.String),
        sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(person.c.id, person.c.slack_user_id, person.c.teams_user_id, person.c.created_at)
    ).all()
    accounts = []
    for person_id, slack_id, teams_id, created_at in rows:
        for platform, user_id in (("slack", slack_id), ("teams", teams_id)):
            if user_id:
                accounts.append(
                    {
                        "person_id": person_id,
                        "platform": platform,
                        "workspace": "",
                        "user_id": user_id,
                        "address": "{}",
                        "created_at": created_at,
                    }
                )
    if accounts:
        table = sa.table(
            "chat_account",
            sa.column("person_id", sa.Integer),
            sa.column("platform", sa.String),
            sa.column("workspace", sa.String),
            sa.column("user_id", sa.String),
            sa.column("address", sa.Text),
            sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()),
        )
        op.bulk_insert(table, accounts)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("teams_user_id")
        batch_op.drop_column("slack_user_id")


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slack_user_id", sa.VARCHAR(length=32), nullable=True))
        batch_op.add_column(sa.Column("teams_user_id", sa.VARCHAR(length=200), nullable=True))
    connection = op.get_bind()
    account = sa.table(
        "chat_account",
        sa.column("person_id", sa.Integer),
        sa.column("platform", sa.String),
        sa.column("user_id", sa.String),
        sa.column("id", sa.Integer),
    )
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("slack_user_id", sa.String),
        sa.column("teams_user_id", sa.String),
    )
    seen: set[tuple[int, str]] = set()
    for person_id, platform, user_id in connection.execute(
        sa.select(account.c.person_id, account.c.platform, account.c.user_id).order_by(account.c.id)
    ).all():
        if (person_id, platform) in seen or platform not in ("slack", "teams"):
            continue
        seen.add((person_id, platform))
        column = "slack_user_id" if platform == "slack" else "teams_user_id"
        connection.execute(
            person.update().where(person.c.id == person_id).values({column: user_id[:200]})
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_person_slack_user_id", ["slack_user_id"])
        batch_op.create_unique_constraint("uq_person_teams_user_id", ["teams_user_id"])
    with op.batch_alter_table("chat_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_account_person_id"))
    op.drop_table("chat_account")
