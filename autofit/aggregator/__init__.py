"""The Aggregator: query and load the fits of a results database or of output folders.

``af.Aggregator.from_database(...)`` and ``af.Aggregator.from_directory(...)`` give the same API;
queries run as SQL on a database and in Python on folders, with the same results.
"""

from autofit.aggregator.aggregator import Aggregator
from autofit.aggregator.fit_view import FitView
from autofit.aggregator.query import Predicate

__all__ = ["Aggregator", "FitView", "Predicate"]
