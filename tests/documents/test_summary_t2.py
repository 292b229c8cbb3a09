"""The summary of a realistic T2 (27 of 79 activities missing): one glance page, then each
activity at most once, and a few pages in all."""

from __future__ import annotations

import html
from io import BytesIO

import pytest
from pypdf import PdfReader

from bot.domain.report import ReportView
from bot.reporting import render_report
from bot.reporting.text import md_escape
from tests.documents.support import COMMITTEE, MUNICIPALITY, T2_MISSING, pdf_pages, squash

CHAPTER_1 = "Redovisning av arbete för de politiska målen"
# The PDF's summary (glance page included) fits in this many pages; it ran ten before.
MAX_SUMMARY_PAGES = 5


def test_the_t2_is_realistic(t2_view: ReportView) -> None:
    summary = t2_view.summary
    assert (summary.total, summary.reported, summary.missing) == (79, 79 - T2_MISSING, T2_MISSING)
    changes = t2_view.changes
    assert changes is not None and changes.previous_period == "2024-T1"
    assert changes.new_deviations and changes.completed and changes.not_reported_now
    assert {a.status for a in summary.attention} >= {"deviating", "on_hold"}


def _repeated_titles(text: str, titles: list[str]) -> list[str]:
    """Titles printed more than once (a title inside a longer title does not count)."""
    repeated = []
    for title in titles:
        inside_others = sum(
            text.count(other) for other in titles if other != title and title in other
        )
        if text.count(title) - inside_others > 1:
            repeated.append(title)
    return repeated


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_activity_is_listed_twice_in_the_summary(t2_view: ReportView, fmt: str) -> None:
    out = render_report(t2_view, fmt, committee=COMMITTEE, municipality=MUNICIPALITY)
    summary_part = out[: out.index(CHAPTER_1)]
    escape = md_escape if fmt == "md" else html.escape
    titles = sorted({escape(a.title) for s in t2_view.sections for a in s.activities})
    listed = [title for title in titles if title in summary_part]
    # The lists hold the deviations and on hold, the missing ones and the other changes.
    assert len(listed) >= len(t2_view.summary.attention) + T2_MISSING
    assert _repeated_titles(summary_part, titles) == []


def _summary_pages(pdf: bytes) -> tuple[int, list[str]]:
    """The number of pages from the summary's first page to the page before chapter 1."""
    pages = [squash(text) for text in pdf_pages(pdf)]
    first = next(i for i, p in enumerate(pages) if i > 1 and p.startswith("Sammanfattning"))
    chapter_1 = next(i for i, p in enumerate(pages) if i > first and f"1 {CHAPTER_1}" in p)
    return chapter_1 - first, pages[first:chapter_1]


def test_the_summary_is_a_glance_page_and_a_few_more(t2_pdf: bytes, t2_view: ReportView) -> None:
    count, pages = _summary_pages(t2_pdf)
    assert count <= MAX_SUMMARY_PAGES, f"the summary runs {count} pages"
    glance = pages[0]
    # The glance page: the totals, the chart's legend and the counts table, and nothing else.
    assert "Perioden omfattar 79 aktiviteter: 52 har rapporterats och 27 saknar rapport." in glance
    assert "Alla målområden" in glance and "Ej rapporterad (27)" in glance
    assert "Avvikelser och vänteläge" not in glance
    assert pages[1].startswith("Avvikelser och vänteläge") or "Avvikelser och vänteläge" in pages[1]
    reader = PdfReader(BytesIO(t2_pdf))
    assert len(reader.pages) > count + 2
