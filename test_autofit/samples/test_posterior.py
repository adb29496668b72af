"""SamplesPDF: the posterior samples' base class, and PyAutoFit's sample_list form."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.samples import Sample
from autofit.samples.io import read_samples, write_samples


@pytest.fixture(name="model")
def make_model():
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=10.0)
    model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=20.0)
    return model


def sample(centre: float, log_likelihood: float, weight: float = 1.0) -> Sample:
    return Sample(
        log_likelihood, -3.0, weight, {"centre": centre, "normalization": 2.0, "sigma": 5.0}
    )


def test_mcmc_and_nested_samples_are_posterior_samples_and_optimiser_samples_are_not():
    assert issubclass(af.SamplesMCMC, af.SamplesPDF)
    assert issubclass(af.SamplesNest, af.SamplesPDF)
    assert not issubclass(af.SamplesOptimizer, af.SamplesPDF)
    assert issubclass(af.SamplesPDF, af.Samples)


def test_samples_from_a_sample_list_give_the_weighted_median_and_the_best_sample(model):
    sample_list = [sample(40.0, -5.0, 1.0), sample(50.0, -1.0, 2.0), sample(60.0, -4.0, 1.0)]
    samples = af.SamplesPDF(model=model, sample_list=sample_list)
    assert samples.parameters.shape == (3, 3)
    assert samples.max_log_likelihood().centre == 50.0
    assert samples.median_pdf().centre == pytest.approx(50.0)
    np.testing.assert_allclose(samples.weight_list, [0.25, 0.5, 0.25])
    assert [s.kwargs["centre"] for s in samples.sample_list] == [40.0, 50.0, 60.0]


def test_a_sample_list_missing_a_parameter_names_it(model):
    incomplete = Sample(-1.0, 0.0, 1.0, {"centre": 50.0, "sigma": 5.0})
    with pytest.raises(KeyError, match="normalization"):
        af.SamplesPDF(model=model, sample_list=[incomplete])


def test_arrays_and_a_sample_list_cannot_both_be_given(model):
    with pytest.raises(TypeError, match="not both"):
        af.SamplesPDF(model, [[50.0, 2.0, 5.0]], [-1.0], [0.0], sample_list=[sample(50.0, -1.0)])
    with pytest.raises(TypeError, match="sample_list"):
        af.SamplesPDF(model)


def test_nested_samples_take_a_sample_list_too(model):
    samples = af.SamplesNest(
        model=model,
        sample_list=[sample(45.0, -2.0), sample(55.0, -1.0)],
        samples_info={"log_evidence": -3.5},
    )
    assert samples.log_evidence == -3.5
    assert samples.max_log_likelihood().centre == 55.0


def test_posterior_samples_are_written_and_read_back_as_their_own_class(model, tmp_path):
    samples = af.SamplesPDF(model=model, sample_list=[sample(45.0, -2.0), sample(55.0, -1.0)])
    write_samples(samples, tmp_path)
    loaded = read_samples(model, tmp_path)
    assert type(loaded) is af.SamplesPDF
    np.testing.assert_allclose(loaded.parameters, samples.parameters)


def test_abstract_paths_is_the_base_of_every_paths_class():
    assert issubclass(af.DirectoryPaths, af.AbstractPaths)
    assert issubclass(af.NullPaths, af.AbstractPaths)
