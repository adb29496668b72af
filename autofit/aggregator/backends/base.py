"""What the Aggregator needs from a store of fits: a database or a tree of output folders."""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

__all__ = ["FitHeader", "Backend", "sort_key"]


class FitHeader(NamedTuple):
    """The few columns of a fit listed for every fit of a query: its identifier (``id``),
    names, completion, and its ``key``, unique per output folder, by which the backend reads
    the fit (see :func:`autofit.output.paths.fit_key`)."""

    id: str
    name: str
    path_prefix: str
    unique_tag: str
    is_complete: bool
    key: str


def sort_key(header: FitHeader) -> tuple[str, str, str, str]:
    """The order fits are listed in: path prefix, unique tag, name, identifier."""
    return (header.path_prefix, header.unique_tag, header.name, header.id)


class Backend(Protocol):
    """A store of fits, restricted to those matching its query."""

    def headers(self) -> list[FitHeader]:
        """The matching fits, in :func:`sort_key` order."""

    def count(self) -> int:
        """How many fits match."""

    def header_at(self, index: int) -> FitHeader:
        """The ``index``-th matching fit (negative counts from the end).

        Raises
        ------
        IndexError
            If there is no such fit.
        """

    def filtered(self, predicate: Any) -> Backend:
        """A backend restricted further to the fits matching ``predicate``."""

    def prefetched(
        self, fit_ids: list[str], documents: tuple[str, ...], files: tuple[str, ...]
    ) -> Backend:
        """A reader of these fits (``fit_ids`` are their keys, as are the ``fit_id`` arguments
        below) that has fetched the named documents and files at once
        (the backend itself where single reads are cheap)."""

    def document(self, fit_id: str, which: str) -> str | None:
        """The JSON text of the fit's ``"search"``, ``"model"`` or ``"info"``, or None."""

    def read_file(self, fit_id: str, name: str) -> bytes | None:
        """The bytes of ``files/<name>`` of the fit, or None if it has no such file."""

    def file_names(self, fit_id: str) -> list[str]:
        """The names of the fit's files (relative to ``files/``), sorted."""

    def where(self, fit_id: str) -> str:
        """Where the fit is stored, for messages."""

    def has_model_path(self, kind: str, path: str) -> bool:
        """Whether any fit of the store (before queries) has the ``"parameter"`` or
        ``"component"`` at ``path``."""

    def model_paths(self, kind: str) -> set[str]:
        """Every ``"parameter"`` or ``"component"`` path of the fits of the store (before
        queries)."""
