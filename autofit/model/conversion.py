"""Models from instances: an instance (for example a previous fit's ``result.instance``) turned
back into a model, with chosen component classes free again.

A component whose class is one of ``model_classes`` becomes ``af.Model(cls)`` with its
configured default priors (a placeholder, with a warning, where none is configured); its nested
components and its non-numeric settings (strings, booleans) are taken from the instance. Every
other component becomes a model fixed at the instance's values. Collections and
``ModelInstance`` become ``af.Collection``.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Iterable
from typing import Any

import numpy as np

from autofit.model.abstract import AbstractModel
from autofit.model.collection import Collection
from autofit.model.instance import ModelInstance
from autofit.model.model import Model
from autofit.model.signature import constructor_signature
from autofit.priors.abstract import Prior

__all__ = ["model_from_instance"]

_MISSING = object()


def _classes(value: type | Iterable[type]) -> tuple[type, ...]:
    return (value,) if isinstance(value, type) else tuple(value)


def model_from_instance(
    instance: Any,
    model_classes: type | Iterable[type] = (),
    exclude_classes: type | Iterable[type] = (),
) -> Any:
    """A model of ``instance``.

    Parameters
    ----------
    instance
        A ``ModelInstance``, an instance of a model component class, or a list or dict of them.
    model_classes
        The classes (or one class) whose instances become free models with their configured
        priors; an empty tuple leaves everything fixed.
    exclude_classes
        The classes whose instances are kept as they are, as fixed objects.

    Returns
    -------
    AbstractModel or object
        A Collection, a Model, or (for a value that is not a component) the value itself.
    """
    return _Converter(_classes(model_classes), _classes(exclude_classes)).convert(instance)


class _Converter:
    def __init__(self, model_classes: tuple[type, ...], exclude_classes: tuple[type, ...]):
        self.model_classes = model_classes
        self.exclude_classes = exclude_classes

    def convert(self, value: Any) -> Any:
        if self.exclude_classes and isinstance(value, self.exclude_classes):
            return value
        if isinstance(value, (Prior, AbstractModel, type, np.ndarray, types.FunctionType)):
            return value
        if isinstance(value, ModelInstance):
            return Collection({key: self.convert(item) for key, item in value.items()})
        if isinstance(value, (list, dict)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            converted = {key: self.convert(item) for key, item in items}
            if not any(isinstance(item, AbstractModel) for item in converted.values()):
                return value
            if isinstance(value, list):
                return Collection(list(converted.values()))
            return Collection({str(key): item for key, item in converted.items()})
        if not hasattr(value, "__dict__") or inspect.ismodule(value):
            return value
        return self.component(value)

    def component(self, value: Any) -> Any:
        cls = type(value)
        signature = constructor_signature(cls)
        free = isinstance(value, self.model_classes)
        arguments: dict[str, Any] = {}
        for argument in signature.arguments:
            attribute = getattr(value, argument.name, _MISSING)
            if attribute is _MISSING:
                if free:
                    continue
                # The constructor argument cannot be read back: keep the object as it is.
                return value
            converted = self.convert(attribute)
            if free and argument.kind != "fixed" and not isinstance(converted, AbstractModel):
                continue  # a parameter: its configured prior
            arguments[argument.name] = converted
        if signature.accepts_kwargs:
            for name, attribute in vars(value).items():
                if name.startswith("_") or name in signature.names:
                    continue
                converted = self.convert(attribute)
                if free and not isinstance(converted, AbstractModel):
                    continue
                arguments[name] = converted
        return Model(cls, **arguments)
