"""Fixtures of the lifecycle tests: the filings tests' open 2025 round of 广州市人社局."""

from tests.filings.conftest import open_round  # noqa: F401  (fixture)
