"""Creating the schema and upgrading databases written by older releases.

Each entry of :data:`MIGRATIONS` upgrades a database from one version to the next; opening a
database applies the missing ones in order inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text

from autofit.database.schema import (
    SCHEMA_VERSION,
    Base,
    GridCellRow,
    GridSearchRow,
    SchemaVersion,
)
from autofit.exc import AutofitError
from autofit.output.paths import fit_key

__all__ = ["MIGRATIONS", "ensure_schema", "schema_version"]

#: The tables whose ``fit_id`` refers to a fit's row.
_CHILD_TABLES = ("fit_file", "parameter", "component", "info_item")


def _key_fits_by_folder(connection: Connection) -> None:
    """Version 1 -> 2: fits were keyed by their identifier alone, so fits differing only in
    name or path prefix shared a row. Add the ``identifier`` column and move every fit (with
    its files, parameters, components and info) to the row of its key, a digest of
    (path_prefix, unique_tag, name, identifier)."""
    connection.exec_driver_sql(
        "ALTER TABLE fit ADD COLUMN identifier VARCHAR(64) NOT NULL DEFAULT ''"
    )
    connection.exec_driver_sql("CREATE INDEX ix_fit_identifier ON fit (identifier)")
    connection.exec_driver_sql("UPDATE fit SET identifier = id")
    columns = [column["name"] for column in inspect(connection).get_columns("fit")]
    copied = ", ".join(column for column in columns if column != "id")
    rows = connection.execute(text("SELECT id, path_prefix, unique_tag, name FROM fit")).all()
    for identifier, path_prefix, unique_tag, name in rows:
        key = fit_key(path_prefix, unique_tag, name, identifier)
        if key == identifier:
            continue
        values = {"key": key, "old": identifier}
        connection.execute(
            text(f"INSERT INTO fit (id, {copied}) SELECT :key, {copied} FROM fit WHERE id = :old"),
            values,
        )
        for table in _CHILD_TABLES:
            connection.execute(
                text(f"UPDATE {table} SET fit_id = :key WHERE fit_id = :old"), values
            )
        connection.execute(text("DELETE FROM fit WHERE id = :old"), values)


def _add_grid_tables(connection: Connection) -> None:
    """Version 2 -> 3: add the ``grid_search`` and ``grid_cell`` tables (grid searches and
    their cells)."""
    tables = [GridSearchRow.__table__, GridCellRow.__table__]
    Base.metadata.create_all(connection, tables=tables, checkfirst=True)


#: ``{from_version: upgrade}``: each upgrade takes a connection and leaves the database at
#: ``from_version + 1``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _key_fits_by_folder,
    2: _add_grid_tables,
}


def schema_version(connection: Connection) -> int | None:
    """The version stored in the database, or None for an empty database."""
    if not inspect(connection).has_table(SchemaVersion.__tablename__):
        return None
    return connection.execute(select(SchemaVersion.version)).scalar()


def ensure_schema(engine: Engine) -> int:
    """Create the tables of an empty database or upgrade an older one; returns the version.

    Raises
    ------
    AutofitError
        If the database was written by a newer release of autofit.
    """
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Processes opening a new database at once create its tables one at a time.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7275636)")
        if engine.dialect.name == "sqlite":
            # The sqlite3 module does not begin transactions for schema changes by itself:
            # begin one, so that a failed migration leaves the database as it was.
            connection.exec_driver_sql("BEGIN")
        Base.metadata.create_all(connection, checkfirst=True)
        version = schema_version(connection)
        if version is None or version == 0:
            connection.execute(SchemaVersion.__table__.delete())
            connection.execute(SchemaVersion.__table__.insert().values(version=SCHEMA_VERSION))
            return SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise AutofitError(
                f"The database has schema version {version}, newer than this autofit "
                f"({SCHEMA_VERSION}): upgrade autofit to read it"
            )
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](connection)
            version += 1
            connection.execute(SchemaVersion.__table__.update().values(version=version))
        return version
