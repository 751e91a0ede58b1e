"""The analysis's own bookkeeping: items a stage could not handle, and the lease that lets one
analysis run at a time over a store (an API ingest's analysis beside a `storyline analyze`)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from storyline.records import AnalysisFailure
from storyline.store.base import StoreBase, utc_now
from storyline.store.models import AnalysisFailureRow, LeaseRow


class AnalysisStore(StoreBase):
    def record_analysis_failure(self, stage: str, item: str, version: int, reason: str) -> None:
        with self._session() as session, session.begin():
            known = session.scalar(select(AnalysisFailureRow.id).where(
                AnalysisFailureRow.stage == stage, AnalysisFailureRow.item == item, AnalysisFailureRow.analysis_version == version))
            if known is None:
                session.add(AnalysisFailureRow(stage=stage, item=item, analysis_version=version, reason=reason, failed_at=utc_now()))

    def failed_items(self, stage: str, version: int) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(AnalysisFailureRow.item).where(
                AnalysisFailureRow.stage == stage, AnalysisFailureRow.analysis_version == version)))

    def analysis_failures(self, version: int, limit: int = 100) -> list[AnalysisFailure]:
        with self._session() as session:
            rows = session.scalars(select(AnalysisFailureRow).where(AnalysisFailureRow.analysis_version == version)
                                   .order_by(AnalysisFailureRow.id.desc()).limit(limit))
            return [AnalysisFailure(r.stage, r.item, r.reason, r.failed_at) for r in rows]

    def take_lease(self, name: str, holder: str, seconds: float) -> str | None:
        """Take (or renew) a lease; None when taken, else who holds it. One UPDATE decides, so two
        processes asking at once cannot both get it."""
        now = utc_now()
        with self._session() as session, session.begin():
            taken = session.execute(update(LeaseRow).where(
                LeaseRow.name == name,
                (LeaseRow.holder.is_(None)) | (LeaseRow.holder == holder) | (LeaseRow.expires_at < now),
            ).values(holder=holder, expires_at=now + timedelta(seconds=seconds))).rowcount
            if taken:
                return None
            return session.scalar(select(LeaseRow.holder).where(LeaseRow.name == name)) or "another process"

    def release_lease(self, name: str, holder: str) -> None:
        with self._session() as session, session.begin():
            session.execute(update(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder)
                            .values(holder=None, expires_at=None))
