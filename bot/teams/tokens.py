"""The bot's own access tokens: MSAL's client-credentials flow, with its cache.

One `ConfidentialClientApplication` for the process. The SDK asks for a token on every outbound
request (through `App(token=...)`); MSAL answers from its cache until the token is near expiry.
The app password stays inside MSAL: it is never logged, and no error message here carries it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import msal

logger = logging.getLogger(__name__)


class TokenRefused(Exception):
    """Entra gave no token (wrong app id or password, unknown tenant, or unreachable)."""


class TokenSource:
    """Access tokens for the Bot Connector and Graph, cached by MSAL."""

    def __init__(
        self,
        *,
        client_id: str,
        password: str,
        authority: str,
        instance_discovery: bool,
        app_factory: Callable[..., Any] = msal.ConfidentialClientApplication,
    ) -> None:
        self._factory = app_factory
        self._args = {
            "client_id": client_id,
            "client_credential": password,
            "authority": authority,
            "instance_discovery": instance_discovery,
        }
        self._lock = threading.Lock()
        self._app: Any = None

    def _client(self) -> Any:
        with self._lock:
            if self._app is None:
                try:
                    self._app = self._factory(**self._args)
                except Exception as error:  # a bad authority, or discovery that failed
                    raise TokenRefused(type(error).__name__) from None
            return self._app

    def token(self, scope: str) -> str:
        """An access token for `scope` (from the cache when it is still good); TokenRefused."""
        try:
            result = self._client().acquire_token_for_client(scopes=[scope])
        except TokenRefused:
            raise
        except Exception as error:  # MSAL raises for 5xx and connection errors
            logger.warning("no token from Entra: %s", type(error).__name__)
            with self._lock:
                # MSAL remembers a failed endpoint for a while; a fresh client starts clean.
                self._app = None
            raise TokenRefused(type(error).__name__) from None
        if not isinstance(result, dict) or "access_token" not in result:
            code = result.get("error", "error") if isinstance(result, dict) else "error"
            logger.warning("Entra refused a token: %s", code)
            raise TokenRefused(str(code))
        return str(result["access_token"])

    def forget(self) -> None:
        """Drop cached access tokens (a service answered 401 to one), so the next call asks anew."""
        with self._lock:
            app = self._app
        if app is None:
            return
        cache = app.token_cache
        for item in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
            cache.remove_at(item)

    def for_sdk(self, executor: Executor) -> Callable[..., Any]:
        """The SDK's token seam: an async callable, so MSAL's HTTP never blocks the event loop."""

        async def sdk_token(scope: str | list[str], _tenant_id: str | None = None) -> str:
            wanted = scope if isinstance(scope, str) else scope[0]
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(executor, self.token, wanted)

        return sdk_token
