"""Stores the Aggregator reads: a results database (SQL) or output folders (Python)."""

from autofit.aggregator.backends.base import Backend, FitHeader
from autofit.aggregator.backends.directory import DirectoryBackend
from autofit.aggregator.backends.sql import SQLBackend

__all__ = ["Backend", "FitHeader", "DirectoryBackend", "SQLBackend"]
