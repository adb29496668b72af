"""Result: the maximum-likelihood instance, log likelihood and summary of a fit (result.py)."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af

PARAMETERS = np.array(
    [
        [50.0, 2.0, 5.0],
        [52.0, 1.0, 4.0],
        [49.0, 3.0, 6.0],
        [51.0, 2.5, 7.0],
    ]
)
LOG_LIKELIHOOD = np.array([-3.0, -1.0, -2.0, -4.0])


@pytest.fixture
def result() -> af.Result:
    samples = af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, np.zeros(4))
    return af.Result(samples=samples)


def test_samples_are_kept(result):
    assert isinstance(result.samples, af.Samples)
    assert result.samples.total_samples == 4
    assert result.search_internal is None


def test_instance_is_the_maximum_likelihood_instance(result):
    instance = result.instance
    assert isinstance(instance, af.ex.Gaussian)
    assert (instance.centre, instance.normalization, instance.sigma) == (52.0, 1.0, 4.0)
    same = result.max_log_likelihood_instance
    assert (same.centre, same.normalization, same.sigma) == (52.0, 1.0, 4.0)


def test_log_likelihood_is_the_highest(result):
    assert result.log_likelihood == -1.0
    assert isinstance(result.log_likelihood, float)


def test_log_evidence():
    samples = af.Samples(
        af.Model(af.ex.Gaussian),
        PARAMETERS,
        LOG_LIKELIHOOD,
        np.zeros(4),
        samples_info={"log_evidence": -9.5},
    )
    assert af.Result(samples=samples).log_evidence == -9.5


def test_samples_summary(result):
    summary = result.samples_summary
    assert isinstance(summary, af.SamplesSummary)
    assert summary.max_log_likelihood(as_instance=False) == [52.0, 1.0, 4.0]
    assert summary.median_pdf(as_instance=False) == result.samples.median_pdf(as_instance=False)


def test_search_internal_and_paths_are_kept():
    samples = af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, np.zeros(4))
    marker = object()
    result = af.Result(samples=samples, search_internal=marker, paths="somewhere")
    assert result.search_internal is marker
    assert result.paths == "somewhere"


def test_instance_of_a_collection():
    model = af.Collection(g=af.Model(af.ex.Gaussian), e=af.Model(af.ex.Exponential))
    parameters = np.arange(12.0).reshape(2, 6)
    result = af.Result(samples=af.Samples(model, parameters, [0.0, 1.0], [0.0, 0.0]))
    assert isinstance(result.instance.g, af.ex.Gaussian)
    assert isinstance(result.instance.e, af.ex.Exponential)
    assert result.instance.e.rate == 11.0


def test_a_result_needs_samples_or_a_summary():
    with pytest.raises(ValueError, match="samples"):
        af.Result()


def test_samples_summary_passed_in_is_used():
    samples = af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, np.zeros(4))
    summary = samples.summary()
    result = af.Result(samples_summary=summary, samples=samples)
    assert result.samples_summary is summary


def test_a_result_from_a_summary_alone():
    # A result loaded from samples_summary.json only still gives the best fit.
    samples = af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, np.zeros(4))
    result = af.Result(samples_summary=samples.summary())
    assert result.instance.centre == 52.0
    assert result.max_log_likelihood_instance.sigma == 4.0
    assert result.log_likelihood == -1.0
