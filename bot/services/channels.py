"""Where each platform publishes: the committee channel, from the settings or set in the chat."""

from __future__ import annotations

from bot.domain.actors import SLACK, TEAMS, ChatUser
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from storage.db import session_scope
from storage.models import ChatSetting, utcnow

COMMITTEE_CHANNEL = "committee_channel"


def committee_channel(core: Core, *, platform: str) -> str:
    """The committee channel of a platform ("" if none): the setting wins, else what an admin
    set in the chat. The value is the platform's own (a Slack channel id; Teams' JSON)."""
    configured = {
        SLACK: core.settings.committee_channel,
        TEAMS: core.settings.teams_committee_channel,
    }.get(platform, "")
    if configured:
        return configured
    with session_scope(core.engine) as session:
        row = session.get(ChatSetting, (platform, COMMITTEE_CHANNEL))
        return row.value if row is not None else ""


def set_committee_channel(core: Core, *, who: ChatUser, value: str) -> str:
    """An admin makes the channel they are in the committee channel of their platform."""
    actor = resolve_actor(core, who)
    if not actor.is_admin:
        raise Refused("not_admin")
    if not value or len(value) > 4000:
        raise Refused("bad_request")
    with session_scope(core.engine, write=True) as session:
        row = session.get(ChatSetting, (who.platform, COMMITTEE_CHANNEL))
        if row is None:
            row = ChatSetting(platform=who.platform, name=COMMITTEE_CHANNEL, value=value)
        row.value = value
        row.updated_by = actor.display_name[:200]
        row.updated_at = utcnow()
        session.add(row)
    return value
