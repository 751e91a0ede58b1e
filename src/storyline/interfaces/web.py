"""The web pages: stories, a story, an actor with position charts, an article, search.

Server-rendered Jinja2 over the same store as the API, with autoescaping on, so article text
can never become markup; the stylesheet and the one small script are served from this
package, with no external CDN. Each page is a plain GET a browser, a crawler or a test can
read without running JavaScript.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from threading import Lock
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from storyline.ingest.metadata import safe_url
from storyline.interfaces import feeds
from storyline.interfaces.charts import (
    chart_png,
    coverage_chart,
    position_chart,
    proposition_chart,
)
from storyline.memo import Memo
from storyline.positions.queries import shifts as find_shifts
from storyline.records import ArticleFilters, Shift
from storyline.settings import settings
from storyline.store import Store
from storyline.views.articles import article_view
from storyline.views.positions import (
    actor_moves,
    actor_positions,
    actor_view,
    proposition_view,
)
from storyline.views.search import search_page
from storyline.views.stories import stories_view, story_view

HERE = Path(__file__).parent
T = TypeVar("T")
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
CHART_FORMATS = ("svg", "png")


def _web_link(url: object) -> bool:
    """Only http(s) addresses become links: a stored "javascript:" or "data:" URL is shown as text."""
    return isinstance(url, str) and safe_url(url) is not None


TEMPLATES.env.tests["web_link"] = _web_link


def _highlighted(snippet: str, query: str) -> Markup:
    """The hit's sentence with the query's words marked: the brackets full-text search puts
    round a match become <mark>, and a sentence found by meaning gets the words it shares."""
    words = sorted({w.casefold() for w in re.findall(r"\w+", query) if len(w) > 1}, key=len, reverse=True)
    if not words:
        return escape(snippet)
    pattern = re.compile(r"\[?\b(" + "|".join(map(re.escape, words)) + r")\b\]?", re.I)
    pieces, last = [], 0
    for found in pattern.finditer(snippet):  # escaped piece by piece, so no mark lands inside an entity
        pieces += [escape(snippet[last:found.start()]), Markup("<mark>"), escape(found.group(1)), Markup("</mark>")]
        last = found.end()
    return Markup("").join([*pieces, escape(snippet[last:])])


TEMPLATES.env.filters["highlighted"] = _highlighted


def _day(value: str | None) -> str:
    """A statement's date as a reader takes it: "--10-01" (a day the text named without its
    year) becomes "1 Oct, year unknown"."""
    if not value:
        return "undated"
    if partial := re.fullmatch(r"--(\d\d)-(\d\d)", value):
        month, day = int(partial[1]), int(partial[2])
        if 1 <= month <= 12:
            return f"{day} {calendar.month_abbr[month]}, year unknown"
    return value


TEMPLATES.env.filters["day"] = _day


@functools.cache
def _country_name(code: str) -> str:
    """A country's English name from its ISO code (CLDR, through Babel); the code when unknown."""
    from babel import Locale

    return Locale("en").territories.get(code.upper(), code)


TEMPLATES.env.filters["country_name"] = _country_name


def _one(found: T | None, item_id: int, what: str) -> T:
    """The view or record found, or the 404 a page or feed about it answers."""
    if found is None:
        raise HTTPException(404, f"no {what} {item_id}")
    return found


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """What a browser is shown instead of the API's JSON error."""
    return TEMPLATES.TemplateResponse(request, "error.html", {"status": status, "detail": detail}, status_code=status)


class PageCache:
    """Rendered pages by URL, kept while the store's content revision stands still.

    A story page summarizes, labels and compares takes on every render, and semantic search
    encodes its query: under load the same URLs come back again and again, so each is built
    once per revision (any write, from the API or a CLI run beside the server, moves it). A
    crowd asking for a page being built waits for that build instead of repeating it.
    """

    def __init__(self, store: Store, size: int = 512, stripes: int = 64):
        self.store = store
        self._pages: Memo[tuple[int, bytes]] = Memo(size)
        self._building = [Lock() for _ in range(stripes)]

    def _cached(self, key: str, revision: int) -> HTMLResponse | None:
        hit = self._pages.get(key)
        return HTMLResponse(hit[1]) if hit is not None and hit[0] == revision else None

    def page(self, key: str, render: Callable[[], HTMLResponse]) -> HTMLResponse:
        revision = self.store.revision()
        if revision is None:
            return render()
        if (hit := self._cached(key, revision)) is not None:
            return hit
        with self._building[hash(key) % len(self._building)]:
            if (hit := self._cached(key, revision)) is not None:
                return hit
            response = render()
            self._pages.put(key, (revision, bytes(response.body)))
            return response


def mount_web(app: FastAPI, store: Store, public_url: str, writable: bool = False) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    cache = PageCache(store)

    def page(request: Request, template: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, template, {"writable": writable, **context})

    def cached(handler: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
        @functools.wraps(handler)
        def serve_cached(request: Request, **parameters) -> HTMLResponse:
            return cache.page(str(request.url), lambda: handler(request, **parameters))

        return serve_cached

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def front(request: Request, country: str | None = None, outlet: str | None = None, language: str | None = None,
              since: str | None = None, until: str | None = None, actor: str | None = None, offset: int = 0) -> HTMLResponse:
        size, offset = settings().api.page_size, max(0, offset)
        view = stories_view(store, ArticleFilters(country=country, outlet=outlet, language=language, since=since, until=until,
                                                  actor=actor), size, offset)
        filters = {"country": country, "outlet": outlet, "language": language, "since": since, "until": until, "actor": actor}
        query = urlencode({k: v for k, v in filters.items() if v})
        return page(request, "index.html", cards=view.cards, total=view.total,
                    offset=offset, size=size, query=query, countries=view.countries, outlets=view.outlets,
                    languages=view.languages, filters=filters)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def story(request: Request, story_id: int) -> HTMLResponse:
        view = _one(story_view(store, story_id), story_id, "story")
        events, coverage = view.events(), view.coverage()
        return page(request, "story.html", story=view.story, articles=view.by_id,
                    summary=[(s, view.source_sentence(s.article_id, s.start, s.end)) for s in view.summary],
                    sections=view.sections(), events=events, takes=view.takes, speakers=view.speakers(),
                    coverage=coverage, coverage_chart=coverage_chart(view.articles, coverage.countries, events))

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def actor(request: Request, actor_id: int) -> HTMLResponse:
        view = _one(actor_view(store, actor_id), actor_id, "actor")
        charts = [(found.proposition, position_chart(found.title, found.points, found.moves), found.points, found.moves)
                  for found in view.positions]
        return page(request, "actor.html", actor=view.actor, charts=charts, statements=view.statements)

    def chart_download(svg: str, name: str, format: str) -> Response:
        """A chart as an SVG or PNG file to save, `name` being its file name without the extension."""
        download = {"Content-Disposition": f'attachment; filename="{name}.{format}"'}
        if format == "svg":
            return Response(svg, media_type="image/svg+xml", headers=download)
        try:
            return Response(chart_png(svg), media_type="image/png", headers=download)
        except OSError as missing:  # cairocffi could not load the cairo C library
            raise HTTPException(501, f"PNG charts need the cairo library (Debian: libcairo2); ask for {name}.svg ({missing})") from missing

    @app.get("/actors/{actor_id}/positions/{proposition_id}.{format}", include_in_schema=False)
    def actor_chart(actor_id: int, proposition_id: int, format: str) -> Response:
        chosen, proposition = store.actor(actor_id), store.proposition(proposition_id)
        if chosen is None or proposition is None or format not in CHART_FORMATS:
            raise HTTPException(404, "no such actor, proposition or chart format (svg, png)")
        found = actor_positions(store, chosen, proposition)
        return chart_download(position_chart(found.title, found.points, found.moves, links=False),
                              f"positions-{actor_id}-{proposition_id}", format)

    @app.get("/propositions/{proposition_id}/chart.{format}", include_in_schema=False)
    def proposition_chart_file(proposition_id: int, format: str) -> Response:
        view = _one(proposition_view(store, proposition_id), proposition_id, "proposition")
        if format not in CHART_FORMATS:
            raise HTTPException(404, "no such chart format (svg, png)")
        return chart_download(proposition_chart(view.proposition.text, view.points, view.shifts, links=False),
                              f"proposition-{proposition_id}", format)

    def landed(article_ids: Iterable[int], moves: list[Shift]) -> dict[int, datetime]:
        """When each of these articles, and each article a shift ends in, reached the store."""
        return store.ingested_at({*article_ids, *(p.statement.article_id for s in moves for p in (s.before, s.after))})

    def atom_response(body: bytes) -> Response:
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @app.get("/stories/{story_id}/feed.atom", include_in_schema=False)
    def story_feed(request: Request, story_id: int) -> Response:
        chosen = _one(store.story(story_id), story_id, "story")
        moves = find_shifts(store, article_ids=chosen.articles)
        times = landed(chosen.articles, moves)
        entries = [feeds.article_entry(a) for a in store.articles(ArticleFilters(ids=chosen.articles))]
        entries += [feeds.shift_entry(s, feeds.shift_landed(s, times)) for s in moves]
        return atom_response(feeds.atom(f"story:{story_id}", f"Storyline: {chosen.label or 'story ' + str(story_id)}",
                                        public_url, f"/stories/{story_id}", f"/stories/{story_id}/feed.atom", entries))

    @app.get("/actors/{actor_id}/feed.atom", include_in_schema=False)
    def actor_feed(request: Request, actor_id: int) -> Response:
        chosen = _one(store.actor(actor_id), actor_id, "actor")
        said = store.statements(actor_ids=[actor_id])
        moves = actor_moves(store, chosen)
        times = landed([s.article_id for s in said], moves)
        entries = [feeds.statement_entry(s, times[s.article_id]) for s in said]
        entries += [feeds.shift_entry(s, feeds.shift_landed(s, times)) for s in moves]
        return atom_response(feeds.atom(f"actor:{actor_id}", f"Storyline: {chosen.name}", public_url,
                                        f"/actors/{actor_id}", f"/actors/{actor_id}/feed.atom", entries))

    @app.get("/propositions", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def propositions(request: Request) -> HTMLResponse:
        return page(request, "propositions.html", propositions=store.propositions(), shifts=store.shift_counts())

    @app.get("/propositions/{proposition_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def proposition(request: Request, proposition_id: int) -> HTMLResponse:
        view = _one(proposition_view(store, proposition_id), proposition_id, "proposition")
        chart = proposition_chart(view.proposition.text, view.points, view.shifts) if view.points else None
        return page(request, "proposition.html", proposition=view.proposition, actors=view.actors, points=view.points,
                    shifts=view.shifts, reading=view.reading, chart=chart)

    @app.get("/propositions/{proposition_id}/feed.atom", include_in_schema=False)
    def proposition_feed(request: Request, proposition_id: int) -> Response:
        view = _one(proposition_view(store, proposition_id), proposition_id, "proposition")
        times = landed([p.statement.article_id for p in view.points], view.shifts)
        entries = [feeds.stance_entry(p, view.proposition.text, times[p.statement.article_id]) for p in view.points]
        entries += [feeds.shift_entry(s, feeds.shift_landed(s, times)) for s in view.shifts]
        return atom_response(feeds.atom(f"proposition:{proposition_id}", f"Storyline: {view.proposition.text}", public_url,
                                        f"/propositions/{proposition_id}", f"/propositions/{proposition_id}/feed.atom", entries))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def article(request: Request, article_id: int) -> HTMLResponse:
        view = _one(article_view(store, article_id), article_id, "article")
        return page(request, "article.html", article=view.article, paragraphs=view.highlighted(), statements=view.statements,
                    translation=view.translation, english=view.english)

    @app.get("/export.{format}", include_in_schema=False)
    def export(format: str) -> Response:
        from storyline.interfaces.export import (
            EXPORTERS,
            FILE_NAMES,
            MEDIA_TYPES,
            export_store,
        )

        if format not in EXPORTERS:
            raise HTTPException(404, f"no export as {format!r}: choose one of {', '.join(EXPORTERS)}")
        return Response(export_store(store, format), media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f'attachment; filename="{FILE_NAMES[format]}"'})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def search(request: Request, q: Annotated[str, Query(max_length=settings().api.max_query_characters)] = "",
               semantic: bool = False, country: str | None = None, outlet: str | None = None, language: str | None = None,
               since: str | None = None, until: str | None = None, offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> HTMLResponse:
        narrowed = {"country": country, "outlet": outlet, "language": language, "since": since, "until": until}
        found = search_page(store, q, semantic, settings().api.search_page_size, ArticleFilters(**narrowed), offset)
        base = {"q": q, **({"semantic": "true"} if semantic else {})}

        def link(offset: int = 0, **change: str | None) -> str:
            """This search with a narrowing added or (given None) taken away, from its first hit or `offset`."""
            return "/search?" + urlencode({**base, **{k: v for k, v in {**narrowed, **change}.items() if v},
                                           **({"offset": offset} if offset else {})})

        return page(request, "search.html", q=q, semantic=semantic, found=found, narrowed={k: v for k, v in narrowed.items() if v},
                    link=link, size=settings().api.search_page_size)

