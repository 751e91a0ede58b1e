"""Shifts: each proposition whose stances (or the roles of those who took them) changed has its
shifts, walk-backs and contradictions found again and stored; the others are left as they are,
so pages, feeds and alerts read them instead of recomputing them from every position."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.jobs.contract import Job, StageReport


class ShiftsJob(Job):
    name = "shifts"
    title = "Shifts"

    def pending(self) -> Sequence[tuple[int, str]]:
        return self.store.propositions_with_stale_shifts()

    def item_key(self, item: tuple[int, str]) -> str:
        return f"proposition {item[0]}"

    def process(self, batch: Sequence[tuple[int, str]], report: StageReport) -> None:
        from storyline.positions.queries import detect_shifts

        for proposition_id, inputs in batch:
            found = detect_shifts(self.store, proposition_id)
            self.store.save_shifts(proposition_id, found, inputs)
            report.counts["propositions"] += 1
            report.counts["shifts"] += len(found)

    def describe(self, report: StageReport) -> None:
        if report.counts["propositions"]:
            report.summary.append(f"Shifts, walk-backs and contradictions: {report.counts['shifts']} on "
                                  f"{report.counts['propositions']} proposition(s) whose stances changed.")
