"""JSON form of models: class paths, priors, fixed values, links, arithmetic and assertions.

Every value is either a JSON scalar or a dict tagged with ``"type"``. Priors carry an ``"id"``
numbered in order of first appearance, so a prior shared between attributes (a link) is one
object again after reading. A parameter still without a prior is written as
``{"type": "missing_prior", "class_path": ..., "parameter": ...}`` and read back as the same
placeholder, so the model's identifier and equality are defined while it is being composed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from autofit.exc import SerialisationException
from autofit.model.abstract import AbstractModel
from autofit.model.array import Array
from autofit.model.collection import Collection
from autofit.model.defaults import defaults_lookup
from autofit.model.instance import ModelInstance
from autofit.model.missing import MissingPrior
from autofit.model.model import Model
from autofit.model.trust import trusted_class
from autofit.model.tuple_prior import TuplePrior
from autofit.priors.abstract import Prior
from autofit.priors.arithmetic import Assertion, DerivedParameter
from autofit.priors.serialise import prior_from_dict

__all__ = ["model_to_dict", "model_from_dict", "Writer", "class_path", "class_from_path"]


def class_path(cls: type) -> str:
    """``module.QualifiedName`` of a class."""
    return f"{cls.__module__}.{cls.__qualname__}"


def class_from_path(path: str, trusted_modules: Iterable[str] = ()) -> type:
    """The class named by :func:`class_path`, if the reader trusts it.

    Only classes of modules already imported (or listed in ``trusted_modules``) resolve, never
    functions nor classes of the standard library; see :mod:`autofit.model.trust`.

    Raises
    ------
    UntrustedClassException
        If ``path`` names anything but a trusted class; the message says how to allow it.
    SerialisationException
        If a trusted module does not hold the class.
    """
    return trusted_class(path, trusted_modules)


class Writer:
    """Turns model trees into JSON-ready dicts.

    Parameters
    ----------
    canonical
        Leave out what does not change the parameter space (width modifiers, physical limits)
        and describe unserialisable fixed objects by their class and state, for identifiers.
    """

    def __init__(self, canonical: bool = False) -> None:
        self.canonical = canonical
        self.ids: dict[int, int] = {}
        self._keep: list[Any] = []

    def prior(self, prior: Prior) -> dict[str, Any]:
        entry = prior.dict()
        if self.canonical:
            entry.pop("width_modifier", None)
            entry.pop("limits", None)
        key = id(prior)
        if key not in self.ids:
            self.ids[key] = len(self.ids)
            self._keep.append(prior)
        entry["id"] = self.ids[key]
        return entry

    def node(self, node: AbstractModel) -> dict[str, Any]:
        arguments = {name: self.value(child) for name, child in node._children()}
        if isinstance(node, Model):
            entry = {"type": "model", "class_path": class_path(node.cls), "arguments": arguments}
        elif isinstance(node, TuplePrior):
            entry = {"type": "tuple_prior", "name": node.name, "arguments": arguments}
        elif isinstance(node, Array):
            entry = {"type": "array", "shape": list(node.shape), "arguments": arguments}
        elif isinstance(node, Collection):
            entry = {"type": "collection", "arguments": arguments}
        else:
            raise SerialisationException(f"Cannot serialise a {type(node).__name__}")
        if node._assertions:
            entry["assertions"] = [self.assertion(a) for a in node._assertions]
        return entry

    def assertion(self, assertion: Assertion) -> dict[str, Any]:
        entry = {
            "type": "assertion",
            "operator": assertion.operator,
            "operands": [self.value(operand) for operand in assertion.operands],
        }
        if getattr(assertion, "name", None):
            entry["name"] = assertion.name
        return entry

    def value(self, value: Any) -> Any:
        if isinstance(value, AbstractModel):
            return self.node(value)
        if isinstance(value, Prior):
            return self.prior(value)
        if isinstance(value, DerivedParameter):
            operands = [self.value(operand) for operand in value.operands]
            return {"type": "derived", "operator": value.operator, "operands": operands}
        if isinstance(value, MissingPrior):
            return {
                "type": "missing_prior",
                "class_path": class_path(value.cls),
                "parameter": value.name,
            }
        if value is None or isinstance(value, (bool, str, int)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"type": "float", "value": repr(value)}
        if isinstance(value, np.generic):
            return self.value(value.item())
        if isinstance(value, tuple):
            return {"type": "tuple", "values": [self.value(item) for item in value]}
        if isinstance(value, list):
            return {"type": "list", "values": [self.value(item) for item in value]}
        if isinstance(value, dict):
            items = (
                sorted(value.items(), key=lambda item: str(item[0]))
                if self.canonical
                else value.items()
            )
            return {"type": "dict", "values": {str(k): self.value(v) for k, v in items}}
        if isinstance(value, (set, frozenset)):
            items = [self.value(item) for item in value]
            items.sort(key=lambda item: json.dumps(item, sort_keys=True, default=str))
            return {"type": type(value).__name__, "values": items}
        if isinstance(value, np.ndarray):
            values = [self.value(item) for item in value.ravel().tolist()]
            return {
                "type": "ndarray",
                "dtype": str(value.dtype),
                "shape": list(value.shape),
                "values": values,
            }
        if isinstance(value, ModelInstance):
            return {"type": "instance", "values": {k: self.value(v) for k, v in value.items()}}
        if isinstance(value, type):
            return {"type": "class", "class_path": class_path(value)}
        if hasattr(value, "__dict__"):
            return {
                "type": "object",
                "class_path": class_path(type(value)),
                "state": {k: self.value(v) for k, v in vars(value).items()},
            }
        if self.canonical:
            return {"type": "repr", "value": re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))}
        raise SerialisationException(
            f"Cannot write the fixed value {value!r} of type {type(value).__name__} to JSON"
        )


def model_to_dict(model: AbstractModel) -> dict[str, Any]:
    """The JSON form of ``model``."""
    return Writer().node(model)


class Reader:
    """Rebuilds models from :class:`Writer` output, re-linking priors by their ids.

    Parameters
    ----------
    trusted_modules
        Modules whose classes may be built beyond those already imported (see
        :mod:`autofit.model.trust`).
    """

    def __init__(self, trusted_modules: Iterable[str] = ()) -> None:
        self.priors: dict[int, Prior] = {}
        self.trusted_modules = tuple(trusted_modules)

    def cls(self, path: str) -> type:
        return class_from_path(path, self.trusted_modules)

    def node(self, entry: dict[str, Any]) -> AbstractModel:
        kind = entry["type"]
        if kind == "model":
            node: AbstractModel = object.__new__(Model)
            AbstractModel.__init__(node)
            object.__setattr__(node, "cls", self.cls(entry["class_path"]))
        elif kind == "collection":
            node = object.__new__(Collection)
            AbstractModel.__init__(node)
        elif kind == "tuple_prior":
            node = object.__new__(TuplePrior)
            AbstractModel.__init__(node)
            object.__setattr__(node, "_name", entry["name"])
        elif kind == "array":
            node = object.__new__(Array)
            AbstractModel.__init__(node)
            object.__setattr__(node, "shape", tuple(entry["shape"]))
            object.__setattr__(node, "_prior", None)
        else:
            raise SerialisationException(f"Unknown model type {kind!r} in {entry!r}")
        for name, value in entry.get("arguments", {}).items():
            node._attributes[name] = self.value(value)
        for assertion in entry.get("assertions", []):
            node._assertions.append(self.value(assertion))
        return node

    def value(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        kind = value.get("type")
        if kind in ("model", "collection", "tuple_prior", "array"):
            return self.node(value)
        if kind == "derived":
            return DerivedParameter(value["operator"], *map(self.value, value["operands"]))
        if kind == "assertion":
            assertion = Assertion(value["operator"], *map(self.value, value["operands"]))
            if "name" in value:
                assertion.name = value["name"]
            return assertion
        if kind == "missing_prior":
            cls = self.cls(value["class_path"])
            message = defaults_lookup().missing_prior_message(cls, value["parameter"])
            return MissingPrior(cls, value["parameter"], message)
        if kind == "float":
            return float(value["value"])
        if kind == "tuple":
            return tuple(self.value(item) for item in value["values"])
        if kind in ("set", "frozenset"):
            items = [self.value(item) for item in value["values"]]
            return set(items) if kind == "set" else frozenset(items)
        if kind == "list":
            return [self.value(item) for item in value["values"]]
        if kind == "dict":
            return {key: self.value(item) for key, item in value["values"].items()}
        if kind == "ndarray":
            values = [self.value(item) for item in value["values"]]
            return np.array(values, dtype=value["dtype"]).reshape(value["shape"])
        if kind == "instance":
            return ModelInstance({k: self.value(v) for k, v in value["values"].items()})
        if kind == "class":
            return self.cls(value["class_path"])
        if kind == "object":
            cls = self.cls(value["class_path"])
            instance = cls.__new__(cls)
            instance.__dict__.update({k: self.value(v) for k, v in value["state"].items()})
            return instance
        return self.prior(value)

    def prior(self, entry: dict[str, Any]) -> Any:
        key = entry.get("id")
        if key is not None and key in self.priors:
            return self.priors[key]
        try:
            prior = prior_from_dict(entry)
        except Exception as error:
            raise SerialisationException(f"Cannot read prior {entry!r}: {error}") from error
        if key is not None:
            self.priors[key] = prior
        return prior


def model_from_dict(entry: dict[str, Any], trusted_modules: Iterable[str] = ()) -> AbstractModel:
    """Rebuild a model from :func:`model_to_dict` output.

    Parameters
    ----------
    entry
        The model's JSON form.
    trusted_modules
        Modules whose classes may be built (and imported) beyond those the process has already
        imported; classes of the standard library and functions never are.

    Raises
    ------
    UntrustedClassException
        If the entry names a class the reader does not trust, saying how to allow it.
    SerialisationException
        If the entry is not a model's JSON form.
    """
    if not isinstance(entry, dict) or "type" not in entry:
        raise SerialisationException(f"Not a model dictionary: {entry!r}")
    return Reader(trusted_modules).node(entry)
