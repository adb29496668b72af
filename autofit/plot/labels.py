"""Axis labels of parameters: their LaTeX labels from ``notation.yaml``, as mathtext."""

from __future__ import annotations

from typing import Any

__all__ = ["parameter_labels"]


def parameter_labels(model: Any) -> list[str]:
    """Each free parameter's label with its class superscript, wrapped in ``$...$``.

    A label matplotlib's mathtext cannot typeset (for example a parameter name with two
    underscores and no entry in ``notation.yaml``) is shown with its underscores escaped, or
    failing that as plain text.
    """
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    labels = []
    for label in model.parameter_labels_with_superscripts:
        for candidate in (f"${label}$", f"${label.replace('_', chr(92) + '_')}$"):
            try:
                parser.parse(candidate)
            except ValueError:
                continue
            labels.append(candidate)
            break
        else:
            labels.append(label)
    return labels
