"""Tests of the driver's safety checks: names that stay inside the output folder, unreadable
driver state, leftover temporary files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from test_autofit.searches.analyses import CountingAnalysis
from test_autofit.searches.conftest import PACKAGE_CONFIG


def drawer(**kwargs) -> af.Drawer:
    return af.Drawer(**{"total_draws": 20, "seed": 1, "silence": True, **kwargs})


def fit_folder(output_path: Path, name: str) -> Path:
    (folder,) = (output_path / name).iterdir()
    return folder


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"name": "../elsewhere"}, r"name='\.\./elsewhere' has a '\.\.' part"),
        ({"path_prefix": "project/../../up"}, r"path_prefix=.* has a '\.\.' part"),
        ({"path_prefix": "/tmp/absolute"}, r"path_prefix='/tmp/absolute' is an absolute path"),
        ({"name": "C:\\fits"}, "is an absolute path"),
        ({"name": "two\nlines"}, "holds a newline"),
        ({"unique_tag": "tag\r"}, "unique_tag=.* holds a newline"),
    ],
)
def test_names_escaping_the_output_folder_are_rejected_at_construction(keywords, message):
    with pytest.raises(af.exc.SearchException, match=message):
        drawer(**keywords)
    with pytest.raises(af.exc.SearchException, match=message):
        af.DirectoryPaths(**keywords)


def test_nested_relative_names_are_accepted(output_path, data, model):
    search = drawer(name="fits/one", path_prefix="project/./dataset", unique_tag="tag")
    search.fit(model=model, analysis=CountingAnalysis(*data))
    assert list(output_path.glob("project/dataset/tag/fits/one/*/.completed"))


@pytest.mark.parametrize("content", ["{not json", '["a list"]', '{"seed": "abc"}', ""])
def test_corrupt_driver_state_warns_and_the_fit_completes(content, output_path, data, model):
    emcee = af.Emcee(nwalkers=10, nsteps=20, iterations_per_update=10, seed=2, silence=True)
    emcee.name = "driver"
    emcee.fit(model=model, analysis=CountingAnalysis(*data))
    folder = fit_folder(output_path, "driver")
    (folder / ".completed").unlink()
    state = folder / "files" / "search_internal" / "driver.json"
    state.write_text(content)
    with pytest.warns(af.searches.CheckpointWarning, match="driver.json is corrupt"):
        result = emcee.fit(model=model, analysis=CountingAnalysis(*data))
    assert (folder / ".completed").exists()
    assert result.samples.parameters.shape == (200, 3)
    assert set(json.loads(state.read_text())) >= {"seed", "time", "calls"}
    assert np.isfinite(result.log_likelihood)


# -- two processes running one fit ----------------------------------------------------------------

SLOW_FIT = """
import sys, time
import autofit as af


class Slow(af.ex.Analysis):
    def log_likelihood_function(self, instance):
        time.sleep(0.002)
        return super().log_likelihood_function(instance)


af.conf.instance.push(new_path=sys.argv[2], output_path=sys.argv[1])
search = af.Emcee(name="shared", nwalkers=10, nsteps=2000, iterations_per_update=5, seed=1,
                  silence=True)
search.fit(model=af.Model(af.ex.Gaussian), analysis=Slow(*af.ex.simulate_data(noise=0.1)))
"""


@pytest.mark.skipif(os.name != "posix", reason="flock locks are POSIX only")
def test_a_second_process_running_the_same_fit_fails_naming_the_first(
    tmp_path, output_path, data, model
):
    environment = {**os.environ, "AUTOFIT_SKIP_VISUALIZATION": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_FIT, str(output_path), str(PACKAGE_CONFIG)],
        env=environment,
        cwd=tmp_path,
    )
    search = af.Emcee(name="shared", nwalkers=10, nsteps=2000, iterations_per_update=5, seed=1)
    folder = search.paths_for(model).output_path
    try:
        deadline = time.monotonic() + 60
        while not (folder / "files" / "search_internal" / "emcee.npz").exists():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        counting = CountingAnalysis(*data)
        with pytest.raises(af.exc.FitLockedException, match=rf"process {process.pid}.*{folder}"):
            search.fit(model=model, analysis=counting)
        assert counting.calls == 0
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    # The killed holder's lock is taken over; what its kill left is cleaned up at the start.
    leftover = folder / "files" / ".samples.csv.abc123.tmp"
    leftover.write_text("half a file")
    resumed = af.Emcee(name="shared", nwalkers=10, nsteps=2000, iterations_per_update=500, seed=1)
    resumed.silence = True
    resumed.fit(model=model, analysis=CountingAnalysis(*data))
    assert not leftover.exists()
    assert not (folder / ".lock").exists()


# -- resuming on other data -----------------------------------------------------------------------


class StopsAfter(af.ex.Analysis):
    """Raises KeyboardInterrupt (as Ctrl+C would) after ``limit`` likelihood calls."""

    def __init__(self, data, noise_map, limit: int | None = None) -> None:
        super().__init__(data, noise_map)
        self.limit = limit
        self.calls = 0

    def log_likelihood_function(self, instance):
        self.calls += 1
        if self.limit is not None and self.calls > self.limit:
            raise KeyboardInterrupt
        return super().log_likelihood_function(instance)


def gaussian_data(centre: float) -> tuple[np.ndarray, np.ndarray]:
    return af.ex.simulate_data([af.ex.Gaussian(centre, 25.0, 5.0)], noise=0.1)


RESUMABLE_SETTINGS = {
    "nwalkers": 20,
    "nsteps": 150,
    "iterations_per_update": 10,
    "seed": 4,
    "silence": True,
    "auto_correlation_settings": af.AutoCorrelationsSettings(check_for_convergence=False),
}
RESUMABLE = {
    "emcee": (lambda: af.Emcee(name="resumed", **RESUMABLE_SETTINGS), 500),
    "lbfgs": (lambda: af.LBFGS(name="resumed", iterations_per_update=2, seed=4, silence=True), 40),
}


@pytest.mark.parametrize(("search", "limit"), RESUMABLE.values(), ids=RESUMABLE.keys())
def test_a_fit_resumed_on_other_data_starts_afresh_and_keeps_the_old_checkpoint(
    search, limit, output_path, model
):
    with pytest.raises(KeyboardInterrupt):
        search().fit(model=model, analysis=StopsAfter(*gaussian_data(30.0), limit=limit))
    (folder,) = (output_path / "resumed").iterdir()
    checkpoint = folder / "files" / "search_internal"
    old = sorted(path.name for path in checkpoint.iterdir())
    assert len(old) > 1 and (folder / "files" / "samples.csv").exists()

    with pytest.warns(af.searches.CheckpointWarning, match="other data") as caught:
        result = search().fit(model=model, analysis=StopsAfter(*gaussian_data(70.0)))
    assert abs(result.instance.centre - 70.0) < 1.0
    aside = folder / "search_internal.data_changed.1"
    assert str(aside) in str(caught[0].message)
    assert sorted(path.name for path in aside.iterdir()) == sorted(
        [*old, "samples.csv", "samples.npy", "samples_info.json", "samples_summary.json"]
    )
    # The new samples hold no point of the old chain (all near centre 70, none near 30).
    samples = np.loadtxt(folder / "files" / "samples.csv", delimiter=",", skiprows=1)
    assert np.all(np.abs(samples[:, 0] - 30.0) > 5.0)


def test_a_fit_resumed_on_the_same_data_resumes_without_warning(output_path, model):
    search, _ = RESUMABLE["emcee"]
    with pytest.raises(KeyboardInterrupt):
        search().fit(model=model, analysis=StopsAfter(*gaussian_data(30.0), limit=500))
    analysis = StopsAfter(*gaussian_data(30.0))
    result = search().fit(model=model, analysis=analysis)
    fresh = StopsAfter(*gaussian_data(30.0))
    af.Emcee(**{**RESUMABLE_SETTINGS, "name": "fresh"}).fit(model=model, analysis=fresh)
    assert analysis.calls < fresh.calls - 200
    assert abs(result.instance.centre - 30.0) < 1.0
    assert not list(output_path.glob("resumed/*/search_internal.data_changed.*"))
