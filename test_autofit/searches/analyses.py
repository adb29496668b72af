"""Analyses used by the search tests: counting calls, rejecting points, raising errors."""

from __future__ import annotations

import math

import autofit as af
from autofit.analysis import Analysis


class CountingAnalysis(af.ex.Analysis):
    """The example chi-squared analysis, recording every point its likelihood is called at."""

    def __init__(self, data, noise_map) -> None:
        super().__init__(data, noise_map)
        self.points: list[tuple[float, ...]] = []

    @property
    def calls(self) -> int:
        return len(self.points)

    def log_likelihood_function(self, instance) -> float:
        self.points.append((instance.centre, instance.normalization, instance.sigma))
        return super().log_likelihood_function(instance)


class RejectAboveCentre(CountingAnalysis):
    """Rejects (``FitException``) every point with ``centre > limit``."""

    def __init__(self, data, noise_map, limit: float) -> None:
        super().__init__(data, noise_map)
        self.limit = limit

    def log_likelihood_function(self, instance) -> float:
        value = super().log_likelihood_function(instance)
        if instance.centre > self.limit:
            raise af.exc.FitException(f"centre {instance.centre} > {self.limit}")
        return value


class NaNBelowSigma(CountingAnalysis):
    """Returns NaN at every point with ``sigma < limit``."""

    def __init__(self, data, noise_map, limit: float) -> None:
        super().__init__(data, noise_map)
        self.limit = limit

    def log_likelihood_function(self, instance) -> float:
        value = super().log_likelihood_function(instance)
        return math.nan if instance.sigma < self.limit else value


class AlwaysRejects(Analysis):
    """Rejects every point."""

    def log_likelihood_function(self, instance) -> float:
        raise af.exc.FitException("no point is acceptable")


class RaisesValueError(Analysis):
    """Raises ``ValueError`` (not a rejection) and remembers where."""

    def __init__(self) -> None:
        self.failed_at = None

    def log_likelihood_function(self, instance) -> float:
        self.failed_at = (instance.centre, instance.normalization, instance.sigma)
        raise ValueError("the likelihood is broken")
