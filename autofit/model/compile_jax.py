"""The traceable (JAX) form of a compiled model.

:mod:`autofit.model.compile` turns a model into generated Python that checks prior limits with
``if`` statements and rejects points by returning early: fast for one point in plain Python, but
not something JAX can trace. This module builds the same mapping from ``jax.numpy`` operations
only, so that ``vector -> (instance, log prior, accepted)`` and the user's likelihood can be
traced once, jitted, vmapped over batches and differentiated:

- the prior limits and the model's assertions become one boolean (``accepted``), never a Python
  branch; a rejected point gets a log posterior of ``-inf`` from ``jnp.where``;
- the log prior of every parameter is one vectorised expression,
  ``c - l * y - 0.5 * q * ((y - mean) / sigma) ** 2`` with ``y = log(x)`` for the priors on the
  logarithm (``l = 1``) and ``y = x`` otherwise, and ``q = 1`` for the Gaussian families, with each
  prior's constant ``c`` computed once from its numpy form;
- the unit-cube transforms are vectorised per family (uniform, log-uniform, normal and
  log-normal, truncated or not), so gradient-based samplers can work in unconstrained
  coordinates;
- the instance is built by calling the user's constructors on the traced values, with the same
  rules as the numpy form (constructor arguments, extra attributes, collections, tuples, arrays,
  derived parameters).

JAX is imported by :func:`require_jax`, which also switches JAX to 64-bit floats (samplers
compare log likelihoods that differ in their eighth digit).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from autofit.exc import ModelException
from autofit.model.abstract import AbstractModel
from autofit.model.collection import Collection
from autofit.model.compile import _set_all, _set_missing
from autofit.model.instance import new_instance
from autofit.model.model import Model
from autofit.model.signature import constructor_signature
from autofit.model.tuple_prior import TuplePrior
from autofit.priors.abstract import Prior
from autofit.priors.arithmetic import Assertion, DerivedParameter
from autofit.priors.gaussian import GaussianPrior, LogGaussianPrior, _tails
from autofit.priors.uniform import LogUniformPrior, UniformPrior

__all__ = ["TraceableModel", "traceable_model", "require_jax", "JAX_EXTRA_MESSAGE"]

#: The message of the ImportError raised when JAX is needed but not installed.
JAX_EXTRA_MESSAGE = (
    'use_jax=True needs JAX, which is not installed: pip install "autofit[jax]" '
    "(or pass use_jax=False to evaluate the likelihood with numpy)"
)


def require_jax() -> ModuleType:
    """Import JAX with 64-bit floats enabled.

    Returns
    -------
    The ``jax`` module.

    Raises
    ------
    ImportError
        If JAX is not installed, naming ``pip install "autofit[jax]"``.
    """
    try:
        import jax
    except ImportError as error:
        raise ImportError(JAX_EXTRA_MESSAGE, name="jax") from error
    if not jax.config.jax_enable_x64:
        jax.config.update("jax_enable_x64", True)
    return jax


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": operator.pow,
}
_COMPARISON: dict[str, Callable[[Any, Any], Any]] = {
    "gt": operator.gt,
    "lt": operator.lt,
    "ge": operator.ge,
    "le": operator.le,
}


class TraceableModel:
    """The ``jax.numpy`` form of a model's compiled plan (see the module docstring).

    Every method takes and returns JAX values and can be called inside ``jax.jit``,
    ``jax.vmap`` and ``jax.grad``.

    Parameters
    ----------
    model
        The model; its compiled plan gives the free priors in vector order.

    Raises
    ------
    ConfigException
        If a parameter of the model has no prior.
    ModelException
        If a prior is of a type without a traceable form (the five built-in prior types have
        one).
    """

    def __init__(self, model: AbstractModel) -> None:
        jax = require_jax()
        self._jnp = jax.numpy
        compiled = model.compiled
        compiled.require_priors()
        self.priors: list[Prior] = list(compiled.priors)
        self.paths = list(compiled.paths)
        self.count = len(self.priors)
        self._index_of = dict(compiled.index_of)
        self._assertions: list[Assertion] = list(compiled.assertions)
        for index, prior in enumerate(self.priors):
            if not isinstance(
                prior, (UniformPrior, LogUniformPrior, GaussianPrior, LogGaussianPrior)
            ):
                raise ModelException(
                    f"{'.'.join(self.paths[index])} has a prior of type {type(prior).__name__}, "
                    "which has no JAX form: use_jax=True supports UniformPrior, LogUniformPrior, "
                    "GaussianPrior, TruncatedGaussianPrior and LogGaussianPrior"
                )
        self.lower = np.array([prior.lower_limit for prior in self.priors], dtype=float)
        self.upper = np.array([prior.upper_limit for prior in self.priors], dtype=float)
        self._log_prior_terms()
        self._unit_families()
        self._build = self._builder(model)

    # -- log prior -------------------------------------------------------------------------------

    def _log_prior_terms(self) -> None:
        on_log = [isinstance(p, (LogUniformPrior, LogGaussianPrior)) for p in self.priors]
        normal = [isinstance(p, (GaussianPrior, LogGaussianPrior)) for p in self.priors]
        self._on_log = np.array(on_log, dtype=bool)
        self._normal = np.array(normal, dtype=float)
        self._mean = np.array([getattr(p, "mean", 0.0) for p in self.priors], dtype=float)
        self._inverse_sigma = np.array([1.0 / getattr(p, "sigma", 1.0) for p in self.priors])
        # Each prior's constant: its numpy log density at its median minus the varying terms.
        medians = np.array([float(prior.value_for(0.5)) for prior in self.priors], dtype=float)
        exact = np.array(
            [
                float(prior.log_prior_from_value(median))
                for prior, median in zip(self.priors, medians, strict=True)
            ]
        )
        self._constant = float(np.sum(exact - self._varying_terms(np, medians)))

    def _varying_terms(self, xp: ModuleType, values: Any) -> Any:
        """The value-dependent part of each parameter's log prior density."""
        on_log = self._on_log
        safe = xp.where(on_log, values, 1.0)
        transformed = xp.where(on_log, xp.log(xp.where(safe > 0.0, safe, 1.0)), values)
        transformed = xp.where(on_log & (safe <= 0.0), -xp.inf, transformed)
        scaled = (transformed - self._mean) * self._inverse_sigma
        return -xp.where(on_log, transformed, 0.0) - 0.5 * self._normal * scaled * scaled

    def log_prior(self, vector: Any) -> Any:
        """The summed log prior density of ``vector``, assuming it lies within the limits."""
        return self._constant + self._jnp.sum(self._varying_terms(self._jnp, vector))

    # -- limits and assertions -------------------------------------------------------------------

    def accepted(self, vector: Any) -> Any:
        """Whether ``vector`` lies within every prior's limits and satisfies every assertion
        (a JAX boolean; NaN is never accepted)."""
        jnp = self._jnp
        inside = jnp.all((vector >= self.lower) & (vector <= self.upper))
        for assertion in self._assertions:
            left, right = (self._expression(operand, vector) for operand in assertion.operands)
            inside = inside & _COMPARISON[assertion.operator](left, right)
        return inside

    # -- unit-cube transforms --------------------------------------------------------------------

    def _unit_families(self) -> None:
        """Index sets and arguments of the vectorised unit transforms."""
        uniform, log_uniform, normal = [], [], []
        for index, prior in enumerate(self.priors):
            if isinstance(prior, UniformPrior):
                uniform.append(index)
            elif isinstance(prior, LogUniformPrior):
                log_uniform.append(index)
            else:
                normal.append(index)
        self._uniform = np.array(uniform, dtype=int)
        self._log_uniform = np.array(log_uniform, dtype=int)
        self._normal_indices = np.array(normal, dtype=int)
        self._normal_log = np.array(
            [isinstance(self.priors[i], LogGaussianPrior) for i in normal], dtype=bool
        )
        arguments = []
        for i in normal:
            prior = self.priors[i]
            log = isinstance(prior, LogGaussianPrior)
            lower, upper = prior.lower_limit, prior.upper_limit
            if log:
                lower = math.log(lower) if lower > 0.0 else -math.inf
                upper = math.log(upper) if math.isfinite(upper) else math.inf
            p_low, s_high, mass = (
                float(v)
                for v in _tails(
                    (lower - prior.mean) / prior.sigma, (upper - prior.mean) / prior.sigma
                )
            )
            arguments.append((prior.mean, prior.sigma, p_low, s_high, mass))
        self._normal_arguments = np.array(arguments, dtype=float).reshape(-1, 5).T.copy()

    def vector_from_unit(self, unit: Any) -> Any:
        """Physical values of a unit vector (each prior's inverse CDF), traceable."""
        jnp = self._jnp
        from jax.scipy.special import ndtri

        out = jnp.zeros(self.count, dtype=jnp.result_type(unit, float))
        if self._uniform.size:
            indices = self._uniform
            width = self.upper[indices] - self.lower[indices]
            out = out.at[indices].set(self.lower[indices] + width * unit[indices])
        if self._log_uniform.size:
            indices = self._log_uniform
            log_lower = np.log(self.lower[indices])
            log_width = np.log(self.upper[indices]) - log_lower
            out = out.at[indices].set(jnp.exp(log_lower + log_width * unit[indices]))
        if self._normal_indices.size:
            indices = self._normal_indices
            mean, sigma, p_low, s_high, mass = self._normal_arguments
            u = unit[indices]
            # Below the median the lower tail is inverted, above it the upper tail.
            p = jnp.clip(p_low + u * mass, 1e-300, 1.0)
            survival = jnp.clip(s_high + (1.0 - u) * mass, 1e-300, 1.0)
            z = jnp.where(p < 0.5, ndtri(jnp.minimum(p, 0.5)), -ndtri(jnp.minimum(survival, 0.5)))
            values = mean + sigma * z
            values = jnp.where(
                self._normal_log, jnp.exp(jnp.where(self._normal_log, values, 0.0)), values
            )
            out = out.at[indices].set(values)
        return jnp.clip(out, self.lower, self.upper)

    # -- instances -------------------------------------------------------------------------------

    def instance(self, vector: Any) -> Any:
        """The model's instance at ``vector`` (the user's classes holding traced values)."""
        return self._build(vector)

    def _expression(self, operand: Any, vector: Any) -> Any:
        if isinstance(operand, (DerivedParameter, Assertion)):
            return self._derived(operand)(vector)
        if isinstance(operand, Prior):
            return vector[self._index_of[id(operand)]]
        return operand

    def _derived(self, value: DerivedParameter) -> Callable[[Any], Any]:
        jnp = self._jnp
        unary = {"neg": operator.neg, "abs": jnp.abs, "log": jnp.log, "log10": jnp.log10}
        operands = [self._value(operand) for operand in value.operands]
        if value.operator in _BINARY:
            function = _BINARY[value.operator]
            left, right = operands
            return lambda vector: function(left(vector), right(vector))
        function = unary[value.operator]
        (single,) = operands
        return lambda vector: function(single(vector))

    def _value(self, value: Any) -> Callable[[Any], Any]:
        """A function of the traced parameter vector building ``value``."""
        if isinstance(value, AbstractModel):
            return self._builder(value)
        if isinstance(value, Prior):
            index = self._index_of[id(value)]
            return lambda vector: vector[index]
        if isinstance(value, DerivedParameter):
            return self._derived(value)
        return lambda vector: value

    def _builder(self, node: AbstractModel) -> Callable[[Any], Any]:
        """The constructor plan of ``node``, with the rules of the numpy form."""
        children = [(name, self._value(value)) for name, value in node._children()]
        if isinstance(node, Model):
            return self._model_builder(node, children)
        if isinstance(node, TuplePrior):
            return lambda vector: tuple(build(vector) for _, build in children)
        if isinstance(node, Collection):
            return lambda vector: new_instance({name: build(vector) for name, build in children})
        from autofit.model.array import Array

        if isinstance(node, Array):
            return self._array_builder(node, children)
        raise ModelException(f"Cannot trace a model node of type {type(node).__name__}")

    def _array_builder(self, node: Any, children: list) -> Callable[[Any], Any]:
        """An array of parameters: taken from the vector in one slice (or gather) when every
        element is a free parameter, else stacked element by element."""
        jnp, shape = self._jnp, node.shape
        values = [value for _, value in node._children()]
        for (name, _), value in zip(children, values, strict=True):
            if value is None:
                raise ModelException(f"af.Array element {name} has no prior or value")
        if all(isinstance(value, Prior) for value in values):
            indices = np.array([self._index_of[id(value)] for value in values], dtype=int)
            start = int(indices[0])
            if np.array_equal(indices, np.arange(start, start + indices.size)):
                stop = start + indices.size
                return lambda vector: vector[start:stop].reshape(shape)
            return lambda vector: vector[indices].reshape(shape)
        return lambda vector: jnp.stack(
            [jnp.asarray(build(vector), dtype=float) for _, build in children]
        ).reshape(shape)

    @staticmethod
    def _model_builder(model: Model, children: list) -> Callable[[Any], Any]:
        signature = constructor_signature(model.cls)
        names = set(signature.names)
        cls = model.cls
        setter = _set_missing if signature.accepts_kwargs else _set_all

        def build(vector: Any) -> Any:
            arguments, extras = {}, {}
            for name, child in children:
                value = child(vector)
                if name in names:
                    arguments[name] = value
                    continue
                if signature.accepts_kwargs and name.isidentifier():
                    arguments[name] = value
                extras[name] = value
            instance = cls(**arguments)
            return setter(instance, extras) if extras else instance

        return build


def traceable_model(model: AbstractModel) -> TraceableModel:
    """The traceable form of ``model``, built once per compiled plan (a changed model gets a new
    one)."""
    compiled = model.compiled
    traceable = getattr(compiled, "_traceable", None)
    if traceable is None:
        traceable = TraceableModel(model)
        compiled._traceable = traceable
    return traceable
