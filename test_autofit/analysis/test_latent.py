"""Tests of latent variables: ``LATENT_KEYS`` and ``compute_latent_variables`` through a fit."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autofit as af
from autofit.analysis.latent import compute_latent_samples, latent_model

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.5, seed=7)
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))  # 2.35482


class LatentAnalysis(af.ex.Analysis):
    LATENT_KEYS = ["fwhm"]

    def __init__(self):
        super().__init__(DATA, NOISE_MAP)
        self.likelihood_calls = 0

    def log_likelihood_function(self, instance):
        self.likelihood_calls += 1
        return super().log_likelihood_function(instance)

    def compute_latent_variables(self, parameters, model):
        instance = model.instance_from_vector(parameters)
        return (instance.gaussian.fwhm,)


def gaussian_model():
    return af.Collection(gaussian=af.Model(af.ex.Gaussian))


def emcee(tmp_path):
    return af.Emcee(
        nwalkers=10,
        nsteps=50,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        seed=2,
        silence=True,
        paths=af.DirectoryPaths(name="latent", output_root=tmp_path),
    )


@pytest.fixture(scope="module")
def latent_fit(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("latent")
    model = gaussian_model()
    result = emcee(tmp_path).fit(model=model, analysis=LatentAnalysis())
    return tmp_path, model, result


class TestLatentSamples:
    def test_median_fwhm_is_fwhm_per_sigma_times_median_sigma(self, latent_fit):
        _, _, result = latent_fit
        median_sigma = result.samples.median_pdf().gaussian.sigma
        median_fwhm = result.latent_samples.median_pdf().fwhm
        assert median_fwhm == pytest.approx(FWHM_PER_SIGMA * median_sigma, rel=1e-9)

    def test_one_latent_sample_per_posterior_sample(self, latent_fit):
        _, _, result = latent_fit
        parameters, weights = result.samples.pdf()
        latent = result.latent_samples
        assert latent.total_samples == parameters.shape[0]
        np.testing.assert_allclose(latent.parameters[:, 0], FWHM_PER_SIGMA * parameters[:, 2])
        np.testing.assert_allclose(latent.weights, weights)

    def test_latent_samples_are_written_beside_the_samples(self, latent_fit):
        _, _, result = latent_fit
        csv = result.paths.files_path / "latent" / "samples.csv"
        assert csv.is_file()
        header = csv.read_text().splitlines()[0].split(",")
        assert header[0] == "fwhm"

    def test_completed_fit_reloads_latent_samples(self, latent_fit):
        tmp_path, model, result = latent_fit
        analysis = LatentAnalysis()
        reloaded = emcee(tmp_path).fit(model=model, analysis=analysis)
        assert analysis.likelihood_calls <= 1
        assert reloaded.latent_samples is not None
        assert reloaded.latent_samples.median_pdf().fwhm == pytest.approx(
            result.latent_samples.median_pdf().fwhm, rel=1e-12
        )
        np.testing.assert_allclose(
            reloaded.latent_samples.parameters, result.latent_samples.parameters, rtol=1e-15
        )


class TestComputeLatentSamples:
    def test_no_latent_keys_gives_none(self):
        samples = af.Samples(
            gaussian_model(),
            parameters=[[50.0, 25.0, 10.0]],
            log_likelihood=[0.0],
            log_prior=[0.0],
        )

        class NoLatents(af.Analysis):
            pass

        assert compute_latent_samples(NoLatents(), samples) is None
        assert NoLatents().compute_latent_samples(samples) is None

    def test_dict_return_and_fit_exception_rows_are_dropped(self):
        class DictAnalysis(af.Analysis):
            LATENT_KEYS = ["fwhm", "twice.centre"]

            def compute_latent_variables(self, parameters, model):
                centre, _, sigma = parameters
                if sigma > 20.0:
                    raise af.exc.FitException("too wide")
                return {"twice.centre": 2.0 * centre, "fwhm": FWHM_PER_SIGMA * sigma}

        samples = af.Samples(
            gaussian_model(),
            parameters=[[50.0, 25.0, 10.0], [40.0, 25.0, 22.0], [30.0, 25.0, 5.0]],
            log_likelihood=[0.0, 0.0, 0.0],
            log_prior=[0.0, 0.0, 0.0],
            weights=[0.5, 0.25, 0.25],
        )
        latent = compute_latent_samples(DictAnalysis(), samples)
        np.testing.assert_allclose(
            latent.parameters, [[FWHM_PER_SIGMA * 10.0, 100.0], [FWHM_PER_SIGMA * 5.0, 60.0]]
        )
        np.testing.assert_allclose(latent.weights, [2.0 / 3.0, 1.0 / 3.0])
        assert latent.max_log_likelihood().twice.centre == 100.0

    def test_wrong_number_of_values_names_the_keys(self):
        class WrongAnalysis(af.Analysis):
            LATENT_KEYS = ["a", "b"]

            def compute_latent_variables(self, parameters, model):
                return (1.0,)

        samples = af.Samples(
            gaussian_model(), parameters=[[50.0, 25.0, 10.0]], log_likelihood=[0.0], log_prior=[0.0]
        )
        with pytest.raises(ValueError, match=r"\['a', 'b'\]"):
            compute_latent_samples(WrongAnalysis(), samples)

    def test_latent_model_nests_dotted_keys(self):
        model = latent_model(["fwhm", "profile.area"])
        assert model.joined_paths == ["fwhm", "profile.area"]

    def test_latent_model_keeps_other_compiled_models(self):
        fitted = gaussian_model()
        compiled = fitted.compiled
        model = latent_model(["fwhm", "profile.area", "profile.width"])
        assert model.joined_paths == ["fwhm", "profile.area", "profile.width"]
        assert fitted.compiled is compiled


class TestComputeLatentSamplesMethod:
    def test_method_is_the_module_function(self):
        samples = af.Samples(
            gaussian_model(),
            parameters=[[50.0, 25.0, 10.0], [52.0, 25.0, 4.0]],
            log_likelihood=[0.0, -1.0],
            log_prior=[0.0, 0.0],
        )
        latent = LatentAnalysis().compute_latent_samples(samples)
        np.testing.assert_allclose(latent.parameters[:, 0], FWHM_PER_SIGMA * np.array([10.0, 4.0]))
        batched = LatentAnalysis().compute_latent_samples(samples, batch_size=1)
        np.testing.assert_array_equal(batched.parameters, latent.parameters)

    def test_the_fit_calls_an_overridden_method(self, tmp_path):
        class HalvedLatents(LatentAnalysis):
            def compute_latent_samples(self, samples):
                latent = super().compute_latent_samples(samples)
                latent.parameters = latent.parameters / 2.0
                return latent

        result = emcee(tmp_path).fit(model=gaussian_model(), analysis=HalvedLatents())
        parameters, _ = result.samples.pdf()
        np.testing.assert_allclose(
            result.latent_samples.parameters[:, 0], FWHM_PER_SIGMA * parameters[:, 2] / 2.0
        )
        csv = result.paths.files_path / "latent" / "samples.csv"
        first_row = csv.read_text().splitlines()[1].split(",")
        assert float(first_row[0]) == pytest.approx(result.latent_samples.parameters[0, 0])
