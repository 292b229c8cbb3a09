"""Publishing to the committee channel as one act: the files, then one card linking them.

Files go to the channel's files folder through Graph. Where Graph refuses (403: no permission
granted), the card links to the bot's own `/files/<token>` instead, signed and expiring. If the
card cannot be posted after uploads, the uploads are deleted (as far as Graph lets us) and the
error goes up, so the services keep no version.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.report import Summary
from bot.services.notifier import PublishedPost, ReportDocument
from bot.teams.cards.common import card_bytes
from bot.teams.cards.report import build_committee_card
from bot.teams.channel import parse_channel
from bot.teams.connector import Connector, card_activity
from bot.teams.graph import Graph, GraphForbidden
from bot.teams.links import FILES_PATH, FORMATS, FileRef, make_token, parse_version_key
from bot.teams.loop import SdkLoop

logger = logging.getLogger(__name__)


class PublishError(Exception):
    """The report could not be posted; nothing of it is left in the channel."""


@dataclass
class Publisher:
    loop: SdkLoop
    connector: Connector
    graph: Graph
    link_key: bytes
    public_url: str
    default_service_url: str
    language: str
    committee: str

    def _links(self, key: str, documents: Sequence[ReportDocument]) -> list[tuple[str, str]]:
        if not self.public_url:
            raise PublishError("Graph refused the upload and TEAMS_PUBLIC_URL is not set for links")
        period, version = parse_version_key(key)
        links = []
        for document in documents:
            fmt = document.filename.rsplit(".", 1)[-1].lower()
            if fmt not in FORMATS:
                raise PublishError(f"cannot link a .{fmt} file")
            token = make_token(self.link_key, FileRef(period, version, fmt))
            links.append((document.title, f"{self.public_url.rstrip('/')}{FILES_PATH}{token}"))
        return links

    def publish(
        self,
        channel: str,
        *,
        key: str,
        period: str,
        summary: Summary,
        documents: Sequence[ReportDocument],
    ) -> PublishedPost:
        try:
            target = parse_channel(channel)
        except ValueError as error:
            raise PublishError(f"the committee channel is not a Teams channel: {error}") from None
        uploaded: list[tuple[str, str]] = []  # (drive id, item id), to take back on failure
        files: list[tuple[str, str]] = []
        refs: list[str] = []
        if target.can_upload:
            try:
                drive_id, folder_id = self.graph.files_folder(target.team_id, target.channel_id)
                for document in documents:
                    item = self.graph.upload(
                        drive_id,
                        folder_id,
                        document.filename,
                        document.content,
                        document.media_type,
                    )
                    uploaded.append((drive_id, str(item["id"])))
                    files.append((document.title, str(item.get("webUrl") or "")))
                    refs.append(str(item.get("webUrl") or item["id"]))
            except GraphForbidden:
                logger.warning("Graph refused the channel upload; linking the files from the bot")
                self._take_back(uploaded)
                uploaded, files, refs = [], [], []
            except Exception:
                self._take_back(uploaded)
                raise
        if not files:
            files = self._links(key, documents)
            refs = [f"link:{key}:{d.filename.rsplit('.', 1)[-1]}" for d in documents]
        card = build_committee_card(
            language=self.language,
            period_key=period,
            summary=summary,
            committee=self.committee,
            files=files,
        )
        service_url = (target.service_url or self.default_service_url).rstrip("/")
        try:
            if card_bytes(card) > 27 * 1024:
                raise PublishError("the committee card is too large")
            activity_id = self.loop.run(
                self.connector.send(
                    target.conversation_id,
                    service_url,
                    card_activity(card, summary=str(card.get("fallbackText") or "")),
                )
            )
        except Exception:
            self._take_back(uploaded)
            raise
        return PublishedPost(channel=target.conversation_id, message=activity_id, files=tuple(refs))

    def _take_back(self, uploaded: list[tuple[str, str]]) -> None:
        for drive_id, item_id in uploaded:
            try:
                self.graph.delete(drive_id, item_id)
            except Exception as error:  # best effort: say so, the version is not kept anyway
                logger.warning(
                    "an uploaded report file could not be deleted: %s", type(error).__name__
                )
