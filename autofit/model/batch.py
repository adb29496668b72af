"""The batch form of a compiled model: many vectors at once, one constructor call per component.

A search that proposes several points at once (an ensemble of walkers, a batch of draws) hands
the fitness a 2D array of vectors, shape ``(n, d)``. :class:`BatchPlan` maps it to

- the log prior of every row (``-inf`` for rows outside a prior's limits or violating an
  assertion), with the same arithmetic as the one-vector form, so the values agree with it;
- a *batch instance* of the rows: the instance tree of the model, built with ONE constructor call
  per component whose free parameters are numpy arrays of shape ``(n,)`` (one value per row).

What a batch instance holds, for a batch of ``n`` rows:

- ``af.Model(cls)`` -> ``cls(**arguments)``, called once, each free (or derived) parameter an
  array of shape ``(n,)``; a tuple parameter a tuple of such arrays;
- ``af.Collection`` -> an ``af.ModelInstance`` whose children are batch instances;
- ``af.Array(shape)`` -> an array of shape ``(n, *shape)`` (the batch axis first);
- fixed values of type ``float`` are broadcast to arrays of shape ``(n,)``, so that every
  numeric parameter can be used the same way; other fixed values (integers, strings, booleans,
  None, objects) are passed unchanged, as in the one-vector instance.

The functions are generated once per model, like those of the one-vector form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autofit.exc import ModelException
from autofit.model.abstract import AbstractModel
from autofit.model.instance import new_instance
from autofit.model.source import InstanceSource, compiled_source
from autofit.priors.abstract import Prior
from autofit.priors.arithmetic import DerivedParameter

if TYPE_CHECKING:
    from autofit.model.compile import CompiledModel

__all__ = ["BatchPlan", "BatchEvaluation"]


def _set_missing(instance: Any, attributes: dict[str, Any]) -> Any:
    for name, value in attributes.items():
        if not hasattr(instance, name):
            setattr(instance, name, value)
    return instance


def _set_all(instance: Any, attributes: dict[str, Any]) -> Any:
    for name, value in attributes.items():
        setattr(instance, name, value)
    return instance


def _stack(values: list[Any], rows: int, shape: tuple[int, ...]) -> np.ndarray:
    """Elements of an ``af.Array`` (arrays of shape ``(n,)`` or numbers) as one array of shape
    ``(n, *shape)``."""
    columns = [np.broadcast_to(np.asarray(value, dtype=float), (rows,)) for value in values]
    return np.stack(columns, axis=1).reshape((rows, *shape))


class _PriorLogDensity:
    """Stands in for a prior in generated log-prior source: its ``_scalar_log_prior`` takes an
    array of values (the prior's numpy ``batch_log_prior``)."""

    def __init__(self, prior: Prior) -> None:
        self.prior = prior

    def _scalar_log_prior(self, values: np.ndarray) -> np.ndarray:
        return type(self.prior).batch_log_prior(values, *self.prior.arguments)


class _RowConstants(NamedTuple):
    """Read-only arrays for batches of one size ``n``, built once per size."""

    #: ``n`` True values.
    every: np.ndarray
    #: The log prior of every row when it is one constant within the limits (zeros otherwise).
    log_priors: np.ndarray
    #: The lower and upper limits of the checked parameters, one row per vector: comparing
    #: arrays of the same shape is cheaper than broadcasting one row of limits.
    lower: np.ndarray
    upper: np.ndarray
    #: The bytes of a boolean array of that shape whose values are all True: comparing them
    #: with the bytes of the limit check costs less than counting its True values.
    inside: bytes


@dataclass
class BatchEvaluation:
    """What :meth:`BatchPlan.evaluate` gives for a batch of ``n`` vectors.

    Attributes
    ----------
    log_priors
        Shape ``(n,)``: the summed log prior of each row, ``-inf`` where ``valid`` is False.
    in_limits
        Shape ``(n,)``: whether every value of the row lies within its prior's limits.
    assertions_hold
        Shape ``(n,)``: whether the row satisfies every assertion (False outside the limits).
    valid
        Shape ``(n,)``: within the limits, satisfying the assertions and with a finite log prior.
    instance
        The batch instance of the valid rows (in order), None when no row is valid.

    The arrays may be shared between evaluations and read-only: copy one before changing it.
    """

    log_priors: np.ndarray
    in_limits: np.ndarray
    assertions_hold: np.ndarray
    valid: np.ndarray
    instance: Any


class BatchPlan(InstanceSource):
    """Generated functions mapping a 2D array of vectors to log priors and a batch instance.

    Parameters
    ----------
    compiled
        The compiled one-vector form of the model (its priors, limits and assertions).
    model
        The model itself (its tree is walked once to generate the instance function).
    """

    def __init__(self, compiled: CompiledModel, model: AbstractModel) -> None:
        self.compiled = compiled
        self.count = len(compiled.priors)
        self._namespace: dict[str, Any] = {
            "_mi": new_instance,
            "_np": np,
            "_log": np.log,
            "_log10": np.log10,
            "_exp": np.exp,
            "_full": np.full,
            "_negative_infinity": -math.inf,
            "_stack": _stack,
            "_set_missing": _set_missing,
            "_set_all": _set_all,
        }
        self._constants: dict[int, str] = {}
        self._statements: list[str] = []
        limits = compiled._groups._limits
        self._limit_indices = None if limits.everything else limits.indices
        self._lower, self._upper, self._no_limits = limits.lower, limits.upper, limits.none
        #: Set by ``_log_prior_source`` when the log prior is one finite constant within the
        #: limits (every prior uniform), so that it need not be checked for ``-inf``.
        self._constant_log_prior = False
        self._constants_by_rows: dict[int, _RowConstants] = {}
        expression = self._value(model)
        lines = [
            "def batch_instance(_x):",
            "    _n = _x.shape[0]",
            "    _c = _x.T.copy()",
            *self._statements,
            f"    return {expression}",
            "",
            "def batch_assertions(_x):",
            "    _c = _x.T",
            f"    return {self._assertions_source()}",
            "",
            "def batch_log_prior(_x):",
            "    _c = _x.T",
            f"    return {self._log_prior_source()}",
            "",
        ]
        lines += self._valid_rows_source(expression)
        self.source = "\n".join(lines)
        exec(compiled_source(self.source, "<autofit batch model>"), self._namespace)  # noqa: S102
        self._instance = self._namespace["batch_instance"]
        self._valid_rows = self._namespace.get("batch_valid_rows")
        self._assertions = self._namespace["batch_assertions"]
        self._log_prior = self._namespace["batch_log_prior"]

    # -- code generation -------------------------------------------------------------------------

    def _constant(self, value: Any) -> str:
        if isinstance(value, Prior):
            value = _PriorLogDensity(value)
        elif type(value) in (float, int) and math.isfinite(value):
            return repr(value)
        elif isinstance(value, (float, np.floating)) and math.isfinite(value):
            return repr(float(value))
        key = id(value)
        if key not in self._constants:
            name = f"_k{len(self._constants)}"
            self._constants[key] = name
            self._namespace[name] = value
        return self._constants[key]

    def _name_of(self, prior: object) -> str:
        return f"_c[{self.compiled.index_of[id(prior)]}]"

    def _value(self, value: Any) -> str:
        if isinstance(value, AbstractModel):
            return self._node(value)
        if isinstance(value, Prior):
            return self._name_of(value)
        if isinstance(value, DerivedParameter):
            return value.source(self._name_of)
        if isinstance(value, str) or value is None or isinstance(value, bool):
            return repr(value)
        if isinstance(value, (float, np.floating)):
            return f"_full(_n, {self._constant(value)})"
        return self._constant(value)

    def _array(self, node: Any) -> str:
        children = list(node._children())
        indices = [
            self.compiled.index_of[id(value)] if isinstance(value, Prior) else None
            for _, value in children
        ]
        start = indices[0] if indices else None
        if start is not None and indices == list(range(start, start + len(indices))):
            return f"_x[:, {start}:{start + len(indices)}].reshape((_n, *{node.shape!r})).copy()"
        values = []
        for name, value in children:
            if value is None:
                raise ModelException(f"af.Array element {name} has no prior or value")
            values.append(self._value(value))
        return f"_stack([{', '.join(values)}], _n, {node.shape!r})"

    def _valid_rows_source(self, expression: str) -> list[str]:
        """``batch_valid_rows(_x, _lower, _upper, _inside_bytes, _log_priors)``: ``(log priors,
        batch instance)`` if every row lies within the limits (``_lower`` and ``_upper`` of the
        shape of the checked values, ``_inside_bytes`` the bytes of an all-True boolean array
        of that shape) and has a finite log prior, else None; for models without assertions
        (their only other check). ``_log_priors`` is returned as the log priors when they are
        one constant (every prior uniform)."""
        if self.compiled.assertions:
            return []
        lines = ["def batch_valid_rows(_x, _lower, _upper, _inside_bytes, _log_priors):"]
        if not self._no_limits:
            values = "_x"
            if self._limit_indices is not None:
                values = f"_x[:, {self._constant(np.asarray(self._limit_indices))}]"
            # Comparing the bytes of a small boolean array (NumPy stores True as 1) costs less
            # than all() or count_nonzero(), which go through Python wrappers.
            lines += [
                f"    _v = {values}",
                "    _inside = _lower <= _v",
                "    _inside &= _v <= _upper",
                "    if _inside.tobytes() != _inside_bytes:",
                "        return None",
            ]
        if not self._constant_log_prior:
            lines += [
                "    _log_priors = batch_log_prior(_x)",
                "    if _log_priors.min() == _negative_infinity:",
                "        return None",
            ]
        return [
            *lines,
            "    _n = _x.shape[0]",
            "    _c = _x.T.copy()",
            *self._statements,
            f"    return _log_priors, {expression}",
        ]

    def _assertions_source(self) -> str:
        if not self.compiled.assertions:
            return "None"
        return " & ".join(a.source(self._name_of) for a in self.compiled.assertions)

    def _log_prior_source(self) -> str:
        """The summed log prior, term by term as in the one-vector form (so the values agree),
        or one numpy call per prior type for models compiled in the vectorised form."""
        if self.compiled.vectorised:
            self._namespace["_groups"] = self.compiled._groups
            return "_groups.summed_log_priors(_x)"
        offset = 0.0
        terms = []
        for index, prior in enumerate(self.compiled.priors):
            term, constant = prior.scalar_log_prior_source(f"_c[{index}]", self._constant)
            offset += constant
            if term is not None:
                terms.append(f"({term})")
        self._constant_log_prior = not terms and math.isfinite(offset)
        return " + ".join([f"_full(_x.shape[0], {offset!r})", *terms])

    # -- evaluation ------------------------------------------------------------------------------

    def vectors(self, vectors: Any) -> np.ndarray:
        """``vectors`` as a float array of shape ``(n, number of free parameters)``.

        Raises
        ------
        ValueError
            Naming the expected shape, if ``vectors`` is not 2D with one column per parameter.
        """
        array = np.asarray(vectors, dtype=float)
        if array.ndim != 2 or array.shape[1] != self.count:
            shown = ", ".join(".".join(path) for path in self.compiled.paths[:12])
            if self.count > 12:
                shown += ", ..."
            raise ValueError(
                f"Expected a 2D array of shape (n, {self.count}), one row per point and one "
                f"column per free parameter ({shown}), got an array of shape {array.shape}"
            )
        return array

    def in_limits(self, vectors: np.ndarray) -> np.ndarray:
        """Whether each row lies within every prior's limits (NaN lies outside)."""
        if self._no_limits:
            return np.ones(vectors.shape[0], dtype=bool)
        values = vectors if self._limit_indices is None else vectors[:, self._limit_indices]
        inside = self._lower <= values
        inside &= values <= self._upper
        return inside.all(axis=1)

    def valid_rows(self, vectors: np.ndarray) -> tuple[np.ndarray, Any] | None:
        """``(log priors, batch instance)`` of a float array of shape ``(n, number of
        parameters)`` if every row is valid (within the limits, a finite log prior, no
        assertion to check), else None: the shortcut of :meth:`evaluate` for the common case.
        The log priors may be a shared read-only array.
        """
        rows = vectors.shape[0]
        if self._valid_rows is None or not rows:
            return None
        constants = self._constants_by_rows.get(rows) or self._constant_rows(rows)
        return self._valid_rows(
            vectors, constants.lower, constants.upper, constants.inside, constants.log_priors
        )

    def _constant_rows(self, rows: int) -> _RowConstants:
        """The read-only :class:`_RowConstants` of batches of ``rows`` vectors, kept per size
        (for up to 16 sizes; all are dropped when a 17th comes)."""
        cached = self._constants_by_rows.get(rows)
        if cached is None:
            every = np.ones(rows, dtype=bool)
            log_priors = np.asarray(
                self._log_prior(np.zeros((rows, self.count))) if self._constant_log_prior else 0.0,
                dtype=float,
            )
            log_priors = np.array(np.broadcast_to(log_priors, (rows,)))
            lower, upper = (np.tile(limit, (rows, 1)) for limit in (self._lower, self._upper))
            for array in (every, log_priors, lower, upper):
                array.flags.writeable = False
            if len(self._constants_by_rows) >= 16:
                self._constants_by_rows.clear()
            inside = np.ones(lower.shape, dtype=bool).tobytes()
            cached = self._constants_by_rows[rows] = _RowConstants(
                every, log_priors, lower, upper, inside
            )
        return cached

    def instance(self, vectors: Any) -> Any:
        """The batch instance of ``vectors`` (no limit or assertion checks)."""
        vectors = self.vectors(vectors)
        with np.errstate(all="ignore"):
            return self._instance(vectors)

    def evaluate(self, vectors: Any) -> BatchEvaluation:
        """Log priors, validity and the batch instance of the valid rows of ``vectors``."""
        return self.evaluate_checked(self.vectors(vectors))

    def evaluate_checked(self, vectors: np.ndarray) -> BatchEvaluation:
        """:meth:`evaluate` of a float array already of shape ``(n, number of parameters)``."""
        shortcut = self.valid_rows(vectors)
        if shortcut is not None:
            # The common case: every row valid (within the limits, where the log priors are
            # finite and raise no floating-point warning) and nothing else to check.
            every = self._constant_rows(vectors.shape[0]).every
            return BatchEvaluation(shortcut[0], every, every, every, shortcut[1])
        return self.evaluate_rows(vectors)

    def evaluate_rows(self, vectors: np.ndarray) -> BatchEvaluation:
        """:meth:`evaluate_checked` row by row, without first trying :meth:`valid_rows`: for a
        caller whose :meth:`valid_rows` already gave None for these vectors."""
        in_limits = self.in_limits(vectors)
        with np.errstate(all="ignore"):
            assertions = self._assertions(vectors)
            if assertions is None:
                holds = in_limits.copy()
            else:
                holds = in_limits & np.broadcast_to(assertions, in_limits.shape)
            log_priors = np.asarray(self._log_prior(vectors), dtype=float)
            valid = holds & (log_priors != -math.inf)
            log_priors = np.where(valid, log_priors, -math.inf)
            instance = None
            if valid.any():
                rows = vectors if valid.all() else vectors[valid]
                instance = self._instance(rows)
        return BatchEvaluation(log_priors, in_limits, holds, valid, instance)
