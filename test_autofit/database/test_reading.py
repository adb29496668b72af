"""Reading a results database changes nothing: missing files are errors naming the path, files
that are not autofit databases say so, and databases that cannot be written are read read-only."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import text

import autofit as af
from autofit.database import open_database, write_fit
from autofit.exc import DatabaseException
from test_autofit.database.fits import close, make_content


def test_a_missing_database_is_an_error_naming_it_and_nothing_is_created(tmp_path):
    path = tmp_path / "nowhere" / "typo.sqlite"
    agg = af.Aggregator.from_database(path)
    with pytest.raises(FileNotFoundError, match=f"No database file {path}"):
        len(agg)
    with pytest.raises(FileNotFoundError, match="typo.sqlite"):
        list(agg.values("samples"))
    assert not path.parent.exists()


def test_scraping_into_a_missing_database_creates_it(tmp_path):
    from test_autofit.database.fits import write_folder

    write_folder(tmp_path / "output", make_content("one", count=20))
    path = tmp_path / "new.sqlite"
    agg = af.Aggregator.from_database(path)
    report = agg.add_directory(tmp_path / "output")
    assert report.added == ["one"]
    assert agg.ids == ["one"]


def test_a_text_file_is_not_an_autofit_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list\n" * 100)
    with pytest.raises(DatabaseException, match="notes.sqlite is not an autofit results database"):
        af.Aggregator.from_database(path)
    with pytest.raises(DatabaseException, match="not a SQLite file"):
        open_database(path)
    assert path.read_text() == "shopping list\n" * 100


def test_another_sqlite_database_is_not_read_as_an_autofit_database(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE things (x INTEGER)")
    with pytest.raises(DatabaseException, match="holds no fits"):
        af.Aggregator.from_database(path)
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    assert tables == ["things"]


@pytest.fixture
def database(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "results.sqlite"
    session = open_database(path)
    for index in range(3):
        write_fit(session, make_content(f"fit{index}", seed=index, count=30))
    close(session)
    return path


def read_only(monkeypatch, *paths):
    """Make ``paths`` read-only; as root (who may write anyway) also report them unwritable."""
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    real = os.access
    denied = {str(path) for path in paths}

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(path) in denied:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize("storage", ["file", "folder"])
def test_a_database_that_cannot_be_written_is_read_read_only(database, monkeypatch, storage):
    before = database.read_bytes()
    files_before = sorted(path.name for path in database.parent.iterdir())
    paths = [database] if storage == "file" else [database, database.parent]
    try:
        read_only(monkeypatch, *paths)
        agg = af.Aggregator.from_database(database)
        assert agg.ids == ["fit0", "fit1", "fit2"]
        assert [samples.total_samples for samples in agg.values("samples")] == [30, 30, 30]
        with agg._backend.engine.connect() as connection:
            with pytest.raises(Exception, match="readonly|read-only|query_only"):
                connection.execute(text("DELETE FROM fit"))
        agg._backend.engine.dispose()
    finally:
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert database.read_bytes() == before
    if storage == "folder":
        assert sorted(path.name for path in database.parent.iterdir()) == files_before


def test_reading_a_writable_database_never_writes(database):
    agg = af.Aggregator.from_database(database)
    with agg._backend.engine.connect() as connection:
        with pytest.raises(Exception, match="readonly|query_only"):
            connection.execute(text("DELETE FROM fit"))
    assert len(agg) == 3
