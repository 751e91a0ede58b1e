"""The REST API: the store's articles, stories, actors, statements, positions and search as JSON.

Over the same SQLite file as the CLI, read-only unless the server was given a write token, which
`POST /api/ingest` then requires as a bearer token. Lists are paginated (`limit`, `offset`, and
the `total` before paging); every error is JSON with an `error` message and a fitting status code.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import BackgroundTasks, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.provenance import position_dict, reading_dict, shift_dict
from storyline.records import ArticleFilters
from storyline.settings import settings
from storyline.store import Store
from storyline.views.actors import actor_ids_named
from storyline.views.articles import article_view
from storyline.views.search import search_view
from storyline.views.stories import story_view

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


def _page(items: list, limit: int, offset: int) -> dict[str, Any]:
    """A page of a list computed whole (timelines, shifts)."""
    return _listing(items[offset:offset + limit], len(items), limit, offset)


def _listing(page: list, total: int, limit: int, offset: int) -> dict[str, Any]:
    """A page the store read on its own, with the total it counted."""
    return {"total": total, "limit": limit, "offset": offset, "items": page}


def _article_summary(article) -> dict[str, Any]:
    data = asdict(article)
    for heavy in ("text", "paragraphs", "removed", "copies"):
        data.pop(heavy, None)
    data["ingested_at"] = article.ingested_at.isoformat()
    return data




class ArticleIn(BaseModel):
    """One article to ingest: its HTML or its text, and what the caller knows better than the page."""

    html: str | None = Field(None, max_length=settings().api.max_article_characters)
    text: str | None = Field(None, max_length=settings().api.max_article_characters)
    url: str | None = Field(None, max_length=settings().ingest.max_url_characters)
    title: str | None = Field(None, max_length=settings().ingest.max_field_characters)
    outlet: str | None = Field(None, max_length=settings().ingest.max_field_characters)
    country: str | None = Field(None, min_length=2, max_length=2)
    language: str | None = Field(None, max_length=settings().ingest.max_field_characters)
    published: str | None = Field(None, max_length=settings().ingest.max_date_characters)

    @model_validator(mode="after")
    def one_body(self) -> ArticleIn:
        if (self.html is None) == (self.text is None):
            raise ValueError("give the article's html or its text (one of them)")
        return self


class IngestRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=100)


class WebhookIn(BaseModel):
    url: str = Field(description="The http(s) URL to POST alerts to.", max_length=settings().ingest.max_url_characters)
    kinds: list[Literal["statement", "shift"]] = Field(["statement", "shift"], min_length=1, max_length=2)
    secret: str | None = Field(None, description="Sign each body: X-Storyline-Signature: sha256=HMAC(secret, body).", max_length=1_000)
    allow_private: bool = Field(False, description="Allow a loopback or private-network target (refused by default: SSRF).")
    about: str | None = Field(None, description="Follow only one subject: story:ID, actor:ID or proposition:ID.", max_length=40)


def _webhook_dict(hook) -> dict[str, Any]:
    data = asdict(hook)
    data["created_at"] = hook.created_at.isoformat()
    data["secret"] = bool(hook.secret)  # whether it signs, never the secret itself
    return data


def _offline_docs(app: FastAPI) -> None:
    """The API docs page with Swagger UI 5 served from this machine (the assets package
    fastapi-offline ships): FastAPI's own loads it from a CDN, which leaves the page blank
    offline, and Swagger UI before 5 cannot read the OpenAPI 3.1 that FastAPI writes."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/docs-assets", StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title}: API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js", swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")


def create_app(db: str | Path, write_token: str | None = None, deliver_alerts: bool = False,
               public_url: str = "http://127.0.0.1:8000") -> FastAPI:
    """The app over the store at `db`; with deliver_alerts, a worker thread delivers webhooks while it
    runs. `public_url` is where readers reach it: feeds link there, whatever Host a request names."""
    from storyline.alerts.delivery import DeliveryWorker
    from storyline.interfaces.middleware import Guard

    store = Store(db)
    analysing = threading.Lock()  # one background analysis at a time; the next one picks up what is new

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        worker = DeliveryWorker(store) if deliver_alerts else None
        if worker:
            worker.start()
        yield
        if worker:
            worker.stop()

    app = FastAPI(title="Storyline", description="Who said what, when, in which outlet, and how positions moved.",
                  version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_middleware(Guard, write_token=write_token)
    _offline_docs(app)

    @app.exception_handler(StarletteHTTPException)  # FastAPI's HTTPException and the router's own 404/405
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        from storyline.interfaces.web import error_page

        detail = f"nothing at {request.url.path}" if exc.detail == "Not Found" else exc.detail
        if not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", ""):
            return error_page(request, exc.status_code, detail)
        return JSONResponse({"error": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(OverflowError)  # an id past what the database holds (more than 64 bits) names nothing
    async def out_of_range(request: Request, _exc: OverflowError) -> Response:
        return await http_error(request, StarletteHTTPException(404, f"nothing at {request.url.path}: no id is that large"))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        from storyline.interfaces.web import error_page

        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        if not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", ""):
            return error_page(request, 422, f"invalid request: {problems}")
        return JSONResponse({"error": f"invalid request: {problems}"}, status_code=422)

    def _story(story_id: int):
        story = store.story(story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id}")
        return story

    @app.get("/api/articles", summary="Articles, newest first, with filters")
    def articles(limit: Limit = 50, offset: Offset = 0, country: str | None = None, outlet: str | None = None,
                 language: str | None = None, since: str | None = None, until: str | None = None) -> dict:
        filters = ArticleFilters(country=country, outlet=outlet, language=language, since=since, until=until)
        return _listing([_article_summary(a) for a in store.articles(filters, limit=limit, offset=offset)],
                        store.article_count(filters), limit, offset)

    @app.get("/api/articles/{article_id}", summary="One article with its clean text, paragraphs and evidence")
    def article(article_id: int) -> dict:
        view = article_view(store, article_id)
        if view is None:
            raise HTTPException(404, f"no article with id {article_id}")
        data = asdict(view.article)
        data["ingested_at"] = view.article.ingested_at.isoformat()
        data["languages"] = list(view.article.languages())
        if view.english == "original":
            data["english"] = {"source": "original"}
        elif view.translation is None:
            data["english"] = {"source": None, "note": view.english}
        else:
            data["english"] = {"source": view.translation.backend, "text": view.translation.text,
                               "segments": [asdict(segment) for segment in view.translation.segments]}
        return data

    @app.get("/api/stories", summary="Story lines, newest activity first")
    def stories(limit: Limit = 50, offset: Offset = 0, country: str | None = None) -> dict:
        filters = ArticleFilters(country=country)
        return _listing([asdict(s) for s in store.stories(filters, limit, offset)], store.story_count(filters), limit, offset)

    @app.get("/api/stories/{story_id}", summary="One story: summary with citations, events and takes by country and outlet")
    def story(story_id: int) -> dict:
        view = story_view(store, story_id)
        if view is None:
            raise HTTPException(404, f"no story with id {story_id}")
        return {**asdict(view.story),
                "summary": [asdict(s) for s in view.summary],
                "events": [{"event": event.id, "date": event.date, "headline": asdict(event.headline) if event.headline else None,
                            "articles": [{"article_id": a.id, "published": a.published, "outlet": a.outlet, "country": a.country,
                                          "title": a.title} for a in event.articles]} for event in view.events()],
                "takes": [asdict(t) for t in view.takes]}

    @app.get("/api/actors", summary="Everyone quoted, with aliases, roles and the outlets quoting them")
    def actors(limit: Limit = 50, offset: Offset = 0, name: str | None = None) -> dict:
        if name:
            return _page([asdict(a) for a in store.actors(ids=actor_ids_named(store, name))], limit, offset)
        return _listing([asdict(a) for a in store.actors(limit=limit, offset=offset)], store.actor_count(), limit, offset)

    @app.get("/api/statements", summary="Statements with speaker, date, outlet and the offsets of their sentence")
    def statements(limit: Limit = 50, offset: Offset = 0, speaker: str | None = None, since: str | None = None,
                   story: int | None = None) -> dict:
        actor_ids, members = actor_ids_named(store, speaker), _story(story).articles if story is not None else None
        page = store.statements(actor_ids, since, article_ids=members, limit=limit, offset=offset)
        return _listing([asdict(s) for s in page], store.statement_count(actor_ids, since, article_ids=members), limit, offset)

    @app.get("/api/propositions", summary="Propositions and how many stances each has")
    def propositions() -> dict:
        found = [asdict(p) for p in store.propositions()]
        return _page(found, max(1, len(found)), 0)

    @app.get("/api/positions", summary="A proposition's timeline, in statement-date order")
    def positions(proposition: str, actor: str | None = None, limit: Limit = 100, offset: Offset = 0) -> dict:
        from storyline.positions.queries import find_proposition, timeline

        chosen = find_proposition(store, proposition)
        if chosen is None:
            raise HTTPException(404, f"no single proposition matches {proposition!r}")
        actor_ids = actor_ids_named(store, actor)
        return {"proposition": asdict(chosen), "reading": reading_dict(store.proposition_reading(chosen.id, actor_ids=actor_ids)),
                **_page([position_dict(p) for p in timeline(store, chosen.id, actor_ids)], limit, offset)}

    @app.get("/api/shifts", summary="Shifts, walk-backs and contradictions, with both ends' evidence")
    def shifts(since: str | None = None, limit: Limit = 100, offset: Offset = 0) -> dict:
        from storyline.positions.queries import shifts as find_shifts

        return _page([shift_dict(s) for s in find_shifts(store, since=since)], limit, offset)

    def _check_token(authorization: str | None) -> None:
        """Reads of what only the token's holder may see (webhooks); writes were checked before their body was read."""
        from storyline.interfaces.middleware import bearer_matches

        if not write_token:
            raise HTTPException(403, "this server is read-only: start it with --write-token (or STORYLINE_WRITE_TOKEN) to accept writes")
        if not bearer_matches(authorization, write_token):
            raise HTTPException(401, "a valid write token is required: Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"})

    def _analyse() -> None:
        from storyline.jobs.update import update

        with analysing:
            update(store)

    @app.post("/api/ingest", summary="Ingest articles (write token required); analysis follows in the background", status_code=202)
    def ingest(request: IngestRequest, background: BackgroundTasks, authorization: Annotated[str | None, Header()] = None,
               analyse: bool = True) -> dict:
        from storyline.pipeline import Ingestor
        from storyline.records import GivenMetadata, RawDocument

        _check_token(authorization)
        documents = [
            RawDocument(origin=item.url or f"posted to /api/ingest (item {n + 1})", data=(item.html if item.html is not None else item.text).encode("utf-8"),
                        kind_hint="html" if item.html is not None else "text", content_type="text/html; charset=utf-8"
                        if item.html is not None else "text/plain; charset=utf-8",
                        given=GivenMetadata(url=item.url, title=item.title, outlet=item.outlet, country=item.country,
                                            language=item.language, published=item.published,
                                            published_source="given" if item.published else None))
            for n, item in enumerate(request.articles)
        ]
        report = Ingestor(store).run_documents(["api"], documents)
        if analyse and report.count("stored"):
            background.add_task(_analyse)
        return {"run": report.run_id, "analysis": "queued" if analyse and report.count("stored") else "not requested",
                "outcomes": [asdict(outcome) for outcome in report.outcomes]}

    @app.get("/api/webhooks", summary="Webhooks with their delivery counts (write token required)")
    def webhooks(authorization: Annotated[str | None, Header()] = None) -> dict:
        _check_token(authorization)
        found = [_webhook_dict(h) for h in store.webhooks()]
        return _page(found, max(1, len(found)), 0)

    @app.post("/api/webhooks", summary="Register a webhook for new statements and shifts (write token required)", status_code=201)
    def add_webhook(hook: WebhookIn, authorization: Annotated[str | None, Header()] = None) -> dict:
        from storyline.alerts.outbox import register_webhook

        _check_token(authorization)
        try:
            webhook_id = register_webhook(store, hook.url, tuple(hook.kinds), hook.secret, hook.allow_private, hook.about)
        except ValueError as error:
            raise HTTPException(422, f"webhook refused: {error}") from error
        return _webhook_dict(next(h for h in store.webhooks() if h.id == webhook_id))

    @app.delete("/api/webhooks/{webhook_id}", summary="Remove a webhook (write token required)", status_code=204)
    def remove_webhook(webhook_id: int, authorization: Annotated[str | None, Header()] = None) -> Response:
        _check_token(authorization)
        if not store.remove_webhook(webhook_id):
            raise HTTPException(404, f"no webhook with id {webhook_id}")
        return Response(status_code=204)

    @app.get("/api/webhooks/{webhook_id}/deliveries", summary="A webhook's delivery log, newest first (write token required)")
    def deliveries(webhook_id: int, authorization: Annotated[str | None, Header()] = None, limit: Limit = 100) -> dict:
        _check_token(authorization)
        if not any(h.id == webhook_id for h in store.webhooks()):
            raise HTTPException(404, f"no webhook with id {webhook_id}")
        attempts = [{**asdict(a), "at": a.at.isoformat()} for a in store.delivery_log(webhook_id, limit)]
        return _page(attempts, limit, 0)

    @app.get("/api/search", summary="Full-text search over articles and statements, or semantic search over articles")
    def search(q: Annotated[str, Query(min_length=1, max_length=settings().api.max_query_characters)], semantic: bool = False,
               limit: Limit = 20, country: str | None = None, outlet: str | None = None, language: str | None = None,
               since: str | None = None, until: str | None = None) -> dict:
        hits = search_view(store, q, semantic, limit,
                           ArticleFilters(country=country, outlet=outlet, language=language, since=since, until=until))
        if not semantic:
            return {"query": q, "items": [asdict(h) for h in hits]}
        return {"query": q, "items": [{"kind": h.kind, "article_id": h.article_id, "score": h.score, "title": h.title, "outlet": h.outlet,
                                       "published": h.published, "country": h.country, "language": h.language,
                                       "sentence": h.snippet} for h in hits]}

    from storyline.interfaces.web import mount_web

    mount_web(app, store, public_url, writable=bool(write_token))
    return app
