"""What the report importer reads from a published report, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.importers.issues import Issue, Msg


@dataclass
class ParsedGoal:
    """A goal of the year, from the last chapter, numbered by its chapter-1 heading."""

    number: str | None
    text: str
    area: str | None
    is_council_finance_goal: bool


@dataclass
class PrintedActivity:
    """What the report prints of an activity, before its comment."""

    goal_number: str
    title: str
    units: list[list[str]]
    start: date | None
    end: date | None
    purpose: str
    status: str | None


@dataclass
class ParsedActivity(PrintedActivity):
    """One printed activity with its status and comment for the period."""

    comment: str
    line: int  # the title's line in the text; 0 when read from the JSON form
    # The goal's text, so that an activity of an unnumbered goal finds its goal too.
    goal_text: str = ""


@dataclass
class UnplacedText:
    """Text the parser kept but could not attach to an activity."""

    goal_number: str | None
    text: str
    line: int | None
    reason: Msg


@dataclass
class ParsedReport:
    """Everything read from one report, with what could not be understood.

    `warnings` are said and the report is imported; `doubts` are text the importer is not sure
    of (a repeated page, a section twice, one activity twice): a report with any is refused.
    """

    goal_areas: list[str] = field(default_factory=list)
    goals: list[ParsedGoal] = field(default_factory=list)
    activities: list[ParsedActivity] = field(default_factory=list)
    unplaced: list[UnplacedText] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    doubts: list[Issue] = field(default_factory=list)
    # The period the report names itself (its JSON form does), when it does.
    period: str | None = None
