"""Who is asking: the person behind a chat account, their rights, and how to reach people."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain.actors import SLACK, TEAMS, Actor, ChatUser, Recipient
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.notifier import PlatformUnavailable
from bot.services.progress import reporter_rights
from storage.db import session_scope
from storage.models import ChatAccount, GlobalRole, Person, utcnow
from storage.queries import find_person_by_email

logger = logging.getLogger(__name__)

# How stale `last_seen_at` may get before a request refreshes it (it picks the platform a
# person is reminded on when they have several).
SEEN_RESOLUTION = timedelta(hours=12)
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def find_account(session: Session, user: ChatUser) -> ChatAccount | None:
    """The account of a chat user (a Slack id migrated without its workspace matches too)."""
    accounts = session.exec(
        select(ChatAccount).where(
            ChatAccount.platform == user.platform,
            ChatAccount.user_id == user.user_id,
            col(ChatAccount.workspace).in_([user.workspace, ""]),
        )
    ).all()
    exact = [a for a in accounts if a.workspace == user.workspace]
    chosen = exact or list(accounts)
    return chosen[0] if chosen else None


def _actor(core: Core, session: Session, user: ChatUser, person: Person | None, email: str | None):
    roles: set[str] = set()
    unit_ids: frozenset[int] = frozenset()
    acting: frozenset[tuple[int, int]] = frozenset()
    if person is not None and person.id is not None:
        roles = set(
            session.exec(select(GlobalRole.role).where(GlobalRole.person_id == person.id)).all()
        )
        today = core.now().astimezone(core.settings.timezone).date()
        unit_ids, acting = reporter_rights(session, person_id=person.id, on=today)
    identities = {user.user_id} | ({email} if email else set())
    settings = core.settings
    return Actor(
        user=user,
        person_id=person.id if person else None,
        name=person.name if person else "",
        email=email,
        is_admin="admin" in roles or bool(identities & settings.admins),
        is_secretary="secretary" in roles or bool(identities & settings.secretaries),
        reporter_unit_ids=unit_ids | {unit for unit, _person in acting},
        acting_for=acting,
    )


# How long the hot path of a save may trust that it knows who a chat user is without asking
# the database again. Only a hint: the save itself checks the account and the person's rights
# (an account unlinked meanwhile is refused there, and the person told), so it can be long; a
# lookup on the ack path costs as much as the rest of the ack.
KNOWN_SECONDS = 900.0
_KNOWN: WeakKeyDictionary[Engine, dict[ChatUser, tuple[int, float]]] = WeakKeyDictionary()
_KNOWN_GUARD = threading.Lock()


def known_person(core: Core, user: ChatUser) -> int | None:
    """The person id behind a chat user: remembered for a minute, else one lookup when the
    account is known (the hot path of a save), the full resolution (perhaps asking the
    platform) the first time."""
    with _KNOWN_GUARD:
        known = _KNOWN.setdefault(core.engine, {})
        hit = known.get(user)
    now = time.monotonic()
    if hit is not None and now - hit[1] < KNOWN_SECONDS:
        return hit[0]
    with session_scope(core.engine) as session:
        account = find_account(session, user)
        person_id = account.person_id if account is not None else None
    if person_id is None:
        person_id = resolve_actor(core, user).person_id
    if person_id is not None:
        with _KNOWN_GUARD:
            if len(known) > 100_000:  # a bound, not a policy: start over
                known.clear()
            known[user] = (person_id, now)
    return person_id


def resolve_actor(core: Core, user: ChatUser) -> Actor:
    """The person behind a chat user and their rights; linked by e-mail the first time.

    Raise Refused("try_again", retry=True) when the platform cannot tell who the user is right
    now: a person is never told they are not a reporter because Slack answered 500.
    """
    with session_scope(core.engine) as session:
        account = find_account(session, user)
        if account is not None:
            person = session.get(Person, account.person_id)
            stale = account.last_seen_at is None or account.last_seen_at < (
                utcnow() - SEEN_RESOLUTION
            )
            actor = _actor(core, session, user, person, person.email if person else None)
            if not stale:
                return actor
    if account is not None:
        _touch(core, account.id, user.workspace)  # type: ignore[arg-type]
        return actor
    notifier = core.notifier(user.platform)
    email: str | None = None
    if notifier is not None:
        try:
            email = notifier.user_email(user)
        except PlatformUnavailable:
            raise Refused("try_again", retry=True) from None
    email = email.strip().lower() if email else None
    with session_scope(core.engine) as session:
        person = find_person_by_email(session, email=email) if email else None
        actor = _actor(core, session, user, person, email)
    if person is not None:
        link_account(core, person_id=person.id, user=user)  # type: ignore[arg-type]
    return actor


def _touch(core: Core, account_id: int, workspace: str) -> None:
    try:
        with session_scope(core.engine, write=True) as session:
            account = session.get(ChatAccount, account_id)
            if account is not None:
                account.last_seen_at = utcnow()
                if not account.workspace and workspace:
                    account.workspace = workspace
                session.add(account)
    except IntegrityError:  # the same user under both workspaces: leave it
        logger.warning("could not note when a chat account was last seen")


def link_account(
    core: Core, *, person_id: int, user: ChatUser, address: dict[str, str] | None = None
) -> bool:
    """Remember a person's chat account (and address); False if the account is someone else's."""
    try:
        with session_scope(core.engine, write=True) as session:
            account = find_account(session, user)
            if account is not None and account.person_id != person_id:
                logger.warning("a chat account is already linked to another person")
                return False
            if account is None:
                account = session.exec(
                    select(ChatAccount).where(
                        ChatAccount.person_id == person_id,
                        ChatAccount.platform == user.platform,
                        ChatAccount.workspace == user.workspace,
                    )
                ).first()
                if account is None:
                    account = ChatAccount(
                        person_id=person_id,
                        platform=user.platform,
                        workspace=user.workspace,
                        user_id=user.user_id,
                    )
                else:  # the person got a new account on the platform: follow it
                    account.user_id = user.user_id
            if address is not None:
                merged = {**json.loads(account.address or "{}"), **address}
                account.address = json.dumps(merged, sort_keys=True)
            account.workspace = account.workspace or user.workspace
            account.last_seen_at = utcnow()
            session.add(account)
        return True
    except IntegrityError:
        logger.warning("a chat account could not be linked (a concurrent link won)")
        return False


def update_address(core: Core, *, account_id: int, address: dict[str, str]) -> None:
    """Merge what a platform told us about writing to an account (a DM channel, say)."""
    if account_id <= 0 or not address:
        return
    with session_scope(core.engine, write=True) as session:
        account = session.get(ChatAccount, account_id)
        if account is None:
            return
        merged = {**json.loads(account.address or "{}"), **address}
        if merged != json.loads(account.address or "{}"):
            account.address = json.dumps(merged, sort_keys=True)
            session.add(account)


def recipient_of(account: ChatAccount) -> Recipient:
    """A stored account as someone to write to."""
    return Recipient(
        account_id=account.id or 0,
        person_id=account.person_id,
        user=ChatUser(account.platform, account.workspace, account.user_id),
        address=json.loads(account.address or "{}"),
    )


def recipients(
    session: Session, *, person_ids: list[int], platforms: list[str]
) -> dict[int, Recipient]:
    """Each person's account on the attached platforms: the one last seen when there are several."""
    if not person_ids or not platforms:
        return {}
    accounts = session.exec(
        select(ChatAccount).where(
            col(ChatAccount.person_id).in_(person_ids), col(ChatAccount.platform).in_(platforms)
        )
    ).all()
    chosen: dict[int, ChatAccount] = {}
    for account in accounts:
        best = chosen.get(account.person_id)
        if best is None or _seen(account) > _seen(best):
            chosen[account.person_id] = account
    return {person_id: recipient_of(account) for person_id, account in chosen.items()}


def _seen(account: ChatAccount) -> tuple[float, int]:
    moment = account.last_seen_at or account.created_at
    return (moment.timestamp() if moment else 0.0, account.id or 0)


def match_by_email(core: Core, *, person_ids: list[int]) -> tuple[list[tuple[str, str]], int]:
    """Find people without an account on any attached platform by e-mail, once, and remember it.

    Return (the people no platform knows, as (name, e-mail); how many lookups failed and will be
    tried again next time). A platform that fails for one person does not stop the others.
    """
    platforms = list(core.notifiers)
    with session_scope(core.engine) as session:
        known = set(recipients(session, person_ids=person_ids, platforms=platforms))
        people = (
            session.exec(select(Person).where(col(Person.id).in_(person_ids))).all()
            if person_ids
            else []
        )
    unmatched: list[tuple[str, str]] = []
    failed = 0
    for person in people:
        if person.id in known:
            continue
        found = None
        unavailable = False
        for platform in platforms:
            notifier = core.notifiers[platform]
            try:
                found = notifier.find_user(person.email)
            except PlatformUnavailable:
                unavailable = True
                continue
            if found is not None:
                break
        if found is not None:
            if link_account(core, person_id=person.id, user=found.user, address=found.address):  # type: ignore[arg-type]
                continue
            unmatched.append((person.name, person.email))
        elif unavailable:
            failed += 1
        else:
            unmatched.append((person.name, person.email))
    return unmatched, failed


def role_recipients(core: Core, *, role: str) -> list[Recipient]:
    """Everyone with a global role (admin or secretary), from the database and the settings."""
    configured = core.settings.admins if role == "admin" else core.settings.secretaries
    emails = {i for i in configured if "@" in i}
    raw_ids = {i for i in configured if "@" not in i}
    platforms = list(core.notifiers)
    with session_scope(core.engine) as session:
        person_ids = set(
            session.exec(select(GlobalRole.person_id).where(GlobalRole.role == role)).all()
        )
        for email in emails:
            person = find_person_by_email(session, email=email)
            if person is not None and person.id is not None:
                person_ids.add(person.id)
        found = recipients(session, person_ids=sorted(person_ids), platforms=platforms)
        for user_id in sorted(raw_ids):
            platform = TEAMS if _GUID.match(user_id) else SLACK
            notifier = core.notifier(platform)
            if notifier is None:
                continue
            user = ChatUser(platform, notifier.workspace, user_id)
            account = find_account(session, user)
            if account is not None:
                found.setdefault(account.person_id, recipient_of(account))
            elif all(r.user.user_id != user_id for r in found.values()):
                found[-len(found) - 1] = Recipient(account_id=0, person_id=0, user=user)
    unique: dict[tuple[str, str], Recipient] = {}
    for recipient in found.values():
        unique.setdefault((recipient.user.platform, recipient.user.user_id), recipient)
    return sorted(unique.values(), key=lambda r: (r.user.platform, r.user.user_id))


def adopt_workspace(core: Core, *, platform: str, workspace: str) -> int:
    """Give accounts moved over without their workspace (older Slack ids) this one; how many."""
    if not workspace:
        return 0
    count = 0
    with session_scope(core.engine, write=True) as session:
        for account in session.exec(
            select(ChatAccount).where(ChatAccount.platform == platform, ChatAccount.workspace == "")
        ).all():
            clash = session.exec(
                select(ChatAccount).where(
                    ChatAccount.platform == platform,
                    ChatAccount.workspace == workspace,
                    ChatAccount.user_id == account.user_id,
                )
            ).first()
            if clash is None:
                account.workspace = workspace
                session.add(account)
                count += 1
    return count


@dataclass(frozen=True)
class AccountSeen:
    """What became of a chat account that showed itself (an install, a first message)."""

    matched: bool
    person_name: str = ""


def account_seen(
    core: Core, *, user: ChatUser, email: str | None, address: dict[str, str], name: str = ""
) -> AccountSeen:
    """Remember how to reach a chat user (their address) and match them to a person by e-mail.

    Someone the directory cannot place is listed to the admins (once per account), never
    skipped silently.
    """
    with session_scope(core.engine) as session:
        account = find_account(session, user)
        person_id = account.person_id if account is not None else None
        if person_id is None and email:
            person = find_person_by_email(session, email=email.strip().lower())
            person_id = person.id if person is not None else None
        person_name = ""
        if person_id is not None:
            found = session.get(Person, person_id)
            person_name = found.name if found else ""
    if person_id is None:
        _tell_admins_unmatched_once(core, user=user, email=email or "", name=name)
        return AccountSeen(matched=False)
    link_account(core, person_id=person_id, user=user, address=address)
    return AccountSeen(matched=True, person_name=person_name)


def _tell_admins_unmatched_once(core: Core, *, user: ChatUser, email: str, name: str) -> None:
    from bot.services.events import first_time

    if not first_time(core, platform=user.platform, event_id=f"unmatched:{user.user_id}"):
        return
    for recipient in role_recipients(core, role="admin"):
        notifier = core.notifiers.get(recipient.user.platform)
        if notifier is None:
            continue
        try:
            notifier.tell_unmatched(recipient, "", [(name or user.user_id, email)])
        except Exception:
            logger.exception("could not tell an admin about an unmatched chat user")
