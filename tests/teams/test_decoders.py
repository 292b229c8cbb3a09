"""What comes back from Teams is decoded once and checked: invoke data, the committee channel,
signed file links, command text."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

from bot.domain.periods import PeriodKey
from bot.teams import ids
from bot.teams.channel import CommitteeChannel, parse_channel
from bot.teams.handlers.commands import parse_command
from bot.teams.links import BadToken, FileRef, derive_key, make_token, parse_version_key, read_token

GOOD = ids.save_data(
    activity_id=12, period="2024-T2", unit_id=3, source="reminder", card_activity_ids=[12, 13]
)


def test_a_save_from_a_card_is_decoded_with_its_inputs() -> None:
    request = ids.parse_save(
        {**GOOD, "status_12": "deviating", "comment_12": "  Försenat.\r\n", "status_13": "x"}
    )
    assert request == ids.SaveRequest(
        12, PeriodKey(2024, 2), 3, "reminder", (12, 13), 1, 1, "deviating", "  Försenat.\n"
    )
    empty = ids.parse_save(GOOD)
    assert (empty.status, empty.comment) == ("", "")
    overview = ids.parse_save(
        ids.save_data(
            activity_id=5, period="2024-T1", unit_id=None, source="overview", card_activity_ids=[]
        )
    )
    assert overview.unit_id is None and overview.card_activity_ids == ()


@pytest.mark.parametrize(
    "change",
    [
        {"action": "something_else"},
        {"a": 0},
        {"a": -3},
        {"a": 2**31},
        {"a": "12x"},
        {"a": True},
        {"a": 123456789012},
        {"p": "2024-T4"},
        {"p": "24-T2"},
        {"p": None},
        {"u": 0},
        {"src": "slack"},
        {"ids": []},
        {"ids": list(range(1, 60))},
        {"ids": ["a"]},
        {"part": [2, 1]},
        {"part": [1]},
        {"status_12": "Pågående enligt plan"},  # labels are not what the choice sends
        {"status_12": 3},
        {"comment_12": "x" * 6001},
        {"comment_12": ["x"]},
    ],
)
def test_anything_else_in_a_save_is_bad_data(change: dict[str, object]) -> None:
    with pytest.raises(ids.BadData):
        ids.parse_save({**GOOD, **change})
    with pytest.raises(ids.BadData):
        ids.parse_save("not a dict")


def test_period_and_schedule_forms() -> None:
    edit = ids.action_data(ids.EDIT_PERIOD, p="2024-T2")
    form = ids.parse_period_form(
        {
            **edit,
            "date_2024T2": "2024-09-12",
            "time_2024T2": "12:30",
            "state_2024T2": "closed",
            "confirm_2024T2": "true",
        }
    )
    assert form == ids.PeriodForm(
        PeriodKey(2024, 2), False, date(2024, 9, 12), time(12, 30), "closed", True
    )
    new = ids.parse_period_form(
        {
            **ids.action_data(ids.NEW_PERIOD),
            "period_new": " 2024-t3 ",
            "date_new": "2024-12-10",
            "time_new": "16:00:00",
        }
    )
    assert (new.period, new.is_new, new.state, new.confirmed) == (
        PeriodKey(2024, 3),
        True,
        "open",
        False,
    )
    for bad, key in [
        ({**edit, "time_2024T2": "16:00"}, "teams_deadline_date_required"),
        (
            {**edit, "date_2024T2": "2024-02-30", "time_2024T2": "16:00"},
            "teams_deadline_date_invalid",
        ),
        (
            {**edit, "date_2024T2": "2024-09-12", "time_2024T2": "25:00"},
            "teams_deadline_time_invalid",
        ),
        (
            {**edit, "date_2024T2": "2024-09-12", "time_2024T2": "16:00", "state_2024T2": "x"},
            "teams_period_state_invalid",
        ),
        ({**ids.action_data(ids.NEW_PERIOD), "period_new": "T3"}, "teams_period_key_invalid"),
    ]:
        with pytest.raises(ids.FormError) as problem:
            ids.parse_period_form(bad)
        assert problem.value.key == key
    with pytest.raises(ids.BadData):
        ids.parse_period_form({**edit, "p": "2024"})
    days, at = ids.parse_schedule_form(
        {**ids.action_data(ids.EDIT_SCHEDULE), "schedule_days": "14,7", "schedule_time": "09:30:00"}
    )
    assert (days, at) == ("14,7", "09:30")
    with pytest.raises(ids.BadData):
        ids.parse_schedule_form({**ids.action_data(ids.EDIT_SCHEDULE), "schedule_days": "1," * 200})


CHANNEL = "19:d6b1c8e2f3a44b5c9d0e1f2a3b4c5d6e@thread.tacv2"
TEAM = "3c9a7e51-2b4d-4f68-8a0c-1e2f3a4b5c6d"


def test_the_committee_channel_in_each_form_it_may_be_given() -> None:
    stored = CommitteeChannel(CHANNEL, TEAM, CHANNEL, "https://smba.example/teams")
    assert parse_channel(stored.encode()) == stored
    link = f"https://teams.microsoft.com/l/channel/{CHANNEL.replace(':', '%3a').replace('@', '%40')}/Allm%C3%A4nt?groupId={TEAM}&tenantId=x"
    assert parse_channel(link) == CommitteeChannel(CHANNEL, TEAM, CHANNEL, "")
    bare = parse_channel(f"{CHANNEL};messageid=123")
    assert bare == CommitteeChannel(CHANNEL, "", CHANNEL, "") and not bare.can_upload
    for bad in [
        "",
        "C0COMMITTEE",
        "{",
        "[]",
        json.dumps({"conversation_id": 3}),
        json.dumps({"conversation_id": CHANNEL, "team_id": "x"}),
        "https://example.se/x",
    ]:
        with pytest.raises(ValueError):
            parse_channel(bad)


def test_file_links_are_signed_and_expire() -> None:
    key = derive_key("fake-secret~uppsikt-test")
    assert key != derive_key("another password") and b"fake-secret" not in key
    ref = FileRef(PeriodKey(2024, 2), 3, "pdf")
    token = make_token(key, ref, now=1_000_000)
    assert read_token(key, token, now=1_000_000 + 29 * 86400) == ref
    assert ref.filename == "uppsiktsrapport-2024-T2-v3.pdf"
    with pytest.raises(BadToken, match="expired"):
        read_token(key, token, now=1_000_000 + 31 * 86400)
    with pytest.raises(BadToken):
        read_token(derive_key("other"), token, now=1_000_000)
    payload, mac = token.split(".")
    forged = make_token(key, FileRef(PeriodKey(2024, 2), 4, "pdf"), now=1_000_000).split(".")[0]
    for bad in [
        f"{forged}.{mac}",
        f"{payload}.{mac[:-2]}AA",
        token + ".x",
        "",
        "..",
        "a" * 500,
        f"{payload}",
    ]:
        with pytest.raises(BadToken):
            read_token(key, bad, now=1_000_000)
    assert parse_version_key("2024-T2:v3") == (PeriodKey(2024, 2), 3)
    with pytest.raises(ValueError):
        parse_version_key("2024-T2:3")


def test_commands_are_read_from_what_teams_sends() -> None:
    assert parse_command("<at>Uppsikt</at> kanal") == ("kanal", [])
    assert parse_command("Påminn&nbsp;2024-T2") == ("påminn", ["2024-T2"])
    assert parse_command("<p>deadline 2024-T2 2024-09-10 16:00 bekräfta</p>") == (
        "deadline",
        ["2024-T2", "2024-09-10", "16:00", "bekräfta"],
    )
    assert parse_command(None) == ("", [])
    assert parse_command("x " * 1000)[1] == ["x"] * 19


def test_every_verb_the_cards_send_has_a_handler() -> None:
    from bot.teams.handlers import card_actions

    assert set(card_actions(object())) == set(ids.VERBS)  # type: ignore[arg-type]


def test_the_decision_cards_steps_are_decoded_with_their_inputs() -> None:
    opened = ids.parse_decision_choice(ids.decision_data(ids.OPEN_DECISION, period="2024-T1"))
    assert opened == ids.DecisionChoice(PeriodKey(2024, 1), None, "", "", ())
    back = ids.parse_decision_choice(
        {
            **ids.decision_data(
                ids.OPEN_DECISION, period="2024-T1", version=2, kind="returned", activity_ids=[5, 7]
            ),
            ids.DECISION_REASONS_INPUT: "Helheten.\r\n",
            "reason_5": "kept on the second step only",
        }
    )
    assert back == ids.DecisionChoice(PeriodKey(2024, 1), 2, "returned", "Helheten.\n", (5, 7))
    step = ids.decision_data(ids.DECISION_NEXT, period="2024-T1", version=2)
    chosen = ids.parse_decision_choice(
        {**step, ids.DECISION_KIND_INPUT: "returned", ids.DECISION_ACTIVITIES_INPUT: "7,5,7"}
    )
    assert (chosen.kind, chosen.activity_ids) == ("returned", (7, 5))
    assert ids.parse_decision_choice(step).kind == ""
    saved = ids.parse_decision_save(
        {
            **ids.decision_data(
                ids.SAVE_DECISION, period="2024-T1", version=2, kind="returned", activity_ids=[5, 7]
            ),
            ids.DECISION_REASONS_INPUT: "Helheten.",
            "reason_5": " Vad är försenat? ",
            "reason_7": "",
            ids.DECISION_DATE_INPUT: "2024-09-30",
            ids.DECISION_TIME_INPUT: "16:00:00",
            ids.DECISION_CONFIRM_INPUT: "true",
            ids.DECISION_BOARD_INPUT: "2024-10-01",  # not a referral: ignored
        }
    )
    assert saved.returned == ((5, " Vad är försenat? "), (7, ""))
    assert (saved.deadline_day, saved.deadline_time, saved.confirmed) == (
        date(2024, 9, 30),
        time(16, 0),
        True,
    )
    assert saved.board_meeting is None and saved.problem == ""
    assert saved.choice == ids.DecisionChoice(
        PeriodKey(2024, 1), 2, "returned", "Helheten.", (5, 7)
    )
    referred = ids.parse_decision_save(
        {
            **ids.decision_data(
                ids.SAVE_DECISION, period="2024-T1", version=2, kind="referred", activity_ids=[5]
            ),
            ids.DECISION_BOARD_INPUT: "2024-10-01",
            ids.DECISION_PRESENTER_INPUT: "  Ordföranden\n ",
        }
    )
    assert (referred.returned, referred.board_meeting, referred.presenter) == (
        (),
        date(2024, 10, 1),
        "Ordföranden",
    )
    for field, value, key in [
        (ids.DECISION_DATE_INPUT, "2024-02-30", "teams_deadline_date_invalid"),
        (ids.DECISION_TIME_INPUT, "25:00", "teams_deadline_time_invalid"),
    ]:
        bad = ids.parse_decision_save(
            {
                **ids.decision_data(
                    ids.SAVE_DECISION,
                    period="2024-T1",
                    version=2,
                    kind="returned",
                    activity_ids=[5],
                ),
                field: value,
            }  # fmt: skip
        )
        assert bad.problem == key and bad.deadline_text != ("", "")


@pytest.mark.parametrize(
    "data",
    [
        {"action": ids.DECISION_NEXT, "p": "2024-T1"},  # Next always names its version
        {"action": ids.DECISION_NEXT, "p": "2024-T1", "v": 1, "decision_kind": "maybe"},
        {"action": ids.DECISION_NEXT, "p": "2024-T1", "v": 1, "decision_activities": "1,x"},
        {"action": ids.DECISION_NEXT, "p": "2024-T1", "v": 1, "decision_activities": "1," * 600},
        {"action": ids.OPEN_DECISION, "p": "2024-T4"},
        {"action": ids.OPEN_DECISION, "p": "2024-T1", "ids": list(range(1, 30))},
        {"action": ids.OPEN_DECISION, "p": "2024-T1", "k": "vetoed"},
        {"action": ids.OPEN_DECISION, "p": "2024-T1", "decision_reasons": "x" * 7000},
        {"action": ids.SAVE_DECISION, "p": "2024-T1", "v": 1},  # no decision
        {"action": ids.SAVE_DECISION, "p": "2024-T1", "k": "approved"},  # no version
        {"action": ids.SAVE_DECISION, "p": "2024-T1", "v": 0, "k": "approved"},
        {"action": ids.SAVE_DECISION, "p": "2024-T1", "v": 1, "k": "returned", "ids": [0]},
        {"action": ids.SAVE_DECISION, "p": "2024-T1", "v": 1, "k": "returned", "ids": "5"},
        {
            "action": ids.SAVE_DECISION,
            "p": "2024-T1",
            "v": 1,
            "k": "approved",
            "decision_presenter": ["x"],
        },
        {"action": ids.SAVE_STATUS, "p": "2024-T1", "v": 1, "k": "approved"},
    ],
)
def test_anything_else_in_a_decision_is_bad_data(data: dict[str, object]) -> None:
    with pytest.raises(ids.BadData):
        if data["action"] == ids.SAVE_DECISION or data["action"] == ids.SAVE_STATUS:
            ids.parse_decision_save(data)
        else:
            ids.parse_decision_choice(data)
