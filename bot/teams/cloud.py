"""Where Teams lives for this tenant: the cloud's endpoints, and the overrides the settings give."""

from __future__ import annotations

from dataclasses import dataclass

from microsoft_teams.api.auth.cloud_environment import (
    CloudEnvironment,
    from_name,
    with_overrides,
)

from bot.config import Settings

# The Bot Connector's global entry point per cloud; Teams sends each activity's own serviceUrl,
# which is what replies and reminders use once a person has written or installed the app.
DEFAULT_SERVICE_URLS = {
    "Public": "https://smba.trafficmanager.net/teams",
    "USGov": "https://smba.infra.gcc.teams.microsoft.com/teams",
    "USGovDoD": "https://smba.infra.dod.teams.microsoft.us/teams",
    "China": "https://frontend.botapi.msg.infra.teams.microsoftonline.cn/teams",
}


class TeamsConfigError(ValueError):
    """The Teams settings cannot work together; the message names the setting."""


@dataclass(frozen=True)
class Endpoints:
    """Every address the adapter talks to, and the scopes it asks tokens for."""

    cloud: CloudEnvironment
    service_url: str
    graph_url: str
    authority: str
    instance_discovery: bool

    @property
    def bot_scope(self) -> str:
        return self.cloud.bot_scope

    @property
    def graph_scope(self) -> str:
        return self.cloud.graph_scope


def endpoints(settings: Settings) -> Endpoints:
    """The endpoints of TEAMS_CLOUD with TEAMS_OPENID_METADATA_URL, TEAMS_TOKEN_ISSUER,
    TEAMS_AUTHORITY_HOST, TEAMS_SERVICE_URL and TEAMS_GRAPH_URL applied over them."""
    metadata = settings.teams_openid_metadata_url
    if metadata and not metadata.endswith("/openidconfiguration"):
        # The SDK finds the keys by replacing this last segment with /keys.
        raise TeamsConfigError("TEAMS_OPENID_METADATA_URL must end in /openidconfiguration")
    host = settings.teams_authority_host
    if host and not host.startswith("https://"):
        raise TeamsConfigError("TEAMS_AUTHORITY_HOST must be an https:// address (MSAL needs it)")
    base = from_name(settings.teams_cloud)
    cloud = with_overrides(
        base,
        openid_metadata_url=metadata or None,
        token_issuer=settings.teams_token_issuer or None,
        login_endpoint=host or None,
    )
    graph_root = cloud.graph_scope.removesuffix("/.default").rstrip("/")
    return Endpoints(
        cloud=cloud,
        service_url=(
            settings.teams_service_url or DEFAULT_SERVICE_URLS[settings.teams_cloud]
        ).rstrip("/"),
        graph_url=(settings.teams_graph_url or f"{graph_root}/v1.0").rstrip("/"),
        authority=f"{cloud.login_endpoint.rstrip('/')}/{settings.teams_tenant_id}",
        # A login host of one's own (a sovereign cloud's, a test's) is not in Microsoft's list.
        instance_discovery=not host,
    )
