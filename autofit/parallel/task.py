"""The worker side of many jobs: the callable every executor runs, and what it sends back.

A workflow's jobs share a context (the model, the analysis, the search, the output folder),
which reaches each worker process once: registered here directly when jobs run in this
process, through the initializer of a local process pool, or as serialised bytes that the
first job a worker runs deserialises and keeps (:class:`Packed`) (a Dask client broadcasts them to every worker
once; another executor sends them with each job, and each worker still deserialises them once).

Settings of this process that jobs read (directories pushed with ``af.conf.instance.push``, the
output folder, ``AUTOFIT_SKIP_VISUALIZATION``, the checkpoint key file) travel with each job as :class:`WorkerSettings`
and are set in the worker before it runs the job (and stay for its later jobs, so that threads
of one worker running jobs of one run never undo each other's), so a worker started before
them (a Dask cluster, a SLURM job) behaves as this process would.

A job that raises does not make its future fail: :class:`JobTask` catches the error and returns
it in a :class:`JobOutcome` with its traceback as text, so every kind of executor reports job
errors the same way and the parent can tell them from workers that died.
"""

from __future__ import annotations

import os
import pickle
import traceback
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "JobOutcome",
    "JobTask",
    "Packed",
    "SharedContext",
    "WorkerSettings",
    "register_context",
    "forget_context",
]

#: Contexts a worker keeps at once (the oldest is dropped; jobs of a finished run never return).
_KEPT_CONTEXTS = 8

_CONTEXTS: OrderedDict[str, Any] = OrderedDict()


@dataclass
class SharedContext:
    """What every job of one run shares, and its key in each worker's registry.

    Attributes
    ----------
    value
        The context itself (handed to the job function as its first argument).
    token
        The key under which workers keep it.
    """

    value: Any
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


def register_context(context: SharedContext | Packed) -> None:
    """Keep ``context`` (or its :class:`Packed` serialisation) in this process for the jobs
    that follow."""
    if isinstance(context, Packed):
        context = context.unpack()
    _CONTEXTS[context.token] = context.value
    _CONTEXTS.move_to_end(context.token)
    while len(_CONTEXTS) > _KEPT_CONTEXTS:
        _CONTEXTS.popitem(last=False)


def forget_context(token: str) -> None:
    """Drop the context kept under ``token`` (when its run has finished)."""
    _CONTEXTS.pop(token, None)


#: Environment variables a job reads, copied from the process that runs the jobs.
_ENVIRONMENT = (
    "AUTOFIT_SKIP_VISUALIZATION",
    "AUTOFIT_CONFIG_PATH",
    "AUTOFIT_OUTPUT_PATH",
    "AUTOFIT_CHECKPOINT_KEY",
)


@dataclass(frozen=True)
class WorkerSettings:
    """The configuration of the process that runs the jobs, to set in a worker.

    Attributes
    ----------
    pushed
        ``af.conf.instance.pushed``: configuration and output directories pushed in code.
    environment
        The ``AUTOFIT_*`` environment variables jobs read (None: unset); the output folder is
        given as ``AUTOFIT_OUTPUT_PATH`` resolved here, so relative paths mean the same.
    process
        The id of the process they were taken in (which keeps its own: threads of it running
        jobs change nothing).
    """

    pushed: tuple[tuple[str, str | None], ...]
    environment: tuple[tuple[str, str | None], ...]
    process: int = 0

    @classmethod
    def here(cls) -> WorkerSettings:
        """The settings of this process."""
        from autofit import config

        environment = {name: os.environ.get(name) for name in _ENVIRONMENT}
        environment["AUTOFIT_OUTPUT_PATH"] = str(config.instance.output_path)
        return cls(tuple(config.instance.pushed), tuple(environment.items()), os.getpid())

    def apply(self) -> None:
        """Set these settings in this process (nothing changes where they are already set,
        nor in the process they were taken in)."""
        from autofit import config

        if os.getpid() == self.process:
            return
        for name, value in self.environment:
            if os.environ.get(name) != value:
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        config.instance.set_pushed(list(self.pushed))


@dataclass(frozen=True)
class Packed:
    """A job or context serialised in the parent, by value where needed (so classes defined in
    a script or notebook reach workers started with ``spawn`` or on other machines).

    cloudpickle (installed with Dask) is used when it is installed, being about ten times
    faster than dill on a typical fit; dill otherwise, or for what cloudpickle cannot
    serialise.

    Attributes
    ----------
    payload
        The serialised bytes.
    dill
        Whether dill wrote them (cloudpickle's are read by the standard ``pickle``).
    """

    payload: bytes
    dill: bool = False

    @classmethod
    def of(cls, value: Any) -> Packed:
        """``value`` serialised."""
        try:
            import cloudpickle
        except ImportError:
            pass
        else:
            try:
                return cls(cloudpickle.dumps(value))
            except Exception:  # noqa: BLE001 - dill may handle what cloudpickle cannot
                pass
        import dill

        return cls(dill.dumps(value, recurse=True), dill=True)

    def unpack(self) -> Any:
        """The value."""
        if self.dill:
            import dill

            return dill.loads(self.payload)
        return pickle.loads(self.payload)


@dataclass
class JobOutcome:
    """What a job sends back: its value, or the error it raised with the traceback as text.

    Attributes
    ----------
    value
        The job function's return value (None when it raised).
    error
        The exception the job raised, or None.
    traceback
        The formatted traceback of ``error`` in the worker.
    """

    value: Any = None
    error: BaseException | None = None
    traceback: str = ""

    @property
    def failed(self) -> bool:
        """Whether the job raised."""
        return self.error is not None


class JobTask:
    """The callable submitted for every job: ``function(context, job)`` (or ``function(job)``
    without a context) in a worker, its outcome returned rather than raised.

    Parameters
    ----------
    function
        A module-level function (sent by reference).
    token
        The key of the run's shared context, or None for jobs without one.
    settings
        Settings to set before a job runs (None: those of the worker, for jobs run in the
        process that made them).
    """

    def __init__(
        self,
        function: Callable[..., Any],
        token: str | None = None,
        settings: WorkerSettings | None = None,
    ) -> None:
        self.function = function
        self.token = token
        self.settings = settings

    def __call__(self, job: Any, context_payload: Packed | None = None) -> JobOutcome:
        if self.settings is not None:
            self.settings.apply()
        return self._run(job, context_payload)

    def _run(self, job: Any, context_payload: Packed | None) -> JobOutcome:
        try:
            if isinstance(job, Packed):
                job = job.unpack()
            if self.token is None:
                return JobOutcome(value=self.function(job))
            if self.token not in _CONTEXTS:
                if context_payload is None:
                    raise RuntimeError(
                        "This worker has not received the jobs' shared context; give the "
                        "executor to run_many rather than submitting the jobs yourself"
                    )
                register_context(context_payload)
            return JobOutcome(value=self.function(_CONTEXTS[self.token], job))
        except Exception as error:  # noqa: BLE001 - reported by the parent, naming the job
            return JobOutcome(error=_sendable(error), traceback=traceback.format_exc())


def _sendable(error: Exception) -> Exception:
    """``error``, or a RuntimeError with its type and message when it cannot be pickled back
    to the parent."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any error of pickling means it cannot be sent
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
