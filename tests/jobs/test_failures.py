"""A bad article costs only itself: each stage records it with its reason, goes on with the
others, and leaves it out until the analysis version changes; one analysis runs at a time."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text

from storyline.analysis import ANALYSIS_VERSION
from storyline.jobs.contract import LeaseLost
from storyline.jobs.update import LEASE, one_analysis, update
from storyline.pipeline import Ingestor
from storyline.store import utc_now
from tests.conftest import SEEDS


def _what_an_older_store_could_hold(store) -> tuple[int, int]:
    """Two articles as earlier versions stored them: a year-99 date, and a million-character paragraph."""
    Ingestor(store).run([str(SEEDS)])
    first, second, *_ = sorted(a.id for a in store.articles())
    wall = "The minister said that the talks would go on. " * 23_000
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE articles SET published = '99-01-01T10:00' WHERE id = :id"), {"id": first})
        connection.execute(text("UPDATE articles SET text = :wall WHERE id = :id"), {"wall": wall, "id": second})
        connection.execute(text("DELETE FROM paragraphs WHERE article_id = :id AND idx > 0"), {"id": second})
        connection.execute(text("UPDATE paragraphs SET start = 0, \"end\" = :n WHERE article_id = :id"), {"n": len(wall), "id": second})
    return first, second


def test_one_bad_article_is_recorded_and_the_others_are_analysed(store):
    first, second = _what_an_older_store_could_hold(store)
    [report] = update(store, only=["statements"])
    assert {item for item, _reason in report.failures} == {f"article {first}", f"article {second}"}
    reasons = dict(report.failures)
    assert "isoformat" in reasons[f"article {first}"] and "E088" in reasons[f"article {second}"]
    analysed = {s.article_id for s in store.statements()}
    assert analysed and analysed.isdisjoint({first, second}) and len(analysed) >= 2
    failures = store.analysis_failures(ANALYSIS_VERSION)
    assert {(f.stage, f.item) for f in failures} == {("statements", f"article {first}"), ("statements", f"article {second}")}
    # The next analysis does not try them again (they would fail the same way); a new version would.
    [again] = update(store, only=["statements"])
    assert again.done == 0 and again.failures == []
    assert store.failed_items("statements", ANALYSIS_VERSION + 1) == set()


def test_an_analysis_waits_for_the_one_holding_the_store(store):
    assert store.take_lease(LEASE, "the other analysis", 60) is None
    waited = threading.Event()

    class Watching:
        def waiting(self, holder):
            assert holder == "the other analysis"
            waited.set()

        def start(self, title, total): ...
        def advance(self, n): ...
        def finish(self, report): ...

    runner = threading.Thread(target=update, args=(store,), kwargs={"progress": Watching(), "only": ["shifts"]})
    runner.start()
    assert waited.wait(10)
    assert runner.is_alive()  # still waiting while the lease is held
    store.release_lease(LEASE, "the other analysis")
    runner.join(10)
    assert not runner.is_alive()
    assert store.take_lease(LEASE, "next", 60) is None  # the update gave the lease back


def test_a_lease_whose_holder_died_lapses_and_a_holder_that_lost_it_stops(store):
    assert store.take_lease(LEASE, "killed analysis", 60) is None
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE leases SET expires_at = :past"), {"past": utc_now() - timedelta(seconds=1)})
    assert [r.stage for r in update(store, only=["shifts"])] == ["shifts"]
    with pytest.raises(LeaseLost), one_analysis(store, progress=None) as heartbeat:
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE leases SET holder = 'usurper', expires_at = :later"),
                               {"later": utc_now() + timedelta(seconds=60)})
        heartbeat()
