"""The reminder policy, driven by an injected clock over tables of hand-computed cases.

Europe/Stockholm is CET (UTC+1) in winter and CEST (UTC+2) in summer; in 2024 the clocks went
forward on 31 March and back on 27 October. So 09:00 local is 08:00 UTC in winter and 07:00 UTC
in summer, 20:00 local is 19:00 or 18:00 UTC, and 07:00 local is 06:00 or 05:00 UTC. Every
expected instant below is written in UTC by hand from those facts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import WorkingDays
from bot.domain.reminder_policy import (
    UNTIL_CLOSED,
    Occasion,
    ReminderSchedule,
    due_now,
    occasions,
    parse_reminder_days,
    parse_reminder_time,
)

ZONE = ZoneInfo("Europe/Stockholm")
CALENDAR = WorkingDays()
DEFAULT = ReminderSchedule()


def local(text: str) -> datetime:
    """Return a Stockholm wall-clock time, e.g. `2024-09-10 16:00`."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def utc(text: str) -> datetime:
    """Return a UTC instant, e.g. `2024-09-10 14:00`."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def plan(
    deadline: datetime,
    until: datetime,
    schedule: ReminderSchedule = DEFAULT,
    period_open: bool = True,
) -> list[Occasion]:
    return occasions(
        deadline=deadline,
        period_open=period_open,
        schedule=schedule,
        zone=ZONE,
        calendar=CALENDAR,
        until=until,
    )


def due(now: datetime, deadline: datetime, period_open: bool = True) -> set[str]:
    return {
        occasion.key
        for occasion in due_now(
            now=now,
            deadline=deadline,
            period_open=period_open,
            schedule=DEFAULT,
            zone=ZONE,
            calendar=CALENDAR,
        )
    }


# (key, due_at UTC, valid_until UTC) of every "before" occasion.
BEFORE_CASES = [
    pytest.param(
        "2024-09-10 16:00",
        DEFAULT,
        [
            ("before:2024-08-13", "2024-08-13 07:00", "2024-08-13 18:00"),  # 28 days, Tuesday
            ("before:2024-08-27", "2024-08-27 07:00", "2024-08-27 18:00"),  # 14 days
            ("before:2024-09-03", "2024-09-03 07:00", "2024-09-03 18:00"),  # 7 days
            ("before:2024-09-06", "2024-09-06 07:00", "2024-09-06 18:00"),  # 2: Sun 8/9 -> Fri
            ("before:2024-09-10", "2024-09-10 07:00", "2024-09-10 14:00"),  # 0: until deadline
        ],
        id="each-default-day",
    ),
    pytest.param(
        "2024-09-14 12:00",
        DEFAULT,
        [
            ("before:2024-08-16", "2024-08-16 07:00", "2024-08-16 18:00"),  # Sat 17/8 -> Fri
            ("before:2024-08-30", "2024-08-30 07:00", "2024-08-30 18:00"),  # Sat 31/8 -> Fri
            ("before:2024-09-06", "2024-09-06 07:00", "2024-09-06 18:00"),  # Sat 7/9 -> Fri
            ("before:2024-09-12", "2024-09-12 07:00", "2024-09-12 18:00"),  # Thu
            ("before:2024-09-13", "2024-09-13 07:00", "2024-09-13 18:00"),  # Sat 14/9 -> Fri
        ],
        id="deadline-on-a-saturday",
    ),
    pytest.param(
        "2024-09-09 16:00",
        ReminderSchedule(days_before=(3, 2, 1)),
        [
            ("before:2024-09-06", "2024-09-06 07:00", "2024-09-06 18:00"),  # Fri, Sat, Sun: one
        ],
        id="several-days-on-one-working-day",
    ),
    pytest.param(
        "2024-04-02 16:00",
        DEFAULT,
        [
            ("before:2024-03-05", "2024-03-05 08:00", "2024-03-05 19:00"),  # winter time
            ("before:2024-03-19", "2024-03-19 08:00", "2024-03-19 19:00"),
            ("before:2024-03-26", "2024-03-26 08:00", "2024-03-26 19:00"),
            ("before:2024-03-28", "2024-03-28 08:00", "2024-03-28 19:00"),  # 31/3 Påskdagen,
            # 30/3 Påskafton (Saturday), 29/3 Långfredagen -> Skärtorsdagen
            ("before:2024-04-02", "2024-04-02 07:00", "2024-04-02 14:00"),  # summer time
        ],
        id="easter-and-spring-dst",
    ),
    pytest.param(
        "2024-10-29 16:00",
        DEFAULT,
        [
            ("before:2024-10-01", "2024-10-01 07:00", "2024-10-01 18:00"),  # summer time
            ("before:2024-10-15", "2024-10-15 07:00", "2024-10-15 18:00"),
            ("before:2024-10-22", "2024-10-22 07:00", "2024-10-22 18:00"),
            ("before:2024-10-25", "2024-10-25 07:00", "2024-10-25 18:00"),  # Sun 27/10 -> Fri
            ("before:2024-10-29", "2024-10-29 08:00", "2024-10-29 15:00"),  # winter time
        ],
        id="autumn-dst",
    ),
    pytest.param(
        "2024-06-25 16:00",
        DEFAULT,
        [
            ("before:2024-05-28", "2024-05-28 07:00", "2024-05-28 18:00"),
            ("before:2024-06-11", "2024-06-11 07:00", "2024-06-11 18:00"),
            ("before:2024-06-18", "2024-06-18 07:00", "2024-06-18 18:00"),
            ("before:2024-06-20", "2024-06-20 07:00", "2024-06-20 18:00"),  # Sun 23, Sat 22
            # (Midsommardagen), Fri 21 (midsommarafton) -> Thu 20
            ("before:2024-06-25", "2024-06-25 07:00", "2024-06-25 14:00"),
        ],
        id="midsommar",
    ),
    pytest.param(
        "2024-06-20 16:00",
        DEFAULT,
        [
            ("before:2024-05-23", "2024-05-23 07:00", "2024-05-23 18:00"),
            ("before:2024-06-05", "2024-06-05 07:00", "2024-06-05 18:00"),  # 6/6 Nationaldagen
            ("before:2024-06-13", "2024-06-13 07:00", "2024-06-13 18:00"),
            ("before:2024-06-18", "2024-06-18 07:00", "2024-06-18 18:00"),
            ("before:2024-06-20", "2024-06-20 07:00", "2024-06-20 14:00"),
        ],
        id="national-day",
    ),
    pytest.param(
        "2024-12-27 16:00",
        DEFAULT,
        [
            ("before:2024-11-29", "2024-11-29 08:00", "2024-11-29 19:00"),
            ("before:2024-12-13", "2024-12-13 08:00", "2024-12-13 19:00"),
            ("before:2024-12-20", "2024-12-20 08:00", "2024-12-20 19:00"),
            ("before:2024-12-23", "2024-12-23 08:00", "2024-12-23 19:00"),  # 25/12 Juldagen,
            # 24/12 julafton -> 23/12
            ("before:2024-12-27", "2024-12-27 08:00", "2024-12-27 15:00"),
        ],
        id="christmas",
    ),
    pytest.param(
        "2025-01-07 16:00",
        DEFAULT,
        [
            ("before:2024-12-10", "2024-12-10 08:00", "2024-12-10 19:00"),
            ("before:2024-12-23", "2024-12-23 08:00", "2024-12-23 19:00"),  # 24/12 julafton
            ("before:2024-12-30", "2024-12-30 08:00", "2024-12-30 19:00"),  # 31/12 nyårsafton
            ("before:2025-01-03", "2025-01-03 08:00", "2025-01-03 19:00"),  # Sun 5/1 -> Fri 3/1
            ("before:2025-01-07", "2025-01-07 08:00", "2025-01-07 15:00"),
        ],
        id="new-year",
    ),
    pytest.param(
        "2024-09-10 08:00",
        DEFAULT,
        [
            ("before:2024-08-13", "2024-08-13 07:00", "2024-08-13 18:00"),
            ("before:2024-08-27", "2024-08-27 07:00", "2024-08-27 18:00"),
            ("before:2024-09-03", "2024-09-03 07:00", "2024-09-03 18:00"),
            ("before:2024-09-06", "2024-09-06 07:00", "2024-09-06 18:00"),
            # day 0 at 09:00 would be after the 08:00 deadline: skipped
        ],
        id="deadline-before-reminder-time",
    ),
    pytest.param(
        "2024-09-10 16:00",
        ReminderSchedule(at=time(6, 0)),
        [
            ("before:2024-08-13", "2024-08-13 05:00", "2024-08-13 18:00"),  # 06:00 -> 07:00
            ("before:2024-08-27", "2024-08-27 05:00", "2024-08-27 18:00"),
            ("before:2024-09-03", "2024-09-03 05:00", "2024-09-03 18:00"),
            ("before:2024-09-06", "2024-09-06 05:00", "2024-09-06 18:00"),
            ("before:2024-09-10", "2024-09-10 05:00", "2024-09-10 14:00"),
        ],
        id="time-in-morning-quiet-hours",
    ),
    pytest.param(
        "2024-09-10 16:00",
        ReminderSchedule(at=time(21, 0)),
        [
            ("before:2024-08-14", "2024-08-14 05:00", "2024-08-14 18:00"),  # next morning
            ("before:2024-08-28", "2024-08-28 05:00", "2024-08-28 18:00"),
            ("before:2024-09-04", "2024-09-04 05:00", "2024-09-04 18:00"),
            ("before:2024-09-09", "2024-09-09 05:00", "2024-09-09 18:00"),  # Fri 21:00 -> Mon
            # day 0: Tue 21:00 -> Wed 07:00, after the deadline: skipped
        ],
        id="time-in-evening-quiet-hours",
    ),
]


@pytest.mark.parametrize(("deadline", "schedule", "expected"), BEFORE_CASES)
def test_before_occasions(
    deadline: str, schedule: ReminderSchedule, expected: list[tuple[str, str, str]]
) -> None:
    before = [
        occasion
        for occasion in plan(local(deadline), local(deadline), schedule)
        if occasion.kind == "before"
    ]
    assert [(o.key, o.due_at, o.valid_until) for o in before] == [
        (key, utc(due_at), utc(valid_until)) for key, due_at, valid_until in expected
    ]
    assert {o.audience for o in before} == {"reporters"}
    assert all(o.due_at.tzinfo is UTC and o.valid_until.tzinfo is UTC for o in before)


@pytest.mark.parametrize(
    ("deadline", "draft_at"),
    [
        pytest.param("2024-09-13 17:00", "2024-09-13 15:00", id="friday-17-at-the-deadline"),
        pytest.param("2024-09-10 22:00", "2024-09-11 05:00", id="tuesday-22-next-morning-07"),
        pytest.param("2024-09-13 22:00", "2024-09-16 05:00", id="friday-22-monday-07"),
        pytest.param("2024-09-14 12:00", "2024-09-16 05:00", id="saturday-noon-monday-07"),
        pytest.param("2024-09-10 06:00", "2024-09-10 05:00", id="before-07-same-morning"),
        pytest.param("2024-09-10 07:00", "2024-09-10 05:00", id="07-is-not-quiet"),
        pytest.param("2024-09-10 20:00", "2024-09-11 05:00", id="20-is-quiet"),
        pytest.param("2024-12-23 22:00", "2024-12-27 06:00", id="over-christmas"),
        pytest.param("2024-03-28 21:00", "2024-04-02 05:00", id="over-easter-and-spring-dst"),
        pytest.param("2024-10-26 12:00", "2024-10-28 06:00", id="over-autumn-dst"),
    ],
)
def test_draft_goes_to_secretaries_at_the_deadline_or_next_working_morning(
    deadline: str, draft_at: str
) -> None:
    planned = plan(local(deadline), local(deadline) + timedelta(days=10))
    drafts = [o for o in planned if o.kind == "draft"]
    assert drafts == [
        Occasion(
            kind="draft",
            key="draft",
            due_at=utc(draft_at),
            valid_until=UNTIL_CLOSED,
            audience="secretaries",
        )
    ]


# (local day, due_at UTC, valid_until UTC) of each overdue day; the digest shares them.
OVERDUE_CASES = [
    pytest.param(
        "2024-09-10 16:00",
        "2024-09-17 23:00",
        [
            ("2024-09-11", "2024-09-11 07:00", "2024-09-11 18:00"),
            ("2024-09-12", "2024-09-12 07:00", "2024-09-12 18:00"),
            ("2024-09-13", "2024-09-13 07:00", "2024-09-13 18:00"),
            ("2024-09-16", "2024-09-16 07:00", "2024-09-16 18:00"),  # weekend skipped
            ("2024-09-17", "2024-09-17 07:00", "2024-09-17 18:00"),
        ],
        id="daily-skipping-the-weekend",
    ),
    pytest.param(
        "2024-03-27 16:00",
        "2024-04-03 23:00",
        [
            ("2024-03-28", "2024-03-28 08:00", "2024-03-28 19:00"),
            ("2024-04-02", "2024-04-02 07:00", "2024-04-02 18:00"),  # Fri-Mon off; summer time
            ("2024-04-03", "2024-04-03 07:00", "2024-04-03 18:00"),
        ],
        id="easter-and-spring-dst",
    ),
    pytest.param(
        "2024-10-24 16:00",
        "2024-10-29 23:00",
        [
            ("2024-10-25", "2024-10-25 07:00", "2024-10-25 18:00"),
            ("2024-10-28", "2024-10-28 08:00", "2024-10-28 19:00"),  # winter time
            ("2024-10-29", "2024-10-29 08:00", "2024-10-29 19:00"),
        ],
        id="autumn-dst",
    ),
    pytest.param(
        "2024-06-20 16:00",
        "2024-06-25 23:00",
        [
            ("2024-06-24", "2024-06-24 07:00", "2024-06-24 18:00"),  # midsommar skipped
            ("2024-06-25", "2024-06-25 07:00", "2024-06-25 18:00"),
        ],
        id="midsommar",
    ),
    pytest.param(
        "2024-12-20 16:00",
        "2025-01-08 23:00",
        [
            ("2024-12-23", "2024-12-23 08:00", "2024-12-23 19:00"),
            ("2024-12-27", "2024-12-27 08:00", "2024-12-27 19:00"),  # 24, 25, 26 off
            ("2024-12-30", "2024-12-30 08:00", "2024-12-30 19:00"),
            ("2025-01-02", "2025-01-02 08:00", "2025-01-02 19:00"),  # 31/12, 1/1 off
            ("2025-01-03", "2025-01-03 08:00", "2025-01-03 19:00"),
            ("2025-01-07", "2025-01-07 08:00", "2025-01-07 19:00"),  # 6/1 Trettondedag jul
            ("2025-01-08", "2025-01-08 08:00", "2025-01-08 19:00"),
        ],
        id="christmas-and-new-year",
    ),
    pytest.param(
        "2024-09-10 08:00",
        "2024-09-11 23:00",
        [
            ("2024-09-10", "2024-09-10 07:00", "2024-09-10 18:00"),  # deadline day itself
            ("2024-09-11", "2024-09-11 07:00", "2024-09-11 18:00"),
        ],
        id="deadline-before-09-starts-the-same-day",
    ),
    pytest.param(
        "2024-09-10 09:00",
        "2024-09-11 23:00",
        [
            ("2024-09-11", "2024-09-11 07:00", "2024-09-11 18:00"),
        ],
        id="deadline-at-09-starts-the-next-day",
    ),
]


@pytest.mark.parametrize(("deadline", "until", "expected"), OVERDUE_CASES)
def test_overdue_and_missing_digest_every_working_day(
    deadline: str, until: str, expected: list[tuple[str, str, str]]
) -> None:
    planned = plan(local(deadline), local(until))
    for kind, prefix, audience in (
        ("overdue", "overdue", "reporters"),
        ("missing_digest", "missing", "secretaries"),
    ):
        daily = [o for o in planned if o.kind == kind]
        assert [(o.key, o.due_at, o.valid_until, o.audience) for o in daily] == [
            (f"{prefix}:{day}", utc(due_at), utc(valid_until), audience)
            for day, due_at, valid_until in expected
        ]


@pytest.mark.parametrize(
    ("now", "deadline", "expected"),
    [
        pytest.param(
            local("2024-08-13 09:00"), "2024-09-10 16:00", {"before:2024-08-13"}, id="at-09"
        ),
        pytest.param(local("2024-08-13 08:59"), "2024-09-10 16:00", set(), id="before-09"),
        pytest.param(
            local("2024-09-03 11:30"), "2024-09-10 16:00", {"before:2024-09-03"}, id="catch-up-1130"
        ),
        pytest.param(
            local("2024-09-03 19:59"), "2024-09-10 16:00", {"before:2024-09-03"}, id="catch-up-1959"
        ),
        pytest.param(local("2024-09-03 20:00"), "2024-09-10 16:00", set(), id="missed-at-20"),
        pytest.param(local("2024-09-03 21:00"), "2024-09-10 16:00", set(), id="missed-at-21"),
        pytest.param(local("2024-09-04 10:00"), "2024-09-10 16:00", set(), id="missed-next-day"),
        pytest.param(
            local("2024-09-06 09:00"),
            "2024-09-10 16:00",
            {"before:2024-09-06"},
            id="friday-for-sunday",
        ),
        pytest.param(local("2024-09-08 09:00"), "2024-09-10 16:00", set(), id="sunday-nothing"),
        pytest.param(
            local("2024-09-10 15:59"), "2024-09-10 16:00", {"before:2024-09-10"}, id="deadline-day"
        ),
        pytest.param(
            local("2024-09-10 16:00"), "2024-09-10 16:00", {"draft"}, id="draft-at-deadline"
        ),
        pytest.param(local("2024-09-10 19:00"), "2024-09-10 16:00", {"draft"}, id="draft-catch-up"),
        pytest.param(local("2024-09-10 23:00"), "2024-09-10 16:00", set(), id="night-draft-waits"),
        pytest.param(local("2024-09-11 06:59"), "2024-09-10 16:00", set(), id="still-night"),
        pytest.param(local("2024-09-11 07:00"), "2024-09-10 16:00", {"draft"}, id="morning-draft"),
        pytest.param(
            local("2024-09-11 09:30"),
            "2024-09-10 16:00",
            {"draft", "overdue:2024-09-11", "missing:2024-09-11"},
            id="first-overdue-day",
        ),
        pytest.param(local("2024-09-11 20:30"), "2024-09-10 16:00", set(), id="overdue-evening"),
        pytest.param(local("2024-09-14 10:00"), "2024-09-10 16:00", set(), id="overdue-saturday"),
        pytest.param(local("2024-09-16 08:59"), "2024-09-10 16:00", {"draft"}, id="monday-early"),
        pytest.param(
            local("2024-09-16 09:00"),
            "2024-09-10 16:00",
            {"draft", "overdue:2024-09-16", "missing:2024-09-16"},
            id="monday-overdue",
        ),
        pytest.param(utc("2024-03-28 07:59"), "2024-04-02 16:00", set(), id="spring-cet-0859"),
        pytest.param(
            utc("2024-03-28 08:00"), "2024-04-02 16:00", {"before:2024-03-28"}, id="spring-cet-0900"
        ),
        pytest.param(utc("2024-04-02 06:59"), "2024-04-02 16:00", set(), id="spring-cest-0859"),
        pytest.param(
            utc("2024-04-02 07:00"),
            "2024-04-02 16:00",
            {"before:2024-04-02"},
            id="spring-cest-0900",
        ),
        pytest.param(
            utc("2024-10-25 07:00"),
            "2024-10-29 16:00",
            {"before:2024-10-25"},
            id="autumn-cest-0900",
        ),
        pytest.param(utc("2024-10-29 07:30"), "2024-10-29 16:00", set(), id="autumn-cet-0830"),
        pytest.param(
            utc("2024-10-29 08:00"), "2024-10-29 16:00", {"before:2024-10-29"}, id="autumn-cet-0900"
        ),
        pytest.param(
            utc("2024-10-29 14:59"), "2024-10-29 16:00", {"before:2024-10-29"}, id="autumn-1559"
        ),
        pytest.param(utc("2024-10-29 15:00"), "2024-10-29 16:00", {"draft"}, id="autumn-1600"),
    ],
)
def test_due_now_with_an_injected_clock(now: datetime, deadline: str, expected: set[str]) -> None:
    assert due(now, local(deadline)) == expected


@pytest.mark.parametrize(
    ("now", "old_deadline", "new_deadline", "old_due", "new_due"),
    [
        pytest.param(
            "2024-09-06 10:00",
            "2024-09-10 16:00",
            "2024-09-05 16:00",
            {"before:2024-09-06"},
            {"draft", "overdue:2024-09-06", "missing:2024-09-06"},
            id="moved-earlier-now-overdue",
        ),
        pytest.param(
            "2024-09-11 10:00",
            "2024-09-10 16:00",
            "2024-09-17 16:00",
            {"draft", "overdue:2024-09-11", "missing:2024-09-11"},
            set(),
            id="moved-later-overdue-stops",
        ),
        pytest.param(
            "2024-09-13 10:00",
            "2024-09-10 16:00",
            "2024-09-17 16:00",
            {"draft", "overdue:2024-09-13", "missing:2024-09-13"},
            {"before:2024-09-13"},
            id="moved-later-before-again",
        ),
        pytest.param(
            "2024-09-10 10:00",
            "2024-09-10 16:00",
            "2024-09-17 16:00",
            {"before:2024-09-10"},
            {"before:2024-09-10"},
            id="same-key-so-sent-stays-sent",
        ),
    ],
)
def test_moved_deadline_changes_what_is_due(
    now: str, old_deadline: str, new_deadline: str, old_due: set[str], new_due: set[str]
) -> None:
    assert due(local(now), local(old_deadline)) == old_due
    assert due(local(now), local(new_deadline)) == new_due


@pytest.mark.parametrize(
    ("deadline", "before_keys"),
    [
        pytest.param(
            "2024-09-05 16:00",
            ["2024-08-08", "2024-08-22", "2024-08-29", "2024-09-03", "2024-09-05"],
            id="earlier",
        ),
        pytest.param(
            "2024-09-17 16:00",
            ["2024-08-20", "2024-09-03", "2024-09-10", "2024-09-13", "2024-09-17"],
            id="later",
        ),
    ],
)
def test_moved_deadline_plans_other_before_days(deadline: str, before_keys: list[str]) -> None:
    planned = plan(local(deadline), local(deadline))
    assert [o.key for o in planned if o.kind == "before"] == [f"before:{d}" for d in before_keys]


@pytest.mark.parametrize(
    "now",
    ["2024-08-13 09:00", "2024-09-10 15:00", "2024-09-10 16:00", "2024-09-11 09:30"],
)
def test_closed_period_has_no_occasions(now: str) -> None:
    deadline = local("2024-09-10 16:00")
    assert plan(deadline, local("2024-12-31 12:00"), period_open=False) == []
    assert due(local(now), deadline, period_open=False) == set()


def test_until_is_the_horizon_and_occasions_are_sorted() -> None:
    deadline = local("2024-09-10 16:00")
    assert [o.key for o in plan(deadline, local("2024-09-03 09:00"))] == [
        "before:2024-08-13",
        "before:2024-08-27",
        "before:2024-09-03",
    ]
    planned = plan(deadline, local("2024-09-12 12:00"))
    assert [o.key for o in planned] == [
        "before:2024-08-13",
        "before:2024-08-27",
        "before:2024-09-03",
        "before:2024-09-06",
        "before:2024-09-10",
        "draft",
        "missing:2024-09-11",
        "overdue:2024-09-11",
        "missing:2024-09-12",
        "overdue:2024-09-12",
    ]
    assert [o.due_at for o in planned] == sorted(o.due_at for o in planned)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="deadline must be timezone-aware"):
        plan(datetime(2024, 9, 10, 16, 0), local("2024-09-12 12:00"))
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        due_now(
            now=datetime(2024, 9, 10, 16, 0),
            deadline=local("2024-09-10 16:00"),
            period_open=True,
            schedule=DEFAULT,
            zone=ZONE,
            calendar=CALENDAR,
        )


def _in_dst_hour(moment: datetime) -> bool:
    return time(2, 0) <= moment.time() < time(3, 0)


PROPERTY_SCHEDULES = [
    pytest.param(DEFAULT, id="default"),
    pytest.param(ReminderSchedule(at=time(6, 0)), id="at-06"),
    pytest.param(ReminderSchedule(at=time(2, 30)), id="at-0230-despite-validation"),
    pytest.param(ReminderSchedule(at=time(21, 0)), id="at-21-despite-validation"),
]


@pytest.mark.parametrize("schedule", PROPERTY_SCHEDULES)
def test_every_deadline_of_2024_and_2025_keeps_quiet_hours_and_working_days(
    schedule: ReminderSchedule,
) -> None:
    day = date(2024, 1, 1)
    while day.year < 2026:
        deadline = datetime.combine(day, time(16, 0), tzinfo=ZONE)
        for occasion in plan(deadline, deadline + timedelta(days=10), schedule):
            due_local = occasion.due_at.astimezone(ZONE)
            context = f"deadline {deadline}, {occasion}"
            assert time(7, 0) <= due_local.time() < time(20, 0), context
            assert not _in_dst_hour(due_local), context
            assert CALENDAR.is_working_day(due_local.date()), context
            assert occasion.due_at < occasion.valid_until, context
            if occasion.kind == "before":
                assert occasion.valid_until <= deadline, context
            else:
                assert occasion.due_at >= deadline, context
        day += timedelta(days=1)


def test_dst_change_days_are_sundays_so_nothing_lands_on_them() -> None:
    # The two changes of 2024 and 2025 fall on Sundays: no reminder is ever planned on them.
    for change in (date(2024, 3, 31), date(2024, 10, 27), date(2025, 3, 30), date(2025, 10, 26)):
        assert change.weekday() == 6
        assert not CALENDAR.is_working_day(change)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quiet_end": time(2, 30)}, "03:00 or later"),
        ({"quiet_start": time(6, 0), "quiet_end": time(7, 0)}, "span midnight"),
        ({"days_before": (400,)}, "outside 0..365"),
        ({"days_before": (-1,)}, "outside 0..365"),
    ],
)
def test_schedule_refuses_unsafe_settings(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReminderSchedule(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("28,14,7,2,0", (28, 14, 7, 2, 0)),
        ("0, 2,7", (7, 2, 0)),
        (" 5 ", (5,)),
        ("365,0", (365, 0)),
    ],
)
def test_parse_reminder_days(text: str, days: tuple[int, ...]) -> None:
    assert parse_reminder_days(text) == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("28,,7", "empty item"),
        ("28,14,", "empty item"),
        ("28,x", "'x' in '28,x' is not a whole number"),
        ("1.5", "not a whole number"),
        ("366", "outside 0..365"),
        ("-1", "outside 0..365"),
        ("7,14,7", "7 appears twice"),
    ],
)
def test_parse_reminder_days_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_reminder_days(text)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("09:00", time(9, 0)),
        ("9:00", time(9, 0)),
        (" 13.30 ", time(13, 30)),
        ("07:00", time(7, 0)),
        ("19:59", time(19, 59)),
    ],
)
def test_parse_reminder_time(text: str, parsed: time) -> None:
    assert parse_reminder_time(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20:00", "quiet hours 20:00-07:00"),
        ("23:15", "quiet hours"),
        ("00:00", "quiet hours"),
        ("06:59", "quiet hours"),
        ("02:00", "daylight saving"),
        ("02:30", "daylight saving"),
        ("25:00", "not a time of day"),
        ("09:60", "not a time of day"),
        ("9", "HH:MM"),
        ("", "HH:MM"),
        ("nine", "HH:MM"),
    ],
)
def test_parse_reminder_time_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_reminder_time(text)
