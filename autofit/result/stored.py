"""StoredResult: the result of a fit run in another process, light to send back.

It holds the fit's :class:`~autofit.SamplesSummary` (the maximum-likelihood and median-PDF
vectors, errors and evidence) and its paths; the samples are read from the fit's output
folder or database row the first time they are used.
"""

from __future__ import annotations

from typing import Any

from autofit.result.result import Result

__all__ = ["StoredResult"]


class StoredResult(Result):
    """A :class:`~autofit.Result` whose samples are read from its fit's output when first used.

    Parameters
    ----------
    samples_summary
        The fit's summary (its model set).
    paths
        The fit's paths (``DirectoryPaths`` or ``DatabasePaths`` with their identifier).
    model
        The model fitted (to read the samples with).
    """

    def __init__(self, samples_summary: Any, paths: Any, model: Any) -> None:
        self._stored_samples: Any = None
        self._fitted_model = model
        super().__init__(samples_summary=samples_summary, paths=paths)

    @property
    def samples(self) -> Any:
        """The fit's samples, read from its folder or database row (once)."""
        if self._stored_samples is None:
            self._stored_samples = self.paths.read_samples(self._fitted_model)
        return self._stored_samples

    @samples.setter
    def samples(self, samples: Any) -> None:
        self._stored_samples = samples

    @property
    def instance(self) -> Any:
        """The maximum-likelihood instance (from the summary: no samples are read)."""
        return self.samples_summary.max_log_likelihood()

    max_log_likelihood_instance = instance

    @property
    def log_likelihood(self) -> float:
        """The highest log likelihood found (from the summary)."""
        return float(self.samples_summary.max_log_likelihood_value)

    @property
    def log_evidence(self) -> float | None:
        """The log evidence, for searches that compute one (from the summary)."""
        return self.samples_summary.log_evidence

    @property
    def samples_loaded(self) -> bool:
        """Whether the samples have been read yet."""
        return self._stored_samples is not None
