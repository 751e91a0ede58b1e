"""A derandomised slice of `make fuzz` (bench/fuzz.py): generated hostile inputs of every kind
in real ingest runs; none aborts its run, hangs, goes without an outcome or is an unexpected error."""

from __future__ import annotations

from bench.fuzz import FuzzTally, run


def test_generated_hostile_inputs_each_get_an_outcome_and_stop_nothing():
    tally = FuzzTally()
    run(examples=30, per_batch=10, seed=None, tally=tally)
    assert tally.inputs >= 80
    assert tally.ok, {"aborted": tally.aborted, "hangs": tally.hangs, "without outcome": tally.without_outcome,
                      "unexpected": tally.unexpected, "inconsistent": tally.inconsistent}
    assert tally.outcomes.get("failed", 0) and tally.outcomes.get("stored", 0)  # the generator reaches both ends
