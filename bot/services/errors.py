"""The one refusal type every service raises and every surface translates."""

from __future__ import annotations


class Refused(Exception):
    """Not allowed, not valid, or not possible now; nothing was stored.

    `key` names the message in the catalogue (bot.i18n) and `params` fill it in. `retry` is true
    when the same request may succeed later (a platform or database that did not answer);
    `needs_confirmation` when the person may insist (a deadline already past, say).
    """

    def __init__(
        self, key: str, *, retry: bool = False, needs_confirmation: bool = False, **params: object
    ) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.retry = retry
        self.needs_confirmation = needs_confirmation

    def __repr__(self) -> str:
        return f"Refused({self.key!r}, {self.params!r})"
