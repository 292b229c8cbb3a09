"""Publishing is one act, once: a version per change, kept byte for byte, nothing on failure."""

from __future__ import annotations

import hashlib
import threading

import pytest

from bot.domain.periods import PeriodKey
from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services.errors import Refused
from bot.services.publishing import list_versions, publish_report, version_file
from bot.services.status import record_status
from tests.services.core.conftest import SAMHALLSBYGGNAD, T2, World

# Rendering a PDF takes seconds: the rules of publishing are the same on both databases, so
# only the race (row locks differ) runs on PostgreSQL too.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

T1 = PeriodKey(2024, 1)


@sqlite_only
def test_publish_stores_a_version_and_a_second_press_publishes_nothing(world: World) -> None:
    sara = world.user("U0SARA")
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    first = publish_report(world.core, who=sara, period=T1, include_docx=True)
    assert first.version == 1
    (post,) = world.notifier.published
    pdf, word = post["documents"]
    assert pdf.content.startswith(b"%PDF") and word.content.startswith(b"PK")
    with pytest.raises(Refused) as refused:
        publish_report(world.core, who=sara, period=T1, include_docx=True)
    assert refused.value.key == "already_published" and refused.value.params["version"] == 1
    assert len(world.notifier.published) == 1
    (stored,) = list_versions(world.core, period=T1)
    assert stored.pdf_sha256 == hashlib.sha256(pdf.content).hexdigest()
    assert version_file(world.core, period=T1, version=1, fmt="pdf") == pdf.content
    assert version_file(world.core, period=T1, version=1, fmt="docx") == word.content
    assert b'"period": "2024-T1"' in version_file(world.core, period=T1, version=1, fmt="json")


def test_a_double_click_publishes_once(world: World) -> None:
    sara = world.user("U0SARA")
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def press() -> None:
        barrier.wait()
        try:
            outcomes.append(publish_report(world.core, who=sara, period=T1))
        except Refused as refused:
            outcomes.append(refused.key)

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(world.notifier.published) == 1
    assert sorted(str(o) if isinstance(o, str) else "published" for o in outcomes) in (
        ["already_published", "published"],
        ["publish_in_progress", "published"],
    )
    assert [v.version for v in list_versions(world.core, period=T1)] == [1]


@sqlite_only
def test_a_failed_post_keeps_no_version_and_a_retry_publishes(world: World) -> None:
    sara = world.user("U0SARA")
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    world.notifier.fail_publish = True
    with pytest.raises(Refused) as refused:
        publish_report(world.core, who=sara, period=T1)
    assert refused.value.key == "publish_failed"
    assert list_versions(world.core, period=T1) == []
    world.notifier.fail_publish = False
    assert publish_report(world.core, who=sara, period=T1).version == 1


@sqlite_only
def test_a_change_after_publishing_is_a_new_version_never_a_changed_one(world: World) -> None:
    sara = world.user("U0SARA")
    world.notifier.directory["sara@ange.se"] = "U0SARA"
    publish_report(world.core, who=sara, period=T2)
    first_pdf = version_file(world.core, period=T2, version=1, fmt="pdf")
    record_status(
        world.core,
        user=world.user("U0ANNA"),
        activity_id=world.activity_of(SAMHALLSBYGGNAD),
        period=T2,
        status_input=StatusInput(Status.ON_TRACK, "Enligt plan"),
        source="slack",
    )
    assert publish_report(world.core, who=sara, period=T2).version == 2
    assert version_file(world.core, period=T2, version=1, fmt="pdf") == first_pdf
    assert [v.version for v in list_versions(world.core, period=T2)] == [1, 2]


@sqlite_only
def test_only_a_secretary_publishes(world: World) -> None:
    with pytest.raises(Refused) as refused:
        publish_report(world.core, who=world.user("U0ANNA"), period=T1)
    assert refused.value.key == "not_secretary"
    assert world.notifier.published == [] and list_versions(world.core, period=T1) == []
    with pytest.raises(Refused) as refused:
        version_file(world.core, period=T1, version=1, fmt="pdf")
    assert refused.value.key == "unknown_version"
