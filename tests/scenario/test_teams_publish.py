"""Publishing from Teams with the real `uppsikt run`: the report's files uploaded through Graph
to the committee channel and linked from one card; signed links from the bot where Graph
refuses; all of it or nothing when the card cannot be posted."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bot.config import load_settings
from bot.domain.periods import PeriodKey
from bot.services.core import Core
from bot.services.database import close_database, open_database
from bot.services.publishing import list_versions, version_file
from bot.teams import ids
from bot.teams.links import FileRef, derive_key, make_token
from tests.fakes.microsoft import APP_SECRET, CHANNEL_ID
from tests.scenario.teams_support import PUBLIC_URL, World, module_database, start_world
from tests.teams.support import executes, runs, walk

T2 = PeriodKey(2024, 2)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir = tmp_path_factory.mktemp(f"teams-publish-{request.param}")
    for database_url in module_database(request, workdir):
        for started in start_world(request, workdir, database_url):
            for email in ("adam@ange.se", "sara@ange.se", "anna@ange.se"):
                started.install(started.user(email))
            started.say(
                started.user("adam@ange.se"), "<at>Uppsikt</at> kanal", conversation_id=CHANNEL_ID
            )
            yield started


@pytest.fixture(scope="module")
def core(world: World) -> Iterator[Core]:
    settings = load_settings(
        env={"DATABASE_URL": world.database_url}, dotenv_path=world.workdir / "none"
    )
    engine = open_database(settings)
    yield Core(settings=settings, engine=engine)
    close_database(engine)


def publish(world: World, *, with_word: bool = False) -> None:
    sara = world.user("sara@ange.se")
    world.say(sara, "rapport 2024-T2")
    _id, summary = world.cards(sara)[-1]
    verb = ids.PUBLISH_WITH_WORD if with_word else ids.PUBLISH
    action = next(a for a in executes(summary) if a["verb"] == verb)
    status, body = world.invoke(sara, action, {})
    assert (
        status == 200
        and body["value"] == "Rapporten för 2024-T2 sammanställs och publiceras strax."
    )


def change_a_status(world: World, status: str) -> None:
    """Anna reports something, so the next report differs from the last one published."""
    anna = world.user("anna@ange.se")
    world.say(anna, "status")
    _id, card = world.cards(anna)[-1]
    action = next(a for a in executes(card))
    aid = action["data"]["a"]
    _s, body = world.invoke(anna, action, {f"status_{aid}": status, f"comment_{aid}": "Ändrat."})
    assert any(t.startswith("Sparat:") for t in runs(body["value"]))


def channel_card(world: World) -> dict:
    cards = [c for a in world.ms.activities(CHANNEL_ID) for c in world.ms.cards_of(a)]
    return cards[-1]


def test_the_report_is_uploaded_through_graph_and_linked_from_one_card(
    world: World, core: Core
) -> None:
    sara = world.user("sara@ange.se")
    said = [a.get("text", "") for a in world.ms.activities(CHANNEL_ID)]
    assert said[-1].startswith("Den här kanalen är nu utskottets kanal: rapporten publiceras här.")
    publish(world)
    (done,) = world.wait_text(sara, "Rapporten för 2024-T2 är publicerad", timeout=90)
    assert "version 1" in done
    assert (
        len(world.ms.calls_to("graph_files_folder")) == 1
        and len(world.ms.calls_to("graph_upload")) == 1
    )
    pdf = world.ms.uploaded_file("uppsiktsrapport-2024-T2-v1.pdf")
    assert pdf.startswith(b"%PDF") and pdf == version_file(core, period=T2, version=1, fmt="pdf")
    card = channel_card(world)
    assert runs(card)[0] == "Uppsiktsrapport 2024-T2"
    assert [a["url"] for a in card["actions"]] == [
        world.ms.uploaded_item("uppsiktsrapport-2024-T2-v1.pdf")["webUrl"]
    ]
    posted = world.ms.activities(CHANNEL_ID)[-1]
    assert "entities" not in posted and not any("<at>" in t for t in runs(card))


def test_without_graph_permission_the_card_links_to_the_bots_signed_files(
    world: World, core: Core
) -> None:
    sara = world.user("sara@ange.se")
    change_a_status(world, "done")
    world.ms.set_graph_permission(False)
    uploads = len(world.ms.calls_to("graph_upload"))
    publish(world, with_word=True)
    world.wait_text(sara, "Rapporten för 2024-T2 är publicerad", count=2, timeout=90)
    assert len(world.ms.calls_to("graph_upload")) == uploads  # refused at the files folder
    links = [a["url"] for a in channel_card(world)["actions"]]
    assert len(links) == 2 and all(link.startswith(f"{PUBLIC_URL}/files/") for link in links)
    for link, fmt in zip(links, ("pdf", "docx"), strict=True):
        local = world.bot.base + link[len(PUBLIC_URL) :]
        with urllib.request.urlopen(local, timeout=30) as response:
            assert response.read() == version_file(core, period=T2, version=2, fmt=fmt)
            assert f"uppsiktsrapport-2024-T2-v2.{fmt}" in response.headers["Content-Disposition"]
    token = links[0].rsplit("/", 1)[1]
    key = derive_key(APP_SECRET)
    refused = {
        "tampered": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "expired": make_token(key, FileRef(T2, 2, "pdf"), now=time.time() - 31 * 86400),
        "other key": make_token(derive_key("not the password"), FileRef(T2, 2, "pdf")),
    }
    for what, bad in refused.items():
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{world.bot.base}/files/{bad}", timeout=30)
        assert answer.value.code == 403, what
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(
            f"{world.bot.base}/files/{make_token(key, FileRef(T2, 9, 'pdf'))}", timeout=30
        )
    assert missing.value.code == 404
    assert APP_SECRET not in world.bot.logs()


def test_a_card_that_cannot_be_posted_takes_the_uploads_back_and_keeps_no_version(
    world: World, core: Core
) -> None:
    sara = world.user("sara@ange.se")
    world.ms.set_graph_permission(True)
    change_a_status(world, "on_track")
    before = len(world.ms.calls)
    world.ms.inject(re.escape(CHANNEL_ID) + "/activities", status=500)
    publish(world)
    world.wait_text(sara, "Det gick inte att publicera rapporten", timeout=90)
    calls = world.ms.calls[before:]
    uploaded = [c for c in calls if c.kind == "graph_upload"]
    deleted = [c for c in calls if c.method == "DELETE" and "/drives/" in c.path]
    assert len(uploaded) == 1 and len(deleted) == 1
    assert [v.version for v in list_versions(core, period=T2)] == [1, 2]
    assert all("entities" not in n for n in walk(world.ms.activities(CHANNEL_ID)))
    # The publishing service logs the failure once (with its cause); nothing else went wrong.
    assert world.bot.logs().count("Traceback") == 1


def test_the_bot_stops_cleanly(world: World) -> None:
    code, out = world.bot.terminate()
    assert code == 0 and "Uppsikt har stoppats" in out
