"""Priors from their JSON / YAML form."""

from __future__ import annotations

from typing import Any

from autofit.exc import PriorException
from autofit.priors.abstract import Prior
from autofit.priors.constant import Constant
from autofit.priors.gaussian import GaussianPrior, LogGaussianPrior, TruncatedGaussianPrior
from autofit.priors.uniform import LogUniformPrior, UniformPrior

__all__ = ["PRIOR_TYPES", "prior_from_dict"]

#: Prior classes by their ``type`` name in JSON and configuration files.
PRIOR_TYPES: dict[str, type[Prior]] = {
    cls.type_name: cls
    for cls in (
        UniformPrior,
        LogUniformPrior,
        GaussianPrior,
        TruncatedGaussianPrior,
        LogGaussianPrior,
    )
}
ALIASES = {f"{name}Prior": name for name in PRIOR_TYPES}


def prior_from_dict(entry: dict[str, Any]) -> Prior | Constant:
    """Build a prior from ``{"type": "Uniform", "lower_limit": 0.0, ...}``.

    Accepts the keys written by ``Prior.dict()`` and by configuration files: the prior's
    arguments, ``width_modifier`` and ``limits`` (``{"lower": ..., "upper": ...}`` or a pair).
    Infinities may be written as the strings ``"inf"`` and ``"-inf"``.

    Raises
    ------
    PriorException
        If the type is unknown or an argument is missing or invalid.
    """
    kind = entry.get("type")
    kind = ALIASES.get(kind, kind)
    if kind == "Constant":
        return Constant(entry["value"])
    if kind not in PRIOR_TYPES:
        raise PriorException(
            f"Unknown prior type {kind!r}; valid types are {sorted([*PRIOR_TYPES, 'Constant'])}"
        )
    cls = PRIOR_TYPES[kind]
    known = set(cls.argument_names) | {"type", "id", "width_modifier", "limits"}
    unknown = [name for name in entry if name not in known]
    if unknown:
        raise PriorException(
            f"{cls.__name__} takes the arguments {list(cls.argument_names)}, not {unknown[0]!r}"
        )
    arguments = {name: float(entry[name]) for name in cls.argument_names if name in entry}
    required = (
        ("lower_limit", "upper_limit") if kind in ("Uniform", "LogUniform") else ("mean", "sigma")
    )
    missing = [name for name in required if name not in arguments]
    if missing:
        raise PriorException(f"{cls.__name__} entry {entry!r} is missing {missing}")
    limits = entry.get("limits")
    if isinstance(limits, dict):
        limits = (float(limits.get("lower", "-inf")), float(limits.get("upper", "inf")))
    elif limits is not None:
        limits = (float(limits[0]), float(limits[1]))
    return cls(**arguments, width_modifier=entry.get("width_modifier"), limits=limits)
