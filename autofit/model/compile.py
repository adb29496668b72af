"""Compile a model tree once into a flat plan for the hot path.

Every sample of every search maps a vector to an instance. Walking the model tree for each call
is slow, so the tree is compiled into:

- the free priors in vector order (declaration order, depth first), with their paths;
- generated Python functions that unpack a vector, check prior limits and assertions, and call
  the user's constructors directly (``Gaussian(centre=a0, normalization=a1, sigma=a2)``), with the
  unit-cube transform of each prior inlined as arithmetic;
- groups of priors of the same type with their arguments as arrays, so batches of vectors are
  transformed, and log priors evaluated, in one numpy call per prior type.

Models of more than ``VECTORISED_ABOVE`` free parameters, or holding an ``af.Array`` of more than
``ARRAY_VECTORISED_ABOVE`` priors, are compiled differently: the generated
functions refer to the vector by index (``v[12]``) instead of unpacking it into one variable per
parameter, arrays of parameters are taken from the vector by slicing, and the unit transforms,
limit checks and log priors run through the prior groups (one numpy call per prior type). The
generated source then grows with the number of model components, not of parameters, and models
of 100,000 parameters compile in well under a second.

The plan records the global mutation count it was built at; a model rebuilds its plan after any
change to itself or its priors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from autofit.exc import FitException, ModelException, PriorLimitException
from autofit.model.abstract import AbstractModel
from autofit.model.batch import BatchEvaluation, BatchPlan
from autofit.model.instance import new_instance
from autofit.model.missing import MissingPrior, missing_prior_error
from autofit.model.model import Model
from autofit.model.prior_groups import PriorGroups
from autofit.model.source import InstanceSource, compiled_source
from autofit.priors.abstract import MUTATIONS, Prior
from autofit.priors.arithmetic import NAMESPACE, Assertion, DerivedParameter
from autofit.priors.scalar import SCALAR_NAMESPACE

__all__ = ["CompiledModel", "compile_model", "VECTORISED_ABOVE", "ARRAY_VECTORISED_ABOVE"]

PathType = tuple[str, ...]

#: Models with more free parameters than this are compiled with vectorised transforms (see the
#: module docstring); below it, per-parameter generated arithmetic is faster.
VECTORISED_ABOVE = 1000
#: ... as are models holding an array of more priors than this (sliced from the vector in one
#: step, an array is cheaper vectorised from a few hundred elements).
ARRAY_VECTORISED_ABOVE = 250


def _flat(vector: np.ndarray) -> list:
    if vector.ndim != 1:
        raise ValueError(f"expected a 1D vector, got an array of shape {vector.shape}")
    return vector.tolist()


def _set_missing(instance: Any, attributes: dict[str, Any]) -> Any:
    for name, value in attributes.items():
        if not hasattr(instance, name):
            setattr(instance, name, value)
    return instance


def _set_all(instance: Any, attributes: dict[str, Any]) -> Any:
    for name, value in attributes.items():
        setattr(instance, name, value)
    return instance


class CompiledModel(InstanceSource):
    """The flat, compiled form of a model (see the module docstring)."""

    def __init__(self, model: AbstractModel) -> None:
        self.mutations = MUTATIONS.value
        self.priors: list[Prior] = []
        self.paths: list[PathType] = []
        #: Every path at which each free parameter appears (links give several).
        self.all_paths: list[list[PathType]] = []
        self.owner_classes: list[type | None] = []
        self.index_of: dict[int, int] = {}
        self.assertions: list[Assertion] = []
        self._expression_paths: dict[int, PathType] = {}
        #: ``(path, placeholder)`` of every parameter still without a prior.
        self.missing: list[tuple[PathType, MissingPrior]] = []
        self._largest_array = 0
        self._walk(model, (), None)
        for assertion in self.assertions:
            for prior in assertion.priors:
                self._register(prior, ("assertion",), None)
        self._fix_expression_paths()
        self._groups = PriorGroups(self.priors)
        #: Whether the generated code uses the vectorised form for large models.
        self.vectorised = (
            len(self.priors) > VECTORISED_ABOVE or self._largest_array > ARRAY_VECTORISED_ABOVE
        )
        self._namespace: dict[str, Any] = {
            "_ndarray": np.ndarray,
            "_array": np.array,
            "_float": float,
            "_mi": new_instance,
            "_NEG_INF": -math.inf,
            **SCALAR_NAMESPACE,
            "_flat": _flat,
            "_set_missing": _set_missing,
            "_set_all": _set_all,
            "_limit_error": self._limit_error,
            "_vector": self._groups.vector,
            "_from_units": self._groups.values_from_units,
            "_within": self._groups.within_limits,
            "_within_unit": self._groups.within_unit_limits,
            "_log_prior": self._groups.log_prior,
            "_assertion_error": self._assertion_error,
            **NAMESPACE,
        }
        self._constants: dict[int, str] = {}
        self._statements: list[str] = []
        self._indexes_vector = False
        self._compile(model)
        # The batch form is generated on first use (see :mod:`autofit.model.batch`).
        self._model = model
        self._batch_plan: BatchPlan | None = None

    # -- walking the tree ------------------------------------------------------------------------

    def _register(self, prior: Prior, path: PathType, owner: type | None, direct=True) -> None:
        key = id(prior)
        if key in self.index_of and direct:
            self.all_paths[self.index_of[key]].append(path)
        if key in self.index_of:
            if direct and key in self._expression_paths:
                self.paths[self.index_of[key]] = path
                self.owner_classes[self.index_of[key]] = owner
                del self._expression_paths[key]
            return
        self.index_of[key] = len(self.priors)
        self.priors.append(prior)
        self.paths.append(path)
        self.all_paths.append([path] if direct else [])
        self.owner_classes.append(owner)
        if not direct:
            self._expression_paths[key] = path

    def _walk(self, node: AbstractModel, path: PathType, owner: type | None) -> None:
        if isinstance(node, Model):
            owner = node.cls
        elif type(node).__name__ == "Array":
            size = sum(isinstance(child, Prior) for _, child in node._children())
            self._largest_array = max(self._largest_array, size)
        for name, child in node._children():
            child_path = (*path, name)
            if isinstance(child, AbstractModel):
                self._walk(child, child_path, owner)
            elif isinstance(child, Prior):
                self._register(child, child_path, owner)
            elif isinstance(child, DerivedParameter):
                for prior in child.priors:
                    self._register(prior, child_path, owner, direct=False)
            elif isinstance(child, MissingPrior):
                self.missing.append((child_path, child))
        self.assertions.extend(node._assertions)

    def _fix_expression_paths(self) -> None:
        """Priors met only inside derived values take a path naming that they are inputs."""
        for key, path in self._expression_paths.items():
            index = self.index_of[key]
            self.paths[index] = (*path, f"input_{index}")
            self.all_paths[index].append(self.paths[index])

    # -- code generation -------------------------------------------------------------------------

    def _constant(self, value: Any) -> str:
        if type(value) in (float, int) and math.isfinite(value):
            return repr(value)
        if isinstance(value, (float, np.floating)) and math.isfinite(value):
            return repr(float(value))
        key = id(value)
        if key not in self._constants:
            name = f"_k{len(self._constants)}"
            self._constants[key] = name
            self._namespace[name] = value
        return self._constants[key]

    def _name_of(self, prior: object) -> str:
        index = self.index_of[id(prior)]
        if self.vectorised:
            self._indexes_vector = True
            return f"v[{index}]"
        return f"a{index}"

    def _value(self, value: Any) -> str:
        if isinstance(value, AbstractModel):
            return self._node(value)
        if isinstance(value, Prior):
            return self._name_of(value)
        if isinstance(value, DerivedParameter):
            return value.source(self._name_of)
        if isinstance(value, str):
            return repr(value)
        if value is None or isinstance(value, bool):
            return repr(value)
        return self._constant(value)

    def _array(self, node: Any) -> str:
        sliced = self._array_slice(node) if self.vectorised else None
        if sliced is not None:
            return sliced
        values = []
        for name, value in node._children():
            if value is None:
                raise ModelException(f"af.Array element {name} has no prior or value")
            values.append(self._value(value))
        return f"_array([{', '.join(values)}], dtype=_float).reshape({node.shape!r})"

    def _array_slice(self, node: Any) -> str | None:
        """Source taking an array whose elements are all free parameters from the vector
        ``_x`` in one numpy operation (None for arrays with fixed or derived elements)."""
        indices = []
        for _, value in node._children():
            if not isinstance(value, Prior):
                return None
            indices.append(self.index_of[id(value)])
        start = indices[0]
        if indices == list(range(start, start + len(indices))):
            return f"_x[{start}:{start + len(indices)}].reshape({node.shape!r}).copy()"
        return f"_x[{self._constant(np.array(indices, dtype=int))}].reshape({node.shape!r})"

    def _checks(self, unit: bool = False) -> list[str]:
        if self.vectorised:
            return self._vectorised_checks(unit)
        lines = []
        limits = []
        for index, prior in enumerate(self.priors):
            if unit and prior.scalar_source_is_clamped:
                continue
            lower, upper = prior.lower_limit, prior.upper_limit
            if math.isfinite(lower) and math.isfinite(upper):
                limits.append(f"{lower!r} <= a{index} <= {upper!r}")
            elif math.isfinite(lower):
                limits.append(f"{lower!r} <= a{index}")
            elif math.isfinite(upper):
                limits.append(f"a{index} <= {upper!r}")
        values = f"[{', '.join(f'a{i}' for i in range(len(self.priors)))}]"
        if limits:
            lines.append(f"    if check_limits and not ({' and '.join(limits)}):")
            lines.append(f"        _limit_error({values})")
        if self.assertions:
            conditions = " and ".join(a.source(self._name_of) for a in self.assertions)
            lines.append(f"    if check_assertions and not ({conditions}):")
            lines.append(f"        _assertion_error({values})")
        return lines

    def _vectorised_checks(self, unit: bool) -> list[str]:
        """Limit and assertion checks of the vectorised form (on ``_x`` and ``v``)."""
        within = "_within_unit" if unit else "_within"
        lines = [
            f"    if check_limits and not {within}(_x):",
            "        _limit_error(_x.tolist())",
        ]
        if self.assertions:
            conditions = " and ".join(a.source(self._name_of) for a in self.assertions)
            lines.append(f"    if check_assertions and not ({conditions}):")
            lines.append("        _assertion_error(_x.tolist())")
        return lines

    def _compile_vectorised(self, model: AbstractModel) -> str:
        """The source of the generated functions for large models (see the module docstring)."""
        body_expression = self._value(model)
        checks, unit_checks = self._checks(), self._checks(unit=True)
        evaluate_checks = ["    if not _within(_x):", "        return _NEG_INF, 0"]
        if self.assertions:
            conditions = " and ".join(a.source(self._name_of) for a in self.assertions)
            evaluate_checks += [f"    if not ({conditions}):", "        return _NEG_INF, 1"]
        # A list of Python floats for parameters used one by one (cheaper to index than _x).
        names = ["    v = _x.tolist()"] if self._indexes_vector else []
        body = [*names, *checks, *self._statements, f"    return {body_expression}"]
        unit_body = [*names, *unit_checks, *self._statements, f"    return {body_expression}"]
        evaluate = ["def evaluate(v):", "    _x = _vector(v)", *names, *evaluate_checks]
        evaluate += [*self._statements, f"    return _log_prior(_x), {body_expression}"]
        return "\n".join(
            [
                "def from_vector(v, check_assertions=True, check_limits=True):",
                "    _x = _vector(v)",
                *body,
                "",
                "def from_unit(u, check_assertions=True, check_limits=True):",
                "    _x = _from_units(u)",
                *unit_body,
                "",
                "def vector_from_unit(u):",
                "    return _from_units(u).tolist()",
                "",
                *evaluate,
            ]
        )

    def require_priors(self) -> None:
        """Raise if a parameter of the model still has no prior.

        Raises
        ------
        ConfigException
            Naming the first such parameter's class, the files searched for its default prior
            and an example entry, then the paths of every parameter without a prior.
        """
        if self.missing:
            raise missing_prior_error(self.missing)

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise missing_prior_error(self.missing)

    def _compile(self, model: AbstractModel) -> None:
        if self.missing:
            # Nothing can be built until every parameter has a prior: every entry point raises.
            self.source = ""
            self.from_vector = self.from_unit = self._refuse
            self.vector_from_unit = self.evaluate = self._refuse
            return
        if self.vectorised:
            source = self._compile_vectorised(model)
        else:
            source = self._compile_scalar(model)
        self.source = source
        exec(compiled_source(source, "<autofit compiled model>"), self._namespace)  # noqa: S102
        self.from_vector: Callable[..., Any] = self._namespace["from_vector"]
        self.from_unit: Callable[..., Any] = self._namespace["from_unit"]
        self.vector_from_unit: Callable[..., list[float]] = self._namespace["vector_from_unit"]
        self.evaluate: Callable[..., tuple[float, Any]] = self._namespace["evaluate"]

    def _compile_scalar(self, model: AbstractModel) -> str:
        """The source of the generated functions, one variable and inline transform per free
        parameter."""
        count = len(self.priors)
        names = "".join(f"a{i}, " for i in range(count))
        units = "".join(f"u{i}, " for i in range(count))
        transforms = [
            f"    a{i} = {prior.scalar_source(f'u{i}', self._constant)}"
            for i, prior in enumerate(self.priors)
        ]
        body_expression = self._value(model)
        body = [*self._checks(), *self._statements, f"    return {body_expression}"]
        unit_body = [*self._checks(unit=True), *self._statements, f"    return {body_expression}"]
        source = "\n".join(
            [
                "def from_vector(v, check_assertions=True, check_limits=True):",
                "    if type(v) is _ndarray:",
                "        v = _flat(v)",
                f"    ({names}) = v",
                *body,
                "",
                "def from_unit(u, check_assertions=True, check_limits=True):",
                "    if type(u) is _ndarray:",
                "        u = _flat(u)",
                f"    ({units}) = u",
                *transforms,
                *unit_body,
                "",
                "def vector_from_unit(u):",
                "    if type(u) is _ndarray:",
                "        u = _flat(u)",
                f"    ({units}) = u",
                *transforms,
                f"    return [{names}]",
            ]
        )
        return source + "\n\n" + self._evaluate_source(names, body_expression)

    def _evaluate_source(self, names: str, body_expression: str) -> str:
        """``evaluate(v) -> (log_prior, instance)`` for fitness functions: ``(-inf, 0)`` when a
        value is outside its prior's limits, ``(-inf, 1)`` when an assertion is violated."""
        lines = [
            "def evaluate(v):",
            "    if type(v) is _ndarray:",
            "        v = _flat(v)",
            f"    ({names}) = v",
        ]
        for line in self._checks():
            if line.startswith("    if check_limits and"):
                lines.append(line.replace("check_limits and ", "", 1))
                continue
            if line.startswith("    if check_assertions and"):
                lines.append(line.replace("check_assertions and ", "", 1))
                continue
            if "_limit_error" in line:
                lines.append("        return _NEG_INF, 0")
            elif "_assertion_error" in line:
                lines.append("        return _NEG_INF, 1")
        offset = 0.0
        terms = []
        for index, prior in enumerate(self.priors):
            term, constant = prior.scalar_log_prior_source(f"a{index}", self._constant)
            offset += constant
            if term is not None:
                terms.append(f"({term})")
        log_prior = " + ".join([repr(offset), *terms])
        lines += [*self._statements, f"    return {log_prior}, {body_expression}"]
        return "\n".join(lines)

    # -- errors ----------------------------------------------------------------------------------

    def _joined(self, index: int) -> str:
        return ".".join(self.paths[index])

    def _limit_error(self, values: list[float]) -> None:
        for index, (prior, value) in enumerate(zip(self.priors, values, strict=True)):
            if not prior.lower_limit <= value <= prior.upper_limit:
                raise PriorLimitException(
                    f"{self._joined(index)} = {value!r} lies outside the limits of its "
                    f"{type(prior).__name__} [{prior.lower_limit!r}, {prior.upper_limit!r}]"
                )

    def _assertion_error(self, values: list[float]) -> None:
        mapping = {id(prior): value for prior, value in zip(self.priors, values, strict=True)}
        lookup = _ById(mapping)
        for assertion in self.assertions:
            if not assertion.evaluate(lookup):
                described = assertion.describe(lambda prior: self._joined(self.index_of[id(prior)]))
                name = getattr(assertion, "name", None)
                label = f"Assertion {name!r}" if name else "Assertion"
                raise FitException(f"{label} violated: {described}")

    def check_length(self, vector: Any, error: BaseException | None) -> None:
        """Raise ``ValueError`` naming the expected length and paths if ``vector`` is wrong
        (``ConfigException`` first if a parameter has no prior)."""
        self.require_priors()
        try:
            length = len(vector)
        except TypeError:
            return
        if isinstance(vector, np.ndarray) and vector.ndim != 1:
            return
        if length != len(self.priors):
            shown = ", ".join(".".join(path) for path in self.paths[:12])
            if len(self.paths) > 12:
                shown += ", ..."
            raise ValueError(
                f"Expected a vector of length {len(self.priors)} (one value per free parameter: "
                f"{shown}), got length {length}"
            ) from error

    # -- vectorised transforms -------------------------------------------------------------------

    def _batch(self, values: np.ndarray, method: str) -> np.ndarray:
        self.require_priors()
        return self._groups.batch(values, method)

    def batch_vector_from_unit(self, units: np.ndarray) -> np.ndarray:
        """Physical values for a 2D array of unit vectors, one numpy call per prior type."""
        return self._batch(units, "batch_value_for")

    def batch_unit_from_vector(self, values: np.ndarray) -> np.ndarray:
        """Unit values for a 2D array of physical vectors."""
        return self._batch(values, "batch_unit_value_for")

    def batch_log_priors(self, values: np.ndarray) -> np.ndarray:
        """Log prior densities for a 2D array of physical vectors."""
        return self._batch(values, "batch_log_prior")

    # -- batches of vectors (one constructor call per component) --------------------------------

    @property
    def batch_plan(self) -> BatchPlan:
        """The batch form of the model (generated on first use; see :mod:`autofit.model.batch`).

        Raises
        ------
        ConfigException
            If a parameter of the model has no prior.
        """
        if self._batch_plan is None:
            self.require_priors()
            self._batch_plan = BatchPlan(self, self._model)
        return self._batch_plan

    def batch_evaluate(self, vectors: Any) -> BatchEvaluation:
        """Log priors, validity and the batch instance of the valid rows of a 2D array of
        vectors ``(n, d)``: the batch counterpart of ``evaluate`` (see
        :class:`~autofit.model.batch.BatchEvaluation`)."""
        return self.batch_plan.evaluate(vectors)

    def batch_instance(self, vectors: Any) -> Any:
        """The batch instance of a 2D array of vectors ``(n, d)``: one constructor call per
        component with arrays of shape ``(n,)`` (no limit or assertion checks; see
        :mod:`autofit.model.batch`)."""
        return self.batch_plan.instance(vectors)

    def summed_log_priors(self, values: np.ndarray) -> np.ndarray:
        """The total log prior of each row of a 2D array of physical vectors (empty for no
        rows)."""
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            return np.zeros(values.shape[0] if values.ndim == 2 else 0)
        self.require_priors()
        return self._groups.summed_log_priors(values)


class _ById:
    """A mapping from priors to values keyed by identity."""

    def __init__(self, mapping: dict[int, float]) -> None:
        self._mapping = mapping

    def __getitem__(self, prior: object) -> float:
        return self._mapping[id(prior)]


def compile_model(model: AbstractModel) -> CompiledModel:
    """Compile ``model`` (see the module docstring)."""
    return CompiledModel(model)
