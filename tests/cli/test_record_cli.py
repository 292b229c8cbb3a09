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
    # No chat connection here: the running bot's sweep tells the channel and the reporters.
    assert "vid nästa genomgång av påminnelserna" in done.stdout
    listed = _run(world, "period", "list")
    assert listed.returncode == 0, listed.stderr
    assert "2024-T2" in listed.stdout and "återremitterad" in listed.stdout
    again = _run(world, "decision", "2024-T2", "approve")
    assert again.returncode == 1 and "redan fattat beslut" in again.stderr
    trail = _run(world, "audit", "2024-T2")
    assert trail.returncode == 0
    for action in ("period_open", "published", "decision_returned"):
        assert action in trail.stdout


def test_substitutes_at_the_command_line_and_the_trail_outside_the_periods(world: World) -> None:
    from datetime import date, timedelta

    today = date.today()
    starts, ends = f"{today}", f"{today + timedelta(days=14)}"
    assert "role_added" in _run(world, "audit").stdout  # the imported people's roles
    added = _run(world, "substitute", "add", "--for", "anna@ange.se", "--by", "bengt@ange.se",
                 "--from", starts, "--to", ends)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Bengt Berg" in added.stdout and "Anna Andersson" in added.stdout
    number = added.stdout.split(":", 1)[0].split()[-1]
    listed = _run(world, "substitute", "list")
    assert f"{starts} – {ends}" in listed.stdout and "Bengt Berg → Anna Andersson" in listed.stdout
    unknown = _run(world, "substitute", "add", "--for", "anna@ange.se", "--by", "ingen@ange.se",
                   "--from", starts, "--to", ends)  # fmt: skip
    assert unknown.returncode == 1 and "ingen@ange.se" in unknown.stderr
    past = _run(world, "substitute", "add", "--for", "anna@ange.se", "--by", "bengt@ange.se",
                "--from", "2020-01-01", "--to", "2020-01-05")  # fmt: skip
    assert past.returncode == 1
    ended = _run(world, "substitute", "end", number)
    assert ended.returncode == 0, ended.stderr
    assert "Inga ersättare" in _run(world, "substitute", "list").stdout
    trail = _run(world, "audit").stdout
    assert "substitute " in trail and "substitute_revoked" in trail
    assert "substitute" not in _run(world, "audit", "2024-T2").stdout
