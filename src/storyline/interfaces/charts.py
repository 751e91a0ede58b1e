"""The position timeline as an SVG: support / mixed / oppose over time, one row per stance,
shifts drawn as arrows between their two ends, every point a link to its source sentence.

Drawn by hand rather than with a plotting library: a chart this simple is a few dozen SVG
elements, renders the same in a page, a download and a browser test, and needs no JavaScript.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from storyline.provenance import sentence_link
from storyline.records import PositionPoint, Shift

ROWS = {"support": 0, "mixed": 1, "oppose": 2}
COLOURS = {"support": "#1b7f3b", "mixed": "#b8860b", "oppose": "#b22222"}
SHIFT_COLOURS = {"shift": "#1f4e9c", "walk-back": "#7a3fb0", "contradiction": "#666666"}
WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 80, 24, 24, 40


def _day(point: PositionPoint) -> date | None:
    text = point.statement.date or ""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def position_chart(title: str, points: list[PositionPoint], shifts: list[Shift], links: bool = True) -> str:
    """An SVG document: with links for the page, or with its title drawn in for a download.
    Undated points (a day with no year, "earlier") sit at the left edge."""
    days = [d for p in points if (d := _day(p))]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    span = max(1, (last - first).days)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(point: PositionPoint) -> float:
        day = _day(point)
        return LEFT + (inner_w * (day - first).days / span if day and len(days) > 1 else (inner_w / 2 if day else 0))

    def y(point: PositionPoint) -> float:
        return TOP + inner_h * ROWS.get(point.stance, 1) / 2

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label={quoteattr(title)} class="position-chart">',
             f"<title>{escape(title)}</title>",
             '<style>text{font:12px sans-serif;fill:#333}.axis{stroke:#bbb}</style>']
    if not links:  # a download stands alone, without the page's caption
        parts.append(f'<text x="{LEFT}" y="12" font-weight="bold">{escape(title)}</text>')
    for stance, row in ROWS.items():
        level = TOP + inner_h * row / 2
        parts.append(f'<line class="axis" x1="{LEFT}" y1="{level}" x2="{WIDTH - RIGHT}" y2="{level}"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{level + 4}" text-anchor="end">{stance}</text>')
    for label, when, anchor in ((first, LEFT, "start"), (last, WIDTH - RIGHT, "end")):
        parts.append(f'<text x="{when}" y="{HEIGHT - 12}" text-anchor="{anchor}">{label.isoformat()}</text>')
    for shift in shifts:
        colour = SHIFT_COLOURS.get(shift.kind, "#666")
        x1, y1, x2, y2 = x(shift.before), y(shift.before), x(shift.after), y(shift.after)
        parts.append(f'<g class="shift shift-{escape(shift.kind)}"><title>{escape(f"{shift.kind}: {shift.actor}, {shift.reason}")}</title>'
                     f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="2" '
                     f'stroke-dasharray="6 3"/>'
                     f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 6:.1f}" text-anchor="middle" fill="{colour}">{escape(shift.kind)}</text></g>')
    for point in points:
        quote = point.statement.text if len(point.statement.text) < 160 else point.statement.text[:157] + "…"
        tip = f"{point.statement.speaker}, {point.statement.date or 'undated'}, {point.stance}: {quote}"
        circle = (f'<circle cx="{x(point):.1f}" cy="{y(point):.1f}" r="6" fill="{COLOURS.get(point.stance, "#666")}" '
                  f'class="point point-{escape(point.stance)}"><title>{escape(tip)}</title></circle>')
        parts.append(f'<a href={quoteattr(sentence_link(point.statement))}>{circle}</a>' if links else circle)
    parts.append("</svg>")
    return "".join(parts)


def chart_png(svg: str, scale: float = 2.0) -> bytes:
    """The chart as a PNG (twice the size, for slides and print), drawn by CairoSVG.

    Raises OSError when the cairo C library is missing."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")
