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


def correlated_gaussian():
    """A 3D Gaussian with correlated parameters: its covariance and a batch log density."""
    covariance = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, -0.2], [0.0, -0.2, 0.25]])
    precision = np.linalg.inv(covariance)

    def batch(points):
        return -0.5 * np.einsum("ij,jk,ik->i", points, precision, points)

    return covariance, batch


def stepped_sampler(emcee_module, nwalkers, ndim, batch, seed):
    sampler = emcee_module.EnsembleSampler(nwalkers, ndim, batch, vectorize=True)
    sampler.random_state = np.random.RandomState(seed).get_state()
    return sampler


@pytest.mark.parametrize(
    "nwalkers, steps",
    [(32, 3000), (81, 1200)],  # proposals by matrix products, and by indexing (odd ensemble)
)
def test_vectorized_sample_draws_from_the_target_distribution(nwalkers, steps):
    emcee_module = pytest.importorskip("emcee")
    covariance, batch = correlated_gaussian()
    start = np.random.default_rng(0).normal(scale=0.1, size=(nwalkers, 3))
    sampler = stepped_sampler(emcee_module, nwalkers, 3, batch, seed=7)
    for _ in vectorized_sample(sampler, start, steps, batch):
        pass
    chain = sampler.get_chain(discard=steps // 6)  # (steps, walkers, parameters)
    samples = chain.reshape(-1, 3)
    # Standard errors from the means of 25 blocks of consecutive steps (correlated draws).
    blocks = np.array_split(chain, 25)
    block_means = np.array([block.reshape(-1, 3).mean(axis=0) for block in blocks])
    standard_error = block_means.std(axis=0, ddof=1) / np.sqrt(25)
    assert np.all(np.abs(samples.mean(axis=0)) < 4.0 * standard_error), (
        samples.mean(axis=0),
        standard_error,
    )
    np.testing.assert_allclose(np.cov(samples.T), covariance, atol=0.08)
    # The stored log probabilities are those of the stored positions.
    np.testing.assert_allclose(sampler.get_log_prob(discard=steps // 6).reshape(-1), batch(samples))
    # The acceptance counts are the moves of each walker.
    positions = np.concatenate([start[None], sampler.get_chain()])
    moves = np.any(np.diff(positions, axis=0) != 0, axis=2).sum(axis=0)
    np.testing.assert_array_equal(sampler.backend.accepted, moves)
    assert 0.3 < np.mean(sampler.acceptance_fraction) < 0.9


def test_vectorized_sample_gives_one_chain_whatever_the_blocks():
    emcee_module = pytest.importorskip("emcee")
    _, batch = correlated_gaussian()
    start = np.random.default_rng(1).normal(size=(12, 3))
    whole = stepped_sampler(emcee_module, 12, 3, batch, seed=3)
    for _ in vectorized_sample(whole, start, 60, batch):
        pass
    split = stepped_sampler(emcee_module, 12, 3, batch, seed=3)
    state = start
    for block in (25, 35):
        for _ in vectorized_sample(split, state, block, batch):
            pass
        state = split.get_last_sample()
    np.testing.assert_array_equal(split.get_chain(), whole.get_chain())
    np.testing.assert_array_equal(split.get_log_prob(), whole.get_log_prob())
    np.testing.assert_array_equal(split.backend.accepted, whole.backend.accepted)
    assert split.backend.random_state[2] == whole.backend.random_state[2]
    other = stepped_sampler(emcee_module, 12, 3, batch, seed=4)
    for _ in vectorized_sample(other, start, 60, batch):
        pass
    assert not np.array_equal(other.get_chain(), whole.get_chain())


def test_vectorized_sample_rejects_bad_starts():
    emcee_module = pytest.importorskip("emcee")
    _, batch = correlated_gaussian()
    sampler = stepped_sampler(emcee_module, 8, 3, batch, seed=1)
    start = np.random.default_rng(2).normal(size=(8, 3))
    with pytest.raises(ValueError, match="incompatible input dimensions"):
        next(vectorized_sample(sampler, start[:6], 5, batch))
    start[2, 1] = np.nan
    with pytest.raises(ValueError, match="infinite or NaN"):
        next(vectorized_sample(sampler, start, 5, batch))


def test_emcee_vectorize_uses_the_batch_method(data, model, exact):
    batch = BatchAnalysis(*data)
    result = emcee(vectorize=True).fit(model=model, analysis=batch)
    assert batch.point_calls == 0
    # One batch for the initial walkers, one for the sampler's first log probabilities, then
    # one per half of the ensemble at every step.
    assert batch.batch_calls == 2 + 2 * 250
    assert_recovers(result.samples, exact)
    per_point = emcee().fit(model=model, analysis=af.ex.Analysis(*data))
    assert_recovers(per_point.samples, exact)
    # An analysis without a batch method is evaluated point by point along the same chain.
    pointwise = emcee(vectorize=True).fit(model=model, analysis=PointwiseAnalysis(*data))
    np.testing.assert_array_equal(pointwise.samples.parameters, result.samples.parameters)
    np.testing.assert_allclose(
        pointwise.samples.log_likelihood, result.samples.log_likelihood, rtol=1e-12
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
    np.testing.assert_allclose(pooled.samples.parameters, serial.samples.parameters, rtol=1e-12)


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
