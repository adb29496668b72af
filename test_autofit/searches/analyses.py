"""Analyses used by the search tests: counting calls, rejecting points, raising errors."""

from __future__ import annotations

import math

import numpy as np

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


class RejectBelowSigma(af.ex.Analysis):
    """Rejects (``FitException``) every point with ``sigma < limit``."""

    def __init__(self, data, noise_map, limit: float) -> None:
        super().__init__(data, noise_map)
        self.limit = limit

    def log_likelihood_function(self, instance) -> float:
        if instance.sigma < self.limit:
            raise af.exc.FitException(f"sigma {instance.sigma} < {self.limit}")
        return super().log_likelihood_function(instance)


class Float32Likelihood(af.ex.Analysis):
    """The example likelihood returned as ``numpy.float32`` (about 7 significant digits)."""

    def log_likelihood_function(self, instance):
        return np.float32(super().log_likelihood_function(instance))


class RejectsAfter(af.ex.Analysis):
    """Accepts the first ``accepted`` points, then rejects every point."""

    def __init__(self, data, noise_map, accepted: int) -> None:
        super().__init__(data, noise_map)
        self.remaining = accepted

    def log_likelihood_function(self, instance) -> float:
        self.remaining -= 1
        if self.remaining < 0:
            raise af.exc.FitException("no longer acceptable")
        return super().log_likelihood_function(instance)
