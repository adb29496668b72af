"""Initializers: where a search starts (MCMC walkers, optimiser start points).

Every initial point must have a finite log posterior: points that are rejected are redrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autofit.exc import SearchException

__all__ = [
    "AbstractInitializer",
    "InitializerPrior",
    "InitializerBall",
    "InitializerParamBounds",
    "InitializerParamStartPoints",
]


class AbstractInitializer:
    """Draws unit vectors for initial points (subclasses say how)."""

    max_attempts_per_point = 1000

    def draw_unit_vector(self, model: Any, rng: np.random.Generator, index: int) -> np.ndarray:
        """A unit vector for the ``index``-th initial point."""
        raise NotImplementedError

    def samples_from_model(
        self,
        total_points: int,
        model: Any,
        fitness: Any,
        rng: np.random.Generator,
        evaluate_batch: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> tuple[list[list[float]], list[list[float]], list[float]]:
        """``total_points`` initial points with finite fitness.

        The points still missing are drawn together and evaluated as one batch
        (``evaluate_batch``, by default ``fitness.call_batch``); rejected ones are drawn again
        in the next batch.

        Parameters
        ----------
        total_points
            Number of points.
        model
            The model (unit vectors -> physical vectors).
        fitness
            The fitness; without ``call_batch`` it is called on each point.
        rng
            The generator every draw comes from.
        evaluate_batch
            The fitness of every row of a 2D array of vectors (the search's pooled batch
            evaluation).

        Returns
        -------
        (unit vectors, physical vectors, fitness values)

        Raises
        ------
        SearchException
            If a point with a finite log posterior is not found within the attempt budget.
        """
        if evaluate_batch is None:
            evaluate_batch = getattr(fitness, "call_batch", None) or (
                lambda rows: np.array([fitness(row) for row in rows], dtype=float)
            )
        units, vectors, values = [], [], []
        attempts = 0
        budget = self.max_attempts_per_point * total_points
        while len(vectors) < total_points:
            if attempts >= budget:
                raise SearchException(
                    f"{type(self).__name__} found only {len(vectors)} of {total_points} initial "
                    f"points with a finite log likelihood in {attempts} attempts: every other "
                    "point was rejected (FitException, NaN/inf likelihood, assertion or prior "
                    "limits). Check the likelihood and the priors, or use another initializer."
                )
            start = len(vectors)
            size = min(total_points - start, budget - attempts)
            drawn = [
                np.clip(self.draw_unit_vector(model, rng, index), 0.0, 1.0)
                for index in range(start, start + size)
            ]
            physical = [model.vector_from_unit_vector(unit.tolist()) for unit in drawn]
            batch = np.array(physical, dtype=float).reshape(size, model.prior_count)
            attempts += size
            for unit, vector, value in zip(drawn, physical, evaluate_batch(batch), strict=True):
                if np.isfinite(value) and value > -1e98:
                    units.append(unit.tolist())
                    vectors.append(vector)
                    values.append(float(value))
        return units, vectors, values

    def dict(self, model: Any = None) -> dict[str, Any]:
        """The settings, for identifiers and ``search.json``."""
        return {"type": type(self).__name__}


class InitializerPrior(AbstractInitializer):
    """Initial points drawn from the priors."""

    def draw_unit_vector(self, model: Any, rng: np.random.Generator, index: int) -> np.ndarray:
        return rng.random(model.prior_count)


class InitializerBall(AbstractInitializer):
    """Initial points drawn uniformly from a small ball of the unit cube.

    Parameters
    ----------
    lower_limit, upper_limit
        Unit-cube bounds of the ball (e.g. 0.49 and 0.51 around the prior medians).
    """

    def __init__(self, lower_limit: float = 0.49, upper_limit: float = 0.51) -> None:
        if not 0.0 <= lower_limit < upper_limit <= 1.0:
            raise SearchException(
                "InitializerBall: need 0 <= lower_limit < upper_limit <= 1, got "
                f"lower_limit={lower_limit}, upper_limit={upper_limit}"
            )
        self.lower_limit = lower_limit
        self.upper_limit = upper_limit

    def draw_unit_vector(self, model: Any, rng: np.random.Generator, index: int) -> np.ndarray:
        return rng.uniform(self.lower_limit, self.upper_limit, model.prior_count)

    def dict(self, model: Any = None) -> dict[str, Any]:
        return {"type": "InitializerBall", "lower": self.lower_limit, "upper": self.upper_limit}


def _indices(model: Any, parameter_dict: dict[Any, Any], owner: str) -> dict[int, Any]:
    indices = {}
    for prior, value in parameter_dict.items():
        index = model.index_for_prior(prior)
        if index is None:
            raise SearchException(
                f"{owner}: the prior {prior!r} is not a free parameter of the model"
            )
        indices[index] = (prior, value)
    return indices


class InitializerParamBounds(AbstractInitializer):
    """Initial values of chosen parameters drawn uniformly between physical bounds.

    Parameters
    ----------
    parameter_dict
        ``{prior: (lower, upper)}`` physical bounds; other parameters are drawn from the unit
        interval ``[lower_limit, upper_limit]``.
    """

    def __init__(
        self,
        parameter_dict: dict[Any, tuple[float, float]],
        lower_limit: float = 0.0,
        upper_limit: float = 1.0,
    ) -> None:
        self.parameter_dict = dict(parameter_dict)
        self.lower_limit = lower_limit
        self.upper_limit = upper_limit

    def draw_unit_vector(self, model: Any, rng: np.random.Generator, index: int) -> np.ndarray:
        unit = rng.uniform(self.lower_limit, self.upper_limit, model.prior_count)
        for position, (prior, (low, high)) in _indices(
            model, self.parameter_dict, "InitializerParamBounds"
        ).items():
            unit[position] = prior.unit_value_for(rng.uniform(low, high))
        return unit

    def _start_text(self, bounds: tuple[float, float]) -> str:
        return f"Start[({float(bounds[0])}, {float(bounds[1])})]"

    def info_from_model(self, model: Any) -> str:
        """Text describing where each parameter of ``model`` starts.

        A parameter in ``parameter_dict`` shows its start bounds (``Start[(lower, upper)]``);
        any other shows the physical range its unit bounds ``[lower_limit, upper_limit]`` give
        through its prior, with the prior.

        Raises
        ------
        SearchException
            If a prior of ``parameter_dict`` is not a free parameter of ``model``.
        """
        owner = type(self).__name__
        chosen = _indices(model, self.parameter_dict, owner)
        lines = [
            f"Total Free Parameters = {model.prior_count}",
            f"Total Starting Points = {len(chosen)}",
            "",
        ]
        for position, (path, prior) in enumerate(zip(model.paths, model.priors, strict=True)):
            key = ".".join(path)
            if position in chosen:
                lines.append(f"{key}: {self._start_text(chosen[position][1])}")
            else:
                low, high = (float(prior.value_for(limit)) for limit in self._default_unit_limits())
                lines.append(f"{key}: Prior[({low:.6g}, {high:.6g})] {prior!r}")
        return "\n".join(lines) + "\n"

    def _default_unit_limits(self) -> tuple[float, float]:
        return (self.lower_limit, self.upper_limit)

    def dict(self, model: Any = None) -> dict[str, Any]:
        bounds = {
            ".".join(model.path_for_prior(prior)) if model is not None else repr(prior): list(b)
            for prior, b in self.parameter_dict.items()
        }
        return {"type": "InitializerParamBounds", "bounds": bounds}


class InitializerParamStartPoints(AbstractInitializer):
    """Start chosen parameters at given values (the first point exactly; further points, such
    as other MCMC walkers, within 1e-4 of it in the unit cube so the ensemble can move).

    Parameters
    ----------
    parameter_dict
        ``{prior: value}`` physical start values; other parameters are drawn from their priors.
    """

    jitter = 1e-4

    def __init__(self, parameter_dict: dict[Any, float]) -> None:
        self.parameter_dict = dict(parameter_dict)

    def draw_unit_vector(self, model: Any, rng: np.random.Generator, index: int) -> np.ndarray:
        unit = rng.random(model.prior_count)
        for position, (prior, value) in _indices(
            model, self.parameter_dict, "InitializerParamStartPoints"
        ).items():
            start = float(prior.unit_value_for(value))
            unit[position] = start if index == 0 else start + rng.uniform(-1, 1) * self.jitter
        return unit

    def _start_text(self, value: float) -> str:
        return f"Start[{float(value)}]"

    def _default_unit_limits(self) -> tuple[float, float]:
        return (0.0, 1.0)

    info_from_model = InitializerParamBounds.info_from_model

    def dict(self, model: Any = None) -> dict[str, Any]:
        starts = {
            ".".join(model.path_for_prior(prior)) if model is not None else repr(prior): value
            for prior, value in self.parameter_dict.items()
        }
        return {"type": "InitializerParamStartPoints", "start_points": starts}
