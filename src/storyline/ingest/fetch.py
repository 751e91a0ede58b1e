"""HTTP fetching with timeouts, a size cap and errors a user can act on."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

from storyline import __version__
from storyline.addresses import is_link_local
from storyline.ingest.errors import IngestError
from storyline.settings import settings

USER_AGENT = f"Storyline/{__version__} (+self-hosted news reader)"


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str | None
    fetched_at: datetime


def _refuse_link_local(request: httpx.Request) -> None:
    """Called for the first request and every redirect: no page or feed may lead the fetcher to a
    link-local address, where a cloud machine's metadata service hands out its credentials."""
    host = request.url.host
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, request.url.port or 80, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError, ValueError):
        return  # the connection itself will fail, with its own message
    if any(is_link_local(address) for address in addresses):
        raise IngestError(f"refused: {request.url} is at a link-local address (a cloud metadata service, not a news source)")


class Fetcher:
    """One pooled client for a whole run; every failure becomes an IngestError naming the URL's problem."""

    def __init__(self, timeout: float | None = None, max_bytes: int | None = None, transport: httpx.BaseTransport | None = None):
        timeout = timeout or settings().ingest.fetch_timeout_seconds
        self.max_bytes = max_bytes or settings().ingest.max_bytes
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            event_hooks={"request": [_refuse_link_local]},
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        if not url.lower().startswith(("http://", "https://")):
            raise IngestError(f"unsupported URL scheme in {url!r}: only http and https are fetched")
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise IngestError(f"HTTP {response.status_code} {response.reason_phrase} from {url}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise IngestError(f"too large: {url} declares {int(declared):,} bytes, over the limit of {self.max_bytes:,}")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise IngestError(f"too large: {url} sent more than {self.max_bytes:,} bytes (limit --max-bytes)")
                    chunks.append(chunk)
                return Fetched(
                    url=str(response.url),
                    data=b"".join(chunks),
                    content_type=response.headers.get("content-type"),
                    fetched_at=datetime.now(timezone.utc),
                )
        except httpx.TimeoutException as exc:
            raise IngestError(f"timed out fetching {url} ({type(exc).__name__})") from exc
        except httpx.ConnectError as exc:
            raise IngestError(f"unreachable: could not connect to {url} ({exc})") from exc
        except httpx.TooManyRedirects as exc:
            raise IngestError(f"too many redirects fetching {url}") from exc
        except httpx.HTTPError as exc:
            raise IngestError(f"network error fetching {url}: {exc}") from exc
