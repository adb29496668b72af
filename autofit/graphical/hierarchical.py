"""Hierarchical factors: parameters of several datasets drawn from one fitted distribution."""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

from autofit.priors.abstract import Prior

__all__ = ["HierarchicalFactor"]


class HierarchicalFactor:
    """A parent distribution, with fitted parameters, from which variables are drawn.

    Each drawn variable (for example the ``centre`` of every dataset's model) adds the term
    ``log p(x_i | parameters)`` to the graph: the datasets inform the distribution's
    parameters, which in turn act as the prior of every drawn variable. Expectation propagation
    treats each drawn variable's term as a factor of its own (``x_i`` and the distribution's
    parameters), so a sweep costs O(number of drawn variables).

    Parameters
    ----------
    distribution
        A prior class whose arguments name the distribution's parameters, for example
        ``af.GaussianPrior`` (``mean``, ``sigma``), ``af.LogGaussianPrior`` or
        ``af.UniformPrior`` (``lower_limit``, ``upper_limit``).
    optimiser
        Unused by the hierarchical terms themselves (their moments are computed by quadrature,
        since their density is cheap); accepted so that scripts written for the same API run.
    name
        Name of the factor in the graph's model and results (``hierarchical_<i>`` when not
        given).
    **kwargs
        The distribution's parameters: a prior (fitted) or a number (fixed). Arguments not
        given keep the class's default (e.g. no limits for a Gaussian).

    Raises
    ------
    TypeError
        If ``distribution`` is not a prior class, a keyword is not one of its arguments, or a
        required argument is missing.

    Examples
    --------
    >>> hierarchical = af.HierarchicalFactor(
    ...     af.GaussianPrior,
    ...     mean=af.GaussianPrior(mean=50.0, sigma=20.0),
    ...     sigma=af.LogUniformPrior(lower_limit=1.0, upper_limit=100.0),
    ... )
    >>> for model in models:
    ...     hierarchical.add_drawn_variable(model.centre)
    """

    def __init__(
        self,
        distribution: type[Prior],
        optimiser: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if not (isinstance(distribution, type) and issubclass(distribution, Prior)):
            raise TypeError(
                f"HierarchicalFactor: distribution must be a prior class such as "
                f"af.GaussianPrior, got {distribution!r}"
            )
        names = tuple(distribution.argument_names)
        unknown = sorted(set(kwargs) - set(names))
        if unknown:
            raise TypeError(
                f"HierarchicalFactor: {distribution.__name__} has no argument(s) "
                f"{', '.join(unknown)}; its arguments are {', '.join(names)}"
            )
        signature = inspect.signature(distribution.__init__)
        arguments: dict[str, Any] = {}
        for argument in names:
            if argument in kwargs:
                arguments[argument] = kwargs[argument]
                continue
            default = signature.parameters[argument].default
            if default is inspect.Parameter.empty:
                raise TypeError(
                    f"HierarchicalFactor: {distribution.__name__} needs {argument}= (a prior "
                    "to fit it, or a number to fix it)"
                )
            arguments[argument] = default
        for argument, value in arguments.items():
            if not isinstance(value, Prior):
                arguments[argument] = float(value)
        self.distribution = distribution
        self.arguments = arguments
        self.optimiser = optimiser
        self.name = name
        self._drawn: list[Prior] = []

    @property
    def parameter_priors(self) -> dict[str, Prior]:
        """The fitted parameters of the distribution, by argument name."""
        return {k: v for k, v in self.arguments.items() if isinstance(v, Prior)}

    @property
    def drawn_variables(self) -> list[Prior]:
        """The variables drawn from the distribution, in the order they were added."""
        return list(self._drawn)

    def add_drawn_variable(self, prior: Prior) -> None:
        """Declare that ``prior``'s parameter is drawn from this distribution.

        Parameters
        ----------
        prior
            A free parameter of a factor's model (for example ``model.centre``).

        Raises
        ------
        TypeError
            If ``prior`` is not a prior (e.g. a fixed number).
        ValueError
            If it was added already or is one of the distribution's own parameters.
        """
        if not isinstance(prior, Prior):
            raise TypeError(
                f"HierarchicalFactor.add_drawn_variable needs a free parameter (a prior), got "
                f"{prior!r}"
            )
        if any(prior is drawn for drawn in self._drawn):
            raise ValueError(f"{prior!r} is already drawn from this HierarchicalFactor")
        if any(prior is parameter for parameter in self.parameter_priors.values()):
            raise ValueError(
                f"{prior!r} is a parameter of this HierarchicalFactor's distribution and cannot "
                "also be drawn from it"
            )
        self._drawn.append(prior)

    def log_density(self, values: np.ndarray, **parameters: Any) -> np.ndarray:
        """``log p(values | parameters)`` (vectorised; ``-inf`` outside the support or for
        invalid parameters such as a non-positive width).

        Parameters
        ----------
        values
            Drawn values (any shape).
        **parameters
            Values of the fitted parameters by name (arrays broadcasting with ``values``);
            fixed parameters are filled in.
        """
        arguments = []
        for argument, value in self.arguments.items():
            arguments.append(np.asarray(parameters.get(argument, value), float))
        values = np.asarray(values, float)
        with np.errstate(all="ignore"):
            density = self.distribution.batch_log_prior(values, *arguments)
        valid = np.ones(np.broadcast(values, *arguments).shape, bool)
        for argument, value in zip(self.arguments, arguments, strict=True):
            if argument == "sigma":
                valid &= value > 0.0
        if "lower_limit" in self.arguments and "upper_limit" in self.arguments:
            names = list(self.arguments)
            lower = arguments[names.index("lower_limit")]
            upper = arguments[names.index("upper_limit")]
            valid &= lower < upper
        density = np.where(valid, density, -math.inf)
        return np.where(np.isnan(density), -math.inf, density)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.arguments.items())
        return f"HierarchicalFactor({self.distribution.__name__}, {shown})"
