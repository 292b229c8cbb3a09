"""The seed report through the real `uppsikt` command, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlmodel import select

from bot.config import load_settings
from storage.db import make_engine, session_scope
from storage.models import Activity, Goal, GoalArea, ImportNote, Period, StatusReport
from storage.queries import activity_unit_paths, current_reports
from tests.helpers import ON_POSTGRES, ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "bot" / "data" / "seed_2024_T1.txt"
EXPECTED = json.loads(
    (ROOT / "tests" / "fixtures" / "seed_2024_T1_expected.json").read_text("utf-8")
)


def _engine(database_url: str):  # type: ignore[no-untyped-def]
    return make_engine(
        load_settings(env={"DATABASE_URL": database_url}, dotenv_path="/none").database_url
    )


def test_import_seed_gets_every_activity_right(uppsikt, database_url: str) -> None:
    result = uppsikt("import", "report", str(SEED), "--period", "2024-T1")
    assert result.returncode == 0, result.stderr
    assert "79 nya" in result.stdout
    assert (
        "Resursbrist inom området" in result.stderr
    )  # the unplaced text is announced, not dropped

    engine = _engine(database_url)
    with session_scope(engine) as session:
        period = session.exec(select(Period)).one()
        assert (period.year, period.tertial, period.state) == (2024, 1, "closed")
        goals = {g.id: g for g in session.exec(select(Goal)).all()}
        areas = {a.id: a.name for a in session.exec(select(GoalArea)).all()}
        # Document order: goals by number, activities by their position within the goal.
        activities = sorted(
            session.exec(select(Activity)).all(),
            key=lambda a: (
                tuple(int(p) for p in (goals[a.goal_id].number or "0").split(".")),
                a.position,
            ),
        )
        paths = activity_unit_paths(session, activity_ids=[a.id for a in activities])
        reports = current_reports(session, period_id=period.id)
        notes = session.exec(select(ImportNote)).all()

        assert sorted(areas.values()) == sorted(EXPECTED["goal_areas"])
        expected_goals = {g["text"]: g for g in EXPECTED["goals"]}
        assert len(goals) == len(expected_goals) == 20
        for goal in goals.values():
            want = expected_goals[goal.text]
            assert goal.number == want["number"]
            assert areas.get(goal.area_id) == want["area"]
            assert goal.is_council_finance_goal == want["is_council_finance_goal"]

        assert len(activities) == len(EXPECTED["activities"]) == 79
        for activity, want in zip(activities, EXPECTED["activities"], strict=True):
            where = f"{want['goal']} {want['title']!r}"
            assert goals[activity.goal_id].number == want["goal"], where
            assert activity.title == want["title"], where
            assert paths[activity.id] == want["units"], where
            assert str(activity.start) == want["start"], where
            assert str(activity.end) == want["end"], where
            assert activity.purpose.startswith(want["purpose_starts"]), where
            report = reports[activity.id]
            assert report.status == want["status"], where
            assert report.comment.startswith(want["comment_starts"]), where
            assert report.comment.endswith(want["comment_ends"]), where
            for furniture in ("Sida ", "Verksamhetens aktiviteter", "Uppsiktsrapport till"):
                assert furniture not in report.comment and furniture not in activity.purpose, where

        assert [(goals[n.goal_id].number, n.text) for n in notes] == [
            (u["goal"], u["text"]) for u in EXPECTED["unplaced"]
        ]


@ON_POSTGRES
def test_reimport_changes_nothing(uppsikt, database_url: str) -> None:
    assert uppsikt("import", "report", str(SEED), "--period", "2024-T1").returncode == 0
    engine = _engine(database_url)
    with session_scope(engine) as session:
        before = len(session.exec(select(StatusReport)).all())
    again = uppsikt("import", "report", str(SEED), "--period", "2024-T1")
    assert again.returncode == 0, again.stderr
    assert "0 nya och 0 ändrade aktiviteter (79 oförändrade), 0 statusrapporter" in again.stdout
    with session_scope(engine) as session:
        assert len(session.exec(select(StatusReport)).all()) == before == 79
        assert len(session.exec(select(ImportNote)).all()) == 1


@ON_POSTGRES
def test_report_json_matches_the_data_and_md_html_have_the_seed_structure(
    uppsikt, tmp_path: Path
) -> None:
    assert uppsikt("import", "report", str(SEED), "--period", "2024-T1").returncode == 0
    out = uppsikt("report", "2024-T1", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [s["number"] for s in data["sections"]] == [f"1.{n}" for n in range(1, 21)]
    titles = [a["title"] for s in data["sections"] for a in s["activities"]]
    assert titles == [a["title"] for a in EXPECTED["activities"]]
    counts = {c["status"]: c["count"] for c in data["summary"]["counts"]}
    expected_counts: dict[str, int] = {}
    for activity in EXPECTED["activities"]:
        expected_counts[activity["status"]] = expected_counts.get(activity["status"], 0) + 1
    assert {k: v for k, v in counts.items() if v} == expected_counts
    assert data["summary"]["missing"] == 0
    # The note is for admins: outside the committee's content.
    assert [n["text"] for n in data["admin"]["import_notes"]] == [EXPECTED["unplaced"][0]["text"]]

    html_file = tmp_path / "r.html"
    written = uppsikt("report", "2024-T1", "--format", "html", "-o", str(html_file))
    assert written.returncode == 0, written.stderr
    html = html_file.read_text("utf-8")
    markdown = uppsikt("report", "2024-T1", "--format", "md").stdout
    for text in (html, markdown):
        # The seed's order: intro, goal sections 1.1..1.20, 1.21, 1.22, then chapter 2.
        order = [
            "Sammanfattning",
            "Redovisning av arbete för de politiska målen",
            "Införa hälsosamma scheman",
            "Bygga fiber Åse",
            "Rapportering och uppföljning",
            "Avgränsning",
            "Kommunstyrelsens mål",
            "Mål inom målområde Barn och Unga",
            "Verksamhetsmål för god ekonomisk hushållning",
        ]
        position = 0
        for marker in order:
            found = text.find(marker, position)
            assert found >= 0, f"{marker!r} missing or out of order"
            position = found
        assert (
            "Påbörja ombyggnation i Ånge tätort på stråket mellan resecentrum och det nya " in text
        )
    assert html.count("<html") == 1
    # Self-contained: nothing is loaded from elsewhere (the SVG namespace is only a name).
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:|@import""", html)


@ON_SQLITE
def test_export_every_format(uppsikt, tmp_path: Path) -> None:
    assert uppsikt("import", "report", str(SEED), "--period", "2024-T1").returncode == 0
    for suffix in ("csv", "xlsx", "json"):
        target = tmp_path / f"export.{suffix}"
        result = uppsikt("export", "--period", "2024-T1", "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert "79" in result.stdout
        assert target.stat().st_size > 1000
    rows = json.loads((tmp_path / "export.json").read_text("utf-8"))
    assert len(rows) == 79
    assert {r["status_label"] for r in rows} >= {"Vänteläge", "Pågående med avvikelse"}


@ON_SQLITE
def test_english_labels(uppsikt) -> None:
    assert uppsikt("import", "report", str(SEED), "--period", "2024-T1").returncode == 0
    out = uppsikt("report", "2024-T1", "--format", "md", language="en")
    assert out.returncode == 0, out.stderr
    assert "In progress, on track" in out.stdout and "On hold" in out.stdout
    assert "Pågående enligt plan" not in out.stdout


@ON_POSTGRES
def test_clear_errors_and_nothing_written(uppsikt, database_url: str, tmp_path: Path) -> None:
    unknown = uppsikt("report", "2031-T2", "--format", "md")
    assert unknown.returncode == 1
    assert "2031-T2" in unknown.stderr and "finns inte" in unknown.stderr
    bad_period = uppsikt("report", "2024-T7")
    assert bad_period.returncode == 2 and "ÅÅÅÅ-T1" in bad_period.stderr
    missing = uppsikt("import", "report", str(tmp_path / "nope.txt"), "--period", "2024-T1")
    assert missing.returncode == 1 and "nope.txt" in missing.stderr
    not_a_report = tmp_path / "notes.txt"
    not_a_report.write_text("Hej\n\nDet här är ingen rapport.\n", encoding="utf-8")
    refused = uppsikt("import", "report", str(not_a_report), "--period", "2024-T1")
    assert refused.returncode == 1 and "inga aktiviteter hittades" in refused.stderr
    with session_scope(_engine(database_url)) as session:
        assert session.exec(select(Period)).all() == []
        assert session.exec(select(Activity)).all() == []
    bad_env = uppsikt("report", "2024-T1", extra_env={"UPPSIKT_LANGUAGE": "fi"})
    assert bad_env.returncode == 2 and "UPPSIKT_LANGUAGE" in bad_env.stderr


@ON_SQLITE
def test_db_upgrade_command(uppsikt) -> None:
    first = uppsikt("db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert "uppgraderad" in first.stdout
    second = uppsikt("db", "upgrade")
    assert second.returncode == 0 and "redan" in second.stdout
