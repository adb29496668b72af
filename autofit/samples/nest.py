"""Samples of nested sampling: importance-weighted dead points and the Bayesian evidence."""

from __future__ import annotations

from autofit.samples.posterior import SamplesPDF

__all__ = ["SamplesNest"]


class SamplesNest(SamplesPDF):
    """Weighted samples of a nested sampler, with the log evidence and its error.

    ``samples_info`` holds ``log_evidence``, ``log_evidence_error``, ``number_live_points``,
    ``total_accepted_samples`` and ``total_likelihood_calls``.
    """

    kind = "nest"

    @property
    def log_evidence_error(self) -> float | None:
        """The statistical error of ``log_evidence``."""
        return self.samples_info.get("log_evidence_error")

    @property
    def number_live_points(self) -> int | None:
        """The number of live points of the run."""
        return self.samples_info.get("number_live_points")

    @property
    def total_accepted_samples(self) -> int:
        """The number of dead (accepted) points stored."""
        return int(self.samples_info.get("total_accepted_samples", self.total_samples))

    @property
    def acceptance_ratio(self) -> float | None:
        """Accepted samples per likelihood call."""
        calls = self.samples_info.get("total_likelihood_calls")
        return self.total_accepted_samples / calls if calls else None
