"""The report as an A4 PDF: the print HTML (`report_print.html.j2`) laid out by WeasyPrint.

PDF/A-2a and tagged for PDF/UA-1 (see pdfa.py): an archival record that a screen reader reads
in order, with headings, table headers, the language, the title and the chart's description.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from bot.domain.report import ReportView
from bot.reporting.markup import render_markup
from bot.reporting.pdfa import VARIANT, finisher
from bot.reporting.prepare import PreparedReport, prepare_report
from bot.reporting.templates import make_environment, template_dirs

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


class ResourceRefused(ValueError):
    """The document asked for a resource outside the template directories."""


def url_fetcher(allowed_dirs: list[Path]) -> URLFetcher:
    """A fetcher of data: URLs and files inside the template directories (e.g. a cover logo).

    User text is escaped and can add no element, but a fetcher that refuses the network and the
    rest of the file system keeps the PDF step from ever reaching out, whatever a template says.
    """
    from weasyprint.urls import URLFetcher

    roots = [d.resolve() for d in allowed_dirs]

    class TemplateFilesOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            allowed = parsed.scheme == "data" or (
                parsed.scheme == "file"
                and any(Path(unquote(parsed.path)).resolve().is_relative_to(root) for root in roots)
            )
            if not allowed:
                logger.warning("PDF: refused to fetch %s", url)
                raise ResourceRefused(f"resource not allowed in the report: {url}")
            return super().fetch(url, headers)

    return TemplateFilesOnly(allowed_protocols=("data", "file"))


def render_pdf(
    view: ReportView,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
) -> bytes:
    """Render the report view as an A4 PDF with cover, contents, running header and footer."""
    from weasyprint import HTML

    env = make_environment(template_dir=template_dir, autoescape_html=True)
    report = prepare_report(view, committee=committee, municipality=municipality, env=env)
    html = render_markup(report, "html", env=env, for_print=True)
    allowed = template_dirs(template_dir)
    document = HTML(
        string=html, base_url=f"{allowed[0].resolve().as_uri()}/", url_fetcher=url_fetcher(allowed)
    )
    pdf: bytes = document.write_pdf(pdf_variant=VARIANT, finisher=finisher(link_texts(report)))
    return pdf


def link_texts(report: PreparedReport) -> dict[str, str]:
    """What each anchor of the table of contents leads to, for the links' descriptions."""
    t = report.t
    texts = {
        "summary": t("summary_title"),
        "glance": t("glance_title"),
        "attention": t("attention_title"),
        "missing": t("missing_title"),
        "planning": t("planning_title"),
        "chapter-1": f"1 {t('chapter1_title')}",
        "chapter-2": f"2 {t('chapter2_title')}",
    }
    if report.view.changes is not None:
        texts["changes"] = t("changes_title", previous=report.view.changes.previous_period)
    for item in report.sections:
        texts[f"goal-{item.number.replace('.', '-')}"] = f"{item.number} {item.section.text}"
    for part in report.closing:
        texts[f"closing-{part.number.replace('.', '-')}"] = f"{part.number} {part.title}"
    return texts
