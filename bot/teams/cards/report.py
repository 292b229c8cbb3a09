"""The compiled report's summary: the secretary's preview with Publish, and the committee's card
with the report's files linked. No mentions, ever."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import Action, CardElement, ExecuteAction, OpenUrlAction, ShowCardAction

from bot.domain.report import ActivityView, MissingUnit, Summary
from bot.domain.status import STATUS_ORDER, Status, status_label
from bot.teams import ids
from bot.teams.cards.common import (
    CARD_BUDGET,
    EXCERPT_LIMIT,
    NAME_LIMIT,
    NUMBER_LIMIT,
    TITLE_LIMIT,
    UNIT_LIMIT,
    Card,
    card_bytes,
    finish,
    heading,
    line,
    marker,
    run,
    sub_card,
    text,
    tr,
    truncate,
)

UNITS_LIMIT = 200
TITLES_LIMIT = 300
SUMMARY_BUDGET = CARD_BUDGET - 3 * 1024  # room for the actions and the files


def _leaf(unit_path: str) -> str:
    return unit_path.split(" > ")[-1].strip() or unit_path


def _attention(activity: ActivityView, language: str) -> list[CardElement]:
    label = status_label(activity.status, language) if activity.status else ""
    blocks: list[CardElement] = [
        line(
            run(f"{marker(activity.status)} "),
            run(truncate(activity.title, TITLE_LIMIT), bold=True),
            run(f" ({label})"),
            separator=True,
        )
    ]
    where = []
    if activity.goal_number:
        where.append(
            tr(language, "teams_goal", number=truncate(activity.goal_number, NUMBER_LIMIT))
        )
    if activity.units:
        where.append(truncate(", ".join(_leaf(u) for u in activity.units), UNITS_LIMIT))
    if where:
        blocks.append(text(" · ".join(where), subtle=True))
    if activity.comment.strip():
        blocks.append(text(truncate(activity.comment, EXCERPT_LIMIT), italic=True))
    return blocks


def _missing(missing: MissingUnit, language: str) -> list[CardElement]:
    unit = (
        truncate(missing.unit, UNIT_LIMIT)
        if missing.unit.strip()
        else tr(language, "teams_no_unit")
    )
    count = tr(language, "teams_summary_missing_unit", count=len(missing.activities))
    blocks: list[CardElement] = [line(run(unit, bold=True), run(f": {count}"), separator=True)]
    titles = truncate("; ".join(missing.activities), TITLES_LIMIT)
    if titles:
        blocks.append(text(titles, subtle=True))
    return blocks


def _counts(summary: Summary, language: str) -> list[CardElement]:
    counts = {c.status: c.count for c in summary.counts}
    rows = [
        f"{marker(s)} {status_label(s, language)}: {counts.get(s.value, 0)}" for s in STATUS_ORDER
    ]
    rows.append(f"{marker(None)} {tr(language, 'teams_missing_status')}: {summary.missing}")
    return [text(row) for row in rows]


def _packed(
    chunks: Sequence[list[CardElement]], budget: int, language: str
) -> tuple[list[CardElement], int]:
    """As many chunks as the budget holds, and a note for the rest; and the bytes used."""
    blocks: list[CardElement] = []
    used = 0
    for index, chunk in enumerate(chunks):
        size = sum(card_bytes(b) for b in chunk)
        if used + size > budget:
            blocks.append(text(tr(language, "teams_more", count=len(chunks) - index), italic=True))
            break
        blocks += chunk
        used += size
    return blocks, used


def summary_blocks(
    summary: Summary, language: str, *, budget: int = SUMMARY_BUDGET
) -> list[CardElement]:
    """Totals and counts, deviations and on-hold first, then missing reports by unit."""
    body: list[CardElement] = [
        text(
            tr(
                language,
                "teams_summary_totals",
                total=summary.total,
                reported=summary.reported,
                missing=summary.missing,
            )
        ),
        *_counts(summary, language),
    ]
    left = budget - sum(card_bytes(b) for b in body)
    attention = [a for a in summary.attention if a.status in {s.value for s in Status}]
    body.append(
        line(
            run(tr(language, "teams_summary_attention", count=len(attention)), bold=True),
            separator=True,
        )
    )
    if not attention:
        body.append(text(tr(language, "teams_summary_attention_none")))
    packed, used = _packed([_attention(a, language) for a in attention], left * 2 // 3, language)
    body += packed
    left -= used
    body.append(
        line(
            run(
                tr(language, "teams_summary_missing", count=len(summary.missing_by_unit)), bold=True
            ),
            separator=True,
        )
    )
    if not summary.missing_by_unit:
        body.append(text(tr(language, "teams_summary_missing_none")))
    packed, _ = _packed([_missing(m, language) for m in summary.missing_by_unit], left, language)
    body += packed
    return body


def build_report_summary(
    *, language: str, period_key: str, summary: Summary, can_publish: bool
) -> Card:
    """The secretary's preview; Publish opens a confirmation with the two ways to publish, and
    Record the decision opens the decision card."""
    body: list[CardElement] = [heading(tr(language, "teams_summary_header", period=period_key))]
    body += summary_blocks(summary, language)
    card_actions: list[Action] = []
    if can_publish:
        confirm = sub_card(
            [text(tr(language, "teams_publish_confirm_text"))],
            [
                ExecuteAction(
                    title=tr(language, "teams_publish_button"),
                    verb=ids.PUBLISH,
                    style="positive",
                    data=ids.action_data(ids.PUBLISH, p=period_key),
                ),
                ExecuteAction(
                    title=tr(language, "teams_publish_with_word_button"),
                    verb=ids.PUBLISH_WITH_WORD,
                    data=ids.action_data(ids.PUBLISH_WITH_WORD, p=period_key),
                ),
            ],
        )
        card_actions.append(
            ShowCardAction(title=tr(language, "teams_publish_button") + "…", card=confirm)
        )
        # As in Slack: the committee's decision on the latest published version, from here.
        card_actions.append(
            ExecuteAction(
                title=tr(language, "teams_decision_button"),
                verb=ids.OPEN_DECISION,
                data=ids.decision_data(ids.OPEN_DECISION, period=period_key),
            )
        )
    else:
        body.append(text(tr(language, "teams_no_committee_channel_hint"), italic=True, subtle=True))
    fallback = tr(
        language,
        "teams_summary_text",
        period=period_key,
        reported=summary.reported,
        total=summary.total,
        attention=len(summary.attention),
    )
    return finish(body, card_actions, fallback=fallback)


def build_committee_card(
    *,
    language: str,
    period_key: str,
    summary: Summary,
    committee: str,
    files: Sequence[tuple[str, str]],
) -> Card:
    """The card posted to the committee channel: the summary, and (title, url) of each file."""
    name = truncate(committee, NAME_LIMIT)
    body: list[CardElement] = [
        heading(tr(language, "teams_committee_header", period=period_key)),
        text(tr(language, "teams_committee_intro", committee=name)),
    ]
    body += summary_blocks(summary, language)
    for title, _url in files:
        body.append(text(f"📄 {truncate(title, TITLE_LIMIT)}", subtle=True))
    links = [OpenUrlAction(title=truncate(title, 60), url=url) for title, url in files]
    fallback = tr(language, "teams_committee_text", period=period_key, committee=name)
    return finish(body, links, fallback=fallback)


def committee_card_fits(card: Card) -> bool:
    return card_bytes(card) <= CARD_BUDGET
