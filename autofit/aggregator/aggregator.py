"""The Aggregator: the fits of a results database or of output folders, one API over both.

::

    agg = af.Aggregator.from_database("results.sqlite")
    agg = agg.query((agg.search.unique_tag == "galaxy_1") & (agg.model.gaussian.centre > 50.0))
    for summary in agg.values("samples_summary"):
        print(summary.max_log_likelihood().gaussian.centre)
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

from autofit.aggregator.attributes import InfoQuery, ModelQuery, SearchQuery
from autofit.aggregator.backends.base import Backend
from autofit.aggregator.fit_view import FitView
from autofit.aggregator.query import FieldComparison, Predicate
from autofit.exc import warn_missing_folder

__all__ = ["Aggregator", "trusted_modules"]


def trusted_modules(extra: Iterable[str] | None = None) -> tuple[str, ...]:
    """The modules whose classes stored models may be built from, beyond those imported.

    Parameters
    ----------
    extra
        Modules given in code (``trusted_modules=`` of ``Aggregator.from_database`` /
        ``from_directory``); a single name may be given as a string.

    Returns
    -------
    tuple[str, ...]
        ``security: trusted_modules`` of ``general.yaml``, then ``extra``.

    Raises
    ------
    ConfigException
        If the setting is not a list of module names.
    """
    from autofit import config
    from autofit.exc import ConfigException

    configured = config.instance.general("security", "trusted_modules", None) or []
    if isinstance(configured, str):
        configured = [configured]
    if not isinstance(configured, list) or not all(isinstance(n, str) for n in configured):
        raise ConfigException(
            "security: trusted_modules in general.yaml must be a list of module names, "
            f"not {configured!r}"
        )
    given = [extra] if isinstance(extra, str) else list(extra or [])
    if not all(isinstance(name, str) for name in given):
        raise TypeError(f"trusted_modules must be module names, not {given!r}")
    return (*configured, *given)


class Aggregator:
    """A list of stored fits, narrowed by queries, whose contents load one fit at a time.

    Make one with :meth:`from_database` or :meth:`from_directory`. ``len(agg)``, ``agg[i]``
    and ``for fit in agg`` give :class:`~autofit.aggregator.fit_view.FitView` objects, ordered
    by path prefix, unique tag, name and identifier.

    Parameters
    ----------
    backend
        The store of fits (a ``SQLBackend`` or ``DirectoryBackend``).
    trusted_modules
        Modules whose classes the fits' models may be built from beyond those already imported
        (see :func:`trusted_modules`).
    """

    def __init__(self, backend: Backend, trusted_modules: Iterable[str] = ()) -> None:
        self._backend = backend
        self._trusted_modules = tuple(trusted_modules)

    def _view(self, backend: Backend, header: Any) -> FitView:
        return FitView(backend, header, self._trusted_modules)

    @classmethod
    def from_database(
        cls,
        filename_or_url: Any = None,
        completed_only: bool = False,
        trusted_modules: Iterable[str] | None = None,
        *,
        filename: str | Path | None = None,
    ) -> Aggregator:
        """The fits of a results database.

        Opening a database never runs code stored in it: models are rebuilt only from classes
        of modules this process has imported or that ``trusted_modules`` lists (see
        :func:`trusted_modules`). A SQLite file that is not writable is opened read-only.

        Parameters
        ----------
        filename_or_url
            A SQLite file path, a SQLAlchemy URL (``postgresql+psycopg://...``) or a session
            from ``af.db.open_database``.
        completed_only
            Leave out fits that have not finished.
        trusted_modules
            Modules (with their submodules) whose classes the stored models may use, imported
            when needed; added to ``security: trusted_modules`` of ``general.yaml``.
        filename
            The SQLite file (or URL), by PyAutoFit's name for the argument:
            ``Aggregator.from_database(filename="database.sqlite")``. Give it or
            ``filename_or_url``, not both.

        Raises
        ------
        TypeError
            If neither or both of ``filename_or_url`` and ``filename`` are given.
        FileNotFoundError
            When the fits are first read, if the SQLite file does not exist (``add_directory``
            creates it, and ``af.db.open_database`` creates an empty one).
        DatabaseException
            If the file is not an autofit results database.
        """
        from autofit.aggregator.backends.sql import SQLBackend

        if (filename_or_url is None) == (filename is None):
            raise TypeError(
                "Aggregator.from_database needs the database: give filename_or_url (the first "
                "argument) or filename=, not both"
                if filename_or_url is not None
                else "Aggregator.from_database needs the database: give a SQLite file, a URL "
                "or a session, as the first argument or as filename="
            )
        backend = SQLBackend.open(filename_or_url if filename is None else filename)
        return cls._restricted(backend, completed_only, trusted_modules)

    @classmethod
    def from_directory(
        cls,
        directory: str | Path,
        completed_only: bool = False,
        trusted_modules: Iterable[str] | None = None,
    ) -> Aggregator:
        """The fits in the output folders below ``directory``.

        Every folder holding a ``.identifier`` file is a fit; one that cannot be read (half
        written, truncated JSON) is reported with a logged warning and skipped. A ``directory``
        that does not exist gives an empty aggregator and one
        :class:`~autofit.exc.MissingFolderWarning` with its absolute path (a typo in the path
        is then seen at once, not as a silently empty result).

        Parameters
        ----------
        directory
            The output folder (or any folder above fit folders).
        completed_only
            Leave out fits that have not finished.
        trusted_modules
            As for :meth:`from_database`.

        Raises
        ------
        NotADirectoryError
            If ``directory`` is a file.
        """
        from autofit.aggregator.backends.directory import DirectoryBackend

        path = Path(directory)
        if not path.exists():
            warn_missing_folder(path, "no fits are loaded from it")
            return cls._restricted(DirectoryBackend([]), completed_only, trusted_modules)
        if not path.is_dir():
            raise NotADirectoryError(f"{path.resolve()} is a file, not a directory of fits")
        return cls._restricted(DirectoryBackend.open(path), completed_only, trusted_modules)

    @classmethod
    def _restricted(
        cls, backend: Backend, completed_only: bool, trusted: Iterable[str] | None
    ) -> Aggregator:
        if completed_only:
            backend = backend.filtered(FieldComparison("is_complete", "==", True))
        return cls(backend, trusted_modules(trusted))

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
        self._check_model_paths(predicate)
        return Aggregator(self._backend.filtered(predicate), self._trusted_modules)

    def _check_model_paths(self, predicate: Predicate) -> None:
        """Raise if the query names a model path no stored fit has (naming the nearest), or
        compares a component like a parameter or the other way round."""
        import difflib

        from autofit.exc import QueryException

        for kind, path in predicate.model_paths():
            if self._backend.has_model_path(kind, path):
                continue
            known = sorted(self._backend.model_paths(kind))
            if not known:
                continue  # no fit has any yet (e.g. none has samples): nothing to compare with
            name = f"model.{path}" if path else "model"
            if kind == "parameter" and self._backend.has_model_path("component", path):
                raise QueryException(
                    f"{name} is a model component: compare it with its class "
                    f"({name} == af.ex.Gaussian), or compare one of its parameters with a "
                    f"number ({name}.centre > 50.0)"
                )
            if kind == "component" and self._backend.has_model_path("parameter", path):
                raise QueryException(
                    f"{name} is a parameter: compare it with a number ({name} > 50.0), not "
                    "with a class"
                )
            close = difflib.get_close_matches(path, known, n=1, cutoff=0.6)
            hint = f"; did you mean model.{close[0]}?" if close else ""
            listed = ", ".join(f"model.{item}" if item else "model" for item in known[:12])
            more = ", ..." if len(known) > 12 else ""
            raise QueryException(
                f"No stored fit has a {kind} {name}{hint} (the {kind}s are: {listed}{more})"
            )

    # -- fits ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._backend.count()

    def __getitem__(self, index: int | slice) -> FitView | list[FitView]:
        if isinstance(index, slice):
            return [self._view(self._backend, header) for header in self._backend.headers()[index]]
        return self._view(self._backend, self._backend.header_at(index))

    def __iter__(self) -> Iterator[FitView]:
        for header in self._backend.headers():
            yield self._view(self._backend, header)

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
        A fit whose samples or summary files are corrupted gives None, with a
        ``SamplesFileWarning`` naming the fit and the file, and the loop goes on.
        """
        import warnings

        from autofit.aggregator.backends.prefetch import PREFETCH, chunks
        from autofit.exc import SearchException
        from autofit.samples.io import SamplesFileWarning

        documents, files = PREFETCH.get(name, ((), ()))
        for chunk in chunks(self._backend.headers()):
            reader = self._backend.prefetched([header.key for header in chunk], documents, files)
            for header in chunk:
                try:
                    value = self._view(reader, header).value(name)
                except SearchException as error:
                    warnings.warn(
                        f"Skipped the {name} of a fit that cannot be read: {error}",
                        SamplesFileWarning,
                        stacklevel=2,
                    )
                    value = None
                yield value

    def grid_searches(self) -> list[Any]:
        """The grid searches (``af.SearchGridSearch``) stored here, each with its cells.

        On a database without a query, every grid search it holds; otherwise (and for output
        folders) the grid searches holding at least one of this aggregator's fits.

        Returns
        -------
        list of :class:`~autofit.aggregator.grid_view.GridSearchView`
            Each with ``cells`` (cell number, limits, log likelihood and evidence, and the
            cell's fit as a ``FitView``) and ``best_fit()``.
        """
        from autofit.aggregator.grid_view import grid_searches

        return grid_searches(self._backend, self._trusted_modules)

    def add_directory(self, directory: str | Path, **kwargs: Any) -> Any:
        """Scrape the fit folders below ``directory`` into this aggregator's database.

        Scraping the same folders twice adds nothing; a fit that has progressed is updated; a
        folder that cannot be read is logged and skipped. A database file that does not exist
        yet is created.

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

        engine = self._backend.writing_engine()
        try:
            return add_directory(engine, directory, **kwargs)
        finally:
            if engine is not self._backend.engine:
                engine.dispose()

    def __repr__(self) -> str:
        return f"<Aggregator of {len(self)} fits ({self._backend!r})>"
