"""The one escaping function for user-written text shown in Slack mrkdwn."""

from __future__ import annotations


def escape_mrkdwn(text: object) -> str:
    """Escape exactly `&`, `<`, `>` (`&` first): a comment `<!channel>` is shown, never pings."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
