"""The readable description of a model printed by ``model.info``."""

from __future__ import annotations

from typing import Any

from autofit.model.abstract import AbstractModel
from autofit.model.missing import MissingPrior
from autofit.priors.abstract import Prior
from autofit.priors.arithmetic import DerivedParameter

__all__ = ["model_info", "format_value"]


def format_value(value: Any, limit: int = 60) -> str:
    """A short text for a fixed value."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def model_info(model: AbstractModel) -> str:
    """Aligned text: ``Total Free Parameters = N``, the tree of components with each
    parameter's prior or fixed value (``Prior Missing`` for a parameter without a prior), then
    any assertions."""
    compiled = model.compiled
    joined = {
        id(prior): ".".join(path)
        for prior, path in zip(compiled.priors, compiled.paths, strict=True)
    }
    rows: list[tuple[int, str, str]] = [
        (0, "model", f"{model._component_name()} (N={compiled.priors.__len__()})")
    ]
    shown: set[int] = set()
    _rows(model, 1, rows, joined, shown)
    width = max(4 * depth + len(name) for depth, name, _ in rows) + 4
    lines = [f"Total Free Parameters = {len(compiled.priors)}", ""]
    for depth, name, text in rows:
        label = " " * (4 * depth) + name
        lines.append(f"{label:<{width}}{text}".rstrip())
    if compiled.assertions:
        lines += ["", "Assertions"]
        for assertion in compiled.assertions:
            lines.append("    " + assertion.describe(lambda prior: joined[id(prior)]))
    return "\n".join(lines)


def _rows(
    node: AbstractModel,
    depth: int,
    rows: list[tuple[int, str, str]],
    joined: dict[int, str],
    shown: set[int],
) -> None:
    for name, child in node._children():
        if isinstance(child, AbstractModel):
            rows.append((depth, name, f"{child._component_name()} (N={child.prior_count})"))
            _rows(child, depth + 1, rows, joined, shown)
        elif isinstance(child, Prior):
            if id(child) in shown:
                rows.append((depth, name, f"{child} (linked to {joined[id(child)]})"))
            else:
                shown.add(id(child))
                rows.append((depth, name, str(child)))
        elif isinstance(child, DerivedParameter):
            expression = child.describe(lambda prior: joined[id(prior)])
            rows.append((depth, name, f"DerivedParameter = {expression}"))
        elif isinstance(child, MissingPrior):
            rows.append((depth, name, str(child)))
        else:
            rows.append((depth, name, format_value(child)))
