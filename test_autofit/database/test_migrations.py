"""Schema versions: a new database records its version, a newer one is refused, and older ones
are upgraded by the registered migrations, once and atomically."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect, select

from autofit.database import migrations, open_database, write_fit
from autofit.database.schema import SCHEMA_VERSION, Base, SchemaVersion
from autofit.exc import AutofitError
from test_autofit.database import fits


def versions(path: str) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT version FROM schema_version")]


def columns(path: str, table: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def test_a_new_database_has_every_table_and_the_current_version(sqlite_path):
    session = open_database(sqlite_path)
    tables = set(inspect(session.get_bind()).get_table_names())
    assert tables == set(Base.metadata.tables)
    assert {"fit", "fit_file", "parameter", "component", "info_item", "schema_version"} <= tables
    assert session.execute(select(SchemaVersion.version)).scalars().all() == [SCHEMA_VERSION]
    fits.close(session)


def test_reopening_keeps_one_version_row_and_the_fits(sqlite_path):
    session = open_database(sqlite_path)
    write_fit(session, fits.make_content("f1"))
    fits.close(session)
    session = open_database(sqlite_path)
    assert versions(sqlite_path) == [SCHEMA_VERSION]
    assert fits.row(session, "f1") is not None
    fits.close(session)


def test_a_database_of_a_newer_release_is_refused(sqlite_path):
    fits.close(open_database(sqlite_path))
    with sqlite3.connect(sqlite_path) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(AutofitError, match="upgrade autofit") as error:
        open_database(sqlite_path)
    assert f"schema version {SCHEMA_VERSION + 1}" in str(error.value)
    assert f"({SCHEMA_VERSION})" in str(error.value)
    assert versions(sqlite_path) == [SCHEMA_VERSION + 1]


@pytest.fixture
def old_database(sqlite_path: str) -> str:
    """A database written by this release, holding one fit."""
    session = open_database(sqlite_path)
    write_fit(session, fits.make_content("f1"))
    fits.close(session)
    return sqlite_path


@pytest.fixture
def next_version(old_database: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """From here on, the release writes version ``SCHEMA_VERSION + 1``."""
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    return SCHEMA_VERSION + 1


def test_an_older_database_is_upgraded_once(sqlite_path, next_version, monkeypatch):
    calls = []

    def add_note(connection) -> None:
        calls.append(migrations.schema_version(connection))
        connection.exec_driver_sql("ALTER TABLE fit ADD COLUMN note TEXT DEFAULT 'old'")

    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION, add_note)
    session = open_database(sqlite_path)
    assert calls == [SCHEMA_VERSION]
    assert versions(sqlite_path) == [next_version]
    assert "note" in columns(sqlite_path, "fit")
    assert fits.row(session, "f1") is not None
    fits.close(session)
    fits.close(open_database(sqlite_path))
    assert calls == [SCHEMA_VERSION]  # not run again


def test_migrations_run_in_order_from_the_stored_version(old_database, monkeypatch):
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    calls = []
    for version in (SCHEMA_VERSION, SCHEMA_VERSION + 1):
        monkeypatch.setitem(
            migrations.MIGRATIONS, version, lambda connection, v=version: calls.append(v)
        )
    fits.close(open_database(old_database))
    assert calls == [SCHEMA_VERSION, SCHEMA_VERSION + 1]
    assert versions(old_database) == [SCHEMA_VERSION + 2]


def test_a_new_database_is_created_at_the_current_version_without_migrating(
    sqlite_path, monkeypatch
):
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(
        migrations.MIGRATIONS, SCHEMA_VERSION, lambda connection: pytest.fail("migrated")
    )
    fits.close(open_database(sqlite_path))
    assert versions(sqlite_path) == [SCHEMA_VERSION + 1]


def test_a_failed_migration_leaves_the_database_as_it_was(sqlite_path, next_version, monkeypatch):
    """The upgrade runs in one transaction: a failure part-way leaves the old schema, so
    the next attempt can run the same migration again."""

    def broken(connection) -> None:
        connection.exec_driver_sql("ALTER TABLE fit ADD COLUMN note TEXT")
        raise RuntimeError("the migration failed")

    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION, broken)
    with pytest.raises(RuntimeError, match="the migration failed"):
        open_database(sqlite_path)
    assert versions(sqlite_path) == [SCHEMA_VERSION]
    assert "note" not in columns(sqlite_path, "fit")
