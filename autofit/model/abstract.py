"""AbstractModel: what every model node (Model, Collection, Array, TuplePrior) shares."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from autofit.exc import FitException, FrozenModelException, ModelException
from autofit.model.queries import PriorQueries
from autofit.priors.abstract import MUTATIONS, Prior
from autofit.priors.arithmetic import Assertion

if TYPE_CHECKING:
    from autofit.model.compile import CompiledModel

__all__ = ["AbstractModel"]

PathType = tuple[str, ...]


class AbstractModel(PriorQueries):
    """A node of a model tree: named children that are priors, derived values, fixed values or
    other nodes. Subclasses say how the node's instance is built.

    ``af.AbstractPriorModel`` is this class (PyAutoFit's name), so ``isinstance(model,
    af.AbstractPriorModel)`` holds for every Model, Collection and Array."""

    _internal = frozenset({"_attributes", "_assertions", "_frozen", "_plan", "cls"})

    def __init__(self) -> None:
        object.__setattr__(self, "_attributes", {})
        object.__setattr__(self, "_assertions", [])
        object.__setattr__(self, "_frozen", False)
        object.__setattr__(self, "_plan", None)

    # -- attributes ------------------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in AbstractModel._internal:
            raise AttributeError(name)
        attributes = self.__dict__.get("_attributes", {})
        if name in attributes:
            return attributes[name]
        for value in attributes.values():
            if type(value).__name__ == "TuplePrior" and name in value._attributes:
                return value._attributes[name]
        import difflib  # for the error message only, not loaded with autofit

        close = difflib.get_close_matches(name, list(attributes), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AttributeError(f"{self._describe()} has no attribute {name!r}{hint}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        self._check_not_frozen()
        from autofit.model.normalise import normalise

        attributes = self._attributes
        if name not in attributes:
            for child in attributes.values():
                if type(child).__name__ == "TuplePrior" and name in child._attributes:
                    setattr(child, name, value)
                    return
        self._set_child(name, normalise(value, self._child_hint(name)))

    def __delattr__(self, name: str) -> None:
        self._check_not_frozen()
        if name in self.__dict__.get("_attributes", {}):
            del self._attributes[name]
            MUTATIONS.value += 1
        else:
            object.__delattr__(self, name)

    def _set_child(self, name: str, value: Any) -> None:
        self._attributes[name] = value
        MUTATIONS.value += 1

    def _child_hint(self, name: str) -> Any:
        """Information ``normalise`` may use for a value assigned to ``name`` (tuple length)."""
        return None

    def _check_not_frozen(self) -> None:
        if self.__dict__.get("_frozen"):
            raise FrozenModelException(
                f"{self._describe()} is frozen: call unfreeze() to modify it"
            )

    def _describe(self) -> str:
        return type(self).__name__

    def _children(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self._attributes.items()))

    def _component_name(self) -> str:
        """The name shown for this node in ``info`` (its class name)."""
        return type(self).__name__

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_plan"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- assertions ------------------------------------------------------------------------------

    def add_assertion(self, assertion: Assertion, name: str | None = None) -> None:
        """Constrain the parameter space: points violating ``assertion`` are rejected.

        Parameters
        ----------
        assertion
            A comparison of priors, derived parameters and numbers, e.g. ``model.a > model.b``.
        name
            Optional name shown in error messages.

        Raises
        ------
        ModelException
            If ``assertion`` is not a comparison of priors (for example a plain ``bool``).
        """
        self._check_not_frozen()
        if not isinstance(assertion, Assertion):
            raise ModelException(
                f"add_assertion expects a comparison of priors such as model.a > model.b, got "
                f"{assertion!r} (a comparison of two fixed numbers is evaluated by Python at once)"
            )
        if name is not None:
            assertion.name = name
        self._assertions.append(assertion)
        MUTATIONS.value += 1

    @property
    def assertions(self) -> list[Assertion]:
        """Every assertion in this model and its components."""
        return list(self.compiled.assertions)

    # -- the compiled form -----------------------------------------------------------------------

    @property
    def compiled(self) -> CompiledModel:
        """The model compiled into a flat plan (rebuilt automatically after any change)."""
        plan = self.__dict__.get("_plan")
        if plan is None or plan.mutations != MUTATIONS.value:
            from autofit.model.compile import compile_model

            plan = compile_model(self)
            object.__setattr__(self, "_plan", plan)
        return plan

    @property
    def priors(self) -> list[Prior]:
        """The distinct free priors, in vector order."""
        return list(self.compiled.priors)

    @property
    def prior_count(self) -> int:
        """The number of free parameters (dimensions of the parameter space)."""
        return len(self.compiled.priors)

    total_free_parameters = prior_count

    @property
    def paths(self) -> list[PathType]:
        """One path (tuple of attribute names) per free parameter, in vector order."""
        return list(self.compiled.paths)

    @property
    def parameter_names(self) -> list[str]:
        """The name of each free parameter (the last element of its path), in vector order."""
        return [path[-1] for path in self.compiled.paths]

    @property
    def joined_paths(self) -> list[str]:
        """Each free parameter's path joined with dots, e.g. ``gaussian.centre``."""
        return [".".join(path) for path in self.compiled.paths]

    @property
    def model_component_and_parameter_names(self) -> list[str]:
        """Each free parameter's path joined with underscores, e.g. ``gaussian_centre``."""
        return ["_".join(path) for path in self.compiled.paths]

    @property
    def parameter_labels(self) -> list[str]:
        """LaTeX label of each free parameter from ``notation.yaml``, defaulting to its name."""
        from autofit.model.defaults import defaults_lookup

        lookup = defaults_lookup()
        return [lookup.label_for(name) for name in self.parameter_names]

    @property
    def parameter_labels_with_superscripts(self) -> list[str]:
        """Labels with their component's superscript, e.g. ``x^{\\rm g}``."""
        from autofit.model.defaults import defaults_lookup

        lookup = defaults_lookup()
        labels = []
        for label, cls in zip(self.parameter_labels, self.compiled.owner_classes, strict=True):
            superscript = lookup.superscript_for(cls) if cls is not None else ""
            labels.append(f"{label}^{{\\rm {superscript}}}" if superscript else label)
        return labels

    @property
    def prior_tuples(self) -> list[tuple[str, Prior]]:
        """``(name, prior)`` for each free parameter, in vector order."""
        return [(path[-1], prior) for path, prior in zip(self.paths, self.priors, strict=True)]

    @property
    def path_priors_tuples(self) -> list[tuple[PathType, Prior]]:
        """``(path, prior)`` for each free parameter, in vector order."""
        return list(zip(self.paths, self.priors, strict=True))

    def path_for_prior(self, prior: Prior) -> PathType | None:
        """The path of ``prior`` in this model (its first occurrence), or None."""
        index = self.compiled.index_of.get(id(prior))
        return None if index is None else self.compiled.paths[index]

    def index_for_prior(self, prior: Prior) -> int | None:
        """The position of ``prior`` in the parameter vector, or None."""
        return self.compiled.index_of.get(id(prior))

    def object_for_path(self, path: PathType | str) -> Any:
        """The child at ``path`` (a tuple of names or a dotted string)."""
        if isinstance(path, str):
            path = tuple(path.split("."))
        node: Any = self
        for name in path:
            node = node[name] if isinstance(node, (list, tuple)) else getattr(node, name)
        return node

    # -- vectors and instances -------------------------------------------------------------------

    def instance_from_vector(
        self,
        vector: list[float] | np.ndarray,
        ignore_assertions: bool = False,
        ignore_prior_limits: bool = False,
    ) -> Any:
        """The instance whose free parameters take the values in ``vector`` (in vector order).

        Parameters
        ----------
        vector
            One physical value per free parameter.
        ignore_assertions
            Build the instance even if an assertion is violated.
        ignore_prior_limits
            Build the instance even if a value lies outside its prior's limits.

        Raises
        ------
        ValueError
            If the vector's length is not the number of free parameters.
        FitException
            If an assertion is violated (``PriorLimitException`` if a value is out of limits).
        """
        plan = self._plan
        if plan is None or plan.mutations != MUTATIONS.value:
            plan = self.compiled
        try:
            return plan.from_vector(vector, not ignore_assertions, not ignore_prior_limits)
        except (ValueError, TypeError) as error:
            plan.check_length(vector, error)
            raise

    def batch_instance_from_vectors(self, vectors: Any) -> Any:
        """The batch instance of many parameter vectors: the model's instance tree built with
        one constructor call per component, whose parameters are arrays with one value per
        vector (what ``Analysis.log_likelihood_function_batch`` receives).

        ``af.Model(cls)`` gives ``cls(**arrays)`` with arrays of shape ``(n,)``; a collection an
        ``af.ModelInstance`` of such components; an ``af.Array`` an array of shape
        ``(n, *shape)``; fixed floats are broadcast to shape ``(n,)`` and other fixed values
        are unchanged. Limits and assertions are not checked.

        Parameters
        ----------
        vectors
            Shape ``(n, number of free parameters)``: one parameter vector per row.

        Raises
        ------
        ValueError
            If ``vectors`` is not 2D with one column per free parameter.
        """
        return self.compiled.batch_instance(vectors)

    def instance_from_unit_vector(
        self,
        unit_vector: list[float] | np.ndarray,
        ignore_assertions: bool = False,
        ignore_prior_limits: bool = False,
    ) -> Any:
        """The instance at ``unit_vector``: each entry in [0, 1] mapped through its prior.

        Parameters and errors as :meth:`instance_from_vector`.
        """
        plan = self._plan
        if plan is None or plan.mutations != MUTATIONS.value:
            plan = self.compiled
        try:
            return plan.from_unit(unit_vector, not ignore_assertions, not ignore_prior_limits)
        except (ValueError, TypeError) as error:
            plan.check_length(unit_vector, error)
            raise

    def vector_from_unit_vector(self, unit_vector: list[float] | np.ndarray) -> Any:
        """Physical values from unit values.

        A 1D input gives a list of floats; a 2D array ``(n_points, n_parameters)`` is
        transformed in one vectorised call and gives an array of the same shape.
        """
        plan = self.compiled
        if isinstance(unit_vector, np.ndarray) and unit_vector.ndim == 2:
            return plan.batch_vector_from_unit(unit_vector)
        try:
            return plan.vector_from_unit(unit_vector)
        except (ValueError, TypeError) as error:
            plan.check_length(unit_vector, error)
            raise

    def unit_vector_from_vector(self, vector: list[float] | np.ndarray) -> Any:
        """Unit values (prior CDFs) from physical values; 1D gives a list, 2D an array."""
        array = np.asarray(vector, dtype=float)
        self.compiled.check_length(array if array.ndim == 1 else array[0], None)
        result = self.compiled.batch_unit_from_vector(np.atleast_2d(array))
        return result[0].tolist() if array.ndim == 1 else result

    def log_prior_list_from_vector(self, vector: list[float] | np.ndarray) -> Any:
        """The log prior density of each value (``-inf`` outside its limits).

        A 1D input gives a list with one entry per free parameter; a 2D array gives an array.
        """
        array = np.asarray(vector, dtype=float)
        self.compiled.check_length(array if array.ndim == 1 else array[0], None)
        result = self.compiled.batch_log_priors(np.atleast_2d(array))
        return result[0].tolist() if array.ndim == 1 else result

    def instance_from_prior_medians(self, ignore_assertions: bool = False) -> Any:
        """The instance with every free parameter at its prior's median."""
        return self.instance_from_unit_vector(
            [0.5] * self.prior_count, ignore_assertions=ignore_assertions
        )

    def random_unit_vector(self, rng: np.random.Generator | None = None) -> list[float]:
        """A uniformly random unit vector (from ``rng`` or numpy's global random state)."""
        draws = (
            rng.random(self.prior_count) if rng is not None else np.random.random(self.prior_count)
        )
        return draws.tolist()

    def random_instance(
        self,
        ignore_assertions: bool = False,
        rng: np.random.Generator | None = None,
        max_attempts: int = 100,
    ) -> Any:
        """An instance drawn from the priors, redrawn until it satisfies every assertion.

        Raises
        ------
        FitException
            If no draw satisfies the assertions after ``max_attempts`` attempts.
        """
        for _ in range(max_attempts):
            try:
                return self.instance_from_unit_vector(
                    self.random_unit_vector(rng), ignore_assertions=ignore_assertions
                )
            except FitException:
                continue
        raise FitException(
            f"random_instance: no draw from the priors satisfied the assertions of "
            f"{self._describe()} in {max_attempts} attempts"
        )

    # -- copies, freezing, editing ---------------------------------------------------------------

    def copy(self) -> AbstractModel:
        """A deep copy; priors shared inside the model stay shared in the copy."""
        import copy

        return copy.deepcopy(self)

    def freeze(self) -> AbstractModel:
        """Forbid changes to this model and its components (returns the model)."""
        for node in self._nodes():
            object.__setattr__(node, "_frozen", True)
        return self

    def unfreeze(self) -> AbstractModel:
        """Allow changes again (returns the model)."""
        for node in self._nodes():
            object.__setattr__(node, "_frozen", False)
        return self

    def _nodes(self) -> Iterator[AbstractModel]:
        yield self
        for _, child in self._children():
            if isinstance(child, AbstractModel):
                yield from child._nodes()

    def take_attributes(self, source: Any) -> None:
        """Copy every attribute ``source`` shares with this model, recursively.

        ``source`` may be another model or an instance (for example a previous fit's
        ``result.instance``): matching free parameters become the source's priors or values.
        """
        from autofit.model.edit import take_attributes

        take_attributes(self, source)

    def with_paths(self, paths: list[PathType | str]) -> AbstractModel:
        """A copy keeping only the components and parameters at (or below) ``paths``."""
        from autofit.model.edit import filter_paths

        return filter_paths(self, paths, keep=True)

    def without_paths(self, paths: list[PathType | str]) -> AbstractModel:
        """A copy with the components and parameters at (or below) ``paths`` removed."""
        from autofit.model.edit import filter_paths

        return filter_paths(self, paths, keep=False)

    # -- text, JSON and identity -----------------------------------------------------------------

    @property
    def info(self) -> str:
        """A readable, aligned description of the model: free parameter count, then the tree of
        components with each parameter's prior or fixed value."""
        from autofit.model.info import model_info

        return model_info(self)

    def dict(self) -> dict[str, Any]:
        """The JSON form: class paths, priors, fixed values, links, arithmetic and assertions."""
        from autofit.model.serialise import model_to_dict

        return model_to_dict(self)

    @classmethod
    def from_dict(cls, entry: dict[str, Any], trusted_modules: Iterable[str] = ()) -> Any:
        """Rebuild a model (of whatever kind ``entry`` describes) from :meth:`dict` output.

        Only classes of modules already imported, or listed in ``trusted_modules``, are used;
        never functions or standard-library classes (see :mod:`autofit.model.trust`).

        Raises
        ------
        UntrustedClassException
            If ``entry`` names a class that is not trusted, saying how to allow it.
        """
        from autofit.model.serialise import model_from_dict

        return model_from_dict(entry, trusted_modules)

    @classmethod
    def from_instance(
        cls,
        instance: Any,
        model_classes: type | tuple[type, ...] = (),
        exclude_classes: type | tuple[type, ...] = (),
    ) -> Any:
        """A model of an instance (see :func:`autofit.model.conversion.model_from_instance`):
        components of ``model_classes`` become free with their configured priors, the rest is
        fixed at the instance's values."""
        from autofit.model.conversion import model_from_instance

        return model_from_instance(instance, model_classes, exclude_classes)

    @classmethod
    def from_json(cls, file: str | Path, trusted_modules: Iterable[str] = ()) -> Any:
        """Rebuild a model from a JSON file written by :meth:`output_to_json` (classes are
        trusted as for :meth:`from_dict`)."""
        import json

        return cls.from_dict(json.loads(Path(file).read_text()), trusted_modules)

    def output_to_json(self, file: str | Path) -> None:
        """Write :meth:`dict` to ``file`` as JSON."""
        import json

        Path(file).write_text(json.dumps(self.dict(), indent=2))

    @property
    def identifier(self) -> str:
        """An md5 hex digest of the model's canonical form, the same in every process."""
        from autofit.model.identifier import model_identifier

        return model_identifier(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AbstractModel):
            return False
        from autofit.model.identifier import canonical_form

        return canonical_form(self) == canonical_form(other)

    __hash__ = object.__hash__
