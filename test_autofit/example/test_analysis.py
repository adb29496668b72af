"""Tests of the example analysis ``af.ex.Analysis``: model data of collections with fixed values,
the ``gaussian.fwhm`` latent variable and the example result."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autofit as af

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.5, seed=11)
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))
XVALUES = np.arange(100.0)


def gaussian_prior_model() -> af.Model:
    gaussian = af.Model(af.ex.Gaussian)
    gaussian.centre = af.UniformPrior(lower_limit=40.0, upper_limit=60.0)
    gaussian.normalization = af.UniformPrior(lower_limit=10.0, upper_limit=40.0)
    gaussian.sigma = af.UniformPrior(lower_limit=5.0, upper_limit=15.0)
    return gaussian


def emcee(**kwargs) -> af.Emcee:
    return af.Emcee(
        nwalkers=12,
        nsteps=150,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        seed=4,
        silence=True,
        **kwargs,
    )


class TestModelData:
    def test_numbers_and_none_in_the_instance_are_skipped(self):
        gaussian = af.ex.Gaussian(centre=40.0, normalization=5.0, sigma=3.0)
        exponential = af.ex.Exponential(centre=60.0, normalization=2.0, rate=0.2)
        instance = af.ModelInstance(
            {"gaussian": gaussian, "time": 3.5, "nothing": None, "exponential": exponential}
        )
        analysis = af.ex.Analysis(DATA, NOISE_MAP)
        expected = gaussian.model_data_from(XVALUES) + exponential.model_data_from(XVALUES)
        np.testing.assert_allclose(analysis.model_data_from(instance), expected)
        np.testing.assert_allclose(analysis.model_data_1d_from(instance), expected)

    def test_nested_collections_and_a_single_profile(self):
        gaussian = af.ex.Gaussian(centre=40.0, normalization=5.0, sigma=3.0)
        nested = af.ModelInstance({"group": af.ModelInstance([gaussian, gaussian]), "n": 2})
        analysis = af.ex.Analysis(DATA, NOISE_MAP)
        np.testing.assert_allclose(
            analysis.model_data_from(nested), 2.0 * gaussian.model_data_from(XVALUES)
        )
        np.testing.assert_allclose(
            analysis.model_data_from(gaussian), gaussian.model_data_from(XVALUES)
        )
        assert not analysis.model_data_from(af.ModelInstance({"time": 1.0})).any()

    def test_mismatched_noise_map_is_an_error(self):
        with pytest.raises(ValueError, match="noise_map of the same shape"):
            af.ex.Analysis(DATA, NOISE_MAP[:10])


@pytest.fixture(scope="module")
def collection_fit(tmp_path_factory):
    """A fit of a collection with a Gaussian, a fixed time and a None entry."""
    model = af.Collection(gaussian=gaussian_prior_model(), time=2.0, nothing=None)
    paths = af.DirectoryPaths(name="example", output_root=tmp_path_factory.mktemp("example"))
    result = emcee(paths=paths).fit(model=model, analysis=af.ex.Analysis(DATA, NOISE_MAP))
    return model, result


class TestFit:
    def test_the_fit_recovers_the_simulated_gaussian(self, collection_fit):
        _, result = collection_fit
        median = result.samples.median_pdf()
        lower, upper = result.samples.errors_at_sigma(3.0).gaussian.centre
        assert median.gaussian.centre - 2 * lower < 50.0 < median.gaussian.centre + 2 * upper
        assert median.time == 2.0 and median.nothing is None

    def test_fwhm_latent_is_computed_for_every_pdf_sample(self, collection_fit):
        _, result = collection_fit
        parameters, weights = result.samples.pdf()
        latent = result.latent_samples
        assert latent.model.joined_paths == ["gaussian.fwhm"]
        np.testing.assert_allclose(latent.parameters[:, 0], FWHM_PER_SIGMA * parameters[:, 2])
        np.testing.assert_allclose(latent.weights, weights)
        assert latent.median_pdf().gaussian.fwhm == pytest.approx(
            FWHM_PER_SIGMA * result.samples.median_pdf().gaussian.sigma, rel=1e-6
        )

    def test_fwhm_latent_is_written_and_reloaded(self, collection_fit):
        model, result = collection_fit
        csv = result.paths.files_path / "latent" / "samples.csv"
        assert csv.read_text().splitlines()[0].split(",")[0] == "gaussian.fwhm"
        again = emcee(paths=af.DirectoryPaths(name="example", output_root=result.paths.output_root))
        reloaded = again.fit(model=model, analysis=af.ex.Analysis(DATA, NOISE_MAP))
        np.testing.assert_array_equal(
            reloaded.latent_samples.parameters, result.latent_samples.parameters
        )

    def test_result_gives_the_max_log_likelihood_model_data(self, collection_fit):
        _, result = collection_fit
        assert isinstance(result, af.ex.Result)
        expected = result.instance.gaussian.model_data_from(XVALUES)
        np.testing.assert_allclose(result.max_log_likelihood_model_data_1d, expected)
        residuals = (DATA - result.max_log_likelihood_model_data_1d) / NOISE_MAP
        assert -0.5 * float(residuals @ residuals) == pytest.approx(result.log_likelihood)

    def test_result_without_analysis_says_so(self, collection_fit):
        _, result = collection_fit
        bare = af.ex.Result(samples=result.samples)
        with pytest.raises(ValueError, match="needs the analysis"):
            _ = bare.max_log_likelihood_model_data_1d


def test_a_model_single_gaussian_has_the_fwhm_latent():
    result = af.Drawer(total_draws=30, seed=2, silence=True).fit(
        model=gaussian_prior_model(), analysis=af.ex.Analysis(DATA, NOISE_MAP)
    )
    np.testing.assert_allclose(
        result.latent_samples.parameters[:, 0], FWHM_PER_SIGMA * result.samples.parameters[:, 2]
    )


def test_a_model_without_a_gaussian_has_no_latent_samples():
    exponential = af.Model(af.ex.Exponential)
    exponential.centre = af.UniformPrior(lower_limit=40.0, upper_limit=60.0)
    exponential.normalization = af.UniformPrior(lower_limit=1.0, upper_limit=10.0)
    exponential.rate = af.UniformPrior(lower_limit=0.01, upper_limit=1.0)
    result = af.Drawer(total_draws=10, seed=2, silence=True).fit(
        model=af.Collection(exponential=exponential), analysis=af.ex.Analysis(DATA, NOISE_MAP)
    )
    assert result.latent_samples is None
    analysis = af.ex.Analysis(DATA, NOISE_MAP)
    with pytest.raises(ValueError, match="no component with a fwhm"):
        analysis.compute_latent_variables([50.0, 5.0, 0.1], af.Collection(exponential=exponential))


def test_data_and_noise_map_are_read_only_copies_kept_through_pickling():
    import pickle

    data, noise_map = np.linspace(0.0, 1.0, 10), np.full(10, 0.5)
    analysis = af.ex.Analysis(data, noise_map)
    data[0] = 5.0  # the caller's array is not the analysis's
    assert analysis.data[0] == 0.0
    with pytest.raises(ValueError, match="read-only"):
        analysis.data[1] = 1.0
    model = af.Model(af.ex.Gaussian)
    batch = model.compiled.batch_instance(np.array([[4.0, 1.0, 2.0], [6.0, 2.0, 3.0]]))
    values = analysis.log_likelihood_function_batch(batch)
    copy = pickle.loads(pickle.dumps(analysis))
    assert not copy.data.flags.writeable and not copy.noise_map.flags.writeable
    np.testing.assert_array_equal(copy.log_likelihood_function_batch(batch), values)


def test_the_batch_likelihood_follows_replaced_data():
    model = af.Model(af.ex.Gaussian)
    vectors = np.array([[4.0, 1.0, 2.0], [6.0, 2.0, 3.0], [5.0, 3.0, 1.0]])
    batch = model.compiled.batch_instance(vectors)
    analysis = af.ex.Analysis(np.linspace(0.0, 1.0, 10), np.full(10, 0.5))
    analysis.log_likelihood_function_batch(batch)
    for data in (np.linspace(1.0, 2.0, 10), np.linspace(2.0, 3.0, 10).tolist()):
        # A new array (writeable, or read-only as made by __init__) replaces the repeated one.
        analysis.data = np.array(data) if isinstance(data, list) else data
        expected = [
            analysis.log_likelihood_function(model.instance_from_vector(vector.tolist()))
            for vector in vectors
        ]
        np.testing.assert_allclose(
            analysis.log_likelihood_function_batch(batch), expected, rtol=1e-12
        )
        analysis.data = np.asarray(data, dtype=float).copy()
        analysis.data.flags.writeable = False
        np.testing.assert_allclose(
            analysis.log_likelihood_function_batch(batch), expected, rtol=1e-12
        )


def test_a_subclass_that_sets_its_own_data_keeps_the_batch_likelihood():
    class OwnData(af.ex.Analysis):
        def __init__(self, data, noise_map):  # does not call af.ex.Analysis.__init__
            af.Analysis.__init__(self)
            self.data = data
            self.noise_map = noise_map
            self.xvalues = np.arange(len(data), dtype=float)

    model = af.Model(af.ex.Gaussian)
    vectors = np.array([[4.0, 1.0, 2.0], [6.0, 2.0, 3.0]])
    batch = model.compiled.batch_instance(vectors)
    for data in (np.linspace(0.0, 1.0, 10), list(np.linspace(0.0, 1.0, 10))):
        analysis = OwnData(data, np.full(10, 0.5))
        expected = [
            analysis.log_likelihood_function(model.instance_from_vector(vector.tolist()))
            for vector in vectors
        ]
        np.testing.assert_allclose(
            analysis.log_likelihood_function_batch(batch), expected, rtol=1e-12
        )
