"""The status-at-a-glance chart: stacked bars of the status distribution per goal area.

Pure functions, no charting library: `chart_bars` turns the compiled summary into bars,
`status_chart_svg` draws them as an SVG string (embedded in the HTML and so in the PDF), and
`bar_png` draws one bar as a PNG (zlib and struct only) for the Word document, where the area
names, counts and legend stay real, editable text next to the pictures.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from bot.domain.report import Summary

MISSING = "missing"
# One colour per status, the same as the markers in report.css (a test keeps them in step).
STATUS_COLOURS: dict[str, str] = {
    "not_started": "#9e9e9e",
    "on_track": "#2e7d32",
    "deviating": "#f0a202",
    "done": "#1565c0",
    "done_deviating": "#d9661f",
    "on_hold": "#7b1fa2",
    MISSING: "#f4c7c7",
}
MISSING_STROKE = "#b71c1c"
# Named, as the stylesheet names it: the PDF embeds exactly this font on every machine.
FONT = "DejaVu Sans, sans-serif"

# SVG geometry, in user units (the viewBox is scaled to the width it is given).
WIDTH = 640
LABEL_HEIGHT = 16
BAR_HEIGHT = 20
ROW_GAP = 10
LEGEND_COLUMNS = 3
LEGEND_ROW = 18
DIGIT_WIDTH = 7  # of the 10.5-unit bold digits, to decide whether a count fits its segment


@dataclass(frozen=True)
class Segment:
    status: str  # a status value, or "missing"
    label: str
    count: int

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    segments: tuple[Segment, ...]  # every status in order, then missing; zero counts included


def chart_bars(summary: Summary, *, missing_label: str) -> tuple[Bar, ...]:
    """One bar per goal area, in the summary's area order."""
    return tuple(
        Bar(
            label=area.area,
            total=area.total,
            segments=tuple(Segment(c.status, c.label, c.count) for c in area.counts)
            + (Segment(MISSING, missing_label, area.missing),),
        )
        for area in summary.per_area
    )


def legend(summary: Summary, *, missing_label: str) -> tuple[Segment, ...]:
    """The legend: every status with its count over all areas, then the missing reports."""
    return tuple(Segment(c.status, c.label, c.count) for c in summary.counts) + (
        Segment(MISSING, missing_label, summary.missing),
    )


def _text_colour(background: str) -> str:
    """Dark text on light colours, white on dark ones (relative luminance)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#1b1b1b" if luminance > 0.3 else "#ffffff"


def _segment_spans(
    bar: Bar, *, scale_total: int, width: float
) -> list[tuple[Segment, float, float]]:
    """(segment, x, width) of each non-empty segment; a bar's length is its total / scale_total."""
    spans = []
    x = 0.0
    for segment in bar.segments:
        if segment.count <= 0:
            continue
        span = width * segment.count / scale_total
        spans.append((segment, x, span))
        x += span
    return spans


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def status_chart_svg(
    bars: tuple[Bar, ...],
    legend_entries: tuple[Segment, ...],
    *,
    title: str,
    total_text: str,
) -> str:
    """Draw the bars as one SVG element; `total_text` is a pattern with `{count}`.

    Every bar is drawn to the same scale (the largest area fills the width), so lengths compare
    the areas' sizes and the colours their distribution. A count is printed inside its segment
    when it fits; the counts table next to the chart always has them all.
    """
    if not bars:
        return ""
    scale_total = max(1, max(bar.total for bar in bars))
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    legend_rows = -(-len(legend_entries) // LEGEND_COLUMNS)
    legend_top = len(bars) * row_height + 4
    height = legend_top + legend_rows * LEGEND_ROW
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="status-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="{FONT}" aria-labelledby="status-chart-title">',
        f'<title id="status-chart-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        top = index * row_height
        bar_top = top + LABEL_HEIGHT + 2
        parts.append(f'<g class="bar" data-area={quoteattr(bar.label)} data-total="{bar.total}">')
        parts.append(
            f'<text x="0" y="{top + 12}" font-size="11" fill="#1b1b1b">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<text x="{WIDTH}" y="{top + 12}" font-size="10" fill="#404040" '
            f'text-anchor="end">{escape(total_text.format(count=bar.total))}</text>'
        )
        # The track shows the full scale, so a short bar reads as small, not as unfinished.
        parts.append(
            f'<rect x="0" y="{bar_top}" width="{WIDTH}" height="{BAR_HEIGHT}" fill="#f2f2f2"/>'
        )
        for segment, x, span in _segment_spans(bar, scale_total=scale_total, width=WIDTH):
            stroke = (
                f' stroke="{MISSING_STROKE}" stroke-width="1" stroke-dasharray="3 2"'
                if segment.status == MISSING
                else ' stroke="#ffffff" stroke-width="1"'
            )
            parts.append(
                f'<rect class="segment status-{segment.status}" data-status="{segment.status}" '
                f'data-count="{segment.count}" x="{_fmt(x)}" y="{bar_top}" '
                f'width="{_fmt(span)}" height="{BAR_HEIGHT}" fill="{segment.colour}"{stroke}/>'
            )
            if span >= 8 + DIGIT_WIDTH * len(str(segment.count)):
                parts.append(
                    f'<text x="{_fmt(x + span / 2)}" y="{bar_top + 14}" font-size="10.5" '
                    f'font-weight="bold" text-anchor="middle" '
                    f'fill="{_text_colour(segment.colour)}">{segment.count}</text>'
                )
        parts.append("</g>")
    column_width = WIDTH / LEGEND_COLUMNS
    parts.append('<g class="legend">')
    for index, entry in enumerate(legend_entries):
        x = (index % LEGEND_COLUMNS) * column_width
        y = legend_top + (index // LEGEND_COLUMNS) * LEGEND_ROW
        stroke = (
            f' stroke="{MISSING_STROKE}" stroke-width="1" stroke-dasharray="2 1.5"'
            if entry.status == MISSING
            else ""
        )
        parts.append(
            f'<rect x="{_fmt(x)}" y="{y + 2}" width="11" height="11" '
            f'fill="{entry.colour}"{stroke}/>'
            f'<text x="{_fmt(x + 16)}" y="{y + 12}" font-size="10.5" fill="#1b1b1b">'
            f"{escape(entry.label)} ({entry.count})</text>"
        )
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


# --- PNG, for Word ------------------------------------------------------------------------------


def _rgb(colour: str) -> bytes:
    return bytes(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """Encode RGB rows (3 bytes a pixel) as a PNG file."""
    if len(rows) != height or any(len(row) != 3 * width for row in rows):
        raise ValueError("rows do not match the size")

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def bar_png(bar: Bar, *, scale_total: int, width: int = 960, height: int = 40) -> bytes:
    """Draw one bar on its full-scale track as a PNG (no text: Word holds the labels)."""
    track = _rgb("#f2f2f2")
    row = bytearray(track * width)
    boundaries: list[int] = []
    for segment, x, span in _segment_spans(bar, scale_total=max(1, scale_total), width=width):
        start, end = round(x), round(x + span)
        row[3 * start : 3 * end] = _rgb(segment.colour) * (end - start)
        boundaries.append(end)
    for end in boundaries[:-1]:  # a white hairline between segments, as in the SVG
        if 0 < end < width:
            row[3 * end : 3 * end + 3] = b"\xff\xff\xff"
    return png(width, height, [bytes(row)] * height)
