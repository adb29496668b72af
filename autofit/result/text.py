"""The text of ``model.results`` and ``search.summary``."""

from __future__ import annotations

from typing import Any

__all__ = ["results_text", "search_summary_text"]


def _format(value: float) -> str:
    return f"{value:.4g}"


def results_text(samples: Any) -> str:
    """Maximum likelihood, maximum posterior and the median with 1 and 3 sigma limits."""
    if samples.total_samples == 0:
        return "No samples yet.\n"
    names = samples.model.joined_paths
    width = max([len(name) for name in names] + [30]) + 4
    lines = [
        f"{'Maximum Log Likelihood':<{width}}{samples.log_likelihood.max():.8g}",
        f"{'Maximum Log Posterior':<{width}}{samples.log_posterior.max():.8g}",
    ]
    if samples.log_evidence is not None:
        lines.append(f"{'Log Evidence':<{width}}{samples.log_evidence:.8g}")
    lines += ["", "Maximum Log Likelihood Model:", ""]
    for name, value in zip(names, samples.max_log_likelihood(as_instance=False), strict=True):
        lines.append(f"{name:<{width}}{_format(value)}")
    median = samples.median_pdf(as_instance=False)
    for sigma in (3.0, 1.0):
        lower = samples.values_at_lower_sigma(sigma, as_instance=False)
        upper = samples.values_at_upper_sigma(sigma, as_instance=False)
        lines += ["", f"Summary ({sigma:g} sigma limits):", ""]
        for name, m, lo, hi in zip(names, median, lower, upper, strict=True):
            lines.append(f"{name:<{width}}{_format(m)} ({_format(lo)}, {_format(hi)})")
    return "\n".join(lines) + "\n"


def search_summary_text(summary: dict[str, Any]) -> str:
    """``Key = value`` lines from the search's progress record."""
    width = max(len(key) for key in summary) + 4
    return "\n".join(f"{key:<{width}}{value}" for key, value in summary.items()) + "\n"
