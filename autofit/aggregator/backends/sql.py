"""The database backend: every query runs as SQL with bound parameters.

Each read is one short statement on its own connection, so fits written by running jobs show
up in the next read, and a notebook never holds a lock that would make writers wait.
"""

from __future__ import annotations

from typing import Any

from autofit.aggregator.backends.base import FitHeader
from autofit.aggregator.backends.prefetch import PrefetchedReader

__all__ = ["SQLBackend"]


class SQLBackend:
    """The fits of a results database that match ``predicate``.

    Parameters
    ----------
    engine
        The SQLAlchemy engine of the database (see ``af.db.open_database``).
    predicate
        A :class:`~autofit.aggregator.query.Predicate`, or None for every fit.
    """

    def __init__(self, engine: Any, predicate: Any = None) -> None:
        self.engine = engine
        self.predicate = predicate

    @classmethod
    def open(cls, filename_or_url: Any) -> SQLBackend:
        """The backend of a database file, URL or open session."""
        from sqlalchemy.orm import Session

        from autofit.database.session import open_database

        if isinstance(filename_or_url, Session):
            return cls(filename_or_url.get_bind())
        session = open_database(filename_or_url)
        try:
            return cls(session.get_bind())
        finally:
            session.close()

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
        return SQLBackend(self.engine, combined)

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

    def __repr__(self) -> str:
        return f"SQLBackend({self.engine.url!r})"
