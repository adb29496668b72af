"""The mean-field approximation of a graph: one message (distribution) per prior."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from autofit.graphical.messages import AbstractMessage

__all__ = ["PriorMap", "MeanField", "EPMeanField"]


class PriorMap(Mapping):
    """A read-only mapping whose keys are priors (looked up by identity)."""

    def __init__(self, priors: list[Any], values: list[Any]) -> None:
        self._priors = list(priors)
        self._values = {id(prior): value for prior, value in zip(priors, values, strict=True)}

    def __getitem__(self, prior: Any) -> Any:
        try:
            return self._values[id(prior)]
        except KeyError:
            raise KeyError(f"{prior!r} is not a prior of this graph") from None

    def __iter__(self) -> Iterator[Any]:
        return iter(self._priors)

    def __len__(self) -> int:
        return len(self._priors)


class _DerivedMap(PriorMap):
    """A prior map whose values are computed from each prior's message when looked up."""

    def __init__(self, field: MeanField, attribute: str) -> None:
        self._field = field
        self._attribute = attribute
        self._priors = field._priors

    def __getitem__(self, prior: Any) -> Any:
        return getattr(self._field[prior], self._attribute)


class MeanField(PriorMap):
    """The approximate posterior of every prior of a graph, as independent messages.

    ``mean_field[prior]`` is the prior's message (a :class:`NormalMessage`,
    :class:`TruncatedNormalMessage` or :class:`LogNormalMessage`); ``mean``, ``variance`` and
    ``scale`` map every prior to the mean, variance and standard deviation of its parameter.
    """

    def __init__(self, priors: list[Any], messages: list[AbstractMessage]) -> None:
        super().__init__(priors, messages)
        self._messages = list(messages)

    @property
    def mean(self) -> PriorMap:
        """The posterior mean of each prior's parameter."""
        return _DerivedMap(self, "mean")

    @property
    def variance(self) -> PriorMap:
        """The posterior variance of each prior's parameter."""
        return _DerivedMap(self, "variance")

    @property
    def scale(self) -> PriorMap:
        """The posterior standard deviation of each prior's parameter."""
        return _DerivedMap(self, "scale")


class EPMeanField:
    """The state expectation propagation ends in: the mean field and the factors' summaries.

    Attributes
    ----------
    mean_field
        The :class:`MeanField` (product of every factor's messages and the priors).
    factor_summaries
        A :class:`~autofit.graphical.history.FactorSummary` per factor.
    """

    def __init__(self, mean_field: MeanField, factor_summaries: list[Any]) -> None:
        self.mean_field = mean_field
        self.factor_summaries = factor_summaries
