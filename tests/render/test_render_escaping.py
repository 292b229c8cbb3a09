"""User text can never inject markup: Markdown and HTML escape it, JSON keeps it as raw data."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from bot.domain.report import ReportView, compile_report
from bot.reporting import render_report
from bot.reporting.text import html_paragraphs, md_escape, md_text, slack_escape

HOSTILE = "Klart <script>alert(1)</script> & <!channel> @here"


def _hostile_view(make_view: Callable[..., ReportView]) -> ReportView:
    return make_view("sv", comments={103: HOSTILE})


def test_markdown_escapes_hostile_comment(make_view: Callable[..., ReportView]) -> None:
    out = render_report(_hostile_view(make_view), "md", committee="KS")
    assert "<script" not in out and "<!channel>" not in out
    assert "Klart &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; @here" in out
    # @here has no meaning in Markdown or HTML; it stays plain text, never a Slack <!here>.
    assert "<!here>" not in out


def test_html_escapes_hostile_comment(make_view: Callable[..., ReportView]) -> None:
    out = render_report(_hostile_view(make_view), "html", committee="KS")
    assert "<script" not in out and "<!channel>" not in out
    assert "Klart &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; @here" in out


def test_json_keeps_the_raw_comment(make_view: Callable[..., ReportView]) -> None:
    document = json.loads(render_report(_hostile_view(make_view), "json", committee="KS"))
    comments = [a["comment"] for s in document["sections"] for a in s["activities"]]
    assert HOSTILE in comments
    assert [a["comment"] for a in document["summary"]["attention"]][0] == HOSTILE


def _view_with_hostile_names(sample: SimpleNamespace) -> ReportView:
    goals = [dataclasses.replace(sample.goals[1], text="# Mål <i>kursiv</i> | del")]
    activity = dataclasses.replace(
        sample.activities[2],
        title="<b>Fet</b> *titel* [länk](http://x)",
        purpose="<img src=x onerror=alert(1)>\n- lista",
        unit_paths=("Förvaltning > Enhet <svg onload=alert(1)>",),
    )
    return compile_report(
        period="2024-T1",
        year=2024,
        tertial=1,
        goals=goals,
        area_order=sample.areas,
        activities=[activity],
        reports={},
        notes=[],
        language="sv",
        generated_at=sample.now,
    )


def test_html_escapes_titles_purposes_units_and_goal_texts(sample: SimpleNamespace) -> None:
    out = render_report(
        _view_with_hostile_names(sample), "html", committee="<KS>", municipality="A&B"
    )
    for raw in ("<b>", "<i>", "<img", "<svg onload", "<KS>"):
        assert raw not in out
    assert out.count("<svg") == 1  # the status chart, nothing else
    assert "&lt;b&gt;Fet&lt;/b&gt; *titel*" in out
    assert "&lt;img src=x onerror=alert(1)&gt;<br>\n- lista" in out
    assert "Enhet &lt;svg onload=alert(1)&gt;" in out
    assert "A&amp;B" in out
    # The committee also goes into the CSS page header: quoted, and unable to close </style>.
    assert '@top-right { content: "\\3c KS\\3e "; }' in out


def test_markdown_escapes_titles_purposes_units_and_goal_texts(sample: SimpleNamespace) -> None:
    out = render_report(_view_with_hostile_names(sample), "md", committee="KS")
    assert "#### &lt;b&gt;Fet&lt;/b&gt; \\*titel\\* \\[länk\\](http://x)" in out
    assert "### 1.2 \\# Mål &lt;i&gt;kursiv&lt;/i&gt; \\| del" in out
    assert "&lt;img src=x onerror=alert(1)&gt;\\\n\\- lista" in out
    assert "  - Enhet &lt;svg onload=alert(1)&gt;" in out
    assert "<" not in out.replace("<!--", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vanlig text, 1.5 miljoner och -5 grader", "Vanlig text, 1.5 miljoner och -5 grader"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        (
            "*fet* _kursiv_ `kod` ~stryk~ [a](b) | c \\",
            r"\*fet\* \_kursiv\_ \`kod\` \~stryk\~ \[a\](b) \| c \\",
        ),
        ("# Rubrik", r"\# Rubrik"),
        ("Fiber #3 och C#", r"Fiber \#3 och C#"),
        ("- punkt", r"\- punkt"),
        ("+ punkt", r"\+ punkt"),
        ("1. punkt", r"1\. punkt"),
        ("2) punkt", r"2\) punkt"),
        ("---", r"\---"),
        ("två\nrader\n\n   och indrag", "två rader och indrag"),
        ("<!channel> @here", "&lt;!channel&gt; @here"),
    ],
)
def test_md_escape_rule(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_md_text_keeps_paragraphs_and_line_breaks() -> None:
    text = "Rad ett\n- rad två\r\n\n\n    Nytt stycke *här*\n"
    assert md_text(text) == "Rad ett\\\n\\- rad två\n\nNytt stycke \\*här\\*"
    assert md_text(text, indent=2) == "Rad ett\\\n  \\- rad två\n\n  Nytt stycke \\*här\\*"
    assert md_text("") == ""


def test_html_paragraphs_escape_before_adding_breaks() -> None:
    assert str(html_paragraphs("a<b\nc\n\n\nd & e")) == "<p>a&lt;b<br>\nc</p>\n<p>d &amp; e</p>"
    assert str(html_paragraphs("")) == ""


def test_slack_escape_escapes_exactly_three_characters_ampersand_first() -> None:
    assert slack_escape("<!channel> & <@U123> *fet* @here") == (
        "&lt;!channel&gt; &amp; &lt;@U123&gt; *fet* @here"
    )
    assert slack_escape("&lt;") == "&amp;lt;"
