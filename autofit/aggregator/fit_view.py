"""FitView: one stored fit, whose samples, model and saved files load when first asked for.

Nothing here unpickles: the model and search are JSON, samples CSV, and arrays ``.npy`` files
read with ``allow_pickle=False``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import numpy as np

from autofit.aggregator.backends.base import Backend, FitHeader

__all__ = ["FitView", "decode_file", "NAMED_VALUES"]

#: The names :meth:`FitView.value` answers from the fit itself rather than from a saved file.
NAMED_VALUES = (
    "samples",
    "model",
    "instance",
    "search",
    "samples_summary",
    "info",
    "latent_samples",
)


def decode_file(name: str, data: bytes) -> Any:
    """A file's content as Python: ``.json`` parsed, ``.npy`` an array (never unpickled),
    ``.csv`` and anything else as text."""
    if name.endswith(".json"):
        return json.loads(data)
    if name.endswith(".npy"):
        return np.load(io.BytesIO(data), allow_pickle=False)
    return data.decode()


class FitView:
    """A fit in a database or an output folder, as listed by an Aggregator.

    The names, unique tag, identifier and completion come with the listing; everything else
    is read from the store on first access and kept by this object (drop it to free the memory).
    Values a fit does not hold (samples of a fit that has not written any, an ``info`` that was
    never given) are None.

    Parameters
    ----------
    backend
        The store the fit is read from.
    header
        The fit's identifier, names and completion.
    trusted_modules
        Modules whose classes the fit's model may be built from beyond those already imported
        (see :mod:`autofit.model.trust`).
    """

    def __init__(
        self, backend: Backend, header: FitHeader, trusted_modules: Iterable[str] = ()
    ) -> None:
        self._backend = backend
        self._header = header
        self._trusted_modules = tuple(trusted_modules)

    @property
    def id(self) -> str:
        """The fit's identifier (shared by fits of the same model and search under other
        names or path prefixes; see :attr:`key`)."""
        return self._header.id

    @property
    def key(self) -> str:
        """The fit's key: one per output folder, a digest of its path prefix, unique tag,
        name and identifier."""
        return self._header.key

    @property
    def name(self) -> str:
        """The search's ``name``."""
        return self._header.name

    @property
    def path_prefix(self) -> str:
        """The search's ``path_prefix``."""
        return self._header.path_prefix

    @property
    def unique_tag(self) -> str:
        """The search's ``unique_tag`` ("" when none was given)."""
        return self._header.unique_tag

    @property
    def is_complete(self) -> bool:
        """Whether the fit had finished when it was listed."""
        return self._header.is_complete

    def _document(self, which: str) -> Any:
        text = self._backend.document(self.key, which)
        return None if text is None else json.loads(text)

    @cached_property
    def search(self) -> dict[str, Any]:
        """The search's class (``"type"``) and settings, as in ``search.json``."""
        return self._document("search") or {}

    @cached_property
    def model(self) -> Any:
        """The fitted model, rebuilt from its JSON using only trusted classes.

        Raises
        ------
        UntrustedClassException
            If the model names a class whose module is neither imported nor trusted (or a
            function, or a standard-library class), saying how to allow it.
        """
        from autofit.model.abstract import AbstractModel

        return AbstractModel.from_dict(self._document("model"), self._trusted_modules)

    @cached_property
    def info(self) -> Any:
        """The ``info`` given to ``search.fit``, or None."""
        return self._document("info")

    @cached_property
    def samples_summary(self) -> Any:
        """The :class:`~autofit.samples.summary.SamplesSummary` of the fit, or None before its
        first samples are written. Its vectors (``as_instance=False``) need no model; the model
        is rebuilt when an instance is first asked for."""
        from autofit.samples.summary import SamplesSummary

        data = self._backend.read_file(self.key, "samples_summary.json")
        if data is None:
            return None
        values = self._json_file("samples_summary.json", data)
        return SamplesSummary(None, values, model_loader=lambda: self.model)

    def _json_file(self, name: str, data: bytes) -> Any:
        """The parsed JSON file ``name`` of the fit, or a clear error if it is corrupted."""
        from autofit.exc import SearchException

        try:
            value = json.loads(data)
        except ValueError as error:  # also bytes that are not text
            raise SearchException(
                f"Cannot read {self._backend.where(self.key)}/{name} (truncated or corrupted?): "
                f"{error}"
            ) from None
        if not isinstance(value, dict):
            raise SearchException(
                f"Cannot read {self._backend.where(self.key)}/{name}: it holds a "
                f"{type(value).__name__}, not a dictionary"
            )
        return value

    @property
    def instance(self) -> Any:
        """The maximum-likelihood instance (from the summary), or None without samples."""
        summary = self.samples_summary
        if summary is None or "max_log_likelihood_vector" not in summary.values:
            return None
        return summary.instance

    def _samples(self, folder: str, model: Any) -> Any:
        from autofit.samples.io import samples_from_files

        if model is None:
            from autofit.analysis.latent import latent_model

            info = self._backend.read_file(self.key, f"{folder}/samples_info.json")
            if info is None:
                return None
            keys = self._json_file(f"{folder}/samples_info.json", info).get("latent_keys", [])
            model = latent_model(list(keys))
        where = self._backend.where(self.key) + (f"/{folder}" if folder else "")
        return samples_from_files(
            model, lambda name: self._backend.read_file(self.key, name), where, folder
        )

    @cached_property
    def samples(self) -> Any:
        """All samples of the fit (read from ``samples.npy``, or parsed from ``samples.csv`` for
        fits written without it), or None before any are written."""
        return self._samples("", self.model)

    @cached_property
    def latent_samples(self) -> Any:
        """The samples of the analysis's latent variables, or None if it computed none."""
        return self._samples("latent", None)

    @property
    def file_names(self) -> list[str]:
        """The names of the fit's files (``model.json``, ``samples.csv``, ``data.npy``, ...)."""
        return self._backend.file_names(self.key)

    def value(self, name: str) -> Any:
        """A named value of the fit, or None if the fit holds no such value.

        Parameters
        ----------
        name
            One of ``"samples"``, ``"model"``, ``"instance"``, ``"search"``,
            ``"samples_summary"``, ``"info"``, ``"latent_samples"``, or the name of a file the
            analysis saved with ``paths.save_json(name, ...)`` (parsed JSON) or
            ``paths.save_array(name, ...)`` (a NumPy array). A name with a suffix (``"data.npy"``,
            ``"samples.csv"``) reads that file; ``.csv`` and other files come back as text.
        """
        if name in NAMED_VALUES:
            return getattr(self, name)
        candidates = [name] if "." in name.rsplit("/", 1)[-1] else [f"{name}.json", f"{name}.npy"]
        for candidate in candidates:
            data = self._backend.read_file(self.key, candidate)
            if data is not None:
                return decode_file(candidate, data)
        return None

    def __repr__(self) -> str:
        parts = [part for part in (self.path_prefix, self.unique_tag, self.name) if part]
        state = "complete" if self.is_complete else "incomplete"
        return f"FitView({'/'.join(parts)!r}, id={self.id!r}, {state})"
