"""Moments of a factor's tilted distribution: the factor times its cavity.

The tilted distribution of factor ``f`` over its variables is
``t(u) ∝ f(x(u)) * prod_v cavity_v(u_v)`` in the variables' working coordinates ``u`` (see
:mod:`autofit.graphical.messages`). Expectation propagation replaces ``f``'s messages so that
the approximation matches the tilted distribution's means and variances. Two ways to get them:

- :func:`laplace_moments`: the mode and the curvature there (a Laplace approximation), for
  factors whose log density is expensive (a dataset's likelihood);
- :func:`quadrature_moments`: adaptive Gauss-Hermite quadrature, for cheap, vectorised,
  low-dimensional factors (the terms of a hierarchical factor).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from autofit.exc import FitException

__all__ = [
    "TiltedProblem",
    "TiltedFailure",
    "laplace_moments",
    "quadrature_moments",
]

INF = math.inf
#: Penalty (in log density) given to points where the factor is not finite.
_REJECTED = -1e30


class TiltedFailure(FitException):
    """A factor's tilted distribution could not be approximated (no mode, a Hessian that is
    not positive definite, no finite density)."""


@dataclass
class TiltedProblem:
    """A factor's tilted distribution in the working coordinates of its variables.

    Parameters
    ----------
    cavity
        Natural parameters ``(n, 2)`` of the cavity of each variable (in ``u``).
    lower, upper
        Limits ``(n,)`` of each working coordinate.
    log_coordinate
        ``(n,)`` booleans: whether ``u = log x`` (else ``u = x``).
    fallback_centre, fallback_scale
        Where to look, and on what scale, for a variable whose cavity is improper (from its
        prior).
    """

    cavity: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    log_coordinate: np.ndarray
    fallback_centre: np.ndarray | None = None
    fallback_scale: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of variables."""
        return len(self.lower)

    def values(self, u: np.ndarray) -> np.ndarray:
        """Physical values ``x`` of working coordinates ``u`` (any leading shape)."""
        with np.errstate(over="ignore"):
            return np.where(self.log_coordinate, np.exp(u), u)

    def log_cavity(self, u: np.ndarray) -> np.ndarray:
        """Unnormalised log density of the cavity at ``u`` (``(..., n)`` -> ``(...)``)."""
        return np.sum(self.cavity[:, 0] * u + self.cavity[:, 1] * u * u, axis=-1)

    def inside(self, u: np.ndarray) -> np.ndarray:
        """Whether each point lies within every limit."""
        return np.all((u >= self.lower) & (u <= self.upper), axis=-1)

    def reference(self, start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A centre and scale per variable to start from: the cavity's mean and width where it
        is proper, the middle and a quarter of the range of a bounded flat cavity, else the
        fallback (the prior's), else ``start`` (or 0) and 1."""
        precision = -2.0 * self.cavity[:, 1]
        centre = np.zeros(self.size)
        scale = np.ones(self.size)
        for index in range(self.size):
            low, high = self.lower[index], self.upper[index]
            if precision[index] > 0.0:
                centre[index] = self.cavity[index, 0] / precision[index]
                scale[index] = 1.0 / math.sqrt(precision[index])
            elif math.isfinite(low) and math.isfinite(high):
                centre[index], scale[index] = 0.5 * (low + high), 0.25 * (high - low)
            elif self.fallback_centre is not None:
                centre[index] = self.fallback_centre[index]
                scale[index] = self.fallback_scale[index]
            elif start is not None:
                centre[index] = start[index]
            if math.isfinite(low) and math.isfinite(high):
                scale[index] = min(scale[index], 0.5 * (high - low))
            # Keep the centre strictly inside the limits.
            margin = 1e-6 * scale[index]
            centre[index] = min(max(centre[index], low + margin), high - margin)
        return centre, scale


def _inverse_cdf_start(problem: TiltedProblem, start: np.ndarray | None) -> np.ndarray:
    centre, _ = problem.reference(start)
    if start is None or not np.all(np.isfinite(start)):
        return centre
    inside = (start > problem.lower) & (start < problem.upper)
    return np.where(inside, start, centre)


def _hessian(function: Callable[[np.ndarray], float], z: np.ndarray, step: float) -> np.ndarray:
    """Central finite-difference Hessian of ``function`` at ``z`` (same step in every
    coordinate, which are standardised)."""
    return _derivatives(function, z, step)[2]


def _derivatives(
    function: Callable[[np.ndarray], float], z: np.ndarray, step: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """Value, central finite-difference gradient and Hessian at ``z``."""
    n = len(z)
    h = step
    centre = function(z)
    unit = np.eye(n) * h
    plus = np.array([function(z + unit[i]) for i in range(n)])
    minus = np.array([function(z - unit[i]) for i in range(n)])
    gradient = (plus - minus) / (2.0 * h)
    hessian = np.diag((plus - 2.0 * centre + minus) / (h * h))
    for i, j in itertools.combinations(range(n), 2):
        value = (
            function(z + unit[i] + unit[j])
            - function(z + unit[i] - unit[j])
            - function(z - unit[i] + unit[j])
            + function(z - unit[i] - unit[j])
        ) / (4.0 * h * h)
        hessian[i, j] = hessian[j, i] = value
    return centre, gradient, hessian


def _newton(
    function: Callable[[np.ndarray], float],
    z: np.ndarray,
    best: float,
    lower: np.ndarray,
    upper: np.ndarray,
    max_iter: int,
) -> tuple[np.ndarray, float, float]:
    """Maximise ``function`` from ``z`` by Levenberg-damped Newton steps within the limits; the
    maximum, its value and the finite-difference step suited to the curvature found."""
    step = 1e-3
    damping = 0.0
    for _ in range(max_iter):
        _, gradient, hessian = _derivatives(function, z, step)
        if not (np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))):
            raise TiltedFailure("the factor's log density is not finite near the mode")
        curvature = np.abs(np.diag(hessian))
        if np.all(curvature > 0.0):
            width = 1.0 / np.sqrt(curvature.max())
            step = float(np.clip(0.01 * width, 1e-7, 1e-2))
        negative = -hessian
        improved = False
        for _ in range(30):
            try:
                move = np.linalg.solve(negative + damping * np.diag(curvature + 1e-12), gradient)
            except np.linalg.LinAlgError:
                move = None
            if move is not None and np.all(np.isfinite(move)):
                shifted = negative + damping * np.diag(curvature + 1e-12)
                descent = np.all(np.linalg.eigvalsh(0.5 * (shifted + shifted.T)) > 0.0)
                candidate = np.clip(z + move, lower, upper)
                value = function(candidate) if descent else -INF
                if value > best - 1e-12 * abs(best):
                    gain = value - best
                    z, best = candidate, max(value, best)
                    damping = damping / 4.0 if damping > 1e-6 else 0.0
                    improved = gain > 1e-10 and np.max(np.abs(move)) > 1e-9
                    break
            damping = max(4.0 * damping, 1e-3)
        else:
            break
        if not improved:
            break
    return z, best, step


@dataclass
class LaplaceOutcome:
    """Mode (in ``u``), marginal variances of the Laplace approximation and calls made."""

    mode: np.ndarray
    variance: np.ndarray
    calls: int


def laplace_moments(
    log_factor: Callable[[np.ndarray], float],
    problem: TiltedProblem,
    start: np.ndarray | None = None,
    max_iter: int = 200,
    explore: int = 16,
) -> LaplaceOutcome:
    """The Laplace approximation of a tilted distribution: its mode and the inverse of minus
    the Hessian of its log density there.

    The optimisation runs in coordinates standardised by the cavity: Newton steps (damped in
    the Levenberg-Marquardt way where the curvature is not yet negative definite) within the
    limits, with central finite differences whose step follows the width found, so that both
    wide cavities and sharp likelihoods are measured accurately.

    Parameters
    ----------
    log_factor
        ``log f(x)`` of the factor at the physical values ``x`` (``(n,)``).
    problem
        The cavity and limits.
    start
        Where to start (the previous mode, in ``u``), if known.
    max_iter
        Largest number of Newton iterations.
    explore
        Without ``start``, the number of points drawn from the cavity (a fixed, seeded set) of
        which the best is where Newton starts.

    Raises
    ------
    TiltedFailure
        If the density is not finite at any point tried, or the Hessian at the mode is not
        negative definite.
    """
    centre, scale = problem.reference(start)
    calls = 0

    def log_tilted_z(z: np.ndarray) -> float:
        nonlocal calls
        calls += 1
        u = centre + scale * z
        if not problem.inside(u):
            return _REJECTED
        value = float(log_factor(problem.values(u))) + float(problem.log_cavity(u))
        return value if math.isfinite(value) else _REJECTED

    z = (_inverse_cdf_start(problem, start) - centre) / scale
    z_lower = np.where(np.isfinite(problem.lower), (problem.lower - centre) / scale, -INF)
    z_upper = np.where(np.isfinite(problem.upper), (problem.upper - centre) / scale, INF)
    best = log_tilted_z(z)
    if start is None and explore > 0:
        # No previous mode: look at points drawn from the cavity first, so that Newton starts
        # near the tilted distribution's mass rather than wherever the cavity is centred.
        rng = np.random.default_rng(explore)
        draws = np.clip(rng.standard_normal((explore, len(z))), z_lower, z_upper)
        for draw in draws:
            value = log_tilted_z(draw)
            if value > best:
                z, best = draw, value
    if best <= _REJECTED:
        raise TiltedFailure("the factor's log density is not finite at the starting point")
    z, best, step = _newton(log_tilted_z, z, best, z_lower, z_upper, max_iter)
    at_limit = np.isclose(z, z_lower, rtol=0.0, atol=1e-9) | np.isclose(
        z, z_upper, rtol=0.0, atol=1e-9
    )
    if at_limit.any():
        raise TiltedFailure(
            f"the mode lies on the limit of parameter(s) {np.flatnonzero(at_limit).tolist()} "
            "(in the factor's prior order), where a Laplace approximation does not hold"
        )
    hessian = -_hessian(log_tilted_z, z, step)
    if not np.all(np.isfinite(hessian)):
        raise TiltedFailure("the Laplace Hessian at the mode is not finite")
    eigenvalues = np.linalg.eigvalsh(0.5 * (hessian + hessian.T))
    if eigenvalues.min() <= 0.0:
        raise TiltedFailure(
            "the Laplace Hessian at the mode is not positive definite (smallest eigenvalue "
            f"{eigenvalues.min():.3g}): the factor does not constrain all of its parameters"
        )
    covariance = np.linalg.inv(hessian)
    mode = centre + scale * z
    variance = np.diag(covariance) * scale**2
    return LaplaceOutcome(mode=mode, variance=variance, calls=calls)


def _grid(nodes: int, dimensions: int) -> tuple[np.ndarray, np.ndarray]:
    from numpy.polynomial.hermite_e import hermegauss

    points, weights = hermegauss(nodes)
    grid = np.array(list(itertools.product(points, repeat=dimensions)))
    log_weights = np.sum(
        np.log(np.array(list(itertools.product(weights, repeat=dimensions)))), axis=1
    )
    return grid, log_weights + 0.5 * np.sum(grid * grid, axis=1)


def quadrature_moments(
    log_factor_batch: Callable[[np.ndarray], np.ndarray],
    problem: TiltedProblem,
    start: np.ndarray | None = None,
    nodes: int = 10,
    passes: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Means and variances (in ``u``) of a tilted distribution by adaptive Gauss-Hermite
    quadrature.

    The first pass places the nodes on the cavity; each later pass places them on the
    Gaussian with the mean and (slightly widened) covariance found by the previous pass, so
    the nodes follow the tilted distribution, correlations included.

    Parameters
    ----------
    log_factor_batch
        ``log f(x)`` for a batch of physical points ``(m, n)`` -> ``(m,)``.
    problem
        The cavity and limits.
    start
        A point near the tilted distribution's mass (used when the cavity is improper).
    nodes
        Nodes per dimension (fewer in high dimensions, at most ~20,000 points per pass).
    passes
        Number of passes.

    Raises
    ------
    TiltedFailure
        If no node has a finite density.
    """
    n = problem.size
    nodes = max(3, min(nodes, int(20000 ** (1.0 / n))))
    grid, log_weights = _grid(nodes, n)
    centre, scale = problem.reference(start)
    covariance = np.diag(scale**2)
    mean = centre
    for _ in range(passes):
        try:
            factor = np.linalg.cholesky(covariance)
        except np.linalg.LinAlgError:
            factor = np.diag(np.sqrt(np.clip(np.diag(covariance), 1e-300, None)))
        u = mean + grid @ factor.T
        inside = problem.inside(u)
        log_density = np.full(len(u), -INF)
        if inside.any():
            with np.errstate(all="ignore"):
                values = log_factor_batch(problem.values(u[inside]))
            log_density[inside] = np.asarray(values, float) + problem.log_cavity(u[inside])
        log_density = np.where(np.isfinite(log_density), log_density, -INF) + log_weights
        if not np.isfinite(log_density.max()):
            raise TiltedFailure("the factor's density is zero at every quadrature node")
        weights = np.exp(log_density - log_density.max())
        weights /= weights.sum()
        mean = weights @ u
        deviation = u - mean
        covariance = (deviation * weights[:, None]).T @ deviation
        covariance = 0.5 * (covariance + covariance.T) + 1e-300 * np.eye(n)
        final_covariance = covariance
        covariance = covariance * 1.2
    variance = np.diag(final_covariance)
    if not (np.all(np.isfinite(mean)) and np.all(variance > 0.0)):
        raise TiltedFailure("quadrature gave non-finite moments")
    return mean, variance
