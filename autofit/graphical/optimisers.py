"""How a factor's tilted distribution is approximated: Laplace, or any non-linear search."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autofit.exc import FitException
from autofit.graphical.messages import (
    LogNormalMessage,
    NormalMessage,
    TruncatedNormalMessage,
    natural_for_truncated_moments,
    natural_from_moments,
)
from autofit.graphical.tilted import TiltedFailure, TiltedProblem, laplace_moments

__all__ = ["LaplaceOptimiser", "TiltedMoments", "project", "tilted_moments"]


@dataclass
class TiltedMoments:
    """Natural parameters ``(n, 2)`` of the tilted distribution's projection onto each
    variable's family, the point to start from next time (``u``) and the calls made."""

    natural: np.ndarray
    mode: np.ndarray
    calls: int


class LaplaceOptimiser:
    """Approximates each factor's tilted distribution by its mode and curvature (Laplace).

    For a dataset's likelihood times its cavity this costs one bounded quasi-Newton
    optimisation started from the factor's previous mode (typically tens to a few hundred
    likelihood calls for a few parameters) plus a finite-difference Hessian.

    Parameters
    ----------
    max_iter
        Iterations of the optimisation per factor update.

    Raises
    ------
    ValueError
        If ``max_iter`` < 1.
    """

    def __init__(self, max_iter: int = 50) -> None:
        if max_iter < 1:
            raise ValueError(f"LaplaceOptimiser: max_iter must be >= 1, got {max_iter!r}")
        self.max_iter = int(max_iter)

    def __repr__(self) -> str:
        return f"LaplaceOptimiser(max_iter={self.max_iter})"


def project(
    problem: TiltedProblem, mean: np.ndarray, variance: np.ndarray, truncated_moments: bool
) -> np.ndarray:
    """Natural parameters of each variable's family matching the tilted moments.

    ``truncated_moments`` says whether ``mean``/``variance`` are moments of the (truncated)
    distribution, which for variables near a limit are matched by a truncated normal, or the
    parameters of its underlying normal (a Laplace approximation).
    """
    natural = np.empty((problem.size, 2))
    for index in range(problem.size):
        low, high = problem.lower[index], problem.upper[index]
        if truncated_moments and (math.isfinite(low) or math.isfinite(high)):
            natural[index] = natural_for_truncated_moments(
                float(mean[index]), float(variance[index]), low, high
            )
        else:
            natural[index] = natural_from_moments(mean[index], variance[index])
    return natural


def _cavity_prior(problem: TiltedProblem, index: int) -> Any:
    natural = problem.cavity[index]
    low, high = problem.lower[index], problem.upper[index]
    if problem.log_coordinate[index]:
        message = LogNormalMessage(natural, low, high)
    elif math.isfinite(low) or math.isfinite(high):
        message = TruncatedNormalMessage(natural, low, high)
    else:
        message = NormalMessage(natural)
    if not message.is_proper:
        raise TiltedFailure(
            "the cavity of a parameter is improper (no proper prior), so a search cannot sample "
            "it; give the parameter a proper prior"
        )
    return message.to_prior()


def _search_moments(
    search: Any, model: Any, analysis: Any, problem: TiltedProblem
) -> TiltedMoments:
    """Fit the factor's likelihood with its cavity as the prior; moments of the samples."""
    priors = model.priors
    arguments = {prior: _cavity_prior(problem, index) for index, prior in enumerate(priors)}
    cavity_model = model.mapper_from_prior_arguments(arguments)
    run = copy.copy(search)
    run.name, run.path_prefix, run._paths = "", "", None
    result = run.fit(model=cavity_model, analysis=analysis)
    parameters, weights = result.samples.pdf()
    parameters = np.asarray(parameters, float)
    weights = np.asarray(weights, float)
    if len(parameters) < 2 or weights.sum() <= 0.0:
        raise TiltedFailure(
            f"{type(search).__name__} returned a single point: an optimiser gives no variance; "
            "use a sampler (MCMC, nested sampling) or af.LaplaceOptimiser for this factor"
        )
    weights = weights / weights.sum()
    with np.errstate(divide="ignore"):
        u = np.where(problem.log_coordinate, np.log(parameters), parameters)
    mean = weights @ u
    variance = weights @ (u - mean) ** 2
    if not np.all(variance > 0.0):
        raise TiltedFailure(f"{type(search).__name__}'s samples have zero spread in a parameter")
    natural = project(problem, mean, variance, truncated_moments=True)
    calls = int(result.samples.samples_info.get("total_evaluations", len(parameters)) or 0)
    return TiltedMoments(natural=natural, mode=mean, calls=calls)


def tilted_moments(
    optimiser: Any,
    model: Any,
    analysis: Any,
    problem: TiltedProblem,
    start: np.ndarray | None,
    retry: bool = False,
) -> TiltedMoments:
    """The projection of an analysis factor's tilted distribution onto its variables' families.

    Parameters
    ----------
    optimiser
        A :class:`LaplaceOptimiser`, or a non-linear search (anything with ``fit``), which is
        run with the cavity as the factor model's priors and writes nothing.
    model, analysis
        The factor's model and analysis.
    problem
        Cavity and limits of the model's priors, in the model's prior order.
    start
        The previous mode (``u``), if any.
    retry
        Whether this is the retry of a failed update (the Laplace optimiser then explores
        more of the cavity for a starting point).
    """
    if not isinstance(optimiser, LaplaceOptimiser):
        return _search_moments(optimiser, model, analysis, problem)

    def log_factor(values: np.ndarray) -> float:
        try:
            instance = model.instance_from_vector(values, ignore_prior_limits=True)
        except FitException:  # an assertion of the model rejects the point
            return -math.inf
        return analysis.log_likelihood_function(instance)

    # A first update explores 16 cavity draws; a retry (also without a start) explores more.
    explore = 16 if retry is False else 128
    outcome = laplace_moments(log_factor, problem, start, optimiser.max_iter, explore)
    natural = project(problem, outcome.mode, outcome.variance, truncated_moments=False)
    return TiltedMoments(natural=natural, mode=outcome.mode, calls=outcome.calls)
