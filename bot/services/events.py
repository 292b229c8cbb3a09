"""Events and activities a platform may deliver more than once are handled once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from bot.services.core import Core
from storage.db import session_scope
from storage.models import HandledEvent, utcnow

# Platforms retry within minutes; a day of ids is plenty.
KEEP = timedelta(days=1)


def first_time(core: Core, *, platform: str, event_id: str | None) -> bool:
    """Record an event id; False if it was handled already (a retry)."""
    if not event_id:
        return True
    try:
        with session_scope(core.engine, write=True) as session:
            session.add(HandledEvent(platform=platform, event_id=event_id[:200]))
            session.exec(
                delete(HandledEvent).where(col(HandledEvent.received_at) < utcnow() - KEEP)
            )
    except IntegrityError:
        return False
    return True
