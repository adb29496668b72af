"""Tests of the optional samplers af.Nautilus, af.UltraNest and af.Zeus and their shared helpers."""

from __future__ import annotations

import json
import logging
import random
import re
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.analysis.fitness import Fitness
from autofit.parallel import SerialPool
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.nautilus import log_evidence_error, sampler_defaults
from autofit.searches.optional import (
    BatchFitness,
    BatchPool,
    UnitCubeTransform,
    global_random_state,
    require,
    root_logger_preserved,
    seeded_random_state,
)
from autofit.searches.ultranest import UltraNestAdapter
from test_autofit.searches.analyses import CountingAnalysis

#: Uniform priors around the simulated Gaussian (50, 25, 10): the posterior (widths 0.33, 0.72,
#: 0.33) lies many standard deviations inside them, so it is the likelihood's, and nested
#: samplers need few shells to reach it.
BOUNDS = {"centre": (45.0, 55.0), "normalization": (20.0, 30.0), "sigma": (8.0, 12.0)}
PRIOR_VOLUME = 10.0 * 10.0 * 4.0

#: Why a test of an optional sampler is skipped: the package and the extra that installs it.
SKIP_REASON = '{module} is not installed: pip install -e ".[{extra}]"'


class PointwiseAnalysis(af.ex.Analysis):
    """af.ex.Analysis without its batch method: batches are evaluated point by point."""

    log_likelihood_function_batch = None


def narrow_model() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    for name, (lower, upper) in BOUNDS.items():
        setattr(model, name, af.UniformPrior(lower_limit=lower, upper_limit=upper))
    return model


def laplace_log_evidence(exact) -> float:
    """log Z of the Gaussian approximation of the likelihood at its maximum, inside the uniform
    prior: log L_max + (d / 2) log(2 pi) + log det(C) / 2 - log(prior volume). A run of nautilus
    with 5000 effective samples agrees with it to 0.03."""
    sign, log_det = np.linalg.slogdet(exact.covariance)
    assert sign > 0
    return exact.log_likelihood + 1.5 * np.log(2 * np.pi) + 0.5 * log_det - np.log(PRIOR_VOLUME)


class Interrupted(BaseException):
    """Stands in for a kill: not an ``Exception``, so nothing on the way catches it."""


class InterruptAfter(CountingAnalysis):
    """The example analysis, interrupting the fit at its ``limit``-th likelihood call."""

    def __init__(self, data, noise_map, limit: int) -> None:
        super().__init__(data, noise_map)
        self.limit = limit

    def log_likelihood_function(self, instance) -> float:
        if self.calls >= self.limit:
            raise Interrupted
        return super().log_likelihood_function(instance)


@dataclass
class Fit:
    result: af.Result
    root: Path
    calls: int

    @property
    def folder(self) -> Path:
        (folder,) = (self.root / "fit").iterdir()
        return folder

    @property
    def samples(self):
        return self.result.samples


def fit_into(search_factory, root: Path, analysis) -> Fit:
    search = search_factory(paths=af.DirectoryPaths("fit", output_root=root))
    result = search.fit(model=narrow_model(), analysis=analysis)
    return Fit(result, root, analysis.calls)


def summary_calls(folder: Path) -> int:
    """The "Total Likelihood Calls" of a fit's search.summary."""
    key = "Total Likelihood Calls"
    (line,) = [line for line in (folder / "search.summary").read_text().splitlines() if key in line]
    return int(line[len(key) :].strip())


def samples_info_of(root: Path) -> dict:
    """The samples_info.json an update wrote into the (only) fit under ``root / "fit"``."""
    (folder,) = (root / "fit").iterdir()
    return json.loads((folder / "files" / "samples_info.json").read_text())


def assert_recovers_exact_fit(samples, exact, error_tolerance: float) -> None:
    """Median within 0.25 sigma of the exact maximum; 1 sigma half-widths within
    ``error_tolerance`` (relative) of the Fisher-matrix errors."""
    median = np.array(samples.median_pdf(as_instance=False))
    assert np.all(np.abs(median - exact.parameters) < 0.25 * exact.errors)
    lower = np.array(samples.errors_at_lower_sigma(1.0, as_instance=False))
    upper = np.array(samples.errors_at_upper_sigma(1.0, as_instance=False))
    np.testing.assert_allclose(lower, exact.errors, rtol=error_tolerance)
    np.testing.assert_allclose(upper, exact.errors, rtol=error_tolerance)


def assert_columns_consistent(samples, analysis) -> None:
    """Every row's log likelihood is the analysis' value at its parameters, and its log prior
    the uniform density -log(prior volume)."""
    rows = np.linspace(0, samples.total_samples - 1, 7).astype(int)
    for row in rows:
        instance = samples.model.instance_from_vector(samples.parameters[row].tolist())
        expected = analysis.log_likelihood_function(instance)
        assert samples.log_likelihood[row] == pytest.approx(expected, rel=1e-12, abs=1e-9)
    np.testing.assert_allclose(samples.log_prior, -np.log(PRIOR_VOLUME), rtol=1e-12)


# -- the shared helpers (no optional package needed) ----------------------------------------------

SEARCHES = {
    "nautilus": ("Nautilus", "nautilus", "nautilus-sampler", "nautilus"),
    "ultranest": ("UltraNest", "ultranest", "ultranest", "ultranest"),
    "zeus": ("Zeus", "zeus", "zeus-mcmc", "zeus"),
}


def test_require_returns_the_imported_module():
    assert require("json", "json", "Json") is json


@pytest.mark.parametrize(("search", "module", "package", "extra"), SEARCHES.values(), ids=SEARCHES)
def test_missing_package_fails_at_construction_naming_the_extra(
    search, module, package, extra, monkeypatch
):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError) as error:
        getattr(af, search)()
    message = str(error.value)
    assert f"af.{search} needs the {package!r} package" in message
    assert f"pip install 'autofit[{extra}]'" in message
    assert error.value.name == module


def test_nautilus_with_output_needs_h5py_and_names_the_nautilus_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "nautilus", types.ModuleType("nautilus"))
    monkeypatch.setitem(sys.modules, "h5py", None)
    af.Nautilus()  # without output, h5py is not needed
    with pytest.raises(
        ImportError, match=re.escape("'h5py' package: pip install 'autofit[nautilus]'")
    ):
        af.Nautilus(name="needs_h5py")


def test_import_autofit_imports_no_optional_sampler():
    code = (
        "import sys, autofit\n"
        "print([m for m in ('nautilus', 'ultranest', 'zeus', 'h5py', 'sklearn') "
        "if m in sys.modules])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_unit_cube_transform_of_one_point_and_of_a_batch():
    model = narrow_model()
    transform = UnitCubeTransform(model)
    units = np.array([[0.0, 0.5, 1.0], [0.25, 0.1, 0.75]])
    expected = np.array([[45.0, 25.0, 12.0], [47.5, 21.0, 11.0]])
    np.testing.assert_allclose(transform(units), expected, rtol=1e-15)
    np.testing.assert_allclose(transform(units[1]), expected[1], rtol=1e-15)
    assert transform(units[1]).shape == (3,)


def test_batch_fitness_evaluates_every_row_as_one_batch(data):
    from autofit.analysis.fitness import Fitness

    fitness = Fitness(narrow_model(), af.ex.Analysis(*data))
    rows = np.array([[50.0, 25.0, 10.0], [48.0, 20.0, 11.0], [0.0, 25.0, 10.0]])
    values = BatchFitness(fitness)(rows)
    np.testing.assert_allclose(values, [fitness(row) for row in rows], rtol=1e-12)
    assert values[2] == -np.inf  # outside the narrow prior of the centre


class SumOfSquaresPool:
    """A stand-in for the driver's process pool: it evaluates its own function, whatever it
    is handed."""

    processes = 3

    def __init__(self) -> None:
        self.maps: list[int] = []

    def map(self, function, items):
        items = list(items)
        self.maps.append(len(items))
        return [float(np.sum(np.square(item))) for item in items]


def test_batch_pool_evaluates_points_and_splits_batches_back():
    pool = SumOfSquaresPool()
    single = BatchPool(pool)
    assert single.size == 3
    assert single.map(None, [np.array([1.0, 2.0]), np.array([3.0, 0.0])]) == [5.0, 9.0]
    batches = BatchPool(pool, vectorized=True).map(
        print, [np.array([[1.0, 1.0], [2.0, 0.0]]), np.array([[0.0, 3.0], [1.0, 2.0], [0.0, 0.0]])]
    )
    # All five points go to the pool in one map; the values come back per batch.
    assert pool.maps == [2, 5]
    assert [batch.tolist() for batch in batches] == [[2.0, 4.0], [9.0, 5.0, 0.0]]


def test_global_random_state_isolates_the_sampler_and_the_caller_streams():
    np.random.seed(5)
    random.seed(5)
    with global_random_state(seeded_random_state(1)) as after:
        first = np.random.random_sample(3)
        python_first = random.random()
    # The sampler drew from its own seeded streams ...
    np.testing.assert_array_equal(first, np.random.RandomState(1).random_sample(3))
    assert python_first == random.Random(1).random()
    # ... the caller's streams were not advanced ...
    assert np.random.random_sample() == np.random.RandomState(5).random_sample()
    assert random.random() == random.Random(5).random()
    # ... and the sampler's state at exit continues its stream.
    with global_random_state(after[0]):
        following = np.random.random_sample(2)
        python_second = random.random()
    np.testing.assert_array_equal(following, np.random.RandomState(1).random_sample(5)[3:])
    reference = random.Random(1)
    reference.random()
    assert python_second == reference.random()


def test_root_logger_preserved_undoes_handler_and_level_changes():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with root_logger_preserved():
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(logging.StreamHandler())
        root.setLevel(logging.DEBUG)
    assert root.handlers == handlers
    assert root.level == level


# -- af.Nautilus ----------------------------------------------------------------------------------


def nautilus(**kwargs) -> af.Nautilus:
    # Nautilus' own n_update, f_live and discard_exploration: every point is a sample (the
    # exploration phase kept), so that samples count the calls.
    settings = {
        "n_live": 100,
        "n_networks": 0,
        "n_eff": 500,
        "n_update": 100,
        "f_live": 0.01,
        "discard_exploration": False,
        "seed": 1,
        "silence": True,
        "iterations_per_update": 700,
    }
    return af.Nautilus(**{**settings, **kwargs})


@pytest.fixture(scope="module")
def nautilus_fit(data, tmp_path_factory) -> Fit:
    """A Nautilus fit of the simulated Gaussian with output, counting likelihood calls."""
    pytest.importorskip("nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus"))
    pytest.importorskip("h5py", reason=SKIP_REASON.format(module="h5py", extra="nautilus"))
    return fit_into(nautilus, tmp_path_factory.mktemp("nautilus"), CountingAnalysis(*data))


def test_nautilus_recovers_the_exact_fit(nautilus_fit, exact):
    assert_recovers_exact_fit(nautilus_fit.samples, exact, error_tolerance=0.15)


def test_nautilus_log_evidence_matches_the_laplace_value(nautilus_fit, exact):
    assert isinstance(nautilus_fit.samples, af.SamplesNest)
    samples = nautilus_fit.samples
    assert samples.log_evidence == pytest.approx(laplace_log_evidence(exact), abs=0.15)
    # The error estimated from the shells: a few per cent for 500 effective samples (on
    # analytic Gaussians it matches the scatter of log Z over seeds).
    assert 0.01 < samples.log_evidence_error < 0.1
    assert samples.samples_info["log_evidence_error"] == samples.log_evidence_error


def test_nautilus_log_evidence_error_by_hand():
    # Shell A: evidence 2 x 0.5 = 1 from 100 points (n_eff 50) that are half of its bound's 200
    # samples. Shell B: evidence 3 from 400 points of equal likelihood, all its bound's samples,
    # in a bound whose volume was estimated from 1000 samples with 200 rejections.
    sampler = types.SimpleNamespace(
        shell_n=np.array([100, 400]),
        shell_n_sample=np.array([200, 400]),
        shell_n_eff=np.array([50.0, 400.0]),
        shell_log_l=np.log([2.0, 3.0]),
        shell_log_v=np.log([0.5, 1.0]),
        discard_exploration=False,
        explored=True,
        bounds=[types.SimpleNamespace(), types.SimpleNamespace(n_sample=1000, n_reject=200)],
    )
    variance_a = (1 / 50 - 1 / 100) + (1 - 100 / 200) / 100
    variance_b = 200 / (800 * 1000)
    expected = np.sqrt((1 / 4) ** 2 * variance_a + (3 / 4) ** 2 * variance_b)
    assert log_evidence_error(sampler) == pytest.approx(expected, rel=1e-12)
    sampler.shell_n = np.array([0, 0])
    assert log_evidence_error(sampler) is None


def test_nautilus_samples_are_the_likelihood_calls_with_importance_weights(nautilus_fit, data):
    samples = nautilus_fit.samples
    info = samples.samples_info
    assert info["number_live_points"] == 100
    # Every likelihood call is one weighted sample, and the count is the sampler's.
    assert info["total_likelihood_calls"] == nautilus_fit.calls == samples.total_samples
    assert info["total_accepted_samples"] == samples.total_samples
    assert info["effective_sample_size"] >= 500
    assert samples.weights.sum() == pytest.approx(1.0, rel=1e-12)
    # The effective sample size of the stored weights is nautilus' own estimate.
    assert 1.0 / np.sum(samples.weights**2) == pytest.approx(info["effective_sample_size"], rel=0.2)
    assert_columns_consistent(samples, af.ex.Analysis(*data))


def test_nautilus_writes_its_checkpoint_and_samples(nautilus_fit):
    folder = nautilus_fit.folder
    assert (folder / ".completed").exists()
    assert (folder / "files" / "search_internal" / "nautilus.hdf5").stat().st_size > 0
    info = json.loads((folder / "files" / "samples_info.json").read_text())
    assert info["kind"] == "nest"
    assert info["log_evidence"] == nautilus_fit.samples.log_evidence
    assert "Log Evidence" in (folder / "search.summary").read_text()


def test_nautilus_pool_and_vectorized_transform_give_the_same_samples(data):
    pytest.importorskip("nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus"))
    # Point by point (no batch method), so that the values are exactly those of the serial run.
    analysis = PointwiseAnalysis(*data)
    serial = nautilus(n_like_max=600).fit(model=narrow_model(), analysis=analysis)
    pooled = nautilus(n_like_max=600, vectorized=True, number_of_cores=2).fit(
        model=narrow_model(), analysis=analysis
    )
    # n_like_max stops the run after the batch that reaches it (batches of 100 calls).
    assert serial.samples.samples_info["total_likelihood_calls"] == 600
    np.testing.assert_array_equal(pooled.samples.parameters, serial.samples.parameters)
    np.testing.assert_array_equal(pooled.samples.weights, serial.samples.weights)
    assert pooled.samples.log_evidence == serial.samples.log_evidence


def test_interrupted_nautilus_resumes_to_the_uninterrupted_samples(nautilus_fit, data, tmp_path):
    interrupted = InterruptAfter(*data, limit=nautilus_fit.calls // 2)
    with pytest.raises(Interrupted):
        fit_into(nautilus, tmp_path, interrupted)
    # The run wrote its samples after the first block of 700 likelihood calls.
    assert samples_info_of(tmp_path)["total_likelihood_calls"] == 700
    resumed = fit_into(nautilus, tmp_path, CountingAnalysis(*data))
    # The run continued from the checkpoint of that update (after one call checking it against
    # the data) ...
    assert resumed.calls == nautilus_fit.calls - 700 + 1
    # ... the summary counts the calls of both runs up to it: those of the uninterrupted fit ...
    assert summary_calls(resumed.folder) == summary_calls(nautilus_fit.folder) == 2300
    # ... and with the saved random state the run is the uninterrupted one.
    np.testing.assert_array_equal(resumed.samples.parameters, nautilus_fit.samples.parameters)
    assert resumed.samples.log_evidence == nautilus_fit.samples.log_evidence


def test_completed_nautilus_checkpoint_resumes_without_likelihood_calls(nautilus_fit, data):
    (nautilus_fit.folder / ".completed").unlink()
    again = fit_into(nautilus, nautilus_fit.root, CountingAnalysis(*data))
    assert again.calls == 1  # the check of the checkpoint against the data
    assert (nautilus_fit.folder / ".completed").exists()
    np.testing.assert_array_equal(again.samples.parameters, nautilus_fit.samples.parameters)
    np.testing.assert_array_equal(again.samples.weights, nautilus_fit.samples.weights)


@pytest.fixture
def nautilus_calls(monkeypatch) -> dict[str, list]:
    """The keywords af.Nautilus gives ``nautilus.Sampler`` and ``Sampler.run`` (the real sampler
    runs), and the samplers it made."""
    nautilus_module = pytest.importorskip(
        "nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus")
    )
    calls: dict[str, list] = {"sampler": [], "run": [], "samplers": []}

    class RecordingSampler(nautilus_module.Sampler):
        def __init__(self, *args, **kwargs):
            calls["sampler"].append(kwargs)
            calls["samplers"].append(self)
            super().__init__(*args, **kwargs)

        def run(self, **kwargs):
            calls["run"].append(kwargs)
            return super().run(**kwargs)

    monkeypatch.setattr(nautilus_module, "Sampler", RecordingSampler)
    return calls


#: nautilus' own defaults, given explicitly (n_points_min: 3 parameters + 50).
NAUTILUS_OWN_DEFAULTS = {
    "n_update": 100,
    "n_points_min": 53,
    "n_networks": 4,
    "neural_network_kwargs": {},
    "n_like_new_bound": 1000,
}
NAUTILUS_OWN_RUN_DEFAULTS = {"f_live": 0.01, "n_eff": 10000, "discard_exploration": False}


def test_nautilus_gives_nautilus_its_defaults(nautilus_calls, data):
    search = af.Nautilus(n_live=100, n_like_max=200, seed=1, silence=True)
    search.fit(model=narrow_model(), analysis=af.ex.Analysis(*data))
    (given,) = nautilus_calls["sampler"]
    assert {key: given.get(key) for key in NAUTILUS_OWN_DEFAULTS} == {
        "n_update": 1000,
        "n_points_min": 25,
        "n_networks": 1,
        "neural_network_kwargs": {"n_iter_no_change": 5},
        "n_like_new_bound": None,  # nautilus' own, 10 * n_live
    }
    (sampler,) = nautilus_calls["samplers"]
    assert (sampler.n_update, sampler.n_points_min, sampler.n_like_new_bound) == (1000, 25, 1000)
    for run in nautilus_calls["run"]:
        assert {key: run[key] for key in NAUTILUS_OWN_RUN_DEFAULTS} == {
            "f_live": 0.3,
            "n_eff": 500,
            "discard_exploration": True,
        }
    settings = search.dict()["settings"]
    assert (settings["n_networks"], settings["n_eff"], settings["f_live"]) == (1, 500, 0.3)
    assert settings["discard_exploration"] is True


def test_nautilus_keywords_given_override_its_defaults(nautilus_calls, data):
    search = af.Nautilus(
        n_live=100,
        n_like_max=200,
        seed=1,
        silence=True,
        **NAUTILUS_OWN_DEFAULTS,
        **NAUTILUS_OWN_RUN_DEFAULTS,
    )
    search.fit(model=narrow_model(), analysis=af.ex.Analysis(*data))
    (given,) = nautilus_calls["sampler"]
    assert {key: given[key] for key in NAUTILUS_OWN_DEFAULTS} == NAUTILUS_OWN_DEFAULTS
    for run in nautilus_calls["run"]:
        assert {key: run[key] for key in NAUTILUS_OWN_RUN_DEFAULTS} == NAUTILUS_OWN_RUN_DEFAULTS
    assert search.dict()["settings"]["neural_network_kwargs"] == {}


def test_nautilus_defaults_scale_with_the_live_points():
    # nautilus' n_points_min at the live points it recommends, fewer below them.
    assert sampler_defaults(n_live=2000, n_dim=6)["n_points_min"] == 56
    assert sampler_defaults(n_live=100, n_dim=6)["n_points_min"] == 25
    assert sampler_defaults(n_live=20, n_dim=10)["n_points_min"] == 11
    assert sampler_defaults(n_live=300, n_dim=2)["n_update"] == 3000
    # A fresh dict each time: a sampler cannot change the defaults of the next one.
    first = sampler_defaults(n_live=100, n_dim=3)
    first["neural_network_kwargs"]["n_iter_no_change"] = 1
    assert sampler_defaults(n_live=100, n_dim=3)["neural_network_kwargs"] == {"n_iter_no_change": 5}


def test_nautilus_samples_leave_out_the_exploration_phase_by_default(data):
    pytest.importorskip("nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus"))
    analysis = CountingAnalysis(*data)
    search = af.Nautilus(n_live=100, n_networks=0, seed=1, silence=True)
    samples = search.fit(model=narrow_model(), analysis=analysis).samples
    info = samples.samples_info
    assert info["total_likelihood_calls"] == analysis.calls
    # Only the points of the sampling phase are samples, enough for the effective sample size.
    assert 500 <= samples.total_samples < analysis.calls
    assert info["effective_sample_size"] >= 500


def run_context(model, fitness, checkpoint_path: Path | None, pool=None) -> RunContext:
    return RunContext(
        model=model,
        fitness=fitness,
        pool=pool or SerialPool(),
        checkpoint_path=checkpoint_path,
        iterations_per_update=100,
        update=lambda *args, **kwargs: None,
        initializer=af.InitializerPrior(),
        seed=1,
        silence=True,
    )


def test_unreadable_nautilus_checkpoint_is_a_checkpoint_error(data, tmp_path):
    pytest.importorskip("nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus"))
    (tmp_path / "nautilus.hdf5").write_bytes(b"not an hdf5 file" * 10)
    search = nautilus()
    model = narrow_model()
    analysis = CountingAnalysis(*data)
    context = run_context(model, search._fitness(model, analysis), tmp_path)
    with pytest.raises(CheckpointError, match="nautilus.hdf5"):
        search.adapter.run(context)
    assert analysis.calls == 0


def test_nautilus_samples_right_after_a_discarded_exploration_are_empty(data):
    """An update that falls when the exploration phase has just been discarded: no point counts
    yet, so there are no samples and no evidence (rather than an error)."""
    pytest.importorskip("nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus"))
    search = af.Nautilus(n_live=100, n_networks=0, n_shell=0, n_eff=0, seed=1, silence=True)
    model = narrow_model()
    context = run_context(model, search._fitness(model, af.ex.Analysis(*data)), None)
    sampler = search.adapter.run(context)
    assert sampler.explored and sampler.n_like > 0
    samples = search.adapter.to_samples(context, sampler)
    assert samples.total_samples == 0
    assert samples.samples_info["total_likelihood_calls"] == sampler.n_like
    assert samples.samples_info["effective_sample_size"] == 0.0
    assert "log_evidence" not in samples.samples_info


def test_nautilus_needs_two_parameters(data):
    pytest.importorskip("nautilus", reason=SKIP_REASON.format(module="nautilus", extra="nautilus"))
    model = af.Model(af.ex.Gaussian, normalization=25.0, sigma=10.0)
    with pytest.raises(af.exc.SearchException, match="at least 2 free parameters"):
        nautilus().fit(model=model, analysis=af.ex.Analysis(*data))


# -- af.UltraNest ---------------------------------------------------------------------------------


def ultranest(**kwargs) -> af.UltraNest:
    settings = {
        "min_num_live_points": 50,
        "min_ess": 200,
        "seed": 1,
        "silence": True,
        "iterations_per_update": 1000,
    }
    return af.UltraNest(**{**settings, **kwargs})


@pytest.fixture(scope="module")
def ultranest_fit(data, tmp_path_factory) -> Fit:
    """An UltraNest fit of the simulated Gaussian with output, counting likelihood calls."""
    pytest.importorskip(
        "ultranest", reason=SKIP_REASON.format(module="ultranest", extra="ultranest")
    )
    pytest.importorskip("h5py", reason=SKIP_REASON.format(module="h5py", extra="nautilus"))
    return fit_into(ultranest, tmp_path_factory.mktemp("ultranest"), CountingAnalysis(*data))


def test_ultranest_recovers_the_exact_fit(ultranest_fit, exact):
    assert_recovers_exact_fit(ultranest_fit.samples, exact, error_tolerance=0.2)


def test_ultranest_log_evidence_matches_the_laplace_value(ultranest_fit, exact):
    samples = ultranest_fit.samples
    assert isinstance(samples, af.SamplesNest)
    assert 0.05 < samples.log_evidence_error < 1.0
    tolerance = max(4 * samples.log_evidence_error, 0.3)
    assert samples.log_evidence == pytest.approx(laplace_log_evidence(exact), abs=tolerance)


def test_ultranest_samples_and_counts(ultranest_fit, data):
    samples = ultranest_fit.samples
    info = samples.samples_info
    # ultranest raises the live points to sqrt(1000) / dlogz = 64 for dlogz = 0.5.
    assert info["number_live_points"] == 64
    # Two test points are evaluated before sampling; the rest are the sampler's calls.
    assert info["total_likelihood_calls"] == ultranest_fit.calls - 2
    assert info["total_accepted_samples"] == samples.total_samples > 500
    assert info["effective_sample_size"] >= 200
    assert samples.weights.sum() == pytest.approx(1.0, rel=1e-12)
    assert_columns_consistent(samples, af.ex.Analysis(*data))


def test_ultranest_writes_its_point_store_and_samples(ultranest_fit):
    folder = ultranest_fit.folder
    store = folder / "files" / "search_internal" / "ultranest" / "results" / "points.hdf5"
    assert store.stat().st_size > 0
    info = json.loads((folder / "files" / "samples_info.json").read_text())
    assert info["log_evidence_error"] == ultranest_fit.samples.log_evidence_error


def test_interrupted_ultranest_resumes_from_its_point_store(ultranest_fit, data, exact, tmp_path):
    interrupted = InterruptAfter(*data, limit=ultranest_fit.calls * 3 // 4)
    with pytest.raises(Interrupted):
        fit_into(ultranest, tmp_path, interrupted)
    # The run wrote its samples after the first block of 1000 likelihood calls.
    assert 1000 <= samples_info_of(tmp_path)["total_likelihood_calls"] < interrupted.calls
    resumed = fit_into(ultranest, tmp_path, CountingAnalysis(*data))
    # The stored points are replayed, not recomputed.
    assert 0 < resumed.calls < ultranest_fit.calls - interrupted.calls // 2
    samples = resumed.samples
    # Two calls test the likelihood before sampling; every other call was stored.
    assert samples.samples_info["total_likelihood_calls"] >= interrupted.calls - 2
    tolerance = max(4 * samples.log_evidence_error, 0.3)
    assert samples.log_evidence == pytest.approx(laplace_log_evidence(exact), abs=tolerance)
    assert_recovers_exact_fit(samples, exact, error_tolerance=0.25)


def test_ultranest_likelihood_for_serial_vectorised_and_pooled_runs(data):
    model = narrow_model()
    fitness = Fitness(model, af.ex.Analysis(*data), use_log_prior=False)
    units = np.array([[0.5, 0.5, 0.5], [0.1, 0.9, 0.3]])
    vectors = [model.vector_from_unit_vector(unit.tolist()) for unit in units]
    expected = [fitness(vector) for vector in vectors]

    loglike, transform = UltraNestAdapter({}, {}, False)._functions(
        run_context(model, fitness, None)
    )
    assert [loglike(transform(unit)) for unit in units] == expected
    loglike, transform = UltraNestAdapter({}, {}, True)._functions(
        run_context(model, fitness, None)
    )
    # One batch through af.ex.Analysis's batch method: the same values up to rounding.
    np.testing.assert_allclose(loglike(transform(units)), expected, rtol=1e-13)
    # With a process pool, each batch is evaluated by the pool's own function.
    pool = SumOfSquaresPool()
    loglike, transform = UltraNestAdapter({}, {}, True)._functions(
        run_context(model, fitness, None, pool=pool)
    )
    np.testing.assert_allclose(
        loglike(transform(units)), np.sum(np.square(vectors), axis=1), rtol=1e-15
    )
    assert pool.maps == [2]


def test_unreadable_ultranest_point_store_is_a_checkpoint_error(data, tmp_path):
    pytest.importorskip(
        "ultranest", reason=SKIP_REASON.format(module="ultranest", extra="ultranest")
    )
    store = tmp_path / "ultranest" / "results" / "points.hdf5"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"not an hdf5 file" * 10)
    search = ultranest()
    model = narrow_model()
    context = run_context(model, search._fitness(model, af.ex.Analysis(*data)), tmp_path)
    with pytest.raises(CheckpointError, match="points.hdf5"):
        search.adapter.run(context)


# -- af.Zeus --------------------------------------------------------------------------------------

FIXED_LENGTH = af.AutoCorrelationsSettings(check_for_convergence=False)
NWALKERS = 12


def zeus(**kwargs) -> af.Zeus:
    settings = {
        "nwalkers": NWALKERS,
        "nsteps": 300,
        "auto_correlation_settings": FIXED_LENGTH,
        "seed": 1,
        "silence": True,
        "iterations_per_update": 50,
    }
    return af.Zeus(**{**settings, **kwargs})


@pytest.fixture(scope="module")
def zeus_fit(data, tmp_path_factory) -> Fit:
    """A Zeus fit of the simulated Gaussian with output, counting likelihood calls."""
    pytest.importorskip("zeus", reason=SKIP_REASON.format(module="zeus", extra="zeus"))
    return fit_into(zeus, tmp_path_factory.mktemp("zeus"), CountingAnalysis(*data))


def test_zeus_recovers_the_exact_fit(zeus_fit, exact):
    assert_recovers_exact_fit(zeus_fit.samples, exact, error_tolerance=0.2)


def test_zeus_samples_are_the_chain(zeus_fit, data):
    samples = zeus_fit.samples
    assert isinstance(samples, af.SamplesMCMC)
    assert samples.total_samples == 300 * NWALKERS
    assert samples.samples_info["total_steps"] == 300
    assert 0 < samples.burn_in <= 150
    assert np.all(np.isfinite(samples.auto_correlation_times))
    # zeus stores log posteriors: the likelihood column is the analysis' value.
    assert_columns_consistent(samples, af.ex.Analysis(*data))


def test_zeus_checkpoint_is_the_chain(zeus_fit):
    path = zeus_fit.folder / "files" / "search_internal" / "zeus.npz"
    with np.load(path, allow_pickle=False) as checkpoint:
        assert int(checkpoint["iteration"]) == 300
        chain = checkpoint["chain"]
        log_prob = checkpoint["log_prob"]
    np.testing.assert_array_equal(chain.reshape(-1, 3), zeus_fit.samples.parameters)
    np.testing.assert_allclose(
        log_prob.reshape(-1), zeus_fit.samples.log_posterior, rtol=1e-12, atol=1e-9
    )


def test_zeus_chain_is_set_by_the_seed_alone(zeus_fit, data):
    # Same seed and blocks, no output, a pool of two processes and shorter: the same chain
    # (its first 100 steps), and the caller's random streams are left untouched.
    np.random.seed(7)
    random.seed(7)
    result = zeus(nsteps=100, number_of_cores=2).fit(
        model=narrow_model(), analysis=af.ex.Analysis(*data)
    )
    np.testing.assert_array_equal(
        result.samples.parameters, zeus_fit.samples.parameters[: 100 * NWALKERS]
    )
    assert np.random.random_sample() == np.random.RandomState(7).random_sample()
    assert random.random() == random.Random(7).random()


def zeus_100(**kwargs) -> af.Zeus:
    """The module's Zeus search stopped after 100 steps: its chain is the first 100 steps of
    the module's chain (the same seed and blocks of 50 steps)."""
    return zeus(nsteps=100, **kwargs)


def test_interrupted_zeus_resumes_to_the_uninterrupted_chain(zeus_fit, data, tmp_path):
    interrupted = InterruptAfter(*data, limit=zeus_fit.calls // 4)
    with pytest.raises(Interrupted):
        fit_into(zeus_100, tmp_path, interrupted)
    (folder,) = (tmp_path / "fit").iterdir()
    with np.load(folder / "files" / "search_internal" / "zeus.npz") as checkpoint:
        assert int(checkpoint["iteration"]) == 50
    assert samples_info_of(tmp_path)["total_steps"] == 50
    resumed = fit_into(zeus_100, tmp_path, CountingAnalysis(*data))
    # Only the last 50 steps were sampled (no initial points, no restart) ...
    assert 0 < resumed.calls < interrupted.calls
    # ... the summary counts the calls of both runs up to the checkpoint, as many as an
    # uninterrupted run makes (points outside the priors included) ...
    fresh = fit_into(zeus_100, tmp_path / "fresh", CountingAnalysis(*data))
    assert summary_calls(resumed.folder) == summary_calls(fresh.folder) > fresh.calls
    # ... continuing the chain with its saved random state.
    np.testing.assert_array_equal(
        resumed.samples.parameters, zeus_fit.samples.parameters[: 100 * NWALKERS]
    )


def test_completed_zeus_checkpoint_resumes_without_likelihood_calls(zeus_fit, data):
    (zeus_fit.folder / ".completed").unlink()
    again = fit_into(zeus, zeus_fit.root, CountingAnalysis(*data))
    assert again.calls == 1  # the check of the checkpoint against the data
    np.testing.assert_array_equal(again.samples.parameters, zeus_fit.samples.parameters)


def test_unreadable_zeus_checkpoint_warns_and_restarts(zeus_fit, data, tmp_path):
    with pytest.raises(Interrupted):
        fit_into(zeus_100, tmp_path, InterruptAfter(*data, limit=zeus_fit.calls // 4))
    (folder,) = (tmp_path / "fit").iterdir()
    checkpoint = folder / "files" / "search_internal" / "zeus.npz"
    checkpoint.write_bytes(checkpoint.read_bytes()[:-100])
    with pytest.warns(af.searches.CheckpointWarning, match="restarting"):
        restarted = fit_into(zeus_100, tmp_path, CountingAnalysis(*data))
    np.testing.assert_array_equal(
        restarted.samples.parameters, zeus_fit.samples.parameters[: 100 * NWALKERS]
    )


@pytest.mark.parametrize(
    ("nwalkers", "ndim"), [(NWALKERS + 2, 3), (NWALKERS, 4)], ids=["walkers", "parameters"]
)
def test_zeus_checkpoint_of_another_ensemble_is_a_checkpoint_error(zeus_fit, nwalkers, ndim):
    pytest.importorskip("zeus", reason=SKIP_REASON.format(module="zeus", extra="zeus"))
    path = zeus_fit.folder / "files" / "search_internal" / "zeus.npz"
    adapter = zeus(nwalkers=nwalkers).adapter
    with pytest.raises(CheckpointError, match="expected"):
        adapter._load(path, ndim)


def test_zeus_stops_when_the_autocorrelation_time_settles(data):
    pytest.importorskip("zeus", reason=SKIP_REASON.format(module="zeus", extra="zeus"))
    settings = af.AutoCorrelationsSettings(check_size=50, required_length=10, change_threshold=0.3)
    result = zeus(nsteps=1000, auto_correlation_settings=settings).fit(
        model=narrow_model(), analysis=af.ex.Analysis(*data)
    )
    steps = result.samples.samples_info["total_steps"]
    assert 100 <= steps < 1000 and steps % 50 == 0
    tau = np.array(result.samples.samples_info["auto_correlation_times"])
    assert np.all(10 * tau < steps)


def test_zeus_needs_an_even_number_of_walkers(data):
    pytest.importorskip("zeus", reason=SKIP_REASON.format(module="zeus", extra="zeus"))
    with pytest.raises(af.exc.SearchException, match="even number of walkers"):
        zeus(nwalkers=13).fit(model=narrow_model(), analysis=af.ex.Analysis(*data))


def test_zeus_accepts_the_emcee_alias_and_rejects_unknown_keywords():
    pytest.importorskip("zeus", reason=SKIP_REASON.format(module="zeus", extra="zeus"))
    search = af.Zeus(auto_correlations_settings=FIXED_LENGTH)
    assert search.auto_correlation_settings is FIXED_LENGTH
    with pytest.raises(TypeError, match="did you mean 'nwalkers'"):
        af.Zeus(n_walkers=10)


def test_zeus_vectorize_gives_the_same_chain(zeus_fit, data):
    # zeus hands the batch of each half of the ensemble to one call; evaluated point by point
    # (serially, then through a pool of two processes) it gives the chain of the module's fit.
    pytest.importorskip("zeus")
    for cores in (1, 2):
        result = zeus_100(vectorize=True, number_of_cores=cores).fit(
            model=narrow_model(), analysis=af.ex.Analysis(*data)
        )
        np.testing.assert_array_equal(
            result.samples.parameters, zeus_fit.samples.parameters[: 100 * NWALKERS]
        )


def test_a_batch_goes_point_by_point_through_a_pool_without_map_batch():
    from autofit.searches.context import BatchLogPosterior, RunContext

    pool = SumOfSquaresPool()
    context = RunContext(None, lambda vector: -1.0, pool, None, 1, print, None, 0)
    values = BatchLogPosterior(context)(np.array([[1.0, 2.0], [3.0, 0.0], [0.0, 0.5]]))
    # The pool evaluates its own function, whatever it is handed, one point at a time.
    np.testing.assert_array_equal(values, [5.0, 9.0, 0.25])
    assert pool.maps == [3]


def test_zeus_check_walkers_false_skips_the_walker_check(data):
    pytest.importorskip("zeus")
    with pytest.raises(af.exc.SearchException, match="check_walkers=False"):
        zeus(nwalkers=4, nsteps=20).fit(model=narrow_model(), analysis=af.ex.Analysis(*data))
    result = zeus(nwalkers=4, nsteps=20, check_walkers=False).fit(
        model=narrow_model(), analysis=af.ex.Analysis(*data)
    )
    assert result.samples.total_samples == 4 * 20


def test_zeus_vectorize_and_check_walkers_are_settings_but_not_identity():
    pytest.importorskip("zeus")
    search = af.Zeus(vectorize=True, check_walkers=False)
    assert search.dict()["settings"]["vectorize"] is True
    assert search.dict()["settings"]["check_walkers"] is False
    assert search.identifier(narrow_model()) == af.Zeus().identifier(narrow_model())
    with pytest.raises(TypeError, match="did you mean 'vectorize'"):
        af.Zeus(vectorise=True)


@pytest.mark.parametrize("verbose", [True, False])
def test_nautilus_verbose_controls_its_printed_progress(data, capfd, verbose):
    pytest.importorskip("nautilus")
    search = nautilus(silence=False, verbose=verbose, n_like_max=400)
    search.fit(model=narrow_model(), analysis=af.ex.Analysis(*data))
    printed = capfd.readouterr().out
    assert ("Status" in printed) is verbose
    assert search.dict()["settings"]["verbose"] is verbose
    assert search.identifier(narrow_model()) == nautilus(n_like_max=400).identifier(narrow_model())
