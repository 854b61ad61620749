"""Benchmarks, each printing ratios measured side by side in one run.

Benchmarks, run as modules from the project root (``python -m bench.search_bench``);
each prints ratios measured side by side in one run.
"""
