"""Moved to `bot.reporting`; kept only until bot/services/publishing.py imports it from there.

Use `from bot.reporting import render_document` (same signature). Delete this module then.
"""

from __future__ import annotations

from bot.reporting import DOCUMENT_FORMATS, MEDIA_TYPES, render_document

__all__ = ["DOCUMENT_FORMATS", "MEDIA_TYPES", "render_document"]
