"""Golden files of the rendered report: they are the spec, read them when they change."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.domain.report import ReportView
from bot.reporting import render_report

CASES = [("sv", "md"), ("sv", "html"), ("sv", "json"), ("en", "md")]


@pytest.mark.parametrize(("language", "fmt"), CASES)
def test_report_matches_golden_file(
    language: str,
    fmt: str,
    make_view: Callable[..., ReportView],
    golden: Callable[[str, str], None],
) -> None:
    committee = "Kommunstyrelsen" if language == "sv" else "Executive board"
    rendered = render_report(
        make_view(language), fmt, committee=committee, municipality="Ånge kommun"
    )
    golden(f"report_{language}.{fmt}", rendered)
