"""Weighted quantiles, sigma-to-probability conversion and marginal summaries (samples/pdf.py)."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.samples.pdf import marginalize, quantile, sigma_to_probability

# -- sigma_to_probability -------------------------------------------------------------------------


# Lower-tail standard normal probabilities Phi(-sigma) (scipy.stats.norm.cdf(-sigma)).
NORMAL_LOWER_TAIL = {
    0.5: 0.3085375387259869,
    1.0: 0.15865525393145707,
    2.0: 0.022750131948179195,
    3.0: 0.0013498980316300933,
    5.0: 2.866515718791933e-07,
}


@pytest.mark.parametrize(("sigma", "probability"), NORMAL_LOWER_TAIL.items())
def test_sigma_to_probability_is_the_lower_gaussian_tail(sigma, probability):
    assert sigma_to_probability(sigma) == pytest.approx(probability, rel=1e-10)


def test_sigma_to_probability_of_zero_is_one_half():
    assert sigma_to_probability(0.0) == 0.5


# -- quantile without weights ---------------------------------------------------------------------


def test_unweighted_quantile_interpolates_between_sorted_values():
    # Sorted values 1, 2, 3, 5 sit at positions 0, 1/3, 2/3, 1 (numpy's linear rule).
    values = [3.0, 1.0, 5.0, 2.0]
    assert quantile(values, 0.5) == pytest.approx(2.5, abs=1e-12)  # halfway from 2 to 3
    assert quantile(values, 0.25) == pytest.approx(1.75, abs=1e-12)  # 3/4 of the way 1 -> 2
    assert quantile(values, 0.9) == pytest.approx(3.0 + 0.7 * 2.0, abs=1e-12)
    assert quantile(values, 0.0) == 1.0
    assert quantile(values, 1.0) == 5.0


def test_unweighted_quantile_of_an_array_of_q_returns_an_array():
    result = quantile([0.0, 10.0], np.array([0.1, 0.5, 0.8]))
    np.testing.assert_allclose(result, [1.0, 5.0, 8.0], atol=1e-12)


def test_scalar_q_returns_a_float():
    assert isinstance(quantile([1.0, 2.0, 3.0], 0.5), float)
    assert isinstance(quantile([1.0, 2.0, 3.0], 0.5, [1.0, 1.0, 1.0]), float)


# -- quantile with weights ------------------------------------------------------------------------


def test_weighted_quantile_interpolates_the_cumulative_weights_by_hand():
    # The documented definition: sort, place each sample at the midpoint of its weight,
    # c_i = S_i - w_i / 2, rescale to cdf_i = (c_i - c_1) / (c_n - c_1), interpolate.
    #   sorted values : 1.0   2.0   3.0   4.0
    #   their weights : 0.2   0.4   0.3   0.1
    #   S_i           : 0.2   0.6   0.9   1.0
    #   c_i           : 0.1   0.4   0.75  0.95
    #   cdf_i         : 0     0.3/0.85  0.65/0.85  1
    values = [4.0, 1.0, 3.0, 2.0]
    weights = [0.1, 0.2, 0.3, 0.4]
    assert quantile(values, 0.5, weights) == pytest.approx(2.0 + (0.425 - 0.3) / 0.35, abs=1e-12)
    assert quantile(values, 0.75, weights) == pytest.approx(2.0 + (0.6375 - 0.3) / 0.35, abs=1e-12)
    assert quantile(values, 0.95, weights) == pytest.approx(3.0 + (0.8075 - 0.65) / 0.2, abs=1e-12)
    assert quantile(values, 0.3 / 0.85, weights) == pytest.approx(2.0, abs=1e-12)
    # The ends of the cdf are the smallest and largest values.
    assert quantile(values, 0.0, weights) == 1.0
    assert quantile(values, 1.0, weights) == 4.0


def test_weights_need_not_be_normalised():
    values = [4.0, 1.0, 3.0, 2.0]
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    for q in (0.3, 0.5, 0.8):
        assert quantile(values, q, 7.0 * weights) == pytest.approx(
            quantile(values, q, weights), abs=1e-12
        )


def test_equal_weights_agree_with_no_weights():
    # The median of three equally likely samples 1, 2, 3 is 2; passing equal weights must not
    # change any quantile compared with passing no weights at all.
    values = [1.0, 2.0, 3.0]
    assert quantile(values, 0.5) == 2.0
    assert quantile(values, 0.5, [1.0, 1.0, 1.0]) == pytest.approx(2.0, abs=1e-12)
    more = [0.5, 1.5, 4.0, 7.0, 8.0]
    for q in (0.1, 0.25, 0.5, 0.75, 0.9):
        assert quantile(more, q, np.ones(5)) == pytest.approx(quantile(more, q), abs=1e-12)


def test_weighted_quantile_is_mirror_symmetric():
    # Reflecting the samples reflects the quantiles: q(-x, 1 - q) = -q(x, q).
    values = np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([0.2, 0.4, 0.3, 0.1])
    for q in (0.3, 0.5, 0.7):
        assert quantile(-values, 1.0 - q, weights) == pytest.approx(
            -quantile(values, q, weights), abs=1e-12
        )


@pytest.mark.parametrize("q", [-0.1, 1.1, [0.5, 1.5]])
def test_q_outside_the_unit_interval_raises(q):
    with pytest.raises(ValueError, match="q must lie in"):
        quantile([1.0, 2.0, 3.0], q)
    with pytest.raises(ValueError, match="q must lie in"):
        quantile([1.0, 2.0, 3.0], q, [1.0, 1.0, 1.0])


def test_mismatched_weights_raise_naming_the_counts():
    with pytest.raises(ValueError, match=r"2 weights for 3 samples"):
        quantile([1.0, 2.0, 3.0], 0.5, [1.0, 2.0])


# -- marginalize ----------------------------------------------------------------------------------


def test_marginalize_is_exported():
    assert af.marginalize is marginalize


def test_marginalize_returns_median_lower_upper_from_quantile():
    values = [4.0, 1.0, 3.0, 2.0, 6.0]
    weights = [0.1, 0.2, 0.3, 0.3, 0.1]
    low = sigma_to_probability(1.0)
    result = af.marginalize(values, 1.0, weights)
    assert isinstance(result, tuple) and len(result) == 3
    assert all(isinstance(value, float) for value in result)
    expected = (
        quantile(values, 0.5, weights),
        quantile(values, low, weights),
        quantile(values, 1.0 - low, weights),
    )
    assert result == pytest.approx(expected, abs=1e-12)


def test_marginalize_without_weights_is_numpy_percentile():
    values = np.arange(11.0)
    median, lower, upper = af.marginalize(values, 1.0)
    low = sigma_to_probability(1.0)
    assert median == 5.0
    assert lower == pytest.approx(100.0 * low / 10.0, rel=1e-12)
    assert upper == pytest.approx(10.0 - 100.0 * low / 10.0, rel=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_marginalize_recovers_a_gaussian(weighted):
    # N(3, 2^2): median 3, 1-sigma limits 1 and 5, 3-sigma limits -3 and 9. With 200 000 draws
    # the standard error of the 1-sigma quantile is about 0.007.
    rng = np.random.default_rng(42)
    values = rng.normal(3.0, 2.0, size=200_000)
    weights = np.ones_like(values) if weighted else None
    median, lower, upper = af.marginalize(values, 1.0, weights)
    assert median == pytest.approx(3.0, abs=0.03)
    assert lower == pytest.approx(1.0, abs=0.03)
    assert upper == pytest.approx(5.0, abs=0.03)
    _, lower_3, upper_3 = af.marginalize(values, 3.0, weights)
    assert lower_3 == pytest.approx(-3.0, abs=0.15)
    assert upper_3 == pytest.approx(9.0, abs=0.15)


def test_marginalize_importance_weights_recover_the_target():
    # Draws from U(-10, 16) weighted by the N(3, 2^2) density represent N(3, 2^2).
    rng = np.random.default_rng(7)
    values = rng.uniform(-10.0, 16.0, size=400_000)
    weights = np.exp(-0.5 * ((values - 3.0) / 2.0) ** 2)
    median, lower, upper = af.marginalize(values, 1.0, weights)
    assert median == pytest.approx(3.0, abs=0.05)
    assert lower == pytest.approx(1.0, abs=0.05)
    assert upper == pytest.approx(5.0, abs=0.05)
