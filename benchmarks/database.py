"""Time the results database: scraping 1,000 fits, querying them and loading their results.

The script writes ``--fits`` output folders (default 1,000) of a 10-parameter model with 10,000
MCMC samples each into a temporary directory, with the library's own writers, so each folder
holds the files a real ``af.Emcee`` fit writes. It then times:

- scraping the folders into a new SQLite database (``add_directory``);
- a parameter-range query: the fits whose maximum-likelihood ``gaussian.centre`` lies in a range,
  returning their identifiers;
- loading the samples summaries of all fits (``agg.values("samples_summary")``);
- loading one fit's samples (``fit.samples``: the binary ``samples.npy`` copy of the CSV, checked
  against the CSV's header and row count, into ``Samples``);
- memory while iterating the samples of every fit, against loading one fit's samples (in a child
  process, with ``tracemalloc`` and the resident set size).

Targets: scrape < 60 s, query < 0.2 s, all summaries < 2 s, one fit's samples < 50 ms, memory
flat. Run from the repository root::

    python benchmarks/database.py                # 1,000 fits, about 10 minutes on 2 cores
    python benchmarks/database.py --fits 100     # about 1.5 minutes
    python benchmarks/database.py --keep /tmp/db_bench   # keep (and reuse) the fit folders

Most of a full run is writing the folders (the CSV writer, several minutes for 1,000 fits) and
reading back every fit's samples for the memory check; ``--keep`` saves the first next time.

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import common  # first: puts this checkout on sys.path
import numpy as np
import sqlalchemy
from common import repeated, timed

import autofit as af
from autofit.database import open_database
from autofit.output.paths import DirectoryPaths
from autofit.result.text import results_text, search_summary_text
from autofit.samples.io import write_samples
from autofit.samples.mcmc import SamplesMCMC
from autofit.searches.driver import FitRun

TARGETS = {
    "scrape_seconds": 60.0,
    "query_seconds": 0.2,
    "all_summaries_seconds": 2.0,
    "one_fit_samples_seconds": 0.05,
    "memory_growth_over_one_fit_peak": 2.0,
}
REFERENCE = {
    "parse_one_result_seconds": 0.6,
    "out_of_memory_at_results": 3000,
    "description": "users of the reference implementation report about 0.6 s to parse one "
    "10,000-sample result and running out of memory at 3,000 results",
}
NWALKERS = 50
NSTEPS = 200
QUERY_PATH = "gaussian.centre"
QUERY_RANGE = (40.0, 60.0)
PATH_PREFIX = "benchmark"
NAME = "fit"


def make_model() -> Any:
    """Two Gaussians and two Exponentials, the second of each with its width fixed: 10 free
    parameters."""
    return af.Collection(
        gaussian=af.Model(af.ex.Gaussian),
        exponential=af.Model(af.ex.Exponential),
        gaussian_2=af.Model(af.ex.Gaussian, sigma=5.0),
        exponential_2=af.Model(af.ex.Exponential, rate=0.5),
    )


def make_search(index: int, output_root: Path) -> Any:
    return af.Emcee(
        name=NAME,
        path_prefix=PATH_PREFIX,
        unique_tag=f"dataset_{index:05d}",
        nwalkers=NWALKERS,
        nsteps=NSTEPS,
        seed=index,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        paths=DirectoryPaths(NAME, PATH_PREFIX, f"dataset_{index:05d}", output_root=output_root),
    )


# -- writing the fit folders ----------------------------------------------------------------------


def fake_samples(model: Any, rng: np.random.Generator, seed: int) -> SamplesMCMC:
    """An MCMC chain of ``NSTEPS`` x ``NWALKERS`` samples scattered around random true values,
    with the ``samples_info`` keys ``af.Emcee`` records."""
    truth = np.array(
        [
            rng.uniform(0.0, 100.0),  # gaussian.centre
            rng.uniform(1.0, 100.0),  # gaussian.normalization
            rng.uniform(1.0, 20.0),  # gaussian.sigma
            rng.uniform(0.0, 100.0),  # exponential.centre
            rng.uniform(1.0, 100.0),  # exponential.normalization
            rng.uniform(0.1, 5.0),  # exponential.rate
            rng.uniform(0.0, 100.0),  # gaussian_2.centre
            rng.uniform(1.0, 100.0),  # gaussian_2.normalization
            rng.uniform(0.0, 100.0),  # exponential_2.centre
            rng.uniform(1.0, 100.0),  # exponential_2.normalization
        ]
    )
    scale = np.maximum(0.005 * truth, 0.01)
    count = NWALKERS * NSTEPS
    offsets = rng.standard_normal((count, truth.size))
    parameters = np.clip(truth + scale * offsets, 1e-3, None)
    log_likelihood = -0.5 * np.sum(offsets**2, axis=1) + 100.0
    log_prior = model.compiled.batch_log_priors(parameters).sum(axis=1)
    info = {
        "kind": "mcmc",
        "nwalkers": NWALKERS,
        "nsteps": NSTEPS,
        "total_steps": NSTEPS,
        "acceptance_fraction": float(rng.uniform(0.2, 0.5)),
        "seed": seed,
    }
    samples = SamplesMCMC(model, parameters, log_likelihood, log_prior, samples_info=info)
    samples.samples_info["burn_in"] = samples.burn_in
    samples.samples_info["auto_correlation_times"] = samples.auto_correlation_times.tolist()
    return samples


def write_fit_folder(index: int, output_root: Path) -> tuple[str, float]:
    """Write the output folder of fit ``index`` as the search driver does (start files, the
    analysis' files, samples and summaries, ``.completed``); returns its identifier and the
    maximum-likelihood value of ``QUERY_PATH``."""
    rng = np.random.default_rng(index)
    model = make_model()
    search = make_search(index, output_root)
    run = FitRun(search, model, analysis=None, info=None)
    paths = run.paths
    data, noise_map = af.ex.simulate_data(noise=0.1, seed=index)
    analysis = af.ex.Analysis(data, noise_map)
    info = {"dataset": index, "telescope": ("north", "south")[index % 2], "noise": 0.1}
    # FitRun._start
    paths.save_text(".identifier", paths.identifier + "\n")
    paths.save_text("model.info", model.info + "\n")
    paths.save_text("metadata", run._metadata())
    paths.save_json("model", model.dict())
    paths.save_json("search", search.dict())
    paths.save_json("info", info)
    analysis.save_attributes(paths)
    # FitRun._write at the end of the run, then the completion marker
    run.status = "completed"
    samples = fake_samples(model, rng, index)
    write_samples(samples, paths.files_path)
    paths.save_text("model.results", results_text(samples))
    paths.save_text("search.summary", search_summary_text(run._summary(samples)))
    paths.mark_complete()
    best = samples.parameters[samples.max_log_likelihood_index()]
    return paths.identifier, float(best[model.joined_paths.index(QUERY_PATH)])


def _write_chunk(arguments: tuple[list[int], str]) -> list[tuple[int, str, float]]:
    indices, root = arguments
    return [(index, *write_fit_folder(index, Path(root))) for index in indices]


#: Files of a fit folder that do not depend on when it was written (compared before reusing).
_DETERMINISTIC_FILES = (
    ".identifier",
    "metadata",
    "model.info",
    "files/model.json",
    "files/search.json",
    "files/info.json",
    "files/samples.csv",
    "files/samples.npy",
    "files/samples_info.json",
    "files/samples_summary.json",
)


def writes_the_same(output_root: Path) -> bool:
    """Whether the library still writes fit 0 as it is in ``output_root`` (the writers may have
    changed since the folders were written)."""
    with tempfile.TemporaryDirectory(prefix="autofit_database_fit_0_") as scratch:
        write_fit_folder(0, Path(scratch))
        fresh = next(Path(scratch).rglob(".identifier")).parent
        kept = output_root / fresh.relative_to(scratch)
        return all(
            (kept / name).exists() and (fresh / name).read_bytes() == (kept / name).read_bytes()
            for name in _DETERMINISTIC_FILES
        )


def generate(output_root: Path, fits: int, workers: int) -> dict[str, Any]:
    """Write ``fits`` fit folders under ``output_root`` (reused if a previous run wrote them)."""
    manifest_path = output_root / "benchmark_manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest["fits"] == fits and writes_the_same(output_root):
            return {**manifest, "seconds": 0.0, "reused": True}
        shutil.rmtree(output_root)
    output_root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    chunks = [(list(range(start, fits, workers)), str(output_root)) for start in range(workers)]
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = [row for chunk in pool.map(_write_chunk, chunks) for row in chunk]
    else:
        results = _write_chunk(chunks[0])
    results.sort()
    manifest = {
        "fits": fits,
        "identifiers": [identifier for _, identifier, _ in results],
        "query_values": [value for _, _, value in results],
        "bytes_on_disk": sum(f.stat().st_size for f in output_root.rglob("*") if f.is_file()),
    }
    manifest_path.write_text(json.dumps(manifest))
    return {**manifest, "seconds": time.perf_counter() - started, "reused": False}


def real_fit_check(root: Path, generated_folder: Path) -> dict[str, Any]:
    """Run one real ``af.Emcee`` fit of the same model and compare its folder with a generated
    one: the same files (apart from images and checkpoints) and the same JSON keys."""
    model = make_model()
    search = make_search(0, root)
    search.silence = True
    profiles = [af.ex.Gaussian(50.0, 25.0, 10.0), af.ex.Exponential(20.0, 5.0, 0.2)]
    data, noise_map = af.ex.simulate_data(profiles, noise=0.1, seed=0)
    previous = os.environ.get("AUTOFIT_SKIP_VISUALIZATION")
    os.environ["AUTOFIT_SKIP_VISUALIZATION"] = "1"  # no plots: they are not scraped
    try:
        search.fit(model=model, analysis=af.ex.Analysis(data, noise_map), info={"dataset": 0})
    finally:
        if previous is None:
            os.environ.pop("AUTOFIT_SKIP_VISUALIZATION")
        else:
            os.environ["AUTOFIT_SKIP_VISUALIZATION"] = previous
    real_folder = search.paths.output_path

    def listing(folder: Path) -> set[str]:
        return {
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file()
            and path.relative_to(folder).parts[0] != "image"
            and "search_internal" not in path.parts
        }

    def keys(folder: Path, name: str) -> list[str]:
        return sorted(json.loads((folder / "files" / name).read_text()))

    real, generated = listing(real_folder), listing(generated_folder)
    compared = ["samples_summary.json", "samples_info.json", "search.json", "model.json"]
    same_keys = {name: keys(real_folder, name) == keys(generated_folder, name) for name in compared}
    header = (real_folder / "files" / "samples.csv").read_text().split("\n", 1)[0]
    generated_header = (generated_folder / "files" / "samples.csv").read_text().split("\n", 1)[0]
    real_rows = (real_folder / "files" / "samples.csv").read_text().count("\n") - 1
    return {
        "same_files": real == generated,
        "only_in_real_fit": sorted(real - generated),
        "only_in_generated": sorted(generated - real),
        "same_json_keys": same_keys,
        "same_csv_header": header == generated_header,
        "real_fit_samples": real_rows,
        "ok": real == generated and all(same_keys.values()) and header == generated_header,
    }


# -- the two ways of reading: the Aggregator, or SQL on the schema if it is not available ----------


class AggregatorBackend:
    """The documented API: ``add_directory``, ``af.Aggregator.from_database`` and its queries."""

    name = "aggregator"

    def __init__(self, database: Path) -> None:
        self.database = database
        self.aggregator: Any = None

    def scrape(self, session: Any, directory: Path) -> Any:
        from autofit.database.scrape import add_directory

        return add_directory(session, directory)

    def open(self) -> None:
        self.aggregator = af.Aggregator.from_database(str(self.database))

    def query_ids(self, lower: float, upper: float) -> list[str]:
        agg = self.aggregator
        parameter = agg.model
        for part in QUERY_PATH.split("."):
            parameter = getattr(parameter, part)
        return [fit.id for fit in agg.query((parameter > lower) & (parameter < upper))]

    def summaries(self) -> Iterator[Any]:
        return iter(self.aggregator.values("samples_summary"))

    def fit_ids(self) -> list[str]:
        return [fit.id for fit in self.aggregator]

    def fit(self, index: int) -> Any:
        return self.aggregator[index]

    @staticmethod
    def samples_of(fit: Any) -> Any:
        return fit.samples

    def all_samples(self) -> Iterator[Any]:
        return iter(self.aggregator.values("samples"))


class SqlBackend:
    """``write_fit(content_from_folder(...))`` for scraping and SQL on ``autofit.database.schema``
    for reading (used when the Aggregator is not available)."""

    name = "sql"

    def __init__(self, database: Path) -> None:
        self.database = database
        self.session: Any = None
        self._models: dict[str, Any] = {}

    def scrape(self, session: Any, directory: Path) -> dict[str, int]:
        from autofit.database.content import content_from_folder
        from autofit.database.writer import write_fit

        written = skipped = 0
        for marker in sorted(Path(directory).rglob(".identifier")):
            try:
                content = content_from_folder(marker.parent)
            except ValueError:
                skipped += 1
                continue
            write_fit(session, content)
            written += 1
        return {"written": written, "skipped": skipped}

    def open(self) -> None:
        self.session = open_database(self.database)

    def _model(self, model_json: str) -> Any:
        model = self._models.get(model_json)
        if model is None:
            model = af.AbstractModel.from_dict(json.loads(model_json))
            self._models[model_json] = model
        return model

    def query_ids(self, lower: float, upper: float) -> list[str]:
        from autofit.database.schema import Parameter

        statement = sqlalchemy.select(Parameter.fit_id).where(
            Parameter.path == QUERY_PATH,
            Parameter.max_log_likelihood > lower,
            Parameter.max_log_likelihood < upper,
        )
        return list(self.session.execute(statement).scalars())

    def summaries(self) -> Iterator[Any]:
        from autofit.database.schema import Fit, FitFile
        from autofit.samples.summary import SamplesSummary

        statement = (
            sqlalchemy.select(Fit.model_json, FitFile.content)
            .join(FitFile, FitFile.fit_id == Fit.id)
            .where(FitFile.name == "samples_summary.json")
            .order_by(Fit.id)
        )
        for model_json, content in self.session.execute(statement):
            yield SamplesSummary(self._model(model_json), json.loads(content))

    def fit_ids(self) -> list[str]:
        from autofit.database.schema import Fit

        return list(self.session.execute(sqlalchemy.select(Fit.id).order_by(Fit.id)).scalars())

    def fit(self, index: int) -> str:
        return self.fit_ids()[index]

    def samples_of(self, fit_id: str) -> Any:
        from autofit.database.schema import Fit
        from autofit.database.writer import read_file
        from autofit.samples.io import samples_from_texts

        model_json = self.session.execute(
            sqlalchemy.select(Fit.model_json).where(Fit.id == fit_id)
        ).scalar_one()
        info = read_file(self.session, fit_id, "samples_info.json")
        csv = read_file(self.session, fit_id, "samples.csv")
        return samples_from_texts(self._model(model_json), info.decode(), csv.decode(), fit_id)

    def all_samples(self) -> Iterator[Any]:
        for fit_id in self.fit_ids():
            yield self.samples_of(fit_id)


def backend_for(database: Path, force_sql: bool = False) -> AggregatorBackend | SqlBackend:
    """The Aggregator when it and the scraper exist, else SQL on the schema."""
    if not force_sql:
        try:
            import autofit.database.scrape  # noqa: F401

            if hasattr(af, "Aggregator"):
                return AggregatorBackend(database)
        except ImportError:
            pass
    return SqlBackend(database)


# -- timings ---------------------------------------------------------------------------------------


def scrape_counts(report: Any) -> dict[str, int]:
    """The counts of a scrape report (``ScrapeReport`` or the fallback's dict)."""
    if isinstance(report, dict):
        return report
    names = ("added", "updated", "unchanged", "skipped")
    return {name: len(getattr(report, name)) for name in names if hasattr(report, name)}


def one_fit_breakdown(database: Path, fit_id: str) -> dict[str, float]:
    """Where the time of loading one fit's samples goes, step by step (milliseconds, best of 5)."""
    from autofit.database.writer import read_file
    from autofit.samples.io import samples_from_files, samples_from_texts

    session = open_database(database)
    model_json = session.execute(
        sqlalchemy.text("SELECT model_json FROM fit WHERE id = :id"), {"id": fit_id}
    ).scalar_one()
    csv = read_file(session, fit_id, "samples.csv")
    info = read_file(session, fit_id, "samples_info.json").decode()
    text = csv.decode()
    model = af.AbstractModel.from_dict(json.loads(model_json))
    steps = {
        "read_csv_bytes_from_database": lambda: read_file(session, fit_id, "samples.csv"),
        "read_npy_bytes_from_database": lambda: read_file(session, fit_id, "samples.npy"),
        "samples_from_npy_with_checks": lambda: samples_from_files(
            model, lambda name: read_file(session, fit_id, name), fit_id
        ),
        "decode_csv": lambda: csv.decode(),
        "model_from_json": lambda: af.AbstractModel.from_dict(json.loads(model_json)),
        "parse_csv_into_samples_without_npy": lambda: samples_from_texts(model, info, text, fit_id),
        "numpy_loadtxt_alone": lambda: np.loadtxt(
            text.split("\n", 1)[1].splitlines(), delimiter=","
        ),
    }
    result = {name: round(min(repeated(step, 5)[0]) * 1e3, 2) for name, step in steps.items()}
    result["csv_megabytes"] = round(len(csv) / 1e6, 2)
    session.close()
    return result


def resident_mb() -> float:
    """The resident set size of this process now (``/proc/self/statm``), or the maximum so far
    where that is not available."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def memory_probe(database: Path, force_sql: bool) -> dict[str, Any]:
    """Run in a child process: the memory of loading one fit's samples, then while iterating
    every fit's samples.

    The peak of loading one fit is measured with ``tracemalloc`` (everything allocated while the
    CSV is read and parsed). Iterating every fit runs without ``tracemalloc`` (which slows
    parsing by more than half), sampling the resident set size after each fit is loaded (the
    previous fit's samples released): memory is flat when it grows by less than twice the peak of
    one fit.
    """
    backend = backend_for(database, force_sql)
    backend.open()
    backend.samples_of(backend.fit(0))  # warm up: imports, statement caches
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    samples = backend.samples_of(backend.fit(0))
    peak_one = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    rows = samples.total_samples
    resident_one = resident_mb()
    del samples
    started = time.perf_counter()
    count = total = 0
    resident_max = resident_one
    for samples in backend.all_samples():
        count += 1
        total += samples.total_samples
        resident_max = max(resident_max, resident_mb())
    del samples
    seconds = time.perf_counter() - started
    peak_one_mb = peak_one / 2**20
    growth = resident_max - resident_one
    return {
        "fits_iterated": count,
        "samples_iterated": total,
        "samples_of_one_fit": rows,
        "iterate_all_seconds": round(seconds, 2),
        "iterate_ms_per_fit": round(seconds / max(count, 1) * 1e3, 1),
        "tracemalloc_peak_loading_one_fit_mb": round(peak_one_mb, 2),
        "resident_mb_holding_one_fit": round(resident_one, 1),
        "resident_mb_max_while_iterating_all": round(resident_max, 1),
        "resident_mb_after_iterating_all": round(resident_mb(), 1),
        "resident_growth_mb": round(growth, 1),
        "flat_limit_mb": round(2.0 * peak_one_mb, 1),
        "flat": bool(growth <= 2.0 * peak_one_mb),
    }


def run(arguments: argparse.Namespace, workspace: Path) -> dict[str, Any]:
    started = time.perf_counter()
    environment_info = common.environment(
        {
            "numpy": np.__version__,
            "sqlalchemy": sqlalchemy.__version__,
            "sqlite": sqlite3.sqlite_version,
            "autofit": af.__version__,
        }
    )
    output_root = workspace / "output"
    database = workspace / "database.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)

    generated = generate(output_root, arguments.fits, arguments.workers)
    identifiers = generated["identifiers"]
    lower, upper = QUERY_RANGE
    expected = sorted(
        identifier
        for identifier, value in zip(identifiers, generated["query_values"], strict=True)
        if lower < value < upper
    )
    generated_folder = next(output_root.rglob(".identifier")).parent
    with tempfile.TemporaryDirectory(prefix="autofit_database_check_") as check_root:
        check = real_fit_check(Path(check_root), generated_folder)

    backend = backend_for(database, arguments.sql)
    open_seconds, session = timed(lambda: open_database(database))
    scrape_seconds, scrape_report = timed(lambda: backend.scrape(session, output_root))
    session.close()
    counts = {}
    with sqlite3.connect(database) as connection:
        for table in ("fit", "fit_file", "parameter", "component", "info_item"):
            counts[table] = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    database_bytes = sum(
        Path(f"{database}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{database}{suffix}").exists()
    )

    aggregator_seconds, _ = timed(backend.open)
    query_seconds, ids = repeated(lambda: backend.query_ids(lower, upper), arguments.repeat)

    def read_summaries() -> int:
        loaded = 0
        for summary in backend.summaries():
            loaded += summary.max_log_likelihood_value is not None
        return loaded

    summary_seconds, summary_count = repeated(read_summaries, 3)

    count = len(identifiers)
    picks = sorted({round(k * (count - 1) / 6) for k in range(7)})
    fits = [backend.fit(index) for index in picks]
    one_seconds, loaded = [], None
    for fit in fits:
        elapsed, loaded = timed(lambda fit=fit: backend.samples_of(fit))
        one_seconds.append(elapsed)
    one_rows = loaded.total_samples
    one_fit_id = backend.fit_ids()[0]

    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe", str(database)]
        + (["--sql"] if backend.name == "sql" else []),
        capture_output=True,
        text=True,
        check=True,
    )
    memory = json.loads(probe.stdout)
    memory["flat"] = bool(memory["flat"] and memory["fits_iterated"] == count)

    scrape = round(scrape_seconds, 2)
    query = round(statistics.median(query_seconds), 4)
    all_summaries = round(statistics.median(summary_seconds), 3)
    one_fit = round(statistics.median(one_seconds), 4)
    meets = {
        "scrape": scrape_seconds < TARGETS["scrape_seconds"] * count / 1000,
        "query": query < TARGETS["query_seconds"],
        "all_summaries": all_summaries < TARGETS["all_summaries_seconds"] * count / 1000,
        "one_fit_samples": one_fit < TARGETS["one_fit_samples_seconds"],
        "memory_flat": memory["flat"],
    }
    report = {
        "benchmark": "database",
        "environment": environment_info,
        "settings": {
            "fits": count,
            "free_parameters": make_model().prior_count,
            "samples_per_fit": NWALKERS * NSTEPS,
            "model": "af.Collection(gaussian=Gaussian, exponential=Exponential, "
            "gaussian_2=Gaussian(sigma=5.0), exponential_2=Exponential(rate=0.5))",
            "search": f"af.Emcee(nwalkers={NWALKERS}, nsteps={NSTEPS}) folders, one unique_tag "
            "per fit, written with the search driver's writers",
            "api": backend.name,
            "query": f"{lower} < max-likelihood {QUERY_PATH} < {upper}",
            "statistic": f"median of {arguments.repeat} runs (query), 3 runs (all summaries) "
            f"and {len(fits)} different fits (one fit's samples); one run of the scrape",
            "workers_writing_folders": arguments.workers,
        },
        "targets": {
            **TARGETS,
            "note": "the scrape and all-summaries targets are for 1,000 fits and are scaled "
            "to --fits; memory is flat when the resident set size while iterating every "
            "fit's samples grows by at most memory_growth_over_one_fit_peak times the "
            "tracemalloc peak of loading one fit's samples",
        },
        "reference": REFERENCE,
        "generate": {
            "seconds": round(generated["seconds"], 1),
            "reused_folders": generated["reused"],
            "gigabytes_on_disk": round(generated["bytes_on_disk"] / 1e9, 3),
        },
        "check_against_real_fit": check,
        "scrape": {
            "seconds": scrape,
            "fits_per_second": round(count / scrape_seconds, 1),
            "open_database_seconds": round(open_seconds, 3),
            "report": scrape_counts(scrape_report),
            "rows": counts,
            "database_gigabytes": round(database_bytes / 1e9, 3),
            "all_fits_stored": counts["fit"] == count,
        },
        "query": {
            "seconds": query,
            "seconds_all": [round(value, 4) for value in query_seconds],
            "open_aggregator_seconds": round(aggregator_seconds, 3),
            "fits_found": len(ids),
            "matches_expected": sorted(ids) == expected,
        },
        "all_summaries": {
            "seconds": all_summaries,
            "seconds_all": [round(value, 3) for value in summary_seconds],
            "summaries_loaded": summary_count,
            "ms_per_fit": round(all_summaries / max(summary_count, 1) * 1e3, 3),
        },
        "one_fit_samples": {
            "seconds": one_fit,
            "seconds_all": [round(value, 4) for value in one_seconds],
            "samples": one_rows,
            "speed_up_over_reference": round(REFERENCE["parse_one_result_seconds"] / one_fit, 1),
            "breakdown_ms": one_fit_breakdown(database, one_fit_id),
        },
        "memory": memory,
        "meets": meets,
        "meets_targets": all(meets.values()),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    return report


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=1000, help="number of fits (default 1000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(os.cpu_count() or 1, 8),
        help="processes writing the fit folders (default: the CPU count, at most 8)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of the query (default 5)")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="write the folders and database here and keep them; folders written by an "
        "earlier run with the same --fits are reused",
    )
    parser.add_argument(
        "--sql",
        action="store_true",
        help="use write_fit and SQL on the schema even if the Aggregator is available",
    )
    parser.add_argument("--memory-probe", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.fits < 1 or arguments.workers < 1:
        parser.error("--fits and --workers must be at least 1")

    if arguments.memory_probe is not None:
        print(json.dumps(memory_probe(arguments.memory_probe, arguments.sql)))
        return None
    if arguments.keep is not None:
        arguments.keep.mkdir(parents=True, exist_ok=True)
        report = run(arguments, arguments.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="autofit_database_") as temporary:
            report = run(arguments, Path(temporary))
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
