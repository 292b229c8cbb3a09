"""The public record at the command line: published versions listed and given back byte for
byte, the committee's decision recorded, and the audit trail printed."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from bot.services.publishing import publish_report, version_file
from tests.scenario.support import base_env, uppsikt_command
from tests.services.core.conftest import SAMHALLSBYGGNAD, T2, World

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _run(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*uppsikt_command(), *args],
        env=base_env(world.core.settings.database_url),
        cwd=world.tmp,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_versions_are_listed_and_given_back_exactly(world: World, tmp_path: Path) -> None:
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    publish_report(world.core, who=world.user("U0SARA"), period=T2, include_docx=True)
    stored = version_file(world.core, period=T2, version=1, fmt="pdf")
    listing = _run(world, "report", "versions", "2024-T2")
    assert listing.returncode == 0, listing.stderr
    assert hashlib.sha256(stored).hexdigest() in listing.stdout and "version 1" in listing.stdout
    for fmt in ("pdf", "docx", "json"):
        target = tmp_path / f"v1.{fmt}"
        done = _run(world, "report", "2024-T2", "--version", "1", "-o", str(target))
        assert done.returncode == 0, done.stderr
        assert target.read_bytes() == version_file(world.core, period=T2, version=1, fmt=fmt)
    missing = _run(world, "report", "2024-T2", "--version", "7", "-o", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1 and "ingen publicerad version 7" in missing.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_decision_at_the_command_line_and_the_audit_trail(world: World) -> None:
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    publish_report(world.core, who=world.user("U0SARA"), period=T2)
    activity = world.activity_of(SAMHALLSBYGGNAD)
    unknown = _run(world, "decision", "2024-T2", "return", "--activity", "Finns inte",
                   "--activity-reason", "x", "--deadline", "2027-01-15 16:00", "--force")  # fmt: skip
    assert unknown.returncode == 2 and "Ingen aktivitet heter" in unknown.stderr
    done = _run(world, "decision", "2024-T2", "return", "--activity", str(activity),
                "--activity-reason", "Komplettera", "--deadline", "2027-01-15 16:00", "--force")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "återremitterade" in done.stdout
    again = _run(world, "decision", "2024-T2", "approve")
    assert again.returncode == 1 and "redan fattat beslut" in again.stderr
    trail = _run(world, "audit", "2024-T2")
    assert trail.returncode == 0
    for action in ("period_open", "published", "decision_returned"):
        assert action in trail.stdout
