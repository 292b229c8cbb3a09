"""The other cards: status overview, help, unmatched people, report, committee, admin."""

from __future__ import annotations

from datetime import datetime, time

from bot.domain.reminder_policy import ReminderSchedule
from bot.domain.report import ActivityView, MissingUnit, StatusCount, Summary
from bot.domain.reporting import AdminPeriodRow, UnitProgress
from bot.domain.status import Status, status_label
from bot.teams import ids
from bot.teams.cards import (
    ActivityNote,
    build_admin_card,
    build_committee_card,
    build_help,
    build_report_summary,
    build_status_overview,
    build_unmatched_people,
)
from tests.teams.support import (
    EVIL,
    OPEN,
    TZ,
    UNIT_PATH,
    check_card,
    check_golden,
    executes,
    item,
    progress,
    runs,
    sample_items,
    walk,
)


def view(
    number: int, status: str | None, comment: str = "", title: str | None = None
) -> ActivityView:
    return ActivityView(
        id=number,
        goal_number="1.20",
        goal_text="Öka antalet anslutna fastigheter.",
        title=title or f"Aktivitet {number}",
        purpose="Syfte.",
        start=None,
        end=None,
        units=(f"{UNIT_PATH} > Enhet {number % 7}",),
        unit_tree=(),
        status=status,
        status_label=status_label(status) if status else None,
        comment=comment,
        reported_by="Anna Andersson",
        reported_at=None,
        version=1,
    )


def summary(
    attention: int = 2, missing_units: int = 2, comment: str = "Avvaktar bidrag."
) -> Summary:
    return Summary(
        total=79,
        reported=60,
        missing=19,
        counts=tuple(
            StatusCount(s.value, status_label(s), n)
            for s, n in zip(Status, [5, 30, 10, 8, 4, 3], strict=True)
        ),
        per_area=(),
        attention=tuple(view(i, Status.DEVIATING.value, comment) for i in range(attention)),
        missing_by_unit=tuple(
            MissingUnit(f"{UNIT_PATH} > Enhet {i}", (f"Aktivitet {i}a", f"Aktivitet {i}b"))
            for i in range(missing_units)
        ),
    )


def test_status_overview_lists_missing_first_with_folded_forms() -> None:
    items = sample_items()
    units = [(progress(items), items)]
    card = build_status_overview(language="sv", period=OPEN, units=units)
    check_card(card)
    titles = list(
        dict.fromkeys(
            t for t in runs(card) if t.startswith(("Anlägga", "Bygga", "Söka", "Utbildning"))
        )
    )
    assert titles[:2] == [
        "Söka bidrag för fiberanslutning Kölsillre - Vassnäs",
        "Utbildning i ergonomi för lokalvård",
    ]
    folds = [n for n in walk(card) if n.get("type") == "Action.ShowCard"]
    assert [f["title"] for f in folds] == ["Rapportera", "Rapportera", "Ändra", "Ändra"]
    assert all(
        s["data"]["src"] == ids.FROM_OVERVIEW and "ids" not in s["data"] for s in executes(card)
    )
    check_golden("status_overview_sv.json", card)
    noted = build_status_overview(
        language="en",
        period=OPEN,
        units=units,
        activity_note=(44, ActivityNote("Saved.", good=True)),
    )
    check_card(noted)
    assert "Saved." in runs(noted) and runs(noted)[0] == "Your reporting for 2024-T2"


def test_status_overview_keeps_to_one_card_and_says_how_many_more() -> None:
    items = [item(i, f"Aktivitet {i} " + "å" * 250, comment="x" * 2000) for i in range(1, 200)]
    card = build_status_overview(language="sv", period=OPEN, units=[(progress(items), items)])
    check_card(card)
    assert any(t.startswith("… och ") and "till" in t for t in runs(card))
    assert build_status_overview(language="sv", period=None, units=[])["body"]
    assert "Du är inte rapportör för någon enhet." in runs(
        build_status_overview(language="sv", period=OPEN, units=[])
    )


def test_help_shows_what_the_person_may_do() -> None:
    reporter = build_help(language="sv", is_admin=False, is_secretary=False)
    admin = build_help(language="en", is_admin=True, is_secretary=True)
    check_card(reporter)
    check_card(admin)
    assert not any(
        t.startswith(("påminn", "admin", "kanal", "beslut", "styrelsekanal"))
        for t in runs(reporter)
    )
    assert any(t.startswith("ersättare E-POST FRÅN TILL") for t in runs(reporter))
    assert any(t.startswith("remind PERIOD") for t in runs(admin))
    assert any(t.startswith("channel (also kanal)") for t in runs(admin))
    assert any(t.startswith("board (also styrelsekanal)") for t in runs(admin))
    assert any(t.startswith("decision PERIOD (also beslut)") for t in runs(admin))
    assert any(t.startswith("substitute EMAIL FROM TO") for t in runs(admin))
    secretary = build_help(language="sv", is_admin=False, is_secretary=True)
    assert any(t.startswith("beslut PERIOD (även decision)") for t in runs(secretary))
    assert not any(t.startswith("styrelsekanal") for t in runs(secretary))
    check_golden("help_sv.json", reporter)


def test_unmatched_people_are_listed_with_their_addresses() -> None:
    people = [
        ("Ove Okänd", "ove@ange.se"),
        (EVIL, ""),
        *[(f"P {i}", f"p{i}@x.se") for i in range(150)],
    ]
    card = build_unmatched_people(language="sv", period_key="2024-T2", people=people)
    check_card(card)
    assert "• Ove Okänd (ove@ange.se)" in runs(card)
    assert any(t.startswith("• [klicka här]") and t.endswith("(ingen e-post)") for t in runs(card))
    assert "… och 52 till." in runs(card)
    chat = build_unmatched_people(language="en", period_key="", people=people[:1])
    check_card(chat)
    assert runs(chat)[0] == "1 Teams users could not be matched to anyone in Uppsikt"
    check_golden(
        "unmatched_sv.json",
        build_unmatched_people(language="sv", period_key="2024-T2", people=people[:2]),
    )


def test_report_summary_offers_publish_behind_a_confirmation() -> None:
    card = build_report_summary(
        language="sv", period_key="2024-T2", summary=summary(), can_publish=True
    )
    check_card(card)
    fold = next(n for n in walk(card) if n.get("type") == "Action.ShowCard")
    assert fold["title"] == "Publicera…"
    assert [(a["verb"], a["data"]["p"]) for a in executes(fold)] == [
        (ids.PUBLISH, "2024-T2"),
        (ids.PUBLISH_WITH_WORD, "2024-T2"),
    ]
    assert "79 aktiviteter: 60 rapporterade, 19 saknar status." in runs(card)
    decide = card["actions"][-1]
    assert (decide["type"], decide["title"], decide["data"]) == (
        "Action.Execute",
        "Registrera beslut",
        {"action": ids.OPEN_DECISION, "p": "2024-T2"},
    )
    check_golden("report_summary_sv.json", card)
    without = build_report_summary(
        language="en", period_key="2024-T2", summary=summary(), can_publish=False
    )
    check_card(without)
    assert not executes(without)
    assert any("No committee channel is set" in t for t in runs(without))


def test_a_huge_report_summary_still_fits_one_card() -> None:
    big = summary(attention=400, missing_units=300, comment="ö" * 3000)
    for card in (
        build_report_summary(language="sv", period_key="2024-T2", summary=big, can_publish=True),
        build_committee_card(
            language="sv",
            period_key="2024-T2",
            summary=big,
            committee="Kommunstyrelsen",
            files=[("Uppsiktsrapport 2024-T2", "https://x.example/a.pdf")] * 2,
        ),
    ):
        check_card(card)
        assert any(t.startswith("… och ") for t in runs(card))


def test_committee_card_links_the_files_and_mentions_no_one() -> None:
    card = build_committee_card(
        language="sv",
        period_key="2024-T2",
        summary=summary(comment=EVIL),
        committee="Kommunstyrelsen",
        files=[
            ("Uppsiktsrapport 2024-T2", "https://sp.example/a.pdf"),
            ("Uppsiktsrapport 2024-T2 (Word)", "https://sp.example/a.docx"),
        ],
    )
    check_card(card)
    assert [(a["title"], a["url"]) for a in card["actions"]] == [
        ("Uppsiktsrapport 2024-T2", "https://sp.example/a.pdf"),
        ("Uppsiktsrapport 2024-T2 (Word)", "https://sp.example/a.docx"),
    ]
    assert not executes(card)
    assert EVIL in runs(card)
    check_golden("committee_sv.json", card)


def test_admin_card_has_periods_schedule_and_the_same_actions_as_slack() -> None:
    rows = [
        AdminPeriodRow("2024-T2", "open", datetime(2024, 9, 10, 16, 0, tzinfo=TZ), 12, 79),
        AdminPeriodRow("2024-T1", "closed", datetime(2024, 5, 15, 16, 0, tzinfo=TZ), 79, 79),
    ]
    schedule = ReminderSchedule(days_before=(28, 14, 7, 2, 0), at=time(9, 0))
    units = [
        UnitProgress(3, UNIT_PATH, 24, 3),
        UnitProgress(4, "Kommunstyrelsens förvaltning > Stab", 10, 10),
    ]
    card = build_admin_card(
        language="sv",
        zone=TZ,
        admin_periods=rows,
        schedule=schedule,
        period=OPEN,
        all_units=units,
        result=("Perioden 2024-T2 är sparad.", True),
    )
    check_card(card)
    text = runs(card)
    assert "🟢 2024-T2, öppen: deadline 2024-09-10 kl. 16:00, 12 av 79 rapporterade" in text
    assert "Påminnelser: 28, 14, 7, 2 och 0 dagar före kl. 09:00" in text
    verbs = sorted(a["verb"] for a in executes(card))
    assert verbs == sorted(
        [ids.EDIT_PERIOD, ids.EDIT_PERIOD, ids.NEW_PERIOD, ids.EDIT_SCHEDULE, ids.REFRESH_ADMIN]
    )
    date_input = next(n for n in walk(card) if n.get("id") == "date_2024T2")
    assert date_input["value"] == "2024-09-10"
    assert next(n for n in walk(card) if n.get("id") == "time_2024T2")["value"] == "16:00"
    assert next(n for n in walk(card) if n.get("id") == "state_2024T1")["value"] == "closed"
    assert next(n for n in walk(card) if n.get("id") == "schedule_days")["value"] == "28,14,7,2,0"
    assert text.index(
        "🔴 Kommunstyrelsens förvaltning > Samhällsbyggnad: 3 av 24 rapporterade"
    ) < text.index("✅ Kommunstyrelsens förvaltning > Stab: 10 av 10 rapporterade")
    check_golden("admin_sv.json", card)
    many = [
        AdminPeriodRow(f"20{y}-T{t}", "closed", datetime(2024, 1, 1, tzinfo=TZ), 1, 1)
        for y in range(10, 30)
        for t in (1, 2, 3)
    ]
    crowded = build_admin_card(
        language="en", zone=TZ, admin_periods=many, schedule=None, period=None, all_units=None
    )
    check_card(crowded)
    assert len([a for a in executes(crowded) if a["verb"] == ids.EDIT_PERIOD]) == 10
