"""The Microsoft Graph calls a channel upload needs: the channel's files folder, a simple upload,
and a delete to take an upload back. Application permission Files.ReadWrite.All (or
Sites.Selected on the team's site); without it Graph answers 403 and the caller links instead."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx

from bot.teams.tokens import TokenSource

logger = logging.getLogger(__name__)

TIMEOUT = 60.0


class GraphError(Exception):
    """Graph did not do what was asked; `status` is its HTTP status (0: no answer)."""

    def __init__(self, status: int, what: str) -> None:
        super().__init__(f"{what}: {status}")
        self.status = status


class GraphForbidden(GraphError):
    """The tenant granted the app no permission for this (403)."""


class Graph:
    """A small synchronous Graph client with the bot's application token."""

    def __init__(self, base_url: str, tokens: TokenSource, scope: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.scope = scope

    def _request(self, method: str, path: str, what: str, **kwargs: Any) -> httpx.Response:
        extra = kwargs.pop("headers", {})
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self.tokens.token(self.scope)}", **extra}
            try:
                with httpx.Client(timeout=TIMEOUT) as client:
                    response = client.request(
                        method, self.base_url + path, headers=headers, **kwargs
                    )
            except httpx.HTTPError as error:
                raise GraphError(0, f"{what} ({type(error).__name__})") from None
            if response.status_code == 401 and attempt == 0:
                self.tokens.forget()
                continue
            if response.status_code == 403:
                raise GraphForbidden(403, what)
            if response.status_code >= 400:
                raise GraphError(response.status_code, what)
            return response
        raise GraphError(401, what)

    def files_folder(self, team_id: str, channel_id: str) -> tuple[str, str]:
        """The channel's folder in the team's SharePoint: (drive id, folder item id)."""
        path = f"/teams/{quote(team_id, safe='')}/channels/{quote(channel_id, safe='')}/filesFolder"
        folder = self._request("GET", path, "files folder").json()
        drive = ((folder or {}).get("parentReference") or {}).get("driveId")
        if not isinstance(drive, str) or not isinstance(folder.get("id"), str):
            raise GraphError(200, "files folder (unreadable)")
        return drive, folder["id"]

    def upload(
        self, drive_id: str, folder_id: str, name: str, content: bytes, media_type: str
    ) -> dict[str, Any]:
        """Put one file in the folder; the driveItem (id, webUrl)."""
        path = (
            f"/drives/{quote(drive_id, safe='')}/items/{quote(folder_id, safe='')}:/"
            f"{quote(name, safe='')}:/content"
        )
        item = self._request(
            "PUT", path, "upload", content=content, headers={"Content-Type": media_type}
        ).json()
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise GraphError(200, "upload (unreadable)")
        return item

    def delete(self, drive_id: str, item_id: str) -> None:
        self._request(
            "DELETE",
            f"/drives/{quote(drive_id, safe='')}/items/{quote(item_id, safe='')}",
            "delete",
        )
