"""The one Jinja2 environment of the report: the override directory first, then the package.

Templates live in the `report_templates` package; a municipality overrides any of them by putting
a file with the same relative name in its own directory (`UPPSIKT_TEMPLATE_DIR`), which the
loader searches first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

import report_templates
from bot.reporting.text import (
    css_string,
    html_paragraphs,
    isodate,
    md_escape,
    md_text,
    slack_escape,
    unit_leaf,
    unit_path,
)

# `__path__` rather than `__file__`: an editable install made before the package had an
# `__init__.py` imports it as a namespace package, which has no `__file__`.
PACKAGED_TEMPLATE_DIR = Path(next(iter(report_templates.__path__))).resolve()


def template_dirs(template_dir: Path | None) -> list[Path]:
    """The directories templates (and the files they name) come from, searched in this order."""
    return ([template_dir] if template_dir is not None else []) + [PACKAGED_TEMPLATE_DIR]


def _autoescape_for(enabled: bool) -> Callable[[str | None], bool]:
    def decide(name: str | None) -> bool:
        # Only HTML gets entity escaping; Markdown and the plain text templates escape through
        # their own filters, and an HTML entity there would be printed literally.
        return enabled and name is not None and name.endswith((".html", ".html.j2", ".htm"))

    return decide


def make_environment(*, template_dir: Path | None, autoescape_html: bool) -> jinja2.Environment:
    """Build the one Jinja2 environment: override dir first, then the packaged templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(template_dir)]),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape_for(autoescape_html),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        slack_escape=slack_escape,
        md_escape=md_escape,
        md_text=md_text,
        html_paragraphs=html_paragraphs,
        css_string=css_string,
        isodate=isodate,
        unit_path=unit_path,
        unit_leaf=unit_leaf,
    )
    return env
