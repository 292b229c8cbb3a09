"""Substitute reporters: someone answers for a reporter's units for a date range.

A reporter hands their units over (while on leave), or an admin assigns a substitute. During the
range, reminders go to the substitute and what they save records for whom they answered; the
rights end with the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.domain.actors import ChatUser
from bot.services import audit
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import find_account, resolve_actor
from storage.db import session_scope
from storage.models import Person, Substitute, UnitRole, utcnow
from storage.queries import find_person_by_email

MAX_DAYS = 366


@dataclass(frozen=True)
class SubstituteInfo:
    id: int
    person: str
    substitute: str
    starts_on: date
    ends_on: date


def today(core: Core) -> date:
    """The local date now (a range is in whole local days)."""
    return core.now().astimezone(core.settings.timezone).date()


def _person(session: Session, core: Core, who: str) -> Person:
    """A person named by e-mail, or by a chat id (Slack `U…`, `<@U…>`)."""
    text = who.strip()
    if text.startswith("<@") and text.endswith(">"):
        text = text[2:-1].split("|", 1)[0]
    person = find_person_by_email(session, email=text) if "@" in text else None
    if person is None and "@" not in text:
        for platform, notifier in core.notifiers.items():
            account = find_account(session, ChatUser(platform, notifier.workspace, text))
            if account is not None:
                person = session.get(Person, account.person_id)
                break
    if person is None:
        raise Refused("substitute_unknown_person", who=who.strip()[:80])
    return person


def set_substitute(
    core: Core,
    *,
    who: ChatUser | None,
    person: str | None,
    substitute: str,
    starts_on: date,
    ends_on: date,
) -> SubstituteInfo:
    """Hand one's units to a substitute (`person` None), or, as an admin, assign one for someone."""
    actor = resolve_actor(core, who) if who is not None else None
    if ends_on < starts_on or (ends_on - starts_on).days > MAX_DAYS:
        raise Refused("substitute_range", starts=f"{starts_on}", ends=f"{ends_on}", days=MAX_DAYS)
    if ends_on < today(core):
        raise Refused("substitute_past", ends=f"{ends_on}")
    with session_scope(core.engine, write=True) as session:
        if person is None:
            if actor is None or actor.person_id is None:
                raise Refused("not_registered")
            away = session.get(Person, actor.person_id)
            assert away is not None
        else:
            if actor is not None and not actor.is_admin:
                raise Refused("not_admin")
            away = _person(session, core, person)
        stand_in = _person(session, core, substitute)
        if stand_in.id == away.id:
            raise Refused("substitute_self")
        has_units = session.exec(
            select(UnitRole).where(UnitRole.person_id == away.id, UnitRole.role == "reporter")
        ).first()
        if has_units is None:
            raise Refused("substitute_not_reporter", person=away.name)
        row = Substitute(
            person_id=away.id,  # type: ignore[arg-type]
            substitute_person_id=stand_in.id,  # type: ignore[arg-type]
            starts_on=starts_on,
            ends_on=ends_on,
            created_by_name=(actor.display_name if actor else "")[:200],
            surface=who.platform if who else "cli",
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            action="substitute",
            actor=actor,
            subject=f"{away.name} -> {stand_in.name}",
            starts_on=str(starts_on),
            ends_on=str(ends_on),
        )
        assert row.id is not None
        return SubstituteInfo(row.id, away.name, stand_in.name, starts_on, ends_on)


def revoke_substitute(core: Core, *, who: ChatUser | None, substitute_id: int) -> None:
    """End a substitution now (the reporter who handed over, or an admin)."""
    actor = resolve_actor(core, who) if who is not None else None
    with session_scope(core.engine, write=True) as session:
        row = session.get(Substitute, substitute_id)
        if row is None or row.revoked_at is not None:
            raise Refused("substitute_unknown", id=substitute_id)
        if actor is not None and not actor.is_admin and actor.person_id != row.person_id:
            raise Refused("not_admin")
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, action="substitute_revoked", actor=actor, subject=str(substitute_id))


def list_substitutes(core: Core) -> list[SubstituteInfo]:
    """Substitutions in force today or later."""
    with session_scope(core.engine) as session:
        names = {p.id: p.name for p in session.exec(select(Person)).all()}
        rows = session.exec(
            select(Substitute)
            .where(col(Substitute.revoked_at).is_(None), Substitute.ends_on >= today(core))
            .order_by(col(Substitute.starts_on))
        ).all()
        return [
            SubstituteInfo(
                r.id or 0, names.get(r.person_id, ""), names.get(r.substitute_person_id, ""),
                r.starts_on, r.ends_on,
            )
            for r in rows
        ]  # fmt: skip
