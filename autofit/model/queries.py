"""Model methods PyAutoFit scripts use to look up priors and build instances and models from
prior-keyed arguments.

They are mixed into :class:`~autofit.model.abstract.AbstractModel`. Every list follows the
model's vector order (declaration order, depth first), including
:attr:`PriorQueries.prior_tuples_ordered_by_id`, whose name is kept for PyAutoFit scripts: there
the order of prior ids is the vector order, here the vector order is declaration order, so a
vector zipped with either list pairs each value with its own prior.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from autofit.exc import ModelException
from autofit.priors.abstract import MUTATIONS, Prior

if TYPE_CHECKING:
    from autofit.model.abstract import AbstractModel

__all__ = ["PriorNameValue", "PriorQueries"]

PathType = tuple[str, ...]


class PriorNameValue(NamedTuple):
    """A prior and its name: unpacks as ``(name, prior)``, reads as ``.name`` / ``.prior``."""

    name: str
    prior: Prior


def _short_path(path: PathType) -> PathType:
    """A path with a tuple element's argument name dropped: ``(g, centre, centre_0)`` ->
    ``(g, centre_0)``, the form PyAutoFit uses in prior names."""
    if len(path) >= 2 and path[-1].startswith(f"{path[-2]}_") and path[-1][-1:].isdigit():
        return (*path[:-2], path[-1])
    return path


class PriorQueries:
    """Lookups of priors by id, name and path, and models or instances from prior arguments."""

    # -- prior lists -----------------------------------------------------------------------------

    @property
    def unique_prior_tuples(self: AbstractModel) -> list[PriorNameValue]:
        """``(name, prior)`` for each distinct free prior (a linked prior once), in vector
        order."""
        return [PriorNameValue(name, prior) for name, prior in self.prior_tuples]

    @property
    def prior_tuples_ordered_by_id(self: AbstractModel) -> list[PriorNameValue]:
        """``(name, prior)`` for each distinct free prior in vector order.

        The name is PyAutoFit's; the order is this model's parameter order (declaration order),
        which is what PyAutoFit scripts rely on when they pair it with a parameter vector. It
        is deterministic: the same script gives the same list. Sort by :attr:`Prior.id
        <autofit.Prior.id>` yourself if you need creation order.
        """
        return self.unique_prior_tuples

    @property
    def priors_ordered_by_id(self: AbstractModel) -> list[Prior]:
        """The priors of :attr:`prior_tuples_ordered_by_id` (the vector order)."""
        return self.priors

    @property
    def direct_prior_tuples(self: AbstractModel) -> list[PriorNameValue]:
        """``(name, prior)`` for the priors that are attributes of this node itself, not of a
        component or a tuple argument, in declaration order."""
        return [
            PriorNameValue(name, child)
            for name, child in self._children()
            if isinstance(child, Prior)
        ]

    def prior_with_id(self: AbstractModel, prior_id: int) -> Prior:
        """The free prior whose :attr:`~autofit.Prior.id` is ``prior_id``.

        Raises
        ------
        KeyError
            If no free prior of the model has that id.
        """
        for prior in self.priors:
            if prior.id == prior_id:
                return prior
        raise KeyError(f"No free prior of {self._describe()} has id {prior_id}")

    def name_for_prior(self: AbstractModel, prior: Prior) -> str | None:
        """The name of a prior: its path joined by underscores (``gaussian_centre``; a tuple
        element as ``gaussian_centre_0``), or None if the prior is not in the model."""
        path = self.path_for_prior(prior)
        return None if path is None else "_".join(_short_path(path))

    def path_instance_tuples_for_class(
        self: AbstractModel,
        cls: type | tuple[type, ...],
        ignore_class: type | tuple[type, ...] | None = None,
        ignore_children: bool = True,
    ) -> list[tuple[PathType, Any]]:
        """``(path, object)`` for every object of type ``cls`` in the model tree, in order.

        Parameters
        ----------
        cls
            The type (or types) to find, for example ``af.Prior`` or ``af.Model``.
        ignore_class
            Do not look inside nodes of this type (nor report them).
        ignore_children
            Do not look inside an object once it is found.

        Returns
        -------
        list of (tuple of str, object)
            The model itself has the path ``()``. A prior linked at several places is
            reported at each.
        """
        found: list[tuple[PathType, Any]] = []
        _find(self, (), cls, ignore_class, ignore_children, found)
        return found

    # -- instances from arguments ----------------------------------------------------------------

    def instance_for_arguments(
        self: AbstractModel,
        arguments: Mapping[Prior, float],
        ignore_assertions: bool = False,
        ignore_prior_limits: bool = False,
    ) -> Any:
        """The instance whose free parameters take the values given for their priors.

        Parameters
        ----------
        arguments
            A value for every free prior of the model (extra priors are ignored).
        ignore_assertions, ignore_prior_limits
            As for :meth:`instance_from_vector`.

        Raises
        ------
        ModelException
            If a free prior of the model has no value, naming its path.
        """
        by_id = {id(prior): value for prior, value in arguments.items()}
        vector = []
        for path, prior in self.path_priors_tuples:
            if id(prior) not in by_id:
                raise ModelException(
                    f"instance_for_arguments: no value given for the prior at "
                    f"{'.'.join(path)} ({prior!r})"
                )
            vector.append(by_id[id(prior)])
        return self.instance_from_vector(
            vector, ignore_assertions=ignore_assertions, ignore_prior_limits=ignore_prior_limits
        )

    def instance_from_path_arguments(
        self: AbstractModel,
        path_arguments: Mapping[PathType, float],
        ignore_assertions: bool = False,
        ignore_prior_limits: bool = False,
    ) -> Any:
        """The instance whose free parameters take the values given for their paths.

        Parameters
        ----------
        path_arguments
            A value for the path (a tuple of names, as in :attr:`paths`) of every free prior; a
            linked prior needs one of its paths only.
        ignore_assertions, ignore_prior_limits
            As for :meth:`instance_from_vector`.

        Raises
        ------
        ModelException
            If a path does not lead to a prior, or a free prior has no value.
        """
        arguments = {}
        for path, value in path_arguments.items():
            prior = self.object_for_path(tuple(path))
            if not isinstance(prior, Prior):
                raise ModelException(
                    f"instance_from_path_arguments: {'.'.join(path)} is {prior!r}, not a prior"
                )
            arguments[prior] = value
        return self.instance_for_arguments(arguments, ignore_assertions, ignore_prior_limits)

    def instance_from_prior_name_arguments(
        self: AbstractModel,
        prior_name_arguments: Mapping[str, float],
        ignore_assertions: bool = False,
        ignore_prior_limits: bool = False,
    ) -> Any:
        """The instance whose free parameters take the values given for their names.

        Parameters
        ----------
        prior_name_arguments
            A value for the name of every free prior: its path joined by underscores
            (``gaussian_centre``; a tuple element as ``gaussian_centre_0`` or
            ``gaussian_centre_centre_0``).
        ignore_assertions, ignore_prior_limits
            As for :meth:`instance_from_vector`.

        Raises
        ------
        ModelException
            If a name matches no prior (suggesting the closest), or two priors.
        """
        names: dict[str, Prior] = {}
        for paths, prior in zip(self.compiled.all_paths, self.priors, strict=True):
            for path in paths:
                for name in {"_".join(path), "_".join(_short_path(path))}:
                    if names.setdefault(name, prior) is not prior:
                        raise ModelException(
                            f"The prior name {name!r} is ambiguous in {self._describe()}: "
                            f"give paths to instance_from_path_arguments instead"
                        )
        arguments = {}
        for name, value in prior_name_arguments.items():
            if name not in names:
                import difflib

                close = difflib.get_close_matches(name, list(names), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ModelException(f"No prior of {self._describe()} is named {name!r}{hint}")
            arguments[names[name]] = value
        return self.instance_for_arguments(arguments, ignore_assertions, ignore_prior_limits)

    # -- new models from prior arguments ---------------------------------------------------------

    def mapper_from_prior_arguments(
        self: AbstractModel, arguments: Mapping[Prior, Any]
    ) -> AbstractModel:
        """A copy of the model with every free prior replaced as ``arguments`` says.

        Parameters
        ----------
        arguments
            For every free prior of the model, its replacement: a new prior, or a number that
            fixes the parameter. Links, derived parameters and assertions follow the
            replacement.

        Returns
        -------
        AbstractModel
            The new model (not frozen); the original is unchanged.

        Raises
        ------
        ModelException
            If a free prior has no replacement (use :meth:`mapper_from_partial_prior_arguments`
            to keep the others).
        """
        given = {id(prior) for prior in arguments}
        for path, prior in self.path_priors_tuples:
            if id(prior) not in given:
                raise ModelException(
                    f"mapper_from_prior_arguments: no replacement for the prior at "
                    f"{'.'.join(path)}; use mapper_from_partial_prior_arguments to keep the "
                    f"priors you do not replace"
                )
        return _replaced(self, arguments)

    def mapper_from_partial_prior_arguments(
        self: AbstractModel, arguments: Mapping[Prior, Any]
    ) -> AbstractModel:
        """A copy of the model with the free priors in ``arguments`` replaced.

        Priors not in ``arguments`` are kept: the new model holds the same prior objects, so
        they can be used as keys for both models.

        Parameters
        ----------
        arguments
            Replacements (new priors, or numbers that fix the parameter) of some free priors.

        Returns
        -------
        AbstractModel
            The new model (not frozen); the original is unchanged.
        """
        kept = {prior: prior for prior in self.priors}
        return _replaced(self, {**kept, **arguments})

    # -- labels ----------------------------------------------------------------------------------

    @property
    def parameter_labels_with_superscripts_latex(self: AbstractModel) -> list[str]:
        """:attr:`parameter_labels_with_superscripts` in LaTeX math mode, e.g. ``$x^{\\rm g}$``."""
        return [f"${label}$" for label in self.parameter_labels_with_superscripts]


def _replaced(model: AbstractModel, arguments: Mapping[Prior, Any]) -> AbstractModel:
    """A deep copy of ``model`` in which each prior in ``arguments`` is its replacement."""
    import copy

    memo: dict[int, Any] = {id(prior): replacement for prior, replacement in arguments.items()}
    new = copy.deepcopy(model, memo)
    new.unfreeze()
    MUTATIONS.value += 1
    return new


def _find(
    node: Any,
    path: PathType,
    cls: type | tuple[type, ...],
    ignore_class: type | tuple[type, ...] | None,
    ignore_children: bool,
    found: list[tuple[PathType, Any]],
) -> None:
    from autofit.model.abstract import AbstractModel

    if ignore_class is not None and isinstance(node, ignore_class):
        return
    if isinstance(node, cls):
        found.append((path, node))
        if ignore_children:
            return
    if isinstance(node, AbstractModel):
        for name, child in node._children():
            _find(child, (*path, name), cls, ignore_class, ignore_children, found)
