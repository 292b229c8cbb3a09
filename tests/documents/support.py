"""Data and readers for the document tests: a small hand-made period, and text out of a PDF."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from bot.domain.report import ActivityRow, GoalRow, ReportRow, ReportView, compile_report
from bot.domain.status import Status

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "bot" / "data" / "seed_2024_T1.txt"
NOW = datetime(2024, 5, 14, 7, 30, tzinfo=UTC)
MUNICIPALITY = "Ånge kommun"
COMMITTEE = "Kommunstyrelsens arbetsutskott"

ADM = "Kommunstyrelsens förvaltning"
HOSTILE = '<script>alert("å")</script> & <!channel> <b>fet</b> **inte fet** \x0bny rad'
SMALL_GOALS = [
    GoalRow(1, "1.1", "Sjukfrånvaron ska minska.", None, True, 0),
    GoalRow(2, "1.2", "Äldre ska få fler aktiviteter.", "Äldre +65", False, 1),
    GoalRow(3, "1.3", "Öka antalet bostäder.", "Tillväxt", False, 2),
]
SMALL_ACTIVITIES = [
    ActivityRow(
        11,
        1,
        "Hälsosamma scheman",
        "Färre långpass.",
        date(2024, 1, 1),
        date(2024, 4, 30),
        (f"{ADM} > Social verksamhet",),
        0,
    ),
    ActivityRow(
        21,
        2,
        "Öppna träffpunkt i Östavall",
        "Mötesplats för äldre.",
        date(2024, 2, 1),
        None,
        (f"{ADM} > Social verksamhet > Särskilt boende", f"{ADM} > Stab > Fritid Kultur Turism"),
        0,
    ),
    ActivityRow(
        22,
        2,
        "Kulturkväll <i>för</i> alla",
        "",
        None,
        None,
        (f"{ADM} > Stab > Fritid Kultur Turism",),
        1,
    ),
    ActivityRow(
        31,
        3,
        "Detaljplan för Ånge centrum",
        "Planarbetet ska ge 30 bostäder.",
        date(2024, 1, 15),
        date(2024, 12, 31),
        (f"{ADM} > Samhällsbyggnad",),
        0,
    ),
]
SMALL_NOW = {
    11: (Status.ON_TRACK, "Schemat är infört på två av tre enheter."),
    21: (Status.DEVIATING, HOSTILE),
    22: (Status.DONE, "Genomförd i april med 40 besökare."),
    # 31 has no report now.
}
SMALL_BEFORE = {
    11: Status.NOT_STARTED,
    21: Status.ON_TRACK,
    31: Status.ON_TRACK,
}


def small_view(language: str = "sv", *, previous: bool = True) -> ReportView:
    """A hand-made period: åäö, markup and control characters in user text, a previous tertial."""
    reports = {
        activity_id: ReportRow(activity_id, status, comment, "Åsa Öberg", NOW)
        for activity_id, (status, comment) in SMALL_NOW.items()
    }
    before = {
        activity_id: ReportRow(activity_id, status, "", "Bo Ek", NOW)
        for activity_id, status in SMALL_BEFORE.items()
    }
    return compile_report(
        period="2024-T2",
        year=2024,
        tertial=2,
        goals=SMALL_GOALS,
        area_order=["Barn och Unga", "Vuxna", "Äldre +65", "Tillväxt"],
        activities=SMALL_ACTIVITIES,
        reports=reports,
        notes=[],
        language=language,
        generated_at=NOW,
        previous_period="2024-T1" if previous else None,
        previous_reports=before if previous else None,
    )


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdf reads it back."""
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Collapse all whitespace to single spaces (line wrapping differs between layouts).

    A line may wrap after a slash (`skolor/` `förskolor`), which reads back as a space: the
    space after a slash goes too, on both sides of a comparison.
    """
    return re.sub(r"/ ", "/", " ".join(text.split()))


def body_text(pages: list[str], *, title: str, committee: str, period_text: str) -> str:
    """The running text of pages, without the page furniture a reader skips over.

    Drops the running header and footer, the activity table's repeated column header and the
    bare list bullets pypdf reports apart from their text, then collapses whitespace, so text
    split by a page break reads as one.
    """
    furniture = {
        f"{title} {committee}",
        "Verksamhetens aktiviteter Startdatum Slutdatum",
        "•",
    }
    footer = re.compile(rf"^{re.escape(period_text)} Sida \d+ av \d+$")
    kept = []
    for page in pages:
        for line in page.splitlines():
            stripped = line.strip()
            if stripped in furniture or footer.match(stripped):
                continue
            kept.append(stripped)
    return squash("\n".join(kept))


# --- a realistic T2: the seed as 2024-T1, then 52 of its 79 activities reported for 2024-T2 ---

T2_MISSING = 27


def t2_status(index: int, before: Status) -> Status | None:
    """The T2 status of the seed's activity number `index` (0-based, in report order).

    27 get no report; of the 52 reported, some deviate anew, some go on hold, some complete,
    some start, and the rest keep their T1 status.
    """
    if index % 3 == 2 or index == 0:
        return None
    if index % 10 == 1:
        return Status.DEVIATING
    if index % 13 == 4:
        return Status.ON_HOLD
    if index % 7 == 3:
        return Status.DONE
    if before is Status.NOT_STARTED:
        return Status.ON_TRACK
    return before


def add_t2_reports(database_url: str) -> None:
    """Open 2024-T2 in a database holding the imported seed and store its reports."""
    from sqlmodel import col, select

    from bot.domain.periods import parse_period
    from bot.services import periods
    from storage.db import session_scope
    from storage.models import Activity, StatusReport
    from storage.queries import current_reports, get_period
    from tests.helpers import plain_core

    core = plain_core(database_url)
    engine = core.engine
    change = periods.PeriodChange(
        period=parse_period("2024-T2"),
        action=periods.OPEN,
        deadline_text="2024-09-10 16:00",
        confirmed=True,  # 2024 is past
    )
    periods.change_period(core, who=None, change=change)
    with session_scope(engine) as session:
        period_row = get_period(session, year=2024, tertial=2)
        assert period_row is not None
        first = get_period(session, year=2024, tertial=1)
        assert first is not None and first.id is not None
        before = current_reports(session, period_id=first.id)
        activities = session.exec(select(Activity).order_by(col(Activity.id))).all()
        # The import gives activities their ids in the order of the report.
        for index, activity in enumerate(sorted(activities, key=lambda a: a.id or 0)):
            assert activity.id is not None
            status = t2_status(index, Status(before[activity.id].status))
            if status is None:
                continue
            session.add(
                StatusReport(
                    activity_id=activity.id,
                    period_id=period_row.id,
                    status=status.value,
                    comment=f"T2: läget för {activity.title.lower()} efter sommaren.",
                    author_name="Åsa Öberg",
                    created_at=NOW,
                )
            )
    engine.dispose()
