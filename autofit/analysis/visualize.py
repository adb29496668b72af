"""Visualizer: hooks that draw a fit's data and model into the fit's ``image/`` folder."""

from __future__ import annotations

from typing import Any

__all__ = ["Visualizer"]


class Visualizer:
    """Subclass and set as ``Analysis.Visualizer`` to make plots during and after a fit.

    Both hooks are static methods that receive the analysis; write files into
    ``paths.image_path``. They are only called when the fit has an output folder.
    """

    @staticmethod
    def visualize_before_fit(analysis: Any, paths: Any, model: Any) -> None:
        """Called once before the search starts (plot the data, for example)."""

    @staticmethod
    def visualize(analysis: Any, paths: Any, instance: Any, during_analysis: bool) -> None:
        """Called with the current maximum-likelihood instance at every update and at the end
        (``during_analysis=False``)."""
