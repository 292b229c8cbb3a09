"""The import and export commands as a new user meets them: templates, refusals, exit codes.

Exit status: 0 done, 1 refused (one message listing every problem, nothing written), 2 a usage
error. Before: `import template x.txt` was a traceback, and a template overwrote a file.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import ON_POSTGRES, ON_SQLITE
from tests.importers.support import SEED

THIS_YEAR = date.today().year


@ON_SQLITE
def test_template_refuses_to_overwrite_without_force(uppsikt, tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    assert uppsikt("import", "template", str(target)).returncode == 0
    target.write_bytes(b"my own plan")
    again = uppsikt("import", "template", str(target))
    assert again.returncode == 1
    assert "filen finns redan" in again.stderr and "--force" in again.stderr
    assert target.read_bytes() == b"my own plan"
    forced = uppsikt("import", "template", str(target), "--force")
    assert forced.returncode == 0 and target.read_bytes()[:2] == b"PK"


@ON_SQLITE
def test_template_of_an_unknown_type_is_a_usage_error(uppsikt, tmp_path: Path) -> None:
    result = uppsikt("import", "template", str(tmp_path / "plan.txt"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "okänd filtyp '.txt' för importmallen; använd .xlsx eller .csv" in result.stderr
    assert list(tmp_path.glob("plan*")) == []


@pytest.mark.parametrize(
    ("language", "people", "areas"),
    [
        ("sv", "plan-personer.csv", "plan-malomraden.csv"),
        ("en", "plan-people.csv", "plan-goal-areas.csv"),
    ],
)
@ON_SQLITE
def test_csv_template_writes_three_files_that_import_together(
    uppsikt, tmp_path: Path, language: str, people: str, areas: str
) -> None:
    written = uppsikt("import", "template", str(tmp_path / "plan.csv"), language=language)
    assert written.returncode == 0, written.stderr
    for name in ("plan.csv", people, areas):
        assert (tmp_path / name).is_file() and name in written.stdout
    refused = uppsikt("import", "template", str(tmp_path / "plan.csv"), language=language)
    assert refused.returncode == 1 and people in refused.stderr  # every existing file named
    imported = uppsikt(
        "import",
        "plan",
        str(tmp_path / "plan.csv"),
        "--people",
        str(tmp_path / people),
        "--areas",
        str(tmp_path / areas),
        language=language,
    )
    assert imported.returncode == 0, imported.stderr
    assert ("1 nya roller" if language == "sv" else "1 new roles") in imported.stdout
    assert str(THIS_YEAR) in imported.stdout.splitlines()[0]


@ON_POSTGRES
def test_a_refused_plan_lists_every_problem_once_and_exits_1(uppsikt, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Mål nr,Mål,Målområde,Aktivitet,Startdatum,Slutdatum,Ansvariga enheter,Status\n"
        "1.1,Mål,Vuxna,A,2024-01-01,2024-13-01,KSF,\n"
        "1.1,Mål,Vuxna,B,2024-01-01,2024-02-01,KSF,Klar\n",
        encoding="utf-8",
    )
    for language, header in (
        ("sv", "Fel: Planen importerades inte, ingenting sparades (3 fel):"),
        ("en", "Error: The plan was not imported, nothing was saved (3 errors):"),
    ):
        result = uppsikt("import", "plan", str(plan), language=language)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert lines[0] == header and len(lines) == 4, result.stderr
        assert result.stdout == ""


@ON_SQLITE
def test_contradicting_options_are_usage_errors(uppsikt, tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    assert uppsikt("import", "template", str(plan)).returncode == 0
    both = uppsikt("import", "plan", str(plan), "--year", "2023", "--period", "2024-T1")
    assert both.returncode == 2 and "--year 2023 och --period 2024-T1 motsäger" in both.stderr
    bad_export = uppsikt("export", "--period", "2024-T1", "-o", str(tmp_path / "x.ods"))
    assert bad_export.returncode == 2 and "använd .csv .xlsx .json" in bad_export.stderr
    missing = uppsikt("export", "--period", "2024-T1", "-o", str(tmp_path / "x.csv"))
    assert missing.returncode == 1 and "perioden 2024-T1 finns inte" in missing.stderr


@ON_POSTGRES
def test_a_period_the_plan_import_creates_says_its_deadline(uppsikt, tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    assert uppsikt("import", "template", str(plan)).returncode == 0
    past = uppsikt("import", "plan", str(plan), "--period", f"{THIS_YEAR}-T1")
    assert past.returncode == 0, past.stderr
    assert (
        f"Perioden {THIS_YEAR}-T1 skapades stängd, eftersom dess deadline {THIS_YEAR}-04-30 16:00 "
        "(Europe/Stockholm) redan har passerats" in past.stdout
    )
    future = uppsikt(
        "import", "plan", str(plan), "--period", f"{THIS_YEAR + 1}-T3", "--year", str(THIS_YEAR + 1)
    )
    # The template's dates are this year's: next year's period contradicts them.
    assert future.returncode == 1 and "som --year anger" in future.stderr


@ON_POSTGRES
def test_damaged_files_through_the_command_exit_1_naming_the_file(uppsikt, tmp_path: Path) -> None:
    rnd = random.Random(11)
    template = tmp_path / "plan.xlsx"
    assert uppsikt("import", "template", str(template)).returncode == 0
    data = template.read_bytes()
    cases = {
        "trasig.xlsx": ("plan", data[: len(data) // 2]),
        "skräp.pdf": ("report", b"%PDF-1.7\n" + bytes(rnd.randrange(256) for _ in range(3000))),
        "binär.txt": ("report", bytes(rnd.randrange(256) for _ in range(3000))),
        "dubbel.txt": ("report", SEED.read_bytes() + b"\n" + SEED.read_bytes()),
    }
    for name, (kind, content) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        extra = ["--period", "2024-T1"]
        result = uppsikt("import", kind, str(path), *extra)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and name in result.stderr, result.stderr


@ON_SQLITE
def test_a_utf16_report_imports(uppsikt, tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    path.write_bytes(SEED.read_text("utf-8").encode("utf-16"))
    result = uppsikt("import", "report", str(path), "--period", "2024-T1", language="en")
    assert result.returncode == 0, result.stderr
    assert "79 new and 0 changed activities" in result.stdout
    assert "Warning: rapport.txt:1419: text in goal 1.18" in result.stderr
