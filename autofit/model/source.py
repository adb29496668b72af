"""Writing the Python source that builds a model's instance, for the generated functions of the
compiled model (one vector, :mod:`autofit.model.compile`) and of its batch form (many vectors,
:mod:`autofit.model.batch`)."""

from __future__ import annotations

from functools import lru_cache
from types import CodeType
from typing import Any

from autofit.exc import ModelException
from autofit.model.abstract import AbstractModel
from autofit.model.collection import Collection
from autofit.model.model import Model
from autofit.model.signature import constructor_signature
from autofit.model.tuple_prior import TuplePrior

__all__ = ["InstanceSource", "compiled_source"]


@lru_cache(maxsize=128)
def compiled_source(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, kept for the sources compiled most recently: models
    of the same structure generate the same source (their values are looked up by name), so a
    fit that builds its model again, or many fits of one model, compile it once."""
    return compile(source, filename, "exec")


class InstanceSource:
    """Writes the expression building a model node's instance, with statements for the
    temporaries it needs.

    A subclass sets ``self._statements`` (a list) and provides ``_value`` (the source of a
    child's value), ``_constant`` (the name under which a Python object is reachable from the
    source) and ``_array`` (the source of an ``af.Array``).
    """

    _statements: list[str]

    def _value(self, value: Any) -> str:
        raise NotImplementedError

    def _constant(self, value: Any) -> str:
        raise NotImplementedError

    def _array(self, node: Any) -> str:
        raise NotImplementedError

    def _temporary(self, expression: str) -> str:
        """Bind ``expression`` to a new temporary name and return the name."""
        name = f"_t{len(self._statements)}"
        self._statements.append(f"    {name} = {expression}")
        return name

    def _node(self, node: AbstractModel) -> str:
        if isinstance(node, Model):
            return self._model(node)
        if isinstance(node, TuplePrior):
            inside = "".join(f"{self._value(value)}, " for _, value in node._children())
            return f"({inside})"
        if isinstance(node, Collection):
            inside = ", ".join(
                f"{name!r}: {self._value(value)}" for name, value in node._children()
            )
            return f"_mi({{{inside}}})"
        from autofit.model.array import Array

        if isinstance(node, Array):
            return self._array(node)
        raise ModelException(f"Cannot compile a model node of type {type(node).__name__}")

    def _model(self, model: Model) -> str:
        """The constructor call building ``model``'s instance.

        Children named by the constructor are passed as keywords; other children are passed as
        keywords too when the constructor takes ``**kwargs``, and are otherwise set as
        attributes after the call (``_set_all``), or set only where the constructor did not
        (``_set_missing``).
        """
        signature = constructor_signature(model.cls)
        names = set(signature.names)
        arguments, extras = [], []
        for name, child in model._children():
            text = self._value(child)
            if name in names:
                arguments.append(f"{name}={text}")
                continue
            if signature.accepts_kwargs and name.isidentifier():
                if isinstance(child, AbstractModel):
                    text = self._temporary(text)
                arguments.append(f"{name}={text}")
            extras.append(f"{name!r}: {text}")
        call = f"{self._constant(model.cls)}({', '.join(arguments)})"
        if not extras:
            return call
        setter = "_set_missing" if signature.accepts_kwargs else "_set_all"
        return self._temporary(f"{setter}({call}, {{{', '.join(extras)}}})")
