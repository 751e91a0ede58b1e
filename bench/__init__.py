"""Evaluations and benchmarks: each prints dataset, metric, our score and the published reference."""
