"""SQLModel tables. Times are stored in UTC, timezone-aware; enums are short validated strings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

UNIT_PATH_SEPARATOR = " > "

UNIT_ROLES = ("reporter", "manager")
GLOBAL_ROLES = ("admin", "secretary")
PERIOD_STATES = ("open", "closed")


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
    slack_user_id: str | None = Field(default=None, max_length=32, unique=True)
    teams_user_id: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


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
    source: str = Field(default="", max_length=40)
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
    """A reminder message Slack accepted; `key` makes sending the same one twice impossible."""

    __tablename__ = "reminder_message"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    occasion: str = Field(max_length=60)
    part: int = 1
    channel: str = Field(default="", max_length=32)
    ts: str = Field(default="", max_length=32)
    sent_at: datetime = Field(default_factory=utcnow)


class SlackEvent(SQLModel, table=True):
    """An event id already handled, so Slack's retries are handled once."""

    __tablename__ = "slack_event"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(default_factory=utcnow, index=True)


class SubmissionInbox(SQLModel, table=True):
    """A modal submission accepted (acked) but not yet stored as a report: survives a crash."""

    __tablename__ = "submission_inbox"

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=32)
    activity_id: int
    unit_id: int | None = None
    period: str = Field(max_length=10)
    status: str = Field(max_length=20)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    received_at: datetime = Field(default_factory=utcnow)


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
