"""Expectation propagation over a factor graph.

The approximation is a product of one message per (factor, variable) pair and the priors.
The running product ``q`` of every variable's messages is kept, so the cavity of a factor
(``q`` divided by the factor's own messages) costs O(its variables) and a sweep over N
factors costs O(N).

A sweep updates every analysis factor from the same approximation (their updates are
independent, so they may run in parallel, and the result does not depend on the number of
cores), then each term of the hierarchical factors in turn (cheap: quadrature in the main
process). An update that fails (an exception, a non-finite result, a Hessian that is not
positive definite, an improper approximation) is retried from the cavity's centre with half
the damping; a factor that still fails keeps its previous messages and is reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import FitException
from autofit.graphical.history import (
    CONVERGED,
    FAILED,
    STALE,
    UPDATED,
    EPHistory,
    FactorSummary,
    SweepRecord,
)
from autofit.graphical.messages import gaussian_kl, message_for_prior
from autofit.graphical.optimisers import project, tilted_moments
from autofit.graphical.tilted import TiltedProblem, quadrature_moments

__all__ = ["GraphLayout", "run_expectation_propagation"]

logger = logging.getLogger("autofit.graphical")

STATE_FILE = "ep_state.npz"
STATE_VERSION = 1


@dataclass
class AnalysisTerm:
    """An analysis factor as expectation propagation sees it."""

    name: str
    variables: np.ndarray
    model: Any
    analysis: Any
    optimiser: Any


@dataclass
class HierarchicalTerm:
    """The term ``log p(x_i | parameters)`` of one drawn variable of a hierarchical factor."""

    name: str
    variables: np.ndarray
    factor: Any
    parameter_names: tuple[str, ...]

    def log_density(self, values: np.ndarray) -> np.ndarray:
        parameters = {name: values[:, index + 1] for index, name in enumerate(self.parameter_names)}
        return self.factor.log_density(values[:, 0], **parameters)


class GraphLayout:
    """The variables, their message families and the factors of a graph.

    Parameters
    ----------
    graph
        The ``af.FactorGraphModel``.
    optimiser
        The default way to update analysis factors without an optimiser of their own.
    """

    def __init__(self, graph: Any, optimiser: Any) -> None:
        model = graph.global_prior_model
        self.priors = list(model.priors)
        self.paths = [".".join(path) for path, _ in model.path_priors_tuples]
        index = {id(prior): position for position, prior in enumerate(self.priors)}
        families = [message_for_prior(prior) for prior in self.priors]
        self.families = [type(family) for family in families]
        self.lower = np.array([family.lower for family in families])
        self.upper = np.array([family.upper for family in families])
        self.log_coordinate = np.array([family.log_coordinate for family in families])
        self.prior_natural = np.array([family.natural for family in families])
        # Centre and scale of each prior in u, to start from where a cavity is improper.
        self.prior_centre = np.zeros(len(families))
        self.prior_scale = np.ones(len(families))
        for position, family in enumerate(families):
            if family.natural[1] < 0.0:
                self.prior_centre[position], self.prior_scale[position] = family.mu, family.sigma
            elif np.isfinite(family.lower) and np.isfinite(family.upper):
                self.prior_centre[position] = 0.5 * (family.lower + family.upper)
                self.prior_scale[position] = 0.25 * (family.upper - family.lower)
        if not graph.include_prior_factors:
            # Without prior factors the density is flat in x, so in u = log x it carries the
            # Jacobian x = exp(u): linear in u, an exact change of eta1.
            self.prior_natural = np.zeros_like(self.prior_natural)
            self.prior_natural[self.log_coordinate, 0] = 1.0
        self.analysis_terms: list[AnalysisTerm] = []
        for position, factor in enumerate(graph.factors):
            self.analysis_terms.append(
                AnalysisTerm(
                    name=factor.name or f"factor_{position}",
                    variables=np.array(
                        [index[id(prior)] for prior in factor.prior_model.priors], dtype=int
                    ),
                    model=factor.prior_model,
                    analysis=factor.analysis,
                    optimiser=factor.optimiser or optimiser,
                )
            )
        self.hierarchical_terms: list[HierarchicalTerm] = []
        for name, factor in zip(graph.hierarchical_names, graph.hierarchical_factors, strict=True):
            names = tuple(factor.parameter_priors)
            parameters = [index[id(prior)] for prior in factor.parameter_priors.values()]
            for number, drawn in enumerate(factor.drawn_variables):
                if id(drawn) not in index:
                    raise FitException(
                        f"{name}: the drawn variable {drawn!r} (number {number}) is not a "
                        "parameter of any AnalysisFactor's model in this graph; add the factor "
                        "whose model holds it"
                    )
                self.hierarchical_terms.append(
                    HierarchicalTerm(
                        name=f"{name}[{number}]",
                        variables=np.array([index[id(drawn)], *parameters], dtype=int),
                        factor=factor,
                        parameter_names=names,
                    )
                )
        self.names = [term.name for term in self.terms]
        if len(set(self.names)) != len(self.names):
            duplicates = sorted({name for name in self.names if self.names.count(name) > 1})
            raise FitException(
                f"Factor names must be unique for expectation propagation; repeated: "
                f"{', '.join(duplicates)}"
            )

    @property
    def terms(self) -> list[Any]:
        """Every factor: the analysis factors, then the hierarchical terms."""
        return [*self.analysis_terms, *self.hierarchical_terms]

    def problem(self, variables: np.ndarray, cavity: np.ndarray) -> TiltedProblem:
        """The tilted problem of a factor over ``variables`` with the given cavity."""
        return TiltedProblem(
            cavity=cavity,
            lower=self.lower[variables],
            upper=self.upper[variables],
            log_coordinate=self.log_coordinate[variables],
            fallback_centre=self.prior_centre[variables],
            fallback_scale=self.prior_scale[variables],
        )

    def fingerprint(self) -> str:
        """A digest of the variables and factors (to refuse resuming a different graph)."""
        text = "|".join(
            [*self.paths, *(f"{family.__name__}" for family in self.families), *self.names]
        )
        text += "|" + np.array2string(self.prior_natural, precision=12)
        return hashlib.md5(text.encode()).hexdigest()


# -- analysis factor updates (run in workers) ------------------------------------------------

_CONTEXT: dict[str, Any] = {}


def _register(context: Any) -> None:
    if isinstance(context, bytes):
        import dill

        context = dill.loads(context)
    _CONTEXT["layout"] = context


@dataclass
class UpdateOutcome:
    """What one analysis factor's update returns (small: sent back from a worker)."""

    position: int
    natural: np.ndarray | None
    mode: np.ndarray | None
    calls: int
    error: str | None
    seconds: float


def _update_analysis(job: tuple[int, np.ndarray, np.ndarray | None, bool]) -> UpdateOutcome:
    position, cavity, start, retry = job
    layout: GraphLayout = _CONTEXT["layout"]
    term = layout.analysis_terms[position]
    began = time.perf_counter()
    try:
        problem = layout.problem(term.variables, cavity)
        moments = tilted_moments(term.optimiser, term.model, term.analysis, problem, start, retry)
        if not np.all(np.isfinite(moments.natural)):
            raise FitException("the update gave non-finite messages")
    except Exception as error:  # noqa: BLE001 - a failed update is reported, not fatal
        return UpdateOutcome(
            position, None, None, 0, f"{type(error).__name__}: {error}", time.perf_counter() - began
        )
    return UpdateOutcome(
        position, moments.natural, moments.mode, moments.calls, None, time.perf_counter() - began
    )


def _update_with_context(layout: GraphLayout, job: tuple) -> UpdateOutcome:
    """An update on a worker of a user's executor, which received the graph once."""
    _CONTEXT["layout"] = layout
    return _update_analysis(job)


class _ManyJobs:
    """Runs a sweep's updates on a user's executor (a Dask client, ``"dask"``, any
    ``concurrent.futures.Executor``) through :func:`~autofit.parallel.executor.run_many`."""

    def __init__(self, executor: Any, layout: GraphLayout, number_of_cores: int) -> None:
        from autofit.parallel.executor import check_executor

        self.executor = check_executor(executor) or executor
        self.layout = layout
        self.number_of_cores = number_of_cores

    def run(self, jobs: list[tuple], describe: Callable[[Any], str]) -> Any:
        from autofit.parallel.executor import run_many

        return run_many(
            jobs,
            _update_with_context,
            executor=self.executor,
            number_of_cores=self.number_of_cores,
            context=self.layout,
            describe=describe,
            progress=False,
            label="factor updates",
        )


class _KeptExecutor:
    """An executor reused across sweeps (run_jobs shuts it down after each; we do at the end)."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Any:
        return self.executor.submit(function, *args)

    def shutdown(self, wait: bool = True) -> None:
        """Kept running for the next sweep."""


# -- the state ----------------------------------------------------------------------------------


class EPState:
    """Messages of every factor, their running product and the factors' records."""

    def __init__(self, layout: GraphLayout) -> None:
        self.layout = layout
        self.messages = [np.zeros((len(term.variables), 2)) for term in layout.terms]
        self.q = layout.prior_natural.copy()
        self.modes: list[np.ndarray | None] = [None] * len(self.messages)
        self.summaries = [FactorSummary(name) for name in layout.names]
        self.sweep = 0
        self.calls = 0

    def cavity(self, position: int) -> np.ndarray:
        """The cavity of factor ``position``: ``q`` without its messages."""
        variables = self.layout.terms[position].variables
        return self.q[variables] - self.messages[position]

    def _proper(self, variables: np.ndarray, natural: np.ndarray) -> bool:
        bounded = np.isfinite(self.layout.lower[variables]) & np.isfinite(
            self.layout.upper[variables]
        )
        return bool(np.all(np.isfinite(natural)) and np.all((natural[:, 1] < 0.0) | bounded))

    def apply(
        self, position: int, tilted: np.ndarray, cavity: np.ndarray, damping: float
    ) -> str | None:
        """Replace factor ``position``'s messages by ``tilted / cavity`` (damped); the error
        message if no damping keeps the approximation proper."""
        variables = self.layout.terms[position].variables
        old = self.messages[position]
        target = tilted - cavity
        step = damping
        for _ in range(6):
            message = old + step * (target - old)
            q_new = self.q[variables] + (message - old)
            if self._proper(variables, q_new):
                break
            step *= 0.5
        else:
            return "the update makes the approximation improper even when damped"
        kl = float(np.sum(gaussian_kl(q_new, self.q[variables])))
        self.q[variables] = q_new
        self.messages[position] = message
        summary = self.summaries[position]
        summary.updates += 1
        summary.last_kl = kl
        summary.status = UPDATED
        return None

    def fail(self, position: int, error: str) -> None:
        """Record a failed update (the previous messages are kept)."""
        summary = self.summaries[position]
        summary.failures += 1
        summary.last_error = error
        summary.status = FAILED if summary.updates else STALE

    # -- saving and loading --------------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        """The state as arrays (for ``ep_state.npz``)."""
        sizes = np.array([len(message) for message in self.messages], dtype=int)
        modes = np.full((int(sizes.sum()), 1), np.nan)
        offset = 0
        for mode, size in zip(self.modes, sizes, strict=True):
            if mode is not None:
                modes[offset : offset + size, 0] = mode
            offset += size
        return {
            "version": np.array(STATE_VERSION),
            "fingerprint": np.array(self.layout.fingerprint()),
            "sweep": np.array(self.sweep),
            "calls": np.array(self.calls),
            "sizes": sizes,
            "messages": np.concatenate(self.messages) if self.messages else np.zeros((0, 2)),
            "modes": modes[:, 0],
            "updates": np.array([s.updates for s in self.summaries], dtype=int),
            "failures": np.array([s.failures for s in self.summaries], dtype=int),
            "last_kl": np.array([s.last_kl for s in self.summaries]),
            "status": np.array([s.status for s in self.summaries]),
            "errors": np.array([s.last_error or "" for s in self.summaries]),
        }

    def load(self, arrays: Any, source: Path) -> None:
        """Restore the state saved by :meth:`arrays`.

        Raises
        ------
        FitException
            If the saved state belongs to a different graph.
        """
        if str(arrays["fingerprint"]) != self.layout.fingerprint():
            raise FitException(
                f"{source} holds the expectation-propagation state of a different graph (other "
                "factors, priors or names); give this graph its own output folder (another "
                "name or path_prefix for its paths)"
            )
        sizes = arrays["sizes"]
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        messages = arrays["messages"]
        modes = arrays["modes"]
        for position in range(len(self.messages)):
            start, stop = offsets[position], offsets[position + 1]
            self.messages[position] = messages[start:stop].copy()
            mode = modes[start:stop]
            self.modes[position] = None if np.isnan(mode).any() else mode.copy()
        self.q = self.layout.prior_natural + _sum_messages(self.layout, self.messages)
        self.sweep = int(arrays["sweep"])
        self.calls = int(arrays["calls"])
        for position, summary in enumerate(self.summaries):
            summary.updates = int(arrays["updates"][position])
            summary.failures = int(arrays["failures"][position])
            summary.last_kl = float(arrays["last_kl"][position])
            summary.status = str(arrays["status"][position])
            summary.last_error = str(arrays["errors"][position]) or None


def _sum_messages(layout: GraphLayout, messages: list[np.ndarray]) -> np.ndarray:
    total = np.zeros_like(layout.prior_natural)
    for term, message in zip(layout.terms, messages, strict=True):
        np.add.at(total, term.variables, message)
    return total


# -- output ---------------------------------------------------------------------------------------


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]", "_", name)


class _Output:
    """The files of an EP run with paths: the state, one summary per factor, the result."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / STATE_FILE

    def save(self, state: EPState, layout: GraphLayout) -> None:
        from autofit.output.atomic import atomic_save_npz, atomic_write_json

        for position, term in enumerate(layout.terms):
            summary = state.summaries[position].dict()
            summary["variables"] = [layout.paths[index] for index in term.variables]
            summary["messages"] = state.messages[position]
            atomic_write_json(self.folder / "factors" / f"{_file_name(term.name)}.json", summary)
        atomic_save_npz(self.state, **state.arrays())

    def load(self, state: EPState) -> bool:
        if not self.state.exists():
            return False
        with np.load(self.state, allow_pickle=False) as arrays:
            state.load(arrays, self.state)
        return True


# -- the run --------------------------------------------------------------------------------------


#: Runs a list of update jobs (naming each with the given function) and yields
#: ``(job, UpdateOutcome)`` as each finishes.
UpdateRunner = Callable[[list[tuple], Callable[[Any], str]], Iterable[tuple[Any, UpdateOutcome]]]


def _local_runner(executor_factory: Callable[[], Any], in_flight: int) -> UpdateRunner:
    """Updates in this process or in a local pool kept across sweeps."""
    from autofit.parallel.executor import run_jobs

    def run(jobs: list[tuple], describe: Callable[[Any], str]) -> Any:
        return run_jobs(jobs, _update_analysis, executor_factory, in_flight, describe)

    return run


def _analysis_sweep(
    state: EPState,
    layout: GraphLayout,
    run_updates: UpdateRunner,
    damping: float,
    failed: list[str],
) -> int:
    """Update every analysis factor from the current approximation; the updates made."""
    cavities = {position: state.cavity(position) for position in range(len(layout.analysis_terms))}
    outcomes: dict[int, UpdateOutcome] = {}

    def run(jobs: list[tuple[int, np.ndarray, np.ndarray | None, bool]]) -> None:
        describe = lambda job: f"the update of factor {layout.names[job[0]]}"  # noqa: E731
        for _, outcome in run_updates(jobs, describe):
            outcomes[outcome.position] = outcome

    run([(position, cavity, state.modes[position], False) for position, cavity in cavities.items()])
    retry = [position for position, outcome in outcomes.items() if outcome.error is not None]
    for position in retry:
        summary = state.summaries[position]
        summary.failures += 1
        summary.last_error = outcomes[position].error
        logger.info(
            "EP: the update of %s failed (%s); retrying from its cavity with half the damping",
            layout.names[position],
            outcomes[position].error,
        )
    if retry:
        run([(position, cavities[position], None, True) for position in retry])
    updates = 0
    for position in sorted(outcomes):
        outcome = outcomes[position]
        state.calls += outcome.calls
        step = damping * (0.5 if position in retry else 1.0)
        error = outcome.error
        if error is None:
            error = state.apply(position, outcome.natural, cavities[position], step)
        if error is None:
            state.modes[position] = outcome.mode
            updates += 1
        else:
            state.fail(position, error)
            failed.append(layout.names[position])
    return updates


def _hierarchical_sweep(
    state: EPState, layout: GraphLayout, damping: float, failed: list[str]
) -> int:
    """Update each hierarchical term in turn; the updates made."""
    offset = len(layout.analysis_terms)
    updates = 0
    for number, term in enumerate(layout.hierarchical_terms):
        position = offset + number
        cavity = state.cavity(position)
        problem = layout.problem(term.variables, cavity)
        error = None
        for attempt, (nodes, passes) in enumerate(((10, 3), (14, 5))):
            try:
                mean, variance = quadrature_moments(
                    term.log_density, problem, state.modes[position], nodes, passes
                )
                natural = project(problem, mean, variance, truncated_moments=True)
                state.calls += nodes ** len(term.variables) * passes
                step = damping * (0.5 if attempt else 1.0)
                error = state.apply(position, natural, cavity, step)
            except Exception as exception:  # noqa: BLE001 - reported below
                error = f"{type(exception).__name__}: {exception}"
            if error is None:
                state.modes[position] = mean
                updates += 1
                break
        if error is not None:
            state.fail(position, error)
            failed.append(term.name)
    return updates


def run_expectation_propagation(
    graph: Any,
    optimiser: Any,
    paths: Any,
    ep_history: EPHistory,
    max_steps: int,
    number_of_cores: int,
    executor: Any,
) -> tuple[GraphLayout, EPState]:
    """Run expectation propagation on ``graph``; the layout and the final state.

    See :meth:`autofit.FactorGraphModel.optimise` for the parameters.
    """
    from autofit.parallel.executor import SerialExecutor, local_executor_factory

    layout = GraphLayout(graph, optimiser)
    state = EPState(layout)
    output = None
    lock = None
    if paths is not None and not paths.is_null:
        from autofit.output.lock import FolderLock

        if paths.identifier is None:
            paths.identifier = hashlib.md5(
                f"ep|{graph.global_prior_model.identifier}|{'|'.join(layout.names)}".encode()
            ).hexdigest()
        folder = Path(paths.output_path)
        lock = FolderLock(folder).acquire()
        output = _Output(folder)
        if output.load(state):
            logger.info("EP: resuming %s after sweep %d", folder, state.sweep)
    stack = contextlib.ExitStack()
    try:
        kept = None
        if executor is not None:
            if executor == "dask":
                # One local cluster for the whole run, not one per sweep.
                from autofit.parallel.dask import local_dask_client

                executor = stack.enter_context(local_dask_client(number_of_cores))
            run_updates = _ManyJobs(executor, layout, number_of_cores).run
        else:
            factory, in_flight = local_executor_factory(layout, _register, number_of_cores)
            kept = factory()
            if isinstance(kept, SerialExecutor):
                run_updates = _local_runner(SerialExecutor, in_flight)
            else:
                run_updates = _local_runner(lambda: _KeptExecutor(kept), in_flight)
        complete = output is not None and (output.folder / ".completed").exists()
        try:
            if not complete:
                _sweeps(state, layout, ep_history, max_steps, run_updates, output)
        finally:
            if kept is not None:
                kept.shutdown(wait=True)
        if output is not None and ep_history.is_converged:
            # Converged: a rerun loads this state. Stopped by max_steps: a rerun continues.
            (output.folder / ".completed").touch()
    finally:
        stack.close()
        if lock is not None:
            lock.release()
    return layout, state


def _sweeps(
    state: EPState,
    layout: GraphLayout,
    ep_history: EPHistory,
    max_steps: int,
    run_updates: UpdateRunner,
    output: _Output | None,
) -> None:
    while state.sweep < max_steps:
        began = time.perf_counter()
        failed: list[str] = []
        _analysis_sweep(state, layout, run_updates, ep_history.damping, failed)
        _hierarchical_sweep(state, layout, ep_history.damping, failed)
        state.sweep += 1
        kls = [summary.last_kl for summary in state.summaries]
        max_kl = max(kls) if kls else 0.0
        for summary in state.summaries:
            if summary.status == UPDATED and summary.last_kl < ep_history.kl_tol:
                summary.status = CONVERGED
        record = SweepRecord(state.sweep, max_kl, failed, time.perf_counter() - began)
        ep_history.record(record)
        logger.info(
            "EP sweep %d: %d factors, largest KL change %.3g, %d failed, %.1f s",
            state.sweep,
            len(layout.names),
            max_kl,
            len(failed),
            record.seconds,
        )
        if output is not None:
            output.save(state, layout)
        if ep_history.is_converged:
            break
