"""Alerts: record what is new when some webhook listens, then deliver what is due."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.jobs.contract import Job, StageReport


class AlertsJob(Job):
    name = "alerts"
    title = "Alerts"

    def pending(self) -> Sequence[str]:
        # Deliveries belong to webhooks: with none registered there is nothing to record or send.
        return ["record and deliver"] if self.store.webhooks() else []

    def process(self, batch: Sequence[str], report: StageReport) -> None:
        from storyline.alerts.delivery import send_alerts

        new, delivered = send_alerts(self.store)
        report.counts.update(new=new, delivered=delivered.delivered, retrying=delivered.retrying, failed=delivered.failed)

    def describe(self, report: StageReport) -> None:
        c = report.counts
        if c["new"] or c["delivered"] or c["retrying"] or c["failed"]:
            report.summary.append(f"Alerts: {c['new']} new; {c['delivered']} delivered, {c['retrying']} to retry, "
                                  f"{c['failed']} given up (`storyline webhooks log` has each attempt).")
