"""The fixed strings of the report: both languages complete, and every key in use exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import i18n
from bot.i18n import report as report_messages
from bot.reporting import PACKAGED_TEMPLATE_DIR

ROOT = Path(__file__).resolve().parents[2]


def test_languages_have_the_same_keys() -> None:
    assert set(i18n.CATALOGUE) == {"sv", "en"}
    assert set(i18n.CATALOGUE["sv"]) == set(i18n.CATALOGUE["en"])
    for language, messages in i18n.CATALOGUE.items():
        assert all(text.strip() for text in messages.values()), language


def test_placeholders_match_between_languages() -> None:
    for key, swedish in i18n.CATALOGUE["sv"].items():
        english = i18n.CATALOGUE["en"][key]
        assert set(re.findall(r"\{(\w+)\}", swedish)) == set(re.findall(r"\{(\w+)\}", english)), key


def test_t_formats_and_fails_loudly() -> None:
    assert i18n.t("sv", "col_start") == "Startdatum"
    assert i18n.t("en", "period", tertial=1, year=2024) == "Tertial 1, 2024"
    assert i18n.t("sv", "goals_in_area", area="Vuxna") == "Mål inom målområde Vuxna"
    with pytest.raises(KeyError):
        i18n.t("sv", "no_such_key")


def test_every_key_used_exists_and_every_key_is_used() -> None:
    sources = [
        *(ROOT / "bot" / "reporting").rglob("*.py"),
        *(ROOT / "bot" / "cli").rglob("*.py"),  # the report command's own notes
        *PACKAGED_TEMPLATE_DIR.glob("*.j2"),
    ]
    texts = [source.read_text(encoding="utf-8") for source in sources]
    used = {
        key
        for text in texts
        for key in re.findall(r"\b(?:t|tr)\(\s*(?:[\w.]+,\s*)?[\"'](\w+)[\"']", text)
    }
    # Counted strings: tn("units", n) uses units_one and units_other.
    used |= {
        f"{key}_{form}"
        for text in texts
        for key in re.findall(r"\btn\(\s*[\"'](\w+)[\"']", text)
        for form in ("one", "other")
    }
    assert used - set(i18n.CATALOGUE["sv"]) == set()
    assert set(report_messages.MESSAGES["sv"]) - used == set()
