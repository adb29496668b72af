"""Time 16 fits with ``af.fit_many`` on one process, a local pool of 2 and a Dask cluster of 2.

The problem: 16 datasets of a 1D Gaussian (``af.ex.Gaussian``, 100 points), each fitted with
``af.Drawer`` (a fixed number of likelihood calls, so every fit costs the same) whose
likelihood sleeps 5 ms per call, as one that reads a file or waits for a server would: the
fits need no free core, so the speedups measure the parallelism and overheads of the ways of
running many fits even on a shared machine. Every fit writes its output folder.

- ``serial``: ``af.fit_many(jobs)``, one fit after the other in this process;
- ``local_pool``: ``af.fit_many(jobs, number_of_cores=2)``, two worker processes;
- ``dask``: ``af.fit_many(jobs, executor=client)`` on a ``LocalCluster`` of 2 single-threaded
  worker processes (started, and warmed up with two fits, before the timing;
  ``dask_cluster_start_s`` is its start-up time);

each the best wall time of ``--repeat`` runs into fresh output folders, and the speedups of the
pool and of Dask over one process (target >= 1.8x each).

- ``dask_overhead``: ``--trivial`` jobs that return at once, through ``run_many`` on the same
  cluster: ``per_job_ms`` is the wall time times the workers over the jobs (the worker time
  each job costs beyond its own work; target < 50 ms), and ``round_trip_ms`` the wall time of
  one job submitted alone (the latency of a job).

If ``benchmarks/scale_out_mpi.py`` exists it is run too, and its JSON is reported as ``mpi``.

Run from the repository root::

    python benchmarks/scale_out.py             # about a minute
    python benchmarks/scale_out.py --repeat 3 --draws 40

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

FITS = 16
WORKERS = 2
SLEEP = 0.005


def _jobs(draws: int, name: str, count: int = FITS) -> Any:
    import autofit as af

    class SleepingAnalysis(af.ex.Analysis):
        """The example analysis, sleeping 5 ms at each likelihood call."""

        def log_likelihood_function(self, instance: Any) -> float:
            time.sleep(SLEEP)
            return super().log_likelihood_function(instance)

    for index in range(count):
        truth = af.ex.Gaussian(centre=30.0 + 2.0 * index, normalization=20.0, sigma=5.0)
        data, noise = af.ex.simulate_data([truth], pixels=100, noise=0.1, seed=index)
        model = af.Model(af.ex.Gaussian)
        model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
        model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
        model.sigma = af.UniformPrior(lower_limit=1.0, upper_limit=20.0)
        search = af.Drawer(
            name=name, unique_tag=f"dataset_{index}", total_draws=draws, seed=index, silence=True
        )
        yield search, model, SleepingAnalysis(data, noise)


def _trivial(value: int) -> int:
    return value


def _timed_fits(draws: int, repeat: int, label: str, **arguments: Any) -> dict[str, Any]:
    import autofit as af

    walls = []
    for attempt in range(repeat):
        name = f"{label}_{attempt}"
        started = time.perf_counter()
        results = af.fit_many(_jobs(draws, name), progress=False, **arguments)
        walls.append(time.perf_counter() - started)
        assert len(results) == FITS
    return {"wall_s": round(min(walls), 3), "walls_s": [round(wall, 3) for wall in walls]}


def _dask_overhead(client: Any, trivial: int) -> dict[str, Any]:
    from autofit.parallel.executor import run_many

    started = time.perf_counter()
    values = dict(run_many(range(trivial), _trivial, executor=client, progress=False))
    wall = time.perf_counter() - started
    assert len(values) == trivial
    trips = []
    for value in range(10):
        started = time.perf_counter()
        dict(run_many([value], _trivial, executor=client, progress=False))
        trips.append(time.perf_counter() - started)
    return {
        "jobs": trivial,
        "wall_s": round(wall, 3),
        "per_job_ms": round(1000.0 * wall * WORKERS / trivial, 2),
        "round_trip_ms": round(1000.0 * min(trips), 2),
        "target_per_job_ms": 50.0,
    }


def _mpi() -> Any:
    script = Path(__file__).with_name("scale_out_mpi.py")
    if not script.exists():
        return None
    completed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=common.ROOT
    )
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1:] or ["failed"]}
    try:
        return json.loads(completed.stdout)
    except ValueError:
        return {"error": "scale_out_mpi.py printed no JSON", "stdout": completed.stdout[-500:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each way (best taken)")
    parser.add_argument("--draws", type=int, default=100, help="likelihood calls of each fit")
    parser.add_argument("--trivial", type=int, default=400, help="trivial jobs timed on Dask")
    arguments = parser.parse_args()

    import dask
    import distributed

    import autofit as af

    logging.getLogger("distributed").setLevel(logging.ERROR)
    os.environ["AUTOFIT_SKIP_VISUALIZATION"] = "1"
    output = Path(tempfile.mkdtemp())
    af.conf.instance.push(new_path=tempfile.mkdtemp(), output_path=output)
    report: dict[str, Any] = {
        "environment": common.environment(
            {"dask": dask.__version__, "distributed": distributed.__version__}
        ),
        "fits": FITS,
        "likelihood_sleep_ms": 1000.0 * SLEEP,
        "draws_per_fit": arguments.draws,
        "ideal_serial_s": round(FITS * arguments.draws * SLEEP, 3),
    }
    serial = _timed_fits(arguments.draws, arguments.repeat, "serial")
    pool = _timed_fits(arguments.draws, arguments.repeat, "pool", number_of_cores=WORKERS)

    started = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = distributed.Client(cluster)
    report["dask_cluster_start_s"] = round(time.perf_counter() - started, 3)
    try:
        af.fit_many(_jobs(arguments.draws, "warm_up", count=2), executor=client, progress=False)
        on_dask = _timed_fits(arguments.draws, arguments.repeat, "dask", executor=client)
        report["dask_overhead"] = _dask_overhead(client, arguments.trivial)
    finally:
        client.close()
        cluster.close()

    report["serial"] = serial
    report["local_pool"] = {**pool, "speedup": round(serial["wall_s"] / pool["wall_s"], 2)}
    report["dask"] = {**on_dask, "speedup": round(serial["wall_s"] / on_dask["wall_s"], 2)}
    report["target_speedup"] = 1.8
    report["meets_targets"] = (
        report["local_pool"]["speedup"] >= 1.8
        and report["dask"]["speedup"] >= 1.8
        and report["dask_overhead"]["per_job_ms"] < 50.0
    )
    report["load_average_at_end"] = common.load_average()
    mpi = _mpi()
    if mpi is not None:
        report["mpi"] = mpi
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
