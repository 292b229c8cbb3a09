"""Commands typed to Uppsikt: `status | rapport | beslut | påminn | deadline | admin | ersättare |
hjälp` in the 1:1 chat (and the English names), and `kanal | styrelsekanal` in a team channel.
The same services as Slack's."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey, parse_period
from bot.services import channels, overview, periods, publishing, reminders, substitutes
from bot.services.errors import Refused
from bot.services.events import first_time
from bot.teams.cards import (
    build_admin_card,
    build_help,
    build_report_summary,
    build_status_overview,
)
from bot.teams.channel import CommitteeChannel
from bot.teams.connector import card_activity, text_activity
from bot.teams.context import TeamsContext
from bot.teams.handlers.decision import decision_card
from bot.teams.handlers.install import seen

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
    "admin": "admin",
    "kanal": "channel",
    "channel": "channel",
    "styrelsekanal": "board_channel",
    "board": "board_channel",
    "boardchannel": "board_channel",
    "hjälp": "help",
    "hjalp": "help",
    "help": "help",
    "": "help",
}
CONFIRM_WORDS = frozenset({"bekräfta", "bekrafta", "confirm", "--force"})
MAX_TEXT = 500
_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
CHANNEL_COMMANDS = {"channel": channels.COMMITTEE_CHANNEL, "board_channel": channels.BOARD_CHANNEL}

Reply = dict[str, Any] | str  # a card, or plain text


def parse_command(text: object) -> tuple[str, list[str]]:
    """The command word (lowercased) and its arguments; mentions and markup are dropped."""
    raw = text if isinstance(text, str) else ""
    raw = _TAG.sub(" ", _MENTION.sub(" ", raw[: MAX_TEXT * 4]))
    words = html.unescape(raw).replace("\u00a0", " ").split()[:20]
    if not words:
        return "", []
    return words[0].lower()[:40], words[1:]


def _period_argument(ctx: TeamsContext, args: list[str], usage_key: str) -> PeriodKey:
    if args:
        try:
            return parse_period(args[0])
        except ValueError:
            raise Refused(usage_key) from None
    period = periods.current_period(ctx.core)
    if period is None:
        raise Refused(usage_key)
    return period


def _status(ctx: TeamsContext, user: ChatUser) -> Reply:
    data = overview.status_overview(ctx.core, user=user)
    return build_status_overview(
        language=ctx.language, period=data.period, units=[(p, list(i)) for p, i in data.units]
    )


def _report(ctx: TeamsContext, user: ChatUser, args: list[str]) -> Reply:
    period = _period_argument(ctx, args, "teams_usage_report")
    preview = publishing.preview_report(ctx.core, who=user, period=period)
    return build_report_summary(
        language=ctx.language,
        period_key=preview.period,
        summary=preview.summary,
        can_publish=preview.can_publish,
    )


def _help(ctx: TeamsContext, user: ChatUser) -> Reply:
    actor = overview.who_is(ctx.core, user=user)
    return build_help(
        language=ctx.language, is_admin=actor.is_admin, is_secretary=actor.is_secretary
    )


def _admin(ctx: TeamsContext, user: ChatUser) -> Reply:
    data = overview.home(ctx.core, user=user)
    if not data.actor.is_admin:
        raise Refused("not_admin")
    return build_admin_card(
        language=ctx.language,
        zone=ctx.core.settings.timezone,
        admin_periods=list(data.admin_periods or ()),
        schedule=data.schedule,
        period=data.period,
        all_units=list(data.all_units) if data.all_units is not None else None,
    )


def _deadline(ctx: TeamsContext, user: ChatUser, args: list[str]) -> Reply:
    """`deadline 2024-T2 2024-09-10 16:00 [bekräfta]`: move a period's deadline."""
    confirmed = any(word.lower() in CONFIRM_WORDS for word in args)
    args = [word for word in args if word.lower() not in CONFIRM_WORDS]
    if not 2 <= len(args) <= 3:
        raise Refused("teams_usage_deadline")
    try:
        period = parse_period(args[0])
    except ValueError:
        raise Refused("teams_usage_deadline") from None
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
        ctx.text(
            "teams_deadline_set", period=changed.period.key, deadline=f"{local:%Y-%m-%d %H:%M}"
        )
    ]
    lines += [ctx.text(key, **params) for key, params in changed.notes]
    return "\n".join(lines)


def remind_summary(ctx: TeamsContext, result: reminders.RoundResult) -> str:
    """The admin's true counts, with the deliveries Teams left uncertain apart from failures."""
    reasons = [entry.split(": ", 1)[-1] for entry in result.failed]
    uncertain = sum(1 for why in reasons if why.startswith("uncertain"))
    return ctx.text(
        "teams_remind_done",
        sent=result.sent,
        units=result.units,
        already=result.already_sent,
        failed=len(reasons) - uncertain,
        uncertain=uncertain,
        lookups=result.lookups_failed,
        unmatched=len(result.unmatched),
    )


@dataclass(frozen=True)
class Mention:
    """A person mentioned in a message: their AAD object id when Teams gave it, and the name."""

    aad_object_id: str | None
    name: str


def mentioned_people(activity: Any) -> list[Mention]:
    """The people a message mentions (the bot itself left out), from its mention entities."""
    bot_id = getattr(getattr(activity, "recipient", None), "id", None)
    people: list[Mention] = []
    for entity in (getattr(activity, "entities", None) or [])[:20]:
        if getattr(entity, "type", None) != "mention":
            continue
        mentioned = getattr(entity, "mentioned", None)
        account_id = getattr(mentioned, "id", None)
        if mentioned is None or account_id == bot_id:
            continue
        aad = getattr(mentioned, "aad_object_id", None)
        if not (isinstance(aad, str) and _GUID.fullmatch(aad)):
            bare = str(account_id or "").removeprefix("8:orgid:")
            aad = bare if _GUID.fullmatch(bare) else None
        name = " ".join(str(getattr(mentioned, "name", "") or "").split())[:80]
        people.append(Mention(aad.lower() if aad else None, name))
    return people


def _decision(ctx: TeamsContext, user: ChatUser, args: list[str]) -> Reply:
    """`beslut 2024-T1`: the decision card for the latest published version."""
    return decision_card(ctx, user, _period_argument(ctx, args, "teams_usage_decision"))


def _substitute(
    ctx: TeamsContext, user: ChatUser, args: list[str], mentions: list[Mention]
) -> Reply:
    """`ersättare anna@ange.se 2024-06-01 2024-06-30` (or `@Anna` instead of the address): hand
    one's units over for a while; with nothing after it, the substitutions in force."""
    if not args and not mentions:
        rows = substitutes.list_substitutes(ctx.core)
        if not rows:
            return ctx.text("teams_substitutes_none")
        lines = [ctx.text("teams_substitutes_header")]
        lines += [
            ctx.text(
                "teams_substitute_line",
                person=r.person,
                substitute=r.substitute,
                starts=f"{r.starts_on}",
                ends=f"{r.ends_on}",
            )
            for r in rows
        ]
        return "\n".join(lines)
    mention = None
    if len(args) == 3:
        who, days = args[0], args[1:]
    elif len(args) == 2 and len(mentions) == 1:
        mention = mentions[0]
        if mention.aad_object_id is None:
            raise Refused("teams_substitute_mention_unknown", name=mention.name or "–")
        who, days = mention.aad_object_id, args
    else:
        raise Refused("teams_usage_substitute")
    try:
        starts, ends = date.fromisoformat(days[0]), date.fromisoformat(days[1])
    except ValueError:
        raise Refused("teams_usage_substitute") from None
    try:
        info = substitutes.set_substitute(
            ctx.core, who=user, person=None, substitute=who, starts_on=starts, ends_on=ends
        )
    except Refused as refused:
        if mention is not None and refused.key == "substitute_unknown_person":
            raise Refused("teams_substitute_not_in_teams", name=mention.name or "–") from None
        raise
    return ctx.text(
        "teams_substitute_set",
        substitute=info.substitute,
        starts=f"{info.starts_on}",
        ends=f"{info.ends_on}",
    )


def _channel_value(ctx: TeamsContext, activity: Any) -> CommitteeChannel:
    data = getattr(activity, "channel_data", None)
    team = getattr(data, "team", None)
    channel = getattr(data, "channel", None)
    address = ctx.address(activity)
    return CommitteeChannel(
        conversation_id=address["conversation_id"],
        team_id=str(getattr(team, "aad_group_id", "") or ""),
        channel_id=str(getattr(channel, "id", "") or address["conversation_id"]),
        service_url=address["service_url"],
    )


def _set_channel(ctx: TeamsContext, user: ChatUser, target: CommitteeChannel, name: str) -> Reply:
    """The channel the admin typed in becomes the committee's (or the board's) channel."""
    channels.set_committee_channel(ctx.core, who=user, value=target.encode(), name=name)
    key = "teams_channel_set" if name == channels.COMMITTEE_CHANNEL else "teams_board_channel_set"
    return ctx.text(key if target.can_upload else f"{key}_no_team")


async def _send(actx: Any, reply: Reply) -> None:
    if isinstance(reply, dict):
        await actx.send(card_activity(reply, summary=str(reply.get("fallbackText") or "")))
    else:
        await actx.send(text_activity(reply))


def make_handle_message(ctx: TeamsContext) -> Callable[..., Awaitable[None]]:
    """A message to the bot: one command, answered in the same conversation."""

    async def handle_message(actx: Any) -> None:
        activity = actx.activity
        try:
            user, address = ctx.note_sender(activity)
        except ValueError:
            return
        name, args = parse_command(getattr(activity, "text", ""))
        subcommand = SUBCOMMANDS.get(name)
        try:
            # Message ids are unique within a conversation only.
            event_id = f"message:{address['conversation_id']}:{activity.id}"
            if not await ctx.loop.call(first_time, ctx.core, platform="teams", event_id=event_id):
                return  # Teams delivered it again
            if not ctx.is_personal(activity):
                if subcommand in CHANNEL_COMMANDS:
                    target = _channel_value(ctx, activity)
                    name = CHANNEL_COMMANDS[subcommand]
                    await _send(actx, await ctx.loop.call(_set_channel, ctx, user, target, name))
                else:
                    await _send(actx, ctx.text("teams_channel_command_here"))
                return
            if not ctx.seen_before(user):
                await ctx.loop.call(seen, ctx, activity)
            if subcommand is None:
                await _send(actx, ctx.text("teams_unknown_command", command=name[:40]))
                await _send(actx, await ctx.loop.call(_help, ctx, user))
            elif subcommand == "help":
                await _send(actx, await ctx.loop.call(_help, ctx, user))
            elif subcommand == "status":
                await _send(actx, await ctx.loop.call(_status, ctx, user))
            elif subcommand == "report":
                await _send(actx, await ctx.loop.call(_report, ctx, user, args))
            elif subcommand == "admin":
                await _send(actx, await ctx.loop.call(_admin, ctx, user))
            elif subcommand == "deadline":
                await _send(actx, await ctx.loop.call(_deadline, ctx, user, args))
            elif subcommand == "decision":
                await _send(actx, await ctx.loop.call(_decision, ctx, user, args))
            elif subcommand == "substitute":
                mentions = mentioned_people(activity)
                await _send(actx, await ctx.loop.call(_substitute, ctx, user, args, mentions))
            elif subcommand == "channel":
                await _send(actx, ctx.text("teams_channel_only_in_channel"))
            elif subcommand == "board_channel":
                await _send(actx, ctx.text("teams_board_channel_only_in_channel"))
            elif subcommand == "remind":
                period = await ctx.loop.call(_period_argument, ctx, args, "teams_usage_remind")
                actor = await ctx.loop.call(overview.who_is, ctx.core, user=user)
                if not actor.is_admin:
                    raise Refused("not_admin")
                await _send(actx, ctx.text("teams_remind_started", period=str(period)))
                ctx.loop.background(_remind(ctx, user, address, period), "reminder round")
        except Refused as refused:
            answer = ctx.refusal(refused)
            if refused.needs_confirmation:
                answer += "\n" + ctx.text("teams_confirm_hint", command=name)
            await _send(actx, answer)
        except ValueError:
            await _send(actx, ctx.text("bad_request"))
        except Exception:
            logger.exception("a Teams command failed: %s", subcommand or "?")
            await _send(actx, ctx.text("try_again"))

    return handle_message


async def _remind(
    ctx: TeamsContext, user: ChatUser, address: dict[str, str], period: PeriodKey
) -> None:
    """The round, after the answer: it paces itself and may take a while."""
    try:
        result = await ctx.loop.call(reminders.remind_now, ctx.core, who=user, period=period)
    except Refused as refused:
        await ctx.tell(address, ctx.refusal(refused))
        return
    except Exception:
        logger.exception("a reminder round from Teams failed")
        await ctx.tell(address, ctx.text("try_again"))
        return
    await ctx.tell(address, remind_summary(ctx, result))
