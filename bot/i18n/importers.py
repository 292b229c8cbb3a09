"""Messages of the plan and report importers and of the export."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {"sv": {}, "en": {}}
