"""Fixtures of the graphical tests: every fit writes into its own temporary output folder."""

from test_autofit.isolation import output_path  # noqa: F401
