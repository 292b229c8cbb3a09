"""Fixtures for report rendering: a hand-made period compiled into a view, and golden files.

The sample holds every status, a missing report, a multi-leaf unit tree, a finance goal, an
unnumbered goal, a goal without activities, and notes that could not be placed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.domain.report import ActivityRow, GoalRow, NoteRow, ReportRow, ReportView, compile_report
from bot.domain.status import Status

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"

NOW = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
ADM = "Kommunstyrelsens förvaltning"
AREAS = ["Barn och Unga", "Vuxna", "Äldre +65", "Tillväxt"]

GOALS = [
    GoalRow(1, "1.1", "Sjukfrånvaron ska minska.", None, True, 0),
    GoalRow(
        2,
        "1.2",
        "Andelen anställda som nyttjar kommunens friskvårdsbidrag ska öka.",
        "Vuxna",
        False,
        1,
    ),
    GoalRow(
        3,
        "1.3",
        "Andelen niondeklassare som klarar gymnasiebehörighet ska öka.",
        "Barn och Unga",
        False,
        2,
    ),
    # No number: printed after the numbered ones, numbered on from the last (1.5).
    GoalRow(
        4,
        None,
        "Skapa ett ökat utbud av aktiviteter för äldre i våra verksamheter.",
        "Äldre +65",
        False,
        3,
    ),
    # No activities: no section in chapter 1, but listed in chapter 2.
    GoalRow(5, None, "Utveckla 3 nya platser för utomhusaktiviteter.", "Barn och Unga", False, 4),
    GoalRow(
        6,
        "1.4",
        "Öka antalet anslutna fastigheter med fiberanslutning med minst 50 st.",
        "Tillväxt",
        False,
        5,
    ),
]

ACTIVITIES = [
    ActivityRow(
        101,
        1,
        "Införa hälsosamma scheman på alla arbetsplatser inom äldreomsorg samt stöd och omsorg",
        "Genomförs utifrån resultat av projektet Bemanningsekonomi.\n"
        "Steg 1 Äldreomsorgen jan - februari\n"
        "Steg 2 Stöd och omsorg mars-april",
        date(2024, 1, 1),
        date(2024, 4, 30),
        (f"{ADM} > Social verksamhet",),
        0,
    ),
    ActivityRow(
        102,
        1,
        "Utbildning i ergonomi för lokalvård",
        "Utbildning som ett viktigt steg i att förbättra hälsan och arbetsmiljö.",
        date(2024, 2, 1),
        date(2024, 3, 31),
        (f"{ADM} > Samhällsbyggnad",),
        1,
    ),
    ActivityRow(
        103,
        2,
        "Skapa Storytelling med temat friskvårdsbidrag",
        "Låta minst fyra medarbetare berätta om hur hälsan har påverkats.",
        date(2024, 2, 29),
        date(2024, 8, 31),
        (f"{ADM} > Stab > HR och Kommunikation",),
        0,
    ),
    ActivityRow(
        104,
        2,
        "Öka nivån på friskvårdsbidraget",
        "För att förbättra hälsan och därmed kunna minska sjukfrånvaro.",
        date(2024, 1, 1),
        date(2024, 12, 31),
        (f"{ADM} > Stab > HR och Kommunikation",),
        1,
    ),
    ActivityRow(
        105,
        3,
        'Att genomföra Skolverkets webbutbildning "Likvärdighet i bedömning och betygsättning"',
        "Utbildningen riktar sig till lärare som bedömer och betygsätter.",
        date(2024, 1, 8),
        date(2024, 10, 31),
        (
            f"{ADM} > Utbildning > Bobergsgymnasiet",
            f"{ADM} > Utbildning > Ljungaskolan F-6",
            f"{ADM} > Utbildning > Fränstaskolan F-9",
        ),
        0,
    ),
    ActivityRow(
        106,
        6,
        "Bygga fiber Åse",
        "",
        date(2024, 1, 29),
        date(2024, 11, 25),
        (f"{ADM} > Samhällsbyggnad > VA, gator och vägar",),
        0,
    ),
    ActivityRow(
        107,
        6,
        "Anlägga fiber Mellanleringen - Kassjöviken",
        "",
        date(2024, 1, 29),
        date(2024, 11, 25),
        (f"{ADM} > Samhällsbyggnad",),
        1,
    ),
    ActivityRow(
        108,
        4,
        "Starta dagvårdsverksamhet för personer med demenssjukdom i centrala Ånge",
        "Ger en ökad möjlighet till social samvaro och minskar ofrivillig ensamhet.",
        date(2024, 9, 1),
        None,
        (f"{ADM} > Social verksamhet > Särskilt boende",),
        0,
    ),
]

COMMENTS = {
    101: (
        Status.ON_TRACK,
        "Hälsosamma scheman enligt evidens är införda på alla arbetsplatser.\n"
        "Dialog pågår med medarbetare för finjustering.\n\n"
        "Införda parametrar: delade turer är avslutade.",
    ),
    102: (Status.DONE_DEVIATING, "Aktiviteten genomförd 3 april."),
    103: (
        Status.DEVIATING,
        "Denna aktivitet startar i mars pga att kommunikatör varit fullbokad.\n\n"
        'Två "reportage/berättelser" är färdiga att publiceras inom kort.',
    ),
    104: (Status.DONE, "Nivån är höjd från 1500 till 2000 kr per år."),
    # Markdown syntax typed by a reporter must come out as text.
    105: (
        Status.NOT_STARTED,
        "Kvar under HT 2024:\n- Fränstaskolan\n- Ljungaskolan_F-6 *prioriteras*\n1. omgång # 2",
    ),
    106: (Status.ON_HOLD, "Avvaktar finansiering, byggs när bidrag beviljas."),
}

# The previous tertial's statuses: 102 and 104 completed since (102 with a deviation), 106 went
# on hold, 107 was reported then and not now, 105 and 108 had no report then.
PREVIOUS = {
    101: Status.ON_TRACK,
    102: Status.ON_TRACK,
    103: Status.DEVIATING,
    104: Status.ON_TRACK,
    106: Status.NOT_STARTED,
    107: Status.ON_TRACK,
}

NOTES = [
    NoteRow(
        2,
        "Resursbrist inom området på grund av tjänstledighet. "
        "Stödmaterial är framtaget till chefer kring våld och hot.",
        "comment whose activity header was lost at a page break",
    ),
    NoteRow(None, "Rad utan mål: Verksamhetens aktiviteter Startdatum Slutdatum", "no goal"),
]


def build_view(
    language: str = "sv",
    comments: dict[int, str] | None = None,
    *,
    year: int = 2024,
    goals: Sequence[GoalRow] = GOALS,
    activities: Sequence[ActivityRow] = ACTIVITIES,
    notes: Sequence[NoteRow] = NOTES,
    previous: bool = True,
) -> ReportView:
    """Compile the sample period; `comments` replaces the comment of some activities.

    With `previous` the period before it exists (statuses in PREVIOUS), so the view has changes.
    """
    known = {activity.id for activity in activities}
    reports = {}
    for activity_id, (status, comment) in COMMENTS.items():
        if activity_id not in known:
            continue
        if comments and activity_id in comments:
            comment = comments[activity_id]
        reports[activity_id] = ReportRow(activity_id, status, comment, "Anna Andersson", NOW)
    return compile_report(
        period=f"{year}-T1",
        year=year,
        tertial=1,
        goals=list(goals),
        area_order=AREAS,
        activities=list(activities),
        reports=reports,
        notes=list(notes),
        language=language,
        generated_at=NOW,
        previous_period=f"{year - 1}-T3" if previous else None,
        previous_reports=(
            {
                activity_id: ReportRow(activity_id, status, "", "Bo Ek", NOW)
                for activity_id, status in PREVIOUS.items()
                if activity_id in known
            }
            if previous
            else None
        ),
    )


@pytest.fixture
def make_view() -> Callable[..., ReportView]:
    """The builder of the sample view, for tests that vary language, comments or rows."""
    return build_view


@pytest.fixture
def sample() -> SimpleNamespace:
    """The sample's rows, for tests that build a variant of them."""
    return SimpleNamespace(goals=GOALS, activities=ACTIVITIES, notes=NOTES, areas=AREAS, now=NOW)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name>; `UPDATE_GOLDEN=1 pytest` rewrites the file."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        if not path.is_file():
            pytest.fail(f"{path} is missing: run `UPDATE_GOLDEN=1 pytest tests/render` and read it")
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites)"

    return check
