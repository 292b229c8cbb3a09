"""A seeded database and a core with a recording notifier: the services without any HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import load_settings
from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey
from bot.services import periods
from bot.services.core import Core
from bot.services.database import open_database
from bot.services.plan_import import import_plan
from bot.services.report_import import import_report
from storage.db import session_scope
from storage.models import Activity, ActivityUnit, Unit
from tests.fakes.recording import RecordingNotifier
from tests.scenario.support import PEOPLE, SAMHALLSBYGGNAD, SEED

T2 = PeriodKey(2024, 2)
# The services' clock: August 2024, before the T2 deadline.
NOW = datetime(2024, 8, 1, 8, 0, tzinfo=UTC)


@dataclass
class World:
    core: Core
    notifier: RecordingNotifier
    tmp: Path

    def user(self, name: str) -> ChatUser:
        return ChatUser("slack", self.notifier.workspace, name)

    def activity_of(self, unit_path: str, index: int = 0) -> int:
        with session_scope(self.core.engine) as session:
            ids = session.exec(
                select(Activity.id)
                .join(ActivityUnit, ActivityUnit.activity_id == Activity.id)  # type: ignore[arg-type]
                .join(Unit, Unit.id == ActivityUnit.unit_id)  # type: ignore[arg-type]
                .where(Unit.path == unit_path)
                .order_by(Activity.id)  # type: ignore[arg-type]
            ).all()
        return int(ids[index])  # type: ignore[arg-type]


def seed(database_url: str, tmp: Path) -> Core:
    settings = load_settings(
        env={
            "DATABASE_URL": database_url,
            "UPPSIKT_ADMINS": "adam@ange.se",
            "UPPSIKT_SECRETARIES": "U0SARA",
            "UPPSIKT_COMMITTEE_CHANNEL": "C0COMMITTEE",
        },
        dotenv_path=tmp / "none",
    )
    core = Core(settings=settings, engine=open_database(settings), clock=lambda: NOW)
    import_report(core.engine, path=SEED, period=PeriodKey(2024, 1), settings=settings)
    activities = tmp / "activities.csv"
    activities.write_text(
        "Mål nr,Mål,Målområde,Aktivitet,Syfte,Startdatum,Slutdatum,Ansvariga enheter\n", "utf-8"
    )
    people = tmp / "people.csv"
    lines = ["Namn,E-post,Enhet,Roll"] + [f"{n},{e},{u},{r}" for n, e, _s, u, r in PEOPLE]
    people.write_text("\n".join(lines) + "\n", "utf-8")
    import_plan(core.engine, path=activities, people_path=people, year=2024, settings=settings)
    periods.change_period(
        core,
        who=None,
        change=periods.PeriodChange(
            period=T2, action=periods.OPEN, deadline_text="2024-09-10 16:00"
        ),
    )
    return core


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> World:
    core = seed(database_url, tmp_path)
    notifier = RecordingNotifier(
        workspace="T0UPPSIKT",
        directory={email: slack_id for _n, email, slack_id, _u, _r in PEOPLE if slack_id},
    )
    core.attach(notifier)
    return World(core=core, notifier=notifier, tmp=tmp_path)


__all__ = ["NOW", "SAMHALLSBYGGNAD", "T2", "World", "seed"]
