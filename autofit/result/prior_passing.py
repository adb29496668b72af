"""Prior passing: a model whose priors are centred on a previous fit's posterior.

Each free prior becomes a ``GaussianPrior`` with mean = the median PDF value and
sigma = max(the error at ``sigma``, the prior's width modifier at that mean), truncated to the
prior's physical ``limits`` (from the configuration). A chained search then starts where the last
one ended, without being over-confident when the previous errors were tiny.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from autofit.priors.gaussian import GaussianPrior
from autofit.priors.width_modifier import RelativeWidthModifier

__all__ = ["model_with_priors", "model_centred_on_posterior"]

DEFAULT_WIDTH_MODIFIER = RelativeWidthModifier(0.5)


def model_with_priors(model: Any, replacements: dict[int, Any]) -> Any:
    """A deep copy of ``model`` where each prior ``p`` with ``id(p)`` in ``replacements`` is
    replaced everywhere (links, derived parameters and assertions included)."""
    memo = {key: value for key, value in replacements.items()}
    return copy.deepcopy(model, memo)


def _gaussian(prior: Any, mean: float, sigma: float) -> GaussianPrior:
    lower, upper = getattr(prior, "limits", (-math.inf, math.inf))
    if math.isfinite(lower) or math.isfinite(upper):
        mean = min(max(mean, lower), upper)
    if not sigma > 0.0 or not math.isfinite(sigma):
        sigma = max(abs(mean), 1.0) * 1e-3
    return GaussianPrior(
        mean=mean,
        sigma=sigma,
        lower_limit=lower,
        upper_limit=upper,
        width_modifier=prior.width_modifier,
        limits=(lower, upper),
    )


def model_centred_on_posterior(
    model: Any,
    medians: list[float],
    errors: list[float] | None = None,
    absolute: float | None = None,
    relative: float | None = None,
) -> Any:
    """The model with Gaussian priors centred on ``medians``.

    Parameters
    ----------
    model
        The fitted model.
    medians
        The median PDF vector.
    errors
        Errors per parameter; the prior sigma is ``max(error, width_modifier(median))``.
    absolute
        Use this sigma for every parameter instead (``model_centred_absolute``).
    relative
        Use ``relative * |median|`` for every parameter instead (``model_centred_relative``).
    """
    replacements = {}
    for index, (prior, median) in enumerate(zip(model.priors, medians, strict=True)):
        if absolute is not None:
            sigma = absolute
        elif relative is not None:
            sigma = relative * abs(median)
        else:
            modifier = prior.width_modifier or DEFAULT_WIDTH_MODIFIER
            sigma = max(errors[index] if errors is not None else 0.0, modifier(median))
        replacements[id(prior)] = _gaussian(prior, float(median), float(sigma))
    return model_with_priors(model, replacements)
