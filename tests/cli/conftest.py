"""Fixtures to run the real `uppsikt` command as a new user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def uppsikt_command() -> list[str]:
    """The installed console script next to this interpreter, else the module."""
    script = Path(sys.executable).parent / "uppsikt"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def run_uppsikt(
    *args: str, database_url: str, cwd: Path, language: str = "sv", extra_env: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `uppsikt ARGS` in a clean environment against a database; never raises on failure."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPPSIKT_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": database_url, "UPPSIKT_LANGUAGE": language})
    env.update(extra_env or {})
    return subprocess.run(
        [*uppsikt_command(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def uppsikt(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Call `uppsikt(...)` to run the command against this test's database in tmp_path."""

    def call(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
        return run_uppsikt(*args, database_url=database_url, cwd=tmp_path, **kwargs)

    return call


from tests.services.core.conftest import world  # noqa: E402,F401  (the seeded world, for test_record_cli)
