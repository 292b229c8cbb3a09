"""Benchmark: import a generated municipality of 5,000 activities in 500 units, compile HTML.

Targets (issue 2): import under 10 s, HTML compile under 2 s on the project's 2-core machine.

    python bench/report.py                     # SQLite file in a temporary directory
    python bench/report.py --postgres URL      # also against PostgreSQL (a throwaway database)
    python bench/report.py --activities 500    # a smaller run
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import load_settings  # noqa: E402
from bot.domain.periods import parse_period  # noqa: E402
from bot.domain.status import LABELS, Status  # noqa: E402
from bot.services.plan_import import import_plan  # noqa: E402
from bot.services.reporting import render_period  # noqa: E402
from storage.db import ensure_schema, make_engine  # noqa: E402

AREAS = ["Barn och Unga", "Vuxna", "Äldre +65", "Tillväxt"]
DEPARTMENTS = ["Social verksamhet", "Utbildning", "Samhällsbyggnad", "Stab", "Ekonomi"]
WORDS = (
    "arbete pågår enligt plan med planering uppföljning dialog medarbetare verksamheten "
    "utbildning kommunen föreningar samverkan resurser lokaler budget genomförd försenad"
).split()


def generate_plan(path: Path, *, activities: int, units: int, seed: int = 1) -> None:
    """Write a plan CSV: goals in four areas plus the finance goal, statuses and comments."""
    rng = random.Random(seed)
    unit_paths = [
        f"Kommunstyrelsens förvaltning > {DEPARTMENTS[i % len(DEPARTMENTS)]} > Enhet {i + 1:03d}"
        for i in range(units)
    ]
    goals = [
        (f"1.{n + 1}", f"Mål nummer {n + 1} för året ska nås.", AREAS[n % 4]) for n in range(24)
    ]
    statuses = list(Status)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Mål nr",
                "Mål",
                "Målområde",
                "God ekonomisk hushållning",
                "Aktivitet",
                "Syfte",
                "Startdatum",
                "Slutdatum",
                "Ansvariga enheter",
                "Status",
                "Kommentar",
            ]
        )
        for i in range(activities):
            number, text, area = goals[i % len(goals)]
            finance = i % len(goals) == 0
            chosen = rng.sample(unit_paths, k=rng.choice([1, 1, 1, 2, 3]))
            status = rng.choice(statuses) if rng.random() < 0.9 else None
            comment = " ".join(rng.choices(WORDS, k=rng.randint(10, 60))).capitalize() + "."
            writer.writerow(
                [
                    number,
                    text,
                    "" if finance else area,
                    "ja" if finance else "nej",
                    f"Aktivitet {i + 1}: " + " ".join(rng.choices(WORDS, k=6)),
                    " ".join(rng.choices(WORDS, k=25)).capitalize() + ".",
                    f"2024-{rng.randint(1, 6):02d}-01",
                    f"2024-{rng.randint(7, 12):02d}-28",
                    "; ".join(chosen),
                    LABELS["sv"][status] if status else "",
                    comment if status else "",
                ]
            )


def run(database_url: str, plan: Path, *, repeats: int) -> dict[str, float]:
    """Import the plan into an empty database and compile HTML `repeats` times."""
    settings = load_settings(env={"DATABASE_URL": database_url}, dotenv_path="/nonexistent")
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    period = parse_period("2024-T1")
    started = time.perf_counter()
    import_plan(engine, path=plan, period=period, settings=settings)
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    import_plan(engine, path=plan, period=period, settings=settings)
    reimport_seconds = time.perf_counter() - started
    compile_times = []
    html = ""
    for _ in range(repeats):
        started = time.perf_counter()
        html = render_period(engine, period=period, fmt="html", settings=settings)
        compile_times.append(time.perf_counter() - started)
    engine.dispose()
    return {
        "import_s": import_seconds,
        "reimport_unchanged_s": reimport_seconds,
        "compile_html_median_s": statistics.median(compile_times),
        "compile_html_max_s": max(compile_times),
        "html_mb": len(html.encode("utf-8")) / 1e6,
    }


def _postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"uppsikt_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def _drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="admin URL, e.g. postgresql://postgres@127.0.0.1:5432/test",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.csv"
        generate_plan(plan, activities=args.activities, units=args.units)
        print(
            f"generated: {args.activities} activities in {args.units} units ({plan.stat().st_size / 1e6:.1f} MB CSV)"
        )
        targets = [("sqlite", f"sqlite:///{tmp}/bench.db")]
        for backend, url in targets:
            _print(backend, run(url, plan, repeats=args.repeats))
        if args.postgres:
            name, url = _postgres_database(args.postgres)
            try:
                _print("postgresql", run(url, plan, repeats=args.repeats))
            finally:
                _drop(args.postgres, name)


def _print(backend: str, figures: dict[str, float]) -> None:
    print(
        f"{backend:10s} import {figures['import_s']:.2f} s (target < 10 s), "
        f"re-import unchanged {figures['reimport_unchanged_s']:.2f} s, "
        f"compile HTML median {figures['compile_html_median_s']:.2f} s / max "
        f"{figures['compile_html_max_s']:.2f} s (target < 2 s), HTML {figures['html_mb']:.1f} MB"
    )


if __name__ == "__main__":
    main()
