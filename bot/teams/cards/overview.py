"""The `status` card (a reporter's activities, missing first, each reportable), help, and the
admins' list of people Uppsikt could not match."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import CardElement, Container, ShowCardAction

from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import status_label
from bot.teams import ids
from bot.teams.cards.common import (
    CARD_BUDGET,
    NAME_LIMIT,
    TITLE_LIMIT,
    UNIT_LIMIT,
    Card,
    actions,
    card_bytes,
    finish,
    format_datetime,
    heading,
    line,
    marker,
    progress_text,
    run,
    sub_card,
    text,
    tr,
    truncate,
)
from bot.teams.cards.reminder import ActivityNote, activity_block

UNMATCHED_SHOWN = 100
UNITS_SHOWN = 60


def _short_status(item: ActivityItem, language: str) -> str:
    if item.status is not None:
        label = f"{marker(item.status)} {status_label(item.status, language)}"
        if item.reported_by.strip():
            label += ", " + tr(
                language, "teams_reported_by", name=truncate(item.reported_by, NAME_LIMIT)
            )
        return label
    label = f"{marker(None)} {tr(language, 'teams_missing_status')}"
    if item.previous_status is not None:
        previous = status_label(item.previous_status, language)
        label += f" ({tr(language, 'teams_previous_status')} {previous})"
    return label


def _overview_item(
    item: ActivityItem,
    period: PeriodInfo,
    unit_id: int,
    language: str,
    activity_note: ActivityNote | None,
) -> Container:
    """An activity as one line, with its form folded away behind Rapportera / Ändra."""
    items: list[CardElement] = [
        text(truncate(item.title, TITLE_LIMIT), bold=True),
        text(_short_status(item, language), subtle=item.status is None),
    ]
    if period.is_open:
        form = activity_block(
            item,
            period=period,
            unit_id=unit_id,
            source=ids.FROM_OVERVIEW,
            language=language,
            activity_note=activity_note,
        )
        key = "teams_button_report" if item.is_missing else "teams_button_change"
        items.append(actions(ShowCardAction(title=tr(language, key), card=sub_card(form))))
    elif activity_note is not None:
        items += activity_block(
            item,
            period=period,
            unit_id=unit_id,
            source=ids.FROM_OVERVIEW,
            language=language,
            activity_note=activity_note,
        )
    return Container(items=items, separator=True)


def build_status_overview(
    *,
    language: str,
    period: PeriodInfo | None,
    units: Sequence[tuple[UnitProgress, Sequence[ActivityItem]]],
    activity_note: tuple[int, ActivityNote] | None = None,
) -> Card:
    """The `status` answer: the person's units, their activities missing first, each with its
    form; as many as fit in one card, and how many more there are."""
    if period is None:
        return finish([text(tr(language, "no_open_period"))])
    if not units:
        return finish([text(tr(language, "teams_no_units"))])
    total = sum(p.total for p, _ in units)
    missing = sum(max(p.missing, 0) for p, _ in units)
    deadline = tr(language, "teams_deadline", deadline=format_datetime(period.deadline, language))
    body: list[CardElement] = [
        heading(tr(language, "teams_overview_title", period=period.key)),
        text(f"{deadline} · {progress_text(missing, total, language)}", subtle=True),
    ]
    if not period.is_open:
        body.append(text(tr(language, "teams_period_is_closed", period=period.key), italic=True))
    noted_id, noted = activity_note if activity_note else (None, None)
    used = card_bytes(finish(body)) + 400
    seen: set[int] = set()
    hidden = 0
    ordered = sorted(units, key=lambda unit: unit[0].missing <= 0)
    # The activity just saved or refused first, so its note is always on the card.
    for progress, items in ordered:
        unit_blocks: list[CardElement] = [
            line(
                run(truncate(progress.unit_path, UNIT_LIMIT), bold=True),
                run(
                    "  "
                    + tr(
                        language,
                        "teams_progress_reported",
                        reported=progress.reported,
                        total=progress.total,
                    ),
                    subtle=True,
                ),
                separator=True,
            )
        ]
        unit_size = card_bytes(unit_blocks[0])
        shown_here = 0
        for item in sorted(items, key=lambda i: (i.activity_id != noted_id, not i.is_missing)):
            if item.activity_id in seen:  # under a unit and its department: once
                continue
            seen.add(item.activity_id)
            block = _overview_item(
                item,
                period,
                progress.unit_id,
                language,
                noted if item.activity_id == noted_id else None,
            )
            size = card_bytes(block)
            if used + unit_size + size > CARD_BUDGET:
                hidden += 1
                continue
            unit_blocks.append(block)
            used += size
            shown_here += 1
        if shown_here:
            body += unit_blocks
            used += unit_size
    if hidden:
        body.append(text(tr(language, "teams_overview_more", count=hidden), italic=True))
    return finish(body, fallback=tr(language, "teams_overview_text", period=period.key))


def build_help(
    *, language: str, is_admin: bool, is_secretary: bool, example_period: str = "2024-T2"
) -> Card:
    """The `hjälp` answer: the commands this person may use."""
    body: list[CardElement] = [heading(tr(language, "teams_help_header"))]
    lines = [tr(language, "teams_help_status")]
    if is_secretary:
        lines.append(tr(language, "teams_help_report", example=example_period))
        lines.append(tr(language, "teams_help_decision", example=example_period))
    if is_admin:
        lines.append(tr(language, "teams_help_remind", example=example_period))
        lines.append(tr(language, "teams_help_deadline", example=example_period))
        lines.append(tr(language, "teams_help_admin"))
        lines.append(tr(language, "teams_help_channel"))
        lines.append(tr(language, "teams_help_board_channel"))
    lines.append(tr(language, "teams_help_substitute"))
    lines.append(tr(language, "teams_help_help"))
    body += [text(entry) for entry in lines]
    body.append(text(tr(language, "teams_help_footer"), subtle=True, italic=True))
    return finish(body, fallback=tr(language, "teams_help_header"))


def build_unmatched_people(
    *, language: str, period_key: str, people: Sequence[tuple[str, str]]
) -> Card:
    """The admins' list of people (name, e-mail) who got no reminder, or whom Uppsikt cannot
    place: never skipped silently."""
    if not period_key:
        title = tr(language, "teams_unmatched_chat_title", count=len(people))
        intro = tr(language, "teams_unmatched_chat_intro")
    else:
        title = tr(language, "teams_unmatched_title", count=len(people), period=period_key)
        intro = tr(language, "teams_unmatched_intro")
    body: list[CardElement] = [heading(title), text(intro)]
    for name, email in list(people)[:UNMATCHED_SHOWN]:
        address = truncate(email, NAME_LIMIT) if email.strip() else tr(language, "teams_no_email")
        body.append(text(f"• {truncate(name, NAME_LIMIT) or '–'} ({address})"))
    if len(people) > UNMATCHED_SHOWN:
        body.append(
            text(tr(language, "teams_more", count=len(people) - UNMATCHED_SHOWN), italic=True)
        )
    return finish(body, fallback=title)


def all_units_blocks(
    all_units: Sequence[UnitProgress], period: PeriodInfo | None, language: str
) -> list[CardElement]:
    """Every unit's progress, units with missing statuses first (for secretaries and admins)."""
    ordered = sorted(all_units, key=lambda p: (p.missing <= 0, p.unit_path))
    blocks: list[CardElement] = [
        line(
            run(tr(language, "teams_all_units", period=period.key if period else "–"), bold=True),
            separator=True,
        )
    ]
    for progress in ordered[:UNITS_SHOWN]:
        counts = tr(
            language, "teams_progress_reported", reported=progress.reported, total=progress.total
        )
        sign = "🔴" if progress.missing > 0 else "✅"
        blocks.append(text(f"{sign} {truncate(progress.unit_path, UNIT_LIMIT)}: {counts}"))
    if len(ordered) > UNITS_SHOWN:
        blocks.append(
            text(tr(language, "teams_more_units", count=len(ordered) - UNITS_SHOWN), italic=True)
        )
    return blocks
