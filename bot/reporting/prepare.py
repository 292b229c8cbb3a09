"""The shared preparation of every rendering: a `PreparedReport` built once from a `ReportView`.

It renders the text templates of chapter 1 (`texts/<language>/intro.md.j2` and `closing.md.j2`,
plain text: paragraphs separated by blank lines, and in the closing text each section starts
with `## Title`) and parses them into paragraphs, so that every output format prints the same
words; it numbers the goal sections as printed (1.N) and holds the fixed strings of the title,
the committee and the period. Markdown, HTML, JSON, PDF and Word all render from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from bot import i18n
from bot.domain.report import GoalSection, ReportView
from bot.reporting.summary import SummaryLists, summary_lists
from bot.reporting.templates import make_environment
from bot.reporting.text import common_root, isodate, paragraphs, units_text

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
    title: str  # "Uppsiktsrapport till kommunstyrelsen": the running header's too
    committee: str
    municipality: str
    document_title: str  # the title in the file's metadata: title, period and municipality
    period_text: str
    period_months: str
    generated_text: str
    intro: Paragraphs
    sections: tuple[NumberedSection, ...]
    closing: tuple[TextSection, ...]
    goal_numbers: dict[int, str]
    summary: SummaryLists
    # The administration every responsible unit belongs to, left out of the summary's unit names.
    unit_root: str = ""

    def t(self, key: str, **kwargs: object) -> str:
        """A fixed string in the report's language."""
        return i18n.t(self.view.language, key, **kwargs)

    def tn(self, key: str, count: int) -> str:
        """A counted fixed string (`key_one` / `key_other`) in the report's language."""
        return i18n.count(self.view.language, key, count)

    def units(self, paths: tuple[str, ...] | list[str] | str) -> str:
        """Units as the summary names them: short, the shared administration left out."""
        return units_text([paths] if isinstance(paths, str) else paths, root=self.unit_root)


def recipient(committee: str, language: str) -> str:
    """The committee as it reads after "till": `Kommunstyrelsen` -> `kommunstyrelsen`.

    Swedish writes the name of a body in lower case inside a sentence; an abbreviation (`KS`)
    or a name in another language keeps its capitals.
    """
    name = " ".join(committee.split())
    if language == "sv" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


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


def prepare_report(
    view: ReportView,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
    env: jinja2.Environment | None = None,
) -> PreparedReport:
    """Render the text templates and number the sections: the shared part of every format."""
    if view.language not in i18n.CATALOGUE:
        raise ValueError(f"no report texts for language {view.language!r}")
    if env is None:
        env = make_environment(template_dir=template_dir, autoescape_html=True)

    def t(key: str, **kwargs: object) -> str:
        return i18n.t(view.language, key, **kwargs)

    text_context: dict[str, Any] = {
        "year": view.year,
        "tertial": view.tertial,
        "period": view.period,
        "committee": committee,
        "municipality": municipality,
        "finance_goals": _finance_goals(view),
    }
    intro_name = f"texts/{view.language}/intro.md.j2"
    closing_name = f"texts/{view.language}/closing.md.j2"
    intro, intro_sections = parse_text(
        env.get_template(intro_name).render(text_context), name=intro_name
    )
    if intro_sections:
        raise ValueError(f"{intro_name}: the intro takes no '## Title' lines")
    closing_lead, closing_parts = parse_text(
        env.get_template(closing_name).render(text_context), name=closing_name
    )
    if closing_lead:
        raise ValueError(f"{closing_name}: text before the first '## Title' line")

    sections, following = _number_sections(view)
    closing = tuple(
        TextSection(f"{CHAPTER}.{following + i}", title, texts)
        for i, (title, texts) in enumerate(closing_parts)
    )
    goal_numbers = {
        activity.id: item.number for item in sections for activity in item.section.activities
    }
    months = {1: t("tertial_months_1"), 2: t("tertial_months_2"), 3: t("tertial_months_3")}
    title = t("title", recipient=recipient(committee, view.language))
    period_text = t("period", tertial=view.tertial, year=view.year)
    document_title = t("document_title", title=title, period=period_text)
    if municipality:
        document_title = f"{municipality}: {document_title}"
    return PreparedReport(
        view=view,
        title=title,
        committee=committee,
        municipality=municipality,
        document_title=document_title,
        period_text=period_text,
        period_months=months.get(view.tertial, ""),
        generated_text=t("generated", date=isodate(view.generated_at)),
        intro=intro,
        sections=tuple(sections),
        closing=closing,
        goal_numbers=goal_numbers,
        summary=summary_lists(view, goal_numbers),
        unit_root=common_root(
            path for item in sections for a in item.section.activities for path in a.units
        ),
    )
