"""Samples of an optimiser: the points it evaluated; the PDF is its best point."""

from __future__ import annotations

import numpy as np

from autofit.samples.samples import Samples

__all__ = ["SamplesOptimizer"]


class SamplesOptimizer(Samples):
    """Points evaluated by an optimiser.

    An optimiser finds a maximum, not a posterior: the PDF is the single sample of highest log
    likelihood, so ``median_pdf`` is the best fit and every error is zero. Chained fits then take
    prior widths from the priors' width modifiers.
    """

    kind = "optimizer"

    def pdf(self) -> tuple[np.ndarray, np.ndarray]:
        if self.total_samples == 0:
            return self.parameters, self.weights
        best = int(np.argmax(self.log_likelihood))
        return self.parameters[best : best + 1], np.ones(1)
