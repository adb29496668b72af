"""Model identifiers: an md5 digest of a canonical form that is the same in every process."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from autofit.model.abstract import AbstractModel
from autofit.model.serialise import Writer

__all__ = ["canonical_form", "model_identifier", "identifier_of"]


def canonical_form(model: AbstractModel) -> str:
    """Compact JSON of the model without width modifiers and physical limits.

    Classes appear by import path, priors by type and arguments, links as shared prior ids
    numbered in declaration order; nothing depends on object ids, hash seeds or timing.
    """
    return json.dumps(Writer(canonical=True).node(model), separators=(",", ":"))


def identifier_of(value: Any) -> str:
    """The md5 hex digest of a JSON-ready value (dict keys in their given order)."""
    text = json.dumps(value, separators=(",", ":"))
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def model_identifier(model: AbstractModel) -> str:
    """The md5 hex digest of :func:`canonical_form`."""
    text = canonical_form(model)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
