"""The report as an A4 PDF: the print HTML (`report_print.html.j2`) laid out by WeasyPrint."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from bot.domain.report import ReportView
from bot.render import PACKAGED_TEMPLATE_DIR, render_report

logger = logging.getLogger(__name__)


class ResourceRefused(ValueError):
    """The document asked for a resource outside the template directories."""


def _url_fetcher(allowed_dirs: list[Path]):
    """A fetcher of data: URLs and files inside the template directories (e.g. a cover logo).

    User text is escaped and can add no element, but a fetcher that refuses the network and the
    rest of the file system keeps the PDF step from ever reaching out, whatever a template says.
    """
    from weasyprint.urls import URLFetcher

    roots = [d.resolve() for d in allowed_dirs]

    class TemplateFilesOnly(URLFetcher):
        def fetch(self, url: str, headers=None):
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

    html = render_report(
        view,
        "html",
        committee=committee,
        municipality=municipality,
        template_dir=template_dir,
        for_print=True,
    )
    base = template_dir if template_dir is not None else PACKAGED_TEMPLATE_DIR
    allowed = [PACKAGED_TEMPLATE_DIR] + ([template_dir] if template_dir is not None else [])
    document = HTML(
        string=html, base_url=f"{base.resolve().as_uri()}/", url_fetcher=_url_fetcher(allowed)
    )
    return document.write_pdf()
