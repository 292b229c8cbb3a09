"""Benchmark the Slack side against the real `uppsikt run` process and the Slack emulator.

1. Modal submissions: 200 submissions from 50 concurrent users over HTTP, signed, on SQLite and
   (with --postgres) PostgreSQL. Checks every submission is stored exactly once; prints the ack
   latency (HTTP response time) percentiles. Target: p99 under 300 ms.
2. Reminder round: 500 units, 50 reporters with 10 units each, against the emulator limiting
   chat.postMessage to 1 per second per channel and injecting 429s. Checks every reminder is
   delivered exactly once; prints the total time and the floor the limit sets (the busiest
   conversation's messages, one a second). Target: within 1.2 x the floor.

    python bench/interactions.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import func, select  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.domain.periods import parse_period  # noqa: E402
from bot.services.plan_import import import_plan  # noqa: E402
from bot.services.reminders import send_reminder_round  # noqa: E402
from bot.slack import ids  # noqa: E402
from bot.slack.notifier import SlackNotifier, make_client  # noqa: E402
from storage.db import ensure_schema, make_engine, session_scope  # noqa: E402
from storage.models import Activity, ReminderMessage, StatusReport  # noqa: E402
from tests.fakes.slack_api import SlackEmulator  # noqa: E402
from tests.scenario.support import BotProcess, SlackRequests, view_submission  # noqa: E402

HEADER = [
    "Mål nr",
    "Mål",
    "Målområde",
    "Aktivitet",
    "Syfte",
    "Startdatum",
    "Slutdatum",
    "Ansvariga enheter",
]
ADMIN = "Kommunstyrelsens förvaltning"


def write_plan(
    directory: Path, *, units: int, people: int, activities_per_unit: int
) -> tuple[Path, Path]:
    """A plan where person n reports for units n, n+people, n+2*people, ..."""
    plan = directory / "plan.csv"
    with plan.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for u in range(units):
            for a in range(activities_per_unit):
                writer.writerow(
                    [
                        "1.1",
                        "Målet ska nås.",
                        "Tillväxt",
                        f"Aktivitet {u}-{a}",
                        "Syfte.",
                        "2024-01-01",
                        "2024-12-31",
                        f"{ADMIN} > Avdelning {u % 10} > Enhet {u:03d}",
                    ]
                )
    roster = directory / "people.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Namn", "E-post", "Enhet", "Roll"])
        for u in range(units):
            p = u % people
            writer.writerow(
                [
                    f"Person {p}",
                    f"p{p}@kommun.se",
                    f"{ADMIN} > Avdelning {u % 10} > Enhet {u:03d}",
                    "rapportör",
                ]
            )
    return plan, roster


def users(people: int) -> dict[str, dict]:
    return {
        f"p{p}@kommun.se": {
            "id": f"U{p:05d}",
            "name": f"Person {p}",
            "profile": {"email": f"p{p}@kommun.se"},
        }
        for p in range(people)
    }


def prepare(database_url: str, directory: Path, *, units: int, people: int, per_unit: int):  # type: ignore[no-untyped-def]
    settings = load_settings(env={"DATABASE_URL": database_url}, dotenv_path="/nonexistent")
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    plan, roster = write_plan(directory, units=units, people=people, activities_per_unit=per_unit)
    import_plan(
        engine,
        path=plan,
        people_path=roster,
        period=parse_period("2024-T2"),
        year=2024,
        settings=settings,
    )
    from bot.services import periods
    from bot.services.core import Core

    change = periods.PeriodChange(
        period=parse_period("2024-T2"),
        action=periods.OPEN,
        deadline_text="2024-09-10 16:00",
        confirmed=True,  # 2024 is past
    )
    periods.change_period(Core(settings=settings, engine=engine), who=None, change=change)
    return settings, engine


def bench_submissions(database_url: str, backend: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(users=users(50)) as emulator:
        _settings, engine = prepare(database_url, Path(tmp), units=50, people=50, per_unit=4)
        with session_scope(engine) as session:
            from storage.models import ActivityUnit

            pairs = session.exec(select(ActivityUnit.activity_id, ActivityUnit.unit_id)).all()
        bot = BotProcess(database_url, Path(tmp), emulator.base_url)
        try:
            slack = SlackRequests(url=bot.url, response_url=emulator.response_url())
            # Unit n belongs to person n (50 units, 50 people).
            unit_owner = {}
            with session_scope(engine) as session:
                from storage.models import Person, UnitRole

                for unit_id, email in session.exec(
                    select(UnitRole.unit_id, Person.email).join(
                        Person, Person.id == UnitRole.person_id
                    )
                ).all():
                    unit_owner[unit_id] = f"U{int(email[1:].split('@')[0]):05d}"
            jobs = []
            for n, (activity_id, unit_id) in enumerate(pairs):
                view = {
                    "type": "modal",
                    "callback_id": ids.STATUS_MODAL,
                    "private_metadata": f"a{activity_id}.p2024-T2.u{unit_id}",
                    "blocks": [],
                }
                values = {
                    ids.STATUS_BLOCK: {
                        ids.STATUS_INPUT: {
                            "type": "static_select",
                            "selected_option": {"value": "deviating"},
                        }
                    },
                    ids.COMMENT_BLOCK: {
                        ids.COMMENT_INPUT: {
                            "type": "plain_text_input",
                            "value": f"Kommentar {n} <!channel>",
                        }
                    },
                }
                jobs.append(view_submission(unit_owner[unit_id], view, values))

            def submit(payload):  # type: ignore[no-untyped-def]
                status, body, seconds = slack.interaction(payload)
                return status, body, seconds

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=50) as pool:
                results = list(pool.map(submit, jobs))
            wall = time.perf_counter() - started
            # Submissions are journalled and acked, then stored: wait until the inbox is empty.
            from storage.models import SubmissionInbox

            for _ in range(600):
                with session_scope(engine) as session:
                    if session.exec(select(func.count()).select_from(SubmissionInbox)).one() == 0:
                        break
                time.sleep(0.05)
            stored_after = time.perf_counter() - started
            latencies = sorted(r[2] * 1000 for r in results)
            bad = [r for r in results if r[0] != 200 or r[1] not in (b"", b"{}")]
            with session_scope(engine) as session:
                stored = session.exec(select(func.count()).select_from(StatusReport)).one()
                per_activity = session.exec(
                    select(StatusReport.activity_id, func.count()).group_by(
                        StatusReport.activity_id
                    )
                ).all()
                activities = session.exec(select(func.count()).select_from(Activity)).one()
            once = all(count == 1 for _a, count in per_activity) and len(per_activity) == activities
            p = statistics.quantiles(latencies, n=100)
            print(
                f"{backend:10s} submissions: {len(results)} from 50 users acked in {wall:.2f} s, all stored after {stored_after:.2f} s; stored {stored} "
                f"({'each exactly once' if once and not bad else 'NOT exactly once'}; {len(bad)} failed); "
                f"ack ms p50 {p[49]:.0f} p95 {p[94]:.0f} p99 {p[98]:.0f} max {latencies[-1]:.0f} (target p99 < 300)"
            )
        finally:
            bot.stop()


def bench_round(database_url: str, backend: str) -> None:
    units, people = 500, 50
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(users=users(people)) as emulator:
        settings, engine = prepare(database_url, Path(tmp), units=units, people=people, per_unit=2)
        emulator.rate_limit("chat.postMessage", per_second=1.0, per="channel")
        emulator.inject_429("chat.postMessage", times=10, retry_after=1)
        notifier = SlackNotifier(
            make_client(
                load_settings(
                    env={
                        "DATABASE_URL": database_url,
                        "SLACK_BOT_TOKEN": "xoxb-test",
                        "SLACK_API_URL": emulator.base_url,
                    },
                    dotenv_path="/x",
                )
            ),
            language="sv",
            committee="KS",
        )
        started = time.perf_counter()
        result = send_reminder_round(
            engine,
            notifier=notifier,
            period=parse_period("2024-T2"),
            occasion="bench",
            settings=settings,
        )
        elapsed = time.perf_counter() - started
        accepted = [c for c in emulator.calls_to("chat.postMessage") if c.status == 200 and c.ok]
        refused = [c for c in emulator.calls_to("chat.postMessage") if c.status == 429]
        per_channel: dict[str, int] = {}
        for call in accepted:
            per_channel[call.params["channel"]] = per_channel.get(call.params["channel"], 0) + 1
        floor = max(per_channel.values()) - 1  # first message at once, then one a second
        keys = {
            (c.params["channel"], c.params["text"], str(c.params.get("blocks"))) for c in accepted
        }
        with session_scope(engine) as session:
            logged = session.exec(select(func.count()).select_from(ReminderMessage)).one()
        again = send_reminder_round(
            engine,
            notifier=notifier,
            period=parse_period("2024-T2"),
            occasion="bench",
            settings=settings,
        )
        exactly_once = (
            len(accepted) == len(keys) == logged == result.sent
            and not result.failed
            and again.sent == 0
        )
        print(
            f"{backend:10s} reminder round: {result.units} units, {result.sent} messages to {len(per_channel)} people, "
            f"{len(refused)} answered 429; {elapsed:.2f} s, floor {floor:.0f} s, ratio {elapsed / floor:.2f} (target <= 1.2); "
            f"{'every reminder exactly once' if exactly_once else 'NOT exactly once'} (logged {logged}, re-run sent {again.sent})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("sqlite", lambda: f"sqlite:///{tmp}/{uuid.uuid4().hex}.db", None))
        if args.postgres:
            import psycopg

            def pg() -> str:
                name = f"uppsikt_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    connection.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
                return args.postgres.rsplit("/", 1)[0] + "/" + name

            created: list[str] = []
            targets.append(("postgresql", pg, created))
        for backend, make_url, created_list in targets:
            bench_submissions(make_url(), backend)
            bench_round(make_url(), backend)
            if created_list is not None:
                import psycopg

                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    for name in created_list:
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
