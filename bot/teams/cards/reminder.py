"""The reminder card: a unit's activities, each with a status choice, a comment and Save.

A unit with many activities gets several cards, split in order by their real size so each stays
under Teams' 28 KB. Each Save carries the ids of the activities on its card, so the card it
refreshes shows the same activities again (unless a longer comment no longer lets them fit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microsoft_teams.cards import (
    CardElement,
    ChoiceSetInput,
    Container,
    ExecuteAction,
    TextInput,
)

from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import COMMENT_MAX_LENGTH, status_label
from bot.teams import ids
from bot.teams.cards.common import (
    CARD_BUDGET,
    EXCERPT_LIMIT,
    GOAL_LIMIT,
    MAX_CARD_BYTES,
    NAME_LIMIT,
    NUMBER_LIMIT,
    TITLE_LIMIT,
    UNIT_LIMIT,
    Card,
    actions,
    card_bytes,
    date_range,
    finish,
    format_datetime,
    heading,
    line,
    marker,
    note,
    progress_text,
    run,
    status_choices,
    status_text,
    text,
    tr,
    truncate,
)

MAX_ACTIVITIES_PER_CARD = 12


@dataclass(frozen=True)
class ActivityNote:
    """What to show under one activity after an action: saved, or refused with why (and the
    person's choice kept so they only add what is missing)."""

    text: str
    good: bool
    status: str | None = None
    comment: str | None = None


def goal_text(item: ActivityItem, language: str) -> str:
    """`Mål 1.9 Fler ska ...` (shortened)."""
    goal = truncate(item.goal_text, GOAL_LIMIT)
    if item.goal_number:
        label = tr(language, "teams_goal", number=truncate(item.goal_number, NUMBER_LIMIT))
    else:
        label = tr(language, "teams_goal_unnumbered")
    return f"{label} {goal}".strip()


def status_line(item: ActivityItem, language: str) -> list[CardElement]:
    """The current status with who and when, or last tertial's (marked), or none yet; for an
    activity the committee returned, its reason first and what was said then."""
    reason: list[CardElement] = []
    if item.return_reason:
        reason = [
            line(
                run(tr(language, "teams_return_reason") + " ", bold=True),
                run(truncate(item.return_reason, EXCERPT_LIMIT)),
            )
        ]
    return reason + _status_lines(item, language)


def _status_lines(item: ActivityItem, language: str) -> list[CardElement]:
    if item.status is not None:
        parts = [status_text(item.status, language)]
        if item.reported_by.strip():
            who = truncate(item.reported_by, NAME_LIMIT)
            parts.append(tr(language, "teams_reported_by", name=who))
        if item.reported_at is not None:
            parts.append(format_datetime(item.reported_at, language))
        return [line(run(", ".join(parts), bold=True))]
    if item.previous_status is not None:
        blocks: list[CardElement] = [
            line(
                run(
                    tr(
                        language,
                        "teams_returned_status" if item.return_reason else "teams_previous_status",
                    )
                    + " ",
                    italic=True,
                    subtle=True,
                ),
                run(status_text(item.previous_status, language), subtle=True),
            )
        ]
        if item.previous_comment.strip():
            blocks.append(
                text(truncate(item.previous_comment, EXCERPT_LIMIT), italic=True, subtle=True)
            )
        return blocks
    return [text(f"{marker(None)} {tr(language, 'teams_no_status_yet')}", italic=True, subtle=True)]


def activity_block(
    item: ActivityItem,
    *,
    period: PeriodInfo,
    unit_id: int | None,
    source: str,
    language: str,
    card_ids: Sequence[int] = (),
    part: int = 1,
    parts: int = 1,
    activity_note: ActivityNote | None = None,
) -> list[CardElement]:
    """One activity: what it is, where it stands, and (period open) the inputs and Save."""
    items: list[CardElement] = [text(truncate(item.title, TITLE_LIMIT), bold=True)]
    items.append(text(goal_text(item, language), subtle=True))
    dates = date_range(item.start, item.end, language)
    if dates:
        items.append(text(dates, subtle=True))
    items += status_line(item, language)
    if activity_note is not None:
        items.append(note(activity_note.text, good=activity_note.good))
    if period.is_open:
        chosen = activity_note.status if activity_note and activity_note.status else None
        comment = (
            activity_note.comment if activity_note and activity_note.comment is not None else None
        )
        items.append(
            ChoiceSetInput(
                id=ids.status_input_id(item.activity_id),
                label=tr(language, "teams_status_label"),
                style="compact",
                placeholder=tr(language, "teams_select_status"),
                choices=status_choices(language),
                value=chosen or (item.status.value if item.status else None),
            )
        )
        items.append(
            TextInput(
                id=ids.comment_input_id(item.activity_id),
                label=tr(language, "teams_comment_label"),
                is_multiline=True,
                max_length=COMMENT_MAX_LENGTH,
                placeholder=tr(language, "teams_comment_placeholder"),
                value=(comment if comment is not None else item.comment) or None,
            )
        )
        items.append(
            actions(
                ExecuteAction(
                    title=tr(language, "teams_save"),
                    verb=ids.SAVE_STATUS,
                    style="positive",
                    associated_inputs="auto",
                    data=ids.save_data(
                        activity_id=item.activity_id,
                        period=period.key,
                        unit_id=unit_id,
                        source=source,
                        card_activity_ids=list(card_ids) or [item.activity_id],
                        part=part,
                        parts=parts,
                    ),
                )
            )
        )
    return [Container(items=items, separator=True, spacing="Medium")]


def _header(
    *,
    unit_path: str,
    period: PeriodInfo,
    progress: UnitProgress,
    part: int,
    parts: int,
    language: str,
) -> list[CardElement]:
    key = "teams_reminder_header" if period.is_open else "teams_reminder_header_closed"
    facts = [
        tr(language, "teams_deadline", deadline=format_datetime(period.deadline, language)),
        progress_text(progress.missing, progress.total, language),
    ]
    if parts > 1:
        facts.append(tr(language, "teams_part", part=part, parts=parts))
    blocks: list[CardElement] = [
        heading(tr(language, key, period=period.key)),
        line(run(truncate(unit_path, UNIT_LIMIT), bold=True)),
        text(" · ".join(facts), subtle=True),
    ]
    if not period.is_open:
        blocks.append(text(tr(language, "teams_period_is_closed", period=period.key), italic=True))
    return blocks


def build_reminder_card(
    *,
    unit_id: int,
    unit_path: str,
    period: PeriodInfo,
    items: Sequence[ActivityItem],
    progress: UnitProgress,
    part: int,
    parts: int,
    language: str,
    notes: dict[int, ActivityNote] | None = None,
) -> Card:
    """One reminder card for these activities of a unit."""
    card_ids = [item.activity_id for item in items]
    body = _header(
        unit_path=unit_path,
        period=period,
        progress=progress,
        part=part,
        parts=parts,
        language=language,
    )
    for item in items:
        body += activity_block(
            item,
            period=period,
            unit_id=unit_id,
            source=ids.FROM_REMINDER,
            language=language,
            card_ids=card_ids,
            part=part,
            parts=parts,
            activity_note=(notes or {}).get(item.activity_id),
        )
    fallback_key = "teams_reminder_text" if period.is_open else "teams_reminder_text_closed"
    fallback = tr(
        language,
        fallback_key,
        period=period.key,
        progress=progress_text(progress.missing, progress.total, language),
        unit=truncate(unit_path, UNIT_LIMIT),
    )
    return finish(body, fallback=fallback)


def _unique(items: Sequence[ActivityItem]) -> list[ActivityItem]:
    seen: set[int] = set()
    unique = []
    for item in items:  # an input id may appear once per card
        if item.activity_id not in seen:
            seen.add(item.activity_id)
            unique.append(item)
    return unique


def split_items(
    items: Sequence[ActivityItem],
    *,
    unit_path: str,
    period: PeriodInfo,
    progress: UnitProgress,
    language: str,
    budget: int = CARD_BUDGET,
    per_card: int = MAX_ACTIVITIES_PER_CARD,
) -> list[list[ActivityItem]]:
    """Group the activities, in order, into as few cards as their real size allows."""
    unique = _unique(items)
    if not unique:
        return []
    # Measured with the largest ids and part numbers a card can carry: the real card is smaller.
    widest = [ids.MAX_ID] * per_card
    fixed = card_bytes(
        finish(
            _header(
                unit_path=unit_path,
                period=period,
                progress=progress,
                part=99,
                parts=99,
                language=language,
            )
        )
    )
    groups: list[list[ActivityItem]] = [[]]
    used = fixed
    for item in unique:
        size = sum(
            card_bytes(block)
            for block in activity_block(
                item,
                period=period,
                unit_id=ids.MAX_ID,
                source=ids.FROM_REMINDER,
                language=language,
                card_ids=widest,
                part=99,
                parts=99,
            )
        )
        if groups[-1] and (used + size > budget or len(groups[-1]) >= per_card):
            groups.append([])
            used = fixed
        groups[-1].append(item)
        used += size
    return groups


def build_reminder_cards(
    *,
    unit_id: int,
    unit_path: str,
    period: PeriodInfo,
    items: Sequence[ActivityItem],
    progress: UnitProgress,
    language: str,
    per_card: int = MAX_ACTIVITIES_PER_CARD,
) -> list[Card]:
    """A unit's reminder: as many cards as its activities need, each under 28 KB."""
    groups = split_items(
        items,
        unit_path=unit_path,
        period=period,
        progress=progress,
        language=language,
        per_card=per_card,
    )
    return [
        build_reminder_card(
            unit_id=unit_id,
            unit_path=unit_path,
            period=period,
            items=group,
            progress=progress,
            part=index,
            parts=len(groups),
            language=language,
        )
        for index, group in enumerate(groups, start=1)
    ]


def refreshed_reminder_card(
    *,
    unit_id: int,
    unit_path: str,
    period: PeriodInfo,
    items: Sequence[ActivityItem],
    progress: UnitProgress,
    language: str,
    activity_id: int,
    card_ids: Sequence[int],
    part: int,
    parts: int,
    activity_note: ActivityNote | None,
) -> Card | None:
    """The card an action came from, as it stands now: the same activities if they still fit,
    else the part of a fresh split that holds `activity_id`; None if the unit no longer has it."""
    unique = _unique(items)
    if all(item.activity_id != activity_id for item in unique):
        return None
    notes = {activity_id: activity_note} if activity_note is not None else None
    wanted = set(card_ids) | {activity_id}
    same = [item for item in unique if item.activity_id in wanted]
    card = build_reminder_card(
        unit_id=unit_id,
        unit_path=unit_path,
        period=period,
        items=same,
        progress=progress,
        part=part,
        parts=parts,
        language=language,
        notes=notes,
    )
    if card_bytes(card) <= MAX_CARD_BYTES - 2048:
        return card
    groups = split_items(
        unique, unit_path=unit_path, period=period, progress=progress, language=language
    )
    for index, group in enumerate(groups, start=1):
        if any(item.activity_id == activity_id for item in group):
            return build_reminder_card(
                unit_id=unit_id,
                unit_path=unit_path,
                period=period,
                items=group,
                progress=progress,
                part=index,
                parts=len(groups),
                language=language,
                notes=notes,
            )
    return None


def saved_text(
    *, status: str, author: str, when: str, version: int, stored: bool, language: str
) -> str:
    """`Sparat: Pågående enligt plan, av Anna Andersson, 2024-05-02 kl. 10:00 (version 3).`"""
    key = "teams_saved" if stored else "teams_saved_unchanged"
    label = status_label(status, language) if status else ""
    return tr(
        language,
        key,
        status=label,
        name=truncate(author, NAME_LIMIT) or "–",
        when=when,
        version=version,
    )
