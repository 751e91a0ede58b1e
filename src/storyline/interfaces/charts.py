"""Timelines as SVG. Positions: every point a link to its source sentence and shifts drawn
between their two ends, one actor's (a row per stance) or a proposition's (a row per actor,
colour for the stance). Coverage: a story's articles by country over its events. All share
one time axis, ticked in years, quarters, months or days.

Drawn by hand rather than with a plotting library: a chart this simple is a few dozen SVG
elements, renders the same in a page, a download and a browser test, and needs no JavaScript.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from storyline.provenance import sentence_link
from storyline.records import PositionPoint, Shift, StoredArticle

if TYPE_CHECKING:
    from storyline.views.stories import Event

ROWS = {"support": 0, "mixed": 1, "oppose": 2}
COLOURS = {"support": "#1b7f3b", "mixed": "#b8860b", "oppose": "#b22222"}
SHIFT_COLOURS = {"shift": "#1f4e9c", "walk-back": "#7a3fb0", "contradiction": "#666666"}
WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 80, 24, 24, 40


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _day(point: PositionPoint) -> date | None:
    return _iso_day(point.statement.date)


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
    """Where a date sits across the plot. Undated marks, when there are any, get a column of their
    own at the left, so that none of them reads as the earliest."""

    UNDATED_WIDTH = 48

    def __init__(self, dates: list[date | None], left: float, right: float):
        days = [d for d in dates if d]
        self.first, self.last = (min(days), max(days)) if days else (date.today(), date.today())
        self.undated = left + self.UNDATED_WIDTH / 2 if len(days) < len(dates) else None
        self.left = left + self.UNDATED_WIDTH if self.undated is not None and days else left
        self.right, self.several, self.dated = right, len(set(days)) > 1, bool(days)

    def at(self, day: date | None) -> float:
        width = self.right - self.left
        if day is None:
            return self.undated if self.undated is not None else self.left
        return self.left + (width * (day - self.first).days / max(1, (self.last - self.first).days) if self.several else width / 2)

    def x(self, point: PositionPoint) -> float:
        return self.at(_day(point))

    def svg(self, top: float, bottom: float) -> str:
        ticks = (_ticks(self.first, self.last) if self.several else [self.first]) if self.dated else []
        parts = []
        for tick in ticks:
            at = self.at(tick)
            parts.append(f'<line class="tick" x1="{at:.1f}" y1="{top}" x2="{at:.1f}" y2="{bottom}"/>'
                         f'<text x="{at:.1f}" y="{bottom + 16}" text-anchor="middle">{_label(tick, ticks)}</text>')
        if self.undated is not None:
            parts.append(f'<text x="{self.undated:.1f}" y="{bottom + 16}" text-anchor="middle" font-style="italic">undated</text>')
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
    axis = _Axis([_day(p) for p in points], left, WIDTH - RIGHT)
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
    or with its title drawn in for a download."""
    inner_h = HEIGHT - TOP - BOTTOM
    axis = _Axis([_day(p) for p in points], LEFT, WIDTH - RIGHT)

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


MAX_COUNTRY_ROWS = 10
OUTLET_COLOURS = {False: "#1f4e9c", True: "#b22222"}  # independent, state-affiliated
BAND_COLOURS = ("#e8eef8", "#f3f3f3")


def _outlet_shape(state_affiliated: bool, cx: float, cy: float) -> tuple[str, str]:
    """A circle for an independent outlet, a diamond for a state-affiliated one: (tag, attributes)."""
    colour = OUTLET_COLOURS[state_affiliated]
    if state_affiliated:
        corners = f"{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}"
        return "polygon", f'points="{corners}" fill="{colour}"'
    return "circle", f'cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"'


def _article_mark(article: StoredArticle, cx: float, cy: float) -> str:
    tag, attributes = _outlet_shape(article.outlet_state_affiliated, cx, cy)
    source = article.outlet or article.outlet_domain or "unknown outlet"
    tip = (f"{source}{' (state-affiliated)' if article.outlet_state_affiliated else ''}, {article.country or 'country unknown'}, "
           f"{(article.published or 'undated')[:10]}: {article.title or '(untitled)'}")
    return f'<a href="/articles/{article.id}"><{tag} {attributes} class="article-mark"><title>{escape(tip)}</title></{tag}></a>'


def coverage_chart(articles: list[StoredArticle], countries: list[tuple[str | None, int]], events: list[Event]) -> str:
    """Who covered a story, and when: a row per country of `countries` (articles by country, in
    the order the rows take; past MAX_COUNTRY_ROWS folded into "other"), each article a mark at
    its date linking to it (a diamond for a state-affiliated outlet), over a band per event,
    numbered as the page's list of events."""
    shown, folded = countries[:MAX_COUNTRY_ROWS], countries[MAX_COUNTRY_ROWS:]
    rows = {country: row for row, (country, _n) in enumerate(shown)}
    labels = [f"{c or 'unknown'} ({n})" for c, n in shown] + ([f"other ({sum(n for _c, n in folded)})"] if folded else [])
    left, top = 110, 34
    bottom = top + ROW_HEIGHT * len(labels)
    height = bottom + BOTTOM
    spans = [(_iso_day(e.date), _iso_day(e.last_date)) for e in events]
    axis = _Axis([_iso_day(a.published) for a in articles] + [d for span in spans for d in span], left, WIDTH - RIGHT)
    parts = _opening("Coverage by country over the story's events", WIDTH, height, "coverage-chart", links=True)
    for at, state_affiliated, label in ((WIDTH - RIGHT - 250, False, "independent outlet"), (WIDTH - RIGHT - 120, True, "state-affiliated")):
        tag, attributes = _outlet_shape(state_affiliated, at, 12)
        parts.append(f'<{tag} {attributes}/><text x="{at + 10}" y="16">{label}</text>')
    labelled_until = -1e9
    for number, (event, (first, last)) in enumerate(zip(events, spans, strict=True), 1):
        x1, x2 = axis.at(first), axis.at(last or first)
        name = event.headline.text if event.headline else (event.articles[0].title or "(untitled)")
        label = ""
        if x1 - labelled_until >= 16:  # numbers closer than that would overprint each other
            label, labelled_until = f'<text x="{x1:.1f}" y="{top - 6}" text-anchor="middle">{number}</text>', x1
        parts.append(f'<a href="#event-{event.id}"><g class="event-band"><title>{escape(f"{number}. {name}")}</title>'
                     f'<rect x="{x1 - 2:.1f}" y="{top - 2}" width="{max(4.0, x2 - x1 + 4):.1f}" height="{bottom - top + 4}" '
                     f'fill="{BAND_COLOURS[number % 2]}"/>{label}</g></a>')
    parts.append(axis.svg(top, bottom))
    for row, label in enumerate(labels):
        level = top + ROW_HEIGHT * (row + 0.5)
        parts.append(f'<line class="axis" x1="{left}" y1="{level}" x2="{WIDTH - RIGHT}" y2="{level}"/>'
                     f'<text x="{left - 8}" y="{level + 4}" text-anchor="end">{escape(label)}</text>')
    placed: Counter[tuple[int, int]] = Counter()
    for article in sorted(articles, key=lambda a: a.published or ""):
        row = rows.get(article.country, len(rows))
        x = axis.at(_iso_day(article.published))
        spot = (row, round(x / 6))
        parts.append(_article_mark(article, x + 7 * placed[spot], top + ROW_HEIGHT * (row + 0.5)))
        placed[spot] += 1
    parts.append("</svg>")
    return "".join(parts)


def chart_png(svg: str, scale: float = 2.0) -> bytes:
    """The chart as a PNG (twice the size, for slides and print), drawn by CairoSVG.

    Raises OSError when the cairo C library is missing."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")
