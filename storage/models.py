"""SQLModel tables. Times are stored in UTC, timezone-aware; enums are short validated strings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

UNIT_PATH_SEPARATOR = " > "

UNIT_ROLES = ("reporter", "manager")
CHAT_PLATFORMS = ("slack", "teams")
GLOBAL_ROLES = ("admin", "secretary")
# "returned": the committee sent the report back; only the activities it named are open again.
PERIOD_STATES = ("open", "closed", "returned")
DECISION_KINDS = ("approved", "returned", "referred")


def utcnow() -> datetime:
    """Return the current instant, aware, in UTC."""
    return datetime.now(UTC)


class Unit(SQLModel, table=True):
    """A node of the organisation tree: administration > department > unit."""

    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    path: str = Field(max_length=1000, unique=True)
    position: int = 0


class GoalArea(SQLModel, table=True):
    """A goal area (målområde), e.g. Barn och Unga."""

    __tablename__ = "goal_area"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    position: int = 0


class Goal(SQLModel, table=True):
    """A goal of the board for a year, numbered as printed (1.9)."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("year", "text", name="uq_goal_year_text"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    number: str | None = Field(default=None, max_length=20)
    text: str = Field(max_length=1000)
    area_id: int | None = Field(default=None, foreign_key="goal_area.id")
    is_council_finance_goal: bool = False
    position: int = 0


class Activity(SQLModel, table=True):
    """A planned activity toward one goal, with one or more responsible units."""

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    title: str = Field(max_length=1000)
    purpose: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    start: date | None = None
    end: date | None = None
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ActivityUnit(SQLModel, table=True):
    """A responsible unit of an activity."""

    __tablename__ = "activity_unit"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    position: int = 0


class Person(SQLModel, table=True):
    """A person who reports, manages, administers or publishes."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class ChatAccount(SQLModel, table=True):
    """A person's account on a chat platform, and what that platform needs to write to them.

    `workspace` is the Slack team id or the Teams tenant id; `address` is the platform's own
    JSON (a Slack DM channel; a Teams conversation id and service URL), never a secret.
    """

    __tablename__ = "chat_account"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "user_id", name="uq_chat_account_user"),
        UniqueConstraint("person_id", "platform", "workspace", name="uq_chat_account_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str = Field(max_length=10)
    workspace: str = Field(default="", max_length=100)
    user_id: str = Field(max_length=200)
    address: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime | None = None


class UnitRole(SQLModel, table=True):
    """A person's role in a unit: reporter or manager."""

    __tablename__ = "unit_role"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    role: str = Field(max_length=20, primary_key=True)


class GlobalRole(SQLModel, table=True):
    """A person's global role: admin or secretary."""

    __tablename__ = "global_role"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    role: str = Field(max_length=20, primary_key=True)


class Period(SQLModel, table=True):
    """A tertial of a year with its deadline (UTC) and state."""

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("year", "tertial", name="uq_period_year_tertial"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    tertial: int
    deadline: datetime
    state: str = Field(default="open", max_length=10)
    closed_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.year}-T{self.tertial}"


class StatusReport(SQLModel, table=True):
    """One saved version of an activity's status and comment for a period; the latest is current."""

    __tablename__ = "status_report"
    __table_args__ = (
        UniqueConstraint("activity_id", "period_id", "version", name="uq_status_report_version"),
        Index("ix_status_report_period_activity", "period_id", "activity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id")
    period_id: int = Field(foreign_key="period.id")
    version: int = 1
    status: str = Field(max_length=20)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    author_person_id: int | None = Field(default=None, foreign_key="person.id")
    author_name: str = Field(default="", max_length=200)
    # A substitute reporting while the person is away: whom they answered for.
    on_behalf_of_person_id: int | None = Field(default=None, foreign_key="person.id")
    source: str = Field(default="", max_length=40)
    # When the person acted (the platform's signed timestamp): an older action never
    # overwrites a newer version, even when a request is replayed.
    acted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ImportNote(SQLModel, table=True):
    """Text an importer could not place, kept so nothing is silently dropped."""

    __tablename__ = "import_note"

    id: int | None = Field(default=None, primary_key=True)
    period_id: int | None = Field(default=None, foreign_key="period.id", index=True)
    goal_id: int | None = Field(default=None, foreign_key="goal.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    reason: str = Field(default="", max_length=500)
    source: str = Field(default="", max_length=300)
    line: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ReminderMessage(SQLModel, table=True):
    """A reminder the chat platform accepted; `key` makes sending the same one twice impossible.

    `channel` and `ts` say where it is (a Slack channel and message ts, a Teams conversation and
    activity id), so that only messages Uppsikt sent to this person can be updated later.
    """

    __tablename__ = "reminder_message"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    occasion: str = Field(max_length=60)
    part: int = 1
    platform: str = Field(default="slack", max_length=10)
    channel: str = Field(default="", max_length=300)
    ts: str = Field(default="", max_length=300)
    sent_at: datetime = Field(default_factory=utcnow)


class DeliveryAttempt(SQLModel, table=True):
    """A message about to be sent (written before the send, removed when it is logged): after a
    crash, a key found here may have arrived, so the platform is asked before sending again."""

    __tablename__ = "delivery_attempt"

    key: str = Field(primary_key=True, max_length=200)
    platform: str = Field(default="slack", max_length=10)
    attempted_at: datetime = Field(default_factory=utcnow)


class HandledEvent(SQLModel, table=True):
    """An event or activity id already handled, so a platform's retries are handled once."""

    __tablename__ = "handled_event"

    platform: str = Field(primary_key=True, max_length=10)
    event_id: str = Field(primary_key=True, max_length=200)
    received_at: datetime = Field(default_factory=utcnow, index=True)


class SubmissionInbox(SQLModel, table=True):
    """A status submission accepted (acked) but not yet stored as a report: survives a crash."""

    __tablename__ = "submission_inbox"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="slack", max_length=10)
    workspace: str = Field(default="", max_length=100)
    user_id: str = Field(max_length=200)
    person_id: int | None = None
    activity_id: int
    unit_id: int | None = None
    period: str = Field(max_length=10)
    status: str = Field(max_length=20)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # A status chosen in a select carries no comment: the current one is kept.
    keep_comment: bool = False
    channel: str | None = Field(default=None, max_length=300)
    message_ts: str | None = Field(default=None, max_length=300)
    acted_at: datetime | None = None
    received_at: datetime = Field(default_factory=utcnow)


class ReportVersion(SQLModel, table=True):
    """One publication of a period's report: immutable once published.

    `state` is pending while it is being delivered, then published; a failed delivery is removed.
    The files are kept byte for byte with their SHA-256, so the version the committee decided on
    can be given back exactly.
    """

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("period_id", "version", name="uq_report_version"),)

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    version: int
    state: str = Field(default="pending", max_length=10)
    content: str = Field(sa_column=Column(Text, nullable=False))
    content_sha256: str = Field(max_length=64)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    pdf_sha256: str = Field(max_length=64)
    docx: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    docx_sha256: str | None = Field(default=None, max_length=64)
    published_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    published_by_name: str = Field(default="", max_length=200)
    surface: str = Field(default="", max_length=20)
    channel: str = Field(default="", max_length=300)
    delivery: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class Decision(SQLModel, table=True):
    """The committee's decision on a published version of a period's report."""

    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    version_id: int = Field(foreign_key="report_version.id", unique=True)
    kind: str = Field(max_length=10)
    reasons: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    new_deadline: datetime | None = None  # returned: the deadline for the completion
    board_meeting: date | None = None  # referred: the board's meeting
    presenter: str = Field(default="", max_length=200)  # referred: who presents it (the chair)
    decided_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    decided_by_name: str = Field(default="", max_length=200)
    surface: str = Field(default="", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    # When the committee's channel, the board and the reporters were told; None: still to do
    # (the sweep does it when no process with a chat connection did).
    followed_up_at: datetime | None = None


class ReturnedActivity(SQLModel, table=True):
    """An activity the committee returned for completion, with its reason."""

    __tablename__ = "returned_activity"

    decision_id: int = Field(foreign_key="decision.id", primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Substitute(SQLModel, table=True):
    """Someone answering for a reporter for a date range (while they are on leave)."""

    __tablename__ = "substitute"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    substitute_person_id: int = Field(foreign_key="person.id", index=True)
    starts_on: date
    ends_on: date
    created_by_name: str = Field(default="", max_length=200)
    surface: str = Field(default="", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    """One change that matters: who, when, through which surface. Written, never changed."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    period_id: int | None = Field(default=None, foreign_key="period.id", index=True)
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    actor_name: str = Field(default="", max_length=200)
    surface: str = Field(default="", max_length=20)
    action: str = Field(max_length=40)
    subject: str = Field(default="", max_length=500)
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class ChatSetting(SQLModel, table=True):
    """A platform's setting made in the chat by an admin (the committee channel, say)."""

    __tablename__ = "chat_setting"

    platform: str = Field(primary_key=True, max_length=10)
    name: str = Field(primary_key=True, max_length=60)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_by: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class SchedulerLease(SQLModel, table=True):
    """Who runs the reminder scheduler for this database, until when (renewed every sweep)."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=200)
    expires_at: datetime


class ReminderSettings(SQLModel, table=True):
    """The reminder schedule an admin set in Slack; one row (id 1). Without it the settings apply."""

    __tablename__ = "reminder_settings"

    id: int = Field(default=1, primary_key=True)
    days_before: str = Field(max_length=2000)  # "28,14,7,2,0", validated on save and on read
    at: str = Field(max_length=5)  # "09:00", local time in UPPSIKT_TIMEZONE
    updated_by: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)
