"""SamplesSummary: the maxima, median, 1 and 3 sigma limits and evidence of a fit (summary.py)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import autofit as af

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


@pytest.fixture
def samples() -> af.Samples:
    return af.Samples(
        af.Model(af.ex.Gaussian),
        PARAMETERS,
        LOG_LIKELIHOOD,
        LOG_PRIOR,
        weights=[1.0, 2.0, 3.0, 2.0, 2.0],
        samples_info={"log_evidence": -7.25},
    )


def round_tripped(summary: af.SamplesSummary) -> af.SamplesSummary:
    return af.SamplesSummary(summary.model, json.loads(json.dumps(summary.dict())))


def test_from_samples(samples):
    summary = af.SamplesSummary.from_samples(samples)
    assert summary.model is samples.model
    assert summary.max_log_likelihood(as_instance=False) == [52.0, 1.0, 4.0]
    assert summary.max_log_likelihood_value == -1.0
    assert summary.max_log_posterior(as_instance=False) == [49.0, 3.0, 6.0]
    assert summary.median_pdf(as_instance=False) == samples.median_pdf(as_instance=False)
    assert summary.log_evidence == -7.25


@pytest.mark.parametrize("through_json", [False, True])
@pytest.mark.parametrize("sigma", [1, 3, 1.0, 3.0])
def test_limits_and_errors_match_the_samples(samples, sigma, through_json):
    summary = samples.summary()
    if through_json:
        summary = round_tripped(summary)
    assert summary.values_at_upper_sigma(sigma, as_instance=False) == pytest.approx(
        samples.values_at_upper_sigma(sigma, as_instance=False), abs=1e-12
    )
    assert summary.values_at_lower_sigma(sigma, as_instance=False) == pytest.approx(
        samples.values_at_lower_sigma(sigma, as_instance=False), abs=1e-12
    )
    expected = samples.errors_at_sigma(sigma, as_instance=False)
    errors = summary.errors_at_sigma(sigma, as_instance=False)
    assert np.array(errors) == pytest.approx(np.array(expected), abs=1e-12)
    instance = summary.errors_at_sigma(sigma)
    assert instance.sigma == pytest.approx(expected[2], abs=1e-12)
    assert summary.values_at_upper_sigma(sigma).centre == pytest.approx(
        samples.values_at_upper_sigma(sigma).centre, abs=1e-12
    )


def test_dict_is_json_and_round_trips(samples):
    summary = samples.summary()
    text = json.dumps(summary.dict())
    copy = af.SamplesSummary(samples.model, json.loads(text))
    assert copy.dict() == summary.dict()
    assert copy.max_log_likelihood(as_instance=False) == [52.0, 1.0, 4.0]
    assert copy.max_log_likelihood_value == -1.0
    assert copy.median_pdf(as_instance=False) == summary.median_pdf(as_instance=False)
    assert copy.log_evidence == -7.25


def test_instances(samples):
    summary = round_tripped(samples.summary())
    instance = summary.max_log_likelihood()
    assert isinstance(instance, af.ex.Gaussian)
    assert (instance.centre, instance.normalization, instance.sigma) == (52.0, 1.0, 4.0)
    assert summary.instance.centre == 52.0
    assert summary.median_pdf().centre == pytest.approx(samples.median_pdf().centre, abs=1e-12)
    assert summary.max_log_posterior().sigma == 6.0


def test_log_evidence_is_none_without_one():
    plain = af.Samples(af.Model(af.ex.Gaussian), PARAMETERS, LOG_LIKELIHOOD, LOG_PRIOR)
    summary = round_tripped(plain.summary())
    assert summary.log_evidence is None


@pytest.mark.parametrize("sigma", [2.0, 0.5])
def test_unstored_sigma_raises_naming_the_stored_ones(samples, sigma):
    summary = samples.summary()
    with pytest.raises(KeyError) as info:
        summary.values_at_upper_sigma(sigma)
    message = str(info.value)
    assert re.search(r"\b1\b", message) and re.search(r"\b3\b", message)
    assert f"{sigma}" in message or f"{sigma:g}" in message
    with pytest.raises(KeyError):
        summary.errors_at_sigma(sigma)
    with pytest.raises(KeyError):
        summary.values_at_lower_sigma(sigma)


def test_summary_of_empty_samples_has_no_maxima():
    empty = af.Samples(af.Model(af.ex.Gaussian), np.empty((0, 3)), [], [])
    summary = round_tripped(empty.summary())
    assert summary.dict()["total_samples"] == 0
    assert summary.log_evidence is None


def test_max_log_likelihood_sample(samples):
    sample = samples.summary().max_log_likelihood_sample
    assert sample.kwargs == {"centre": 52.0, "normalization": 1.0, "sigma": 4.0}
    assert sample.log_likelihood == -1.0
    assert sample.log_prior == -2.5
    assert sample.weight == pytest.approx(0.2)
    assert sample.instance_for_model(samples.model).centre == 52.0
    assert round_tripped(samples.summary()).max_log_likelihood_sample == sample


def test_max_log_likelihood_sample_of_an_older_summary_uses_the_priors(samples):
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    values = dict(af.Samples(model, PARAMETERS, LOG_LIKELIHOOD, LOG_PRIOR).summary().dict())
    del values["max_log_likelihood_log_prior"], values["max_log_likelihood_weight"]
    sample = af.SamplesSummary(model, values).max_log_likelihood_sample
    expected = float(np.sum(model.log_prior_list_from_vector([52.0, 1.0, 4.0])))
    assert sample.log_prior == pytest.approx(expected)
    assert np.isnan(sample.weight)


def test_max_log_likelihood_sample_of_empty_samples_is_an_error():
    empty = af.Samples(af.Model(af.ex.Gaussian), np.zeros((0, 3)), [], [])
    with pytest.raises(ValueError, match="empty samples"):
        _ = empty.summary().max_log_likelihood_sample
