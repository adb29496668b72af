"""Fixtures of the grid search tests: an isolated output folder and 1D Gaussian data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import autofit as af
import autofit.config

PACKAGE_CONFIG = Path(autofit.config.__file__).parent


@pytest.fixture(autouse=True)
def output_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every fit writes under ``tmp_path / "output"`` and draws no plots."""
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    monkeypatch.delenv(af.conf.OUTPUT_PATH_VARIABLE, raising=False)
    af.conf.instance.reset()
    output = tmp_path / "output"
    af.conf.instance.push(new_path=PACKAGE_CONFIG, output_path=output)
    yield output
    af.conf.instance.reset()


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
