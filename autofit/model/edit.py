"""Editing models: taking attributes from another model or instance, and keeping or removing
paths."""

from __future__ import annotations

from typing import Any

import numpy as np

from autofit.model.abstract import AbstractModel
from autofit.model.array import Array
from autofit.model.collection import Collection
from autofit.model.instance import ModelInstance
from autofit.model.missing import MissingPrior
from autofit.model.tuple_prior import TuplePrior
from autofit.priors.abstract import MUTATIONS, Prior
from autofit.priors.arithmetic import DerivedParameter

__all__ = ["take_attributes", "filter_paths", "as_path"]

PathType = tuple[str, ...]


def _source_items(source: Any) -> dict[str, Any]:
    if isinstance(source, AbstractModel):
        return dict(source._attributes)
    if isinstance(source, ModelInstance):
        return source.dict
    if isinstance(source, dict):
        return {str(key): value for key, value in source.items()}
    if isinstance(source, (list, tuple)):
        return {str(index): value for index, value in enumerate(source)}
    return dict(getattr(source, "__dict__", {}))


def take_attributes(target: AbstractModel, source: Any) -> None:
    """Copy every attribute ``source`` (a model or an instance) shares with ``target``."""
    if isinstance(target, Array) and isinstance(source, np.ndarray):
        if source.shape == target.shape:
            for index in np.ndindex(*source.shape):
                target[index] = float(source[index])
        return
    items = _source_items(source)
    for name, child in list(target._attributes.items()):
        if name not in items:
            continue
        value = items[name]
        if isinstance(child, TuplePrior) or not isinstance(child, AbstractModel):
            setattr(target, name, value)
        elif isinstance(child, Collection) and isinstance(value, AbstractModel):
            take_attributes(child, value)
        elif isinstance(value, AbstractModel) and type(value) is not type(child):
            setattr(target, name, value)
        else:
            take_attributes(child, value)


def as_path(path: PathType | str) -> PathType:
    """A path as a tuple of names (a dotted string is split at the dots)."""
    return tuple(path.split(".")) if isinstance(path, str) else tuple(path)


def filter_paths(model: AbstractModel, paths: list[PathType | str], keep: bool) -> AbstractModel:
    """A copy of ``model`` keeping (``keep=True``) or removing the subtrees at ``paths``."""
    wanted = [as_path(path) for path in paths]
    copied = model.copy()
    _filter(copied, (), wanted, keep)
    copied.unfreeze()
    _drop_orphan_assertions(copied)
    MUTATIONS.value += 1
    return copied


def _drop_orphan_assertions(model: AbstractModel) -> None:
    """Remove assertions that refer to priors no longer in the model."""
    remaining: set[int] = set()
    for node in model._nodes():
        for _, child in node._children():
            if isinstance(child, Prior):
                remaining.add(id(child))
            elif isinstance(child, DerivedParameter):
                remaining.update(id(prior) for prior in child.priors)
    for node in model._nodes():
        node._assertions[:] = [
            assertion
            for assertion in node._assertions
            if all(id(prior) in remaining for prior in assertion.priors)
        ]


def _is_free(value: Any) -> bool:
    return isinstance(value, (AbstractModel, Prior, DerivedParameter, MissingPrior))


def _filter(node: AbstractModel, prefix: PathType, paths: list[PathType], keep: bool) -> None:
    for name, child in list(node._attributes.items()):
        path = (*prefix, name)
        covered = any(path[: len(p)] == p for p in paths)
        leads_to = any(p[: len(path)] == path and len(p) > len(path) for p in paths)
        if keep:
            if covered:
                continue
            if leads_to and isinstance(child, AbstractModel):
                _filter(child, path, paths, keep)
                continue
            if _is_free(child):
                del node._attributes[name]
        elif covered:
            del node._attributes[name]
        elif leads_to and isinstance(child, AbstractModel):
            _filter(child, path, paths, keep)
