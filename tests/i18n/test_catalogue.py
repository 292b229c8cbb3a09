"""The one translation catalogue: Swedish and English have the same keys and placeholders."""

from __future__ import annotations

import importlib

import pytest

from bot import i18n


def test_both_languages_have_the_same_keys() -> None:
    swedish, english = set(i18n.CATALOGUE["sv"]), set(i18n.CATALOGUE["en"])
    assert swedish - english == set(), "missing in English"
    assert english - swedish == set(), "missing in Swedish"


@pytest.mark.parametrize("key", sorted(i18n.CATALOGUE["sv"]))
def test_each_message_has_the_same_placeholders_in_both_languages(key: str) -> None:
    assert i18n.placeholders(i18n.CATALOGUE["sv"][key]) == i18n.placeholders(
        i18n.CATALOGUE["en"][key]
    )


def test_a_key_defined_in_two_areas_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    report = importlib.import_module("bot.i18n.report")
    common = importlib.import_module("bot.i18n.common")
    key = next(iter(report.MESSAGES["sv"]))
    monkeypatch.setitem(common.MESSAGES["sv"], key, "dubblett")
    with pytest.raises(RuntimeError, match=key):
        i18n._load()


def test_unknown_language_falls_back_to_swedish_and_missing_keys_fail_loudly() -> None:
    assert i18n.t("fi", "status_required") == i18n.t("sv", "status_required")
    with pytest.raises(KeyError):
        i18n.t("sv", "no such message")
