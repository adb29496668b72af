"""What a value assigned to a model becomes: a prior, a node, a derived value or a fixed value."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from autofit.model.abstract import AbstractModel
from autofit.priors.abstract import Prior
from autofit.priors.arithmetic import DerivedParameter
from autofit.priors.constant import Constant

__all__ = ["normalise", "is_free_value", "contains_model_parts"]


def is_free_value(value: Any) -> bool:
    """Whether ``value`` is (or contains) a free parameter: a prior or a derived parameter."""
    return isinstance(value, (Prior, DerivedParameter))


def contains_model_parts(value: Any) -> bool:
    """Whether a list, tuple or dict holds classes, models, priors or derived parameters."""
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        return False
    return any(
        isinstance(item, (type, AbstractModel, Prior, DerivedParameter))
        or contains_model_parts(item)
        for item in items
    )


def normalise(value: Any, tuple_name: str | None) -> Any:
    """Turn a value assigned to a model attribute into what the model stores.

    - priors, derived parameters and model nodes are kept;
    - ``af.Constant(x)`` becomes the fixed value ``x``;
    - a class becomes ``af.Model(cls)``;
    - a list or dict holding classes, models or priors becomes an ``af.Collection``;
    - a tuple assigned to a tuple argument (``tuple_name``) becomes a ``TuplePrior``;
    - anything else (numbers, arrays, strings, instances) is a fixed value.
    """
    from autofit.model.collection import Collection
    from autofit.model.model import Model
    from autofit.model.tuple_prior import TuplePrior

    if isinstance(value, (Prior, DerivedParameter, AbstractModel)):
        return value
    if isinstance(value, Constant):
        return value.value
    if isinstance(value, type):
        return Model(value)
    if tuple_name is not None and isinstance(value, (tuple, list)):
        if all(_is_element(element) for element in value):
            return TuplePrior(tuple_name, value)
    if isinstance(value, (list, dict)) and contains_model_parts(value):
        return Collection(value)
    if isinstance(value, tuple) and contains_model_parts(value):
        return TuplePrior(tuple_name or "element", value)
    return value


def _is_element(value: Any) -> bool:
    return isinstance(value, (Prior, DerivedParameter, Constant, np.number)) or isinstance(
        value, numbers.Real
    )
