"""Build the Teams adapter: the SDK app with our token seam, the notifier attached to the core,
every handler, and the endpoint served next to /healthz and /readyz.

Every SDK option is passed explicitly: the SDK would otherwise read CLIENT_ID, CLIENT_SECRET,
TENANT_ID, SERVICE_URL, CLOUD and DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS from the environment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from microsoft_teams.api import TokenCredentials
from microsoft_teams.apps import App
from microsoft_teams.common import ClientOptions

from bot.services.core import Core
from bot.teams.cloud import TeamsConfigError, endpoints
from bot.teams.connector import Connector
from bot.teams.context import TeamsContext
from bot.teams.delivery import DeliveryEngine
from bot.teams.graph import Graph
from bot.teams.handlers import register_handlers
from bot.teams.links import derive_key
from bot.teams.loop import SdkLoop
from bot.teams.notifier import TeamsNotifier
from bot.teams.publish import Publisher
from bot.teams.server import (
    DRAIN_LIMIT,
    MESSAGES_PATH,
    make_files_wsgi,
    make_messages_wsgi,
    make_teams_wsgi,
)
from bot.teams.tokens import TokenSource
from bot.web.server import Server, ServerLimits, router

logger = logging.getLogger(__name__)

OUTBOUND_TIMEOUT = 30.0


class CaptureAdapter:
    """The SDK's HTTP seam: it registers its route here and Uppsikt's own server calls it."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Any] = {}

    def register_route(self, method: str, path: str, handler: Any) -> None:
        self.routes[(method, path)] = handler

    def serve_static(self, path: str, directory: str) -> None:
        return None

    async def start(self, port: int) -> None:
        raise NotImplementedError("Uppsikt serves the endpoint itself")

    async def stop(self) -> None:
        return None


class TeamsApp:
    """The running adapter: `serve()` starts the endpoint, `stop()` ends everything."""

    def __init__(
        self,
        *,
        core: Core,
        loop: SdkLoop,
        app: App,
        adapter: CaptureAdapter,
        context: TeamsContext,
        link_key: bytes,
    ) -> None:
        self.core = core
        self.loop = loop
        self.app = app
        self.adapter = adapter
        self.context = context
        self._link_key = link_key
        self._server: Server | None = None

    @property
    def handle_request(self) -> Any:
        return self.adapter.routes[("POST", MESSAGES_PATH)]

    def wsgi(self, readiness: Callable[[], dict[str, Any]]) -> Any:
        settings = self.core.settings
        messages = make_messages_wsgi(
            self.loop,
            self.handle_request,
            tenant_id=settings.teams_tenant_id,
            max_body_bytes=settings.max_body_bytes,
        )
        files = make_files_wsgi(self.core, link_key=self._link_key)
        return make_teams_wsgi(files, router({MESSAGES_PATH: messages}, readiness))

    def serve(self, *, readiness: Callable[[], dict[str, Any]]) -> Server:
        """Listen on TEAMS_HOST:TEAMS_PORT (0: any free port); the server, started."""
        settings = self.core.settings
        # Waitress reads bodies up to the drain limit; the endpoint itself answers 413 above
        # settings.max_body_bytes (a clean answer, not a reset).
        limits = ServerLimits(threads=settings.http_threads, max_body_bytes=DRAIN_LIMIT)
        self._server = Server(
            settings.teams_host, settings.teams_port, self.wsgi(readiness), limits=limits
        ).start()
        return self._server

    def stop(self) -> None:
        """Finish what was accepted (rounds, publications), then close the SDK and its loop."""
        self.loop.drain()
        try:
            self.loop.run(self.app.http_client.http.aclose(), 10)
        except Exception:
            logger.debug("the SDK's HTTP client did not close cleanly", exc_info=True)
        self.loop.stop()


def _check(core: Core) -> None:
    settings = core.settings
    if not settings.teams_app_id:
        raise TeamsConfigError("TEAMS_APP_ID is not set")
    if not settings.teams_app_password:
        raise TeamsConfigError("TEAMS_APP_PASSWORD is needed to send (the app's client secret)")


def _quiet_sdk() -> None:
    """The SDK's HTTP client copies its own logger's level onto httpx's every time one is made,
    which would undo the WARNING `uppsikt run` sets and log every connector URL."""
    logging.getLogger("microsoft_teams").setLevel(logging.WARNING)
    logging.getLogger("microsoft_teams.common.http.client").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def build_teams(core: Core, *, verify: bool = True) -> TeamsApp:
    """The Teams adapter for the core; raise on misconfiguration (or a token Entra refuses)."""
    _check(core)
    _quiet_sdk()
    settings = core.settings
    points = endpoints(settings)
    tokens = TokenSource(
        client_id=settings.teams_app_id,
        password=settings.teams_app_password,
        authority=points.authority,
        instance_discovery=points.instance_discovery,
    )
    if verify:
        tokens.token(points.bot_scope)  # a wrong app id or password stops the start, clearly
    loop = SdkLoop()
    try:
        adapter = CaptureAdapter()

        async def make_app() -> App:
            return App(
                client_id=settings.teams_app_id,
                client_secret=None,
                tenant_id=settings.teams_tenant_id,
                token=tokens.for_sdk(loop.tokens),
                cloud=points.cloud,
                service_url=points.service_url,
                http_server_adapter=adapter,
                messaging_endpoint=MESSAGES_PATH,
                dangerously_allow_unauthenticated_requests=False,
                client=ClientOptions(timeout=OUTBOUND_TIMEOUT),
                state=False,
                fetch_user_token=False,
                telemetry={"agent365": False},
            )

        app = loop.run(make_app())
        if not isinstance(app.credentials, TokenCredentials):
            # A CLIENT_SECRET (or managed identity) in the environment took over our token seam.
            raise TeamsConfigError("unset CLIENT_SECRET: Uppsikt uses TEAMS_APP_PASSWORD")
        loop.run(app.initialize())
        connector = Connector(
            app, tokens, app_id=settings.teams_app_id, tenant_id=settings.teams_tenant_id
        )
        link_key = derive_key(settings.teams_app_password)
        publisher = Publisher(
            loop=loop,
            connector=connector,
            graph=Graph(points.graph_url, tokens, points.graph_scope),
            link_key=link_key,
            public_url=settings.teams_public_url,
            default_service_url=points.service_url,
            language=settings.language,
            committee=settings.committee,
        )
        notifier = TeamsNotifier(
            settings=settings,
            loop=loop,
            connector=connector,
            engine=DeliveryEngine(loop, connector, default_service_url=points.service_url),
            publisher=publisher,
            default_service_url=points.service_url,
        )
        context = TeamsContext(core=core, loop=loop, notifier=notifier, connector=connector)
        register_handlers(app, context)
    except BaseException:
        loop.stop()
        raise
    core.attach(notifier)
    logger.info("Teams adapter ready for tenant %s", settings.teams_tenant_id)
    return TeamsApp(
        core=core, loop=loop, app=app, adapter=adapter, context=context, link_key=link_key
    )
