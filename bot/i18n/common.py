"""Messages every surface shares: refusals raised by the services, and general failures."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {"sv": {}, "en": {}}
