"""Who is asking: the person behind a chat user, and what they may do."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, select

from bot.config import Settings
from storage.models import GlobalRole, Person, UnitRole
from storage.queries import find_person_by_email

logger = logging.getLogger(__name__)


class Directory(Protocol):
    def user_email(self, user_id: str) -> str | None:
        """The e-mail of a platform user, or None."""


@dataclass(frozen=True)
class Actor:
    """A chat user as Uppsikt knows them."""

    user_id: str
    person_id: int | None
    name: str
    email: str | None
    is_admin: bool
    is_secretary: bool
    reporter_unit_ids: frozenset[int]

    @property
    def is_known(self) -> bool:
        return self.person_id is not None


def resolve_actor(
    session: Session,
    *,
    user_id: str,
    settings: Settings,
    directory: Directory | None,
    link: Callable[[int | None, str], None] | None = None,
) -> Actor:
    """Find the person behind a Slack user (by id, else by e-mail) and their rights.

    A person found by e-mail is handed to `link` so the caller can remember the chat id.
    """
    person = session.exec(select(Person).where(Person.slack_user_id == user_id)).first()
    email: str | None = person.email if person else None
    if person is None and directory is not None:
        email = directory.user_email(user_id)
        if email:
            email = email.strip().lower()
            person = find_person_by_email(session, email=email)
            if person is not None and person.slack_user_id is None and link is not None:
                link(person.id, user_id)
    roles: set[str] = set()
    unit_ids: set[int] = set()
    if person is not None:
        roles = set(
            session.exec(select(GlobalRole.role).where(GlobalRole.person_id == person.id)).all()
        )
        unit_ids = set(
            session.exec(
                select(UnitRole.unit_id).where(
                    UnitRole.person_id == person.id, UnitRole.role == "reporter"
                )
            ).all()
        )
    identities = {user_id} | ({email} if email else set())
    return Actor(
        user_id=user_id,
        person_id=person.id if person else None,
        name=person.name if person else "",
        email=email,
        is_admin="admin" in roles or bool(identities & settings.admins),
        is_secretary="secretary" in roles or bool(identities & settings.secretaries),
        reporter_unit_ids=frozenset(unit_ids),
    )


def link_chat_user(session: Session, *, person_id: int, user_id: str) -> bool:
    """Remember a person's chat id; False if it is taken or the person is linked already."""
    person = session.get(Person, person_id)
    if person is None or person.slack_user_id is not None:
        return False
    if session.exec(select(Person).where(Person.slack_user_id == user_id)).first() is not None:
        logger.warning("chat user is already linked to another person")
        return False
    person.slack_user_id = user_id
    session.add(person)
    return True
