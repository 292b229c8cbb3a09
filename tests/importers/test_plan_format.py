"""The plan format's cell conventions: the CSV formula guard, and the one matching rule."""

from __future__ import annotations

import random

import pytest

from bot.importers.matching import match_key, unit_path_key
from bot.planfile.format import FORMULA_TRIGGERS, guard_formula, unguard_formula

ALPHABET = "'=+-@\t\rax "


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+46 70", "'+46 70"),
        ("-5 grader", "'-5 grader"),
        ("@here", "'@here"),
        ("\tindrag", "'\tindrag"),
        ("\rx", "'\rx"),
        ("'=redan", "''=redan"),
        ("'vanlig", "'vanlig"),
        ("vanlig = text", "vanlig = text"),
        ("", ""),
    ],
)
def test_the_guard_adds_one_apostrophe_where_a_spreadsheet_sees_a_formula(
    text: str, written: str
) -> None:
    assert guard_formula(text) == written
    assert unguard_formula(written) == text
    assert written[:1] not in FORMULA_TRIGGERS or written == ""


def test_guarding_is_lossless_for_every_text() -> None:
    rnd = random.Random(5)
    for _ in range(5000):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randrange(0, 6)))
        assert unguard_formula(guard_formula(text)) == text, repr(text)


def test_one_matching_rule() -> None:
    assert match_key("  Sjukfrånvaron   ska\tMINSKA. ") == "sjukfrånvaron ska minska."
    assert match_key("Sjukfrånvaron\x00 ska minska.") == match_key("sjukfrånvaron ska minska.")
    assert unit_path_key(["KSF ", " social  Verksamhet"]) == "ksf > social verksamhet"
