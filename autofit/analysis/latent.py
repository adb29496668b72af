"""Latent variables: quantities derived from each posterior sample by the analysis."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autofit.exc import FitException

__all__ = [
    "latent_model",
    "compute_latent_samples",
    "latent_samples_of",
    "latent_samples_from_values",
]


def latent_model(keys: list[str]) -> Any:
    """A model with one parameter per latent key (dotted keys become nested collections).

    The model is built by constructors, not by setting attributes, so that making it does not
    count as a change to the models compiled before.
    """
    from autofit.priors.gaussian import GaussianPrior

    tree: dict[str, Any] = {}
    for key in keys:
        node = tree
        *parents, leaf = key.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = GaussianPrior(0.0, 1.0)
    return _collection(tree)


def _collection(tree: dict[str, Any]) -> Any:
    from autofit.model.collection import Collection

    return Collection(
        {
            name: _collection(value) if isinstance(value, dict) else value
            for name, value in tree.items()
        }
    )


def _row(values: Any, keys: list[str]) -> list[float]:
    if isinstance(values, dict):
        values = [values[key] for key in keys]
    values = list(np.atleast_1d(np.asarray(values, dtype=float)))
    if len(values) != len(keys):
        raise ValueError(
            f"compute_latent_variables returned {len(values)} values for LATENT_KEYS {keys}"
        )
    return values


def compute_latent_samples(analysis: Any, samples: Any) -> Any:
    """Samples of the analysis's ``LATENT_KEYS`` over the posterior samples (``samples.pdf()``),
    or None when the analysis defines none. Samples whose latent values cannot be computed
    (``FitException`` or non-finite values) are left out."""
    keys = list(getattr(analysis, "LATENT_KEYS", []) or [])
    if not keys or samples.total_samples == 0:
        return None

    parameters, weights = samples.pdf()
    model = samples.model
    rows, kept = [], []
    for index, vector in enumerate(parameters):
        try:
            row = _row(analysis.compute_latent_variables(vector.tolist(), model), keys)
        except FitException:
            continue
        if all(math.isfinite(value) for value in row):
            rows.append(row)
            kept.append(index)
    values = np.array(rows, dtype=float).reshape(len(kept), len(keys))
    return latent_samples_from_values(keys, values, weights[kept] if kept else None)


def latent_samples_from_values(keys: list[str], values: Any, weights: Any) -> Any:
    """Samples of the latent ``keys`` from their values, one row per posterior sample (shape
    ``(n, len(keys))``) with the samples' weights; rows with a value that is not finite are
    left out.

    Parameters
    ----------
    keys
        The analysis's ``LATENT_KEYS``.
    values
        The latent values of every sample.
    weights
        The weights of the samples (None when there are none).
    """
    from autofit.samples.samples import Samples

    values = np.asarray(values, dtype=float).reshape(-1, len(keys))
    kept = np.all(np.isfinite(values), axis=1)
    count = int(np.count_nonzero(kept))
    return Samples(
        latent_model(keys),
        parameters=values[kept],
        log_likelihood=np.zeros(count),
        log_prior=np.zeros(count),
        weights=np.asarray(weights, dtype=float)[kept] if count and weights is not None else None,
        samples_info={"kind": "samples", "latent_keys": keys},
    )


def latent_samples_of(analysis: Any, samples: Any) -> Any:
    """The latent samples of a finished fit: the analysis's own ``compute_latent_samples``
    (which an analysis may override), or :func:`compute_latent_samples` for an analysis
    without that method."""
    method = getattr(analysis, "compute_latent_samples", None)
    if method is None:
        return compute_latent_samples(analysis, samples)
    return method(samples)
