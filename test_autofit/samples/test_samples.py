"""The Samples API: stored samples, PDF statistics, subsets and older spellings (samples.py)."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.samples import Sample
from autofit.samples.pdf import quantile, sigma_to_probability

PARAMETERS = np.array(
    [
        [50.0, 2.0, 5.0],
        [52.0, 1.0, 4.0],
        [49.0, 3.0, 6.0],
        [51.0, 2.5, 7.0],
        [48.0, 1.5, 3.0],
    ]
)
LOG_LIKELIHOOD = np.array([-3.0, -1.0, -2.0, -4.0, -5.0])
LOG_PRIOR = np.array([0.5, -2.5, 0.0, 0.2, 0.1])
WEIGHTS = np.array([1.0, 2.0, 3.0, 2.0, 2.0])  # normalised: 0.1 0.2 0.3 0.2 0.2


def gaussian_samples(**kwargs) -> af.Samples:
    arguments = dict(weights=WEIGHTS)
    arguments.update(kwargs)
    return af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, LOG_PRIOR, **arguments)


def column_quantiles(q: float) -> list[float]:
    weights = WEIGHTS / WEIGHTS.sum()
    return [quantile(PARAMETERS[:, i], q, weights) for i in range(3)]


# -- the stored samples ---------------------------------------------------------------------------


def test_stored_lists():
    samples = gaussian_samples()
    assert samples.parameter_lists == PARAMETERS.tolist()
    assert samples.log_likelihood_list == LOG_LIKELIHOOD.tolist()
    assert samples.log_prior_list == LOG_PRIOR.tolist()
    assert samples.log_posterior_list == pytest.approx([-2.5, -3.5, -2.0, -3.8, -4.9], abs=1e-12)
    assert samples.total_samples == 5
    assert len(samples) == 5
    assert isinstance(samples.parameter_lists, list)
    assert isinstance(samples.weight_list, list)


def test_weights_are_normalised():
    samples = gaussian_samples()
    assert samples.weight_list == pytest.approx([0.1, 0.2, 0.3, 0.2, 0.2], abs=1e-15)
    assert sum(samples.weight_list) == pytest.approx(1.0, abs=1e-15)


def test_no_weights_means_equal_weights():
    samples = gaussian_samples(weights=None)
    assert samples.weight_list == pytest.approx([0.2] * 5, abs=1e-15)


def test_model_is_kept():
    model = af.Model(af.ex.Gaussian)
    samples = af.Samples(model, PARAMETERS, LOG_LIKELIHOOD, LOG_PRIOR)
    assert samples.model is model


def test_sample_list():
    samples = gaussian_samples()
    sample_list = samples.sample_list
    assert len(sample_list) == 5
    second = sample_list[1]
    assert isinstance(second, Sample)
    assert second.kwargs == {"centre": 52.0, "normalization": 1.0, "sigma": 4.0}
    assert second.log_likelihood == -1.0
    assert second.log_prior == -2.5
    assert second.log_posterior == pytest.approx(-3.5, abs=1e-12)
    assert second.weight == pytest.approx(0.2, abs=1e-15)


def test_sample_list_of_a_collection_uses_dotted_paths():
    model = af.Collection(g=af.Model(af.ex.Gaussian), e=af.Model(af.ex.Exponential))
    row = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    samples = af.Samples(model, [row], [0.0], [0.0])
    assert samples.sample_list[0].kwargs == {
        "g.centre": 1.0,
        "g.normalization": 2.0,
        "g.sigma": 3.0,
        "e.centre": 4.0,
        "e.normalization": 5.0,
        "e.rate": 6.0,
    }


# -- constructor errors ---------------------------------------------------------------------------


def test_mismatched_log_likelihood_count_raises_naming_the_counts():
    with pytest.raises(ValueError, match=r"5 parameter rows but 4 log likelihoods and 5 log"):
        af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD[:4], LOG_PRIOR)


def test_mismatched_log_prior_count_raises_naming_the_counts():
    with pytest.raises(ValueError, match=r"5 log likelihoods and 3 log priors"):
        af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, LOG_PRIOR[:3])


def test_mismatched_column_count_raises_naming_the_parameters():
    with pytest.raises(ValueError, match=r"2 parameter columns .* 3 free parameters") as info:
        af.Samples(af.Model(af.ex.Gaussian), PARAMETERS[:, :2], LOG_LIKELIHOOD, LOG_PRIOR)
    assert "centre, normalization, sigma" in str(info.value)


def test_mismatched_weight_count_raises_naming_the_counts():
    with pytest.raises(ValueError, match=r"\b4\b.*\b5\b|\b5\b.*\b4\b"):
        gaussian_samples(weights=WEIGHTS[:4])


# -- maxima ---------------------------------------------------------------------------------------


def test_max_log_likelihood():
    samples = gaussian_samples()
    assert samples.max_log_likelihood(as_instance=False) == [52.0, 1.0, 4.0]
    instance = samples.max_log_likelihood()
    assert isinstance(instance, af.ex.Gaussian)
    assert (instance.centre, instance.normalization, instance.sigma) == (52.0, 1.0, 4.0)


def test_max_log_posterior_differs_from_max_log_likelihood():
    # Log posteriors: -2.5 -3.5 -2.0 -3.8 -4.9, highest at row 2.
    samples = gaussian_samples()
    assert samples.max_log_posterior(as_instance=False) == [49.0, 3.0, 6.0]
    assert samples.max_log_posterior().sigma == 6.0


def test_max_of_empty_samples_raises():
    samples = af.Samples(af.Model(af.ex.Gaussian), np.empty((0, 3)), [], [])
    assert samples.total_samples == 0
    with pytest.raises(ValueError, match="empty"):
        samples.max_log_likelihood()
    with pytest.raises(ValueError, match="empty"):
        samples.median_pdf()


# -- PDF statistics -------------------------------------------------------------------------------


def test_median_pdf_is_the_weighted_median_of_each_column():
    samples = gaussian_samples()
    assert samples.median_pdf(as_instance=False) == pytest.approx(column_quantiles(0.5), abs=1e-12)
    instance = samples.median_pdf()
    assert isinstance(instance, af.ex.Gaussian)
    assert instance.centre == pytest.approx(column_quantiles(0.5)[0], abs=1e-12)


def test_median_pdf_of_equally_weighted_samples_is_the_median():
    # Three equally weighted samples: the median of each column is the middle value.
    parameters = [[1.0, 10.0, 7.0], [2.0, 30.0, 8.0], [3.0, 20.0, 9.0]]
    samples = af.Samples(af.Model(af.ex.Gaussian), parameters, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0])
    assert samples.median_pdf(as_instance=False) == pytest.approx([2.0, 20.0, 8.0], abs=1e-12)


@pytest.mark.parametrize("weights", [None, [1.0, 3.0, 2.0, 1.0, 1.0, 2.0]])
def test_quantiles_of_one_parameter_leave_the_samples_in_their_order(weights):
    # One column: its transpose is contiguous already, and the sorting must not reach it.
    model = af.Model(af.ex.Gaussian)
    model.centre = 1.0
    model.normalization = 2.0
    parameters = np.array([[5.0], [1.0], [4.0], [2.0], [6.0], [3.0]])
    samples = af.Samples(model, parameters.copy(), np.zeros(6), np.zeros(6), weights=weights)
    median = samples.median_pdf(as_instance=False)[0]
    expected = 3.5 if weights is None else quantile(parameters[:, 0], 0.5, np.array(weights))
    assert median == pytest.approx(expected, abs=1e-12)
    np.testing.assert_array_equal(samples.parameters, parameters)


@pytest.mark.parametrize("sigma", [1.0, 2.0, 3.0])
def test_values_at_sigma(sigma):
    samples = gaussian_samples()
    low = sigma_to_probability(sigma)
    lower, upper = column_quantiles(low), column_quantiles(1.0 - low)
    assert samples.values_at_lower_sigma(sigma, as_instance=False) == pytest.approx(lower)
    assert samples.values_at_upper_sigma(sigma, as_instance=False) == pytest.approx(upper)
    pairs = samples.values_at_sigma(sigma, as_instance=False)
    assert [pair[0] for pair in pairs] == pytest.approx(lower)
    assert [pair[1] for pair in pairs] == pytest.approx(upper)
    instance = samples.values_at_sigma(sigma)
    assert instance.centre == pytest.approx((lower[0], upper[0]))
    assert samples.values_at_upper_sigma(sigma).sigma == pytest.approx(upper[2])
    assert samples.values_at_lower_sigma(sigma).normalization == pytest.approx(lower[1])


@pytest.mark.parametrize("sigma", [1.0, 3.0])
def test_errors_at_sigma(sigma):
    samples = gaussian_samples()
    low = sigma_to_probability(sigma)
    median = np.array(column_quantiles(0.5))
    lower_error = median - np.array(column_quantiles(low))
    upper_error = np.array(column_quantiles(1.0 - low)) - median
    assert samples.errors_at_upper_sigma(sigma, as_instance=False) == pytest.approx(upper_error)
    assert samples.errors_at_lower_sigma(sigma, as_instance=False) == pytest.approx(lower_error)
    pairs = samples.errors_at_sigma(sigma, as_instance=False)
    assert [pair[0] for pair in pairs] == pytest.approx(lower_error)
    assert [pair[1] for pair in pairs] == pytest.approx(upper_error)
    assert all(lo >= 0.0 and hi >= 0.0 for lo, hi in pairs)
    assert samples.errors_at_sigma(sigma).sigma == pytest.approx((lower_error[2], upper_error[2]))
    assert samples.errors_at_upper_sigma(sigma).centre == pytest.approx(upper_error[0])
    assert samples.errors_at_lower_sigma(sigma).centre == pytest.approx(lower_error[0])


def test_gaussian_draws_give_median_and_sigma_limits():
    rng = np.random.default_rng(11)
    n = 40_000
    parameters = np.column_stack(
        [rng.normal(50.0, 2.0, n), rng.normal(10.0, 0.5, n), rng.normal(5.0, 1.0, n)]
    )
    samples = af.Samples(af.Model(af.ex.Gaussian), parameters, np.zeros(n), np.zeros(n))
    # Standard errors for the widest parameter (sd 2): median 0.013, 1-sigma limit 0.015.
    assert samples.median_pdf(as_instance=False) == pytest.approx([50.0, 10.0, 5.0], abs=0.05)
    assert samples.values_at_upper_sigma(1.0, as_instance=False) == pytest.approx(
        [52.0, 10.5, 6.0], abs=0.06
    )
    errors = samples.errors_at_sigma(1.0, as_instance=False)
    for (lower, upper), width in zip(errors, [2.0, 0.5, 1.0], strict=True):
        assert lower == pytest.approx(width, rel=0.04)
        assert upper == pytest.approx(width, rel=0.04)


# -- covariance -----------------------------------------------------------------------------------


def test_covariance_matrix_is_numpy_cov_with_weights():
    samples = gaussian_samples()
    expected = np.cov(PARAMETERS, rowvar=False, aweights=WEIGHTS)
    np.testing.assert_allclose(samples.covariance_matrix(), expected, rtol=1e-12)


def test_covariance_matrix_recovers_a_correlated_gaussian():
    true = np.array([[4.0, 1.2, -0.6], [1.2, 1.0, 0.0], [-0.6, 0.0, 0.25]])
    rng = np.random.default_rng(5)
    n = 100_000
    parameters = rng.multivariate_normal([50.0, 10.0, 5.0], true, size=n)
    samples = af.Samples(af.Model(af.ex.Gaussian), parameters, np.zeros(n), np.zeros(n))
    # Standard error of each entry is at most sqrt(2 / n) * 4 ~ 0.018.
    np.testing.assert_allclose(samples.covariance_matrix(), true, atol=0.06)


def test_covariance_matrix_of_one_sample_is_zero():
    samples = af.Samples(af.Model(af.ex.Gaussian), [[1.0, 2.0, 3.0]], [0.0], [0.0])
    np.testing.assert_array_equal(samples.covariance_matrix(), np.zeros((3, 3)))


# -- single samples and random draws --------------------------------------------------------------


def test_from_sample_index():
    samples = gaussian_samples()
    assert samples.from_sample_index(3, as_instance=False) == [51.0, 2.5, 7.0]
    instance = samples.from_sample_index(4)
    assert (instance.centre, instance.normalization, instance.sigma) == (48.0, 1.5, 3.0)
    assert samples.from_sample_index(-1, as_instance=False) == [48.0, 1.5, 3.0]


def test_draw_randomly_via_pdf_is_reproducible_with_a_seeded_rng():
    samples = gaussian_samples()
    rng = np.random.default_rng(3)
    first = [samples.draw_randomly_via_pdf(as_instance=False, rng=rng) for _ in range(20)]
    rng = np.random.default_rng(3)
    second = [samples.draw_randomly_via_pdf(as_instance=False, rng=rng) for _ in range(20)]
    assert first == second
    assert all(draw in PARAMETERS.tolist() for draw in first)
    assert isinstance(samples.draw_randomly_via_pdf(rng=np.random.default_rng(0)), af.ex.Gaussian)


def test_draw_randomly_via_pdf_frequencies_follow_the_weights():
    samples = gaussian_samples()
    rng = np.random.default_rng(2024)
    draws = 3000
    counts = dict.fromkeys(range(5), 0)
    rows = PARAMETERS.tolist()
    for _ in range(draws):
        counts[rows.index(samples.draw_randomly_via_pdf(as_instance=False, rng=rng))] += 1
    # The standard deviation of each frequency is at most sqrt(0.3 * 0.7 / 3000) ~ 0.0084.
    frequencies = [counts[i] / draws for i in range(5)]
    assert frequencies == pytest.approx([0.1, 0.2, 0.3, 0.2, 0.2], abs=0.03)


def test_zero_weight_samples_are_never_drawn():
    samples = gaussian_samples(weights=[0.0, 1.0, 0.0, 0.0, 1.0])
    rng = np.random.default_rng(1)
    draws = {tuple(samples.draw_randomly_via_pdf(as_instance=False, rng=rng)) for _ in range(200)}
    assert draws == {(52.0, 1.0, 4.0), (48.0, 1.5, 3.0)}


# -- subsets --------------------------------------------------------------------------------------


def collection_samples() -> af.Samples:
    model = af.Collection(g=af.Model(af.ex.Gaussian), e=af.Model(af.ex.Exponential))
    parameters = np.arange(24.0).reshape(4, 6)
    return af.Samples(model, parameters, np.arange(4.0), np.zeros(4), weights=[1, 2, 3, 4])


def test_with_paths_keeps_the_matching_columns_and_model():
    samples = collection_samples()
    subset = samples.with_paths(["g"])
    assert subset.model.joined_paths == ["g.centre", "g.normalization", "g.sigma"]
    np.testing.assert_array_equal(np.array(subset.parameter_lists), samples.parameters[:, :3])
    assert subset.log_likelihood_list == samples.log_likelihood_list
    assert subset.weight_list == samples.weight_list
    assert subset.max_log_likelihood().g.centre == 18.0
    assert type(subset) is af.Samples


def test_with_paths_of_single_parameters():
    samples = collection_samples()
    subset = samples.with_paths([("g", "sigma"), ("e", "rate")])
    assert subset.model.joined_paths == ["g.sigma", "e.rate"]
    np.testing.assert_array_equal(subset.parameters, samples.parameters[:, [2, 5]])
    assert subset.median_pdf(as_instance=False) == pytest.approx(
        [samples.median_pdf(as_instance=False)[i] for i in (2, 5)]
    )


def test_without_paths_drops_the_matching_columns_and_model():
    samples = collection_samples()
    subset = samples.without_paths(["g"])
    assert subset.model.joined_paths == ["e.centre", "e.normalization", "e.rate"]
    np.testing.assert_array_equal(subset.parameters, samples.parameters[:, 3:])
    assert subset.median_pdf().e.rate == pytest.approx(samples.median_pdf().e.rate)
    # The original samples are unchanged.
    assert samples.model.prior_count == 6
    assert samples.parameters.shape == (4, 6)


def test_with_paths_keeps_a_shared_prior_column():
    # b.centre is the same parameter as a.centre: keeping only b must keep that column.
    model = af.Collection(a=af.Model(af.ex.Gaussian), b=af.Model(af.ex.Gaussian))
    model.b.centre = model.a.centre
    parameters = np.arange(15.0).reshape(3, 5)  # a.centre a.norm a.sigma b.norm b.sigma
    samples = af.Samples(model, parameters, np.arange(3.0), np.zeros(3))
    subset = samples.with_paths(["b"])
    assert subset.model.prior_count == 3
    np.testing.assert_array_equal(subset.parameters, parameters[:, [0, 3, 4]])
    instance = subset.max_log_likelihood()
    assert (instance.b.centre, instance.b.normalization, instance.b.sigma) == (10.0, 13.0, 14.0)


def test_without_paths_keeps_a_shared_prior_column():
    model = af.Collection(a=af.Model(af.ex.Gaussian), b=af.Model(af.ex.Gaussian))
    model.b.centre = model.a.centre
    parameters = np.arange(15.0).reshape(3, 5)
    samples = af.Samples(model, parameters, np.arange(3.0), np.zeros(3))
    subset = samples.without_paths(["a"])
    assert subset.model.prior_count == 3
    np.testing.assert_array_equal(subset.parameters, parameters[:, [0, 3, 4]])


# -- summary and older spellings ------------------------------------------------------------------


def test_summary_is_a_samples_summary_of_these_samples():
    samples = gaussian_samples()
    summary = samples.summary()
    assert isinstance(summary, af.SamplesSummary)
    assert summary.max_log_likelihood(as_instance=False) == [52.0, 1.0, 4.0]
    assert summary.median_pdf(as_instance=False) == pytest.approx(column_quantiles(0.5))


def test_older_spellings():
    samples = gaussian_samples()
    assert samples.median_pdf_vector == pytest.approx(column_quantiles(0.5))
    assert samples.median_pdf_instance.centre == pytest.approx(column_quantiles(0.5)[0])
    assert isinstance(samples.median_pdf_instance, af.ex.Gaussian)
    assert samples.max_log_likelihood_instance.centre == 52.0
    assert samples.max_log_likelihood_vector == [52.0, 1.0, 4.0]
    low = sigma_to_probability(2.0)
    assert samples.vector_at_upper_sigma(2.0) == pytest.approx(column_quantiles(1.0 - low))
    assert samples.vector_at_lower_sigma(2.0) == pytest.approx(column_quantiles(low))


def test_log_evidence_comes_from_samples_info():
    assert gaussian_samples().log_evidence is None
    assert gaussian_samples(samples_info={"log_evidence": -12.5}).log_evidence == -12.5


def test_samples_info_records_the_kind():
    assert gaussian_samples().samples_info["kind"] == "samples"
    assert gaussian_samples(samples_info={"x": 1}).samples_info == {"x": 1, "kind": "samples"}


def test_instances_ignore_assertions_and_prior_limits():
    # Statistics of the samples may violate an assertion or lie outside a prior's limits (the
    # median of two modes, a limit of a skewed posterior); they are still returned as instances.
    model = af.Model(af.ex.Gaussian)
    model.add_assertion(model.centre > model.sigma)
    parameters = [[1.0, 2.0, 30.0], [1.0, 2.0, -4.0]]  # sigma prior is U(0, 25)
    samples = af.Samples(model, parameters, [0.0, 1.0], [0.0, 0.0])
    assert samples.max_log_likelihood().sigma == -4.0
    assert samples.max_log_posterior().sigma == -4.0
    assert samples.from_sample_index(0).sigma == 30.0
    assert isinstance(samples.median_pdf(), af.ex.Gaussian)


def test_sample_takes_pyautofits_keywords_and_order():
    sample = Sample(-1.0, -2.0, 0.25, {"centre": 1.0})
    assert sample == Sample(
        log_likelihood=-1.0, log_prior=-2.0, weight=0.25, kwargs={"centre": 1.0}
    )
    assert Sample(log_likelihood=0.0, log_prior=0.0, weight=1.0).kwargs == {}


def test_sample_instance_for_model_of_a_collection():
    model = af.Collection(g=af.Model(af.ex.Gaussian), e=af.Model(af.ex.Exponential), time=3.0)
    row = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    sample = af.Samples(model, [row], [0.0], [0.0]).sample_list[0]
    instance = sample.instance_for_model(model)
    assert isinstance(instance.g, af.ex.Gaussian)
    assert (instance.g.centre, instance.g.normalization, instance.g.sigma) == (1.0, 2.0, 3.0)
    assert (instance.e.centre, instance.e.normalization, instance.e.rate) == (4.0, 5.0, 6.0)
    assert instance.time == 3.0
    assert sample.parameter_lists_for_model(model) == row


def test_sample_instance_for_model_reads_tuple_paths_and_names_a_missing_one():
    model = af.Model(af.ex.Gaussian)
    sample = Sample(0.0, 0.0, 1.0, {("centre",): 10.0, ("normalization",): 2.0, ("sigma",): 3.0})
    assert sample.instance_for_model(model).centre == 10.0
    partial = Sample(0.0, 0.0, 1.0, {"centre": 10.0, "sigma": 3.0})
    with pytest.raises(KeyError, match="'normalization'"):
        partial.instance_for_model(model)


def test_sample_instance_for_model_checks_assertions_unless_ignored():
    model = af.Model(af.ex.Gaussian)
    model.add_assertion(model.sigma > model.normalization)
    sample = Sample(0.0, 0.0, 1.0, {"centre": 10.0, "normalization": 5.0, "sigma": 3.0})
    with pytest.raises(af.exc.FitException):
        sample.instance_for_model(model)
    assert sample.instance_for_model(model, ignore_assertions=True).sigma == 3.0
