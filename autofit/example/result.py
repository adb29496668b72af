"""The result type of the example analysis (``af.ex.Analysis``)."""

from __future__ import annotations

import numpy as np

from autofit.result.result import Result as BaseResult

__all__ = ["Result"]


class Result(BaseResult):
    """:class:`autofit.Result` with the model data of the best fit.

    Raises
    ------
    ValueError
        From :attr:`max_log_likelihood_model_data_1d` when the result holds no analysis.
    """

    @property
    def max_log_likelihood_model_data_1d(self) -> np.ndarray:
        """The model data of the maximum-likelihood instance at the data's x values."""
        if self.analysis is None:
            raise ValueError(
                "max_log_likelihood_model_data_1d needs the analysis: this result was made "
                "without one (make_result(..., analysis=None))"
            )
        return self.analysis.model_data_from(self.instance)
