"""Tests of ``af.AnalysisFactor`` and ``af.FactorGraphModel``: several datasets fitted together."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

import autofit as af
import autofit.graphical
from autofit.analysis.fitness import Fitness

TRUE_SIGMA = 8.0
DATA_0 = af.ex.simulate_data([af.ex.Gaussian(30.0, 25.0, TRUE_SIGMA)], noise=0.1, seed=1)
DATA_1 = af.ex.simulate_data([af.ex.Gaussian(70.0, 40.0, TRUE_SIGMA)], noise=0.1, seed=2)


def joint_best_fit():
    """The maximum-likelihood (centre_0, normalization_0, centre_1, normalization_1, sigma) of
    the two datasets with one shared sigma, from scipy's least squares."""
    xvalues = np.arange(100.0)

    def residuals(p):
        centre_0, normalization_0, centre_1, normalization_1, sigma = p
        model_0 = af.ex.Gaussian(centre_0, normalization_0, sigma).model_data_from(xvalues)
        model_1 = af.ex.Gaussian(centre_1, normalization_1, sigma).model_data_from(xvalues)
        return np.concatenate(
            [(DATA_0[0] - model_0) / DATA_0[1], (DATA_1[0] - model_1) / DATA_1[1]]
        )

    return least_squares(residuals, [31.0, 24.0, 69.0, 41.0, 7.5], xtol=1e-12, ftol=1e-12).x


def make_graph():
    sigma = af.UniformPrior(1.0, 20.0)
    model_0 = af.Model(
        af.ex.Gaussian,
        centre=af.UniformPrior(10.0, 50.0),
        normalization=af.UniformPrior(5.0, 60.0),
        sigma=sigma,
    )
    model_1 = af.Model(
        af.ex.Gaussian,
        centre=af.UniformPrior(50.0, 90.0),
        normalization=af.UniformPrior(5.0, 60.0),
        sigma=sigma,
    )
    analysis_0 = af.ex.Analysis(*DATA_0)
    analysis_1 = af.ex.Analysis(*DATA_1)
    graph = af.FactorGraphModel(
        af.AnalysisFactor(model_0, analysis_0), af.AnalysisFactor(model_1, analysis_1)
    )
    return graph, (model_0, model_1), (analysis_0, analysis_1), sigma


VECTOR = [32.0, 20.0, 8.5, 68.0, 45.0]  # 0.centre, 0.normalization, 0.sigma, 1.centre, 1.norm.


class TestGlobalPriorModel:
    def test_public_names(self):
        assert af.AnalysisFactor is autofit.graphical.AnalysisFactor
        assert af.FactorGraphModel is autofit.graphical.FactorGraphModel

    def test_shared_prior_is_counted_once(self):
        graph, (model_0, model_1), _, sigma = make_graph()
        global_model = graph.global_prior_model
        assert model_0.prior_count + model_1.prior_count == 6
        assert global_model.prior_count == 5
        assert global_model.priors.count(sigma) == 1
        assert global_model.joined_paths == [
            "0.centre",
            "0.normalization",
            "0.sigma",
            "1.centre",
            "1.normalization",
        ]

    def test_instance_shares_the_sigma_value(self):
        graph, *_ = make_graph()
        instance = graph.global_prior_model.instance_from_vector(VECTOR)
        assert (instance[0].centre, instance[1].centre) == (32.0, 68.0)
        assert instance[0].sigma == instance[1].sigma == 8.5

    def test_needs_at_least_one_factor(self):
        with pytest.raises(ValueError):
            af.FactorGraphModel()


class TestLogLikelihood:
    def test_is_the_sum_of_the_factors(self):
        graph, _, (analysis_0, analysis_1), _ = make_graph()
        instance = graph.global_prior_model.instance_from_vector(VECTOR)
        expected = analysis_0.log_likelihood_function(
            instance=af.ex.Gaussian(32.0, 20.0, 8.5)
        ) + analysis_1.log_likelihood_function(instance=af.ex.Gaussian(68.0, 45.0, 8.5))
        assert graph.log_likelihood_function(instance=instance) == pytest.approx(
            expected, rel=1e-12
        )

    def test_fitness_counts_the_shared_log_prior_once(self):
        graph, _, (analysis_0, analysis_1), _ = make_graph()
        log_likelihood = analysis_0.log_likelihood_function(
            instance=af.ex.Gaussian(32.0, 20.0, 8.5)
        ) + analysis_1.log_likelihood_function(instance=af.ex.Gaussian(68.0, 45.0, 8.5))
        # Uniform densities: centres over widths 40, normalizations over 55, sigma over 19.
        log_prior = -2 * np.log(40.0) - 2 * np.log(55.0) - np.log(19.0)
        fitness = Fitness(graph.global_prior_model, graph)
        assert fitness(VECTOR) == pytest.approx(log_likelihood + log_prior, rel=1e-12)


@pytest.fixture(scope="module")
def graph_fit():
    graph, models, analyses, sigma = make_graph()
    search = af.LBFGS(maxiter=50, seed=1, silence=True)
    result = search.fit(model=graph.global_prior_model, analysis=graph)
    return graph, models, result


class TestFit:
    def test_result_is_a_list_with_one_result_per_factor(self, graph_fit):
        _, models, result = graph_fit
        assert len(result) == 2
        assert all(isinstance(factor_result, af.Result) for factor_result in result)
        assert result[0].samples.model is models[0]
        assert result[1].samples.model is models[1]
        assert [r.samples.model.prior_count for r in result] == [3, 3]

    def test_factor_results_share_the_sigma_value(self, graph_fit):
        _, _, result = graph_fit
        assert result[0].instance.sigma == result[1].instance.sigma

    def test_recovers_the_joint_maximum_likelihood(self, graph_fit):
        _, _, result = graph_fit
        centre_0, normalization_0, centre_1, normalization_1, sigma = joint_best_fit()
        first, second = result[0].instance, result[1].instance
        assert first.centre == pytest.approx(centre_0, abs=1e-3)
        assert second.centre == pytest.approx(centre_1, abs=1e-3)
        assert first.normalization == pytest.approx(normalization_0, rel=1e-3)
        assert second.normalization == pytest.approx(normalization_1, rel=1e-3)
        assert first.sigma == pytest.approx(sigma, rel=1e-3)
        # And the truth, within a few of the data's errors.
        assert first.centre == pytest.approx(30.0, abs=0.1)
        assert second.centre == pytest.approx(70.0, abs=0.1)
        assert first.sigma == pytest.approx(TRUE_SIGMA, abs=0.1)

    def test_global_instance_and_log_likelihood(self, graph_fit):
        graph, _, result = graph_fit
        instance = result.instance
        assert instance[0].centre == result[0].instance.centre
        assert instance[1].centre == result[1].instance.centre
        assert result.log_likelihood == pytest.approx(
            graph.log_likelihood_function(instance=instance), rel=1e-9
        )

    def test_factor_samples_are_the_columns_of_the_global_samples(self, graph_fit):
        _, _, result = graph_fit
        parameters = result.samples.parameters
        np.testing.assert_array_equal(result[0].samples.parameters, parameters[:, [0, 1, 2]])
        np.testing.assert_array_equal(result[1].samples.parameters, parameters[:, [3, 4, 2]])


class TestMCMCFit:
    def test_factor_samples_have_their_own_autocorrelation_times(self):
        graph, _, _, _ = make_graph()
        search = af.Emcee(
            nwalkers=12,
            nsteps=30,
            auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
            seed=1,
            silence=True,
        )
        result = search.fit(model=graph.global_prior_model, analysis=graph)
        global_times = result.samples.auto_correlation_times
        assert global_times.shape == (5,)
        np.testing.assert_allclose(
            result[0].samples.auto_correlation_times, global_times[[0, 1, 2]]
        )
        np.testing.assert_allclose(
            result[1].samples.auto_correlation_times, global_times[[3, 4, 2]]
        )
        assert result[0].samples.nwalkers == 12
        np.testing.assert_array_equal(
            result[1].samples.chain, result.samples.chain[:, :, [3, 4, 2]]
        )


class TestFitWithOutput:
    def test_completed_graph_fit_reloads_per_factor_results(self, tmp_path):
        graph, _, _, _ = make_graph()

        def search():
            paths = af.DirectoryPaths(name="graph", output_root=tmp_path)
            return af.LBFGS(maxiter=50, seed=1, silence=True, paths=paths)

        first = search().fit(model=graph.global_prior_model, analysis=graph)
        assert first[0].paths.is_complete
        second = search().fit(model=graph.global_prior_model, analysis=graph)
        assert len(second) == 2
        assert second[0].instance.centre == first[0].instance.centre
        assert second[1].instance.sigma == first[1].instance.sigma

    def test_every_factor_keeps_its_saved_attributes(self, tmp_path):
        graph, _, _, _ = make_graph()
        paths = af.DirectoryPaths(name="graph", output_root=tmp_path)
        result = af.Drawer(total_draws=10, seed=1, silence=True, paths=paths).fit(
            model=graph.global_prior_model, analysis=graph
        )
        files = result[0].paths.output_path / "files"
        saved = [np.load(path) for path in files.rglob("*.npy")]
        assert any(np.array_equal(array, DATA_0[0]) for array in saved), (
            "the data of factor 0 was not kept"
        )
        assert any(np.array_equal(array, DATA_1[0]) for array in saved), (
            "the data of factor 1 was not kept"
        )
