"""The summary's lists, each activity once: what the committee reads before chapter 1.

The summary has one glance page (the chart and the counts table), then the activities with
deviations or on hold with their comments, then the missing reports by unit, then the changes
since the previous tertial in one table, then the planning check. An activity appears in at
most one of the three lists: deviations and on hold first, then missing; the changes table
holds only the changed activities neither list shows (those two print the previous status).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot import i18n
from bot.domain.report import ActivityView, ReportView
from bot.domain.status import status_label
from bot.reporting.text import unit_path


@dataclass(frozen=True)
class SummaryItem:
    """An activity as a summary list prints it."""

    activity: ActivityView
    goal_number: str
    # The status in the previous tertial ("ej rapporterad" when it had none); None when the
    # previous tertial does not exist, and then nothing is printed.
    previous_label: str | None
    changed: bool  # its status differs from the previous tertial's


@dataclass(frozen=True)
class MissingGroup:
    """The activities without a report that one unit (or one set of units) is responsible for."""

    units: tuple[str, ...]  # stored unit paths; empty when the activity names no unit
    items: tuple[SummaryItem, ...]


@dataclass(frozen=True)
class SummaryLists:
    """The summary's lists, and the sentences that say what is true when a list is empty."""

    attention: tuple[SummaryItem, ...]
    missing: tuple[MissingGroup, ...]
    changed: tuple[SummaryItem, ...]  # changed since the previous tertial, not listed above
    changed_total: int  # every activity whose status changed, wherever it is listed
    totals_text: str
    changes_text: str  # "" without a previous tertial
    attention_empty: str
    missing_empty: str
    changes_empty: str  # printed instead of the changes table when it has no row
    changes_note: str  # "" unless some changed activities are in the lists above
    planning_empty: str  # "" when there are units to check


def summary_lists(view: ReportView, goal_numbers: dict[int, str]) -> SummaryLists:
    """Sort the period's activities into the summary's lists, each activity at most once."""
    changes = view.changes
    not_reported = i18n.t(view.language, "changes_not_reported")

    def item(activity: ActivityView) -> SummaryItem:
        if changes is None:
            return SummaryItem(activity, goal_numbers[activity.id], None, False)
        before = changes.previous_status.get(activity.id)
        return SummaryItem(
            activity=activity,
            goal_number=goal_numbers[activity.id],
            previous_label=status_label(before, view.language) if before else not_reported,
            changed=before != activity.status,
        )

    activities = [a for section in view.sections for a in section.activities]
    attention = tuple(item(a) for a in view.summary.attention)
    listed = {entry.activity.id for entry in attention}

    groups: dict[tuple[str, ...], list[SummaryItem]] = defaultdict(list)
    for activity in activities:
        if activity.status is None and activity.id not in listed:
            groups[tuple(sorted(dict.fromkeys(activity.units)))].append(item(activity))
    missing = tuple(
        MissingGroup(units, tuple(items))
        for units, items in sorted(groups.items(), key=lambda g: [unit_path(u) for u in g[0]])
    )
    listed |= {entry.activity.id for group in missing for entry in group.items}

    every = [item(a) for a in activities]
    changed = tuple(e for e in every if e.changed and e.activity.id not in listed)
    changed_total = sum(1 for e in every if e.changed)
    return SummaryLists(
        attention=attention,
        missing=missing,
        changed=changed,
        changed_total=changed_total,
        **_sentences(view, changed_total=changed_total, changed_rows=len(changed)),
    )


def _sentences(view: ReportView, *, changed_total: int, changed_rows: int) -> dict[str, str]:
    """What the summary says of the period as a whole, true for an empty period too."""

    def t(key: str, **kwargs: object) -> str:
        return i18n.t(view.language, key, **kwargs)

    def tn(key: str, count: int) -> str:
        return i18n.count(view.language, key, count)

    summary = view.summary
    if not summary.total:
        totals = attention_empty = missing_empty = t("summary_no_activities")
    else:
        if not summary.reported:
            totals = t("summary_none_reported", total=summary.total)
            attention_empty = t("attention_nothing_reported")
        else:
            totals = t(
                "summary_totals",
                total=summary.total,
                reported=summary.reported,
                missing=summary.missing,
            )
            attention_empty = t("attention_none")
        missing_empty = t("missing_none")
    changes_text = changes_empty = changes_note = ""
    if view.changes is not None:
        changes = view.changes
        previous = changes.previous_period
        changes_text = t(
            "summary_changes",
            previous=previous,
            activities=tn("activities", changed_total),
            new_deviations=len(changes.new_deviations),
            completed=len(changes.completed),
            not_reported_now=len(changes.not_reported_now),
        )
        if not changed_total:
            changes_empty = t("changes_none", previous=previous)
        elif not changed_rows:
            changes_empty = t("changes_none_other", previous=previous)
        if changed_total > changed_rows:
            changes_note = t("changes_listed_above", previous=previous)
    return {
        "totals_text": totals,
        "changes_text": changes_text,
        "attention_empty": attention_empty,
        "missing_empty": missing_empty,
        "changes_empty": changes_empty,
        "changes_note": changes_note,
        "planning_empty": "" if view.planning_check.units_checked else t("planning_nothing"),
    }
