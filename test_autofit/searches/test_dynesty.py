"""Tests of af.DynestyStatic and af.DynestyDynamic: settings, recovery of the simulated Gaussian,
checkpoints every ``iterations_per_update`` iterations, determinism, reloading and the process
pool."""

from __future__ import annotations

import dataclasses
import functools
import pickle
from pathlib import Path
from typing import Any

import dynesty.dynamicsampler
import dynesty.sampler
import numpy as np
import pytest

import autofit as af
from autofit.searches.dynesty import IterationCheckpoints, _accepted, iteration_checkpoints
from test_autofit.searches.analyses import CountingAnalysis
from test_autofit.searches.conftest import TRUTH

SEED = 1
NLIVE = 40
EVERY = 100
#: Volume of the uniform prior box of ``uniform_model``.
PRIOR_VOLUME = 100.0 * 50.0 * 25.0
COLUMNS = [
    "centre",
    "normalization",
    "sigma",
    "log_likelihood",
    "log_prior",
    "log_posterior",
    "weight",
]


def uniform_model() -> af.Model:
    """``af.ex.Gaussian`` with uniform priors on all three parameters."""
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
    model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=25.0)
    return model


#: Small settings of each search; the dynamic run adds one batch (of NLIVE live points, like its
#: initial run) and stops at ``maxiter``.
SETTINGS = {
    af.DynestyStatic: {"nlive": NLIVE},
    af.DynestyDynamic: {"nlive": NLIVE, "bound": "single", "maxiter": 1400},
}
#: The class whose ``save`` writes each search's dynesty checkpoint.
SAVER = {
    af.DynestyStatic: dynesty.sampler.Sampler,
    af.DynestyDynamic: dynesty.dynamicsampler.DynamicSampler,
}


@pytest.fixture(autouse=True)
def no_visualization(output_path, monkeypatch):
    """No plots: the fits below are observed through their files and checkpoints."""
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")


def search_of(cls: type, name: str, output_root: Path | None = None, **kwargs: Any) -> Any:
    """A search of ``cls`` with the test settings, writing under ``output_root`` when given
    (else the configured output folder)."""
    if output_root is not None:
        kwargs["paths"] = af.DirectoryPaths(name=name, output_root=output_root)
    settings = {
        "name": name,
        "seed": SEED,
        "silence": True,
        "iterations_per_update": EVERY,
        **SETTINGS[cls],
    }
    return cls(**{**settings, **kwargs})


@dataclasses.dataclass
class Save:
    """One dynesty checkpoint: the sampler's iteration counter ``it`` (1 before the first
    iteration), and the rows of ``samples.csv`` on disk when it was written (None if absent)."""

    iteration: int
    csv_rows: int | None


@dataclasses.dataclass
class RecordedFit:
    result: Any
    saves: list[Save]
    output_root: Path
    output_path: Path


def csv_rows(path: Path) -> int | None:
    return len(path.read_text().splitlines()) - 1 if path.exists() else None


def recorded_fit(cls: type, data: tuple, output_root: Path) -> RecordedFit:
    """Fit the Gaussian with ``cls`` (``SETTINGS``), recording every checkpoint dynesty saves."""
    saves: list[Save] = []
    files: list[Path] = []
    saver = SAVER[cls]
    original = saver.save

    def save(sampler: Any, fname: str) -> None:
        checkpoint = Path(fname)
        files.append(checkpoint)
        saves.append(Save(int(sampler.it), csv_rows(checkpoint.parent.parent / "samples.csv")))
        original(sampler, fname)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(saver, "save", save)
        patch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
        search = search_of(cls, cls.__name__, output_root)
        result = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data))
    assert files, "dynesty wrote no checkpoint"
    # files/search_internal/dynesty.save -> the fit's output folder.
    return RecordedFit(result, saves, output_root, files[0].parents[2])


@pytest.fixture(scope="module")
def static_fit(data, tmp_path_factory) -> RecordedFit:
    return recorded_fit(af.DynestyStatic, data, tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def dynamic_fit(data, tmp_path_factory) -> RecordedFit:
    return recorded_fit(af.DynestyDynamic, data, tmp_path_factory.mktemp("dynamic"))


@pytest.fixture(params=["static_fit", "dynamic_fit"])
def fit(request) -> RecordedFit:
    return request.getfixturevalue(request.param)


# -- settings -------------------------------------------------------------------------------------

STATIC_DEFAULTS = {
    "nlive": 50,
    "bound": "multi",
    "sample": "rwalk",
    "bootstrap": None,
    "enlarge": None,
    "walks": None,
    "facc": 0.2,
    "slices": 5,
    "fmove": 0.9,
    "max_move": 100,
    "update_interval": None,
    "first_update": None,
    "dlogz": None,
    "maxiter": None,
    "maxcall": None,
}
STATIC_CUSTOM = {
    "nlive": 37,
    "bound": "single",
    "sample": "slice",
    "bootstrap": 0,
    "enlarge": 1.5,
    "walks": 7,
    "facc": 0.35,
    "slices": 3,
    "fmove": 0.8,
    "max_move": 50,
    "update_interval": 0.7,
    "first_update": {"min_ncall": 120, "min_eff": 15.0},
    "dlogz": 0.3,
    "maxiter": 900,
    "maxcall": 9000,
}
DYNAMIC_DEFAULTS = {
    "nlive_init": 500,
    "dlogz_init": 0.01,
    "n_effective": 1000,
    "maxiter": None,
    "maxcall": None,
    "bound": "multi",
    "sample": "rwalk",
    "bootstrap": None,
    "enlarge": None,
    "walks": None,
    "facc": 0.2,
    "slices": 5,
    "fmove": 0.9,
    "max_move": 100,
    "update_interval": None,
    "first_update": None,
}
DYNAMIC_CUSTOM = {
    "nlive_init": 41,
    "dlogz_init": 0.2,
    "n_effective": 700,
    "maxiter": 1200,
    "maxcall": 12000,
    "bound": "balls",
    "sample": "rslice",
    "bootstrap": 3,
    "enlarge": 1.3,
    "walks": 9,
    "facc": 0.4,
    "slices": 4,
    "fmove": 0.7,
    "max_move": 60,
    "update_interval": 1.2,
    "first_update": {"min_ncall": 80, "min_eff": 12.0},
}
CASES = [
    (af.DynestyStatic, STATIC_DEFAULTS, STATIC_CUSTOM),
    (af.DynestyDynamic, DYNAMIC_DEFAULTS, DYNAMIC_CUSTOM),
]


@pytest.mark.parametrize("cls, defaults, custom", CASES)
def test_defaults_are_reported(cls, defaults, custom):
    search = cls()
    assert search.sampler_settings == defaults
    assert search.dict()["settings"] == defaults
    assert search.dict()["type"] == cls.__name__


@pytest.mark.parametrize("cls, defaults, custom", CASES)
def test_every_keyword_is_stored_and_reported(cls, defaults, custom):
    search = cls(**custom)
    assert set(custom) == set(defaults)
    assert search.sampler_settings == custom
    assert search.dict()["settings"] == custom


@pytest.mark.parametrize("cls, defaults, custom", CASES)
def test_every_keyword_is_part_of_the_identifier(cls, defaults, custom):
    model = uniform_model()
    default = cls().identifier(model)
    identifiers = {key: cls(**{key: value}).identifier(model) for key, value in custom.items()}
    assert default not in identifiers.values()
    assert len(set(identifiers.values())) == len(custom)
    # The name is not part of it.
    assert cls(name="other").identifier(model) == default


def test_nlive_is_an_alias_of_nlive_init():
    search = af.DynestyDynamic(nlive=40)
    assert search.nlive_init == 40
    assert search.sampler_settings["nlive_init"] == 40
    assert "nlive" not in search.sampler_settings
    assert search.identifier(uniform_model()) == af.DynestyDynamic(nlive_init=40).identifier(
        uniform_model()
    )


def test_static_nlive_is_an_attribute():
    assert af.DynestyStatic(nlive=33).nlive == 33


@pytest.mark.parametrize("nlive_init", [60, 500])
def test_nlive_and_nlive_init_together_raise(nlive_init):
    # Also when nlive_init is given its default value.
    with pytest.raises(TypeError, match="'nlive_init' or its alias 'nlive'"):
        af.DynestyDynamic(nlive_init=nlive_init, nlive=40)


@pytest.mark.parametrize(
    "cls, wrong, closest",
    [
        (af.DynestyStatic, "nlve", "nlive"),
        (af.DynestyStatic, "walk", "walks"),
        (af.DynestyStatic, "dlogz_init", "dlogz"),
        (af.DynestyStatic, "maxmove", "max_move"),
        (af.DynestyDynamic, "nlive_int", "nlive_init"),
        (af.DynestyDynamic, "dlogz", "dlogz_init"),
        (af.DynestyDynamic, "max_iter", "maxiter"),
        (af.DynestyDynamic, "f_move", "fmove"),
        (af.DynestyDynamic, "maxmove", "max_move"),
    ],
)
def test_unknown_keyword_names_the_closest(cls, wrong, closest):
    with pytest.raises(TypeError, match=f"'{wrong}'; did you mean '{closest}'"):
        cls(**{wrong: 1})


@pytest.mark.parametrize("cls", [af.DynestyStatic, af.DynestyDynamic])
@pytest.mark.parametrize(
    "keywords, message",
    [
        ({"fmove": 0.0}, "fmove must be in"),
        ({"fmove": 1.5}, "fmove"),
        ({"max_move": 0}, "max_move"),
    ],
)
def test_trajectory_settings_out_of_range_raise(cls, keywords, message):
    with pytest.raises(ValueError, match=message):
        cls(**keywords)


def test_trajectory_settings_reach_dynesty_versions_that_take_them():
    def sampler_of_an_older_dynesty(loglike, transform, ndim, nlive=500, fmove=0.9, max_move=100):
        """A stand-in for a dynesty constructor with the hslice settings."""

    def sampler_of_dynesty_3(loglike, transform, ndim, nlive=500):
        """dynesty 3 has no hslice sampler and no fmove / max_move."""

    settings = af.DynestyDynamic(fmove=0.6, max_move=40).sampler_settings
    assert _accepted(sampler_of_an_older_dynesty, settings) == {"fmove": 0.6, "max_move": 40}
    assert _accepted(sampler_of_dynesty_3, settings) == {}


def test_settings_reach_the_dynesty_sampler(data):
    settings = {
        "nlive": 30,
        "bound": "single",
        "sample": "rwalk",
        "walks": 7,
        "bootstrap": 0,
        "enlarge": 1.5,
        "first_update": {"min_ncall": 100, "min_eff": 20.0},
        "maxiter": 60,
    }
    search = af.DynestyStatic(seed=SEED, silence=True, **settings)
    result = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data))
    sampler = result.search_internal
    assert sampler.nlive == 30
    assert sampler.bounding == "single"
    assert sampler.bound_bootstrap == 0
    assert sampler.bound_enlarge == 1.5
    assert sampler.first_bound_update == {"min_ncall": 100, "min_eff": 20.0}
    assert type(sampler.internal_sampler_next).__name__ == "RWalkSampler"
    # maxiter stops the run after exactly that many iterations; the final live points are then
    # added to the dead ones.
    assert result.samples.total_accepted_samples - 30 == 60


def test_maxcall_stops_the_static_search(data):
    search = af.DynestyStatic(nlive=NLIVE, maxcall=600, seed=SEED, silence=True)
    result = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data))
    sampler = result.search_internal
    # dynesty checks the limit before each iteration, so the last one may pass it a little.
    assert 600 <= sampler.ncall < 700
    assert sampler.added_live
    assert result.samples.total_accepted_samples == sampler.it - 1 + NLIVE


def test_maxiter_stops_the_dynamic_search(data):
    # The initial run stops at maxiter; no iterations are left for a batch.
    search = af.DynestyDynamic(nlive=30, bound="single", maxiter=300, seed=SEED, silence=True)
    result = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data))
    assert list(result.search_internal.results["batch_nlive"]) == [30]
    assert result.samples.number_live_points == 30
    iterations = result.samples.total_accepted_samples - 30
    assert 300 <= iterations <= 301


def test_dynamic_batches_have_nlive_init_live_points(dynamic_fit):
    batches = list(dynamic_fit.result.search_internal.results["batch_nlive"])
    assert len(batches) >= 2
    assert set(batches) == {NLIVE}
    assert dynamic_fit.result.samples.number_live_points == NLIVE


# -- IterationCheckpoints -------------------------------------------------------------------------


class Counter:
    """A sampler's iteration count, advanced by hand."""

    def __init__(self) -> None:
        self.it = 1

    def __call__(self) -> int:
        return self.it


def test_iteration_checkpoints_call_back_every_n_iterations():
    iteration = Counter()
    calls: list[int] = []
    timer = IterationCheckpoints(3, iteration, lambda: calls.append(iteration.it))
    answers = []
    for _ in range(10):
        iteration.it += 1
        answers.append(timer.is_time())
    assert answers == [False] * 10
    assert calls == [4, 7, 10]


def test_iteration_checkpoints_ignore_calls_that_do_not_advance_the_sampler():
    # The starting live points of a batch are handed back without advancing the iteration.
    iteration = Counter()
    calls: list[int] = []
    timer = IterationCheckpoints(2, iteration, lambda: calls.append(iteration.it))
    for _ in range(50):
        timer.is_time()
    assert calls == []
    iteration.it += 2
    timer.is_time()
    timer.is_time()
    assert calls == [3]


def test_iteration_checkpoints_every_is_at_least_one():
    iteration = Counter()
    calls: list[int] = []
    timer = IterationCheckpoints(0, iteration, lambda: calls.append(1))
    assert timer.every == 1
    for _ in range(2):
        iteration.it += 1
        timer.is_time()
    assert len(calls) == 2


def test_pickled_iteration_checkpoints_keep_the_counter_but_not_the_callbacks():
    iteration = Counter()
    calls: list[int] = []
    # Lambdas cannot be pickled: the state must leave them out.
    timer = IterationCheckpoints(3, lambda: iteration.it, lambda: calls.append(iteration.it))
    for _ in range(5):
        iteration.it += 1
        timer.is_time()
    assert calls == [4]
    restored = pickle.loads(pickle.dumps(timer))
    assert (restored.every, restored.last, restored.checkpoint, restored.iteration) == (
        3,
        4,
        None,
        None,
    )
    iteration.it += 10
    assert [restored.is_time() for _ in range(4)] == [False] * 4
    assert calls == [4]  # the original callback was not called by the restored timer


def test_iteration_checkpoints_replace_dynestys_timer_only_while_active():
    original = dynesty.dynamicsampler.DelayTimer
    iteration = Counter()
    calls: list[int] = []
    with iteration_checkpoints(4, iteration, lambda: calls.append(1)):
        timer = dynesty.dynamicsampler.DelayTimer(60)
        assert isinstance(timer, IterationCheckpoints)
        assert timer.every == 4
        for _ in range(8):
            iteration.it += 1
            assert timer.is_time() is False
    assert dynesty.dynamicsampler.DelayTimer is original
    assert len(calls) == 2


# -- fits of the simulated Gaussian ---------------------------------------------------------------


def test_fit_recovers_the_truth(fit, exact):
    samples = fit.result.samples
    median = np.array(samples.median_pdf(as_instance=False))
    lower = np.array(samples.errors_at_lower_sigma(1.0, as_instance=False))
    upper = np.array(samples.errors_at_upper_sigma(1.0, as_instance=False))
    sigma = 0.5 * (lower + upper)
    assert np.all(np.abs(median - TRUTH) < 3.0 * sigma)
    # The marginals of ~1000 weighted samples of 40 live points have the Fisher-matrix widths
    # to a few tens of per cent.
    np.testing.assert_allclose(sigma, exact.errors, rtol=0.4)
    # The best sample is close to the exact maximum (chi^2_3 / 2 is rarely above 4).
    assert exact.log_likelihood - 4.0 < fit.result.log_likelihood <= exact.log_likelihood + 1e-9
    assert isinstance(fit.result.instance, af.ex.Gaussian)


def test_evidence_agrees_with_the_laplace_approximation(fit, exact):
    # The likelihood is nearly Gaussian and far inside the uniform prior box, so
    # Z = L_max (2 pi)^(3/2) sqrt(det C) / V.
    laplace = (
        exact.log_likelihood
        + 1.5 * np.log(2.0 * np.pi)
        + 0.5 * np.log(np.linalg.det(exact.covariance))
        - np.log(PRIOR_VOLUME)
    )
    samples = fit.result.samples
    error = samples.samples_info["log_evidence_error"]
    assert 0.0 < error < 2.0
    assert samples.log_evidence == samples.samples_info["log_evidence"]
    assert samples.log_evidence_error == error
    assert abs(samples.log_evidence - laplace) < 3.0 * error


def test_samples_are_nested_samples(fit):
    samples = fit.result.samples
    info = samples.samples_info
    assert isinstance(samples, af.SamplesNest)
    assert info["kind"] == "nest"
    assert info["seed"] == SEED
    assert samples.total_accepted_samples == info["total_accepted_samples"]
    assert samples.total_accepted_samples == samples.total_samples == len(samples.parameters)
    calls = info["total_likelihood_calls"]
    assert calls > samples.total_accepted_samples - NLIVE
    assert samples.acceptance_ratio == pytest.approx(samples.total_accepted_samples / calls)
    assert 0.0 < samples.acceptance_ratio <= 1.0
    assert sum(samples.weight_list) == pytest.approx(1.0, abs=1e-12)
    assert np.all(samples.weights >= 0.0)
    # Nested sampling climbs: the dead points are in order of increasing likelihood (the runs
    # of a dynamic search are merged in that order).
    assert np.all(np.diff(samples.log_likelihood) >= 0.0)


def test_static_samples_count_dead_and_live_points(static_fit):
    samples = static_fit.result.samples
    sampler = static_fit.result.search_internal
    assert samples.number_live_points == NLIVE
    # it - 1 iterations (one dead point each) and the NLIVE final live points.
    assert samples.total_accepted_samples == sampler.it - 1 + NLIVE


def test_samples_csv_holds_every_sample(fit):
    samples = fit.result.samples
    files = fit.output_path / "files"
    lines = (files / "samples.csv").read_text().splitlines()
    assert lines[0].split(",") == COLUMNS
    table = np.loadtxt(files / "samples.csv", delimiter=",", skiprows=1)
    assert table.shape == (samples.total_accepted_samples, len(COLUMNS))
    np.testing.assert_allclose(table[:, :3], samples.parameters, rtol=1e-15)
    np.testing.assert_allclose(table[:, 3], samples.log_likelihood, rtol=1e-15)
    # Uniform priors: the same log prior, -ln V, everywhere.
    np.testing.assert_allclose(table[:, 4], -np.log(PRIOR_VOLUME), rtol=1e-12)
    np.testing.assert_allclose(table[:, 5], table[:, 3] + table[:, 4], rtol=1e-12)
    assert table[:, 6].sum() == pytest.approx(1.0, abs=1e-9)
    assert (fit.output_path / ".completed").exists()


# -- checkpoints ----------------------------------------------------------------------------------


def test_static_search_saves_every_block(static_fit):
    saves = static_fit.saves
    sampler = static_fit.result.search_internal
    # Several blocks, then one save of the finished run (live points added).
    assert len(saves) >= 5
    *blocks, final = saves
    iterations = [save.iteration for save in blocks]
    gaps = np.diff([1, *iterations])
    assert np.all(gaps == EVERY), iterations
    assert final.iteration == sampler.it
    # The samples of each block are written after its checkpoint: the first save finds no
    # samples.csv, every later one finds the samples of the block before (one dead point per
    # iteration).
    assert blocks[0].csv_rows is None
    for previous, save in zip(saves[:-1], saves[1:], strict=True):
        assert save.csv_rows == previous.iteration - 1


def test_dynamic_search_saves_every_n_iterations(dynamic_fit):
    saves = dynamic_fit.saves
    sampler = dynamic_fit.result.search_internal
    iterations = [save.iteration for save in saves]
    # The initial run of 40 live points lasts ~650 iterations: it is saved after every 100
    # (dynesty's counter starts at 1).
    assert iterations[:5] == [101, 201, 301, 401, 501]
    assert iterations == sorted(iterations)
    # The finished run is saved once, at its last iteration.
    assert iterations[-1] == sampler.it
    assert iterations.count(sampler.it) == 1
    # No iteration is saved twice (a batch's starting live points do not count as iterations).
    assert len(set(iterations)) == len(iterations), iterations
    # Until the final live points of the last batch are added, no stretch of more than EVERY
    # iterations goes unsaved (plus the final live points of the initial run, which are not
    # counted).
    during = sorted({iteration for iteration in iterations if iteration < sampler.it})
    assert len(during) >= 7
    assert np.all(np.diff(during) <= EVERY + NLIVE), during
    # samples.csv is written after each checkpoint during the run: each save of the initial run
    # finds the dead points of the save before, and their number never decreases.
    assert saves[0].csv_rows is None
    assert [save.csv_rows for save in saves[1:5]] == [100, 200, 300, 400]
    rows = [save.csv_rows for save in saves[1:]]
    assert rows == sorted(rows)
    assert rows[-1] < dynamic_fit.result.samples.total_accepted_samples


def test_checkpoint_file_is_written(fit):
    checkpoint = fit.output_path / "files" / "search_internal" / "dynesty.save"
    assert checkpoint.stat().st_size > 0


# -- determinism and reloading --------------------------------------------------------------------


@pytest.mark.parametrize("cls", [af.DynestyStatic, af.DynestyDynamic])
def test_same_seed_gives_the_same_samples(cls, data, request, output_path):
    reference = request.getfixturevalue("static_fit" if cls is af.DynestyStatic else "dynamic_fit")
    search = search_of(cls, "again")
    result = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data))
    # Another name in another output folder, but the same identifier.
    assert output_path in result.paths.output_path.parents
    assert result.paths.output_path.name == reference.output_path.name
    expected = reference.result.samples
    np.testing.assert_array_equal(result.samples.parameters, expected.parameters)
    np.testing.assert_array_equal(result.samples.log_likelihood, expected.log_likelihood)
    np.testing.assert_array_equal(result.samples.weights, expected.weights)
    assert result.samples.log_evidence == expected.log_evidence


@pytest.mark.parametrize("cls", [af.DynestyStatic, af.DynestyDynamic])
def test_completed_fit_is_loaded_without_sampling(cls, data, request):
    reference = request.getfixturevalue("static_fit" if cls is af.DynestyStatic else "dynamic_fit")
    analysis = CountingAnalysis(*data)
    search = search_of(cls, cls.__name__, reference.output_root)
    result = search.fit(model=uniform_model(), analysis=analysis)
    assert result.paths.output_path == reference.output_path
    # One call only: the stored maximum likelihood is checked against the analysis.
    assert analysis.calls == 1
    assert result.search_internal is None
    assert isinstance(result.samples, af.SamplesNest)
    expected = reference.result.samples
    np.testing.assert_array_equal(result.samples.parameters, expected.parameters)
    np.testing.assert_allclose(result.samples.weights, expected.weights, rtol=1e-12)
    assert result.samples.log_evidence == pytest.approx(expected.log_evidence, rel=1e-12)
    assert result.samples.samples_info["log_evidence_error"] == pytest.approx(
        expected.samples_info["log_evidence_error"], rel=1e-12
    )


# -- process pool ---------------------------------------------------------------------------------


def test_static_search_on_two_cores_recovers_the_truth(data):
    analysis = CountingAnalysis(*data)
    search = af.DynestyStatic(nlive=30, bound="single", number_of_cores=2, seed=SEED, silence=True)
    result = search.fit(model=uniform_model(), analysis=analysis)
    samples = result.samples
    median = np.array(samples.median_pdf(as_instance=False))
    sigma = np.array(samples.errors_at_sigma(1.0, as_instance=False)).mean(axis=1)
    assert np.all(np.abs(median - TRUTH) < 3.0 * sigma)
    calls = samples.samples_info["total_likelihood_calls"]
    assert calls > samples.total_accepted_samples - 30
    # The workers evaluated the likelihood: this process only drew the initial live points.
    assert analysis.calls < calls / 2


# -- default settings -----------------------------------------------------------------------------


def internal_sampler(sampler: Any) -> Any:
    """The object that draws new live points (once the first bound is built) in a static or
    dynamic dynesty run (for a dynamic run, the template its initial run and batches copy)."""
    if isinstance(sampler, dynesty.dynamicsampler.DynamicSampler):
        return sampler.sampling
    return sampler.internal_sampler_next


@pytest.mark.parametrize("cls", [af.DynestyStatic, af.DynestyDynamic])
def test_by_default_new_points_come_from_random_walks_of_dynesty_length(cls, data):
    search = cls(nlive=NLIVE, maxiter=150, seed=SEED, silence=True)
    sampler = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data)).search_internal
    internal = internal_sampler(sampler)
    assert type(internal).__name__ == "RWalkSampler"
    # dynesty's number of steps, ndim + 20, for the 3 parameters.
    assert internal.sampler_kwargs["walks"] == 23


@pytest.mark.parametrize("cls", [af.DynestyStatic, af.DynestyDynamic])
@pytest.mark.parametrize(
    "settings, expected, walks",
    [
        ({"sample": "auto"}, "UniformBoundSampler", None),
        ({"sample": "unif"}, "UniformBoundSampler", None),
        ({"sample": "rslice", "slices": 4}, "RSliceSampler", None),
        ({"walks": 7}, "RWalkSampler", 7),
    ],
)
def test_explicit_settings_override_the_defaults(cls, settings, expected, walks, data):
    search = cls(nlive=NLIVE, maxiter=150, seed=SEED, silence=True, **settings)
    sampler = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data)).search_internal
    internal = internal_sampler(sampler)
    assert type(internal).__name__ == expected
    if walks is not None:
        assert internal.sampler_kwargs["walks"] == walks
    if expected == "RSliceSampler":
        assert internal.sampler_kwargs["slices"] == 4


def test_dynamic_runs_add_batches_until_n_effective(data, monkeypatch):
    """``n_effective`` reaches dynesty's ``run_nested``: batches are added until the posterior's
    effective sample size (Kish's, as dynesty computes it) reaches it; ``None`` leaves dynesty's
    default."""
    given: list[Any] = []
    original = dynesty.dynamicsampler.DynamicSampler.run_nested

    @functools.wraps(original)  # the same signature: the search passes what it accepts
    def run_nested(sampler: Any, *args: Any, **kwargs: Any) -> Any:
        given.append(kwargs.get("n_effective"))
        return original(sampler, *args, **kwargs)

    monkeypatch.setattr(dynesty.dynamicsampler.DynamicSampler, "run_nested", run_nested)
    search = af.DynestyDynamic(nlive=30, bound="single", n_effective=300, seed=SEED, silence=True)
    result = search.fit(model=uniform_model(), analysis=af.ex.Analysis(*data))
    assert given == [300]
    assert len(result.search_internal.results["batch_nlive"]) > 1
    weights = np.asarray(result.samples.weights, dtype=float)
    assert np.sum(weights) ** 2 / np.sum(weights**2) >= 300

    af.DynestyDynamic(nlive=30, n_effective=None, maxiter=100, seed=SEED, silence=True).fit(
        model=uniform_model(), analysis=af.ex.Analysis(*data)
    )
    assert given[-1] is None


@pytest.mark.parametrize("value", [0, 10.5, "many"])
def test_n_effective_must_be_a_positive_whole_number(value):
    with pytest.raises(af.exc.SearchException, match="n_effective must be a whole number"):
        af.DynestyDynamic(n_effective=value)


class CallCounter(af.ex.Analysis):
    """The example analysis, counting its likelihood calls."""

    calls = 0

    def log_likelihood_function(self, instance: Any) -> float:
        self.calls += 1
        return super().log_likelihood_function(instance)


def test_two_gaussians_with_the_defaults_take_a_bounded_number_of_calls():
    """Two Gaussians with the same uniform priors, fitted to data of one (noise 0.3): the
    posterior has a mode for each order of the components and curved ridges where the second
    hides. With 30 live points the default random walks finish in about 7 000 calls; uniform
    sampling inside ellipsoids (``sample="auto"``, dynesty's default) is still running at the
    25 000 calls of ``maxcall``, which keeps a regression from running for minutes."""
    data = af.ex.simulate_data(noise=0.3, seed=SEED)
    model = af.Collection(gaussian_0=uniform_model(), gaussian_1=uniform_model())
    analysis = CallCounter(*data)
    search = af.DynestyStatic(nlive=30, maxcall=25_000, seed=SEED, silence=True)
    result = search.fit(model=model, analysis=analysis)
    assert analysis.calls < 15_000
    # One of the two components is the simulated Gaussian.
    best = result.max_log_likelihood_instance
    centres = sorted([best.gaussian_0.centre, best.gaussian_1.centre], key=lambda c: abs(c - 50))
    assert centres[0] == pytest.approx(TRUTH[0], abs=1.0)
