"""Pure Block Kit builders: functions from domain values to Slack message and view dicts."""

from bot.slack.blocks.common import escape_mrkdwn, status_options, truncate
from bot.slack.blocks.home import build_home
from bot.slack.blocks.modal import build_status_modal, parse_status_submission
from bot.slack.blocks.overview import (
    build_committee_post,
    build_help,
    build_report_summary,
    build_status_overview,
    build_unmatched_people,
)
from bot.slack.blocks.reminder import (
    activity_ids_in_message,
    build_reminder_message,
    build_reminder_messages,
    decode_status_choice,
    encode_status_choice,
)

__all__ = [
    "activity_ids_in_message",
    "build_committee_post",
    "build_help",
    "build_home",
    "build_reminder_message",
    "build_reminder_messages",
    "build_report_summary",
    "build_status_modal",
    "build_status_overview",
    "build_unmatched_people",
    "decode_status_choice",
    "encode_status_choice",
    "escape_mrkdwn",
    "parse_status_submission",
    "status_options",
    "truncate",
]
