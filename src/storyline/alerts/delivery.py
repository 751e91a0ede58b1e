"""Delivery: POST what is owed, log every attempt, retry with exponential backoff."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from storyline.alerts.guard import UnsafeTarget, check_target, pinned
from storyline.alerts.outbox import record_alerts
from storyline.settings import settings
from storyline.store import Store, utc_now


def retry_delay(attempt: int) -> timedelta:
    limits = settings().alerts
    return min(timedelta(seconds=limits.first_retry_seconds) * 2 ** (attempt - 1), timedelta(seconds=limits.longest_wait_seconds))


def _timeout() -> httpx.Timeout:
    return httpx.Timeout(settings().alerts.timeout_seconds, connect=settings().alerts.connect_timeout_seconds)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(store: Store, now: datetime | None = None, client: httpx.Client | None = None) -> DeliveryReport:
    """POST every delivery that is due; what fails waits the first retry's delay, doubling, until the last attempt."""
    now = now or utc_now()
    report = DeliveryReport()
    claimed = store.claim_due_deliveries(now, timedelta(seconds=settings().alerts.lease_seconds))
    if not claimed:
        return report
    owned = client is None
    client = client or httpx.Client(timeout=_timeout(), follow_redirects=False)
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
            retry_at = None if delivered or due.attempt >= settings().alerts.max_attempts else now + retry_delay(due.attempt)
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
        self._thread.join(timeout=settings().alerts.timeout_seconds + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.store)
            except Exception as error:  # noqa: BLE001 - a bad round must not end the server's deliveries
                print(f"storyline: webhook delivery round failed: {error}", flush=True)
            self._stop.wait(self.interval)
