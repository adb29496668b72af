"""Sensitivity cells in worker processes: a worker that dies is rerun once, then named."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

import autofit as af
from autofit.parallel.executor import WorkerDiedException
from test_autofit.sensitivity.conftest import make_sensitivity, simulate

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class KillingSimulate:
    """Simulates as usual, but kills its worker process (SIGKILL) when simulating the bright
    perturbation: always, or only the first time (a marker file remembers it)."""

    def __init__(self, parent: int, marker: Path | None) -> None:
        self.parent = parent
        self.marker = None if marker is None else str(marker)

    def __call__(self, instance: Any, simulate_path: Any) -> Any:
        bright = instance.perturb.normalization > 1.0
        if bright and os.getpid() != self.parent:
            if self.marker is None or not os.path.exists(self.marker):
                if self.marker is not None:
                    Path(self.marker).touch()
                os.kill(os.getpid(), signal.SIGKILL)
        return simulate(instance, simulate_path)


def test_a_cell_whose_worker_is_killed_once_is_run_again(tmp_path):
    marker = tmp_path / "killed_once"
    started = time.monotonic()
    result = make_sensitivity(
        search="drawer",
        number_of_cores=2,
        simulate_cls=KillingSimulate(os.getpid(), marker),
    ).run()
    assert time.monotonic() - started < 60.0
    assert marker.exists()
    assert result.log_likelihood_differences[1] > 100.0
    assert None not in result.log_likelihood_differences


def test_a_cell_whose_worker_always_dies_is_named_without_hanging():
    sensitivity = make_sensitivity(
        search="drawer",
        number_of_cores=2,
        simulate_cls=KillingSimulate(os.getpid(), None),
    )
    started = time.monotonic()
    with pytest.raises(WorkerDiedException, match=r"sensitivity cell 1 \(normalization 1 to 100\)"):
        sensitivity.run()
    assert time.monotonic() - started < 60.0
    # The cell that finished keeps its record: a rerun would fit only the other one.
    folder = sensitivity.output_path
    assert (folder / "cell_0__normalization_0.01_1" / "sensitivity_cell.json").is_file()
    assert not (folder / "cell_1__normalization_1_100" / "sensitivity_cell.json").exists()


def test_the_folder_changes_with_the_simulation_instance():
    first = make_sensitivity(search="drawer")
    other = af.ModelInstance(
        {"gaussian": af.ex.Gaussian(centre=50.0, normalization=30.0, sigma=10.0)}
    )
    second = make_sensitivity(search="drawer", simulation_instance=other)
    assert first.identifier() != second.identifier()
    assert first.identifier() == make_sensitivity(search="drawer").identifier()
    assert first.output_path != second.output_path
