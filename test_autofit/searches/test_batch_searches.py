"""Every search that proposes several points at once evaluates them through Fitness.call_batch:
the analysis's batch method is called, the truth is recovered, and the samples are those of the
point-by-point path."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.analysis.fitness import Fitness
from autofit.parallel import FunctionPool
from autofit.searches.emcee_vectorized import vectorized_sample

NO_CONVERGENCE_CHECK = af.AutoCorrelationsSettings(check_for_convergence=False)


class BatchAnalysis(af.ex.Analysis):
    """The example chi-squared of one Gaussian, counting point and batch calls."""

    def __init__(self, data, noise_map):
        super().__init__(data, noise_map)
        self.point_calls = self.batch_calls = self.batch_rows = 0

    def log_likelihood_function(self, instance):
        self.point_calls += 1
        return af.ex.Analysis.log_likelihood_function(self, instance)

    def log_likelihood_function_batch(self, instances):
        self.batch_calls += 1
        self.batch_rows += len(instances.centre)
        residuals = (self.data - instances.model_data_batch_from(self.xvalues)) / self.noise_map
        return -0.5 * np.einsum("ij,ij->i", residuals, residuals)


class PointwiseAnalysis(af.ex.Analysis):
    """The example analysis without its batch method: batches are evaluated point by point."""

    log_likelihood_function_batch = None


def assert_recovers(samples, exact, sigmas=4.0):
    median = np.array(samples.median_pdf(as_instance=False))
    assert np.all(np.abs(median - exact.parameters) < sigmas * exact.errors), (
        median,
        exact.parameters,
    )


def emcee(**kwargs):
    settings = {"nwalkers": 16, "nsteps": 250, "seed": 4, "silence": True}
    return af.Emcee(**{**settings, "auto_correlation_settings": NO_CONVERGENCE_CHECK, **kwargs})


def test_vectorized_sample_steps_the_chain_of_emcee_itself():
    emcee_module = pytest.importorskip("emcee")

    def log_prob(point):
        return -0.5 * float(point @ point) - 0.1 * float(point[0] ** 4)

    start = np.random.default_rng(0).normal(size=(12, 3))
    reference = emcee_module.EnsembleSampler(12, 3, log_prob)
    reference.random_state = np.random.RandomState(7).get_state()
    reference.run_mcmc(start, 60)
    stepped = emcee_module.EnsembleSampler(12, 3, log_prob, vectorize=True)
    stepped.random_state = np.random.RandomState(7).get_state()

    def batch(points):
        return np.array([log_prob(point) for point in points])

    for _ in vectorized_sample(stepped, start, 60, batch):
        pass
    np.testing.assert_array_equal(stepped.get_chain(), reference.get_chain())
    np.testing.assert_array_equal(stepped.get_log_prob(), reference.get_log_prob())
    np.testing.assert_array_equal(stepped.backend.accepted, reference.backend.accepted)
    assert stepped.backend.random_state[2] == reference.backend.random_state[2]


def test_emcee_vectorize_uses_the_batch_method_and_gives_the_per_point_chain(data, model, exact):
    batch = BatchAnalysis(*data)
    result = emcee(vectorize=True).fit(model=model, analysis=batch)
    assert batch.point_calls == 0
    # One batch for the initial walkers, one for emcee's first log probabilities, then one
    # per half of the ensemble at every step.
    assert batch.batch_calls == 2 + 2 * 250
    assert_recovers(result.samples, exact)
    per_point = emcee().fit(model=model, analysis=af.ex.Analysis(*data))
    np.testing.assert_array_equal(result.samples.parameters, per_point.samples.parameters)
    pointwise = emcee(vectorize=True).fit(model=model, analysis=PointwiseAnalysis(*data))
    np.testing.assert_array_equal(pointwise.samples.parameters, per_point.samples.parameters)
    np.testing.assert_array_equal(
        pointwise.samples.log_likelihood, per_point.samples.log_likelihood
    )
    assert af.Emcee(vectorize=True).identifier(model) == af.Emcee().identifier(model)


def test_batches_are_split_over_the_workers(data, model):
    fitness = Fitness(model, af.ex.Analysis(*data))
    rng = np.random.default_rng(2)
    vectors = np.array([model.vector_from_unit_vector(rng.random(3).tolist()) for _ in range(9)])
    vectors[4, 0] = -1.0  # outside the prior of the centre
    with FunctionPool(fitness, 2) as pool:
        values = pool.map_batch(vectors)
    np.testing.assert_array_equal(values, Fitness(model, af.ex.Analysis(*data)).call_batch(vectors))
    assert fitness.calls == 9
    serial = emcee(vectorize=True, nsteps=60).fit(model=model, analysis=af.ex.Analysis(*data))
    pooled = emcee(vectorize=True, nsteps=60, number_of_cores=2).fit(
        model=model, analysis=af.ex.Analysis(*data)
    )
    np.testing.assert_array_equal(pooled.samples.parameters, serial.samples.parameters)


def test_zeus_vectorize_uses_the_batch_method(data, model, exact):
    pytest.importorskip("zeus")
    batch = BatchAnalysis(*data)
    settings = {"nwalkers": 10, "nsteps": 100, "seed": 1, "silence": True}
    result = af.Zeus(vectorize=True, **settings).fit(model=model, analysis=batch)
    assert batch.point_calls == 0 and batch.batch_calls > 100
    assert_recovers(result.samples, exact)
    pointwise = af.Zeus(vectorize=True, **settings).fit(
        model=model, analysis=PointwiseAnalysis(*data)
    )
    per_point = af.Zeus(**settings).fit(model=model, analysis=PointwiseAnalysis(*data))
    np.testing.assert_array_equal(pointwise.samples.parameters, per_point.samples.parameters)


def test_nautilus_vectorized_uses_the_batch_method(data, exact):
    pytest.importorskip("nautilus")
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(40.0, 60.0)
    model.normalization = af.UniformPrior(15.0, 35.0)
    model.sigma = af.UniformPrior(5.0, 15.0)
    batch = BatchAnalysis(*data)
    search = af.Nautilus(n_live=50, n_networks=0, n_eff=200, vectorized=True, seed=1, silence=True)
    result = search.fit(model=model, analysis=batch)
    assert batch.point_calls == 0
    assert batch.batch_calls > 5 and batch.batch_rows > 1000
    assert_recovers(result.samples, exact)


@pytest.mark.parametrize(
    ("search", "live"),
    [
        (af.DynestyStatic(nlive=60, seed=3, silence=True), 60),
        # Uniform sampling reaches the posterior within maxcall (random walks need more calls).
        (
            af.DynestyDynamic(nlive_init=60, sample="unif", maxcall=4000, seed=3, silence=True),
            60,
        ),
    ],
)
def test_dynesty_evaluates_its_lists_of_points_as_batches(data, model, exact, search, live):
    batch = BatchAnalysis(*data)
    result = search.fit(model=model, analysis=batch)
    # The live points are one batch; dynesty's proposals evaluate one point at a time.
    assert batch.batch_calls >= 1 and batch.batch_rows >= live
    assert batch.point_calls > 0
    assert_recovers(result.samples, exact)


def test_dynesty_samples_are_unchanged_for_an_analysis_without_batch_method(data, model):
    class Counting(PointwiseAnalysis):
        calls = 0

        def log_likelihood_function(self, instance):
            Counting.calls += 1
            return super().log_likelihood_function(instance)

    # Uniform sampling: dynesty's call count of a random walk also counts its proposals outside
    # the unit cube, which are never evaluated.
    first = af.DynestyDynamic(nlive_init=40, sample="unif", maxcall=1500, seed=5, silence=True)
    result = first.fit(model=model, analysis=Counting(*data))
    calls = Counting.calls
    again = af.DynestyDynamic(nlive_init=40, sample="unif", maxcall=1500, seed=5, silence=True)
    repeated = again.fit(model=model, analysis=PointwiseAnalysis(*data))
    np.testing.assert_array_equal(result.samples.parameters, repeated.samples.parameters)
    assert calls >= result.samples.samples_info["total_likelihood_calls"] - 1


def test_the_drawer_evaluates_its_draws_as_one_batch(data, model):
    batch = BatchAnalysis(*data)
    result = af.Drawer(total_draws=40, seed=2).fit(model=model, analysis=batch)
    assert (batch.batch_calls, batch.batch_rows, batch.point_calls) == (1, 40, 0)
    pointwise = af.Drawer(total_draws=40, seed=2).fit(
        model=model, analysis=PointwiseAnalysis(*data)
    )
    np.testing.assert_array_equal(result.samples.parameters, pointwise.samples.parameters)
    np.testing.assert_allclose(
        result.samples.log_likelihood, pointwise.samples.log_likelihood, rtol=1e-13
    )


def test_initializers_draw_their_points_in_batches_and_redraw_rejected_ones(data, model):
    model.add_assertion(model.centre > 30.0)
    batch = BatchAnalysis(*data)
    rng = np.random.default_rng(8)
    units, vectors, values = af.InitializerPrior().samples_from_model(
        20, model, Fitness(model, batch), rng
    )
    assert batch.point_calls == 0 and batch.batch_calls >= 2  # rejected points were redrawn
    assert len(vectors) == 20 and all(vector[0] > 30.0 for vector in vectors)
    again = af.InitializerPrior().samples_from_model(
        20, model, Fitness(model, PointwiseAnalysis(*data)), np.random.default_rng(8)
    )
    assert again[1] == vectors and again[0] == units
    np.testing.assert_allclose(again[2], values, rtol=1e-13)


class Interrupted(BaseException):
    """Stands in for a kill: not an ``Exception``, so nothing on the way catches it."""


class InterruptedBatches(BatchAnalysis):
    """Interrupts the fit at its ``limit``-th batch."""

    def __init__(self, data, noise_map, limit):
        super().__init__(data, noise_map)
        self.limit = limit

    def log_likelihood_function_batch(self, instances):
        if self.batch_calls >= self.limit:
            raise Interrupted
        return super().log_likelihood_function_batch(instances)


def test_an_interrupted_vectorized_emcee_fit_resumes_to_the_uninterrupted_chain(data, model):
    def search():
        return emcee(vectorize=True, nsteps=120, name="resume", iterations_per_update=50)

    with pytest.raises(Interrupted):
        search().fit(model=model, analysis=InterruptedBatches(*data, limit=2 + 2 * 70))
    resumed_analysis = BatchAnalysis(*data)
    resumed = search().fit(model=model, analysis=resumed_analysis)
    # The chain continued from the checkpoint after step 50, with its random state.
    assert resumed_analysis.batch_calls == 2 * 70
    uninterrupted = emcee(vectorize=True, nsteps=120).fit(
        model=model, analysis=BatchAnalysis(*data)
    )
    np.testing.assert_array_equal(resumed.samples.parameters, uninterrupted.samples.parameters)
