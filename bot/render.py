"""Render a compiled report (`ReportView`) as Markdown, HTML or JSON through Jinja2 templates.

Templates live in the `report_templates` package; a municipality overrides any of them by putting a
file with the same relative name in its own directory (`UPPSIKT_TEMPLATE_DIR`), which the loader
searches first. The intro and closing texts of chapter 1 are templates too
(`texts/<language>/intro.md.j2`, `texts/<language>/closing.md.j2`), written as plain text:
paragraphs separated by blank lines, and in the closing text each section starts with `## Title`.
They are parsed into paragraphs here so that every output format prints the same words.

`prepare_report` does that shared part once (texts, section numbers, fixed strings) for the
formats rendered elsewhere: the Word file (bot/documents/docx.py). `render_report(..., "html",
for_print=True)` renders `report_print.html.j2`, the source of the PDF (bot/documents/pdf.py).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

import report_templates
from bot import i18n
from bot.documents.chart import chart_bars, legend, status_chart_svg
from bot.domain.report import UNIT_SEPARATOR, GoalSection, ReportView
from bot.domain.text import escape_mrkdwn

FORMATS = ("md", "html", "json")
# `__path__` rather than `__file__`: an editable install made before the package had an
# `__init__.py` imports it as a namespace package, which has no `__file__`.
PACKAGED_TEMPLATE_DIR = Path(next(iter(report_templates.__path__))).resolve()
TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2"}
# The HTML for WeasyPrint: the same report with a cover, a table of contents and page furniture.
PRINT_TEMPLATE = "report_print.html.j2"
# How a unit path is printed in running text: the stored " > " would need escaping in Markdown
# and HTML and reads worse than a guillemet. JSON keeps the stored form.
UNIT_PATH_DISPLAY_SEPARATOR = " › "
CHAPTER = "1"

Paragraphs = tuple[str, ...]


@dataclass(frozen=True)
class TextSection:
    """A titled section of a text template (e.g. 1.21 Rapportering och uppföljning)."""

    number: str
    title: str
    paragraphs: Paragraphs


@dataclass(frozen=True)
class NumberedSection:
    """A goal section with the number it is printed under (1.N)."""

    number: str
    section: GoalSection


@dataclass(frozen=True)
class PreparedReport:
    """Everything every output format prints, beyond the view: texts, numbers, fixed strings."""

    view: ReportView
    title: str
    committee: str
    municipality: str
    period_text: str
    period_months: str
    generated_text: str
    intro: Paragraphs
    sections: tuple[NumberedSection, ...]
    closing: tuple[TextSection, ...]
    goal_numbers: dict[int, str]

    def t(self, key: str, **kwargs: object) -> str:
        """A fixed string in the report's language."""
        return i18n.t(self.view.language, key, **kwargs)

    def tn(self, key: str, count: int) -> str:
        """A counted fixed string (`key_one` / `key_other`) in the report's language."""
        return i18n.count(self.view.language, key, count)


# --- filters ----------------------------------------------------------------------------------


slack_escape = escape_mrkdwn  # the Jinja2 filter name for Slack mrkdwn templates


# Inline Markdown syntax that can open a span anywhere in a line: emphasis, code, links, images
# (via `[`), GFM tables and strikethrough, and the escape character itself.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# A `#` that opens a word: an ATX heading at line start, or a closing sequence inside a heading.
_MD_HASH = re.compile(r"(?:^|(?<=\s))#")
# List markers (`- `, `+ `) and ordered-list markers (`1. `, `1) `) at the start of a line.
_MD_BULLET = re.compile(r"^([-+])(?=\s|$)")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A line of only `-` or `=` would turn the line above into a setext heading (or be a rule).
_MD_SETEXT = re.compile(r"^([-=])[-= ]*$")


def _md_escape_line(line: str) -> str:
    # The same three entities Slack needs: Markdown renderers pass raw HTML through otherwise.
    line = slack_escape(line.strip())
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_HASH.sub(r"\\#", line)
    if _MD_SETEXT.match(line) or _MD_BULLET.match(line):
        return "\\" + line
    return _MD_ORDERED.sub(r"\1\\\2", line)


def md_escape(text: object) -> str:
    """Escape user text for one line of Markdown (a heading, table cell or list item).

    The rule, chosen so that user text can never add structure yet stays readable:
    - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`, so raw HTML, autolinks and Slack control
      sequences (`<!channel>`) come out as text, and `>` can never start a block quote;
    - the characters  \\ ` * _ [ ] | ~  are always backslash-escaped (escapes, code, emphasis,
      links and images, GFM table cells, strikethrough);
    - `#` is escaped where it opens a word (heading marker or closing sequence), a leading
      `-`/`+` or `1.`/`1)` followed by a space (list markers) and a line made only of `-`/`=`
      (setext underline, rule) are escaped; the same characters elsewhere stay as typed;
    - all whitespace, newlines included, collapses to single spaces (see `md_text` for blocks).
    """
    return _md_escape_line(" ".join(str(text).split()))


def paragraphs(text: object) -> list[list[str]]:
    """Split text into paragraphs (on blank lines), each a list of its non-empty stripped lines."""
    # A vertical tab or form feed is how Word writes a line or page break into pasted text.
    normalized = (
        str(text)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\x0b", "\n")
        .replace("\x0c", "\n")
        .expandtabs(4)
    )
    result = []
    for block in re.split(r"\n\s*\n", normalized):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            result.append(lines)
    return result


def md_text(text: object, indent: int = 0) -> str:
    """Escape multi-line user text as Markdown blocks: paragraphs kept, line breaks kept.

    Each line is escaped like `md_escape`; lines of a paragraph are joined by a CommonMark hard
    break (a trailing backslash), paragraphs by a blank line; continuation lines are indented by
    `indent` spaces so the text stays inside a list item. Leading spaces are dropped so that user
    indentation cannot start a code block.
    """
    pad = " " * indent
    return ("\n\n" + pad).join(
        ("\\\n" + pad).join(_md_escape_line(line) for line in lines) for lines in paragraphs(text)
    )


def html_paragraphs(text: object) -> Markup:
    """Escape multi-line user text as HTML: `<p>` per paragraph, `<br>` per line break."""
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in lines))
        for lines in paragraphs(text)
    )


def css_string(text: object) -> Markup:
    """Quote text as a CSS string safe inside a `<style>` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;!?-–()'" else f"\\{ord(ch):x} " for ch in str(text)
    )
    return Markup(f'"{escaped}"')


def isodate(value: date | datetime | None, missing: str = "") -> str:
    """Format a date (or a datetime's date) as YYYY-MM-DD; `missing` when there is none."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def unit_path(path: str) -> str:
    """Print a stored unit path (`A > B > C`) for readers (`A › B › C`)."""
    parts = (part.strip() for part in path.split(UNIT_SEPARATOR))
    return UNIT_PATH_DISPLAY_SEPARATOR.join(part for part in parts if part)


# --- environment --------------------------------------------------------------------------------


def _autoescape_for(enabled: bool) -> Callable[[str | None], bool]:
    def decide(name: str | None) -> bool:
        # Only HTML gets entity escaping; Markdown and the plain text templates escape through
        # their own filters, and an HTML entity there would be printed literally.
        return enabled and name is not None and name.endswith((".html", ".html.j2", ".htm"))

    return decide


def make_environment(*, template_dir: Path | None, autoescape_html: bool) -> jinja2.Environment:
    """Build the one Jinja2 environment: override dir first, then the packaged templates."""
    search_path = [str(template_dir)] if template_dir is not None else []
    search_path.append(str(PACKAGED_TEMPLATE_DIR))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search_path),
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
    )
    return env


# --- the texts of chapter 1 ---------------------------------------------------------------------


def _finance_goals(view: ReportView) -> list[str]:
    """The council's finance goals, without a closing full stop, to sit inside a sentence."""
    # One line each: a line break in imported goal text must not become a paragraph or a
    # `## Title` line when the text template's output is parsed.
    return [
        " ".join(goal.split()).rstrip(" .")
        for area in view.all_goals
        if area.is_council_finance
        for goal in area.goals
    ]


def _render_text(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    return env.get_template(name).render(context)


def parse_text(text: str, *, name: str) -> tuple[Paragraphs, tuple[tuple[str, Paragraphs], ...]]:
    """Split a text template's output into leading paragraphs and `## Title` sections."""
    lead: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for lines in paragraphs(text):
        # A heading line may sit directly above its first paragraph without a blank line.
        while lines and lines[0].startswith("## "):
            sections.append((lines[0][3:].strip(), []))
            lines = lines[1:]
        if not lines:
            continue
        if any(line.startswith("## ") for line in lines):
            raise ValueError(f"{name}: a '## Title' line must start a paragraph")
        # Line breaks inside a paragraph of a text template are only wrapping.
        paragraph = " ".join(lines)
        (sections[-1][1] if sections else lead).append(paragraph)
    return tuple(lead), tuple((title, tuple(paras)) for title, paras in sections)


# --- numbering ----------------------------------------------------------------------------------


def _number_sections(view: ReportView) -> tuple[list[NumberedSection], int]:
    """Give each goal section its printed number; return them and the next free number."""
    numbered = []
    following = 1
    for section in view.sections:
        if section.number:
            number = section.number
            last = section.number.rsplit(".", 1)[-1]
            following = int(last) + 1 if last.isdigit() else following + 1
        else:
            number = f"{CHAPTER}.{following}"
            following += 1
        numbered.append(NumberedSection(number, section))
    return numbered, following


# --- rendering ----------------------------------------------------------------------------------


def prepare_report(
    view: ReportView,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
) -> PreparedReport:
    """Render the text templates and number the sections: the shared part of every format."""
    if view.language not in i18n.CATALOGUE:
        raise ValueError(f"no report texts for language {view.language!r}")
    env = make_environment(template_dir=template_dir, autoescape_html=True)
    return _prepare(env, view, committee=committee, municipality=municipality)


def _prepare(
    env: jinja2.Environment, view: ReportView, *, committee: str, municipality: str
) -> PreparedReport:
    t = partial(i18n.t, view.language)
    text_context = {
        "year": view.year,
        "tertial": view.tertial,
        "period": view.period,
        "committee": committee,
        "municipality": municipality,
        "finance_goals": _finance_goals(view),
    }
    intro_name = f"texts/{view.language}/intro.md.j2"
    closing_name = f"texts/{view.language}/closing.md.j2"
    intro, intro_sections = parse_text(_render_text(env, intro_name, text_context), name=intro_name)
    if intro_sections:
        raise ValueError(f"{intro_name}: the intro takes no '## Title' lines")
    closing_lead, closing_parts = parse_text(
        _render_text(env, closing_name, text_context), name=closing_name
    )
    if closing_lead:
        raise ValueError(f"{closing_name}: text before the first '## Title' line")

    sections, following = _number_sections(view)
    closing = tuple(
        TextSection(f"{CHAPTER}.{following + i}", title, texts)
        for i, (title, texts) in enumerate(closing_parts)
    )
    months = {
        1: t("tertial_months_1"),
        2: t("tertial_months_2"),
        3: t("tertial_months_3"),
    }
    return PreparedReport(
        view=view,
        title=t("title"),
        committee=committee,
        municipality=municipality,
        period_text=t("period", tertial=view.tertial, year=view.year),
        period_months=months.get(view.tertial, ""),
        generated_text=t("generated", date=isodate(view.generated_at)),
        intro=intro,
        sections=tuple(sections),
        closing=closing,
        goal_numbers={
            activity.id: item.number for item in sections for activity in item.section.activities
        },
    )


def status_chart(report: PreparedReport) -> Markup:
    """The status-at-a-glance chart of the report as inline SVG ('' when nothing to draw)."""
    missing_label = report.t("col_missing")
    summary = report.view.summary
    svg = status_chart_svg(
        chart_bars(summary, missing_label=missing_label),
        legend(summary, missing_label=missing_label),
        title=report.t("counts_title"),
        total_text=report.t("chart_total", count="{count}"),
    )
    # status_chart_svg escapes every text it draws.
    return Markup(svg)


def render_report(
    view: ReportView,
    fmt: str,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
    for_print: bool = False,
) -> str:
    """Render the report view as `md`, `html` or `json`; raise ValueError for another format.

    `for_print` (HTML only) renders the document WeasyPrint turns into the PDF: a cover, a table
    of contents and running headers and footers around the same content.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    if for_print and fmt != "html":
        raise ValueError("for_print applies to the html format only")
    if view.language not in i18n.CATALOGUE:
        raise ValueError(f"no report texts for language {view.language!r}")
    # Built per call: a report is rendered a few times a tertial, and a fresh loader never
    # serves a municipality's template from a stale cache.
    env = make_environment(template_dir=template_dir, autoescape_html=True)
    report = _prepare(env, view, committee=committee, municipality=municipality)

    if fmt == "json":
        return _render_json(report)

    t = partial(i18n.t, view.language)
    context = {
        "view": view,
        "t": t,
        "tn": partial(i18n.count, view.language),
        "title": report.title,
        "committee": committee,
        "municipality": municipality,
        "period_text": report.period_text,
        "period_months": report.period_months,
        "generated_text": report.generated_text,
        "generated_date": isodate(view.generated_at),
        "intro": report.intro,
        "sections": report.sections,
        "closing": report.closing,
        "goal_numbers": report.goal_numbers,
        "page_footer_css": _css_counter_content(t("page_footer")),
        "status_chart": status_chart(report) if fmt == "html" else "",
    }
    name = PRINT_TEMPLATE if for_print else TEMPLATES[fmt]
    rendered = env.get_template(name).render(context)
    if fmt == "md":
        # Templates stay readable with generous blank lines; Markdown never needs two in a row,
        # and user text never produces them (md_text joins paragraphs with exactly one).
        rendered = re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"
    return rendered


def _css_counter_content(pattern: str) -> Markup:
    """Turn `Sida {page} av {pages}` into a CSS `content` value with page counters."""
    parts: list[str] = []
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts))


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _render_json(report: PreparedReport) -> str:
    document = dataclasses.asdict(report.view)
    # User text stays raw here: this is data for integrations, each consumer escapes for itself.
    for section, item in zip(document["sections"], report.sections, strict=True):
        section["printed_number"] = item.number
    document.update(
        title=report.title,
        committee=report.committee,
        municipality=report.municipality,
        intro={"paragraphs": list(report.intro)},
        closing=[dataclasses.asdict(part) for part in report.closing],
    )
    return (
        json.dumps(document, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )
