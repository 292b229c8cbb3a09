"""`/uppsikt status | rapport PERIOD | påminn PERIOD | hjälp` (and English aliases)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.periods import PeriodKey, parse_period
from bot.services.publishing import compile_view
from bot.services.reminders import send_reminder_round
from bot.services.status import Refused, open_period, period_info, unit_overview
from bot.slack.blocks.common import escape_mrkdwn
from bot.slack.blocks.overview import build_help, build_report_summary, build_status_overview
from bot.slack.context import SlackServices
from storage.db import session_scope
from storage.models import utcnow

logger = logging.getLogger(__name__)

SUBCOMMANDS = {
    "status": "status",
    "rapport": "report",
    "report": "report",
    "påminn": "remind",
    "paminn": "remind",
    "remind": "remind",
    "deadline": "deadline",
    "hjälp": "help",
    "hjalp": "help",
    "help": "help",
    "": "help",
}


def make_handle_uppsikt_command(services: SlackServices) -> Callable[..., None]:
    """The `/uppsikt` command: ack at once, then answer privately."""

    def handle_uppsikt_command(
        ack: Callable[..., None],
        command: dict[str, Any],
        respond: Callable[..., Any],
        client: WebClient,
    ) -> None:
        ack()
        words = (command.get("text") or "").split()
        name = words[0].lower() if words else ""
        subcommand = SUBCOMMANDS.get(name)
        user_id = command.get("user_id", "")
        try:
            if subcommand is None:
                actor = services.actor(user_id)
                respond(
                    text=services.text("unknown_command", command=escape_mrkdwn(name)),
                    response_type="ephemeral",
                )
                _help(services, respond, actor.is_admin, actor.is_secretary)
            elif subcommand == "help":
                actor = services.actor(user_id)
                _help(services, respond, actor.is_admin, actor.is_secretary)
            elif subcommand == "status":
                _status(services, respond, user_id)
            elif subcommand == "report":
                _report(services, respond, user_id, words[1:])
            elif subcommand == "remind":
                _remind(services, respond, user_id, words[1:])
            elif subcommand == "deadline":
                _deadline(services, respond, user_id, words[1:])
        except Refused as refused:
            respond(text=services.refusal(refused), response_type="ephemeral")
        except Exception:
            logger.exception("/uppsikt %s failed", name)
            respond(text=services.text("bad_request"), response_type="ephemeral")

    return handle_uppsikt_command


def _help(
    services: SlackServices, respond: Callable[..., Any], is_admin: bool, is_secretary: bool
) -> None:
    message = build_help(language=services.language, is_admin=is_admin, is_secretary=is_secretary)
    respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _period_argument(services: SlackServices, args: list[str], usage_key: str) -> PeriodKey:
    if args:
        try:
            return parse_period(args[0])
        except ValueError:
            raise Refused(usage_key) from None
    with session_scope(services.engine) as session:
        period = open_period(session)
        if period is None:
            raise Refused(usage_key)
        return PeriodKey(period.year, period.tertial)


def _status(services: SlackServices, respond: Callable[..., Any], user_id: str) -> None:
    actor = services.actor(user_id)
    if not actor.is_known:
        raise Refused("not_registered")
    with session_scope(services.engine) as session:
        period = open_period(session)
        if period is None:
            raise Refused("no_open_period")
        info = period_info(period, services.settings.timezone)
        units = [
            (progress, items)
            for _u, progress, items in unit_overview(
                session,
                period=period,
                unit_ids=sorted(actor.reporter_unit_ids),
                include_subunits=True,
            )
        ]
    message = build_status_overview(language=services.language, period=info, units=units)
    respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _report(
    services: SlackServices, respond: Callable[..., Any], user_id: str, args: list[str]
) -> None:
    actor = services.actor(user_id)
    if not actor.is_secretary:
        raise Refused("not_secretary")
    period = _period_argument(services, args, "usage_report")
    view = compile_view(services.engine, period=period, settings=services.settings)
    message = build_report_summary(
        language=services.language,
        period_key=str(period),
        summary=view.summary,
        can_publish=bool(services.settings.committee_channel),
    )
    respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _remind(
    services: SlackServices, respond: Callable[..., Any], user_id: str, args: list[str]
) -> None:
    actor = services.actor(user_id)
    if not actor.is_admin:
        raise Refused("not_admin")
    period = _period_argument(services, args, "usage_remind")
    respond(text=services.text("remind_started", period=str(period)), response_type="ephemeral")
    result = send_reminder_round(
        services.engine,
        notifier=services.notifier,
        period=period,
        occasion=f"manual-{utcnow():%Y%m%dT%H%M%S}",
        settings=services.settings,
    )
    respond(
        text=services.text(
            "remind_done", sent=result.sent, units=result.units, unmatched=len(result.unmatched)
        ),
        response_type="ephemeral",
    )


def _deadline(
    services: SlackServices, respond: Callable[..., Any], user_id: str, args: list[str]
) -> None:
    """`/uppsikt deadline 2024-T2 2024-09-10 16:00`: set (or open with) a deadline; admins only."""
    from bot.services import periods

    actor = services.actor(user_id)
    if not actor.is_admin:
        raise Refused("not_admin")
    if len(args) < 2:
        raise Refused("usage_deadline")
    try:
        period = parse_period(args[0])
        deadline = periods.parse_local_deadline(" ".join(args[1:3]), services.settings.timezone)
    except ValueError:
        raise Refused("usage_deadline") from None
    try:
        row = periods.set_deadline(services.engine, period=period, deadline=deadline)
    except Refused:
        row, _created = periods.open_period(services.engine, period=period, deadline=deadline)
    local = row.deadline.astimezone(services.settings.timezone)
    respond(
        text=services.text("deadline_set", period=row.key, deadline=f"{local:%Y-%m-%d %H:%M}"),
        response_type="ephemeral",
    )
