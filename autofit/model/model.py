"""Model: the parameter space of one Python class, read from its constructor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofit.exc import UnknownAttributeException, UnknownAttributeWarning
from autofit.model.abstract import AbstractModel
from autofit.model.defaults import defaults_lookup
from autofit.model.normalise import normalise
from autofit.model.tuple_prior import TuplePrior

if TYPE_CHECKING:
    from autofit.model.signature import ConstructorSignature

# Reading constructors (``autofit.model.signature``, with ``inspect`` and ``dataclasses``),
# close-match hints (``difflib``) and the missing-prior placeholder load with the first model
# that needs them, not with ``autofit``.

__all__ = ["Model"]


class Model(AbstractModel):
    """A model of a Python class whose constructor arguments become parameters.

    Each constructor argument, in order, becomes: the value given as a keyword here, if any;
    otherwise a tuple of priors for tuple arguments (``centre_0``, ``centre_1``); the default for
    arguments whose default is a string, boolean or None; otherwise a prior from the
    configuration (``config/priors/*.yaml``). Classes that take ``**kwargs`` accept any extra
    keyword components, which are passed to the constructor.

    A parameter with no prior in the configuration holds a "missing prior" placeholder: it is not
    a free parameter, ``info`` shows it as ``Prior Missing``, and one
    :class:`~autofit.exc.MissingPriorWarning` names the parameters. Set their priors in code
    before using the model; using it with a placeholder left raises ``ConfigException``.

    Parameters
    ----------
    cls
        The class to model.
    **kwargs
        Values for constructor arguments: priors, numbers (fixed), classes or models (nested
        components), lists or dicts of components (collections), or any fixed object.

    Raises
    ------
    TypeError
        If a keyword is not a constructor argument of a class without ``**kwargs``.
    ConfigException
        If a configured prior entry is invalid.

    Warns
    -----
    MissingPriorWarning
        If a free parameter has no prior in the configuration (once, naming every such one).

    Examples
    --------
    >>> model = af.Model(af.ex.Gaussian, sigma=1.0)
    >>> model.centre = af.UniformPrior(0.0, 100.0)
    >>> model.prior_count
    2
    """

    def __init__(self, cls: type, **kwargs: Any) -> None:
        if not isinstance(cls, type):
            raise TypeError(f"af.Model expects a class, got {cls!r}")
        super().__init__()
        object.__setattr__(self, "cls", cls)
        signature = _signature(cls)
        if not signature.accepts_kwargs:
            unknown = [name for name in kwargs if name not in signature.names]
            if unknown:
                import difflib

                close = difflib.get_close_matches(unknown[0], signature.names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise TypeError(
                    f"{cls.__name__} has no constructor argument {unknown[0]!r}{hint} "
                    f"(arguments: {', '.join(signature.names)})"
                )
        missing: list[str] = []
        for argument in signature.arguments:
            if argument.name in kwargs:
                value = normalise(kwargs[argument.name], self._tuple_name(argument))
            elif argument.kind == "fixed":
                value = argument.default
            elif argument.kind == "tuple":
                value = self._default_tuple(argument, missing)
            else:
                value = self._default_prior(argument.name, (argument.name,), missing)
            self._attributes[argument.name] = value
        for name, value in kwargs.items():
            if name not in signature.names:
                self._attributes[name] = normalise(value, None)
        if missing:
            from autofit.model.missing import warn_missing_priors

            warn_missing_priors(cls, missing)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and not self._is_known(name):
            self._check_new_attribute(name, value)
        super().__setattr__(name, value)

    def _is_known(self, name: str) -> bool:
        """Whether ``name`` is a child of this model or an element of one of its tuples."""
        attributes = self.__dict__.get("_attributes", {})
        if name in attributes:
            return True
        return any(
            isinstance(child, TuplePrior) and name in child._attributes
            for child in attributes.values()
        )

    def _check_new_attribute(self, name: str, value: Any) -> None:
        """Refuse a new prior or component on a class without ``**kwargs``; warn for a value.

        Raises
        ------
        UnknownAttributeException
            If ``value`` is a prior, derived parameter, model, class, or a list / dict / tuple of
            them, and ``name`` is not a constructor argument of a class without ``**kwargs``.

        Warns
        -----
        UnknownAttributeWarning
            For any other (fixed) value.
        """
        signature = _signature(self.cls)
        if signature.accepts_kwargs or name in signature.names:
            return
        import difflib
        import warnings

        close = difflib.get_close_matches(name, signature.names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        where = f"{self.cls.__name__} has no constructor argument {name!r}{hint}"
        arguments = f"(arguments: {', '.join(signature.names)})"
        if _adds_parameters(value):
            raise UnknownAttributeException(
                f"{where} {arguments}: a prior or component assigned to it would be a free "
                f"parameter the constructor never receives"
            )
        warnings.warn(
            f"{where} {arguments}: {name} = {value!r:.40} is set on each instance after it is "
            f"built, and changes no parameter",
            UnknownAttributeWarning,
            stacklevel=3,
        )

    @staticmethod
    def _tuple_name(argument: Any) -> str | None:
        return argument.name if argument.kind == "tuple" else None

    def _default_prior(self, name: str, names: tuple[str, ...], missing: list[str]) -> Any:
        """The configured prior of ``names``, or a placeholder whose name joins ``missing``."""
        lookup = defaults_lookup()
        prior = lookup.prior_for(self.cls, names)
        if prior is None:
            from autofit.model.missing import MissingPrior

            missing.append(name)
            return MissingPrior(self.cls, name, lookup.missing_prior_message(self.cls, name))
        return normalise(prior, None)

    def _default_tuple(self, argument: Any, missing: list[str]) -> TuplePrior:
        length = argument.length
        if not length:
            raise TypeError(
                f"{self.cls.__name__}.{argument.name} is annotated as a tuple of unknown length: "
                f"give it a tuple default or pass {argument.name}=(...) to af.Model"
            )
        elements = [
            self._default_prior(
                f"{argument.name}_{index}", (f"{argument.name}_{index}", argument.name), missing
            )
            for index in range(length)
        ]
        return TuplePrior(argument.name, elements)

    def _child_hint(self, name: str) -> str | None:
        child = self._attributes.get(name)
        if isinstance(child, TuplePrior):
            return name
        for argument in _signature(self.cls).arguments:
            if argument.name == name and argument.kind == "tuple":
                return name
        return None

    @property
    def constructor_names(self) -> tuple[str, ...]:
        """The names of the class's constructor arguments."""
        return _signature(self.cls).names

    def _describe(self) -> str:
        return f"Model({self.cls.__name__})"

    def _component_name(self) -> str:
        return self.cls.__name__

    def __repr__(self) -> str:
        return f"<Model {self.cls.__name__} (N={self.prior_count})>"


def _signature(cls: type) -> ConstructorSignature:
    """The constructor arguments of ``cls`` (read once per class and cached)."""
    from autofit.model.signature import constructor_signature

    return constructor_signature(cls)


def _adds_parameters(value: Any) -> bool:
    """Whether assigning ``value`` to a model attribute adds priors or model components."""
    from autofit.model.normalise import contains_model_parts
    from autofit.priors.abstract import Prior
    from autofit.priors.arithmetic import DerivedParameter

    if isinstance(value, (Prior, DerivedParameter, AbstractModel, type)):
        return True
    return isinstance(value, (list, dict, tuple)) and contains_model_parts(value)
