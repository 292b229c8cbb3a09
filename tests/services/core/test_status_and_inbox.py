"""Recording a status and the submission inbox: rights, order, and exactly once under load."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services import inbox
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from bot.services.status import MessageRef, record_status, status_form
from storage.db import session_scope
from storage.models import ReminderMessage, StatusReport, SubmissionInbox
from tests.services.core.conftest import NOW, SAMHALLSBYGGNAD, T2, World

STAB = "Kommunstyrelsens förvaltning > Stab"


def _versions(world: World, activity_id: int) -> list[StatusReport]:
    with session_scope(world.core.engine) as session:
        return list(
            session.exec(
                select(StatusReport)
                .where(StatusReport.activity_id == activity_id, StatusReport.source != "import")
                .order_by(StatusReport.version)  # type: ignore[arg-type]
            ).all()
        )


def test_a_person_is_found_by_email_once_and_a_platform_failure_is_not_a_refusal(
    world: World,
) -> None:
    anna = world.user("U0ANNA")
    assert resolve_actor(world.core, anna).name == "Anna Andersson"
    assert resolve_actor(world.core, anna).is_known
    assert world.notifier.of_kind("user_email") == ["U0ANNA"]  # linked the first time only
    world.notifier.directory["bengt@ange.se"] = "U0BENGT"
    world.notifier.unavailable_emails.add("bengt@ange.se")
    with pytest.raises(Refused) as refused:
        resolve_actor(world.core, world.user("U0BENGT"))
    assert refused.value.key == "try_again" and refused.value.retry
    assert not resolve_actor(world.core, world.user("U0NOBODY")).is_known


def test_only_a_reporter_of_the_unit_or_a_unit_above_it_may_report(world: World) -> None:
    activity = world.activity_of(SAMHALLSBYGGNAD)
    stored = record_status(
        world.core,
        user=world.user("U0ANNA"),
        activity_id=activity,
        period=T2,
        status_input=StatusInput(Status.ON_TRACK, "Enligt plan"),
        source="slack",
    )
    assert stored.stored and stored.version == 1 and stored.author_name == "Anna Andersson"
    for user, key in (("U0BENGT", "not_reporter"), ("U0NOBODY", "not_registered")):
        with pytest.raises(Refused) as refused:
            record_status(
                world.core,
                user=world.user(user),
                activity_id=activity,
                period=T2,
                status_input=StatusInput(Status.DONE, "x"),
                source="slack",
            )
        assert refused.value.key == key
    with pytest.raises(Refused) as refused:
        record_status(
            world.core,
            user=world.user("U0ANNA"),
            activity_id=10**11,  # no database row can have it
            period=T2,
            status_input=StatusInput(Status.DONE, "x"),
            source="slack",
        )
    assert refused.value.key == "unknown_activity"
    assert len(_versions(world, activity)) == 1


def test_an_older_action_never_overwrites_a_newer_version(world: World) -> None:
    activity = world.activity_of(SAMHALLSBYGGNAD)
    anna = world.user("U0ANNA")

    def save(status: Status, when):  # type: ignore[no-untyped-def]
        return record_status(
            world.core,
            user=anna,
            activity_id=activity,
            period=T2,
            status_input=StatusInput(status, None),
            source="slack",
            acted_at=when,
        )

    assert save(Status.ON_TRACK, NOW).stored
    assert save(Status.DONE, NOW + timedelta(seconds=30)).stored
    replayed = save(Status.ON_TRACK, NOW)  # the first request, replayed
    assert replayed.superseded and not replayed.stored and replayed.status is Status.DONE
    assert [v.status for v in _versions(world, activity)] == ["on_track", "done"]
    same = save(Status.DONE, NOW + timedelta(seconds=30))  # an identical retry
    assert not same.stored and not same.superseded


def test_a_message_is_only_updated_when_uppsikt_sent_it_to_this_person(world: World) -> None:
    activity = world.activity_of(SAMHALLSBYGGNAD)
    with session_scope(world.core.engine, write=True) as session:
        session.add(
            ReminderMessage(
                key="k1", period_id=2, unit_id=None, person_id=1, occasion="x",
                channel="DANNA", ts="1.1",
            )
        )  # fmt: skip
    anna = world.user("U0ANNA")
    resolve_actor(world.core, anna)
    # Anna's own reminder (its unit is taken from the log)...
    with session_scope(world.core.engine, write=True) as session:
        row = session.exec(select(ReminderMessage).where(ReminderMessage.key == "k1")).one()
        from storage.models import Unit

        row.unit_id = session.exec(select(Unit.id).where(Unit.path == SAMHALLSBYGGNAD)).one()
        session.add(row)
    mine = record_status(
        world.core,
        user=anna,
        activity_id=activity,
        period=T2,
        status_input=StatusInput(Status.ON_TRACK, None),
        source="slack",
        message=MessageRef("slack", "DANNA", "1.1"),
        with_view=True,
    )
    assert mine.message is not None and mine.view is not None
    assert mine.view.unit_path == SAMHALLSBYGGNAD
    # ...but a channel and ts someone typed in (the committee channel, another person's DM).
    tampered = record_status(
        world.core,
        user=anna,
        activity_id=activity,
        period=T2,
        status_input=StatusInput(Status.DONE, None),
        source="slack",
        message=MessageRef("slack", "C0COMMITTEE", "9.9"),
        with_view=True,
    )
    assert tampered.stored and tampered.message is None and tampered.view is None


def test_the_status_form_checks_the_right_before_it_is_opened(world: World) -> None:
    activity = world.activity_of(SAMHALLSBYGGNAD)
    form = status_form(world.core, user=world.user("U0ANNA"), activity_id=activity, period=T2)
    assert form.item.activity_id == activity and form.period.key == "2024-T2"
    with pytest.raises(Refused):
        status_form(world.core, user=world.user("U0BENGT"), activity_id=activity, period=T2)


def test_concurrent_saves_of_one_activity_get_distinct_versions(world: World) -> None:
    """50 people saving the same activity at once: every save stored, no number twice."""
    activity = world.activity_of(SAMHALLSBYGGNAD)
    anna = world.user("U0ANNA")
    resolve_actor(world.core, anna)
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def save(n: int) -> None:
        barrier.wait()
        try:
            record_status(
                world.core,
                user=anna,
                activity_id=activity,
                period=T2,
                status_input=StatusInput(Status.DEVIATING, f"kommentar {n}"),
                source="slack",
            )
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    versions = _versions(world, activity)
    assert sorted(v.version for v in versions) == list(range(1, 51))
    assert len({v.comment for v in versions}) == 50


def test_every_journalled_submission_is_stored_exactly_once_under_concurrent_drains(
    world: World,
) -> None:
    activities = [world.activity_of(SAMHALLSBYGGNAD, i) for i in range(10)]
    anna = world.user("U0ANNA")
    resolve_actor(world.core, anna)
    comments = [f"svar {n}" for n in range(200)]
    stop = threading.Event()
    drained: list[inbox.Drained] = []
    lock = threading.Lock()

    def on_drained(result: inbox.Drained) -> None:
        with lock:
            drained.append(result)

    def drainer() -> None:
        while not stop.is_set():
            inbox.drain_inbox(world.core, platform="slack", on_drained=on_drained)

    # A second core on the same database stands in for a second process.
    from tests.services.core.conftest import seed  # noqa: F401 (same fixtures)

    other = type(world.core)(settings=world.core.settings, engine=world.core.engine)
    other.attach(world.notifier)

    def other_drainer() -> None:
        while not stop.is_set():
            inbox.drain_inbox(other, platform="slack", on_drained=on_drained)

    threads = [threading.Thread(target=drainer) for _ in range(3)]
    threads.append(threading.Thread(target=other_drainer))
    for thread in threads:
        thread.start()

    def journal(chunk: list[int]) -> None:
        for n in chunk:
            inbox.journal_submission(
                world.core,
                inbox.Submission(
                    user=anna,
                    activity_id=activities[n % 10],
                    unit_id=None,
                    period=T2,
                    status_input=StatusInput(Status.DEVIATING, comments[n]),
                ),
            )

    writers = [threading.Thread(target=journal, args=(list(range(k, 200, 8)),)) for k in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    deadline = threading.Event()
    for _ in range(600):
        if inbox.pending_submissions(world.core, platform="slack") == 0:
            break
        deadline.wait(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    inbox.drain_inbox(world.core, platform="slack", on_drained=on_drained)
    stored = [c for a in activities for c in (v.comment for v in _versions(world, a))]
    assert sorted(stored) == sorted(comments)  # each exactly once
    assert sum(1 for d in drained if d.outcome is not None and d.outcome.stored) == 200
    with session_scope(world.core.engine) as session:
        assert session.exec(select(SubmissionInbox)).all() == []


def test_a_store_that_fails_midway_leaves_the_entry_for_the_next_drain(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save and the removal are one transaction: a crash between them loses nothing and
    stores nothing twice."""
    activity = world.activity_of(SAMHALLSBYGGNAD)
    anna = world.user("U0ANNA")
    inbox.journal_submission(
        world.core,
        inbox.Submission(
            user=anna,
            activity_id=activity,
            unit_id=None,
            period=T2,
            status_input=StatusInput(Status.ON_HOLD, "Väntar"),
        ),
    )
    from sqlalchemy.exc import OperationalError

    real = inbox.store_status

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)  # the version is written in the transaction...
        raise OperationalError("stmt", {}, Exception("the database went away"))

    monkeypatch.setattr(inbox, "store_status", crash)
    assert inbox.drain_inbox(world.core, platform="slack") == 0
    assert _versions(world, activity) == []  # ...and rolled back with it
    assert inbox.pending_submissions(world.core, platform="slack") == 1
    monkeypatch.setattr(inbox, "store_status", real)
    assert inbox.drain_inbox(world.core, platform="slack") == 1
    assert [v.comment for v in _versions(world, activity)] == ["Väntar"]


def test_a_refusal_in_the_inbox_is_reported_and_nothing_stored(world: World) -> None:
    activity = world.activity_of(SAMHALLSBYGGNAD)
    bengt = world.user("U0BENGT")
    world.notifier.directory["bengt@ange.se"] = "U0BENGT"
    inbox.journal_submission(
        world.core,
        inbox.Submission(
            user=bengt,
            activity_id=activity,
            unit_id=None,
            period=T2,
            status_input=StatusInput(Status.DONE, "Klart"),
        ),
    )
    results: list[inbox.Drained] = []
    inbox.drain_inbox(world.core, platform="slack", on_drained=results.append)
    assert [r.refused.key for r in results if r.refused] == ["not_reporter"]
    assert _versions(world, activity) == []
    with pytest.raises(Refused) as refused:
        inbox.journal_submission(
            world.core,
            inbox.Submission(
                user=world.user("U0NOBODY"),
                activity_id=activity,
                unit_id=None,
                period=T2,
                status_input=StatusInput(Status.DONE, "x"),
            ),
        )
    assert refused.value.key == "not_registered"
