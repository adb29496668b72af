"""Axis labels of parameters: their LaTeX labels from ``notation.yaml``, as mathtext."""

from __future__ import annotations

from typing import Any

__all__ = ["parameter_labels"]


def parameter_labels(model: Any) -> list[str]:
    """Each free parameter's label with its class superscript, wrapped in ``$...$``.

    A parameter without a label in ``notation.yaml`` is labelled by its name, with its
    underscores escaped (``log_radius`` shows as ``log_radius``, not as subscripts). A label
    matplotlib's mathtext cannot typeset is shown as plain text.
    """
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    labels = []
    for name, label, full in zip(
        model.parameter_names,
        model.parameter_labels,
        model.parameter_labels_with_superscripts,
        strict=True,
    ):
        if label == name and full.startswith(label):
            full = name.replace("_", "\\_") + full[len(label) :]
        try:
            parser.parse(f"${full}$")
        except ValueError:
            labels.append(full)
        else:
            labels.append(f"${full}$")
    return labels
