"""The stance reader as the stages call it: a pair met again (a wire copy, a repeated paragraph,
an occlusion's variant) is read once and reads the same."""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest

from bench.data import eval_data_dir
from bench.stance import PERSPECTRUM_DEV, read_pairs
from storyline.analysis.stance_model import StanceReader


def test_a_pair_met_again_is_read_once_and_reads_the_same(monkeypatch):
    pairs = [(r["claim"], r["statement"]) for r in read_pairs(eval_data_dir() / PERSPECTRUM_DEV, limit=6)]
    reader = StanceReader()
    first = reader.logits(pairs[:1])
    read: list[tuple[str, str]] = []
    compute = reader._read

    def recorded(batch):
        read.extend(batch)
        return compute(batch)

    monkeypatch.setattr(reader, "_read", recorded)
    twice = reader.logits(pairs + pairs)
    assert read == pairs[1:], "each pair not read before is read once"
    np.testing.assert_array_equal(twice[:6], twice[6:])
    np.testing.assert_array_equal(twice[0], first[0])
    assert np.allclose(twice[1:6], StanceReader().logits(pairs[1:6]))  # a fresh reader, nothing remembered


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_process_reads_with_threads_of_its_own():
    """A child forked after the parent has read has none of the parent's threads; it must not
    wait on them for ever."""
    pairs = [(r["claim"], r["statement"]) for r in read_pairs(eval_data_dir() / PERSPECTRUM_DEV, limit=4)]
    expected = StanceReader().logits(pairs)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        found = pool.apply_async(_fresh_logits, (pairs,)).get(timeout=60)
    assert np.allclose(found, expected)


def _fresh_logits(pairs: list[tuple[str, str]]) -> np.ndarray:
    return StanceReader().logits(pairs)
