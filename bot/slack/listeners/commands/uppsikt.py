"""`/uppsikt status | rapport | påminn | deadline | hjälp` (and the English names)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey, parse_period
from bot.domain.text import escape_mrkdwn
from bot.services import overview, periods, publishing, reminders
from bot.services.errors import Refused
from bot.slack.blocks.overview import build_help, build_report_summary, build_status_overview
from bot.slack.context import SlackContext

logger = logging.getLogger(__name__)

SUBCOMMANDS = {
    "status": "status",
    "rapport": "report",
    "report": "report",
    "påminn": "remind",
    "paminn": "remind",
    "remind": "remind",
    "deadline": "deadline",
    "beslut": "decision",
    "decision": "decision",
    "ersättare": "substitute",
    "ersattare": "substitute",
    "substitute": "substitute",
    "hjälp": "help",
    "hjalp": "help",
    "help": "help",
    "": "help",
}
CONFIRM_WORDS = frozenset({"bekräfta", "bekrafta", "confirm", "--force"})


def make_handle_uppsikt_command(ctx: SlackContext) -> Callable[..., None]:
    """The `/uppsikt` command: ack at once, then answer privately."""

    def handle_uppsikt_command(
        ack: Callable[..., None],
        command: dict[str, Any],
        respond: Callable[..., Any],
        client: WebClient,
    ) -> None:
        ack()
        text = command.get("text")
        words = text.split() if isinstance(text, str) else []
        if words and SUBCOMMANDS.get(words[0].lower()) == "decision":
            # A modal needs the trigger_id within 3 s: opened here, not after the ack.
            _decision(ctx, client, command, respond, words[1:])
            return
        # The work runs after the ack; the answer goes through response_url.
        ctx.later(f"command:{uuid.uuid4().hex}", run, command, respond)

    def run(command: dict[str, Any], respond: Callable[..., Any]) -> None:
        text = command.get("text")
        words = text.split() if isinstance(text, str) else []
        name = words[0].lower() if words else ""
        subcommand = SUBCOMMANDS.get(name)
        try:
            user = ctx.user(command.get("user_id"))
            if subcommand is None:
                respond(
                    text=ctx.text("unknown_command", command=escape_mrkdwn(name[:40])),
                    response_type="ephemeral",
                )
                _help(ctx, respond, user)
            elif subcommand == "help":
                _help(ctx, respond, user)
            elif subcommand == "status":
                _status(ctx, respond, user)
            elif subcommand == "report":
                _report(ctx, respond, user, words[1:])
            elif subcommand == "remind":
                _remind(ctx, respond, user, words[1:])
            elif subcommand == "deadline":
                _deadline(ctx, respond, user, words[1:])
            elif subcommand == "substitute":
                _substitute(ctx, respond, user, words[1:])
        except Refused as refused:
            answer = ctx.refusal(refused)
            if refused.needs_confirmation:
                answer += "\n" + ctx.text("confirm_hint_command", command=f"/uppsikt {name}")
            respond(text=answer, response_type="ephemeral")
        except ValueError:
            respond(text=ctx.text("bad_request"), response_type="ephemeral")
        except Exception:
            logger.exception("/uppsikt %s failed", subcommand or "?")
            respond(text=ctx.text("try_again"), response_type="ephemeral")

    return handle_uppsikt_command


def _help(ctx: SlackContext, respond: Callable[..., Any], user: ChatUser) -> None:
    actor = overview.who_is(ctx.core, user=user)
    message = build_help(
        language=ctx.language, is_admin=actor.is_admin, is_secretary=actor.is_secretary
    )
    respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _period_argument(ctx: SlackContext, args: list[str], usage_key: str) -> PeriodKey:
    if args:
        try:
            return parse_period(args[0])
        except ValueError:
            raise Refused(usage_key) from None
    period = periods.current_period(ctx.core)
    if period is None:
        raise Refused(usage_key)
    return period


def _status(ctx: SlackContext, respond: Callable[..., Any], user: ChatUser) -> None:
    data = overview.status_overview(ctx.core, user=user)
    message = build_status_overview(
        language=ctx.language,
        period=data.period,
        units=[(progress, list(items)) for progress, items in data.units],
    )
    respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _report(
    ctx: SlackContext, respond: Callable[..., Any], user: ChatUser, args: list[str]
) -> None:
    period = _period_argument(ctx, args, "usage_report")
    preview = publishing.preview_report(ctx.core, who=user, period=period)
    message = build_report_summary(
        language=ctx.language,
        period_key=preview.period,
        summary=preview.summary,
        can_publish=preview.can_publish,
    )
    respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _remind(
    ctx: SlackContext, respond: Callable[..., Any], user: ChatUser, args: list[str]
) -> None:
    period = _period_argument(ctx, args, "usage_remind")
    if not overview.who_is(ctx.core, user=user).is_admin:
        raise Refused("not_admin")
    respond(text=ctx.text("remind_started", period=str(period)), response_type="ephemeral")
    result = reminders.remind_now(ctx.core, who=user, period=period)
    respond(
        text=ctx.text(
            "remind_done",
            sent=result.sent,
            units=result.units,
            already=result.already_sent,
            failed=len(result.failed),
            lookups=result.lookups_failed,
            unmatched=len(result.unmatched),
        ),
        response_type="ephemeral",
    )


def _deadline(
    ctx: SlackContext, respond: Callable[..., Any], user: ChatUser, args: list[str]
) -> None:
    """`/uppsikt deadline 2024-T2 2024-09-10 16:00 [bekräfta]`: move a period's deadline."""
    confirmed = any(word.lower() in CONFIRM_WORDS for word in args)
    args = [word for word in args if word.lower() not in CONFIRM_WORDS]
    if len(args) < 2 or len(args) > 3:
        raise Refused("usage_deadline")
    try:
        period = parse_period(args[0])
    except ValueError:
        raise Refused("usage_deadline") from None
    changed = periods.change_period(
        ctx.core,
        who=user,
        change=periods.PeriodChange(
            period=period,
            action=periods.DEADLINE,
            deadline_text=" ".join(args[1:3]),
            confirmed=confirmed,
        ),
    )
    local = changed.period.deadline
    lines = [
        ctx.text("deadline_set", period=changed.period.key, deadline=f"{local:%Y-%m-%d %H:%M}")
    ]
    lines += [ctx.text(key, **params) for key, params in changed.notes]
    respond(text="\n".join(lines), response_type="ephemeral")


def _decision(
    ctx: SlackContext,
    client: WebClient,
    command: dict[str, Any],
    respond: Callable[..., Any],
    args: list[str],
) -> None:
    """`/uppsikt beslut PERIOD`: the decision modal for the latest published version."""
    from bot.slack.listeners.actions.decision import open_decision_modal

    try:
        user = ctx.user(command.get("user_id"))
        period = _period_argument(ctx, args, "usage_decision")
        open_decision_modal(ctx, client, user, period, command.get("trigger_id"))
    except Refused as refused:
        respond(text=ctx.refusal(refused), response_type="ephemeral")
    except ValueError:
        respond(text=ctx.text("bad_request"), response_type="ephemeral")


def _substitute(
    ctx: SlackContext, respond: Callable[..., Any], user: ChatUser, args: list[str]
) -> None:
    """`/uppsikt ersättare @kollega 2024-06-01 2024-06-30`: hand one's units over for a while;
    without arguments, the substitutions in force."""
    from datetime import date

    from bot.services import substitutes

    if not args:
        rows = substitutes.list_substitutes(ctx.core)
        lines = [
            ctx.text(
                "substitute_line",
                person=escape_mrkdwn(r.person),
                substitute=escape_mrkdwn(r.substitute),
                starts=f"{r.starts_on}",
                ends=f"{r.ends_on}",
            )
            for r in rows
        ] or [ctx.text("substitutes_none")]
        respond(text="\n".join(lines), response_type="ephemeral")
        return
    if len(args) != 3:
        raise Refused("usage_substitute")
    try:
        starts, ends = date.fromisoformat(args[1]), date.fromisoformat(args[2])
    except ValueError:
        raise Refused("usage_substitute") from None
    info = substitutes.set_substitute(
        ctx.core, who=user, person=None, substitute=args[0], starts_on=starts, ends_on=ends
    )
    respond(
        text=ctx.text(
            "substitute_set",
            substitute=escape_mrkdwn(info.substitute),
            starts=f"{info.starts_on}",
            ends=f"{info.ends_on}",
        ),
        response_type="ephemeral",
    )
