"""The plot server (autofit/plot/background.py): search plots drawn by one child process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import autofit as af
import autofit.plot as aplt
from autofit.plot import background
from test_autofit.plot.conftest import is_png, mcmc_samples, nest_samples


@pytest.fixture(autouse=True)
def plots_enabled(monkeypatch):
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION", raising=False)


def written(folder):
    return sorted(path.stem for path in (folder / "search").glob("*.png"))


def test_the_server_draws_the_configured_plots_of_each_fit_sent(tmp_path):
    aplt.plot_search_in_background(mcmc_samples(), tmp_path / "mcmc", "Emcee")
    aplt.plot_search_in_background(nest_samples(), tmp_path / "nest", "DynestyStatic")
    aplt.wait_for_plots(timeout=120)
    assert written(tmp_path / "mcmc") == [
        "corner",
        "log_likelihood_vs_iteration",
        "subplot_parameters",
    ]
    assert written(tmp_path / "nest") == ["corner", "log_likelihood_vs_iteration"]
    assert all(is_png(path) for path in tmp_path.rglob("*.png"))


def test_one_server_draws_for_every_fit_of_the_process(tmp_path):
    server = background.plot_server()
    assert server is not None and server.is_alive and server.is_owned
    assert background.plot_server() is server
    aplt.plot_search_in_background(mcmc_samples(), tmp_path, "Emcee")
    aplt.wait_for_plots(timeout=120)
    assert background.plot_server() is server


def test_the_plots_follow_the_configuration_of_the_fitting_process(tmp_path):
    # The server was forked earlier; a configuration pushed afterwards still decides the plots.
    background.plot_server()
    config = tmp_path / "config" / "visualize"
    config.mkdir(parents=True)
    (config / "plots_search.yaml").write_text("Emcee:\n  subplot_parameters: false\n")
    af.conf.instance.push(new_path=tmp_path / "config")
    aplt.plot_search_in_background(mcmc_samples(), tmp_path / "fit", "Emcee")
    aplt.wait_for_plots(timeout=120)
    assert written(tmp_path / "fit") == ["corner", "log_likelihood_vs_iteration"]


def test_a_class_defined_in_a_script_reaches_the_server(tmp_path):
    # The samples travel with dill, so a model of a class from __main__ plots too; the fitting
    # process itself never imports matplotlib.
    script = tmp_path / "fit.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            import numpy as np
            import autofit as af
            import autofit.plot as aplt

            class Line:
                def __init__(self, slope=1.0, offset=0.0):
                    self.slope, self.offset = slope, offset

            model = af.Model(
                Line,
                slope=af.UniformPrior(lower_limit=0.0, upper_limit=2.0),
                offset=af.UniformPrior(lower_limit=-1.0, upper_limit=1.0),
            )
            rng = np.random.default_rng(1)
            parameters = rng.normal(size=(500, 2)) * 0.1 + [1.0, 0.0]
            samples = af.Samples(model, parameters, -np.sum(parameters**2, axis=1), np.zeros(500))
            aplt.plot_search_in_background(samples, {str(tmp_path / "image")!r}, "Drawer")
            aplt.wait_for_plots(timeout=120)
            print("matplotlib" in sys.modules)
            """
        )
    )
    environment = {key: value for key, value in os.environ.items() if "AUTOFIT" not in key}
    completed = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["False"]
    assert written(tmp_path / "image") == ["corner"]


def test_a_script_that_exits_waits_for_its_plots(tmp_path):
    script = tmp_path / "fit.py"
    script.write_text(
        "from test_autofit.plot.conftest import mcmc_samples\n"
        "import autofit.plot as aplt\n"
        f"aplt.plot_search_in_background(mcmc_samples(), {str(tmp_path / 'image')!r}, 'Emcee')\n"
    )
    environment = {key: value for key, value in os.environ.items() if "AUTOFIT" not in key}
    environment["PYTHONPATH"] = os.pathsep.join([os.getcwd(), *sys.path])
    completed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=environment
    )
    assert completed.returncode == 0, completed.stderr
    assert written(tmp_path / "image") == [
        "corner",
        "log_likelihood_vs_iteration",
        "subplot_parameters",
    ]


def test_a_failing_plot_is_logged_and_the_server_carries_on(tmp_path):
    broken = mcmc_samples()
    broken.samples_info["nwalkers"] = "not a number"  # the trace plot cannot use it
    aplt.plot_search_in_background(broken, tmp_path / "broken", "Emcee")
    aplt.plot_search_in_background(nest_samples(), tmp_path / "fine", "DynestyStatic")
    aplt.wait_for_plots(timeout=120)
    assert written(tmp_path / "fine") == ["corner", "log_likelihood_vs_iteration"]
    assert background.plot_server().is_alive


def test_the_server_of_a_killed_script_exits(tmp_path):
    import signal
    import time

    script = tmp_path / "killed.py"
    script.write_text(
        "import time\n"
        "from autofit.plot import background\n"
        "print(background.plot_server()._process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    environment = {key: value for key, value in os.environ.items() if "AUTOFIT" not in key}
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=environment
    )
    server_pid = int(process.stdout.readline())
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.kill(server_pid, signal.SIGKILL)
        pytest.fail("the plot server outlived the killed script by 30 s")
    # Its end of the script's standard output is closed too: reading it ends.
    assert process.stdout.read() == ""
