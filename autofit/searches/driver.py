"""FitRun: one call of ``search.fit`` from start (or resume, or reload) to result."""

from __future__ import annotations

import json
import logging
import math
import time
from typing import Any

from autofit.analysis.latent import latent_model, latent_samples_of
from autofit.config.visualization import skip_visualization
from autofit.exc import ConfigException
from autofit.model.abstract import AbstractModel
from autofit.output.atomic import atomic_write_json
from autofit.output.paths import AbstractPaths
from autofit.parallel import FunctionPool, SerialPool
from autofit.result.text import results_text, search_summary_text
from autofit.samples.io import write_samples
from autofit.searches.base import checkpoint_warning, resolve_seed
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.progress import FitProgress, progress_mode
from autofit.searches.resume_check import set_aside_if_data_changed

__all__ = ["FitRun"]

logger = logging.getLogger("autofit.search")


class FitRun:
    """Runs one fit for a search (see :meth:`NonLinearSearch.fit`)."""

    def __init__(self, search: Any, model: Any, analysis: Any, info: dict | None) -> None:
        if isinstance(model, AbstractModel):
            # Before the identifier is computed or anything is written.
            model.compiled.require_priors()
        self.search = search
        self.model = model
        self.analysis = analysis
        self.info = info
        self.paths: AbstractPaths = search.paths_for(model)
        self.start_time = time.perf_counter()
        self.previous = {"time": 0.0, "calls": 0, "rejected": 0}
        self.fitness: Any = None
        self.status = "running"
        self.weight_threshold: float | None = None

    # -- entry point -----------------------------------------------------------------------------

    def run(self) -> Any:
        paths = self.paths
        self.analysis = self.analysis.modify_before_fit(paths, self.model) or self.analysis
        if not paths.is_null and paths.is_complete:
            return self._load_completed()
        with paths.lock():
            if not paths.is_null:
                if paths.is_complete:  # finished by another process while we waited to look
                    return self._load_completed()
                for path in paths.clean_up():
                    logger.debug("Removed %s, left by an interrupted write", path)
            return self._run()

    def _run(self) -> Any:
        paths = self.paths
        self.fitness = self.search._fitness(self.model, self.analysis)
        if not paths.is_null:
            # Read once, so that a bad setting fails now, not at the first update.
            self.weight_threshold = self._weight_threshold()
            self._check_checkpoint()
        seed = self._start()
        self._log(
            f"{type(self.search).__name__}: fitting {self.model.prior_count} parameters"
            + ("" if paths.is_null else f", output in {paths.output_path}")
        )
        # Forked before any pool of the fit, so that the plot server holds none of its pipes.
        self._start_plotter()
        cores = self.search.number_of_cores
        given = getattr(self.search, "pool", None)
        uses_pool = getattr(self.search, "uses_driver_pool", True)
        jax = getattr(self.analysis, "is_jax", False)
        if jax and given is None and cores > 1 and uses_pool:
            # A JAX likelihood runs on JAX's own threads; forked workers would deadlock on them.
            self._log("number_of_cores is unused with use_jax=True: JAX runs on its own threads")
        if given is not None and uses_pool:
            pool = given.start(self.fitness)
        elif cores > 1 and uses_pool and not jax:
            pool = FunctionPool(self.fitness, cores)
        else:
            pool = SerialPool()
        context = RunContext(
            model=self.model,
            fitness=self.fitness,
            pool=pool,
            checkpoint_path=None if paths.is_null else paths.search_internal_path,
            iterations_per_update=self.search.iterations_per_update,
            update=self._update,
            initializer=self.search.initializer,
            seed=seed,
            silence=self.search.silence,
            info={
                "number_of_cores": cores,
                "pool": given,
                "previous_calls": self.previous["calls"],
            },
            progress=self._new_progress(),
        )
        self.context = context
        try:
            internal = self._run_adapter(context)
        except BaseException:
            # Ctrl+C (or an error): stop the workers at once rather than wait for them.
            context.progress.close()
            getattr(pool, "terminate", pool.close)()
            raise
        context.progress.close()
        pool.close()
        return self._finish(context, internal)

    def _finish(self, context: RunContext, internal: Any) -> Any:
        paths = self.paths
        self.status = "completed"
        samples = self.search.adapter.to_samples(context, internal)
        self._write(samples, during_analysis=False)
        latent = latent_samples_of(self.analysis, samples)
        if latent is not None and not paths.is_null:
            write_samples(latent, paths.files_path / "latent")
        result = self._make_result(samples, internal, latent)
        if not paths.is_null:
            self.analysis.save_results(paths, result)
            self._plot(samples)
            paths.mark_complete()
        self._log(
            f"{type(self.search).__name__}: finished, max log likelihood "
            f"{result.log_likelihood:.6g}"
        )
        return result

    def _new_progress(self) -> FitProgress:
        return FitProgress(type(self.search).__name__, progress_mode(silence=self.search.silence))

    def _check_checkpoint(self) -> None:
        """Start afresh, keeping the old checkpoint aside, if it was made with other data."""
        fitness = self.search._fitness(self.model, self.analysis)
        changed = set_aside_if_data_changed(self.paths, self.model, fitness)
        if changed is not None:
            aside, mismatch = changed
            checkpoint_warning(
                f"The checkpoint in {self.paths.files_path / 'search_internal'} was made with "
                f"other data or another likelihood ({mismatch}): the fit starts afresh instead "
                f"of resuming; the old checkpoint and its samples are kept in {aside}"
            )

    def _run_adapter(self, context: RunContext) -> Any:
        try:
            return self.search.adapter.run(context)
        except CheckpointError as error:
            checkpoint_warning(
                f"The checkpoint in {context.checkpoint_path} cannot be read ({error}); "
                "restarting the search from scratch"
            )
            self.paths.remove_search_internal()
            context.checkpoint_path = self.paths.search_internal_path
            context.progress.close()
            context.progress = self._new_progress()
            self.previous = {"time": 0.0, "calls": 0, "rejected": 0}
            return self.search.adapter.run(context)

    # -- start, updates, summaries ---------------------------------------------------------------

    def _start(self) -> int:
        paths = self.paths
        if paths.is_null:
            return resolve_seed(self.search.seed)
        state = self._read_driver_state()
        seed = state.get("seed") if state else None
        seed = resolve_seed(seed if seed is not None else self.search.seed)
        if state:
            self.previous = {key: state.get(key, 0) for key in ("time", "calls", "rejected")}
            self._log(f"Resuming the fit in {paths.output_path}")
        paths.save_text(".identifier", paths.identifier + "\n")
        paths.save_text("model.info", self.model.info + "\n")
        paths.save_text("metadata", self._metadata())
        paths.save_json("model", self.model.dict())
        paths.save_json("search", self.search.dict())
        if self.info is not None:
            paths.save_json("info", self.info)
        self.analysis.save_attributes(paths)
        self._save_driver_state(seed)
        paths.on_start()
        if not skip_visualization():
            self.analysis.Visualizer.visualize_before_fit(self.analysis, paths, self.model)
        return seed

    def _metadata(self) -> str:
        # The folder's own parts (those of explicit ``paths=`` when given): the database key
        # of a scraped folder is computed from them.
        lines = {
            "name": self.paths.name,
            "path_prefix": self.paths.path_prefix,
            "unique_tag": self.paths.unique_tag or "",
            "search": type(self.search).__name__,
            "identifier": self.paths.identifier,
        }
        return "".join(f"{key}={value}\n" for key, value in lines.items())

    def _driver_state_path(self):
        return self.paths.files_path / "search_internal" / "driver.json"

    def _read_driver_state(self) -> dict[str, Any]:
        """The seed and totals of an earlier run of the fit ({} for a new fit); a file that
        cannot be read is reported (warning) and the fit continues with a fresh seed and totals."""
        path = self._driver_state_path()
        try:
            text = path.read_text()
        except FileNotFoundError:
            return {}
        except OSError as error:
            checkpoint_warning(f"Cannot read {path} ({error}); its seed and totals are ignored")
            return {}
        try:
            state = json.loads(text)
            if not isinstance(state, dict):
                raise ValueError("it does not hold a JSON object")
            int(state.get("seed") or 0)
            for key in ("time", "calls", "rejected"):
                float(state.get(key) or 0)
        except (ValueError, TypeError) as error:
            checkpoint_warning(
                f"{path} is corrupt ({error}); its seed and totals are ignored (the checkpoint of "
                "the sampler, if readable, is still resumed)"
            )
            return {}
        return state

    def _totals(self) -> dict[str, Any]:
        elapsed = time.perf_counter() - self.start_time
        return {
            "time": self.previous["time"] + elapsed,
            "calls": self.previous["calls"] + (self.fitness.calls if self.fitness else 0),
            "rejected": self.previous["rejected"] + (self.fitness.rejected if self.fitness else 0),
        }

    def _save_driver_state(self, seed: int) -> None:
        state = {"seed": seed, **self._totals()}
        atomic_write_json(self._driver_state_path(), state)
        self.seed = seed

    def _update(self, internal: Any, during_analysis: bool = True) -> None:
        """Called by the adapter after each block of iterations (its checkpoint is written)."""
        self.context.progress.block_done()
        if self.paths.is_null:
            return
        samples = self.search.adapter.to_samples(self.context, internal)
        self._write(samples, during_analysis=during_analysis)

    def _write(self, samples: Any, during_analysis: bool) -> None:
        paths = self.paths
        if paths.is_null:
            return
        write_samples(samples, paths.files_path, weight_threshold=self.weight_threshold)
        paths.save_text("model.results", results_text(samples))
        self._save_driver_state(self.seed)
        paths.save_text("search.summary", search_summary_text(self._summary(samples)))
        paths.record_samples(samples)
        if samples.total_samples and not skip_visualization():
            instance = samples.max_log_likelihood()
            self.analysis.Visualizer.visualize(self.analysis, paths, instance, during_analysis)

    @staticmethod
    def _weight_threshold() -> float | None:
        from autofit.config import instance

        value = instance.general("output", "samples_weight_threshold", None)
        if value is None or value is False or value == "":
            return None
        try:
            threshold = float(value)
        except (TypeError, ValueError):
            threshold = math.nan
        if not 0.0 <= threshold < 1.0:
            raise ConfigException(
                f"output.samples_weight_threshold in general.yaml must be a number from 0 up to "
                f"(not including) 1, a fraction of the largest weight; got {value!r} "
                f"(configuration directories: {', '.join(map(str, instance.config_paths))})"
            )
        return threshold or None

    def _summary(self, samples: Any) -> dict[str, Any]:
        totals = self._totals()
        calls = max(totals["calls"], 1)
        summary = {
            "Search": type(self.search).__name__,
            "Status": self.status,
            "Identifier": self.paths.identifier,
            "Total Samples": samples.total_samples,
            "Total Likelihood Calls": totals["calls"],
            "Rejected Points": totals["rejected"],
            "Time Elapsed (s)": f"{totals['time']:.3f}",
            "Time Per Likelihood Call (s)": f"{totals['time'] / calls:.3e}",
        }
        if samples.total_samples:
            summary["Maximum Log Likelihood"] = f"{samples.log_likelihood.max():.8g}"
        if samples.log_evidence is not None:
            summary["Log Evidence"] = f"{samples.log_evidence:.8g}"
        return summary

    def _start_plotter(self) -> None:
        """Start the plot server (once per process), so that it imports the plotting libraries
        while the fit runs (see :mod:`autofit.plot.background`)."""
        if self.paths.is_null or skip_visualization():
            return
        from autofit.plot.background import plot_server

        plot_server()

    def _plot(self, samples: Any) -> None:
        """Send the samples to the plot server, which draws the search's plots into
        ``image/search/``."""
        if skip_visualization() or samples.total_samples == 0:
            return
        from autofit.plot.background import plot_search_in_background

        plot_search_in_background(samples, self.paths.image_path, type(self.search).__name__)

    # -- completed fits --------------------------------------------------------------------------

    def _load_completed(self) -> Any:
        paths = self.paths
        self._log(f"{type(self.search).__name__}: loading the completed fit in {paths.output_path}")
        samples = paths.read_samples(self.model)
        self._check_likelihood(samples)
        latent = None
        keys = list(getattr(self.analysis, "LATENT_KEYS", []) or [])
        if keys and paths.has("latent/samples.csv"):
            latent = paths.read_samples(latent_model(keys), "latent")
        return self._make_result(samples, None, latent)

    def _make_result(self, samples: Any, internal: Any, latent: Any) -> Any:
        result = self.analysis.make_result(
            samples_summary=samples.summary(),
            paths=self.paths,
            samples=samples,
            search_internal=internal,
            analysis=self.analysis,
        )
        if latent is not None and getattr(result, "latent_samples", None) is None:
            try:
                result.latent_samples = latent
            except AttributeError:
                pass
        return result

    def _check_likelihood(self, samples: Any) -> None:
        """Call the likelihood once at the stored maximum to check the data still match."""
        if samples.total_samples == 0:
            return
        index = samples.max_log_likelihood_index()
        stored = float(samples.log_likelihood[index])
        fitness = self.search._fitness(self.model, self.analysis)
        value = fitness.log_likelihood(samples.parameters[index].tolist())
        if not math.isclose(value, stored, rel_tol=1e-6, abs_tol=1e-6):
            logger.warning(
                "The completed fit in %s stored a maximum log likelihood of %.8g but the "
                "analysis now gives %.8g at the same parameters: the data or likelihood changed "
                "since the fit ran. Use a new unique_tag or name to refit.",
                paths_text(self.paths),
                stored,
                value,
            )

    def _log(self, message: str) -> None:
        if not self.search.silence:
            logger.info(message)


def paths_text(paths: AbstractPaths) -> str:
    """The output folder as text (for messages)."""
    return "(no output)" if paths.is_null else str(paths.output_path)
