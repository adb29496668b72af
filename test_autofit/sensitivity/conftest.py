"""Fixtures of the sensitivity tests: an isolated output folder and a 1D perturbation problem.

The data are one Gaussian at x = 50 (normalization 25, sigma 10) with noise 0.1; the
perturbation is a narrow Gaussian at x = 20 (sigma 3) whose normalization is mapped over
0.01 to 100 (log-uniform), so two steps simulate normalizations 0.1 (invisible) and 10
(a 13-sigma peak).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autofit as af
from test_autofit.isolation import output_path  # noqa: F401


class Analysis(af.Analysis):
    """Chi-squared fit of the sum of the Gaussians of an instance."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        super().__init__()
        self.data = data
        self.noise_map = noise_map
        self.xvalues = np.arange(data.shape[0], dtype=float)

    def log_likelihood_function(self, instance: Any) -> float:
        model_data = sum(
            (profile.model_data_from(self.xvalues) for profile in instance),
            np.zeros_like(self.xvalues),
        )
        return -0.5 * float(np.sum(((self.data - model_data) / self.noise_map) ** 2))


#: Every call of the callables in this process, as ``(what, perturbation normalization)``.
CALLS: list[tuple[str, float]] = []


def simulate(instance: Any, simulate_path: Path | None) -> tuple[np.ndarray, np.ndarray]:
    CALLS.append(("simulate", instance.perturb.normalization))
    return af.ex.simulate_data(list(instance), pixels=100, noise=0.1, seed=2)


class Fit:
    """A fit callable: a small search in ``paths.for_sub_analysis("fit")``."""

    def __init__(self, search: str = "dynesty") -> None:
        self.search = search

    def __call__(self, model: Any, dataset: Any, paths: Any, instance: Any) -> Any:
        CALLS.append(("fit", instance.perturb.normalization))
        paths = paths.for_sub_analysis(analysis_name="fit")
        if self.search == "dynesty":
            search = af.DynestyStatic(paths=paths, nlive=25, seed=1)
        else:
            search = af.Drawer(paths=paths, total_draws=20, seed=1)
        return search.fit(model=model, analysis=Analysis(*dataset))


def base_model() -> af.Collection:
    return af.Collection(
        gaussian=af.Model(
            af.ex.Gaussian,
            centre=50.0,
            sigma=10.0,
            normalization=af.UniformPrior(lower_limit=0.0, upper_limit=50.0),
        )
    )


def perturb_model() -> af.Model:
    return af.Model(
        af.ex.Gaussian,
        centre=20.0,
        sigma=3.0,
        normalization=af.LogUniformPrior(lower_limit=0.01, upper_limit=100.0),
    )


def simulation_instance() -> af.ModelInstance:
    return af.ModelInstance(
        {"gaussian": af.ex.Gaussian(centre=50.0, normalization=25.0, sigma=10.0)}
    )


def make_sensitivity(search: str = "dynesty", **kwargs: Any) -> af.Sensitivity:
    arguments = {
        "paths": af.DirectoryPaths(name="sensitivity"),
        "simulation_instance": simulation_instance(),
        "base_model": base_model(),
        "perturb_model": perturb_model(),
        "simulate_cls": simulate,
        "base_fit_cls": Fit(search),
        "perturb_fit_cls": Fit(search),
        "number_of_steps": 2,
        **kwargs,
    }
    return af.Sensitivity(**arguments)


@pytest.fixture(autouse=True)
def calls() -> Iterator[list[tuple[str, float]]]:
    CALLS.clear()
    yield CALLS
    CALLS.clear()
