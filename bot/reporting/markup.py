"""The report as Markdown or HTML through the Jinja2 templates (`report.md.j2`, `report.html.j2`).

`render_markup(report, "html", for_print=True)` renders `report_print.html.j2`: the same HTML
with a cover, a table of contents and page furniture, the source of the PDF (bot/reporting/pdf.py).
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import Markup

from bot.reporting.chart import Bar, chart_bars, legend, status_chart_svg
from bot.reporting.prepare import PreparedReport
from bot.reporting.text import css_counter_content, isodate

MARKUP_FORMATS = ("md", "html")
TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2"}
# The HTML for WeasyPrint: the same report with a cover, a table of contents and page furniture.
PRINT_TEMPLATE = "report_print.html.j2"


def chart_description(report: PreparedReport, bars: tuple[Bar, ...]) -> str:
    """The chart in words, its alternative text: every area's total and non-zero counts."""
    areas = "; ".join(
        report.t(
            "chart_alt_area",
            area=bar.label,
            activities=report.tn("activities", bar.total),
            counts=", ".join(f"{s.label} {s.count}" for s in bar.segments if s.count),
        )
        for bar in bars
    )
    return report.t("chart_alt", title=report.t("counts_title"), areas=areas)


def status_chart(report: PreparedReport) -> Markup:
    """The status-at-a-glance chart of the report as inline SVG ('' when nothing to draw)."""
    missing_label = report.t("col_missing")
    summary = report.view.summary
    bars = chart_bars(summary, missing_label=missing_label)
    svg = status_chart_svg(
        bars,
        legend(summary, missing_label=missing_label),
        # The SVG's title is its accessible name: the PDF's alternative text of the figure.
        title=chart_description(report, bars),
        total_text=report.t("chart_total", count="{count}"),
    )
    # status_chart_svg escapes every text it draws.
    return Markup(svg)


def _context(report: PreparedReport, fmt: str) -> dict[str, Any]:
    view = report.view
    return {
        "view": view,
        "t": report.t,
        "tn": report.tn,
        "title": report.title,
        "document_title": report.document_title,
        "author": report.municipality or report.committee,
        "footer_left": " · ".join(p for p in (report.municipality, report.period_text) if p),
        "committee": report.committee,
        "municipality": report.municipality,
        "period_text": report.period_text,
        "period_months": report.period_months,
        "generated_text": report.generated_text,
        "generated_date": isodate(view.generated_at),
        "intro": report.intro,
        "sections": report.sections,
        "closing": report.closing,
        "goal_numbers": report.goal_numbers,
        "lists": report.summary,
        "units": report.units,
        "page_footer_css": css_counter_content(report.t("page_footer")),
        "status_chart": status_chart(report) if fmt == "html" else "",
    }


def render_markup(
    report: PreparedReport, fmt: str, *, env: jinja2.Environment, for_print: bool = False
) -> str:
    """Render a prepared report as `md` or `html` with the environment's templates."""
    if fmt not in MARKUP_FORMATS:
        raise ValueError(f"not a markup format: {fmt!r}")
    if for_print and fmt != "html":
        raise ValueError("for_print applies to the html format only")
    name = PRINT_TEMPLATE if for_print else TEMPLATES[fmt]
    rendered = env.get_template(name).render(_context(report, fmt))
    if fmt == "md":
        # Templates stay readable with generous blank lines; Markdown never needs two in a row,
        # and user text never produces them (md_text joins paragraphs with exactly one).
        rendered = re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"
    return rendered
