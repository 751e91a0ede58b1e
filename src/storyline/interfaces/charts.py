"""Position timelines as SVG, every point a link to its source sentence and shifts drawn
between their two ends: one actor's (a row per stance) and a proposition's (a row per actor,
colour for the stance). Both share one time axis, ticked in years, quarters, months or days.

Drawn by hand rather than with a plotting library: a chart this simple is a few dozen SVG
elements, renders the same in a page, a download and a browser test, and needs no JavaScript.
"""

from __future__ import annotations

from datetime import date, timedelta
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


MAX_TICKS = 8
MAX_ACTOR_ROWS = 14
ROW_HEIGHT = 28


def _ticks(first: date, last: date) -> list[date]:
    """Round dates between first and last, the finest kind that gives two to MAX_TICKS of them
    (days, for a span too short for two months' firsts)."""
    def stepped(months: int) -> list[date]:
        found, year, month = [], first.year, first.month
        while (day := date(year, month, 1)) <= last:
            if day >= first and (month - 1) % months == 0:
                found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    for months in (1, 3, 6):
        if 2 <= len(found := stepped(months)) <= MAX_TICKS:
            return found
    for years in (1, 2, 5, 10):
        found = [date(y, 1, 1) for y in range(first.year, last.year + 1) if date(y, 1, 1) >= first and y % years == 0]
        if 2 <= len(found) <= MAX_TICKS:
            return found
    step = max(1, -(-(last - first).days // (MAX_TICKS - 1)))
    return [first + timedelta(days=d) for d in range(0, (last - first).days + 1, step)]


def _label(day: date, ticks: list[date]) -> str:
    if all(t.month == 1 and t.day == 1 for t in ticks):
        return str(day.year)
    return day.strftime("%b %Y") if all(t.day == 1 for t in ticks) else day.isoformat()


class _Axis:
    """Where a date sits across the plot; undated points sit at the left edge."""

    def __init__(self, points: list[PositionPoint], left: float, right: float):
        days = [d for p in points if (d := _day(p))]
        self.first, self.last = (min(days), max(days)) if days else (date.today(), date.today())
        self.left, self.right, self.several = left, right, len(set(days)) > 1

    def at(self, day: date | None) -> float:
        width = self.right - self.left
        if day is None:
            return self.left
        return self.left + (width * (day - self.first).days / max(1, (self.last - self.first).days) if self.several else width / 2)

    def x(self, point: PositionPoint) -> float:
        return self.at(_day(point))

    def svg(self, top: float, bottom: float) -> str:
        ticks = _ticks(self.first, self.last) if self.several else [self.first]
        parts = []
        for tick in ticks:
            at = self.at(tick)
            parts.append(f'<line class="tick" x1="{at:.1f}" y1="{top}" x2="{at:.1f}" y2="{bottom}"/>'
                         f'<text x="{at:.1f}" y="{bottom + 16}" text-anchor="middle">{_label(tick, ticks)}</text>')
        return "".join(parts)


def _shift_svg(shift: Shift, x1: float, y1: float, x2: float, y2: float) -> str:
    colour = SHIFT_COLOURS.get(shift.kind, "#666")
    return (f'<g class="shift shift-{escape(shift.kind)}"><title>{escape(f"{shift.kind}: {shift.actor}, {shift.reason}")}</title>'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 6:.1f}" text-anchor="middle" fill="{colour}">{escape(shift.kind)}</text></g>')


def _point_svg(point: PositionPoint, cx: float, cy: float, links: bool) -> str:
    quote = point.statement.text if len(point.statement.text) < 160 else point.statement.text[:157] + "…"
    tip = f"{point.statement.speaker}, {point.statement.date or 'undated'}, {point.stance}: {quote}"
    circle = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{COLOURS.get(point.stance, "#666")}" '
              f'class="point point-{escape(point.stance)}"><title>{escape(tip)}</title></circle>')
    return f'<a href={quoteattr(sentence_link(point.statement))}>{circle}</a>' if links else circle


def _opening(title: str, width: int, height: int, kind: str, links: bool) -> list[str]:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label={quoteattr(title)} class="{kind}">',
             f"<title>{escape(title)}</title>",
             '<style>text{font:12px sans-serif;fill:#333}.axis{stroke:#bbb}.tick{stroke:#eee}</style>']
    if not links:  # a download stands alone, without the page's caption
        parts.append(f'<text x="{LEFT}" y="12" font-weight="bold">{escape(title)}</text>')
    return parts


def proposition_chart(title: str, points: list[PositionPoint], shifts: list[Shift], links: bool = True) -> str:
    """Every actor's stances on one proposition over time: a row per actor (the most quoted
    first, at most MAX_ACTOR_ROWS), a colour per stance, a legend, shifts between their ends."""
    counts: dict[int, int] = {}
    for point in points:
        counts[point.statement.actor_id] = counts.get(point.statement.actor_id, 0) + 1
    rows = {actor: row for row, actor in enumerate(sorted(counts, key=lambda a: -counts[a])[:MAX_ACTOR_ROWS])}
    names = {p.statement.actor_id: p.statement.speaker for p in points}
    left, top = 170, (34 if links else 48)  # a download draws its title above the legend
    height = top + ROW_HEIGHT * max(1, len(rows)) + BOTTOM
    axis = _Axis(points, left, WIDTH - RIGHT)
    shown = [p for p in points if p.statement.actor_id in rows]

    def y(point: PositionPoint) -> float:
        return top + ROW_HEIGHT * (rows[point.statement.actor_id] + 0.5)

    parts = _opening(title, WIDTH, height, "proposition-chart", links)
    for stance, colour in COLOURS.items():
        at = WIDTH - RIGHT - 70 * (len(COLOURS) - list(COLOURS).index(stance))
        parts.append(f'<circle cx="{at + 6}" cy="{top - 16}" r="5" fill="{colour}"/><text x="{at + 15}" y="{top - 12}">{stance}</text>')
    parts.append(axis.svg(top, height - BOTTOM))
    for actor, row in rows.items():
        level = top + ROW_HEIGHT * (row + 0.5)
        name = names[actor] if len(names[actor]) <= 24 else names[actor][:23] + "…"
        parts.append(f'<line class="axis" x1="{left}" y1="{level}" x2="{WIDTH - RIGHT}" y2="{level}"/>'
                     f'<text x="{left - 8}" y="{level + 4}" text-anchor="end">{escape(name)}</text>')
    if len(counts) > len(rows):
        parts.append(f'<text x="{left}" y="{height - 4}">and {len(counts) - len(rows)} more actor(s), in the table below</text>')
    for shift in shifts:
        if shift.before.statement.actor_id in rows and shift.after.statement.actor_id in rows:
            parts.append(_shift_svg(shift, axis.x(shift.before), y(shift.before), axis.x(shift.after), y(shift.after)))
    parts += [_point_svg(point, axis.x(point), y(point), links) for point in shown]
    parts.append("</svg>")
    return "".join(parts)


def position_chart(title: str, points: list[PositionPoint], shifts: list[Shift], links: bool = True) -> str:
    """One actor's stances over time, a row per stance: an SVG document, with links for the page,
    or with its title drawn in for a download. Undated points sit at the left edge."""
    inner_h = HEIGHT - TOP - BOTTOM
    axis = _Axis(points, LEFT, WIDTH - RIGHT)

    def y(point: PositionPoint) -> float:
        return TOP + inner_h * ROWS.get(point.stance, 1) / 2

    parts = _opening(title, WIDTH, HEIGHT, "position-chart", links)
    parts.append(axis.svg(TOP, HEIGHT - BOTTOM))
    for stance, row in ROWS.items():
        level = TOP + inner_h * row / 2
        parts.append(f'<line class="axis" x1="{LEFT}" y1="{level}" x2="{WIDTH - RIGHT}" y2="{level}"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{level + 4}" text-anchor="end">{stance}</text>')
    parts += [_shift_svg(shift, axis.x(shift.before), y(shift.before), axis.x(shift.after), y(shift.after)) for shift in shifts]
    parts += [_point_svg(point, axis.x(point), y(point), links) for point in points]
    parts.append("</svg>")
    return "".join(parts)


def chart_png(svg: str, scale: float = 2.0) -> bytes:
    """The chart as a PNG (twice the size, for slides and print), drawn by CairoSVG.

    Raises OSError when the cairo C library is missing."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")
