"""The committee's decision: approve, return named activities for completion, refer to the board;
only the secretary decides, only on the latest version; returns reopen exactly what was named."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services import audit, substitutes
from bot.services.decisions import (
    DecisionInput,
    decisions_of,
    follow_up_decision,
    record_decision,
)
from bot.services.errors import Refused
from bot.services.publishing import compile_view, publish_report
from bot.services.status import record_status
from tests.services.core.conftest import SAMHALLSBYGGNAD, T2, World

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
STAB = "Kommunstyrelsens förvaltning > Stab"


def _secretary(world: World):  # type: ignore[no-untyped-def]
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    return world.user("U0SARA")


def _save(world: World, user: str, activity: int, status: Status, comment: str):  # type: ignore[no-untyped-def]
    return record_status(
        world.core,
        user=world.user(user),
        activity_id=activity,
        period=T2,
        status_input=StatusInput(status, comment),
        source="slack",
    )


def test_a_return_reopens_exactly_the_named_activities_and_the_answer_is_marked(
    world: World,
) -> None:
    sara = _secretary(world)
    first, second, other = (world.activity_of(SAMHALLSBYGGNAD, i) for i in range(3))
    stab = world.activity_of(STAB)
    _save(world, "U0ANNA", first, Status.ON_TRACK, "Enligt plan")
    publish_report(world.core, who=sara, period=T2)
    world.notifier.delivered.clear()
    recorded = record_decision(
        world.core,
        who=sara,
        period=T2,
        decision=DecisionInput(
            kind="returned",
            reasons="Komplettera med tidsplan.",
            returned=((first, "Vad är försenat?"), (second, "Saknar kommentar.")),
            deadline_text="2024-09-30 16:00",
        ),
    )
    assert recorded.kind == "returned" and recorded.version == 1
    followed = follow_up_decision(world.core, period=T2)
    assert followed.announced and followed.reminded >= 1
    assert follow_up_decision(world.core, period=T2).announced is False  # told once
    # Only the returned activities' reporters (Anna: both are Samhällsbyggnad's), with reasons.
    reminded = {d.recipient.user.user_id for d in world.notifier.delivered}
    assert reminded == {"U0ANNA"}
    assert ("C0COMMITTEE", world.core.settings.language) and world.notifier.of_kind("announce")
    # Exactly the named activities are open again; the rest stays closed.
    with pytest.raises(Refused) as refused:
        _save(world, "U0ANNA", other, Status.DONE, "x")
    assert refused.value.key == "not_returned"
    with pytest.raises(Refused):
        _save(world, "U0BENGT", stab, Status.DONE, "x")
    _save(world, "U0ANNA", first, Status.DEVIATING, "Försenad två veckor: leverantören.")
    view = compile_view(world.core, period=T2)
    answers = {a.activity_id: a for a in view.returns}
    assert set(answers) == {first, second}
    assert answers[first].status_changed and answers[first].before_status == "on_track"
    assert answers[first].reason == "Vad är försenat?"
    assert not answers[second].status_changed and not answers[second].comment_changed
    assert view.return_reasons == "Komplettera med tidsplan." and view.returned_version == 1
    # Version 2 carries the answers; the committee approves it and the case is closed.
    assert publish_report(world.core, who=sara, period=T2).version == 2
    approved = record_decision(world.core, who=sara, period=T2, decision=DecisionInput("approved"))
    assert approved.version == 2
    with pytest.raises(Refused) as refused:
        _save(world, "U0ANNA", first, Status.DONE, "Klart")
    assert refused.value.key == "period_closed"
    history = decisions_of(world.core, period=T2)
    assert [(d.version, d.kind) for d in history] == [(1, "returned"), (2, "approved")]
    assert history[0].returned[0][1] in ("Vad är försenat?", "Saknar kommentar.")
    actions = [line.action for line in audit.audit_trail(world.core, period=T2)]
    assert actions.count("decision_returned") == 1 and actions.count("decision_approved") == 1
    assert actions.count("status") >= 2


def test_only_the_secretary_decides_and_only_on_the_latest_version(world: World) -> None:
    sara = _secretary(world)
    with pytest.raises(Refused) as refused:
        record_decision(world.core, who=sara, period=T2, decision=DecisionInput("approved"))
    assert refused.value.key == "decision_no_version"
    publish_report(world.core, who=sara, period=T2)
    with pytest.raises(Refused) as refused:
        record_decision(
            world.core, who=world.user("U0ANNA"), period=T2, decision=DecisionInput("approved")
        )
    assert refused.value.key == "not_secretary"
    _save(world, "U0ANNA", world.activity_of(SAMHALLSBYGGNAD), Status.DONE, "Klart")
    publish_report(world.core, who=sara, period=T2)
    with pytest.raises(Refused) as refused:
        record_decision(
            world.core, who=sara, period=T2, decision=DecisionInput("approved", version=1)
        )
    assert refused.value.key == "decision_not_latest"
    assert decisions_of(world.core, period=T2) == []
    record_decision(world.core, who=sara, period=T2, decision=DecisionInput("approved"))
    with pytest.raises(Refused) as refused:
        record_decision(world.core, who=sara, period=T2, decision=DecisionInput("approved"))
    assert refused.value.key == "decision_exists"


def test_a_return_needs_activities_reasons_and_a_deadline_by_the_rule(world: World) -> None:
    sara = _secretary(world)
    publish_report(world.core, who=sara, period=T2)
    activity = world.activity_of(SAMHALLSBYGGNAD)
    for decision, key in (
        (DecisionInput("returned", reasons="x"), "decision_return_needs_activities"),
        (DecisionInput("returned", returned=((activity, ""),), deadline_text="2024-09-30"),
         "decision_return_needs_reasons"),
        (DecisionInput("returned", returned=((activity, "y"),)), "decision_deadline_required"),
        (DecisionInput("returned", returned=((activity, "y"),), deadline_text="2024-03-31 02:30"),
         "deadline_nonexistent"),
        (DecisionInput("referred"), "decision_board_meeting_required"),
    ):  # fmt: skip
        with pytest.raises(Refused) as refused:
            record_decision(world.core, who=sara, period=T2, decision=decision)
        assert refused.value.key == key
    assert decisions_of(world.core, period=T2) == []
    referred = record_decision(
        world.core,
        who=sara,
        period=T2,
        decision=DecisionInput(
            "referred", reasons="För vidare åtgärd.", board_meeting=date(2024, 10, 2),
            presenter="Ordförande Olsson",
        ),
    )  # fmt: skip
    assert referred.kind == "referred"
    assert decisions_of(world.core, period=T2)[0].presenter == "Ordförande Olsson"


def test_a_substitute_answers_for_the_range_and_the_report_says_for_whom(world: World) -> None:
    world.notifier.directory["bengt@ange.se"] = "U0BENGT"
    activity = world.activity_of(SAMHALLSBYGGNAD)
    info = substitutes.set_substitute(
        world.core,
        who=world.user("U0ANNA"),
        person=None,
        substitute="bengt@ange.se",
        starts_on=date(2024, 7, 25),
        ends_on=date(2024, 8, 10),
    )
    assert (info.person, info.substitute) == ("Anna Andersson", "Bengt Berg")
    # The reminders of Anna's units go to Bengt while she is away.
    from bot.services.reminders import send_reminder_round

    send_reminder_round(world.core, period=T2, occasion="before:2024-08-01")
    reminded = {(d.recipient.user.user_id, d.payload["unit_id"]) for d in world.notifier.delivered}
    assert "U0ANNA" not in {user for user, _unit in reminded}
    assert len({unit for user, unit in reminded if user == "U0BENGT"}) == 2  # his and hers
    saved = _save(world, "U0BENGT", activity, Status.ON_TRACK, "Enligt plan (för Anna)")
    assert saved.stored and saved.author_name == "Bengt Berg"
    lines = [line for line in audit.audit_trail(world.core, period=T2) if line.action == "status"]
    assert lines[-1].details["on_behalf_of"] == "Anna Andersson"
    # After the range the rights are gone.
    world.core.clock = lambda: __import__("datetime").datetime(
        2024, 8, 20, 8, tzinfo=__import__("datetime").UTC
    )  # noqa: E501
    with pytest.raises(Refused) as refused:
        _save(world, "U0BENGT", activity, Status.DONE, "Klart")
    assert refused.value.key == "not_reporter"
    with pytest.raises(Refused) as refused:
        substitutes.set_substitute(
            world.core, who=world.user("U0BENGT"), person="anna@ange.se", substitute="bengt@ange.se",
            starts_on=date(2024, 9, 1), ends_on=date(2024, 9, 5),
        )  # fmt: skip
    assert refused.value.key == "not_admin"


def test_a_decision_without_a_chat_connection_is_followed_up_by_the_next_sweep(
    world: World,
) -> None:
    """The command line has no chat connection: nothing is sent or marked then, and the running
    bot's sweep tells the committee and reminds the returned activities' reporters, once."""
    from datetime import UTC, datetime

    from bot.services.core import Core
    from bot.services.sweep import sweep

    sara = _secretary(world)
    first = world.activity_of(SAMHALLSBYGGNAD, 0)
    publish_report(world.core, who=sara, period=T2)
    world.notifier.delivered.clear()
    world.notifier.calls.clear()
    command_line = Core(
        settings=world.core.settings, engine=world.core.engine, clock=world.core.clock
    )
    record_decision(
        command_line,
        who=None,
        period=T2,
        decision=DecisionInput(
            kind="returned",
            returned=((first, "Vad är försenat?"),),
            deadline_text="2024-09-30 16:00",
        ),
    )
    assert follow_up_decision(command_line, period=T2).pending
    assert not world.notifier.of_kind("announce") and not world.notifier.delivered
    swept = sweep(world.core, now=datetime(2024, 9, 2, 8, 0, tzinfo=UTC))
    assert swept.followed_up == 1
    assert len(world.notifier.of_kind("announce")) == 1
    assert {d.recipient.user.user_id for d in world.notifier.delivered} == {"U0ANNA"}
    delivered = len(world.notifier.delivered)
    # Done once: neither the next sweep nor the chat's own follow-up repeats anything.
    assert sweep(world.core, now=datetime(2024, 9, 2, 8, 5, tzinfo=UTC)).followed_up == 0
    assert follow_up_decision(world.core, period=T2).announced is False
    assert len(world.notifier.of_kind("announce")) == 1
    assert len(world.notifier.delivered) == delivered
