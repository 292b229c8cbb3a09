"""The status chart: an SVG string drawn from the counts, and the PNG bars for Word."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest

from bot.domain.status import STATUS_ORDER
from bot.reporting import PACKAGED_TEMPLATE_DIR
from bot.reporting.chart import (
    MISSING,
    STATUS_COLOURS,
    Bar,
    Segment,
    bar_png,
    chart_bars,
    legend,
    png,
    status_chart_svg,
)
from tests.documents.support import small_view

SVG = "{http://www.w3.org/2000/svg}"


def _svg(view=None) -> ET.Element:  # type: ignore[no-untyped-def]
    summary = (view or small_view()).summary
    text = status_chart_svg(
        chart_bars(summary, missing_label="Ej rapporterad"),
        legend(summary, missing_label="Ej rapporterad"),
        title="Status per målområde",
        total_text="Totalt {count}",
    )
    return ET.fromstring(text)  # well-formed XML, or this raises


def test_one_bar_per_area_with_the_counts_as_segments() -> None:
    view = small_view()
    root = _svg(view)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Status per målområde"  # type: ignore[union-attr]
    bars = root.findall(f"{SVG}g[@class='bar']")
    assert [b.get("data-area") for b in bars] == [a.area for a in view.summary.per_area]
    for bar, area in zip(bars, view.summary.per_area, strict=True):
        assert bar.get("data-total") == str(area.total)
        segments = {
            r.get("data-status"): int(r.get("data-count", "0"))
            for r in bar.findall(f"{SVG}rect")
            if r.get("data-status")
        }
        expected = {c.status: c.count for c in area.counts if c.count}
        if area.missing:
            expected[MISSING] = area.missing
        assert segments == expected
        texts = [t.text for t in bar.findall(f"{SVG}text")]
        assert texts[:2] == [area.area, f"Totalt {area.total}"]


def test_bar_lengths_share_one_scale() -> None:
    root = _svg()
    widths = []
    for bar in root.findall(f"{SVG}g[@class='bar']"):
        segments = [r for r in bar.findall(f"{SVG}rect") if r.get("data-status")]
        widths.append(
            (int(bar.get("data-total", "0")), sum(float(r.get("width", 0)) for r in segments))
        )
    largest = max(total for total, _ in widths)
    for total, width in widths:
        assert width == pytest.approx(640 * total / largest, abs=0.2)


def test_legend_names_every_status_with_its_count() -> None:
    view = small_view()
    root = _svg(view)
    legend_texts = [t.text for t in root.find(f"{SVG}g[@class='legend']").findall(f"{SVG}text")]  # type: ignore[union-attr]
    assert legend_texts == [f"{c.label} ({c.count})" for c in view.summary.counts] + [
        f"Ej rapporterad ({view.summary.missing})"
    ]


def test_text_in_the_chart_is_escaped() -> None:
    bars = (Bar('<Barn & "Unga">', 2, (Segment("on_track", "På <väg>", 2),)),)
    text = status_chart_svg(
        bars, (Segment("on_track", "På <väg>", 2),), title="<t>", total_text="Σ {count}"
    )
    root = ET.fromstring(text)
    assert root.find(f"{SVG}g").get("data-area") == '<Barn & "Unga">'  # type: ignore[union-attr]
    assert "<Barn" not in text and '&lt;Barn &amp; "Unga"&gt;</text>' in text
    assert status_chart_svg((), (), title="x", total_text="{count}") == ""


def test_css_markers_use_the_chart_colours() -> None:
    css = (PACKAGED_TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    for status in STATUS_ORDER:
        rule = re.search(
            rf"\.status-{status.value} \.marker \{{ background: (#[0-9a-f]{{6}}); \}}", css
        )
        assert rule and rule.group(1) == STATUS_COLOURS[status.value], status


def test_png_is_a_valid_image_of_the_bar() -> None:
    bar = Bar("A", 3, (Segment("on_track", "x", 1), Segment("on_hold", "y", 2)))
    data = bar_png(bar, scale_total=6, width=60, height=2)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", data[8:16])
    width, height = struct.unpack(">II", data[16:24])
    assert (kind, width, height) == (b"IHDR", 60, 2)
    crc = struct.unpack(">I", data[16 + length : 20 + length])[0]
    assert crc == zlib.crc32(data[12 : 16 + length]) & 0xFFFFFFFF
    idat_length = struct.unpack(">I", data[20 + length : 24 + length])[0]
    raw = zlib.decompress(data[28 + length : 28 + length + idat_length])
    row = raw[1 : 1 + 3 * 60]
    pixel = [tuple(row[3 * x : 3 * x + 3]) for x in range(60)]
    assert pixel[5] == (0x2E, 0x7D, 0x32)  # on track: 1 of 6 -> pixels 0-9
    assert pixel[10] == (0xFF, 0xFF, 0xFF)  # the hairline between segments
    assert pixel[20] == (0x7B, 0x1F, 0xA2)  # on hold: pixels 10-29
    assert pixel[45] == (0xF2, 0xF2, 0xF2)  # the track: 3 of 6
    with pytest.raises(ValueError):
        png(2, 1, [b"\x00" * 3])
