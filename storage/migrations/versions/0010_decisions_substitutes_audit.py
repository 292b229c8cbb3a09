"""the committee's decisions, returned activities, substitutes and the audit trail

The audit trail cannot be changed through the database either: triggers refuse UPDATE and
DELETE on audit_event (SQLite and PostgreSQL).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUTO = sqlmodel.sql.sqltypes.AutoString
_UTC = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", _AUTO(length=10), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("new_deadline", _UTC(), nullable=True),
        sa.Column("board_meeting", sa.Date(), nullable=True),
        sa.Column("presenter", _AUTO(length=200), nullable=False),
        sa.Column("decided_by_person_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", _AUTO(length=200), nullable=False),
        sa.Column("surface", _AUTO(length=20), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["report_version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id"),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_period_id"), ["period_id"], unique=False)
    op.create_table(
        "returned_activity",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"]),
        sa.PrimaryKeyConstraint("decision_id", "activity_id"),
    )
    op.create_table(
        "substitute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("substitute_person_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by_name", _AUTO(length=200), nullable=False),
        sa.Column("surface", _AUTO(length=20), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("revoked_at", _UTC(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["substitute_person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("substitute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_substitute_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_substitute_substitute_person_id"), ["substitute_person_id"], unique=False
        )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", _AUTO(length=200), nullable=False),
        sa.Column("surface", _AUTO(length=20), nullable=False),
        sa.Column("action", _AUTO(length=40), nullable=False),
        sa.Column("subject", _AUTO(length=500), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_period_id"), ["period_id"], unique=False)
    with op.batch_alter_table("status_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_status_report_on_behalf_of", "person", ["on_behalf_of_person_id"], ["id"]
        )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_unchangeable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit trail cannot be changed'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_unchangeable BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_unchangeable()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_unchangeable ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_unchangeable()")
    with op.batch_alter_table("status_report", schema=None) as batch_op:
        batch_op.drop_constraint("fk_status_report_on_behalf_of", type_="foreignkey")
        batch_op.drop_column("on_behalf_of_person_id")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_period_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
    op.drop_table("audit_event")
    with op.batch_alter_table("substitute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_substitute_substitute_person_id"))
        batch_op.drop_index(batch_op.f("ix_substitute_person_id"))
    op.drop_table("substitute")
    op.drop_table("returned_activity")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_period_id"))
    op.drop_table("decision")
