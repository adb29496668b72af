"""End-of-fit search plots written by the driver (searches/driver.py with autofit/plot)."""

from __future__ import annotations

import sys

import pytest

import autofit as af
import autofit.plot as aplt

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.search_plots
def test_a_fit_writes_its_search_plots(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION", raising=False)
    data, noise = af.ex.simulate_data(noise=0.1)
    search = af.Emcee(
        nwalkers=10,
        nsteps=60,
        seed=1,
        silence=True,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        paths=af.DirectoryPaths(name="plots", output_root=tmp_path),
    )
    result = search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(data, noise))
    aplt.wait_for_plots()
    folder = result.paths.output_path / "image" / "search"
    names = sorted(path.name for path in folder.glob("*.png"))
    assert names == ["corner.png", "log_likelihood_vs_iteration.png", "subplot_parameters.png"]
    for path in folder.glob("*.png"):
        assert path.read_bytes()[:8] == PNG


@pytest.mark.search_plots
def test_skip_visualization_writes_no_search_plots(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    data, noise = af.ex.simulate_data(noise=0.1)
    search = af.Drawer(
        total_draws=20,
        seed=1,
        silence=True,
        paths=af.DirectoryPaths(name="skip", output_root=tmp_path),
    )
    result = search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(data, noise))
    aplt.wait_for_plots()
    assert not (result.paths.output_path / "image" / "search").exists()


@pytest.mark.search_plots
def test_a_fit_in_a_fresh_process_does_not_import_matplotlib(tmp_path):
    # The plots are drawn in a forked child process: the fitting process stays free of
    # matplotlib.
    import subprocess

    script = tmp_path / "fit.py"
    script.write_text(
        "import sys, autofit as af\n"
        "data, noise = af.ex.simulate_data(noise=0.1)\n"
        "search = af.Drawer(total_draws=20, seed=1, silence=True,\n"
        f"    paths=af.DirectoryPaths(name='fresh', output_root={str(tmp_path)!r}))\n"
        "search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(data, noise))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "False"
    assert list(tmp_path.glob("fresh/*/image/search/corner.png"))


class FailingAnalysis(af.ex.Analysis):
    """Raises a plain error at the 50th likelihood call, after the plot server has started."""

    calls = 0

    def log_likelihood_function(self, instance):
        FailingAnalysis.calls += 1
        if FailingAnalysis.calls == 50:
            raise RuntimeError("the likelihood broke")
        return super().log_likelihood_function(instance)


@pytest.mark.search_plots
def test_a_failed_fit_draws_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION", raising=False)
    data, noise = af.ex.simulate_data(noise=0.1)
    search = af.Drawer(
        total_draws=200,
        seed=1,
        silence=True,
        paths=af.DirectoryPaths(name="failing", output_root=tmp_path),
    )
    with pytest.raises(af.exc.LikelihoodException, match="the likelihood broke"):
        search.fit(model=af.Model(af.ex.Gaussian), analysis=FailingAnalysis(data, noise))
    aplt.wait_for_plots(timeout=60)
    assert not list(tmp_path.glob("failing/*/image/search/*.png"))
