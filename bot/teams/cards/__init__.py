"""Pure Adaptive Card builders (schema 1.5): functions from plain data to the card's JSON."""

from bot.teams.cards.admin import build_admin_card
from bot.teams.cards.decision import (
    build_decision_choice_card,
    build_decision_details_card,
    build_decision_note_card,
    build_decision_recorded_card,
)
from bot.teams.cards.overview import build_help, build_status_overview, build_unmatched_people
from bot.teams.cards.reminder import (
    ActivityNote,
    build_reminder_card,
    build_reminder_cards,
    refreshed_reminder_card,
    saved_text,
)
from bot.teams.cards.report import build_committee_card, build_report_summary

__all__ = [
    "ActivityNote",
    "build_admin_card",
    "build_committee_card",
    "build_decision_choice_card",
    "build_decision_details_card",
    "build_decision_note_card",
    "build_decision_recorded_card",
    "build_help",
    "build_reminder_card",
    "build_reminder_cards",
    "build_report_summary",
    "build_status_overview",
    "build_unmatched_people",
    "refreshed_reminder_card",
    "saved_text",
]
