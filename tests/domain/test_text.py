"""Cleaning text at the edge: the characters no database or document can hold are dropped."""

from __future__ import annotations

import pytest

from bot.domain.text import clean_text, escape_mrkdwn, has_unsafe_characters


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hej\x00 då", "Hej då"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("non\ufffechar\uffff", "nonchar"),
        ("bell\x07 and esc\x1b", "bell and esc"),
        ("c1\x85 control", "c1 control"),
        ("rad ett\r\nrad två\rrad tre", "rad ett\nrad två\nrad tre"),
        ("tab\tstays", "tab\tstays"),
        ("åäö €", "åäö €"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert clean_text(expected) == expected


def test_one_line_collapses_whitespace() -> None:
    assert clean_text("  Två\n rader\x00 ", one_line=True) == "Två rader"


def test_has_unsafe_characters() -> None:
    assert has_unsafe_characters("a\x00b")
    assert not has_unsafe_characters("rad\r\nrad")


def test_escape_mrkdwn() -> None:
    assert escape_mrkdwn("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
