"""Time ``import autofit`` in fresh Python processes, and show where the time goes.

Every measurement is a new interpreter started in the repository root (so this checkout is
imported), timing ``import autofit`` with ``time.perf_counter`` around the statement. The runs
alternate with fresh processes that import only numpy, the one dependency the model layer
needs at import, which puts a floor under the figure, and with processes that import numpy and
then time ``import autofit`` alone: autofit's own share, measured directly.

Python normally imports a module from its cached bytecode (``__pycache__``, written by ``pip
install`` or at the first import); with ``PYTHONDONTWRITEBYTECODE=1`` and no cache, it compiles
the source of every module at every import. Both cases are measured, each with its own bytecode
cache in a temporary directory (``PYTHONPYCACHEPREFIX``), so the checkout is left untouched and
the figures do not depend on what earlier runs left behind: in ``from_source`` the cache holds
the standard library's and numpy's bytecode but not autofit's. Reported:

- ``import_autofit_seconds``: median (and min, max, every run) over ``--runs`` processes, with
  bytecode cached; the target is ``<= 0.15`` s;
- ``import_numpy_seconds``: the same for ``import numpy``; ``autofit_own_seconds``: the median
  of ``import autofit`` timed after ``import numpy`` in the same process (the target is about
  0.02 s); ``cpu_seconds_median``: the medians of the processes' CPU times, steadier than wall
  times when other programs share the processor;
- ``from_source``: the same three medians with autofit compiled from its source at every import;
- ``heavy_packages_loaded``: heavy or optional packages found in ``sys.modules`` after the import
  (none expected: SciPy, matplotlib, SQLAlchemy, PyYAML, the samplers and the extras load where
  they are first used);
- ``top_modules``: autofit's modules and its dependencies' top-level packages with the largest
  cumulative import times, from ``python -X importtime`` with bytecode cached (median over
  ``--importtime-runs`` processes; that report's own bookkeeping makes its figures somewhat
  larger than the plain timings);
- ``first_use_seconds``: median times, in fresh processes with bytecode cached, of ``import
  autofit`` followed by the first use of heavier parts (a model with default priors, which
  reads the configuration, ``af.Emcee``, a Gaussian prior's batch transform, which loads
  ``scipy.special``, ``af.db``), which is where their imports are now paid.

Run from the repository root::

    python benchmarks/import_time.py                 # about 30 s
    python benchmarks/import_time.py --runs 21 --top 25

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from typing import Any

import common

TARGET_SECONDS = 0.15

HEAVY_PACKAGES = (
    "scipy",
    "matplotlib",
    "sqlalchemy",
    "dynesty",
    "emcee",
    "jax",
    "corner",
    "dill",
    "zeus",
    "nautilus",
    "ultranest",
    "anesthetic",
    "h5py",
    "psycopg",
    "dask",
    "distributed",
    "mpi4py",
    "blackjax",
    "optax",
    "yaml",
)

TIMED_IMPORT = """
import sys, time
started, started_cpu = time.perf_counter(), time.process_time()
{statement}
elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
print(elapsed, elapsed_cpu)
print(",".join(sorted({{name.split(".")[0] for name in sys.modules}})))
"""
FIRST_USES = {
    "af.Model(af.ex.Gaussian).prior_count": (
        "import autofit as af\naf.Model(af.ex.Gaussian).prior_count"
    ),
    "af.Emcee": "import autofit as af\naf.Emcee",
    "GaussianPrior batch transform (scipy.special)": (
        "import numpy as np\nimport autofit as af\n"
        "af.GaussianPrior(0.0, 1.0, lower_limit=0.0).batch_value_for("
        "np.array([0.5]), 0.0, 1.0, 0.0, np.inf)"
    ),
    "af.db": "import autofit as af\naf.db",
}

IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def run(code: str, *options: str, cache: str | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter in the repository root, reading bytecode from (and
    not writing any to) the cache directory ``cache`` if one is given."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    if cache is not None:
        environment.update(PYTHONPYCACHEPREFIX=cache, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, *options, "-c", code],
        cwd=common.ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )


def bytecode_caches(directory: str) -> dict[str, str]:
    """Two bytecode caches below ``directory``, filled by importing autofit and numpy and by
    every first use: ``"cached"`` holds everything; ``"from_source"`` lacks autofit's own
    bytecode, so autofit is compiled from its source at every import."""
    caches = {}
    for name in ("cached", "from_source"):
        cache = caches[name] = os.path.join(directory, name)
        environment = {key: value for key, value in os.environ.items()}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = cache
        for code in ("import autofit", *FIRST_USES.values()):
            subprocess.run(
                [sys.executable, "-c", code], cwd=common.ROOT, env=environment, check=True
            )
    # The cache mirrors absolute source paths below its root.
    checkout = os.path.join(caches["from_source"], *common.ROOT.parts[1:])
    shutil.rmtree(checkout)
    return caches


def timed_import(statement: str, cache: str | None = None) -> tuple[float, float, set[str]]:
    """Wall and CPU seconds taken by ``statement`` in a fresh process, and the top-level
    packages loaded."""
    lines = run(TIMED_IMPORT.format(statement=statement), cache=cache).stdout.splitlines()
    wall, cpu = map(float, lines[0].split())
    return wall, cpu, set(lines[1].split(","))


def import_times(runs: int, cache: str) -> tuple[dict[str, list[float]], set[str]]:
    """Wall and CPU seconds of ``import autofit``, ``import numpy`` and ``import autofit``
    after numpy (``"own"``), in alternating fresh processes; and the packages loaded."""
    times: dict[str, list[float]] = {}
    loaded: set[str] = set()
    statements = {
        "autofit": TIMED_IMPORT.format(statement="import autofit"),
        "numpy": TIMED_IMPORT.format(statement="import numpy"),
        # autofit's own share: numpy is imported before the timing starts
        "own": "import numpy\n" + TIMED_IMPORT.format(statement="import autofit"),
    }
    for _ in range(runs):
        for name, code in statements.items():
            lines = run(code, cache=cache).stdout.splitlines()
            wall, cpu = map(float, lines[0].split())
            times.setdefault(name, []).append(wall)
            times.setdefault(f"{name}_cpu", []).append(cpu)
            if name == "autofit":
                loaded |= set(lines[1].split(","))
    return times, loaded


def summary(seconds: list[float]) -> dict[str, Any]:
    """Median, minimum and maximum of a list of times, and the times, rounded to 0.1 ms."""
    return {
        "median": round(statistics.median(seconds), 4),
        "min": round(min(seconds), 4),
        "max": round(max(seconds), 4),
        "runs": [round(value, 4) for value in seconds],
    }


def importtime_report(cache: str) -> dict[str, tuple[int, int]]:
    """Self and cumulative microseconds per module of one ``-X importtime`` run of
    ``import autofit`` (the first time each module appears)."""
    report = run("import autofit", "-X", "importtime", cache=cache).stderr
    modules: dict[str, tuple[int, int]] = {}
    for line in report.splitlines():
        match = IMPORT_LINE.match(line)
        if match and match[4] not in modules:
            modules[match[4]] = (int(match[1]), int(match[2]))
    return modules


def top_modules(runs: int, top: int, cache: str) -> list[dict[str, Any]]:
    """The ``top`` modules by median cumulative import time over ``runs`` processes: modules
    of autofit and top-level packages of its dependencies (not their submodules)."""
    reports = [importtime_report(cache) for _ in range(runs)]
    names = {
        name
        for name in set.intersection(*(set(report) for report in reports))
        if name.startswith("autofit") or "." not in name
    }
    rows = []
    for name in names:
        rows.append(
            {
                "module": name,
                "cumulative_ms": round(
                    statistics.median(report[name][1] for report in reports) / 1000, 2
                ),
                "self_ms": round(
                    statistics.median(report[name][0] for report in reports) / 1000, 2
                ),
            }
        )
    rows.sort(key=lambda row: -row["cumulative_ms"])
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="fresh processes per figure (>= 5)")
    parser.add_argument("--importtime-runs", type=int, default=3, help="-X importtime runs")
    parser.add_argument("--top", type=int, default=15, help="modules listed in top_modules")
    arguments = parser.parse_args()
    if arguments.runs < 5:
        parser.error("--runs must be at least 5")

    report: dict[str, Any] = {"benchmark": "import_time", "environment": common.environment()}
    located = run("import autofit; print(autofit.__file__)").stdout.strip()
    report["autofit_file"] = located

    with tempfile.TemporaryDirectory(prefix="autofit-bytecode-") as directory:
        caches = bytecode_caches(directory)
        times, loaded = import_times(arguments.runs, caches["cached"])
        source_times, _ = import_times(arguments.runs, caches["from_source"])

        def median(values: list[float]) -> float:
            return round(statistics.median(values), 4)

        report["import_autofit_seconds"] = summary(times["autofit"])
        report["import_numpy_seconds"] = summary(times["numpy"])
        report["autofit_own_seconds"] = summary(times["own"])
        report["cpu_seconds_median"] = {
            "import_autofit": median(times["autofit_cpu"]),
            "import_numpy": median(times["numpy_cpu"]),
            "autofit_own": median(times["own_cpu"]),
        }
        report["from_source"] = {
            "import_autofit_seconds": median(source_times["autofit"]),
            "import_numpy_seconds": median(source_times["numpy"]),
            "autofit_own_seconds": median(source_times["own"]),
            "cpu_seconds_median": {
                "import_autofit": median(source_times["autofit_cpu"]),
                "import_numpy": median(source_times["numpy_cpu"]),
                "autofit_own": median(source_times["own_cpu"]),
            },
        }
        report["target_seconds"] = TARGET_SECONDS
        report["meets_target"] = report["import_autofit_seconds"]["median"] <= TARGET_SECONDS
        report["heavy_packages_loaded"] = sorted(loaded & set(HEAVY_PACKAGES))
        report["top_modules"] = top_modules(
            arguments.importtime_runs, arguments.top, caches["cached"]
        )
        first_use_runs = max(5, arguments.runs // 2)
        report["first_use_seconds"] = {
            name: median([timed_import(code, caches["cached"])[0] for _ in range(first_use_runs)])
            for name, code in FIRST_USES.items()
        }
    report["load_average_at_end"] = common.load_average()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
