"""Cells in worker processes: the same results as in series, and a dead worker never hangs."""

import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.parallel.executor import WorkerDiedException

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class SlowAnalysis(af.ex.Analysis):
    """Sleeps at each likelihood and records the process of each cell in ``pid_folder``."""

    def __init__(self, data, noise_map, pid_folder: Path, kill_above: float | None = None):
        super().__init__(data, noise_map)
        self.pid_folder = str(pid_folder)
        self.kill_above = kill_above

    def log_likelihood_function(self, instance):
        if self.kill_above is not None and instance.centre > self.kill_above:
            os.kill(os.getpid(), signal.SIGKILL)
        (Path(self.pid_folder) / str(os.getpid())).touch()
        time.sleep(0.01)
        return super().log_likelihood_function(instance)


def test_parallel_cells_give_the_serial_results(model, analysis):
    serial = af.SearchGridSearch(
        search=af.Drawer(name="serial", total_draws=20, seed=5), number_of_steps=2
    ).fit(model=model, analysis=analysis, grid_priors=[model.centre, model.sigma])
    parallel = af.SearchGridSearch(
        search=af.Drawer(name="parallel", total_draws=20, seed=5),
        number_of_steps=2,
        number_of_cores=2,
    ).fit(model=model, analysis=analysis, grid_priors=[model.centre, model.sigma])
    np.testing.assert_allclose(parallel.log_likelihoods().native, serial.log_likelihoods().native)
    assert parallel.shape == (2, 2)


def test_a_worker_killed_mid_grid_reruns_its_cell(model, analysis, tmp_path, output_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    slow = SlowAnalysis(analysis.data, analysis.noise_map, pids)
    killed = []

    def kill_first_worker():
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline:
            found = [int(path.name) for path in pids.iterdir() if int(path.name) != os.getpid()]
            if found:
                os.kill(found[0], signal.SIGKILL)
                killed.append(found[0])
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_first_worker, daemon=True)
    grid = af.SearchGridSearch(
        search=af.Drawer(name="killed", total_draws=40, seed=6),
        number_of_steps=4,
        number_of_cores=2,
    )
    started = time.monotonic()
    killer.start()
    result = grid.fit(model=model, analysis=slow, grid_priors=[model.centre])
    killer.join()
    assert time.monotonic() - started < 60.0
    assert len(killed) == 1
    assert result.shape == (4,)
    assert np.all(np.isfinite(result.log_likelihoods().native))
    folder = output_path / "killed" / grid.identifier(model, [model.centre])
    assert (folder / ".completed").exists()


def test_a_cell_whose_worker_always_dies_is_named(model, analysis, tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    deadly = SlowAnalysis(analysis.data, analysis.noise_map, pids, kill_above=75.0)
    grid = af.SearchGridSearch(
        search=af.Drawer(name="deadly", total_draws=5, seed=7),
        number_of_steps=4,
        number_of_cores=2,
    )
    started = time.monotonic()
    with pytest.raises(WorkerDiedException, match=r"cell 3 \(centre 75 to 100\) died 2 times"):
        grid.fit(model=model, analysis=deadly, grid_priors=[model.centre])
    assert time.monotonic() - started < 60.0
