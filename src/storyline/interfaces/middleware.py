"""What every request passes through before a route sees it (plain ASGI, so no body is read
that a check refuses): the write token before anything of a write is read, the body's size
before it is parsed, HEAD answered as GET without a body, and the security headers on every answer."""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.settings import settings

READS = {"GET", "HEAD", "OPTIONS"}

# No inline script anywhere (the pages load /static/storyline.js); charts style themselves inline.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # an outlet a reader follows learns nothing of what they searched
    (b"x-frame-options", b"DENY"),
]
# The API docs page runs Swagger UI's inline start-up script.
_DOCS = ("/docs",)


def bearer_matches(authorization: str | None, token: str) -> bool:
    """An `Authorization: Bearer TOKEN` header carrying the token (the scheme is required)."""
    scheme, _, given = (authorization or "").strip().partition(" ")
    return scheme.lower() == "bearer" and bool(given.strip()) and hmac.compare_digest(given.strip().encode(), token.encode())


async def _answer(send: Send, status: int, error: str, extra: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"error": error}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Token, then size, then the route: a write without a valid token is refused before one byte
    of its body is read, and a body over `max_body_bytes` is refused before it is parsed."""

    def __init__(self, app: ASGIApp, write_token: str | None):
        self.app, self.write_token = app, write_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(scope, send)
        if scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if scope["method"] in READS or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        if not self.write_token:
            await _answer(send, 403, "this server is read-only: start it with --write-token (or STORYLINE_WRITE_TOKEN) to accept writes")
            return
        if not bearer_matches(headers.get("authorization"), self.write_token):
            await _answer(send, 401, "a valid write token is required: Authorization: Bearer TOKEN", [(b"www-authenticate", b"Bearer")])
            return
        limit = settings().api.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            await _answer(send, 413, f"request body of {int(declared):,} bytes, over the limit of {limit:,}")
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _answer(send, 413, f"request body over the limit of {limit:,} bytes")
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    @staticmethod
    def _with_headers(scope: Scope, send: Send) -> Send:
        docs = scope["path"].startswith(_DOCS)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS if docs else [*SECURITY_HEADERS, (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())]
                message = {**message, "headers": headers}
            await send(message)

        return sending


def _replay(body: bytes, then: Receive) -> Receive:
    """The body already read, once; after it, the connection's own messages (its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _without_body(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return sending
