"""Tests of a fit from start to result: reload, resume after SIGKILL, checkpoints, rejections."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from test_autofit.searches.analyses import (
    CountingAnalysis,
    NaNBelowSigma,
    RaisesValueError,
    RejectAboveCentre,
)

FIXED_LENGTH = af.AutoCorrelationsSettings(check_for_convergence=False)
NWALKERS = 20


def emcee(**kwargs) -> af.Emcee:
    settings = {
        "nwalkers": NWALKERS,
        "nsteps": 40,
        "auto_correlation_settings": FIXED_LENGTH,
        "seed": 1,
        "silence": True,
    }
    return af.Emcee(**{**settings, **kwargs})


def summary_value(folder: Path, key: str) -> str:
    for line in (folder / "search.summary").read_text().splitlines():
        if line.startswith(key):
            return line[len(key) :].strip()
    raise KeyError(key)


def folder_of(output_path: Path, name: str) -> Path:
    (folder,) = (output_path / name).iterdir()
    return folder


# -- completed fits -------------------------------------------------------------------------------

SEARCHES = {
    "emcee": lambda name: emcee(name=name),
    "lbfgs": lambda name: af.LBFGS(name=name, seed=1, silence=True),
    "drawer": lambda name: af.Drawer(total_draws=30, name=name, seed=1, silence=True),
}


@pytest.mark.parametrize("search", SEARCHES.values(), ids=SEARCHES.keys())
def test_completed_fit_reloads_without_sampling(search, data, model, output_path):
    first = search("reload").fit(model=model, analysis=CountingAnalysis(*data))
    counting = CountingAnalysis(*data)
    second = search("reload").fit(model=model, analysis=counting)
    assert counting.calls <= 1
    assert type(second.samples) is type(first.samples)
    np.testing.assert_array_equal(second.samples.parameters, first.samples.parameters)
    np.testing.assert_array_equal(second.samples.log_likelihood, first.samples.log_likelihood)
    np.testing.assert_array_equal(second.samples.log_prior, first.samples.log_prior)
    np.testing.assert_allclose(second.samples.weights, first.samples.weights, rtol=1e-15)
    assert second.log_likelihood == first.log_likelihood
    assert repr(second.instance) == repr(first.instance)
    assert second.info == first.info
    np.testing.assert_array_equal(
        second.samples.median_pdf(as_instance=False), first.samples.median_pdf(as_instance=False)
    )


def test_completed_fit_with_changed_data_warns_in_the_log(data, model, caplog):
    emcee(name="changed").fit(model=model, analysis=CountingAnalysis(*data))
    changed = CountingAnalysis(data[0] + 1.0, data[1])
    with caplog.at_level(logging.WARNING, logger="autofit.search"):
        emcee(name="changed").fit(model=model, analysis=changed)
    assert changed.calls == 1
    assert any("changed" in record.getMessage() for record in caplog.records)


# -- resume after SIGKILL -------------------------------------------------------------------------

SCRIPT = """
import json
import os
import sys
import time

import numpy as np

import autofit as af


class SlowCountingAnalysis(af.ex.Analysis):
    points = []

    def log_likelihood_function(self, instance):
        SlowCountingAnalysis.points.append((instance.centre, instance.normalization, instance.sigma))
        time.sleep(float(os.environ["LIKELIHOOD_SLEEP"]))
        return super().log_likelihood_function(instance)


parameters_file, report_file, name = sys.argv[1], sys.argv[2], sys.argv[3] or None
data, noise_map = af.ex.simulate_data(noise=0.1)
search = af.Emcee(
    nwalkers=20,
    nsteps=int(os.environ["NSTEPS"]),
    iterations_per_update=10,
    seed=3,
    name=name,
    silence=True,
    auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
)
result = search.fit(model=af.Model(af.ex.Gaussian), analysis=SlowCountingAnalysis(data, noise_map))
np.save(parameters_file, result.samples.parameters)
with open(report_file, "w") as file:
    json.dump(
        {"points": SlowCountingAnalysis.points,
         "total_steps": result.samples.samples_info["total_steps"]},
        file,
    )
"""


def script_command(tmp_path: Path, tag: str, name: str) -> list[str]:
    script = tmp_path / "fit_script.py"
    script.write_text(SCRIPT)
    return [
        sys.executable,
        str(script),
        str(tmp_path / f"{tag}.npy"),
        str(tmp_path / f"{tag}.json"),
        name,
    ]


def script_environment(output_path: Path, sleep: float, nsteps: int) -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop(af.conf.CONFIG_PATH_VARIABLE, None)
    environment[af.conf.OUTPUT_PATH_VARIABLE] = str(output_path)
    environment["LIKELIHOOD_SLEEP"] = str(sleep)
    environment["NSTEPS"] = str(nsteps)
    return environment


def in_process_fit(data, nsteps: int) -> tuple[np.ndarray, list]:
    """The script's fit in this process, without output: (samples, likelihood call points)."""
    counting = CountingAnalysis(*data)
    search = emcee(nsteps=nsteps, iterations_per_update=10, seed=3)
    result = search.fit(model=af.Model(af.ex.Gaussian), analysis=counting)
    return result.samples.parameters, [list(point) for point in counting.points]


def test_killed_fit_resumes_and_completes(tmp_path, output_path, data):
    nsteps = 100
    environment = script_environment(output_path, sleep=0.001, nsteps=nsteps)
    process = subprocess.Popen(
        script_command(tmp_path, "killed", "resume"), env=environment, cwd=tmp_path
    )
    checkpoint_glob = "resume/*/files/search_internal/emcee.npz"
    deadline = time.monotonic() + 60
    try:
        while not list(output_path.glob(checkpoint_glob)):
            assert process.poll() is None, "the fit ended before writing a checkpoint"
            assert time.monotonic() < deadline, "no checkpoint within 60 s"
            time.sleep(0.02)
        assert process.poll() is None, "the fit finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    folder = folder_of(output_path, "resume")
    assert not (folder / ".completed").exists()
    assert not (tmp_path / "killed.json").exists()
    # The last checkpoint is complete and readable.
    with np.load(next(output_path.glob(checkpoint_glob)), allow_pickle=False) as checkpoint:
        done = int(checkpoint["iteration"])
        assert checkpoint["chain"].shape == (done, NWALKERS, 3)
    assert 10 <= done < nsteps

    rerun = subprocess.run(
        script_command(tmp_path, "resumed", "resume"),
        env=environment,
        cwd=tmp_path,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads((tmp_path / "resumed.json").read_text())
    resumed = np.load(tmp_path / "resumed.npy")
    assert (folder / ".completed").exists()
    assert report["total_steps"] == nsteps
    assert resumed.shape == (nsteps * NWALKERS, 3)

    fresh_samples, fresh_points = in_process_fit(data, nsteps)
    # The rerun's first call checks the checkpoint against the data, at its best point so far.
    check, *resumed_points = report["points"]
    assert check in fresh_points
    # Only the missing steps were sampled: the rerun evaluated exactly the points an
    # uninterrupted run evaluates after step `done` (no initial points, no restart), ...
    assert 0 < len(resumed_points) < len(fresh_points) - 2 * NWALKERS
    assert resumed_points == fresh_points[len(fresh_points) - len(resumed_points) :]
    # ... so the chain continued with the saved random state: it is the uninterrupted chain.
    np.testing.assert_array_equal(resumed, fresh_samples)
    # The summary counts the calls of both runs: at most those of one uninterrupted run
    # (20 initial points, 20 for the starting ensemble, one per walker and step).
    total_calls = int(summary_value(folder, "Total Likelihood Calls"))
    assert len(resumed_points) < total_calls <= NWALKERS * (2 + nsteps)


def test_same_seed_gives_the_same_samples_in_a_fresh_process(tmp_path, output_path, data):
    nsteps = 30
    environment = script_environment(output_path, sleep=0.0, nsteps=nsteps)
    completed = subprocess.run(
        script_command(tmp_path, "fresh", ""),
        env=environment,
        cwd=tmp_path,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    samples, points = in_process_fit(data, nsteps)
    np.testing.assert_array_equal(np.load(tmp_path / "fresh.npy"), samples)
    assert json.loads((tmp_path / "fresh.json").read_text())["points"] == points
    assert not output_path.exists() or not any(output_path.iterdir())


# -- unreadable checkpoints -----------------------------------------------------------------------

CORRUPTIONS = {
    "truncated": lambda content: content[: len(content) // 2],
    "empty": lambda content: b"",
    "garbage": lambda content: b"not an npz file" * 10,
}
CHECKPOINTED = {
    "emcee": (lambda: emcee(name="checkpoint"), "emcee.npz"),
    "lbfgs": (lambda: af.LBFGS(name="checkpoint", seed=1, silence=True), "optimizer.npz"),
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
@pytest.mark.parametrize(("search", "checkpoint"), CHECKPOINTED.values(), ids=CHECKPOINTED.keys())
def test_unreadable_checkpoint_warns_and_restarts_cleanly(
    search, checkpoint, corrupt, data, model, output_path
):
    first_analysis = CountingAnalysis(*data)
    first = search().fit(model=model, analysis=first_analysis)
    folder = folder_of(output_path, "checkpoint")
    (folder / ".completed").unlink()
    path = folder / "files" / "search_internal" / checkpoint
    path.write_bytes(corrupt(path.read_bytes()))

    counting = CountingAnalysis(*data)
    with pytest.warns(af.searches.CheckpointWarning, match="restarting"):
        second = search().fit(model=model, analysis=counting)
    assert (folder / ".completed").exists()
    # A clean restart with the same seed repeats the first fit exactly (after one call that
    # checked the samples of the last update against the data).
    assert counting.points[0] in first_analysis.points
    assert counting.points[1:] == first_analysis.points
    np.testing.assert_array_equal(second.samples.parameters, first.samples.parameters)
    with np.load(path, allow_pickle=False) as saved:
        assert len(saved.files) > 0


# -- rejected points ------------------------------------------------------------------------------


def rejected_points(folder: Path) -> int:
    return int(summary_value(folder, "Rejected Points"))


def test_fit_exception_rejects_points(data, model, output_path):
    analysis = RejectAboveCentre(*data, limit=70.0)
    # Walkers spread over the prior, so that a short run visits the rejected region.
    search = emcee(name="fit_exception", nsteps=60, initializer=af.InitializerPrior())
    result = search.fit(model=model, analysis=analysis)
    centres = result.samples.parameters[:, 0]
    assert np.all(centres <= 70.0)
    # Every likelihood call with centre > 70 raised; out-of-prior proposals never reach it.
    raised = sum(point[0] > 70.0 for point in analysis.points)
    assert raised > 0
    assert rejected_points(folder_of(output_path, "fit_exception")) == raised
    assert np.all(np.isfinite(result.samples.log_likelihood))


def test_nan_likelihood_rejects_points(data, model, output_path):
    analysis = NaNBelowSigma(*data, limit=5.0)
    search = emcee(name="nan", nsteps=60, initializer=af.InitializerPrior())
    result = search.fit(model=model, analysis=analysis)
    assert np.all(result.samples.parameters[:, 2] >= 5.0)
    returned_nan = sum(point[2] < 5.0 for point in analysis.points)
    assert returned_nan > 0
    assert rejected_points(folder_of(output_path, "nan")) == returned_nan
    assert np.all(np.isfinite(result.samples.log_likelihood))


def test_assertion_rejects_points(data, output_path):
    model = af.Model(af.ex.Gaussian)
    model.add_assertion(model.centre > 40.0)
    analysis = CountingAnalysis(*data)
    result = emcee(name="assertion", nsteps=60).fit(model=model, analysis=analysis)
    assert np.all(result.samples.parameters[:, 0] > 40.0)
    # The likelihood never sees a point that violates the assertion.
    assert all(point[0] > 40.0 for point in analysis.points)
    assert rejected_points(folder_of(output_path, "assertion")) > 0


def test_rejections_do_not_bias_the_fit(data, model, exact):
    # Rejecting centre > 70 removes no posterior mass (the peak is at 50 +- 0.33).
    search = emcee(nwalkers=30, nsteps=300)
    result = search.fit(model=model, analysis=RejectAboveCentre(*data, limit=70.0))
    median = np.array(result.samples.median_pdf(as_instance=False))
    assert np.all(np.abs(median - exact.parameters) < exact.errors)


@pytest.mark.parametrize(
    "search",
    [lambda: emcee(), lambda: af.LBFGS(seed=1, silence=True), lambda: af.Drawer(seed=1)],
    ids=["emcee", "lbfgs", "drawer"],
)
def test_other_exceptions_propagate_with_the_parameters(search, model):
    analysis = RaisesValueError()
    with pytest.raises(af.exc.LikelihoodException) as info:
        search().fit(model=model, analysis=analysis)
    message = str(info.value)
    centre, normalization, sigma = analysis.failed_at
    assert f"centre={centre!r}" in message
    assert f"normalization={normalization!r}" in message
    assert f"sigma={sigma!r}" in message
    assert "ValueError" in message and "the likelihood is broken" in message
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.parametrize("value", ["abc", "1.5", "-0.1"])
def test_a_bad_samples_weight_threshold_fails_before_the_fit(value, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "general.yaml").write_text(f"output:\n  samples_weight_threshold: {value}\n")
    af.conf.instance.push(new_path=config)
    try:
        analysis = af.ex.Analysis(*af.ex.simulate_data(noise=0.1))
        search = af.Drawer(
            total_draws=10, paths=af.DirectoryPaths(name="threshold", output_root=tmp_path)
        )
        with pytest.raises(af.exc.ConfigException, match="samples_weight_threshold") as info:
            search.fit(model=af.Model(af.ex.Gaussian), analysis=analysis)
        assert str(config) in str(info.value)
        assert not list(tmp_path.glob("threshold/*/files/samples.csv"))
    finally:
        af.conf.instance.reset()


def test_skip_visualization_is_still_importable_from_the_search_module():
    from autofit.config.visualization import skip_visualization
    from autofit.searches import base

    assert base.skip_visualization is skip_visualization
