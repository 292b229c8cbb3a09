"""The one-command demo: the bundled seed report in a local SQLite database, compiled."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.services.report_import import import_report
from bot.services.reporting import render_period
from storage.db import ensure_schema, make_engine

DEMO_PERIOD = "2024-T1"


@dataclass
class DemoOutcome:
    database: Path
    period: str
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def seed_report_path() -> Path:
    """The seed report shipped as package data (Ånge kommun, 2024 T1)."""
    return Path(str(resources.files("bot") / "data" / "seed_2024_T1.txt"))


def build_demo(directory: Path, *, settings: Settings) -> DemoOutcome:
    """Build a fresh demo database in a directory and write the report in every format there."""
    database = directory.resolve() / "uppsikt-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    ensure_schema(engine)
    period = parse_period(DEMO_PERIOD)
    result = import_report(engine, path=seed_report_path(), period=period, settings=settings)
    outcome = DemoOutcome(database=database, period=DEMO_PERIOD)
    outcome.warnings = [w.format(settings.language) for w in result.warnings]
    for fmt in ("html", "md", "json"):
        target = directory / f"uppsiktsrapport-{DEMO_PERIOD}.{fmt}"
        target.write_text(
            render_period(engine, period=period, fmt=fmt, settings=settings), encoding="utf-8"
        )
        outcome.files.append(target.resolve())
    engine.dispose()
    return outcome
