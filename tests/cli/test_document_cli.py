"""`uppsikt report PERIOD --format pdf|docx` through the real command."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from bot import cli

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
ROWS = [
    [
        "1.1",
        "Sjukfrånvaron ska minska.",
        "",
        "ja",
        "Hälsosamma scheman i äldreomsorgen",
        "Färre långpass.",
        "2024-01-01",
        "2024-04-30",
        "Kommunstyrelsens förvaltning > Social verksamhet",
        "Pågående enligt plan",
        "Införda på två av tre enheter.",
    ],
    [
        "1.2",
        "Öka antalet bostäder.",
        "Tillväxt",
        "nej",
        "Detaljplan för Ånge centrum",
        "",
        "2024-02-01",
        "2024-12-31",
        "Kommunstyrelsens förvaltning > Samhällsbyggnad",
        "Vänteläge",
        "Avvaktar <!channel> beslut.",
    ],
]


def _command() -> list[str]:
    script = Path(sys.executable).parent / "uppsikt"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _run(
    *args: str,
    database_url: str,
    cwd: Path,
    municipality: str | None = "Ånge kommun",
    language: str = "sv",
) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPPSIKT_", "DATABASE_URL"))}
    env.update(DATABASE_URL=database_url, UPPSIKT_LANGUAGE=language)
    if municipality is not None:
        env["UPPSIKT_MUNICIPALITY"] = municipality
    return subprocess.run([*_command(), *args], cwd=cwd, env=env, capture_output=True, timeout=120)


def test_pdf_to_a_file_and_docx_to_a_pipe(sqlite_url: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    with plan.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    imported = _run(
        "import", "plan", str(plan), "--period", "2024-T1", database_url=sqlite_url, cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr.decode()

    target = tmp_path / "rapport.pdf"
    written = _run(
        "report",
        "2024-T1",
        "--format",
        "pdf",
        "-o",
        str(target),
        database_url=sqlite_url,
        cwd=tmp_path,
    )
    assert written.returncode == 0, written.stderr.decode()
    assert f"Skrev {target}" in written.stderr.decode()
    reader = PdfReader(BytesIO(target.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ånge kommun" in text and "Detaljplan för Ånge centrum" in text
    assert "Avvaktar <!channel> beslut." in text
    assert f"Sida {len(reader.pages)} av {len(reader.pages)}" in text

    piped = _run("report", "2024-T1", "--format", "docx", database_url=sqlite_url, cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr.decode()
    document = docx.Document(BytesIO(piped.stdout))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "1.2 Öka antalet bostäder." in headings


def test_binary_format_refuses_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("UPPSIKT_LANGUAGE", "sv")
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.main(["report", "2024-T1", "--format", "pdf"]) == 1
    assert "pdf är ett binärt format: ange -o FIL" in capsys.readouterr().err


def test_report_says_when_the_municipality_is_not_set(sqlite_url: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    with plan.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    imported = _run(
        "import", "plan", str(plan), "--period", "2024-T1", database_url=sqlite_url, cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr.decode()
    note = "Obs: UPPSIKT_MUNICIPALITY är inte satt, så rapporten visar inget kommunnamn."

    unset = _run(
        "report",
        "2024-T1",
        "--format",
        "md",
        database_url=sqlite_url,
        cwd=tmp_path,
        municipality=None,
    )
    assert unset.returncode == 0, unset.stderr.decode()
    assert unset.stderr.decode().splitlines() == [note]
    assert unset.stdout.decode().startswith("# Uppsiktsrapport till kommunstyrelsen\n")

    english = _run(
        "report",
        "2024-T1",
        "--format",
        "md",
        database_url=sqlite_url,
        cwd=tmp_path,
        municipality=None,
        language="en",
    )
    assert english.stderr.decode().splitlines() == [
        "Note: UPPSIKT_MUNICIPALITY is not set, so the report shows no municipality name."
    ]

    named = _run("report", "2024-T1", "--format", "md", database_url=sqlite_url, cwd=tmp_path)
    assert named.returncode == 0 and named.stderr.decode() == ""
    assert "Ånge kommun" in named.stdout.decode()


@pytest.fixture
def planned(sqlite_url: str, tmp_path: Path) -> str:
    """A database with the two-activity plan imported for 2024-T1."""
    plan = tmp_path / "plan.csv"
    with plan.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    imported = _run(
        "import", "plan", str(plan), "--period", "2024-T1", database_url=sqlite_url, cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr.decode()
    return sqlite_url


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("rapport.pdf", b"%PDF-"),
        ("rapport.docx", b"PK\x03\x04"),
        ("rapport.md", b"# Uppsiktsrapport"),
        ("rapport.htm", b"<!DOCTYPE html>"),
        ("RAPPORT.HTML", b"<!DOCTYPE html>"),
        ("rapport.json", b"{"),
    ],
)
def test_the_format_follows_the_file_extension(
    planned: str, tmp_path: Path, name: str, starts: bytes
) -> None:
    target = tmp_path / name
    written = _run("report", "2024-T1", "-o", str(target), database_url=planned, cwd=tmp_path)
    assert written.returncode == 0, written.stderr.decode()
    assert f"Skrev {target}" in written.stderr.decode()
    assert target.read_bytes().startswith(starts)


@pytest.mark.parametrize(
    ("args", "language", "message"),
    [
        (
            ["--format", "md", "-o", "x.pdf"],
            "sv",
            "Fel: --format md passar inte filen x.pdf: filändelsen .pdf är formatet pdf. "
            "Ändra --format eller filnamnet.",
        ),
        (
            ["--format", "html", "-o", "x.docx"],
            "en",
            "Error: --format html does not fit the file x.docx: the extension .docx is the docx "
            "format. Change --format or the file name.",
        ),
        (
            ["-o", "x.txt"],
            "sv",
            "Fel: Vet inte vilket format x.txt ska få: filändelsen .txt är okänd. Ange --format "
            "(md, html, json, pdf eller docx) eller en fil som slutar på "
            ".md, .html, .htm, .json, .pdf, .docx.",
        ),
        (
            ["-o", "rapport"],
            "en",
            'Error: Cannot tell which format rapport should have: the extension "" is unknown.',
        ),
    ],
)
def test_a_format_that_does_not_fit_the_file_is_refused(
    planned: str, tmp_path: Path, args: list[str], language: str, message: str
) -> None:
    refused = _run(
        "report", "2024-T1", *args, database_url=planned, cwd=tmp_path, language=language
    )
    assert refused.returncode == 2
    assert refused.stderr.decode().startswith(message)
    assert len(refused.stderr.decode().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "uppsikt.db"]


def test_an_explicit_format_may_name_a_file_of_any_other_extension(
    planned: str, tmp_path: Path
) -> None:
    target = tmp_path / "rapport.txt"
    written = _run(
        "report", "2024-T1", "--format", "md", "-o", str(target), database_url=planned, cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr.decode()
    assert target.read_text(encoding="utf-8").startswith("# Uppsiktsrapport")
    # Without -o the default stays HTML on standard output.
    default = _run("report", "2024-T1", database_url=planned, cwd=tmp_path)
    assert default.returncode == 0 and default.stdout.startswith(b"<!DOCTYPE html>")
