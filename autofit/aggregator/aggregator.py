"""The Aggregator: the fits of a results database or of output folders, one API over both.

::

    agg = af.Aggregator.from_database("results.sqlite")
    agg = agg.query((agg.search.unique_tag == "galaxy_1") & (agg.model.gaussian.centre > 50.0))
    for summary in agg.values("samples_summary"):
        print(summary.max_log_likelihood().gaussian.centre)
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from autofit.aggregator.attributes import InfoQuery, ModelQuery, SearchQuery
from autofit.aggregator.backends.base import Backend
from autofit.aggregator.fit_view import FitView
from autofit.aggregator.query import FieldComparison, Predicate

__all__ = ["Aggregator"]


class Aggregator:
    """A list of stored fits, narrowed by queries, whose contents load one fit at a time.

    Make one with :meth:`from_database` or :meth:`from_directory`. ``len(agg)``, ``agg[i]``
    and ``for fit in agg`` give :class:`~autofit.aggregator.fit_view.FitView` objects, ordered
    by path prefix, unique tag, name and identifier.

    Parameters
    ----------
    backend
        The store of fits (a ``SQLBackend`` or ``DirectoryBackend``).
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    @classmethod
    def from_database(cls, filename_or_url: Any, completed_only: bool = False) -> Aggregator:
        """The fits of a results database.

        Parameters
        ----------
        filename_or_url
            A SQLite file path, a SQLAlchemy URL (``postgresql+psycopg://...``) or a session
            from ``af.db.open_database``.
        completed_only
            Leave out fits that have not finished.
        """
        from autofit.aggregator.backends.sql import SQLBackend

        return cls._restricted(SQLBackend.open(filename_or_url), completed_only)

    @classmethod
    def from_directory(cls, directory: str | Path, completed_only: bool = False) -> Aggregator:
        """The fits in the output folders below ``directory``.

        Every folder holding a ``.identifier`` file is a fit; one that cannot be read (half
        written, truncated JSON) is reported with a logged warning and skipped.

        Parameters
        ----------
        directory
            The output folder (or any folder above fit folders).
        completed_only
            Leave out fits that have not finished.

        Raises
        ------
        FileNotFoundError
            If ``directory`` is not a directory.
        """
        from autofit.aggregator.backends.directory import DirectoryBackend

        return cls._restricted(DirectoryBackend.open(directory), completed_only)

    @classmethod
    def _restricted(cls, backend: Backend, completed_only: bool) -> Aggregator:
        if completed_only:
            backend = backend.filtered(FieldComparison("is_complete", "==", True))
        return cls(backend)

    # -- queries ---------------------------------------------------------------------------------

    @property
    def search(self) -> SearchQuery:
        """Queries on ``name``, ``path_prefix``, ``unique_tag`` and ``is_complete``."""
        return SearchQuery()

    @property
    def model(self) -> ModelQuery:
        """Queries on the model: ``agg.model.gaussian == Gaussian`` (a component's class) and
        ``agg.model.gaussian.centre > 50.0`` (a parameter's maximum-likelihood value)."""
        return ModelQuery()

    @property
    def info(self) -> InfoQuery:
        """Queries on the fits' ``info``: ``agg.info["key"] == value``."""
        return InfoQuery()

    def query(self, predicate: Predicate) -> Aggregator:
        """The fits of this aggregator that match ``predicate``.

        Parameters
        ----------
        predicate
            A query built from ``agg.search``, ``agg.model`` and ``agg.info``, combined with
            ``&``, ``|`` and ``~``.

        Raises
        ------
        TypeError
            If ``predicate`` is not a query.
        """
        if not isinstance(predicate, Predicate):
            raise TypeError(
                f"agg.query takes a query such as agg.search.name == 'x', not {predicate!r}"
            )
        return Aggregator(self._backend.filtered(predicate))

    # -- fits ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._backend.count()

    def __getitem__(self, index: int | slice) -> FitView | list[FitView]:
        if isinstance(index, slice):
            return [FitView(self._backend, header) for header in self._backend.headers()[index]]
        return FitView(self._backend, self._backend.header_at(index))

    def __iter__(self) -> Iterator[FitView]:
        for header in self._backend.headers():
            yield FitView(self._backend, header)

    @property
    def ids(self) -> list[str]:
        """The identifiers of the fits, in order."""
        return [header.id for header in self._backend.headers()]

    def values(self, name: str) -> Generator[Any, None, None]:
        """``fit.value(name)`` of each fit, in order, loading one fit at a time.

        Parameters
        ----------
        name
            ``"samples"``, ``"model"``, ``"instance"``, ``"search"``, ``"samples_summary"``,
            ``"info"``, ``"latent_samples"`` or a file saved by the analysis (see
            :meth:`FitView.value`).

        Returns
        -------
        A generator: memory holds one fit's value at a time (and, on a database, the small
        JSON files of the next few hundred fits, read together), however many fits there are.
        """
        from autofit.aggregator.backends.prefetch import PREFETCH, chunks

        documents, files = PREFETCH.get(name, ((), ()))
        for chunk in chunks(self._backend.headers()):
            reader = self._backend.prefetched([header.id for header in chunk], documents, files)
            for header in chunk:
                yield FitView(reader, header).value(name)

    def add_directory(self, directory: str | Path, **kwargs: Any) -> Any:
        """Scrape the fit folders below ``directory`` into this aggregator's database.

        Scraping the same folders twice adds nothing; a fit that has progressed is updated; a
        folder that cannot be read is logged and skipped.

        Parameters
        ----------
        directory
            A folder of fit output.
        **kwargs
            ``batch_size``, ``batch_bytes`` and ``force`` of
            :func:`autofit.database.scrape.add_directory`.

        Returns
        -------
        The scrape's report: identifiers of the fits added, updated and unchanged, and the
        folders skipped.

        Raises
        ------
        TypeError
            If this aggregator reads output folders rather than a database.
        """
        from autofit.aggregator.backends.sql import SQLBackend

        if not isinstance(self._backend, SQLBackend):
            raise TypeError("add_directory needs an Aggregator made with from_database")
        from autofit.database.scrape import add_directory

        return add_directory(self._backend.engine, directory, **kwargs)

    def __repr__(self) -> str:
        return f"<Aggregator of {len(self)} fits ({self._backend!r})>"
