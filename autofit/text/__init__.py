"""Text made from the results of fits (``af.text``): ``af.text.Samples.latex(samples=...)`` gives
a LaTeX table row of the parameters, and ``af.text.Samples.summary(samples)`` their values with
confidence limits."""

from autofit.text import samples_text as Samples

__all__ = ["Samples"]
