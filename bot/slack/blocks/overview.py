"""Ephemeral and channel messages: `/uppsikt status`, the report preview, the committee post,
help, and the admins' list of people without a Slack match."""

from __future__ import annotations

from typing import Any

from bot.domain.periods import parse_period
from bot.domain.report import ActivityView, MissingUnit, Summary
from bot.domain.reporting import ActivityItem, PeriodInfo, UnitProgress
from bot.domain.status import STATUS_ORDER, Status, status_label
from bot.slack import ids
from bot.slack.blocks.common import (
    EXCERPT_LIMIT,
    MAX_MESSAGE_BLOCKS,
    MISSING_MARKER,
    NAME_LIMIT,
    NUMBER_LIMIT,
    TITLE_LIMIT,
    UNIT_LIMIT,
    Block,
    button,
    context,
    divider,
    excerpt,
    fallback,
    format_datetime,
    header,
    mrkdwn,
    pack_sections,
    plain,
    section,
    status_marker,
    truncate,
    unit_activity_blocks,
)
from bot.slack.messages import language_or_default, msg

# Section budgets of the report summary: 12 fixed blocks at most, the rest for the two lists.
ATTENTION_SECTIONS = 24
MISSING_SECTIONS = 12
UNMATCHED_SECTIONS = 40
UNITS_LIMIT = 200  # the units of one activity, joined
TITLES_LIMIT = 300  # the missing activities' titles of one unit, joined


# --- /uppsikt status ----------------------------------------------------------------------------


def build_status_overview(
    *,
    language: str,
    period: PeriodInfo | None,
    units: list[tuple[UnitProgress, list[ActivityItem]]],
) -> dict[str, Any]:
    """Build the `/uppsikt status` reply: the person's activities, missing first, with buttons."""
    language = language_or_default(language)
    if period is None:
        text = msg(language, "no_open_period")
        return {"text": text, "blocks": [section(text)]}
    if not units:
        text = msg(language, "home_no_units")
        return {"text": text, "blocks": [section(text)]}

    total = sum(p.total for p, _ in units)
    missing = sum(max(p.missing, 0) for p, _ in units)
    if missing:
        progress = msg(language, "progress_missing", missing=missing, total=total)
    else:
        progress = msg(language, "progress_all_done", total=total)
    deadline = msg(language, "deadline", deadline=format_datetime(period.deadline, language))
    blocks: list[Block] = [
        section(
            msg(language, "overview_title", period=period.key, deadline=deadline) + f"\n{progress}"
        )
    ]
    if not period.is_open:
        blocks.append(context(msg(language, "period_is_closed", period=period.key)))
    blocks.append(divider())
    ordered = sorted(units, key=lambda unit: unit[0].missing <= 0)
    unit_blocks, hidden = unit_activity_blocks(
        ordered, period=period, language=language, max_blocks=MAX_MESSAGE_BLOCKS - len(blocks)
    )
    blocks += unit_blocks
    if hidden:
        blocks.append(context(msg(language, "overview_more", count=hidden)))
    text = msg(language, "overview_text", period=period.key, progress=progress)
    return {"text": fallback(text), "blocks": blocks}


# --- the compiled report's summary --------------------------------------------------------------


def _leaf(unit_path: str) -> str:
    return unit_path.split(" > ")[-1].strip() or unit_path


def _attention_chunk(activity: ActivityView, language: str) -> str:
    label = status_label(activity.status, language) if activity.status else ""
    lines = [f"{status_marker(activity.status)} *{excerpt(activity.title, TITLE_LIMIT)}* ({label})"]
    where = []
    if activity.goal_number:
        where.append(msg(language, "goal", number=excerpt(activity.goal_number, NUMBER_LIMIT)))
    if activity.units:
        where.append(excerpt(", ".join(_leaf(u) for u in activity.units), UNITS_LIMIT))
    if where:
        lines.append(" · ".join(where))
    if activity.comment.strip():
        lines.append(f">{excerpt(activity.comment, EXCERPT_LIMIT)}")
    return "\n".join(lines)


def _missing_chunk(missing: MissingUnit, language: str) -> str:
    unit = excerpt(missing.unit, UNIT_LIMIT) if missing.unit.strip() else msg(language, "no_unit")
    count = msg(language, "summary_missing_unit", count=len(missing.activities))
    titles = excerpt("; ".join(missing.activities), TITLES_LIMIT)
    return f"*{unit}*: {count}" + (f"\n{titles}" if titles else "")


def _counts_block(summary: Summary, language: str) -> Block:
    counts = {c.status: c.count for c in summary.counts}
    fields = [
        mrkdwn(f"{status_marker(s)} {status_label(s, language)}: *{counts.get(s.value, 0)}*")
        for s in STATUS_ORDER
    ]
    fields.append(
        mrkdwn(f"{MISSING_MARKER} {msg(language, 'missing_status')}: *{summary.missing}*")
    )
    return {"type": "section", "fields": fields}


def _summary_blocks(summary: Summary, language: str) -> list[Block]:
    """Counts, deviations and on-hold first, then missing reports by unit (≤ 47 blocks)."""
    blocks: list[Block] = [
        section(
            msg(
                language,
                "chat_summary_totals",
                total=summary.total,
                reported=summary.reported,
                missing=summary.missing,
            )
        ),
        _counts_block(summary, language),
        divider(),
    ]

    attention = [a for a in summary.attention if a.status in {s.value for s in Status}]
    chunks = [_attention_chunk(a, language) for a in attention]
    blocks += _titled_list(chunks, "summary_attention", ATTENTION_SECTIONS, language)
    blocks.append(divider())
    chunks = [_missing_chunk(m, language) for m in summary.missing_by_unit]
    blocks += _titled_list(chunks, "summary_missing", MISSING_SECTIONS, language)
    return blocks


def _titled_list(chunks: list[str], key: str, max_sections: int, language: str) -> list[Block]:
    """A counted title, then the chunks packed into sections (or that there are none)."""
    title = msg(language, key, count=len(chunks))
    if not chunks:
        return [section(f"{title}\n{msg(language, key + '_none')}")]
    packed, used = pack_sections(chunks, max_sections=max_sections)
    blocks = [section(title), *packed]
    if used < len(chunks):
        blocks.append(context(msg(language, "more", count=len(chunks) - used)))
    return blocks


def build_report_summary(
    *, language: str, period_key: str, summary: Summary, can_publish: bool
) -> dict[str, Any]:
    """Build the `/uppsikt rapport PERIOD` preview, with a publish button for the secretary."""
    language = language_or_default(language)
    period = parse_period(period_key)
    blocks = [header(msg(language, "summary_header", period=period))]
    blocks += _summary_blocks(summary, language)
    if can_publish:
        publish = button(
            msg(language, "publish_button"),
            ids.PUBLISH_REPORT,
            ids.encode_publish(period),
            style="primary",
        )
        with_word = button(
            msg(language, "publish_with_word_button"),
            ids.PUBLISH_REPORT_WITH_WORD,
            ids.encode_publish(period),
        )
        for element in (publish, with_word):
            element["confirm"] = {
                "title": plain(msg(language, "publish_confirm_title")),
                "text": plain(msg(language, "publish_confirm_text")),
                "confirm": plain(msg(language, "publish_confirm_yes")),
                "deny": plain(msg(language, "publish_confirm_no")),
            }
        decide = button(
            msg(language, "decision_button"), ids.OPEN_DECISION, ids.encode_publish(period)
        )
        blocks.append({"type": "actions", "elements": [publish, with_word, decide]})
    text = msg(
        language,
        "summary_text",
        period=period,
        reported=summary.reported,
        total=summary.total,
        attention=len(summary.attention),
    )
    return {"text": fallback(text), "blocks": blocks}


def build_committee_post(
    *, language: str, period_key: str, summary: Summary, committee: str
) -> dict[str, Any]:
    """Build the summary posted to the committee channel next to the report file (no mentions)."""
    language = language_or_default(language)
    period = parse_period(period_key)
    name = excerpt(committee, NAME_LIMIT)
    blocks = [
        header(msg(language, "committee_header", period=period)),
        section(msg(language, "committee_intro", committee=name)),
        *_summary_blocks(summary, language),
    ]
    text = msg(language, "committee_text", period=period, committee=name)
    return {"text": fallback(text), "blocks": blocks}


def build_committee_comment(
    *, language: str, period_key: str, summary: Summary, committee: str
) -> str:
    """The text shared with the report files in the committee channel: one message, so the
    summary never stands without the report (mrkdwn, escaped, no mentions, under 3000)."""
    language = language_or_default(language)
    period = parse_period(period_key)
    name = excerpt(committee, NAME_LIMIT)
    counts = {c.status: c.count for c in summary.counts}
    lines = [
        f"*{msg(language, 'committee_header', period=period)}*",
        msg(language, "committee_intro", committee=name),
        msg(
            language,
            "chat_summary_totals",
            total=summary.total,
            reported=summary.reported,
            missing=summary.missing,
        ),
        " · ".join(
            f"{status_marker(s)} {status_label(s, language)}: {counts.get(s.value, 0)}"
            for s in STATUS_ORDER
        ),
        msg(language, "summary_attention", count=len(summary.attention)),
        msg(language, "summary_missing", count=len(summary.missing_by_unit)),
    ]
    return truncate("\n".join(lines), 3000)


# --- help and admin notices ---------------------------------------------------------------------


def build_help(
    *, language: str, is_admin: bool, is_secretary: bool, example_period: str = "2024-T1"
) -> dict[str, Any]:
    """Build the `/uppsikt hjälp` reply: the subcommands this person may use, with examples."""
    language = language_or_default(language)
    example = parse_period(example_period)
    lines = [msg(language, "help_status", command=ids.COMMAND)]
    if is_secretary:
        lines.append(msg(language, "help_report", command=ids.COMMAND, example=example))
        lines.append(msg(language, "help_decision", command=ids.COMMAND))
    if is_admin:
        lines.append(msg(language, "help_remind", command=ids.COMMAND, example=example))
        lines.append(msg(language, "help_deadline", command=ids.COMMAND, example=example))
    lines.append(msg(language, "help_substitute", command=ids.COMMAND))
    lines.append(msg(language, "help_help", command=ids.COMMAND))
    blocks = [
        header(msg(language, "help_header")),
        section("\n\n".join(lines)),
        context(msg(language, "help_footer")),
    ]
    return {"text": msg(language, "help_text"), "blocks": blocks}


def build_unmatched_people(
    *, language: str, period_key: str, people: list[tuple[str, str]]
) -> dict[str, Any]:
    """Build the DM to admins listing people (name, e-mail) with no Slack match, so no reminder."""
    language = language_or_default(language)
    if not period_key:  # people who showed up in the chat, not reminders of a period
        title = msg(language, "unmatched_chat_title", count=len(people))
        intro = msg(language, "unmatched_chat_intro")
        text = msg(language, "unmatched_chat_text", count=len(people))
    else:
        period = parse_period(period_key)
        if not people:
            text = msg(language, "unmatched_none", period=period)
            return {"text": text, "blocks": [section(text)]}
        title = msg(language, "unmatched_title", count=len(people), period=period)
        intro = msg(language, "unmatched_intro")
        text = msg(language, "unmatched_text", count=len(people), period=period)
    blocks: list[Block] = [section(f"{title}\n{intro}")]
    lines = []
    for name, email in people:
        address = excerpt(email, NAME_LIMIT) if email.strip() else msg(language, "no_email")
        lines.append(f"• {excerpt(name, NAME_LIMIT) or '–'} ({address})")
    packed, used = pack_sections(lines, max_sections=UNMATCHED_SECTIONS)
    blocks += packed
    if used < len(lines):
        blocks.append(context(msg(language, "more", count=len(lines) - used)))
    return {"text": fallback(text), "blocks": blocks}
