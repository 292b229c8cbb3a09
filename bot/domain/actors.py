"""Who is acting: a chat user, and the person and rights behind them. Platform-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field

SLACK = "slack"
TEAMS = "teams"
COMMAND_LINE = "cli"
PLATFORMS = (SLACK, TEAMS)


@dataclass(frozen=True)
class ChatUser:
    """A user of a chat platform: Slack (team id, user id) or Teams (tenant id, AAD object id)."""

    platform: str
    workspace: str
    user_id: str


@dataclass(frozen=True)
class Recipient:
    """Where to write to a person on a platform: the account and the platform's own address."""

    account_id: int
    person_id: int
    user: ChatUser
    address: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Actor:
    """A chat user as Uppsikt knows them."""

    user: ChatUser
    person_id: int | None
    name: str
    email: str | None
    is_admin: bool
    is_secretary: bool
    reporter_unit_ids: frozenset[int]
    # Units this person answers for as a substitute, with whom they stand in for:
    # (unit id, person id). Their ids are in reporter_unit_ids too.
    acting_for: frozenset[tuple[int, int]] = frozenset()

    @property
    def is_known(self) -> bool:
        return self.person_id is not None

    @property
    def user_id(self) -> str:
        return self.user.user_id

    @property
    def display_name(self) -> str:
        return self.name or self.user.user_id


def operator(name: str = "") -> Actor:
    """The person at the command line: whoever can run `uppsikt` against the database."""
    return Actor(
        user=ChatUser(COMMAND_LINE, "", name),
        person_id=None,
        name=name,
        email=None,
        is_admin=True,
        is_secretary=True,
        reporter_unit_ids=frozenset(),
    )
