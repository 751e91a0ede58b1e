"""Positions: statements judged against propositions, as timelines with shifts and contradictions."""
