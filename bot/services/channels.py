"""Where each platform publishes: the committee channel, from the settings or set in the chat."""

from __future__ import annotations

from bot.domain.actors import SLACK, TEAMS, ChatUser
from bot.services import audit
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from storage.db import session_scope
from storage.models import ChatSetting, utcnow

COMMITTEE_CHANNEL = "committee_channel"
BOARD_CHANNEL = "board_channel"


def channel_setting(core: Core, *, platform: str, name: str) -> str:
    """A platform's channel for `name` ("" if none): the setting wins, else what an admin set
    in the chat. The value is the platform's own (a Slack channel id; Teams' JSON)."""
    settings = core.settings
    configured = {
        (SLACK, COMMITTEE_CHANNEL): settings.committee_channel,
        (TEAMS, COMMITTEE_CHANNEL): settings.teams_committee_channel,
        (SLACK, BOARD_CHANNEL): settings.board_channel,
        (TEAMS, BOARD_CHANNEL): settings.teams_board_channel,
    }.get((platform, name), "")
    if configured:
        return configured
    with session_scope(core.engine) as session:
        row = session.get(ChatSetting, (platform, name))
        return row.value if row is not None else ""


def committee_channel(core: Core, *, platform: str) -> str:
    """The committee channel of a platform ("" if none)."""
    return channel_setting(core, platform=platform, name=COMMITTEE_CHANNEL)


def set_committee_channel(
    core: Core, *, who: ChatUser, value: str, name: str = COMMITTEE_CHANNEL
) -> str:
    """An admin makes the channel they are in the committee channel (or, with `name`
    BOARD_CHANNEL, the board's channel) of their platform."""
    if name not in (COMMITTEE_CHANNEL, BOARD_CHANNEL):
        raise Refused("bad_request")
    actor = resolve_actor(core, who)
    if not actor.is_admin:
        raise Refused("not_admin")
    if not value or len(value) > 4000:
        raise Refused("bad_request")
    with session_scope(core.engine, write=True) as session:
        row = session.get(ChatSetting, (who.platform, name))
        if row is None:
            row = ChatSetting(platform=who.platform, name=name, value=value)
        row.value = value
        row.updated_by = actor.display_name[:200]
        row.updated_at = utcnow()
        session.add(row)
        audit.record(session, action=f"channel_{name}", actor=actor, subject=who.platform)
    return value
