"""JaxFitness: the fitness of an analysis created with ``use_jax=True``.

``Fitness(model, analysis)`` gives this class when ``analysis.is_jax``. The whole path
``vector -> accepted, log prior, instance -> log likelihood`` (see
:mod:`autofit.model.compile_jax`) is traced once per fitness and jitted: one point at a time
(``__call__``), as a vmapped batch, and, for the gradient-based searches, as the traceable
function :attr:`JaxFitness.traced` that they differentiate. The vmapped batch is registered as
the batch evaluator of every JAX fitness (:func:`~autofit.analysis.batch.register_batch_evaluator`),
so ``Fitness.call_batch``, and with it every search that proposes several points at once (Emcee
and Zeus with ``vectorize=True``, Nautilus with ``vectorized=True``, Dynesty's batches, Drawer,
the initializers), evaluates a batch in one compiled call.

A point is rejected (``resample_value``) when it lies outside a prior's limits, violates an
assertion, or its likelihood is NaN or an infinity. Inside a traced likelihood a Python ``if`` on
a parameter cannot decide anything, so a likelihood rejects points by returning ``-inf`` (for
example with ``jnp.where``) rather than raising ``FitException``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autofit.analysis.batch import register_batch_evaluator
from autofit.analysis.fitness import NEGATIVE_INFINITY, Fitness
from autofit.exc import LikelihoodException
from autofit.model.compile_jax import require_jax, traceable_model

__all__ = ["JaxFitness", "TRACING_HINT"]

#: What a likelihood traced with JAX must do (part of the error raised when tracing fails).
TRACING_HINT = (
    "With use_jax=True the likelihood is traced by JAX once, with parameters that are JAX "
    "tracers rather than numbers: compute it with jax.numpy (self._xp in an af.Analysis), "
    "without float(), numpy functions or Python if-statements on parameter values, and reject "
    "a point by returning -inf (e.g. jnp.where(condition, log_likelihood, -jnp.inf)) instead "
    "of raising FitException. Pass use_jax=False to evaluate it with numpy instead."
)


class JaxFitness(Fitness):
    """The fitness of a JAX analysis (see the module docstring; same parameters as
    :class:`~autofit.analysis.fitness.Fitness`)."""

    def _bind(self) -> None:
        super()._bind()
        jax = require_jax()
        self.traceable = traceable_model(self.model)
        self._jnp = jax.numpy
        self._jit_single = jax.jit(self.traced)
        self._jit_batch = jax.jit(jax.vmap(self.traced))

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        for name in ("traceable", "_jnp", "_jit_single", "_jit_batch"):
            state.pop(name, None)
        return state

    # -- the traced function ---------------------------------------------------------------------

    def traced(self, vector: Any) -> tuple[Any, Any]:
        """``(log likelihood, log prior)`` of one vector, both ``-inf`` when the point is
        rejected; a function of JAX values that the searches jit, vmap and differentiate."""
        jnp = self._jnp
        traceable = self.traceable
        accepted = traceable.accepted(vector)
        instance = traceable.instance(vector)
        value = self._traced_value(self.analysis.log_likelihood_function(instance=instance))
        accepted = accepted & jnp.isfinite(value)
        log_prior = traceable.log_prior(vector)
        log_likelihood = jnp.where(accepted, value, -jnp.inf)
        log_prior = jnp.where(accepted & jnp.isfinite(log_prior), log_prior, -jnp.inf)
        return log_likelihood, log_prior

    def _traced_value(self, value: Any) -> Any:
        """The likelihood's return value as a traced float64 scalar.

        Raises
        ------
        LikelihoodException
            If it is not one real number.
        """
        jnp = self._jnp
        if value is None or isinstance(value, (str, bytes, bool)):
            raise LikelihoodException(self._traced_bad_value(value))
        array = jnp.asarray(value)
        if array.ndim != 0 or jnp.issubdtype(array.dtype, jnp.complexfloating):
            raise LikelihoodException(self._traced_bad_value(value))
        return array.astype(jnp.float64)

    def _traced_bad_value(self, value: Any) -> str:
        """The message of a likelihood value that is not one real number, found while tracing
        (when no parameter values are known)."""
        message = self._bad_value(value, [])
        return message[: message.rfind(" (at parameters")] + " (found while tracing it with JAX)"

    # -- evaluation ------------------------------------------------------------------------------

    def _vectors(self, vectors: Any, batch: bool) -> np.ndarray:
        array = np.asarray(vectors, dtype=float)
        expected = 2 if batch else 1
        if array.ndim != expected or array.shape[-1] != self.traceable.count:
            if not batch:
                self.model.compiled.check_length(vectors, None)
            raise ValueError(
                f"Expected {'an array of shape (n, ' if batch else 'a vector of length '}"
                f"{self.traceable.count}{')' if batch else ''} (one value per free parameter), "
                f"got an array of shape {array.shape}"
            )
        return array

    def _run(self, function: Any, array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        try:
            log_likelihood, log_prior = function(array)
        except LikelihoodException:
            raise
        except Exception as error:
            raise LikelihoodException(
                f"Tracing {type(self.analysis).__name__}.log_likelihood_function with JAX "
                f"raised {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
                f"\n{TRACING_HINT}"
            ) from error
        return np.asarray(log_likelihood, dtype=float), np.asarray(log_prior, dtype=float)

    def __call__(self, vector: Any) -> float:
        """The log posterior (or log likelihood) at ``vector``; ``resample_value`` if rejected."""
        self.calls += 1
        log_likelihood, log_prior = self._run(self._jit_single, self._vectors(vector, False))
        log_likelihood, log_prior = float(log_likelihood), float(log_prior)
        if not math.isfinite(log_likelihood):
            self.rejected += 1
            return self.resample_value
        if self.use_log_prior:
            return log_likelihood + log_prior
        return log_likelihood

    def log_likelihood(self, vector: Any) -> float:
        """The log likelihood alone at ``vector`` (``-inf`` if rejected)."""
        log_likelihood, _ = self._run(self._jit_single, self._vectors(vector, False))
        return float(log_likelihood)

    def evaluate_batch(self, vectors: np.ndarray) -> np.ndarray:
        """The batch evaluator of a JAX fitness: the log posteriors (or log likelihoods) of a
        2D array of vectors in one jitted, vmapped call, ``resample_value`` for rejected rows
        (counted in ``rejected``); :meth:`call_batch` checks the shape and counts the calls."""
        log_likelihood, log_prior = self._run(self._jit_batch, self._vectors(vectors, True))
        rejected = ~np.isfinite(log_likelihood)
        self.rejected += int(np.count_nonzero(rejected))
        values = log_likelihood + log_prior if self.use_log_prior else log_likelihood
        return np.where(rejected, self.resample_value, values)

    def log_likelihood_batch(self, vectors: Any) -> np.ndarray:
        """The log likelihoods alone of a 2D array of vectors (``-inf`` where rejected)."""
        log_likelihood, _ = self._run(self._jit_batch, self._vectors(vectors, True))
        return np.where(np.isfinite(log_likelihood), log_likelihood, NEGATIVE_INFINITY)


def _jax_batch_evaluator(fitness: Fitness) -> Any:
    """The batch evaluator of a :class:`JaxFitness` (None for other fitnesses)."""
    return fitness.evaluate_batch if isinstance(fitness, JaxFitness) else None


register_batch_evaluator("jax", _jax_batch_evaluator)
