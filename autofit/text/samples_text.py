"""Text of a fit's samples: a LaTeX table row and a summary of the values with their limits.

Used as ``af.text.Samples.latex(samples=result.samples)`` and
``af.text.Samples.summary(samples=result.samples)``. Both take :class:`~autofit.Samples` or a
:class:`~autofit.SamplesSummary` (which stores 1 and 3 sigma limits only).
"""

from __future__ import annotations

from typing import Any

__all__ = ["latex", "summary", "values_from_samples"]

DEFAULT_FORMAT = "{:.2f}"


def values_from_samples(samples: Any, median_pdf_model: bool = True) -> list[float]:
    """The median of each marginal PDF (``median_pdf_model=True``) or the maximum-likelihood
    values, in the model's vector order."""
    if median_pdf_model:
        return list(samples.median_pdf(as_instance=False))
    return list(samples.max_log_likelihood(as_instance=False))


def _superscripts(model: Any) -> list[str]:
    from autofit.model.defaults import defaults_lookup

    lookup = defaults_lookup()
    return [
        lookup.superscript_for(cls) if cls is not None else ""
        for cls in model.compiled.owner_classes
    ]


def _check_sigma(sigma: float) -> None:
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")


def latex(
    samples: Any,
    median_pdf_model: bool = True,
    sigma: float = 3.0,
    name_to_label: bool = True,
    include_name: bool = True,
    include_quickmath: bool = False,
    prefix: str = "",
    suffix: str = "",
    format_string: str = DEFAULT_FORMAT,
) -> str:
    """One LaTeX table row of every free parameter: ``value^{+upper}_{-lower}`` cells
    separated by ``&``.

    Each cell is ``name^{\\rm{superscript}} = value^{+upper error}_{-lower error}``, with the
    errors at ``sigma`` measured from the value to the confidence limits.

    Parameters
    ----------
    samples
        The fit's samples (``result.samples``) or their summary.
    median_pdf_model
        Use the median of each marginal PDF (True) or the maximum-likelihood values.
    sigma
        The confidence of the errors, in standard deviations (1 or 3 for a summary).
    name_to_label
        Name each parameter by its LaTeX label from ``notation.yaml`` (``\\sigma``) rather than
        its name (``sigma``).
    include_name
        Start each cell with ``name =``; False leaves the values only.
    include_quickmath
        Wrap each cell in ``$...$``.
    prefix, suffix
        Text before and after the row (e.g. ``"fit 1 & "`` and ``" \\\\"``).
    format_string
        The format of the numbers (PyAutoFit reads one per parameter from ``notation.yaml``'s
        ``label_format``; here one format serves all).

    Returns
    -------
    str
        ``prefix + cells joined by " & " + suffix``.

    Raises
    ------
    ValueError
        If ``sigma`` is not positive (or the samples are empty).

    Examples
    --------
    >>> af.text.Samples.latex(samples=result.samples, sigma=1.0, include_quickmath=True)
    '$x^{\\\\rm{g}} = 50.01^{+0.12}_{-0.11}$ & ...'
    """
    _check_sigma(sigma)
    model = samples.model
    values = values_from_samples(samples, median_pdf_model)
    errors = samples.errors_at_sigma(sigma, as_instance=False)
    names = model.parameter_labels if name_to_label else model.parameter_names
    cells = []
    for name, superscript, value, (lower, upper) in zip(
        names, _superscripts(model), values, errors, strict=True
    ):
        number = (
            f"{format_string.format(value)}^{{+{format_string.format(upper)}}}"
            f"_{{-{format_string.format(lower)}}}"
        )
        if include_name:
            script = f"^{{\\rm{{{superscript}}}}}" if superscript else ""
            number = f"{name}{script} = {number}"
        cells.append(f"${number}$" if include_quickmath else number)
    return f"{prefix}{' & '.join(cells)}{suffix}"


def summary(
    samples: Any,
    sigma: float = 3.0,
    median_pdf_model: bool = True,
    indent: int = 1,
    line_length: int | None = None,
    format_string: str = "{:.4g}",
) -> str:
    """Each parameter's value and its ``sigma`` confidence limits, as in ``model.results``.

    Parameters
    ----------
    samples
        The fit's samples or their summary.
    sigma
        The confidence of the limits, in standard deviations (1 or 3 for a summary).
    median_pdf_model
        Show the median of each marginal PDF (True) or the maximum-likelihood values.
    indent
        Spaces per level of the model tree (components are headings above their parameters).
    line_length
        The column the values start at (default: the longest name plus 8).
    format_string
        The format of the numbers.

    Returns
    -------
    str
        ``"Summary (3.0 sigma limits):"`` followed by one line per parameter.
    """
    _check_sigma(sigma)
    model = samples.model
    values = values_from_samples(samples, median_pdf_model)
    lower = samples.values_at_lower_sigma(sigma, as_instance=False)
    upper = samples.values_at_upper_sigma(sigma, as_instance=False)
    paths = model.paths
    width = line_length or max(len(path[-1]) + indent * (len(path) - 1) for path in paths) + 8
    lines, shown = [], ()
    for path, value, low, high in zip(paths, values, lower, upper, strict=True):
        for depth, name in enumerate(path[:-1]):
            if shown[: depth + 1] != path[: depth + 1]:
                lines.append(" " * (indent * depth) + name)
        shown = path[:-1]
        name = " " * (indent * (len(path) - 1)) + path[-1]
        text = ", ".join(format_string.format(limit) for limit in (low, high))
        lines.append(f"{name:<{width}}{format_string.format(value)} ({text})")
    return f"Summary ({sigma} sigma limits):\n\n" + "\n".join(lines)
