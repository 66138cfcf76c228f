"""Benchmarks at national scale: a deterministic registry generator and the harness (issue 6)."""
