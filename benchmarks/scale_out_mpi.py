"""Time an Emcee fit whose likelihood takes 5 ms on 2 MPI worker ranks against one core.

The problem: the 1D Gaussian of ``af.ex.Analysis``, its likelihood made to wait ``--sleep``
seconds per call (as an expensive model would compute; waiting needs no free core, so the
comparison measures the pool's parallelism and overheads even on a busy machine), fitted by
``af.Emcee`` with ``--nwalkers`` walkers for ``--nsteps`` steps, without output.

- ``serial``: the fit in this process, on one core, after a short untimed fit (imports).
- ``mpi``: the same fit in ``mpiexec -n 3 python -m mpi4py.futures`` (rank 0 runs the fit,
  ranks 1 and 2 evaluate the likelihoods through one ``af.MPIPool``). A short fit first starts
  the workers (they import autofit and numpy): ``warm_up_seconds``. ``fit_seconds`` are the
  timed fits on rank 0, around ``search.fit`` (sending the analysis to the workers included);
  ``command_seconds`` is the whole command (starting MPI, imports and every fit).
- ``speedup``: the best serial wall time over the best MPI fit time (target >= 1.7; the ideal is
  2: emcee moves half the walkers at a time, shared out between the 2 workers).
- ``same_samples``: whether the MPI fit's samples equal the serial fit's.

Needs the ``mpi`` extra (``pip install "autofit[mpi]"``, which brings ``mpiexec``). Run from the
repository root::

    python benchmarks/scale_out_mpi.py              # about a minute
    python benchmarks/scale_out_mpi.py --repeat 3 --nwalkers 32 --nsteps 100

The result is printed as JSON on standard output (``benchmarks/scale_out.py`` runs this script
and includes it in its report).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

TARGET_SPEEDUP = 1.7
WORKER_RANKS = 2


def _fit(nwalkers: int, nsteps: int, sleep: float, pool: Any = None) -> tuple[float, Any]:
    """Run the fit; its wall time on this process and its samples' parameters."""
    import emcee  # noqa: F401 - imported before the timing (scipy.stats takes a while)

    import autofit as af

    class WaitingAnalysis(af.ex.Analysis):
        """The example analysis, each likelihood call waiting ``sleep`` seconds."""

        def log_likelihood_function(self, instance: Any) -> float:
            time.sleep(sleep)
            return super().log_likelihood_function(instance)

    data, noise_map = af.ex.simulate_data(noise=0.1, seed=1)
    search = af.Emcee(
        nwalkers=nwalkers,
        nsteps=nsteps,
        seed=1,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        silence=True,
        pool=pool,
    )
    model = af.Model(af.ex.Gaussian)
    started = time.perf_counter()
    result = search.fit(model=model, analysis=WaitingAnalysis(data, noise_map))
    return time.perf_counter() - started, result.samples.parameters


def _rank0(arguments: argparse.Namespace) -> None:
    """Rank 0 of the MPI job: a short fit that starts the workers (they import autofit and
    receive their first analysis), then the timed fits; report the times, save the samples."""
    import numpy as np

    import autofit as af

    pool = af.MPIPool()
    warm_up, _ = _fit(arguments.nwalkers, 2, arguments.sleep, pool)
    seconds = []
    for _ in range(arguments.repeat):
        elapsed, parameters = _fit(arguments.nwalkers, arguments.nsteps, arguments.sleep, pool)
        seconds.append(elapsed)
    np.save(arguments.samples, parameters)
    report = {"warm_up_seconds": warm_up, "fit_seconds": seconds, "workers": pool.processes}
    print(json.dumps(report))


def _mpiexec() -> str:
    beside = Path(sys.executable).parent / "mpiexec"
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        raise SystemExit('mpiexec not found: pip install "autofit[mpi]" (the mpich wheel has it)')
    return found


def _mpi_run(arguments: argparse.Namespace, samples: Path) -> dict[str, Any]:
    command = [
        _mpiexec(),
        "-n",
        str(WORKER_RANKS + 1),
        sys.executable,
        "-m",
        "mpi4py.futures",
        str(Path(__file__).resolve()),
        "--rank0",
        "--samples",
        str(samples),
        "--nwalkers",
        str(arguments.nwalkers),
        "--nsteps",
        str(arguments.nsteps),
        "--sleep",
        str(arguments.sleep),
        "--repeat",
        str(arguments.repeat),
    ]
    environment = {**os.environ, "AUTOFIT_SKIP_VISUALIZATION": "1"}
    started = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=900)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the MPI run failed:\n{process.stderr[-4000:]}")
    report = json.loads(process.stdout.strip().splitlines()[-1])
    return {**report, "command_seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nwalkers", type=int, default=64)
    parser.add_argument("--nsteps", type=int, default=30)
    parser.add_argument("--sleep", type=float, default=0.005, help="seconds per likelihood call")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the best is kept")
    parser.add_argument("--rank0", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--samples", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.rank0:
        _rank0(arguments)
        return

    try:
        import mpi4py
    except ImportError:
        raise SystemExit('scale_out_mpi.py needs mpi4py: pip install "autofit[mpi]"') from None
    import numpy as np

    import autofit as af

    report: dict[str, Any] = {
        "benchmark": "scale_out_mpi",
        "environment": common.environment(
            {"autofit": af.__version__, "numpy": np.__version__, "mpi4py": mpi4py.__version__}
        ),
        "settings": {
            "nwalkers": arguments.nwalkers,
            "nsteps": arguments.nsteps,
            "likelihood_seconds": arguments.sleep,
            "worker_ranks": WORKER_RANKS,
            "likelihood_calls": arguments.nwalkers * (arguments.nsteps + 2),
        },
    }
    _fit(arguments.nwalkers, 2, arguments.sleep)  # imports and first-call work, untimed
    serial = []
    for _ in range(arguments.repeat):
        seconds, parameters = _fit(arguments.nwalkers, arguments.nsteps, arguments.sleep)
        serial.append(seconds)
    with tempfile.TemporaryDirectory() as folder:
        samples = Path(folder) / "samples.npy"
        mpi = _mpi_run(arguments, samples)
        same = bool(np.array_equal(np.load(samples), parameters))
    speedup = min(serial) / min(mpi["fit_seconds"])
    report.update(
        {
            "serial": {"wall_seconds": [round(value, 3) for value in serial]},
            "mpi": {
                "fit_seconds": [round(value, 3) for value in mpi["fit_seconds"]],
                "warm_up_seconds": round(mpi["warm_up_seconds"], 3),
                "command_seconds": round(mpi["command_seconds"], 3),
                "workers": mpi["workers"],
            },
            "speedup": round(speedup, 3),
            "target_speedup": TARGET_SPEEDUP,
            "meets_target": speedup >= TARGET_SPEEDUP,
            "same_samples": same,
            "load_average_at_end": common.load_average(),
        }
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
