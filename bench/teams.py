"""Benchmark the Teams side against the real `uppsikt run` process and the fake Microsoft side.

1. Card saves: 50 reporters (one unit of 4 activities each) get their reminder card from a
   round, then save all 200 activities from it, 50 at a time, as signed Action.Execute invokes
   over HTTP. Checks every activity is stored exactly once and every answer is the refreshed
   card; prints the invoke latency percentiles beside a floor measured in the same run: the same
   invokes, at the same concurrency, against a bare endpoint on the same server stack (Uppsikt's
   WSGI server, the SDK's token validation and routing, in its own process) that answers with a
   fixed card and calls no service. Target: p99 under 300 ms.
2. Reminder round: 500 people with the app installed, one unit each, the connector answering
   429 (Retry-After 1 s) to 25 sends. Checks each reminder is delivered exactly once and that a
   second round sends nothing; prints the total time beside the pacing floor.

    python bench/teams.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import col, func, select  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.domain.actors import TEAMS, ChatUser  # noqa: E402
from bot.domain.periods import PeriodKey  # noqa: E402
from bot.services import periods  # noqa: E402
from bot.services.core import Core  # noqa: E402
from bot.services.database import close_database, open_database  # noqa: E402
from bot.services.identity import account_seen  # noqa: E402
from bot.services.plan_import import import_plan  # noqa: E402
from bot.services.reminders import send_reminder_round  # noqa: E402
from storage.db import session_scope  # noqa: E402
from storage.models import ReminderMessage, StatusReport  # noqa: E402
from tests.fakes.microsoft import TENANT_ID, MicrosoftFake  # noqa: E402
from tests.scenario.teams_support import TeamsBot  # noqa: E402
from tests.teams.support import clean_env, executes, fake_env  # noqa: E402

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
T2 = PeriodKey(2024, 2)
PER_SECOND = 40.0  # the adapter's pace (bot/teams/delivery.py)


def email(n: int) -> str:
    return f"p{n}@kommun.se"


def once_after(core: Core, activities: int) -> bool:
    with session_scope(core.engine) as session:
        counts = session.exec(
            select(StatusReport.activity_id, func.count()).group_by(col(StatusReport.activity_id))
        ).all()
    return len(counts) == activities and all(n == 1 for _a, n in counts)


def prepare(database_url: str, directory: Path, *, people: int, per_unit: int) -> Core:
    """A plan where person n reports for unit n; 2024-T2 open."""
    plan, roster = directory / "plan.csv", directory / "people.csv"
    with plan.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for u in range(people):
            for a in range(per_unit):
                unit = f"{ADMIN} > Avdelning {u % 10} > Enhet {u:03d}"
                writer.writerow(
                    [
                        "1.1",
                        "Målet ska nås.",
                        "Tillväxt",
                        f"Aktivitet {u}-{a}",
                        "Syfte.",
                        "2024-01-01",
                        "2024-12-31",
                        unit,
                    ]
                )
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Namn", "E-post", "Enhet", "Roll"])
        for u in range(people):
            writer.writerow(
                [
                    f"Person {u}",
                    email(u),
                    f"{ADMIN} > Avdelning {u % 10} > Enhet {u:03d}",
                    "rapportör",
                ]
            )
        writer.writerow(["Ada Admin", "admin@kommun.se", "", "admin"])
    settings = load_settings(env={"DATABASE_URL": database_url}, dotenv_path=directory / "none")
    core = Core(settings=settings, engine=open_database(settings))
    import_plan(core.engine, path=plan, people_path=roster, year=2024, settings=settings)
    periods.change_period(
        core,
        who=None,
        change=periods.PeriodChange(
            period=T2, action=periods.OPEN, deadline_text="2030-09-10 16:00", confirmed=True
        ),
    )
    return core


def fake(people: int) -> MicrosoftFake:
    users = {email(n): {"name": f"Person {n}"} for n in range(people)}
    users["admin@kommun.se"] = {"name": "Ada Admin"}
    ms = MicrosoftFake(users=users).start()
    os.environ.update(ms.client_env())
    return ms


def percentiles(latencies: list[float]) -> str:
    p = statistics.quantiles(sorted(latencies), n=100)
    return f"p50 {p[49]:.0f} p95 {p[94]:.0f} p99 {p[98]:.0f} max {max(latencies):.0f}"


# --- 1. card saves ------------------------------------------------------------------------------


def bare_server() -> None:
    """The floor: Uppsikt's server and the SDK's validation, a fixed answer, no services."""
    from microsoft_teams.apps import App
    from microsoft_teams.common import ClientOptions

    from bot.teams.app import CaptureAdapter
    from bot.teams.cloud import endpoints
    from bot.teams.context import card_response
    from bot.teams.loop import SdkLoop
    from bot.teams.server import make_messages_wsgi
    from bot.teams.tokens import TokenSource
    from bot.web.server import Server, router

    settings = load_settings()
    points = endpoints(settings)
    loop = SdkLoop()
    adapter = CaptureAdapter()
    tokens = TokenSource(
        client_id=settings.teams_app_id,
        password=settings.teams_app_password,
        authority=points.authority,
        instance_discovery=False,
    )

    async def make() -> App:
        return App(
            client_id=settings.teams_app_id,
            tenant_id=settings.teams_tenant_id,
            token=tokens.for_sdk(loop.tokens),
            cloud=points.cloud,
            service_url=points.service_url,
            http_server_adapter=adapter,
            dangerously_allow_unauthenticated_requests=False,
            client=ClientOptions(timeout=30),
            state=False,
            fetch_user_token=False,
            telemetry={"agent365": False},
        )

    app = loop.run(make())
    answer = card_response({"type": "AdaptiveCard", "version": "1.5", "body": []})

    async def handle(_ctx: Any) -> dict[str, Any]:
        return answer

    app.on_card_action_execute(handle)  # type: ignore[arg-type]
    loop.run(app.initialize())
    wsgi = make_messages_wsgi(
        loop,
        adapter.routes[("POST", "/api/messages")],
        tenant_id=settings.teams_tenant_id,
        max_body_bytes=1_000_000,
    )
    server = Server("127.0.0.1", 0, router({"/api/messages": wsgi}, lambda: {"ok": True})).start()
    host, port = server.address
    print(f"bare endpoint http://{host}:{port}/api/messages", flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    server.stop()


def bench_saves(database_url: str, backend: str) -> None:
    people, per_unit = 50, 4
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        core = prepare(database_url, workdir, people=people, per_unit=per_unit)
        ms = fake(people)
        env = clean_env(database_url)
        env.update(fake_env(ms, database_url, UPPSIKT_ADMINS="admin@kommun.se"))
        env.update(ms.client_env())
        bot = TeamsBot(env, workdir)
        bare = subprocess.Popen(
            [sys.executable, __file__, "--bare-server"],
            env={**env, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert bare.stdout is not None
            bare_url = bare.stdout.readline().split()[-1]
            users = [ms.user(email(n)) for n in range(people)]
            admin = ms.user("admin@kommun.se")
            with ThreadPoolExecutor(max_workers=25) as pool:
                list(
                    pool.map(
                        lambda u: ms.post_activity(bot.url, ms.conversation_update_installed(u)),
                        [*users, admin],
                    )
                )
            ms.post_activity(bot.url, ms.message("påminn", admin))
            ms.wait_until(
                lambda: any(
                    (a.get("text") or "").startswith("Klart")
                    for a in ms.activities(ms.personal_conversation(admin))
                ),
                120,
                "the round",
            )
            invokes = []
            for user in users:
                (card_activity,) = [
                    a for a in ms.activities(ms.personal_conversation(user)) if ms.cards_of(a)
                ]
                for action in executes(ms.cards_of(card_activity)[0]):
                    aid = action["data"]["a"]
                    activity = ms.adaptive_card_invoke(
                        action["verb"],
                        action["data"],
                        user,
                        inputs={
                            f"status_{aid}": "deviating",
                            f"comment_{aid}": f"Kommentar {aid} <at>Alla</at>",
                        },
                        reply_to_id=card_activity["id"],
                    )
                    invokes.append((activity, ms.issue_token(service_url=activity["serviceUrl"])))

            by_user: dict[str, list[tuple[dict[str, Any], str]]] = {}
            for activity, token in invokes:
                by_user.setdefault(activity["from"]["id"], []).append((activity, token))

            def post(url: str, job: tuple[dict[str, Any], str]) -> tuple[int, Any, float]:
                activity, token = job
                started = time.perf_counter()
                status, body = ms.post_activity(url, activity, token=token)
                return status, body, (time.perf_counter() - started) * 1000

            def paced(url: str, seed: int) -> list[tuple[int, Any, float]]:
                """50 people at once, each saving their card's activities one after another
                with 1-3 s to choose a status and write a comment in between."""
                chooser = random.Random(seed)
                plans = [
                    (jobs, [chooser.uniform(1.0, 3.0) for _ in jobs]) for jobs in by_user.values()
                ]

                def person(
                    plan: tuple[list[tuple[dict[str, Any], str]], list[float]],
                ) -> list[tuple[int, Any, float]]:
                    jobs, pauses = plan
                    done = []
                    for job, pause in zip(jobs, pauses, strict=True):
                        time.sleep(pause)
                        done.append(post(url, job))
                    return done

                with ThreadPoolExecutor(max_workers=len(plans)) as people_pool:
                    return [r for rs in people_pool.map(person, plans) for r in rs]

            with ThreadPoolExecutor(max_workers=50) as pool:
                list(pool.map(lambda job: post(bare_url, job), invokes[:50]))  # warm the key cache
                floor_burst = list(pool.map(lambda job: post(bare_url, job), invokes))
            floor_paced = paced(bare_url, 1)
            started = time.perf_counter()
            results = paced(bot.url, 1)
            wall = time.perf_counter() - started
            # The same 200 again at once (50 in flight, no pause): each is unchanged by now,
            # so this measures the full path of a save (checks, the version read, the card).
            with ThreadPoolExecutor(max_workers=50) as pool:
                burst = list(pool.map(lambda job: post(bot.url, job), invokes))
            refreshed = [
                r
                for r in results
                if r[0] == 200
                and isinstance(r[1], dict)
                and r[1].get("type") == "application/vnd.microsoft.card.adaptive"
            ]
            with session_scope(core.engine) as session:
                counts = session.exec(
                    select(StatusReport.activity_id, func.count()).group_by(
                        col(StatusReport.activity_id)
                    )
                ).all()
            once = len(counts) == people * per_unit and all(n == 1 for _a, n in counts)
            print(
                f"{backend:10s} card saves: {len(results)} from {people} users in {wall:.2f} s; "
                f"{'each stored exactly once' if once else 'NOT exactly once'}, {len(refreshed)} answered with the refreshed card; "
                f"invoke ms {percentiles([r[2] for r in results])} (target p99 < 300); "
                f"floor ms {percentiles([r[2] for r in floor_paced])}"
            )
            print(
                f"{backend:10s} the same 200 at once (50 in flight, no pause): invoke ms {percentiles([r[2] for r in burst])}; "
                f"floor ms {percentiles([r[2] for r in floor_burst])}; still one version each: {once_after(core, people * per_unit)}"
            )
        finally:
            if bare.stdin is not None:
                bare.stdin.close()
            bare.wait(timeout=30)
            bot.stop()
            ms.stop()
            close_database(core.engine)


# --- 2. a 500-person reminder round -------------------------------------------------------------


def bench_round(database_url: str, backend: str) -> None:
    people = 500
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        core = prepare(database_url, workdir, people=people, per_unit=2)
        ms = fake(people)
        from bot.teams.app import build_teams

        settings = load_settings(env=fake_env(ms, database_url), dotenv_path=workdir / "none")
        teams_core = Core(settings=settings, engine=core.engine)
        teams = build_teams(teams_core)
        try:
            for n in range(people):
                user = ms.user(email(n))
                address = {
                    "conversation_id": ms.personal_conversation(user),
                    "service_url": ms.service_url.rstrip("/"),
                }
                account_seen(
                    teams_core,
                    user=ChatUser(TEAMS, TENANT_ID, user.aad_object_id),
                    email=user.email,
                    address=address,
                )
            ms.inject("send", status=429, times=25, retry_after=1)
            started = time.perf_counter()
            result = send_reminder_round(teams_core, period=T2, occasion="bench")
            elapsed = time.perf_counter() - started
            sends = ms.calls_to("send")
            limited = sum(1 for c in sends if c.status == 429)
            per_person = [
                sum(
                    1
                    for a in ms.activities(ms.personal_conversation(ms.user(email(n))))
                    if ms.cards_of(a)
                )
                for n in range(people)
            ]
            with session_scope(core.engine) as session:
                logged = session.exec(select(func.count()).select_from(ReminderMessage)).one()
            again = send_reminder_round(teams_core, period=T2, occasion="bench")
            once = (
                per_person == [1] * people
                and logged == result.sent == people
                and not result.failed
                and again.sent == 0
            )
            floor = people / PER_SECOND
            print(
                f"{backend:10s} reminder round: {result.sent} cards to {people} people, {limited} sends answered 429; "
                f"{elapsed:.2f} s (pacing floor {floor:.1f} s at {PER_SECOND:.0f}/s plus Retry-After); "
                f"{'every reminder delivered exactly once' if once else 'NOT exactly once'} "
                f"(logged {logged}, re-run sent {again.sent}, already {again.already_sent})"
            )
        finally:
            teams.stop()
            ms.stop()
            close_database(core.engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        bare_server()
        return
    with tempfile.TemporaryDirectory() as tmp:
        targets: list[tuple[str, Any]] = [
            ("sqlite", lambda: f"sqlite:///{tmp}/{uuid.uuid4().hex}.db")
        ]
        created: list[str] = []
        if args.postgres:
            import psycopg

            def pg() -> str:
                name = f"uppsikt_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    connection.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
                return args.postgres.rsplit("/", 1)[0] + "/" + name

            targets.append(("postgresql", pg))
        try:
            for backend, make_url in targets:
                bench_saves(make_url(), backend)
                bench_round(make_url(), backend)
        finally:
            if created:
                import psycopg

                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    for name in created:
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
