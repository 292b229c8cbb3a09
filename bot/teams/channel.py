"""The committee channel's address in Teams, as stored by the services (one string).

An admin's `kanal` command in a team channel stores JSON with everything a publication needs:
the conversation to post to, the team (its Microsoft 365 group id, for Graph), the channel id
and the service URL. TEAMS_COMMITTEE_CHANNEL may hold the same JSON, a channel link copied from
Teams (*Get link to channel*: it carries the channel id and the team's groupId), or a bare
conversation id (then files cannot go through Graph and are linked from the bot instead).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

_CONVERSATION_RE = re.compile(r"^19:[A-Za-z0-9_\-.@=]{1,200}$")
_GUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


@dataclass(frozen=True)
class CommitteeChannel:
    """Where the committee reads: a channel conversation, and its team for Graph uploads."""

    conversation_id: str
    team_id: str = ""
    channel_id: str = ""
    service_url: str = ""

    @property
    def can_upload(self) -> bool:
        return bool(self.team_id and self.channel_id)

    def encode(self) -> str:
        """The JSON the services store."""
        return json.dumps(
            {
                "conversation_id": self.conversation_id,
                "team_id": self.team_id,
                "channel_id": self.channel_id,
                "service_url": self.service_url,
            },
            sort_keys=True,
        )


def _checked(conversation_id: str, team_id: str, channel_id: str, service_url: str):
    base = conversation_id.split(";", 1)[0]
    if not _CONVERSATION_RE.fullmatch(base):
        raise ValueError("not a Teams channel conversation id")
    if team_id and not _GUID_RE.fullmatch(team_id):
        raise ValueError("the team id is not a group id (GUID)")
    if channel_id and not _CONVERSATION_RE.fullmatch(channel_id):
        raise ValueError("not a Teams channel id")
    if service_url and not service_url.startswith(("https://", "http://")):
        raise ValueError("not a service URL")
    return CommitteeChannel(base, team_id, channel_id or base, service_url)


def parse_channel(value: str) -> CommitteeChannel:
    """Read a stored or configured committee channel; ValueError if it is none of the forms."""
    text = value.strip()
    if not text:
        raise ValueError("no channel")
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            raise ValueError("not JSON") from None
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        fields = [document.get(k) or "" for k in ("conversation_id", "team_id", "channel_id")]
        fields.append(document.get("service_url") or "")
        if not all(isinstance(f, str) for f in fields):
            raise ValueError("fields must be strings")
        return _checked(*fields)
    if text.startswith("https://"):
        parts = urlsplit(text)
        match = re.match(r"^/l/channel/([^/]+)/", parts.path + "/")
        if not match:
            raise ValueError("not a Teams channel link")
        channel_id = unquote(match.group(1))
        group = parse_qs(parts.query).get("groupId", [""])[0]
        return _checked(channel_id, group, channel_id, "")
    return _checked(text, "", "", "")
