"""Fixtures of the grid search tests: an isolated output folder and 1D Gaussian data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import autofit as af
from test_autofit.isolation import output_path  # noqa: F401


def gaussian_model() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
    model.sigma = af.UniformPrior(lower_limit=1.0, upper_limit=20.0)
    return model


@pytest.fixture
def model() -> af.Model:
    return gaussian_model()


@pytest.fixture
def analysis() -> af.ex.Analysis:
    """A Gaussian at x = 70 (normalization 20, sigma 5; peak 1.6) with noise 0.1."""
    truth = af.ex.Gaussian(centre=70.0, normalization=20.0, sigma=5.0)
    data, noise = af.ex.simulate_data([truth], noise=0.1, seed=3)
    return af.ex.Analysis(data, noise)


def cell_folders(grid_folder: Path) -> list[Path]:
    return sorted(path.parent for path in grid_folder.glob("cell_*/*/.identifier"))


@pytest.fixture
def flat_analysis() -> af.ex.Analysis:
    return af.ex.Analysis(np.zeros(20), np.ones(20))
