"""Positions: statements judged against propositions, as timelines with shifts, walk-backs and
contradictions (found by the shifts stage, stored, read back by everything that shows them)."""
