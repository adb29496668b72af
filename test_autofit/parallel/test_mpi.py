"""af.MPIPool and the searches' pool= keyword.

The MPI runs start ``mpiexec`` in a subprocess with a script written to the test's folder; they
are skipped, with the extra to install, where mpi4py or mpiexec is missing (the test extra
installs both from wheels, mpiexec coming with the mpich wheel).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autofit as af
from autofit.example.analysis import simulate_data

ROOT = Path(__file__).resolve().parents[2]
SKIP_REASON = 'mpi4py is not installed: pip install "autofit[mpi]"'

SCRIPT = """
import numpy as np
from mpi4py import MPI

import autofit as af
from autofit.example.analysis import simulate_data


SERIALISED = []


class RankCheckedAnalysis(af.ex.Analysis):
    \"\"\"Defined in the script (sent to the workers by value); refuses to run on rank 0 and
    counts how often it is serialised there.\"\"\"

    def log_likelihood_function(self, instance):
        if MPI.COMM_WORLD.Get_rank() == 0:
            raise RuntimeError("a likelihood ran on rank 0")
        return super().log_likelihood_function(instance)

    def __getstate__(self):
        SERIALISED.append(MPI.COMM_WORLD.Get_rank())
        return dict(self.__dict__)


pool = af.MPIPool()
print("script ran on rank", MPI.COMM_WORLD.Get_rank(), "with", pool.processes, "workers")
data, noise_map = simulate_data(noise=1.0)
search = {search}
search.fit(model=af.Model(af.ex.Gaussian), analysis=RankCheckedAnalysis(data, noise_map))
print("analysis serialised", len(SERIALISED), "time(s)")
"""


def emcee(**kwargs: Any) -> af.Emcee:
    settings = af.AutoCorrelationsSettings(check_for_convergence=False)
    return af.Emcee(
        nwalkers=10,
        nsteps=40,
        seed=1,
        iterations_per_update=20,
        auto_correlation_settings=settings,
        silence=True,
        **kwargs,
    )


def dynesty(**kwargs: Any) -> af.DynestyStatic:
    return af.DynestyStatic(nlive=20, dlogz=2.0, seed=3, silence=True, **kwargs)


def mpiexec() -> str:
    """The mpiexec of the MPI library mpi4py uses (the mpich wheel puts it beside python)."""
    pytest.importorskip("mpi4py", reason=SKIP_REASON)
    beside = Path(sys.executable).parent / "mpiexec"
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        pytest.skip(f"mpiexec is not installed: {SKIP_REASON.split(': ')[1]} (the mpich wheel)")
    return found


def run_mpi(tmp_path: Path, search: str, module: str, ranks: int = 3) -> str:
    """Run the script fitting with ``search`` on ``ranks`` ranks; its standard output."""
    script = tmp_path / "fit_mpi.py"
    script.write_text(SCRIPT.format(search=search))
    environment = dict(os.environ)
    environment.pop(af.conf.CONFIG_PATH_VARIABLE, None)
    environment.update(
        {
            af.conf.OUTPUT_PATH_VARIABLE: str(tmp_path / "output"),
            "AUTOFIT_SKIP_VISUALIZATION": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), environment.get("PYTHONPATH", "")]),
        }
    )
    command = [mpiexec(), "-n", str(ranks), sys.executable, "-m", module, str(script)]
    process = subprocess.run(
        command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return process.stdout


def analysis() -> af.ex.Analysis:
    return af.ex.Analysis(*simulate_data(noise=1.0))


def test_mpi_run_on_three_ranks_gives_the_serial_samples(tmp_path, monkeypatch):
    """Rank 0 runs the script once and writes the fit; ranks 1 and 2 evaluate every
    likelihood (the initial walkers included); the samples written are those of a serial fit."""
    search = "af.Emcee(nwalkers=10, nsteps=40, seed=1, iterations_per_update=20, pool=pool, "
    search += "auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence="
    search += "False), silence=True, name='mpi')"
    stdout = run_mpi(tmp_path, search, "mpi4py.futures")
    assert stdout.count("script ran") == 1
    assert "script ran on rank 0 with 2 workers" in stdout
    # Once for the fit (both workers receive that one payload), not with the likelihood calls.
    assert "analysis serialised 1 time(s)" in stdout

    monkeypatch.setenv(af.conf.OUTPUT_PATH_VARIABLE, str(tmp_path / "output"))
    folders = list((tmp_path / "output" / "mpi").iterdir())
    assert len(folders) == 1 and (folders[0] / ".completed").exists()
    serial = emcee().fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    # The same search with output loads the MPI fit from its folder (the pool is not part of
    # the identifier) instead of sampling.
    loaded = emcee(name="mpi").fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    assert loaded.samples.parameters.shape == (400, 3)
    np.testing.assert_array_equal(loaded.samples.parameters, serial.samples.parameters)
    np.testing.assert_array_equal(loaded.samples.log_likelihood, serial.samples.log_likelihood)
    # The calls counted on rank 0 (as in the test of a given pool below).
    summary = (folders[0] / "search.summary").read_text().splitlines()
    assert "Total Likelihood Calls          420" in summary


def test_library_entry_point_runs_dynesty_on_the_mpi_workers(tmp_path, monkeypatch):
    """``python -m autofit.mpi``; dynesty's tasks run on the 2 workers, so the run is the one
    of a pool of 2 processes (dynesty's queue_size is the pool's size)."""
    stdout = run_mpi(
        tmp_path,
        "af.DynestyStatic(nlive=20, dlogz=2.0, seed=3, silence=True, pool=pool, name='nest')",
        "autofit.mpi",
    )
    assert "script ran on rank 0 with 2 workers" in stdout
    assert "analysis serialised 1 time(s)" in stdout
    monkeypatch.setenv(af.conf.OUTPUT_PATH_VARIABLE, str(tmp_path / "output"))
    loaded = dynesty(name="nest").fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    processes = dynesty(number_of_cores=2).fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    np.testing.assert_array_equal(loaded.samples.parameters, processes.samples.parameters)
    assert loaded.samples.log_evidence == pytest.approx(processes.samples.log_evidence, abs=1e-12)


def test_mpi_pool_without_mpi4py_names_the_extra(monkeypatch):
    for name in ("mpi4py", "mpi4py.MPI", "mpi4py.futures"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "autofit\[mpi\]"'):
        af.MPIPool()
    from autofit.mpi import main

    with pytest.raises(ImportError, match=r'pip install "autofit\[mpi\]"'):
        main()


CHECKS = """
import autofit as af

for arguments in ({}, {"max_workers": 0}):
    try:
        af.MPIPool(**arguments)
    except af.exc.AutofitError as error:
        print(error)
"""


def test_mpi_pool_outside_mpiexec_needs_max_workers():
    """Run in a subprocess: this test process does not initialise MPI."""
    pytest.importorskip("mpi4py", reason=SKIP_REASON)
    process = subprocess.run(
        [sys.executable, "-c", CHECKS], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert process.returncode == 0, process.stderr
    assert "or give max_workers=N to spawn N worker processes" in process.stdout
    assert "af.MPIPool: max_workers must be a whole number >= 1, got 0" in process.stdout


class RecordingPool:
    """An autofit pool evaluating in this process, recording what each fit sent it."""

    def __init__(self) -> None:
        self.started: list[tuple[Any, dict]] = []
        self.runs: list[RecordingRun] = []
        self.points = 0

    def start(self, function: Any = None, functions: dict | None = None) -> RecordingRun:
        self.started.append((function, dict(functions or {})))
        self.runs.append(RecordingRun(self, function))
        return self.runs[-1]


class RecordingRun:
    def __init__(self, owner: RecordingPool, function: Any) -> None:
        self.owner, self.function = owner, function
        self.closed = False

    def map(self, function: Any, items: Any) -> list[Any]:
        items = list(items)
        self.owner.points += len(items)
        if self.function is not None:
            return [self.function(item) for item in items]
        return [function(item) for item in items]

    @property
    def size(self) -> int:
        return 2

    def close(self) -> None:
        self.closed = True


def test_a_given_pool_evaluates_every_likelihood_and_gives_the_serial_samples():
    pool = RecordingPool()
    pooled = emcee(pool=pool).fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    serial = emcee().fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    np.testing.assert_array_equal(pooled.samples.parameters, serial.samples.parameters)
    assert len(pool.started) == 1
    function, functions = pool.started[0]
    assert functions == {} and function is not None
    # The 10 initial walkers (found, then evaluated again by emcee) and 40 steps of 10
    # walkers: every call went through the pool.
    assert pool.points == function.calls == 420


def test_dynesty_sends_its_functions_to_a_given_pool():
    pool = RecordingPool()
    dynesty(pool=pool).fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    function, functions = pool.started[0]
    assert function is None
    assert set(functions) == {
        "autofit.dynesty.loglike",
        "autofit.dynesty.loglike_batch",
        "autofit.dynesty.prior_transform",
    }
    assert pool.points > 20  # the initial live points and dynesty's tasks


def test_pool_keyword_is_checked_when_the_search_is_made():
    with pytest.raises(af.exc.SearchException, match="not both"):
        af.Emcee(pool=RecordingPool(), number_of_cores=2)
    with pytest.raises(af.exc.SearchException, match="LBFGS takes no pool"):
        af.LBFGS(pool=RecordingPool())
    with pytest.raises(TypeError, match=r"af.MPIPool\(\).*number_of_cores"):
        af.Emcee(pool=object())
    for search in (af.Zeus, af.DynestyStatic, af.DynestyDynamic, af.Nautilus, af.Drawer):
        assert search(pool=(pool := RecordingPool())).pool is pool


@pytest.mark.parametrize(
    "search",
    [
        pytest.param(lambda pool: af.Zeus(nwalkers=8, nsteps=10, seed=1, pool=pool), id="Zeus"),
        pytest.param(
            lambda pool: af.Nautilus(n_live=20, n_like_max=100, seed=1, pool=pool), id="Nautilus"
        ),
        pytest.param(lambda pool: af.Drawer(total_draws=20, seed=1, pool=pool), id="Drawer"),
        pytest.param(
            lambda pool: af.DynestyDynamic(nlive_init=20, maxcall=300, seed=1, pool=pool),
            id="DynestyDynamic",
        ),
    ],
)
def test_every_pooled_search_hands_its_likelihoods_to_the_given_pool(search):
    pool = RecordingPool()
    search(pool).fit(model=af.Model(af.ex.Gaussian), analysis=analysis())
    assert len(pool.started) == 1
    assert pool.points >= 20
    assert pool.runs[0].closed
