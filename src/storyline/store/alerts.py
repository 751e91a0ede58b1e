"""Alerts: webhooks, the outbox of alerts with its watermark, and the deliveries owed to each webhook."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from storyline.records import (
    Alert,
    DeliveryAttempt,
    DueDelivery,
    Webhook,
)
from storyline.store.base import StoreBase, in_chunks, utc_now
from storyline.store.models import (
    AlertRow,
    AlertWatermarkRow,
    DeliveryAttemptRow,
    DeliveryRow,
    WebhookRow,
)


class AlertStore(StoreBase):
    def add_webhook(self, url: str, kinds: tuple[str, ...], secret: str | None, allow_private: bool, about: str | None = None) -> int:
        with self._session() as session, session.begin():
            row = WebhookRow(url=url, kinds=json.dumps(list(kinds)), secret=secret, allow_private=allow_private, created_at=utc_now(),
                             about=about)
            session.add(row)
            session.flush()
            return row.id

    def remove_webhook(self, webhook_id: int) -> bool:
        with self._session() as session, session.begin():
            return session.execute(delete(WebhookRow).where(WebhookRow.id == webhook_id)).rowcount > 0

    @staticmethod
    def _to_webhook(row: WebhookRow, counts: Counter | None = None) -> Webhook:
        counts = counts or Counter()
        return Webhook(row.id, row.url, tuple(json.loads(row.kinds)), row.secret, row.allow_private, row.created_at, row.about,
                       counts[(row.id, "pending")], counts[(row.id, "delivered")], counts[(row.id, "failed")])

    def webhooks(self) -> list[Webhook]:
        with self._session() as session:
            counts = Counter({(w, status): n for w, status, n in session.execute(
                select(DeliveryRow.webhook_id, DeliveryRow.status, func.count()).group_by(DeliveryRow.webhook_id, DeliveryRow.status))})
            return [self._to_webhook(row, counts) for row in session.scalars(select(WebhookRow).order_by(WebhookRow.id))]

    def alert_keys(self, kind: str) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(AlertRow.key).where(AlertRow.kind == kind)))

    def alerted_statements_through(self) -> int:
        with self._session() as session:
            return session.scalar(select(AlertWatermarkRow.statements_through).where(AlertWatermarkRow.id == 1)) or 0

    def record_alerts(self, alerts: list[Alert], statements_through: int | None = None) -> int:
        """Keep the alerts not seen before, each owed to every webhook that wants its kind (and is
        about everything, or about one of the alert's subjects), and move the statement watermark
        in the same transaction; how many were new."""
        now = utc_now()
        with self._session() as session, session.begin():
            if statements_through is not None:
                session.execute(update(AlertWatermarkRow).where(AlertWatermarkRow.id == 1).values(statements_through=statements_through))
            keys = [a.key for a in alerts]
            known = {key for chunk in in_chunks(keys) for key in session.scalars(select(AlertRow.key).where(AlertRow.key.in_(chunk)))}
            hooks = list(session.scalars(select(WebhookRow)))
            fresh = [a for a in {a.key: a for a in alerts}.values() if a.key not in known]
            for alert in fresh:
                row = AlertRow(key=alert.key, kind=alert.kind, payload=json.dumps(alert.payload, ensure_ascii=False), created_at=now)
                session.add(row)
                session.flush()
                session.add_all(DeliveryRow(webhook_id=hook.id, alert_id=row.id, status="pending", attempts=0, next_attempt_at=now)
                                for hook in hooks if alert.kind in json.loads(hook.kinds) and (hook.about is None or hook.about in alert.about))
            return len(fresh)

    def claim_due_deliveries(self, now: datetime, lease: timedelta, limit: int = 100) -> list[DueDelivery]:
        """Deliveries due by `now`, each claimed by moving its next attempt past the lease, so a
        second worker (another process) skips it and a crash mid-send only delays it."""
        claimed = []
        with self._session() as session, session.begin():
            due = session.execute(
                select(DeliveryRow, AlertRow, WebhookRow).join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                .join(WebhookRow, WebhookRow.id == DeliveryRow.webhook_id)
                .where(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at <= now)
                .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id).limit(limit)).all()
            for delivery, alert, hook in due:
                attempt, due_at = delivery.attempts + 1, delivery.next_attempt_at
                taken = session.execute(update(DeliveryRow).where(
                    DeliveryRow.id == delivery.id, DeliveryRow.status == "pending", DeliveryRow.next_attempt_at == due_at,
                ).values(next_attempt_at=now + lease, attempts=attempt), execution_options={"synchronize_session": False}).rowcount
                if taken:
                    claimed.append(DueDelivery(delivery.id, attempt, self._to_webhook(hook), alert.key, alert.kind,
                                               alert.payload.encode("utf-8")))
        return claimed

    def finish_delivery(self, delivery_id: int, *, at: datetime, status_code: int | None, error: str | None, seconds: float,
                        delivered: bool, retry_at: datetime | None) -> None:
        """Log the attempt; then the delivery is done, due again at `retry_at`, or given up (neither)."""
        with self._session() as session, session.begin():
            session.add(DeliveryAttemptRow(delivery_id=delivery_id, at=at, status_code=status_code, error=error, seconds=seconds))
            values = ({"status": "delivered", "delivered_at": at} if delivered
                      else {"next_attempt_at": retry_at} if retry_at else {"status": "failed"})
            session.execute(update(DeliveryRow).where(DeliveryRow.id == delivery_id).values(**values))

    def delivery_log(self, webhook_id: int | None = None, limit: int = 100) -> list[DeliveryAttempt]:
        """Attempts, newest first."""
        with self._session() as session:
            query = (select(DeliveryAttemptRow, DeliveryRow.webhook_id, DeliveryRow.status, AlertRow.key)
                     .join(DeliveryRow, DeliveryRow.id == DeliveryAttemptRow.delivery_id).join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                     .order_by(DeliveryAttemptRow.id.desc()).limit(limit))
            if webhook_id is not None:
                query = query.where(DeliveryRow.webhook_id == webhook_id)
            return [DeliveryAttempt(row.delivery_id, hook, key, row.at, row.status_code, row.error, row.seconds, status)
                    for row, hook, status, key in session.execute(query)]
