"""Fixtures of the search tests: an isolated output folder, simulated data and its exact fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import least_squares

import autofit as af
import autofit.config

PACKAGE_CONFIG = Path(autofit.config.__file__).parent

#: The Gaussian ``af.ex.simulate_data`` draws its data from (centre, normalization, sigma).
TRUTH = np.array([50.0, 25.0, 10.0])
NOISE = 0.1


@pytest.fixture(autouse=True)
def output_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every fit writes under ``tmp_path / "output"``; the working directory is empty."""
    working = tmp_path / "working"
    working.mkdir()
    monkeypatch.chdir(working)
    monkeypatch.delenv(af.conf.CONFIG_PATH_VARIABLE, raising=False)
    monkeypatch.delenv(af.conf.OUTPUT_PATH_VARIABLE, raising=False)
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION", raising=False)
    af.conf.instance.reset()
    output = tmp_path / "output"
    af.conf.instance.push(new_path=PACKAGE_CONFIG, output_path=output)
    yield output
    af.conf.instance.reset()


@pytest.fixture(scope="session")
def data() -> tuple[np.ndarray, np.ndarray]:
    """100 points of the Gaussian ``TRUTH`` with noise 0.1 (seed 1)."""
    return af.ex.simulate_data(noise=NOISE)


@pytest.fixture
def analysis(data) -> af.ex.Analysis:
    return af.ex.Analysis(*data)


@pytest.fixture
def model() -> af.Model:
    """``af.ex.Gaussian`` with its default priors (U(0, 100), LogU(1e-6, 1e6), U(0, 25))."""
    return af.Model(af.ex.Gaussian)


class ExactFit:
    """The maximum-likelihood point of the data (scipy least squares, to machine precision),
    its log likelihood and the Fisher-matrix covariance ``(J^T J)^-1`` of the parameters."""

    def __init__(self, data: np.ndarray, noise_map: np.ndarray) -> None:
        xvalues = np.arange(data.size, dtype=float)

        def residuals(parameters):
            return (data - af.ex.Gaussian(*parameters).model_data_from(xvalues)) / noise_map

        fit = least_squares(residuals, TRUTH, xtol=1e-15, ftol=1e-15, gtol=1e-15)
        self.parameters = fit.x
        self.log_likelihood = -0.5 * float(np.sum(fit.fun**2))
        self.covariance = np.linalg.inv(fit.jac.T @ fit.jac)
        self.errors = np.sqrt(np.diag(self.covariance))


@pytest.fixture(scope="session")
def exact(data) -> ExactFit:
    return ExactFit(*data)
