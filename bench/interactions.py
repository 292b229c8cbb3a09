"""Benchmark the Slack side against the real `uppsikt run` process and the Slack emulator.

1. Ack latency: 1000 signed modal submissions (5 rounds of 200) from 50 concurrent users over HTTP, against
   `uppsikt run` on SQLite and (with --postgres) PostgreSQL, on the server Uppsikt runs (waitress)
   and on the old one (the standard library's, UPPSIKT_HTTP_SERVER=wsgiref), and with two bot
   processes on one PostgreSQL database. Beside each, its floor: a bare Bolt app acking the same
   requests on the same server, measured in the same run, the rounds taking turns (floor, bot,
   floor, ...; each starting with both idle), so a busy moment of this machine falls on both.
   The load comes from bench/load.py, a process of its own. Checks every submission is stored
   exactly once. Targets: p99 within 2 x the floor's, and under 100 ms.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import func, select  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.domain.periods import parse_period  # noqa: E402
from bot.services.core import Core  # noqa: E402
from bot.services.plan_import import import_plan  # noqa: E402
from bot.services.reminders import send_reminder_round  # noqa: E402
from bot.slack import ids  # noqa: E402
from bot.slack.notifier import SlackNotifier, make_client  # noqa: E402
from storage.db import ensure_schema, make_engine, session_scope  # noqa: E402
from storage.models import ReminderMessage, StatusReport  # noqa: E402
from tests.fakes.slack_api import SlackEmulator  # noqa: E402
from tests.scenario.support import BotProcess, view_submission  # noqa: E402

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
# Rounds of 200 submissions (one per activity) measured, so p99 is not the second-worst of 200.
ROUNDS = 5


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

    change = periods.PeriodChange(
        period=parse_period("2024-T2"),
        action=periods.OPEN,
        deadline_text="2024-09-10 16:00",
        confirmed=True,  # 2024 is past
    )
    periods.change_period(Core(settings=settings, engine=engine), who=None, change=change)
    return settings, engine


def _submissions(engine, count: int = 200) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """Modal submissions, each by the reporter of the activity's unit (person n has unit n)."""
    from storage.models import ActivityUnit, Person, UnitRole

    with session_scope(engine) as session:
        pairs = session.exec(select(ActivityUnit.activity_id, ActivityUnit.unit_id)).all()
        owner = {
            unit_id: f"U{int(email[1:].split('@')[0]):05d}"
            for unit_id, email in session.exec(
                select(UnitRole.unit_id, Person.email).join(Person, Person.id == UnitRole.person_id)
            ).all()
        }
    return [
        _submission(owner[unit_id], activity_id, unit_id, n)
        for n, (activity_id, unit_id) in enumerate(pairs[:count])
    ]


def _submission(user_id: str, activity_id: int, unit_id: int, n: int) -> dict:  # type: ignore[type-arg]
    """A status modal's submission, as Slack sends it."""
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
    return view_submission(user_id, view, values)


def _signed(payload: dict) -> tuple[bytes, dict[str, str]]:  # type: ignore[type-arg]
    """A modal submission's body and headers, signed as Slack signs them."""
    import json
    import urllib.parse

    from slack_sdk.signature import SignatureVerifier

    from tests.scenario.support import SIGNING_SECRET

    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    return body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def _fire(urls: list[str], jobs: list[dict]) -> tuple[list[float], int, float]:  # type: ignore[type-arg]
    """Send every job from 50 concurrent users, round-robin over the URLs; (ms, failures, s).

    Each request on a connection of its own, as Slack's are; signed before the clock starts and
    sent by bench/load.py, a process of its own (one thread, asyncio), so the figures are the
    server's, not 50 client threads' sharing one interpreter lock with the emulator here.
    """
    import json
    import subprocess

    requests = [(urls[n % len(urls)], *_signed(payload)) for n, payload in enumerate(jobs)]
    answer = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "50"],
        input=json.dumps(
            [[url, body.decode("latin-1"), headers] for url, body, headers in requests]
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(answer.stdout)
    results = report["results"]
    return (
        sorted(seconds * 1000 for _ok, seconds in results),
        sum(1 for ok, _seconds in results if not ok),
        report["wall"],
    )


def _percentiles(latencies: list[float]) -> tuple[float, float, float]:
    p = statistics.quantiles(latencies, n=100)
    return p[49], p[94], p[98]


def _start_floors(server: str, processes: int, api_url: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """The bare Bolt app on the same server, as many processes: the latency the HTTP stack and
    Bolt alone cost."""
    import subprocess

    from tests.scenario.support import SIGNING_SECRET

    floors = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "bare_bolt.py"), server, SIGNING_SECRET, api_url],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    urls = []
    for process in floors:
        assert process.stdout is not None
        urls.append(process.stdout.readline().strip())
    return floors, urls


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_quiet(pids: list[int]) -> None:
    """Until these processes are idle (no CPU time for a quarter of a second; at most a minute),
    so that what one measurement left running does not land in the next."""
    if not Path("/proc/self/stat").exists():
        return
    deadline = time.monotonic() + 60
    before = sum(_cpu_ticks(pid) for pid in pids)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = sum(_cpu_ticks(pid) for pid in pids)
        if now == before:
            return
        before = now


def bench_submissions(database_url: str, backend: str, *, server: str, processes: int = 1):  # type: ignore[no-untyped-def]
    """Rounds of 200 modal submissions from 50 concurrent users, the same requests taking turns
    between the bare-Bolt floor and `processes` bots on the same server (each round starts with
    both idle, the bots' previous round stored), so both are measured under the same conditions
    of this machine; every submission stored exactly once."""
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(users=users(50)) as emulator:
        _settings, engine = prepare(database_url, Path(tmp), units=50, people=50, per_unit=4)
        bots = [
            BotProcess(
                database_url,
                Path(tmp),
                emulator.base_url,
                log_name=f"bot{n}.log",
                UPPSIKT_HTTP_SERVER=server,
                UPPSIKT_SCHEDULER="on",
            )
            for n in range(processes)
        ]
        floors, floor_urls = _start_floors(server, processes, emulator.base_url)
        pids = [b.process.pid for b in bots] + [f.pid for f in floors]
        try:
            jobs = _submissions(engine)
            # Warm up: one save by each of the 50 people first, so the figures are the ack path
            # of people Uppsikt knows (the first contact, once per person ever, asks Slack who
            # they are and links the account). Each process has its own memory of who a chat
            # user is: each of them takes one save by each person.
            warm = _first_per_user(jobs)
            for n, bot in enumerate(bots):
                _fire([bot.url], _warm_up(warm, n + 1))
                _wait_drained(engine)
            # ... and what those saves show: each person's App Home, published again.
            emulator.wait_for("views.publish", count=len(warm) * processes, timeout=60)
            _fire(floor_urls, _warm_up(warm))
            rounds = _rounds(jobs)
            floor: list[float] = []
            latencies: list[float] = []
            failures = floor_failures = 0
            wall = stored_after = 0.0
            for n in range(ROUNDS):
                batch = rounds[n * len(jobs) : (n + 1) * len(jobs)]
                _wait_quiet(pids)
                taken, failed, _wall = _fire(floor_urls, batch)
                floor += taken
                floor_failures += failed
                _wait_quiet(pids)
                started = time.perf_counter()
                taken, failed, took = _fire([b.url for b in bots], batch)
                _wait_drained(engine)
                stored_after = max(stored_after, time.perf_counter() - started)
                latencies += taken
                failures += failed
                wall += took
            assert floor_failures == 0, "the floor failed requests"
            with session_scope(engine) as session:
                per_activity = dict(
                    session.exec(
                        select(StatusReport.activity_id, func.count())
                        .where(StatusReport.source == "slack")
                        .group_by(StatusReport.activity_id)
                    ).all()
                )
            # A warm-up save of each person's first activity per process, then the 200 in
            # every round.
            warmed = set(_activity_order(warm))
            expected = {
                a: ROUNDS + (processes if a in warmed else 0) for a in _activity_order(jobs)
            }
            once = per_activity == expected and failures == 0
            latencies.sort()
            floor.sort()
            f50, f95, f99 = _percentiles(floor)
            p50, p95, p99 = _percentiles(latencies)
            print(
                f"  floor      {server:8s} x{processes}: ack ms p50 {f50:5.1f} p95 {f95:5.1f} "
                f"p99 {f99:5.1f} max {floor[-1]:5.1f} (bare Bolt, the same requests, "
                "rounds taking turns with the line below)",
                flush=True,
            )
            met = p99 <= 2 * f99 and p99 < 100
            print(
                f"  {backend:10s} {server:8s} x{processes}: ack ms p50 {p50:5.1f} p95 {p95:5.1f} "
                f"p99 {p99:5.1f} max {latencies[-1]:5.1f}; p99 {p99 / f99:.2f} x the floor's "
                f"({'target met' if met else 'target NOT met'}: <= 2 x and < 100 ms); "
                f"{len(latencies)} acked in {wall:.2f} s, each round stored within "
                f"{stored_after:.2f} s, {'each exactly once' if once else 'NOT exactly once'}"
                + (f" ({failures} requests failed)" if failures else ""),
                flush=True,
            )
            return p50, p95, p99
        finally:
            for bot in bots:
                bot.stop()
            for process in floors:
                process.terminate()
                process.wait(timeout=10)


def _wait_drained(engine) -> None:  # type: ignore[no-untyped-def]
    """Until the bots have stored every journalled submission (at most a minute)."""
    from storage.models import SubmissionInbox

    for _ in range(1200):
        with session_scope(engine) as session:
            if session.exec(select(func.count()).select_from(SubmissionInbox)).one() == 0:
                return
        time.sleep(0.05)


def _first_per_user(jobs: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    seen: set[str] = set()
    first = []
    for job in jobs:
        if job["user"]["id"] not in seen:
            seen.add(job["user"]["id"])
            first.append(job)
    return first


def _rounds(jobs: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """ROUNDS times every submission, each round with a comment of its own (a version each)."""
    import copy

    out = []
    for n in range(ROUNDS):
        for job in copy.deepcopy(jobs):
            values = job["view"]["state"]["values"]
            values[ids.COMMENT_BLOCK][ids.COMMENT_INPUT]["value"] += f" (omgång {n + 1})"
            out.append(job)
    return out


def _warm_up(jobs: list[dict], n: int = 1) -> list[dict]:  # type: ignore[type-arg]
    """The same submissions with another comment: each is a version of its own."""
    import copy

    warm = copy.deepcopy(jobs)
    for job in warm:
        values = job["view"]["state"]["values"]
        values[ids.COMMENT_BLOCK][ids.COMMENT_INPUT]["value"] += f" (uppvärmning {n})"
    return warm


def _activity_order(jobs: list[dict]) -> list[int]:  # type: ignore[type-arg]
    return [int(j["view"]["private_metadata"].split(".")[0][1:]) for j in jobs]


def bench_round(database_url: str, backend: str) -> None:
    units, people = 500, 50
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(users=users(people)) as emulator:
        settings, engine = prepare(database_url, Path(tmp), units=units, people=people, per_unit=2)
        emulator.rate_limit("chat.postMessage", per_second=1.0, per="channel")
        emulator.inject_429("chat.postMessage", times=10, retry_after=1)
        slack_settings = load_settings(
            env={
                "DATABASE_URL": database_url,
                "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_API_URL": emulator.base_url,
            },
            dotenv_path="/x",
        )
        core = Core(settings=slack_settings, engine=engine)
        core.attach(
            SlackNotifier(
                make_client(slack_settings), settings=slack_settings, workspace="T0UPPSIKT"
            )
        )
        started = time.perf_counter()
        result = send_reminder_round(core, period=parse_period("2024-T2"), occasion="bench")
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
        again = send_reminder_round(core, period=parse_period("2024-T2"), occasion="bench")
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
    parser.add_argument("--skip-round", action="store_true", help="only the ack latency")
    args = parser.parse_args()
    created: list[str] = []

    def pg() -> str:
        import psycopg

        name = f"uppsikt_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return args.postgres.rsplit("/", 1)[0] + "/" + name

    with tempfile.TemporaryDirectory() as tmp:

        def sqlite() -> str:
            return f"sqlite:///{tmp}/{uuid.uuid4().hex}.db"

        try:
            print(
                "Modal submissions, 1000 (5 x 200) from 50 concurrent users (ack = HTTP response time):"
            )
            for server in ("waitress", "wsgiref"):
                bench_submissions(sqlite(), "sqlite", server=server)
                if args.postgres:
                    bench_submissions(pg(), "postgresql", server=server)
            if args.postgres:
                bench_submissions(pg(), "postgresql", server="waitress", processes=2)
            if not args.skip_round:
                bench_round(sqlite(), "sqlite")
                if args.postgres:
                    bench_round(pg(), "postgresql")
        finally:
            if created:
                import psycopg

                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    for name in created:
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
