"""Alerts: webhooks told once about each new statement and each position shift.

An outbox in the store: `record_alerts` turns what the store holds now into alerts keyed by
what they are about (article and offsets, proposition and both ends of a shift), so
re-analysis or a restart never makes an old alert new; each new alert is owed to every
webhook that wants its kind. `deliver_due` POSTs what is owed, logs every attempt, and
retries failures with exponential backoff; a delivery marked delivered is never sent
again, and each POST carries its delivery id so a receiver can drop the rare repeat after
a crash between its 200 and our commit.

Webhook targets are checked against SSRF both when registered and before every POST: the
host must resolve to public addresses only (no loopback, private, link-local, CGNAT or
metadata ranges) unless the webhook was registered with allow_private; redirects are not
followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx

from storyline.interfaces.export import sentence_link, shift_dict
from storyline.records import Alert, Shift, StoredStatement
from storyline.store import Store, utc_now

KINDS = ("statement", "shift")
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 18  # about two days (50 h) of retries before a delivery is given up
LEASE = timedelta(minutes=2)  # longer than one POST can take (TIMEOUT), so a claim is never sent twice at once
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class UnsafeTarget(ValueError):
    """A webhook URL we will not call: bad scheme, unresolvable, or an address inside the network."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_target(url: str, allow_private: bool = False) -> str:
    """Raise UnsafeTarget unless `url` is http(s) on a host whose every address is public; return
    the address to connect to, so that no second lookup can answer differently (DNS rebinding)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"{url!r} is not an http(s) URL with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)))
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise UnsafeTarget(f"cannot resolve {parts.hostname!r}: {error}") from error
    inside = sorted(a for a in addresses if not _is_public(a))
    if inside and not allow_private:
        raise UnsafeTarget(f"{parts.hostname!r} resolves to {', '.join(inside)}, a private, loopback or reserved address; "
                           "webhooks may not call into this network unless registered with allow_private")
    return addresses[0]


def pinned(url: str, address: str) -> tuple[str, str, dict[str, str]]:
    """The URL with its host replaced by the checked `address`, the Host header the receiver
    expects, and the name TLS must verify (the certificate is still checked against the host)."""
    parts = urlsplit(url)
    userinfo, _, host = parts.netloc.rpartition("@")
    literal = f"[{address}]" if ":" in address else address
    netloc = (f"{userinfo}@" if userinfo else "") + literal + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), host, {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}


def statement_alert(statement: StoredStatement) -> Alert:
    return Alert(f"statement:{statement.article_id}:{statement.start}:{statement.end}", "statement",
                 {"event": "statement", "statement": asdict(statement),
                  "source": sentence_link(statement)})


def shift_alert(shift: Shift) -> Alert:
    ends = [f"{p.statement.article_id}:{p.statement.start}" for p in (shift.before, shift.after)]
    return Alert(f"shift:{shift.kind}:{shift.proposition_id}:{shift.actor}:{ends[0]}:{ends[1]}", "shift",
                 {"event": "shift", "shift": shift_dict(shift),
                  "sources": [sentence_link(p.statement) for p in (shift.before, shift.after)]})


def record_alerts(store: Store) -> int:
    """Record what is new since the last call; returns how many alerts were new."""
    from storyline.positions.queries import shifts

    # Statements only grow past the watermark (re-analysis writes new ids; their keys repeat the
    # old ones and the store drops those); shifts are recomputed, so they are checked by key.
    new_statements = store.statements(after_id=store.alerted_statements_through())
    alerts = [statement_alert(s) for s in new_statements]
    known_shifts = store.alert_keys("shift")
    alerts += [a for a in map(shift_alert, shifts(store)) if a.key not in known_shifts]
    return store.record_alerts(alerts, statements_through=max((s.id for s in new_statements), default=None))


def register_webhook(store: Store, url: str, kinds: tuple[str, ...] = KINDS, secret: str | None = None,
                     allow_private: bool = False) -> int:
    """Add a webhook that hears about what happens from now on (not the store's past)."""
    unknown = set(kinds) - set(KINDS)
    if not kinds or unknown:
        raise ValueError(f"alert kinds are {', '.join(KINDS)}; not {', '.join(sorted(unknown)) or 'none'}")
    check_target(url, allow_private)
    record_alerts(store)  # what the store already holds is history, not news to this webhook
    return store.add_webhook(url, tuple(kinds), secret, allow_private)


def retry_delay(attempt: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(store: Store, now: datetime | None = None, client: httpx.Client | None = None) -> DeliveryReport:
    """POST every delivery that is due; what fails waits FIRST_RETRY, doubling, until MAX_ATTEMPTS."""
    now = now or utc_now()
    report = DeliveryReport()
    claimed = store.claim_due_deliveries(now, LEASE)
    if not claimed:
        return report
    owned = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    try:
        for due in claimed:
            headers = {"Content-Type": "application/json", "User-Agent": "Storyline-Webhook/0.1", "X-Storyline-Event": due.kind,
                       "X-Storyline-Delivery": str(due.id), "X-Storyline-Alert": due.alert_key}
            if due.webhook.secret:
                headers["X-Storyline-Signature"] = signature(due.webhook.secret, due.body)
            started, status_code, error = time.perf_counter(), None, None
            try:
                url, host, extensions = pinned(due.webhook.url, check_target(due.webhook.url, due.webhook.allow_private))
                response = client.post(url, content=due.body, headers={**headers, "Host": host}, extensions=extensions)
                status_code = response.status_code
                if not response.is_success:
                    error = f"HTTP {status_code}" + (" (redirects are not followed)" if response.is_redirect else "")
            except (UnsafeTarget, httpx.HTTPError) as failure:
                error = f"{type(failure).__name__}: {failure}"
            delivered = error is None
            retry_at = None if delivered or due.attempt >= MAX_ATTEMPTS else now + retry_delay(due.attempt)
            store.finish_delivery(due.id, at=now, status_code=status_code, error=error, seconds=time.perf_counter() - started,
                                  delivered=delivered, retry_at=retry_at)
            if delivered:
                report.delivered += 1
            elif retry_at:
                report.retrying += 1
            else:
                report.failed += 1
    finally:
        if owned:
            client.close()
    return report


def send_alerts(store: Store) -> tuple[int, DeliveryReport]:
    """Record what is new, when some webhook listens, and deliver what is due: how many alerts were new."""
    new = record_alerts(store) if store.webhooks() else 0
    return new, deliver_due(store)


class DeliveryWorker:
    """A thread for `storyline serve`: delivers what is due every `interval` seconds. Alerts are
    recorded where analysis happens (`storyline analyze`, `propose`, the API's ingest)."""

    def __init__(self, store: Store, interval: float = 10.0):
        self.store, self.interval = store, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="storyline-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=TIMEOUT.read + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.store)
            except Exception as error:  # noqa: BLE001 - a bad round must not end the server's deliveries
                print(f"storyline: webhook delivery round failed: {error}", flush=True)
            self._stop.wait(self.interval)
