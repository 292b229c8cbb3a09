"""Plan import, template, demo and escaping through the real `uppsikt` command."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from sqlmodel import select

from bot.config import load_settings
from storage.db import make_engine, session_scope
from storage.models import Activity, StatusReport
from tests.helpers import ON_POSTGRES, ON_SQLITE

HEADER = [
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
HOSTILE = "<script>alert('x')</script> <!channel> & <@U123> @here"


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _row(title: str, status: str = "", comment: str = "", end: str = "2024-06-30") -> list[str]:
    return [
        "1.1",
        "Sjukfrånvaron ska minska.",
        "Vuxna",
        "nej",
        title,
        "Syfte med åäö",
        "2024-01-01",
        end,
        "Kommunstyrelsens förvaltning > Stab; Kommunstyrelsens förvaltning > Utbildning > Musikskola",
        status,
        comment,
    ]


@ON_POSTGRES
def test_template_then_import_then_report(uppsikt, tmp_path: Path) -> None:
    template = tmp_path / "plan.xlsx"
    assert uppsikt("import", "template", str(template)).returncode == 0
    # The template's example row is dated this year: its plan is this year's.
    period = f"{date.today().year}-T1"
    first = uppsikt("import", "plan", str(template), "--period", period)
    assert first.returncode == 0, first.stderr
    assert "1 nya" in first.stdout
    again = uppsikt("import", "plan", str(template), "--period", period)
    assert again.returncode == 0 and "1 oförändrade" in again.stdout
    report = uppsikt("report", period, "--format", "json")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["summary"]["total"] == 1 and data["summary"]["missing"] == 1


@ON_SQLITE
def test_user_text_is_escaped_in_every_rendering(uppsikt, tmp_path: Path) -> None:
    plan = _write(
        tmp_path / "plan.csv", [_row(f"Titel {HOSTILE}", "Pågående med avvikelse", HOSTILE)]
    )
    result = uppsikt("import", "plan", str(plan), "--period", "2024-T2")
    assert result.returncode == 0, result.stderr
    html = uppsikt("report", "2024-T2", "--format", "html").stdout
    markdown = uppsikt("report", "2024-T2", "--format", "md").stdout
    data = json.loads(uppsikt("report", "2024-T2", "--format", "json").stdout)
    for rendered in (html, markdown):
        assert (
            "<script>" not in rendered
            and "<!channel>" not in rendered
            and "<@U123>" not in rendered
        )
        assert "&lt;script&gt;" in rendered and "&lt;!channel&gt;" in rendered
    assert data["sections"][0]["activities"][0]["comment"] == HOSTILE  # data stays data


@ON_POSTGRES
def test_bad_row_names_file_row_column_and_writes_nothing(
    uppsikt, database_url: str, tmp_path: Path
) -> None:
    good = _write(tmp_path / "good.csv", [_row("Första"), _row("Andra")])
    assert uppsikt("import", "plan", str(good)).returncode == 0
    bad = _write(
        tmp_path / "bad.csv",
        [_row("Första", end="2023-01-01"), _row("Tredje"), _row("Fjärde", status="Klar")],
    )
    refused = uppsikt("import", "plan", str(bad), "--period", "2024-T2")
    assert refused.returncode == 1
    assert "bad.csv:2" in refused.stderr and "Slutdatum" in refused.stderr
    assert "bad.csv:4" in refused.stderr and "Status" in refused.stderr
    engine = make_engine(
        load_settings(env={"DATABASE_URL": database_url}, dotenv_path="/x").database_url
    )
    with session_scope(engine) as session:
        titles = sorted(a.title for a in session.exec(select(Activity)).all())
        assert titles == ["Andra", "Första"]
        assert session.exec(select(StatusReport)).all() == []


@ON_SQLITE
def test_demo_builds_database_and_every_format(uppsikt, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = uppsikt("demo", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "uppsikt-demo.db").exists()
    for fmt in ("html", "md", "json"):
        path = target / f"uppsiktsrapport-2024-T1.{fmt}"
        assert str(path.resolve()) in result.stdout
        assert path.stat().st_size > 10_000
    data = json.loads((target / "uppsiktsrapport-2024-T1.json").read_text("utf-8"))
    assert sum(len(s["activities"]) for s in data["sections"]) == 79
    # Running it again rebuilds from scratch rather than piling up versions.
    assert uppsikt("demo", str(target)).returncode == 0


@ON_SQLITE
def test_run_without_slack_settings_says_what_is_missing(uppsikt) -> None:
    result = uppsikt("run")
    assert result.returncode == 1
    assert "SLACK_BOT_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    bad = uppsikt("run", extra_env={"SLACK_BOT_TOKEN": "xoxp-user-token"})
    assert bad.returncode == 2 and "xoxb-" in bad.stderr and "xoxp-user-token" not in bad.stderr
