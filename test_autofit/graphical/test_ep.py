"""Expectation propagation on factor graphs: accuracy against exact posteriors, failures,
output and resume, parallel updates."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.exc import FitException, PriorException

BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "graphical_ep.py"


@pytest.fixture(scope="module")
def bench():
    """The benchmark module: its simulation and exact posterior integration."""
    spec = importlib.util.spec_from_file_location("graphical_ep_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestExactPosterior:
    @pytest.mark.parametrize("seed", [0, 1])
    def test_ep_matches_the_exact_hierarchical_posterior(self, bench, seed):
        """N=10 datasets, one centre each, hierarchical Gaussian population: EP's population
        mean and width and every centre are within 0.5 exact posterior sd of the exact
        posterior means (integrated on a grid)."""
        report = bench.exact_comparison(size=10, seed=seed)
        assert abs(report["mean"]["offset_sd"]) < 0.5
        assert abs(report["sigma"]["offset_sd"]) < 0.5
        assert report["largest_centre_offset_sd"] < 0.5
        # The widths agree too (within 30%).
        for name in ("mean", "sigma"):
            assert report[name]["ep_sd"] == pytest.approx(report[name]["exact_sd"], rel=0.3)


def three_parameter_graph(bench, size, seed, noise=0.2):
    centres, datasets = bench.simulate(size, seed, noise)
    graph, hierarchical, models = bench.build_graph(datasets, noise, free=3)
    return centres, graph, hierarchical, models


class TestThreeParameterFactors:
    def test_every_parameter_of_every_factor_is_updated(self, bench):
        """Factors with 3 free parameters move away from their priors and recover the truth."""
        centres, graph, hierarchical, models = three_parameter_graph(bench, 6, seed=3)
        result = graph.optimise(af.LaplaceOptimiser(), max_steps=6)
        field = result.updated_ep_mean_field.mean_field
        assert not result.stale_factors and not result.failed_factors
        for model, centre in zip(models, centres, strict=True):
            truths = {"centre": centre, "normalization": 25.0, "sigma": 10.0}
            for name, truth in truths.items():
                prior = getattr(model, name)
                prior_sd = (prior.upper_limit - prior.lower_limit) / math.sqrt(12.0)
                assert field.scale[prior] < 0.2 * prior_sd, name
                assert abs(field.mean[prior] - truth) < 4.0 * field.scale[prior], name
        summaries = {summary.name: summary for summary in result.factor_summaries}
        assert summaries["factor_0"].updates >= 2
        assert summaries["hierarchical_0[5]"].updates >= 2

    def test_population_recovered_within_three_standard_errors(self, bench):
        centres, graph, hierarchical, _ = three_parameter_graph(bench, 40, seed=11)
        result = graph.optimise(af.LaplaceOptimiser(), ep_history=af.EPHistory(kl_tol=0.05))
        field = result.mean_field
        mean, sigma = hierarchical.arguments["mean"], hierarchical.arguments["sigma"]
        assert result.is_converged
        assert abs(field.mean[mean] - 50.0) < 3.0 * field.scale[mean]
        assert abs(field.mean[sigma] - 10.0) < 3.0 * field.scale[sigma]

    def test_any_number_of_cores_gives_the_same_result(self, bench):
        _, graph, hierarchical, models = three_parameter_graph(bench, 4, seed=5)
        serial = graph.optimise(max_steps=2).mean_field
        parallel = graph.optimise(max_steps=2, number_of_cores=2).mean_field
        for prior in graph.global_prior_model.priors:
            assert parallel.mean[prior] == pytest.approx(serial.mean[prior], rel=1e-12)
            assert parallel.scale[prior] == pytest.approx(serial.scale[prior], rel=1e-12)


class Broken(af.ex.Analysis):
    """Raises in its likelihood for the first ``failures`` calls (all calls if None)."""

    def __init__(self, data, noise_map, failures=None, value=None):
        super().__init__(data, noise_map)
        self.failures = failures
        self.value = value
        self.calls = 0

    def log_likelihood_function(self, instance):
        self.calls += 1
        if self.value is not None:
            return self.value
        if self.failures is None or self.calls <= self.failures:
            raise ValueError("the likelihood broke")
        return super().log_likelihood_function(instance)


def small_graph(analyses, names=None):
    factors = []
    for index, analysis in enumerate(analyses):
        model = af.Model(
            af.ex.Gaussian,
            centre=af.UniformPrior(0.0, 100.0),
            normalization=25.0,
            sigma=10.0,
        )
        name = None if names is None else names[index]
        factors.append(af.AnalysisFactor(model, analysis, name=name))
    return af.FactorGraphModel(*factors), factors


def gaussian_data(centre, seed):
    return af.ex.simulate_data([af.ex.Gaussian(centre, 25.0, 10.0)], noise=0.2, seed=seed)


class TestFailures:
    def test_a_factor_never_updated_raises_naming_it(self):
        graph, _ = small_graph(
            [af.ex.Analysis(*gaussian_data(40.0, 1)), Broken(*gaussian_data(60.0, 2))],
            names=["good", "broken_one"],
        )
        with pytest.raises(FitException, match=r"never updated 1 factor\(s\): broken_one .*"):
            graph.optimise(max_steps=2)

    def test_allow_stale_returns_a_result_that_lists_the_factor(self):
        graph, factors = small_graph(
            [af.ex.Analysis(*gaussian_data(40.0, 1)), Broken(*gaussian_data(60.0, 2))],
            names=["good", "broken_one"],
        )
        result = graph.optimise(max_steps=2, allow_stale=True)
        assert result.stale_factors == ["broken_one"]
        summary = {s.name: s for s in result.factor_summaries}["broken_one"]
        assert summary.failures == 4  # 2 sweeps, each an attempt and a retry
        assert "the likelihood broke" in summary.last_error
        assert result.mean_field.mean[factors[0].prior_model.centre] == pytest.approx(40.0, abs=1)

    def test_a_failed_attempt_is_retried_in_the_same_sweep(self):
        broken = Broken(*gaussian_data(60.0, 2), failures=1)
        graph, factors = small_graph([broken])
        result = graph.optimise(max_steps=1)
        summary = result.factor_summaries[0]
        assert summary.updates == 1 and summary.failures == 1
        assert result.mean_field.mean[factors[0].prior_model.centre] == pytest.approx(60.0, abs=1)

    def test_an_unconstrained_parameter_is_reported_not_returned_as_its_prior(self):
        """A likelihood that ignores a parameter with a flat prior has a singular Hessian: the
        factor is reported, not silently left at its prior."""
        model = af.Model(
            af.ex.Gaussian,
            centre=af.UniformPrior(0.0, 100.0),
            normalization=af.UniformPrior(0.0, 100.0),
            sigma=10.0,
        )

        class IgnoresNormalization(af.ex.Analysis):
            def log_likelihood_function(self, instance):
                instance.normalization = 25.0
                return super().log_likelihood_function(instance)

        graph = af.FactorGraphModel(
            af.AnalysisFactor(model, IgnoresNormalization(*gaussian_data(50.0, 3)), name="flat")
        )
        with pytest.raises(FitException, match="flat .*not positive definite"):
            graph.optimise(max_steps=1)

    def test_non_finite_likelihood_is_a_failure(self):
        graph, _ = small_graph([Broken(*gaussian_data(60.0, 2), value=float("nan"))], ["nan"])
        with pytest.raises(FitException, match="nan .*not finite"):
            graph.optimise(max_steps=1)

    def test_unsupported_prior_names_it(self):
        class OddPrior(af.UniformPrior):
            pass

        from autofit.graphical.messages import message_for_prior

        assert type(message_for_prior(OddPrior(0.0, 1.0))).__name__ == "TruncatedNormalMessage"
        from autofit.priors.abstract import Prior

        with pytest.raises(PriorException, match="Prior .*has no message family"):
            message_for_prior(Prior())

    def test_drawn_variable_outside_the_graph(self):
        hierarchical = af.HierarchicalFactor(af.GaussianPrior, mean=af.UniformPrior(0, 1), sigma=1)
        hierarchical.add_drawn_variable(af.UniformPrior(0.0, 1.0))
        graph, _ = small_graph([af.ex.Analysis(*gaussian_data(40.0, 1))])
        with pytest.raises(ValueError, match="not a parameter of any AnalysisFactor"):
            af.FactorGraphModel(*graph.factors, hierarchical)


class TestOutputAndResume:
    def test_no_paths_writes_nothing(self, output_path):
        graph, _ = small_graph([af.ex.Analysis(*gaussian_data(40.0, 1))])
        graph.optimise(max_steps=2)
        assert not any(Path(output_path).rglob("*"))

    def test_paths_write_one_file_per_factor_and_resume(self, output_path):
        analyses = [af.ex.Analysis(*gaussian_data(c, s)) for s, c in enumerate((40.0, 55.0))]
        graph, _ = small_graph(analyses)
        paths = af.DirectoryPaths(name="ep", output_root=output_path)
        first = graph.optimise(paths=paths, max_steps=1, ep_history=af.EPHistory(kl_tol=1e-9))
        folder = Path(paths.output_path)
        assert first.sweeps == 1
        assert sorted(p.name for p in (folder / "factors").iterdir()) == [
            "factor_0.json",
            "factor_1.json",
        ]
        assert (folder / "ep_state.npz").exists()
        # A later run with more sweeps continues from sweep 1.
        graph_again, factors = small_graph(analyses)
        paths_again = af.DirectoryPaths(name="ep", output_root=output_path)
        history = af.EPHistory(kl_tol=1e-9)
        second = graph_again.optimise(paths=paths_again, max_steps=3, ep_history=history)
        assert Path(paths_again.output_path) == folder
        assert history.sweeps[0].sweep == 2  # continued after sweep 1
        assert second.sweeps == history.sweeps[-1].sweep
        assert second.is_converged  # these independent factors converge at once
        # A converged run is loaded, not run again.
        third = graph_again.optimise(
            paths=af.DirectoryPaths(name="ep", output_root=output_path), max_steps=3
        )
        assert third.sweeps == second.sweeps
        prior = factors[0].prior_model.centre
        assert third.mean_field.mean[prior] == second.mean_field.mean[prior]

    def test_an_interrupted_run_resumes_from_its_last_sweep(self, output_path):
        class Interrupting(af.ex.Analysis):
            calls = 0
            limit = None

            def log_likelihood_function(self, instance):
                Interrupting.calls += 1
                if Interrupting.limit is not None and Interrupting.calls > Interrupting.limit:
                    raise KeyboardInterrupt
                return super().log_likelihood_function(instance)

        data = gaussian_data(45.0, 4)
        graph, _ = small_graph([Interrupting(*data)])
        graph.optimise(max_steps=1)
        per_sweep = Interrupting.calls
        Interrupting.calls, Interrupting.limit = 0, per_sweep + 3  # early in sweep 2
        history = af.EPHistory(kl_tol=1e-12)
        with pytest.raises(KeyboardInterrupt):
            graph.optimise(
                paths=af.DirectoryPaths(name="ep", output_root=output_path),
                max_steps=4,
                ep_history=history,
            )
        assert [record.sweep for record in history.sweeps] == [1]
        Interrupting.limit = None
        resumed = af.EPHistory(kl_tol=1e-12)
        result = graph.optimise(
            paths=af.DirectoryPaths(name="ep", output_root=output_path),
            max_steps=4,
            ep_history=resumed,
        )
        assert resumed.sweeps[0].sweep == 2  # sweep 1 was not run again
        assert result.sweeps == resumed.sweeps[-1].sweep

    def test_a_different_graph_in_the_same_folder_is_refused(self, output_path):
        graph, _ = small_graph([af.ex.Analysis(*gaussian_data(40.0, 1))], names=["a"])
        paths = af.DirectoryPaths(name="ep", output_root=output_path)
        graph.optimise(paths=paths, max_steps=1)
        other, _ = small_graph([af.ex.Analysis(*gaussian_data(40.0, 1))], names=["b"])
        other_paths = af.DirectoryPaths(name="ep", output_root=output_path)
        other_paths.identifier = paths.identifier
        with pytest.raises(FitException, match="different graph"):
            other.optimise(paths=other_paths, max_steps=1)


class TestResult:
    def test_mean_field_instance_model_and_info(self):
        hierarchical = af.HierarchicalFactor(
            af.GaussianPrior,
            mean=af.GaussianPrior(mean=50.0, sigma=30.0),
            sigma=af.LogUniformPrior(lower_limit=1.0, upper_limit=100.0),
        )
        analyses = [af.ex.Analysis(*gaussian_data(c, s)) for s, c in enumerate((40, 50, 60))]
        graph, factors = small_graph(analyses)
        for factor in factors:
            hierarchical.add_drawn_variable(factor.prior_model.centre)
        graph = af.FactorGraphModel(*factors, hierarchical)
        result = graph.optimise(af.LaplaceOptimiser(), ep_history=af.EPHistory(kl_tol=0.05))
        field = result.updated_ep_mean_field.mean_field
        sigma = hierarchical.arguments["sigma"]
        assert isinstance(field[sigma], af.LogNormalMessage)
        assert isinstance(field[factors[0].prior_model.centre], af.TruncatedNormalMessage)
        assert isinstance(field[hierarchical.arguments["mean"]], af.NormalMessage)
        assert field.variance[sigma] == pytest.approx(field.scale[sigma] ** 2)
        instance = result.instance
        assert instance[0].centre == pytest.approx(field.mean[factors[0].prior_model.centre])
        assert instance.hierarchical_0.sigma == pytest.approx(field.mean[sigma])
        model = result.model
        assert isinstance(model.hierarchical_0.sigma, af.LogGaussianPrior)
        assert model.prior_count == graph.global_prior_model.prior_count
        assert "hierarchical_0[2]" in result.info and "0.centre" in result.info


class TestSearchAsOptimiser:
    def test_a_sampler_updates_a_factor(self):
        """A factor updated by a nested sampler (cavity as its prior) agrees with Laplace."""
        data = gaussian_data(47.0, 6)
        search = af.DynestyStatic(nlive=50, seed=1)
        model = af.Model(
            af.ex.Gaussian, centre=af.UniformPrior(0.0, 100.0), normalization=25.0, sigma=10.0
        )
        sampled = af.FactorGraphModel(
            af.AnalysisFactor(model, af.ex.Analysis(*data), optimiser=search)
        )
        by_search = sampled.optimise(max_steps=1).mean_field
        laplace = af.FactorGraphModel(af.AnalysisFactor(model, af.ex.Analysis(*data)))
        by_laplace = laplace.optimise(max_steps=1).mean_field
        centre = model.centre
        assert by_search.mean[centre] == pytest.approx(
            by_laplace.mean[centre], abs=0.5 * by_laplace.scale[centre]
        )
        assert by_search.scale[centre] == pytest.approx(by_laplace.scale[centre], rel=0.3)


class TestGlobalFitWithHierarchy:
    def test_hierarchical_density_is_part_of_the_global_likelihood(self):
        mean = af.GaussianPrior(mean=50.0, sigma=30.0)
        sigma = af.LogUniformPrior(lower_limit=1.0, upper_limit=100.0)
        hierarchical = af.HierarchicalFactor(af.GaussianPrior, mean=mean, sigma=sigma)
        analyses = [af.ex.Analysis(*gaussian_data(c, s)) for s, c in enumerate((40, 60))]
        graph, factors = small_graph(analyses)
        for factor in factors:
            hierarchical.add_drawn_variable(factor.prior_model.centre)
        graph = af.FactorGraphModel(*factors, hierarchical)
        model = graph.global_prior_model
        assert model.prior_count == 4
        assert model.priors[-2:] == [mean, sigma]  # hierarchical parameters last
        instance = model.instance_from_vector([41.0, 58.0, 49.0, 12.0])
        expected = sum(
            a.log_likelihood_function(instance[i]) for i, a in enumerate(analyses)
        ) + sum(
            -0.5 * ((c - 49.0) / 12.0) ** 2 - math.log(12.0 * math.sqrt(2 * math.pi))
            for c in (41.0, 58.0)
        )
        assert graph.log_likelihood_function(instance) == pytest.approx(expected)


class TestHierarchicalFactor:
    def test_distribution_families(self):
        log = af.HierarchicalFactor(af.LogGaussianPrior, mean=af.UniformPrior(0, 5), sigma=0.5)
        value = log.log_density(np.array([2.0]), mean=np.array([1.0]))[0]
        expected = (
            -0.5 * ((math.log(2.0) - 1.0) / 0.5) ** 2
            - math.log(0.5 * math.sqrt(2 * math.pi))
            - math.log(2.0)
        )
        assert value == pytest.approx(expected)
        uniform = af.HierarchicalFactor(
            af.UniformPrior, lower_limit=af.UniformPrior(0, 1), upper_limit=af.UniformPrior(2, 3)
        )
        density = uniform.log_density(
            np.array([1.5, 2.6]), lower_limit=np.array(0.5), upper_limit=np.array(2.5)
        )
        assert density[0] == pytest.approx(-math.log(2.0))
        assert density[1] == -math.inf
        gaussian = af.HierarchicalFactor(af.GaussianPrior, mean=0.0, sigma=af.UniformPrior(0, 5))
        assert gaussian.log_density(np.array([1.0]), sigma=np.array([-1.0]))[0] == -math.inf

    def test_bad_arguments(self):
        with pytest.raises(TypeError, match="no argument.*sigmaa"):
            af.HierarchicalFactor(af.GaussianPrior, mean=1.0, sigmaa=1.0)
        with pytest.raises(TypeError, match="must be a prior class"):
            af.HierarchicalFactor(af.Model, mean=1.0)
        hierarchical = af.HierarchicalFactor(af.GaussianPrior, mean=1.0, sigma=2.0)
        with pytest.raises(TypeError, match="needs a free parameter"):
            hierarchical.add_drawn_variable(3.0)

    def test_log_gaussian_population_by_ep(self, bench):
        """Positive drawn values from a log-Gaussian population with fitted mean and width."""
        rng = np.random.default_rng(2)
        widths = np.exp(rng.normal(math.log(8.0), 0.2, 12))
        hierarchical = af.HierarchicalFactor(
            af.LogGaussianPrior,
            mean=af.GaussianPrior(mean=2.0, sigma=1.0),
            sigma=af.LogUniformPrior(lower_limit=0.01, upper_limit=2.0),
        )
        factors = []
        for seed, width in enumerate(widths):
            data = af.ex.simulate_data([af.ex.Gaussian(50.0, 25.0, width)], noise=0.1, seed=seed)
            model = af.Model(
                af.ex.Gaussian,
                centre=50.0,
                normalization=25.0,
                sigma=af.LogUniformPrior(lower_limit=1.0, upper_limit=30.0),
            )
            hierarchical.add_drawn_variable(model.sigma)
            factors.append(af.AnalysisFactor(model, af.ex.Analysis(*data)))
        graph = af.FactorGraphModel(*factors, hierarchical)
        result = graph.optimise(ep_history=af.EPHistory(kl_tol=0.05), max_steps=8)
        field = result.mean_field
        mean = hierarchical.arguments["mean"]
        assert result.is_converged
        assert abs(field.mean[mean] - math.log(8.0)) < 3.0 * field.scale[mean]
        for factor, width in zip(factors, widths, strict=True):
            sigma = factor.prior_model.sigma
            assert abs(field.mean[sigma] - width) < 4.0 * field.scale[sigma]


class TestPriorFactors:
    def test_without_prior_factors_only_the_likelihood_informs(self):
        data = af.ex.simulate_data([af.ex.Gaussian(45.0, 25.0, 10.0)], noise=1.0, seed=8)

        def graph(include):
            model = af.Model(
                af.ex.Gaussian,
                centre=af.GaussianPrior(mean=50.0, sigma=1.0),
                normalization=25.0,
                sigma=10.0,
            )
            factor = af.AnalysisFactor(model, af.ex.Analysis(*data))
            return af.FactorGraphModel(factor, include_prior_factors=include), model

        with_priors, model = graph(True)
        pulled = with_priors.optimise(max_steps=1).mean_field
        without, bare_model = graph(False)
        bare = without.optimise(max_steps=1).mean_field
        # The likelihood alone puts the centre near 45 with a width of a few units; the prior
        # N(50, 1) pulls it to within about one unit of 50.
        assert abs(bare.mean[bare_model.centre] - 45.0) < 3.0 * bare.scale[bare_model.centre]
        assert abs(pulled.mean[model.centre] - 50.0) < 1.5
        assert pulled.scale[model.centre] < bare.scale[bare_model.centre]


class TestExecutors:
    def test_a_concurrent_futures_executor_gives_the_serial_result(self, bench):
        from concurrent.futures import ProcessPoolExecutor

        _, graph, _, _ = three_parameter_graph(bench, 3, seed=9)
        serial = graph.optimise(max_steps=2).mean_field
        with ProcessPoolExecutor(2) as executor:
            pooled = graph.optimise(max_steps=2, executor=executor).mean_field
        for prior in graph.global_prior_model.priors:
            assert pooled.mean[prior] == pytest.approx(serial.mean[prior], rel=1e-12)

    def test_a_dask_client_gives_the_serial_result(self, bench):
        distributed = pytest.importorskip("distributed", reason="pip install 'autofit[dask]'")
        _, graph, _, _ = three_parameter_graph(bench, 3, seed=9)
        serial = graph.optimise(max_steps=2).mean_field
        # A cluster of threads starts in a second; the updates travel through Dask all the same.
        with distributed.Client(
            processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as client:
            clustered = graph.optimise(max_steps=2, executor=client).mean_field
        for prior in graph.global_prior_model.priors:
            assert clustered.mean[prior] == pytest.approx(serial.mean[prior], rel=1e-12)

    def test_an_executor_that_is_not_one_is_refused(self, bench):
        _, graph, _, _ = three_parameter_graph(bench, 2, seed=9)
        with pytest.raises(TypeError, match="executor= takes None"):
            graph.optimise(max_steps=1, executor="processes")
