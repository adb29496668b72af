"""The database backend: every query runs as SQL with bound parameters.

Each read is one short statement on its own connection, so fits written by running jobs show
up in the next read, and a notebook never holds a lock that would make writers wait.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autofit.aggregator.backends.base import FitHeader
from autofit.aggregator.backends.prefetch import PrefetchedReader

__all__ = ["SQLBackend"]


class SQLBackend:
    """The fits of a results database that match ``predicate``.

    Parameters
    ----------
    engine
        The SQLAlchemy engine of the database (see ``af.db.open_database``), or None for a
        database file that does not exist yet (reading it raises ``FileNotFoundError``).
    predicate
        A :class:`~autofit.aggregator.query.Predicate`, or None for every fit.
    location
        The file or URL the backend was opened from, where writing opens it again.
    """

    def __init__(self, engine: Any, predicate: Any = None, location: Any = None) -> None:
        self._engine = engine
        self.predicate = predicate
        self.location = location

    @property
    def engine(self) -> Any:
        """The engine reading the database.

        Raises
        ------
        FileNotFoundError
            If the database file does not exist.
        """
        if self._engine is None:
            from autofit.database.session import reading_engine

            self._engine = reading_engine(self.location)
        return self._engine

    def writing_engine(self) -> Any:
        """An engine that writes into the database, creating the file if it does not exist."""
        if self.location is None:
            return self.engine
        from autofit.database.session import open_database

        session = open_database(self.location)
        session.close()
        return session.get_bind()

    @classmethod
    def open(cls, filename_or_url: Any) -> SQLBackend:
        """The backend of an existing database file, URL or open session; a file is opened
        without being changed (read-only where it cannot be written).

        Raises
        ------
        FileNotFoundError
            If the database file does not exist.
        DatabaseException
            If it is not an autofit results database.
        """
        from sqlalchemy.orm import Session

        from autofit.database.session import reading_engine

        if isinstance(filename_or_url, Session):
            return cls(filename_or_url.get_bind())
        text = str(filename_or_url)
        if "://" not in text and not Path(text).expanduser().exists():
            # Reading it raises; Aggregator.add_directory creates it.
            return cls(None, location=filename_or_url)
        return cls(reading_engine(filename_or_url), location=filename_or_url)

    def _execute(self, statement: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(statement))

    def _where(self, statement: Any) -> Any:
        return statement if self.predicate is None else statement.where(self.predicate.sql())

    def _listing(self) -> Any:
        from sqlalchemy import select

        from autofit.database.schema import Fit

        statement = select(
            Fit.identifier, Fit.name, Fit.path_prefix, Fit.unique_tag, Fit.is_complete, Fit.id
        )
        return self._where(statement).order_by(
            Fit.path_prefix, Fit.unique_tag, Fit.name, Fit.identifier, Fit.id
        )

    @staticmethod
    def _header(row: Any) -> FitHeader:
        return FitHeader(row[0], row[1] or "", row[2] or "", row[3] or "", bool(row[4]), row[5])

    def headers(self) -> list[FitHeader]:
        return [self._header(row) for row in self._execute(self._listing())]

    def count(self) -> int:
        from sqlalchemy import func, select

        from autofit.database.schema import Fit

        return self._execute(self._where(select(func.count()).select_from(Fit)))[0][0]

    def header_at(self, index: int) -> FitHeader:
        position = index if index >= 0 else self.count() + index
        rows = self._execute(self._listing().offset(position).limit(1)) if position >= 0 else []
        if not rows:
            raise IndexError(f"Fit index {index} out of range")
        return self._header(rows[0])

    def filtered(self, predicate: Any) -> SQLBackend:
        combined = predicate if self.predicate is None else self.predicate & predicate
        return SQLBackend(self._engine, combined, self.location)

    @staticmethod
    def _document_column(which: str) -> Any:
        from autofit.database.schema import Fit

        return {"search": Fit.search_json, "model": Fit.model_json, "info": Fit.info_json}[which]

    def prefetched(
        self, fit_ids: list[str], documents: tuple[str, ...], files: tuple[str, ...]
    ) -> PrefetchedReader:
        from sqlalchemy import select

        from autofit.database.schema import Fit, FitFile

        found_documents: dict[tuple[str, str], str | None] = {}
        if documents:
            columns = [self._document_column(which) for which in documents]
            for row in self._execute(select(Fit.id, *columns).where(Fit.id.in_(fit_ids))):
                found_documents.update(
                    ((row[0], which), text) for which, text in zip(documents, row[1:], strict=True)
                )
        found_files = {}
        if files:
            statement = select(FitFile.fit_id, FitFile.name, FitFile.content).where(
                FitFile.fit_id.in_(fit_ids), FitFile.name.in_(files)
            )
            found_files = {(row[0], row[1]): bytes(row[2]) for row in self._execute(statement)}
        return PrefetchedReader(self, fit_ids, found_documents, files, found_files)

    def document(self, fit_id: str, which: str) -> str | None:
        from sqlalchemy import select

        from autofit.database.schema import Fit

        rows = self._execute(select(self._document_column(which)).where(Fit.id == fit_id))
        return rows[0][0] if rows else None

    def read_file(self, fit_id: str, name: str) -> bytes | None:
        from sqlalchemy import select

        from autofit.database.schema import FitFile

        statement = select(FitFile.content).where(FitFile.fit_id == fit_id, FitFile.name == name)
        rows = self._execute(statement)
        return bytes(rows[0][0]) if rows else None

    def file_names(self, fit_id: str) -> list[str]:
        from sqlalchemy import select

        from autofit.database.schema import FitFile

        statement = select(FitFile.name).where(FitFile.fit_id == fit_id).order_by(FitFile.name)
        return [row[0] for row in self._execute(statement)]

    def where(self, fit_id: str) -> str:
        from sqlalchemy import select

        from autofit.database.schema import Fit
        from autofit.output.paths import fit_folder_text

        columns = (Fit.path_prefix, Fit.unique_tag, Fit.name, Fit.identifier)
        rows = self._execute(select(*columns).where(Fit.id == fit_id))
        return f"database fit {fit_folder_text(*rows[0]) if rows else fit_id}"

    @staticmethod
    def _path_column(kind: str) -> Any:
        from autofit.database.schema import Component, Parameter

        return {"parameter": Parameter.path, "component": Component.path}[kind]

    def has_model_path(self, kind: str, path: str) -> bool:
        from sqlalchemy import select

        column = self._path_column(kind)
        return bool(self._execute(select(column).where(column == path).limit(1)))

    def model_paths(self, kind: str) -> set[str]:
        from sqlalchemy import select

        return {row[0] for row in self._execute(select(self._path_column(kind)).distinct())}

    def __repr__(self) -> str:
        where = self.location if self._engine is None else self._engine.url
        return f"SQLBackend({where!r})"
