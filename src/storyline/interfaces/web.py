"""The web pages: stories, a story, an actor with position charts, an article, search.

Server-rendered Jinja2 over the same store as the API, with autoescaping on, so article text
can never become markup; the stylesheet and the one small script are served from this
package, with no external CDN. Each page is a plain GET a browser, a crawler or a test can
read without running JavaScript.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from threading import Lock

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from storyline.interfaces import feeds
from storyline.interfaces.charts import chart_png, position_chart
from storyline.memo import Memo
from storyline.records import StoredArticle, StoredStatement
from storyline.store import Store

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")


def _highlighted(article: StoredArticle, statements: list[StoredStatement]) -> list[list[tuple[str, StoredStatement | None]]]:
    """Each paragraph as runs of (text, the statement whose sentence it is, or None)."""
    by_start = sorted({(s.start, s.end): s for s in statements}.values(), key=lambda s: s.start)
    paragraphs = []
    for paragraph in article.paragraphs:
        runs, cursor = [], paragraph.start
        for statement in by_start:
            if statement.start < cursor or statement.start >= paragraph.end:
                continue
            if statement.start > cursor:
                runs.append((article.text[cursor:statement.start], None))
            end = min(statement.end, paragraph.end)
            runs.append((article.text[statement.start:end], statement))
            cursor = end
        if cursor < paragraph.end:
            runs.append((article.text[cursor:paragraph.end], None))
        paragraphs.append(runs)
    return paragraphs


def _source_sentence(members: list[StoredArticle], article_id: int, start: int, end: int) -> str:
    """The sentence a summary sentence cites, as the outlet printed it (in its own language)."""
    source = next((a for a in members if a.id == article_id), None)
    return source.text[start:end] if source else ""


def _in_range(first: str | None, last: str | None, since: str | None, until: str | None) -> bool:
    return (not since or (last or "") >= since) and (not until or (first or "9999") <= until)


def _one(items: list, item_id: int, what: str):
    """The item with this id, or the 404 a page or feed about it answers."""
    chosen = next((item for item in items if item.id == item_id), None)
    if chosen is None:
        raise HTTPException(404, f"no {what} {item_id}")
    return chosen


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


def mount_web(app: FastAPI, store: Store) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    cache = PageCache(store)

    def page(request: Request, template: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, template, context)

    def cached(handler: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
        @functools.wraps(handler)
        def serve_cached(request: Request, **parameters) -> HTMLResponse:
            return cache.page(str(request.url), lambda: handler(request, **parameters))

        return serve_cached

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def front(request: Request, country: str | None = None, outlet: str | None = None, language: str | None = None,
              since: str | None = None, until: str | None = None, actor: str | None = None) -> HTMLResponse:
        articles = {a.id: a for a in store.articles()}
        speakers: dict[int, set[str]] = {}
        for statement in store.statements():
            speakers.setdefault(statement.article_id, set()).add(statement.speaker.casefold())
        stories = []
        for story in store.stories():
            members = [articles[i] for i in story.articles if i in articles]
            if ((country and country.upper() not in story.countries) or (outlet and outlet not in story.outlets)
                    or (language and not any(a.language == language for a in members))
                    or not _in_range(story.first_date, story.last_date, since, until)
                    or (actor and not any(actor.casefold() in name for a in members for name in speakers.get(a.id, ())))):
                continue
            stories.append((story, members))
        countries = Counter(c for story in store.stories() for c in story.countries)
        return page(request, "index.html", stories=stories, countries=sorted(countries.items()),
                    outlets=sorted({a.outlet for a in articles.values() if a.outlet}),
                    languages=sorted({a.language for a in articles.values() if a.language}),
                    filters={"country": country, "outlet": outlet, "language": language, "since": since, "until": until, "actor": actor})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def story(request: Request, story_id: int) -> HTMLResponse:
        from storyline.stories.labels import sections
        from storyline.stories.summaries import body_sentences, summarize
        from storyline.stories.takes import takes

        chosen = store.story(story_id)
        if chosen is None:
            raise HTTPException(404, f"no story {story_id}")
        members = [store.article(i) for i in chosen.articles]
        translations = store.translations(list(chosen.articles))
        said = [s for s in store.statements() if s.article_id in set(chosen.articles)]
        events = store.event_of_articles()
        by_event: dict[int, list[StoredArticle]] = {}
        for article in members:
            by_event.setdefault(events.get(article.id, 0), []).append(article)
        summary = summarize(members, translations=translations)
        return page(request, "story.html", story=chosen, articles={a.id: a for a in members},
                    summary=[(s, _source_sentence(members, s.article_id, s.start, s.end)) for s in summary],
                    sections=sections([s for a in members for s in body_sentences(a, translations.get(a.id))]),
                    events=sorted(by_event.values(), key=lambda group: min(a.published or "9999" for a in group)),
                    takes=takes(members, said),
                    speakers=Counter((st.actor_id, st.speaker) for st in said).most_common())

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def actor(request: Request, actor_id: int) -> HTMLResponse:
        from storyline.positions.queries import shifts as find_shifts
        from storyline.positions.queries import timeline

        chosen = _one(store.actors(), actor_id, "actor")
        charts = []
        for proposition in store.propositions(status="accepted"):
            points = timeline(store, proposition.id, [actor_id])
            if points:
                moves = [s for s in find_shifts(store, proposition.id) if s.kind != "contradiction" and s.actor == chosen.name]
                charts.append((proposition, position_chart(f"{chosen.name} on: {proposition.text}", points, moves), points, moves))
        return page(request, "actor.html", actor=chosen, charts=charts,
                    statements=sorted(store.statements(actor_ids=[actor_id]), key=lambda s: s.date or "", reverse=True))

    @app.get("/actors/{actor_id}/positions/{proposition_id}.{format}", include_in_schema=False)
    def actor_chart(actor_id: int, proposition_id: int, format: str) -> Response:
        from storyline.positions.queries import shifts as find_shifts
        from storyline.positions.queries import timeline

        chosen = next((a for a in store.actors() if a.id == actor_id), None)
        proposition = next((p for p in store.propositions() if p.id == proposition_id), None)
        if chosen is None or proposition is None or format not in ("svg", "png"):
            raise HTTPException(404, "no such actor, proposition or chart format (svg, png)")
        moves = [s for s in find_shifts(store, proposition_id) if s.kind != "contradiction" and s.actor == chosen.name]
        svg = position_chart(f"{chosen.name} on: {proposition.text}", timeline(store, proposition_id, [actor_id]), moves, links=False)
        download = {"Content-Disposition": f'attachment; filename="positions-{actor_id}-{proposition_id}.{format}"'}
        if format == "svg":
            return Response(svg, media_type="image/svg+xml", headers=download)
        try:
            return Response(chart_png(svg), media_type="image/png", headers=download)
        except OSError as missing:  # cairocffi could not load the cairo C library
            raise HTTPException(501, f"PNG charts need the cairo library (Debian: libcairo2); the SVG is at "
                                     f"/actors/{actor_id}/positions/{proposition_id}.svg ({missing})") from missing

    def atom_response(body: bytes) -> Response:
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    def landed(articles: list[StoredArticle]) -> dict[int, datetime]:
        """When each article reached the store: the moment what it says became news here."""
        return {a.id: a.ingested_at for a in articles}

    @app.get("/stories/{story_id}/feed.atom", include_in_schema=False)
    def story_feed(request: Request, story_id: int) -> Response:
        from storyline.positions.queries import shifts as find_shifts

        chosen = store.story(story_id)
        if chosen is None:
            raise HTTPException(404, f"no story {story_id}")
        members, articles = set(chosen.articles), store.articles()
        times = landed(articles)
        entries = [feeds.article_entry(a) for a in articles if a.id in members]
        entries += [feeds.shift_entry(s, feeds.shift_landed(s, times)) for s in find_shifts(store)
                    if {s.before.statement.article_id, s.after.statement.article_id} & members]
        return atom_response(feeds.atom(f"story:{story_id}", f"Storyline: {chosen.label or 'story ' + str(story_id)}",
                                        str(request.base_url), f"/stories/{story_id}", f"/stories/{story_id}/feed.atom", entries))

    @app.get("/actors/{actor_id}/feed.atom", include_in_schema=False)
    def actor_feed(request: Request, actor_id: int) -> Response:
        from storyline.positions.queries import shifts as find_shifts

        chosen, times = _one(store.actors(), actor_id, "actor"), landed(store.articles())
        entries = [feeds.statement_entry(s, times[s.article_id]) for s in store.statements(actor_ids=[actor_id])]
        entries += [feeds.shift_entry(s, feeds.shift_landed(s, times)) for s in find_shifts(store)
                    if s.kind != "contradiction" and s.actor == chosen.name]
        return atom_response(feeds.atom(f"actor:{actor_id}", f"Storyline: {chosen.name}", str(request.base_url),
                                        f"/actors/{actor_id}", f"/actors/{actor_id}/feed.atom", entries))

    @app.get("/propositions", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def propositions(request: Request) -> HTMLResponse:
        from storyline.positions.queries import shifts as find_shifts

        moves = Counter(s.proposition_id for s in find_shifts(store))
        return page(request, "propositions.html", propositions=store.propositions(), shifts=moves)

    @app.get("/propositions/{proposition_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def proposition(request: Request, proposition_id: int) -> HTMLResponse:
        from storyline.positions.queries import shifts as find_shifts
        from storyline.positions.queries import timeline

        actors = {a.id: a for a in store.actors()}
        return page(request, "proposition.html", proposition=_one(store.propositions(), proposition_id, "proposition"), actors=actors,
                    points=timeline(store, proposition_id), shifts=find_shifts(store, proposition_id))

    @app.get("/propositions/{proposition_id}/feed.atom", include_in_schema=False)
    def proposition_feed(request: Request, proposition_id: int) -> Response:
        from storyline.positions.queries import shifts as find_shifts
        from storyline.positions.queries import timeline

        chosen, times = _one(store.propositions(), proposition_id, "proposition"), landed(store.articles())
        entries = [feeds.stance_entry(p, chosen.text, times[p.statement.article_id]) for p in timeline(store, proposition_id)]
        entries += [feeds.shift_entry(s, feeds.shift_landed(s, times)) for s in find_shifts(store, proposition_id)]
        return atom_response(feeds.atom(f"proposition:{proposition_id}", f"Storyline: {chosen.text}", str(request.base_url),
                                        f"/propositions/{proposition_id}", f"/propositions/{proposition_id}/feed.atom", entries))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def article(request: Request, article_id: int) -> HTMLResponse:
        from storyline.translation.translate import untranslated_note

        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        said = [s for s in store.statements() if s.article_id == article_id]
        translation = store.translation(article_id)
        english = ("original" if found.language == "en" else f"translated by {translation.backend}" if translation
                   else untranslated_note(found.language))
        return page(request, "article.html", article=found, paragraphs=_highlighted(found, said), statements=said,
                    translation=translation, english=english)

    @app.get("/export.{format}", include_in_schema=False)
    def export(format: str) -> Response:
        from storyline.interfaces.export import EXPORTERS, MEDIA_TYPES, export_store

        if format not in EXPORTERS:
            raise HTTPException(404, f"no export as {format!r}: choose one of {', '.join(EXPORTERS)}")
        return Response(export_store(store, format), media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f'attachment; filename="storyline.{format}"'})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    @cached
    def search(request: Request, q: str = "", semantic: bool = False) -> HTMLResponse:
        hits = []
        if q.strip():
            if semantic:
                from storyline.stories.search import semantic_search

                hits = semantic_search(store, q)
            else:
                hits = store.search_text(q)
        return page(request, "search.html", q=q, semantic=semantic, hits=hits)

