"""Text the report importer is not sure of is refused, naming the lines, and nothing is stored.

Found by testing as a municipality would: the seed with one page pasted again imported with
exit 0 (phantom activities, a comment moved, a status erased), and the whole document twice
gave 79 activities under "1.22 Avgränsning".
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.importers.issues import ReportFileError
from bot.importers.report import parse_report_text
from bot.services.report_import import import_report
from tests.importers.support import MINI, snapshot

PERIOD = parse_period("2024-T1")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _page_starts(lines: list[str]) -> list[int]:
    """Where the seed's pages begin: the repeated table header printed at a page's top."""
    return [i for i, line in enumerate(lines) if line.startswith(" Verksamhetens aktiviteter")]


def _doubts(text: str) -> list[str]:
    return [d.format("en") for d in parse_report_text(text, source="r.txt").doubts]


def test_the_seed_has_no_doubts(seed_text: str) -> None:
    report = parse_report_text(seed_text, source="seed.txt")
    assert report.doubts == []
    assert len(report.activities) == 79
    assert [(w.row, w.key) for w in report.warnings] == [(1419, "report_unplaced")]


def test_a_page_pasted_again_is_refused_naming_both_copies(seed_text: str) -> None:
    lines = _lines(seed_text)
    starts = _page_starts(lines)
    first, end = starts[0], starts[1]  # the page of 1.1's last comment and 1.2
    pasted = lines[:end] + lines[first:end] + lines[end:]

    doubts = _doubts("\n".join(pasted))

    # The seed's page of lines 76-152 (its content from line 78), again as lines 153-229.
    assert (first, end) == (75, 152)
    assert (
        "r.txt:155: lines 155-229 repeat lines 78-152 (from 'Dialog pågår med medarbetare för "
        "finjustering.'); a page or a section is there twice"
    ) in doubts
    # What the importer would have stored: a real activity without its status.
    assert any("'Öka nivån på friskvårdsbidraget' has no status line" in d for d in doubts)
    assert any("the heading 1.2 'Andelen anställda" in d and "comes after 1.2" in d for d in doubts)
    assert any(
        "'Skapa Storytelling med temat friskvårdsbidrag' under goal 1.2" in d for d in doubts
    )


def test_the_whole_document_twice_is_refused(seed_text: str) -> None:
    doubts = _doubts(seed_text + "\n" + seed_text)
    assert any(d.startswith("r.txt:1795: lines 1795-3587 repeat lines 1-1793") for d in doubts)
    assert any("the heading 1.1 'Sjukfrånvaron ska minska' comes after 1.20" in d for d in doubts)


def test_a_section_pasted_elsewhere_is_refused(seed_text: str) -> None:
    lines = _lines(seed_text)
    section = next(i for i, line in enumerate(lines) if line.startswith("1.16 Identifiera"))
    after = next(i for i, line in enumerate(lines) if line.startswith("1.17 Påbörja"))
    elsewhere = next(i for i, line in enumerate(lines) if line.startswith("1.4 Arbetslösheten"))
    pasted = lines[:elsewhere] + lines[section:after] + lines[elsewhere:]
    doubts = _doubts("\n".join(pasted))
    assert any("repeat lines" in d for d in doubts)
    assert any("the heading 1.4" in d and "comes after 1.16" in d for d in doubts)


def test_an_activity_copied_under_another_goal_is_refused() -> None:
    block = MINI.split("Verksamhetens aktiviteter Startdatum Slutdatum\n\n")[1].split("1.2 ")[0]
    text = MINI.replace("Erbjuda anställningar\n", block + "Erbjuda anställningar\n", 1)
    doubts = _doubts(text)
    assert any(
        "'Införa hälsosamma scheman' under goal 1.2 is already on line 9 (goal 1.1)" in d
        for d in doubts
    ), doubts


@pytest.mark.parametrize("seed", range(4))
def test_lines_pasted_anywhere_are_refused(seed_text: str, seed: int) -> None:
    """Deterministic random pastes of 15-90 lines anywhere in the seed: each one is doubted."""
    lines = _lines(seed_text)
    rnd = random.Random(seed)
    for _ in range(25):
        start, length = rnd.randrange(60, 1700), rnd.randrange(15, 90)
        at = rnd.randrange(60, len(lines))
        pasted = lines[:at] + lines[start : start + length] + lines[at:]
        assert _doubts("\n".join(pasted)), (start, length, at)


def test_the_service_refuses_and_writes_nothing(
    engine: Engine, settings: Settings, seed_text: str, tmp_path: Path
) -> None:
    import_report(
        engine, path=_write(tmp_path / "seed.txt", seed_text), period=PERIOD, settings=settings
    )
    before = snapshot(engine)
    lines = _lines(seed_text)
    starts = _page_starts(lines)
    pasted = lines[: starts[5]] + lines[starts[4] : starts[5]] + lines[starts[5] :]
    path = _write(tmp_path / "seed.txt", "\n".join(pasted))

    with pytest.raises(ReportFileError) as caught:
        import_report(engine, path=path, period=PERIOD, settings=settings)

    text = str(caught.value)
    assert text.startswith("Rapporten importerades inte, ingenting sparades (")
    assert "seed.txt:" in text and "upprepar raderna" in text
    assert snapshot(engine) == before


def test_whole_document_twice_writes_nothing_on_an_empty_database(
    engine: Engine, settings: Settings, seed_text: str, tmp_path: Path
) -> None:
    before = snapshot(engine)
    path = _write(tmp_path / "twice.txt", seed_text + "\n" + seed_text)
    with pytest.raises(ReportFileError):
        import_report(engine, path=path, period=PERIOD, settings=settings)
    assert snapshot(engine) == before


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
