"""The report's structure, its text templates, municipality overrides and strict templates."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from bot.domain.report import GoalRow, ReportView, compile_report
from bot.reporting import TEXT_FORMATS as FORMATS
from bot.reporting import render_report
from bot.reporting.prepare import parse_text
from bot.reporting.templates import make_environment
from bot.reporting.text import css_string


def test_unknown_format_raises_value_error(make_view: Callable[..., ReportView]) -> None:
    with pytest.raises(ValueError, match="pdf"):
        render_report(make_view(), "pdf", committee="KS")
    assert FORMATS == ("md", "html", "json")


def test_markdown_follows_the_seed_structure(make_view: Callable[..., ReportView]) -> None:
    out = render_report(make_view(), "md", committee="KS", municipality="Ånge kommun")
    headings = [line for line in out.splitlines() if line.startswith(("# ", "## ", "### "))]
    assert headings == [
        "# Uppsiktsrapport till KS",
        "## Sammanfattning",
        "### Status i korthet",
        "### Avvikelser och vänteläge",
        "### Saknade rapporter per enhet",
        "### Förändringar sedan 2023-T3",
        "### Planeringskontroll",
        "## 1 Redovisning av arbete för de politiska målen",
        "### 1.1 Sjukfrånvaron ska minska.",
        "### 1.2 Andelen anställda som nyttjar kommunens friskvårdsbidrag ska öka.",
        "### 1.3 Andelen niondeklassare som klarar gymnasiebehörighet ska öka.",
        "### 1.4 Öka antalet anslutna fastigheter med fiberanslutning med minst 50 st.",
        # The unnumbered goal is numbered on from the last numbered one.
        "### 1.5 Skapa ett ökat utbud av aktiviteter för äldre i våra verksamheter.",
        "### 1.6 Rapportering och uppföljning",
        "### 1.7 Avgränsning",
        "## 2 Kommunstyrelsens mål",
        "### Mål inom målområde Barn och Unga",
        "### Mål inom målområde Vuxna",
        "### Mål inom målområde Äldre +65",
        "### Mål inom målområde Tillväxt",
        "### Verksamhetsmål för god ekonomisk hushållning",
    ]
    # The goal without activities has no section but is listed in chapter 2.
    chapter_1, chapter_2 = out.split("## 2 Kommunstyrelsens mål")
    assert "Utveckla 3 nya platser" not in chapter_1
    assert "- Utveckla 3 nya platser för utomhusaktiviteter." in chapter_2
    assert "Kommunstyrelsens förvaltning\n  - Utbildning\n    - Bobergsgymnasiet\n" in out
    assert "**Status:** Ingen status rapporterad" in out


def test_intro_takes_year_and_finance_goals_from_the_data(
    make_view: Callable[..., ReportView], sample: SimpleNamespace
) -> None:
    goals = [
        *sample.goals[1:],
        GoalRow(1, "1.1", "Sjukfrånvaron ska minska", None, True, 0),
        GoalRow(9, None, "Nettokostnaderna ska inte öka.", None, True, 9),
    ]
    out = render_report(make_view(year=2025, goals=goals), "md", committee="KS")
    assert (
        "För 2025 har kommunfullmäktige antagit 2 verksamhetsmål för god ekonomisk hushållning: "
        "Sjukfrånvaron ska minska och Nettokostnaderna ska inte öka. Det innebär att" in out
    )
    assert "samtliga mål kommunstyrelsen antagit för 2025" in out

    single = render_report(make_view(), "md", committee="KS")
    assert "vilket är Sjukfrånvaron ska minska. Det innebär att som minst" in single


def test_english_report_uses_english_labels(make_view: Callable[..., ReportView]) -> None:
    out = render_report(make_view("en"), "md", committee="Executive board")
    for text in (
        "# Follow-up report to Executive board",
        "Tertial 1, 2024",
        "In progress, on track",
        "In progress, deviating",
        "Completed with deviation",
        "**Status:** No status reported",
        "**Start date:** 2024-01-01 · **End date:** 2024-04-30",
        "## 1 Report on the work towards the political goals",
        "### 1.6 Reporting and follow-up",
        "### Goals in goal area Vuxna",
        "### Council goals for sound finances",
    ):
        assert text in out
    html = render_report(make_view("en"), "html", committee="Executive board")
    assert '<html lang="en">' in html
    assert 'content: "Page " counter(page) " of " counter(pages)' in html


def test_html_is_self_contained_and_print_ready(make_view: Callable[..., ReportView]) -> None:
    html = render_report(make_view(), "html", committee="Kommunstyrelsen")
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    # The inline chart names the SVG namespace, which is an identifier, not a fetch.
    fetchable = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for external in ("<link", "<script", "src=", "@import", "url(", "http://", "https://"):
        assert external not in fetchable
    for rule in (
        "size: A4",
        'content: "Sida " counter(page) " av " counter(pages)',
        'content: "Uppsiktsrapport till kommunstyrelsen"',
        'content: "Kommunstyrelsen"',
        '"DejaVu Sans"',
        "break-inside: avoid",
        ".status-on_hold .marker",
    ):
        assert rule in html
    assert '<th scope="col">Verksamhetens aktiviteter</th>' in html
    assert '<tbody class="activity status-missing">' in html


def test_json_is_the_same_content_as_data(make_view: Callable[..., ReportView]) -> None:
    out = render_report(make_view(), "json", committee="KS", municipality="Ånge kommun")
    document = json.loads(out)
    assert document["title"] == "Uppsiktsrapport till KS"
    assert (document["committee"], document["municipality"]) == ("KS", "Ånge kommun")
    assert [s["printed_number"] for s in document["sections"]] == [
        "1.1", "1.2", "1.3", "1.4", "1.5"
    ]  # fmt: skip
    assert [(c["number"], c["title"]) for c in document["closing"]] == [
        ("1.6", "Rapportering och uppföljning"),
        ("1.7", "Avgränsning"),
    ]
    assert document["intro"]["paragraphs"][0].startswith("Den här rapporten avser")
    assert document["sections"][0]["activities"][0]["start"] == "2024-01-01"
    assert document["generated_at"] == "2024-05-02T08:00:00+00:00"
    assert "Ånge" in out  # ensure_ascii=False


def test_municipality_overrides_a_text_template(
    make_view: Callable[..., ReportView], tmp_path: Path
) -> None:
    intro = tmp_path / "texts" / "sv" / "intro.md.j2"
    intro.parent.mkdir(parents=True)
    intro.write_text("Vår egen inledning för {{ year }}.\n\nAndra stycket.\n", encoding="utf-8")
    for fmt in ("md", "html", "json"):
        out = render_report(make_view(), fmt, committee="KS", template_dir=tmp_path)
        assert "Vår egen inledning för 2024." in out
        assert "Den här rapporten avser" not in out
        # Templates the municipality did not override still come from the package.
        assert "Rapportering och uppföljning" in out


def test_municipality_overrides_the_stylesheet(
    make_view: Callable[..., ReportView], tmp_path: Path
) -> None:
    (tmp_path / "report.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    html = render_report(make_view(), "html", committee="KS", template_dir=tmp_path)
    # The packaged stylesheet (its font stack) is gone; the municipality's is inlined.
    assert "body { color: #123456; }" in html and '"DejaVu Sans", "Liberation Sans"' not in html


def test_strict_undefined_catches_a_typo_in_a_template(
    make_view: Callable[..., ReportView], tmp_path: Path
) -> None:
    (tmp_path / "report.md.j2").write_text("# {{ veiw.period }}\n", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError, match="veiw"):
        render_report(make_view(), "md", committee="KS", template_dir=tmp_path)

    env = make_environment(template_dir=None, autoescape_html=True)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ view.no_such_field }}").render(view=make_view())


def test_autoescape_only_for_html_templates(tmp_path: Path) -> None:
    (tmp_path / "x.html.j2").write_text("{{ value }}", encoding="utf-8")
    (tmp_path / "x.md.j2").write_text("{{ value }}", encoding="utf-8")
    env = make_environment(template_dir=tmp_path, autoescape_html=True)
    assert env.get_template("x.html.j2").render(value="<b>") == "&lt;b&gt;"
    assert env.get_template("x.md.j2").render(value="<b>") == "<b>"
    plain = make_environment(template_dir=tmp_path, autoescape_html=False)
    assert plain.get_template("x.html.j2").render(value="<b>") == "<b>"


def test_text_template_format() -> None:
    text = "## Första\nEtt stycke\nsom radbryts.\n\nAndra stycket.\n\n## Andra\n\nTredje.\n"
    assert parse_text(text, name="closing") == (
        (),
        (("Första", ("Ett stycke som radbryts.", "Andra stycket.")), ("Andra", ("Tredje.",))),
    )
    assert parse_text("Bara\ntext.\n\nTvå.", name="intro") == (("Bara text.", "Två."), ())


def test_malformed_closing_text_is_reported(
    make_view: Callable[..., ReportView], tmp_path: Path
) -> None:
    closing = tmp_path / "texts" / "sv" / "closing.md.j2"
    closing.parent.mkdir(parents=True)
    closing.write_text("Text utan rubrik.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="closing.md.j2"):
        render_report(make_view(), "md", committee="KS", template_dir=tmp_path)


def test_import_notes_stay_out_of_the_committee_document(
    make_view: Callable[..., ReportView],
) -> None:
    """What the importer could not place is an admin's warning, printed by the import command."""
    view = make_view()
    assert len(view.import_notes) == 2
    notes = ("Resursbrist inom området", "Rad utan mål", "kunde knytas", "could not be linked")
    for fmt in ("md", "html"):
        out = render_report(view, fmt, committee="KS")
        assert not [note for note in notes if note in out], fmt
    document = json.loads(render_report(view, "json", committee="KS"))
    admin = document.pop("admin")
    assert [n["text"][:24] for n in admin["import_notes"]] == [
        "Resursbrist inom området",
        "Rad utan mål: Verksamhet",
    ]
    committee_content = json.dumps(document, ensure_ascii=False)
    assert not [note for note in notes if note in committee_content]
    assert all("unplaced" not in section for section in document["sections"])


def test_goal_without_number_and_without_activities(
    make_view: Callable[..., ReportView], sample: SimpleNamespace
) -> None:
    unnumbered = [dataclasses.replace(goal, number=None) for goal in sample.goals]
    out = render_report(make_view(goals=unnumbered), "md", committee="KS")
    numbers = [line.split()[1] for line in out.splitlines() if line.startswith("### 1.")]
    assert numbers == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]


def test_line_breaks_in_a_finance_goal_cannot_break_the_intro(
    make_view: Callable[..., ReportView], sample: SimpleNamespace
) -> None:
    goals = [GoalRow(1, "1.1", "Sjukfrånvaron\n\n## ska minska.", None, True, 0), *sample.goals[1:]]
    out = render_report(make_view(goals=goals), "md", committee="KS")
    assert "vilket är Sjukfrånvaron \\## ska minska. Det innebär" in out


@pytest.mark.parametrize(
    ("committee", "title"),
    [
        # The default reads like the seed.
        ("Kommunstyrelsen", "Uppsiktsrapport till kommunstyrelsen"),
        ("Kommunstyrelsens arbetsutskott", "Uppsiktsrapport till kommunstyrelsens arbetsutskott"),
        ("KS", "Uppsiktsrapport till KS"),
    ],
)
def test_title_and_committee_come_from_the_settings(
    make_view: Callable[..., ReportView], committee: str, title: str
) -> None:
    view = make_view()
    markdown = render_report(view, "md", committee=committee, municipality="Ånge kommun")
    assert markdown.startswith(f"# {title}\n\n{committee}\\\nÅnge kommun\\\n")
    html = render_report(view, "html", committee=committee, municipality="Ånge kommun")
    assert f"<title>Ånge kommun: {title}, Tertial 1 2024</title>" in html
    assert '<meta name="author" content="Ånge kommun">' in html
    # The running header of the printed pages: the title left, the committee right.
    assert f"@top-left {{ content: {css_string(title)}; }}" in html
    assert f"@top-right {{ content: {css_string(committee)}; }}" in html
    document = json.loads(render_report(view, "json", committee=committee))
    assert document["title"] == title and document["committee"] == committee


def test_english_title_names_the_committee(make_view: Callable[..., ReportView]) -> None:
    out = render_report(make_view("en"), "md", committee="Executive board")
    assert out.startswith("# Follow-up report to Executive board\n")


def test_an_empty_period_says_what_is_true(
    make_view: Callable[..., ReportView], sample: SimpleNamespace
) -> None:
    empty = make_view(activities=[], previous=False)
    for fmt in ("md", "html"):
        out = render_report(empty, fmt, committee="KS")
        summary = out[: out.index("Redovisning av arbete")]
        assert "Alla aktiviteter har rapporterats" not in summary
        assert "Perioden har inga aktiviteter." in summary
        assert "Alla enheter har minst" not in summary
        assert "det finns inga enheter att kontrollera" in summary

    unreported = compile_report(
        period="2024-T1",
        year=2024,
        tertial=1,
        goals=list(sample.goals),
        area_order=sample.areas,
        activities=list(sample.activities),
        reports={},
        notes=[],
        language="sv",
        generated_at=sample.now,
    )
    for fmt in ("md", "html"):
        out = render_report(unreported, fmt, committee="KS")
        summary = out[: out.index("Redovisning av arbete")]
        assert "Alla aktiviteter har rapporterats" not in summary
        assert "Perioden omfattar 8 aktiviteter. Ingen av dem har rapporterats ännu." in summary
        assert "Inga aktiviteter har avvikelse" not in summary
        assert "Ingen aktivitet har rapporterats ännu" in summary
