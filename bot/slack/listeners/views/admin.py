"""The admin's period and schedule modals: check the right, validate, store, refresh App Home."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.services import periods as period_admin
from bot.services.access import Actor
from bot.services.status import Refused
from bot.slack import ids
from bot.slack.blocks.admin import (
    PeriodChange,
    parse_period_submission,
    parse_schedule_submission,
)
from bot.slack.context import SlackServices, refresh_home, tell
from storage.db import session_scope
from storage.queries import get_period

logger = logging.getLogger(__name__)


def _admin_or_refuse(
    services: SlackServices, ack: Callable[..., None], client: WebClient, body: dict[str, Any]
) -> Actor | None:
    """The admin submitting; anyone else gets the modal closed, a private note and None."""
    actor = services.actor((body.get("user") or {}).get("id", ""))
    if actor.is_admin:
        return actor
    ack()
    tell(client, body, None, services.text("not_admin"))
    return None


def apply_period_change(services: SlackServices, change: PeriodChange) -> None:
    """Open (or create or reopen) the period with its deadline, or set the deadline and close it;
    Refused("period_exists") for a new period whose key is taken, "unknown_period" for a gone one.
    """
    with session_scope(services.engine) as session:
        exists = get_period(session, year=change.period.year, tertial=change.period.tertial)
    if change.is_new and exists is not None:
        raise Refused("period_exists", period=str(change.period))
    if not change.is_new and exists is None:
        raise Refused("unknown_period", period=str(change.period))
    engine = services.engine
    if change.state == "open":
        period_admin.open_period(engine, period=change.period, deadline=change.deadline)
        return
    if change.is_new:
        period_admin.open_period(engine, period=change.period, deadline=change.deadline)
    else:
        period_admin.set_deadline(engine, period=change.period, deadline=change.deadline)
    period_admin.close_period(engine, period=change.period)


def make_handle_period_submission(services: SlackServices) -> Callable[..., None]:
    """The period modal: errors inside it, or store the change, close it and refresh App Home."""

    def handle_period_submission(
        ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = (body.get("user") or {}).get("id", "")
        try:
            editing = ids.decode_period_modal(view.get("private_metadata"))
        except ValueError:
            ack(
                response_action="errors",
                errors={ids.DEADLINE_DATE_BLOCK: services.text("bad_request")},
            )
            return
        if _admin_or_refuse(services, ack, client, body) is None:
            return
        change = parse_period_submission(
            view, editing=editing, zone=services.settings.timezone, language=services.language
        )
        if isinstance(change, dict):
            ack(response_action="errors", errors=change)
            return
        block = ids.PERIOD_KEY_BLOCK if change.is_new else ids.DEADLINE_DATE_BLOCK
        try:
            apply_period_change(services, change)
        except Refused as refused:
            ack(response_action="errors", errors={block: services.refusal(refused)})
            return
        except IntegrityError:  # another admin created the same period a moment ago
            ack(
                response_action="errors",
                errors={block: services.text("period_exists", period=str(change.period))},
            )
            return
        except Exception:
            logger.exception("could not store a period change")
            ack(response_action="errors", errors={block: services.text("bad_request")})
            return
        logger.info(
            "period %s: deadline %s, %s (by %s)",
            change.period,
            change.deadline.isoformat(),
            change.state,
            user_id,
        )
        ack()
        services.later(f"home:{user_id}", refresh_home, services, client, user_id)

    return handle_period_submission


def make_handle_schedule_submission(services: SlackServices) -> Callable[..., None]:
    """The schedule modal: errors inside it, or store the schedule, close it, refresh App Home."""

    def handle_schedule_submission(
        ack: Callable[..., None], body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = (body.get("user") or {}).get("id", "")
        try:
            ids.check_schedule_modal(view.get("private_metadata"))
        except ValueError:
            ack(
                response_action="errors",
                errors={ids.SCHEDULE_DAYS_BLOCK: services.text("bad_request")},
            )
            return
        actor = _admin_or_refuse(services, ack, client, body)
        if actor is None:
            return
        change = parse_schedule_submission(view, language=services.language)
        if isinstance(change, dict):
            ack(response_action="errors", errors=change)
            return
        try:
            schedule = period_admin.save_schedule(
                services.engine,
                days_text=change.days_text,
                time_text=change.time_text,
                actor_name=actor.name or user_id,
            )
        except period_admin.ScheduleInputError as error:  # the parser above lets none through
            block = ids.SCHEDULE_DAYS_BLOCK if error.field == "days" else ids.SCHEDULE_TIME_BLOCK
            key = "schedule_days_invalid" if error.field == "days" else "schedule_time_invalid"
            ack(response_action="errors", errors={block: services.text(key)})
            return
        except Exception:
            logger.exception("could not store the reminder schedule")
            ack(
                response_action="errors",
                errors={ids.SCHEDULE_DAYS_BLOCK: services.text("bad_request")},
            )
            return
        logger.info(
            "reminder schedule: %s at %s (by %s)",
            schedule.days_before,
            f"{schedule.at:%H:%M}",
            user_id,
        )
        ack()
        services.later(f"home:{user_id}", refresh_home, services, client, user_id)

    return handle_schedule_submission
