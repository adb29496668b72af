"""PlotWorker and wait_for_plots (autofit/plot/background.py): plots drawn by a child process."""

from __future__ import annotations

import pytest

import autofit.plot as aplt
from autofit.plot import background
from test_autofit.plot.conftest import is_png, mcmc_samples, nest_samples


@pytest.fixture(autouse=True)
def plots_enabled(monkeypatch):
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION", raising=False)


@pytest.mark.parametrize("make", [mcmc_samples, nest_samples], ids=["mcmc", "nest"])
def test_a_worker_draws_the_samples_it_is_sent(tmp_path, make):
    samples = make()
    search = "Emcee" if make is mcmc_samples else "DynestyStatic"
    worker = background.PlotWorker(samples.model, tmp_path, search)
    assert worker._process is not None and worker._process.is_alive()
    worker.draw(samples)
    aplt.wait_for_plots(timeout=120)
    assert worker._process.exitcode == 0
    expected = {"Emcee": ["corner", "log_likelihood_vs_iteration", "subplot_parameters"]}.get(
        search, ["corner", "log_likelihood_vs_iteration"]
    )
    written = sorted(path.stem for path in (tmp_path / "search").glob("*.png"))
    assert written == expected
    assert all(is_png(path) for path in (tmp_path / "search").glob("*.png"))


def test_a_closed_worker_exits_without_drawing(tmp_path):
    samples = mcmc_samples()
    worker = background.PlotWorker(samples.model, tmp_path, "Emcee")
    worker.close()
    worker._process.join(60)
    assert worker._process.exitcode == 0
    assert not (tmp_path / "search").exists()
    aplt.wait_for_plots(timeout=60)
    assert not background._RUNNING


def test_wait_for_plots_releases_a_worker_that_was_never_sent_samples(tmp_path):
    # A fit interrupted without reaching its end leaves a worker waiting: waiting for the
    # plots (as Python does at exit) tells it to exit instead of blocking forever.
    samples = mcmc_samples()
    worker = background.PlotWorker(samples.model, tmp_path, "Emcee")
    aplt.wait_for_plots(timeout=60)
    assert worker._process.exitcode == 0
    assert not (tmp_path / "search").exists()


def test_a_worker_that_has_gone_is_replaced_by_drawing_here(tmp_path):
    samples = mcmc_samples()
    worker = background.PlotWorker(samples.model, tmp_path, "Emcee")
    worker._process.kill()
    worker._process.join(60)
    worker.draw(samples)
    assert sorted(path.stem for path in (tmp_path / "search").glob("*.png")) == [
        "corner",
        "log_likelihood_vs_iteration",
        "subplot_parameters",
    ]
    background._RUNNING.clear()


def test_plot_search_in_background_draws_every_configured_plot(tmp_path):
    samples = nest_samples()
    process = aplt.plot_search_in_background(samples, tmp_path, "DynestyStatic")
    aplt.wait_for_plots(timeout=120)
    assert process.exitcode == 0
    assert sorted(path.stem for path in (tmp_path / "search").glob("*.png")) == [
        "corner",
        "log_likelihood_vs_iteration",
    ]
