"""Ctrl+C stops a parallel fit within seconds and leaves a checkpoint the next run resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

import autofit as af
from test_autofit.searches.analyses import CountingAnalysis
from test_autofit.searches.conftest import PACKAGE_CONFIG

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and SIGINT")

SEARCHES = {
    "emcee": (
        "af.Emcee(name='interrupted', nwalkers=10, nsteps=400, iterations_per_update=5, seed=1, "
        "auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False), "
        "number_of_cores=CORES, silence=True)",
        "emcee.npz",
    ),
    "dynesty": (
        "af.DynestyStatic(name='interrupted', nlive=30, iterations_per_update=40, seed=1, "
        "number_of_cores=CORES, silence=True)",
        "dynesty.save",
    ),
}

SCRIPT = """
import sys, time
import autofit as af


class Slow(af.ex.Analysis):
    def log_likelihood_function(self, instance):
        time.sleep(0.02)
        return super().log_likelihood_function(instance)


af.conf.instance.push(new_path=sys.argv[1], output_path=sys.argv[2])
CORES = 2
search = {search}
search.fit(model=af.Model(af.ex.Gaussian), analysis=Slow(*af.ex.simulate_data(noise=0.1)))
print("finished", flush=True)
"""


@pytest.mark.parametrize("search", SEARCHES)
def test_ctrl_c_stops_a_parallel_fit_which_then_resumes(search, tmp_path, output_path, data):
    expression, checkpoint = SEARCHES[search]
    script = tmp_path / "fit.py"
    script.write_text(SCRIPT.format(search=expression))
    environment = {**os.environ, "AUTOFIT_SKIP_VISUALIZATION": "1"}
    # Its own process group, as a terminal's foreground job: Ctrl+C reaches every process.
    process = subprocess.Popen(
        [sys.executable, str(script), str(PACKAGE_CONFIG), str(output_path)],
        env=environment,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(output_path.glob(f"interrupted/*/files/search_internal/{checkpoint}")):
            assert process.poll() is None, process.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "no checkpoint within 60 s"
            time.sleep(0.05)
        time.sleep(0.3)  # interrupt in the middle of a batch of likelihood calls
        assert process.poll() is None, "the fit finished before it could be interrupted"
        interrupted = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
        assert time.monotonic() - interrupted < 10
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
            pytest.fail("the fit did not stop within 10 s of Ctrl+C")
    assert process.returncode != 0 and "KeyboardInterrupt" in stderr
    (folder,) = (output_path / "interrupted").iterdir()
    assert not (folder / ".completed").exists()
    assert not (folder / ".lock").exists()

    # The rerun (in this process, one core: cores are not part of the fit's identity) resumes.
    counting = CountingAnalysis(*data)
    resumed = eval(expression, {"af": af, "CORES": 1})
    resumed.fit(model=af.Model(af.ex.Gaussian), analysis=counting)
    assert (folder / ".completed").exists()
    fresh = CountingAnalysis(*data)
    eval(expression.replace("'interrupted'", "'fresh'"), {"af": af, "CORES": 1}).fit(
        model=af.Model(af.ex.Gaussian), analysis=fresh
    )
    assert 0 < counting.calls < fresh.calls
