"""Prior passing: result.model and its absolute / relative variants (prior_passing.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autofit as af
from autofit.result.prior_passing import model_centred_on_posterior


def gaussian_result(centre_sigma: float, sigma_sigma: float, n: int = 20_000) -> af.Result:
    """Samples of af.ex.Gaussian: centre ~ N(50, centre_sigma^2), normalization ~ N(2, 0.5^2),
    sigma ~ N(5, sigma_sigma^2)."""
    rng = np.random.default_rng(17)
    parameters = np.column_stack(
        [
            rng.normal(50.0, centre_sigma, n),
            rng.normal(2.0, 0.5, n),
            rng.normal(5.0, sigma_sigma, n),
        ]
    )
    return af.Result(
        samples=af.Samples(af.Model(af.ex.Gaussian), parameters, np.zeros(n), np.zeros(n))
    )


def three_sigma_errors(result: af.Result) -> list[float]:
    return [max(pair) for pair in result.samples.errors_at_sigma(3.0, as_instance=False)]


def test_every_free_prior_becomes_a_gaussian_centred_on_the_median():
    result = gaussian_result(0.01, 0.01)
    model = result.model
    median = result.samples.median_pdf(as_instance=False)
    assert model.prior_count == 3
    assert model.joined_paths == ["centre", "normalization", "sigma"]
    for prior, value in zip(model.priors, median, strict=True):
        assert type(prior) is af.GaussianPrior
        assert prior.mean == pytest.approx(value, abs=1e-12)


def test_tiny_errors_give_the_width_modifier():
    # centre: Absolute(20) -> 20; sigma: Relative(0.5) -> 0.5 * median ~ 2.5. Both far exceed
    # the 3-sigma errors (~0.03). normalization: 3-sigma error ~1.5 > 0.5 * 2 = 1.
    result = gaussian_result(0.01, 0.01)
    median = result.samples.median_pdf(as_instance=False)
    errors = three_sigma_errors(result)
    centre, normalization, sigma = result.model.priors
    assert errors[0] < 0.05 and errors[2] < 0.05
    assert centre.sigma == pytest.approx(20.0, rel=1e-12)
    assert sigma.sigma == pytest.approx(0.5 * median[2], rel=1e-12)
    assert errors[1] > 0.5 * median[1]
    assert normalization.sigma == pytest.approx(errors[1], rel=1e-12)


def test_large_errors_win_over_the_width_modifier():
    # centre ~ N(50, 10^2): the larger 3-sigma error (~30) exceeds the absolute width 20.
    # sigma ~ N(5, 2^2): the 3-sigma error (~6) exceeds 0.5 * 5.
    result = gaussian_result(10.0, 2.0)
    errors = three_sigma_errors(result)
    centre, _, sigma = result.model.priors
    assert errors[0] > 20.0 and errors[2] > 0.5 * result.samples.median_pdf().sigma
    assert errors[0] == pytest.approx(30.0, rel=0.25)
    assert centre.sigma == pytest.approx(errors[0], rel=1e-12)
    assert sigma.sigma == pytest.approx(errors[2], rel=1e-12)


def test_the_larger_of_the_lower_and_upper_errors_is_used():
    # A skewed posterior: exponential draws have a longer upper tail.
    rng = np.random.default_rng(3)
    n = 20_000
    parameters = np.column_stack(
        [50.0 + rng.exponential(30.0, n), rng.normal(2.0, 0.5, n), rng.normal(5.0, 0.01, n)]
    )
    result = af.Result(
        samples=af.Samples(af.Model(af.ex.Gaussian), parameters, np.zeros(n), np.zeros(n))
    )
    lower, upper = result.samples.errors_at_sigma(3.0, as_instance=False)[0]
    assert upper > lower
    assert result.model.priors[0].sigma == pytest.approx(upper, rel=1e-12)


def test_priors_are_truncated_to_their_physical_limits():
    # normalization and sigma have limits (0, inf) in the configuration; centre (-inf, inf).
    result = gaussian_result(0.01, 0.01)
    centre, normalization, sigma = result.model.priors
    for prior in (normalization, sigma):
        assert prior.lower_limit == 0.0
        assert prior.upper_limit == math.inf
        assert prior.limits == (0.0, math.inf)
        assert prior.value_for(1e-6) >= 0.0
    assert centre.lower_limit == -math.inf and centre.upper_limit == math.inf


def test_width_modifiers_are_carried_to_the_new_priors():
    result = gaussian_result(0.01, 0.01)
    old = result.samples.model.priors
    for new, previous in zip(result.model.priors, old, strict=True):
        assert new.width_modifier == previous.width_modifier


def test_the_fitted_model_is_not_changed():
    result = gaussian_result(0.01, 0.01)
    before = [repr(prior) for prior in result.samples.model.priors]
    _ = result.model
    _ = result.model_centred_absolute(1.0)
    assert [repr(prior) for prior in result.samples.model.priors] == before
    assert type(result.samples.model.priors[0]) is af.UniformPrior


def linked_result() -> af.Result:
    model = af.Collection(a=af.Model(af.ex.Gaussian), b=af.Model(af.ex.Gaussian))
    model.b.sigma = model.a.sigma  # one shared parameter
    model.b.centre = model.a.centre + 10.0  # a derived parameter
    model.add_assertion(model.a.normalization < model.b.normalization)
    assert model.joined_paths == ["a.centre", "a.normalization", "a.sigma", "b.normalization"]
    rng = np.random.default_rng(5)
    n = 4000
    parameters = np.column_stack(
        [
            rng.normal(50.0, 1.0, n),
            rng.normal(2.0, 0.2, n),
            rng.normal(5.0, 0.5, n),
            rng.normal(4.0, 0.2, n),
        ]
    )
    return af.Result(samples=af.Samples(model, parameters, np.zeros(n), np.zeros(n)))


def test_links_stay_links():
    model = linked_result().model
    assert model.prior_count == 4
    assert model.b.sigma is model.a.sigma
    assert type(model.a.sigma) is af.GaussianPrior
    instance = model.instance_from_vector([50.0, 2.0, 5.0, 4.0])
    assert instance.b.sigma == instance.a.sigma == 5.0


def test_derived_parameters_refer_to_the_new_priors():
    result = linked_result()
    model = result.model
    assert model.joined_paths == ["a.centre", "a.normalization", "a.sigma", "b.normalization"]
    instance = model.instance_from_vector([47.0, 2.0, 5.0, 4.0])
    assert instance.b.centre == pytest.approx(57.0, abs=1e-12)
    median_instance = model.instance_from_prior_medians()
    median = result.samples.median_pdf(as_instance=False)
    assert median_instance.a.centre == pytest.approx(median[0], abs=1e-9)
    assert median_instance.b.centre == pytest.approx(median[0] + 10.0, abs=1e-9)


def test_assertions_are_kept_and_refer_to_the_new_priors():
    model = linked_result().model
    assert len(model.assertions) == 1
    model.instance_from_vector([50.0, 2.0, 5.0, 4.0])
    with pytest.raises(af.exc.FitException):
        model.instance_from_vector([50.0, 5.0, 5.0, 4.0])


def test_model_centred_absolute():
    result = gaussian_result(10.0, 2.0)
    median = result.samples.median_pdf(as_instance=False)
    model = result.model_centred_absolute(0.3)
    assert [prior.sigma for prior in model.priors] == [0.3, 0.3, 0.3]
    assert [prior.mean for prior in model.priors] == pytest.approx(median, abs=1e-12)
    assert all(type(prior) is af.GaussianPrior for prior in model.priors)
    assert model.priors[2].lower_limit == 0.0


def test_model_centred_relative():
    result = gaussian_result(10.0, 2.0)
    median = result.samples.median_pdf(as_instance=False)
    model = result.model_centred_relative(0.1)
    assert [prior.sigma for prior in model.priors] == pytest.approx(
        [0.1 * abs(value) for value in median], rel=1e-12
    )
    assert [prior.mean for prior in model.priors] == pytest.approx(median, abs=1e-12)
    assert model.priors[1].lower_limit == 0.0


def test_variants_keep_links():
    result = linked_result()
    for model in (result.model_centred_absolute(1.0), result.model_centred_relative(0.2)):
        assert model.prior_count == 4
        assert model.b.sigma is model.a.sigma


def test_model_centred_on_posterior_with_explicit_errors():
    model = af.Model(af.ex.Gaussian)
    passed = model_centred_on_posterior(model, [50.0, 2.0, 5.0], errors=[30.0, 0.1, 0.1])
    centre, normalization, sigma = passed.priors
    assert centre.sigma == 30.0  # error 30 > absolute width 20
    assert normalization.sigma == pytest.approx(1.0)  # 0.5 * 2 > 0.1
    assert sigma.sigma == pytest.approx(2.5)  # 0.5 * 5 > 0.1
    assert (centre.mean, normalization.mean, sigma.mean) == (50.0, 2.0, 5.0)


def test_optimizer_results_take_widths_from_the_width_modifiers():
    parameters = np.array([[40.0, 1.0, 3.0], [50.0, 2.0, 4.0]])
    samples = af.SamplesOptimizer(af.Model(af.ex.Gaussian), parameters, [-5.0, -1.0], [0.0, 0.0])
    centre, normalization, sigma = af.Result(samples=samples).model.priors
    assert (centre.mean, normalization.mean, sigma.mean) == (50.0, 2.0, 4.0)
    assert (centre.sigma, normalization.sigma, sigma.sigma) == pytest.approx((20.0, 1.0, 2.0))


def test_a_median_outside_the_physical_limits_gives_a_valid_truncated_prior():
    # sigma samples below its physical lower limit 0 (possible with ignore_prior_limits).
    rng = np.random.default_rng(2)
    n = 1000
    parameters = np.column_stack(
        [rng.normal(50.0, 1.0, n), rng.normal(2.0, 0.1, n), rng.normal(-1.0, 0.1, n)]
    )
    result = af.Result(
        samples=af.Samples(af.Model(af.ex.Gaussian), parameters, np.zeros(n), np.zeros(n))
    )
    sigma = result.model.priors[2]
    assert sigma.lower_limit == 0.0
    draws = sigma.value_for(np.linspace(0.0, 1.0, 11)[1:-1])
    assert np.all(draws >= 0.0) and np.all(np.isfinite(draws))
