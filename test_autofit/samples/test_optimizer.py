"""Optimiser samples: the PDF is the best point and every error is zero (samples/optimizer.py)."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af

PARAMETERS = np.array([[40.0, 1.0, 3.0], [50.0, 2.0, 5.0], [45.0, 4.0, 9.0], [60.0, 3.0, 1.0]])
LOG_LIKELIHOOD = np.array([-10.0, -1.0, -3.0, -20.0])


def optimizer_samples() -> af.SamplesOptimizer:
    return af.SamplesOptimizer(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, np.zeros(4))


def test_kind():
    samples = optimizer_samples()
    assert samples.kind == "optimizer"
    assert samples.samples_info["kind"] == "optimizer"


def test_median_pdf_is_the_best_point():
    samples = optimizer_samples()
    assert samples.median_pdf(as_instance=False) == [50.0, 2.0, 5.0]
    assert samples.median_pdf().sigma == 5.0
    assert samples.max_log_likelihood(as_instance=False) == [50.0, 2.0, 5.0]


@pytest.mark.parametrize("sigma", [1.0, 3.0])
def test_limits_are_the_best_point_and_errors_are_zero(sigma):
    samples = optimizer_samples()
    assert samples.values_at_upper_sigma(sigma, as_instance=False) == [50.0, 2.0, 5.0]
    assert samples.values_at_lower_sigma(sigma, as_instance=False) == [50.0, 2.0, 5.0]
    assert samples.errors_at_sigma(sigma, as_instance=False) == [(0.0, 0.0)] * 3
    assert samples.errors_at_upper_sigma(sigma, as_instance=False) == [0.0, 0.0, 0.0]
    assert samples.errors_at_lower_sigma(sigma, as_instance=False) == [0.0, 0.0, 0.0]


def test_covariance_is_zero():
    np.testing.assert_array_equal(optimizer_samples().covariance_matrix(), np.zeros((3, 3)))


def test_random_draws_return_the_best_point():
    samples = optimizer_samples()
    rng = np.random.default_rng(0)
    assert {
        tuple(samples.draw_randomly_via_pdf(as_instance=False, rng=rng)) for _ in range(20)
    } == {(50.0, 2.0, 5.0)}


def test_all_evaluated_points_are_kept():
    samples = optimizer_samples()
    assert samples.parameter_lists == PARAMETERS.tolist()
    assert samples.total_samples == 4
