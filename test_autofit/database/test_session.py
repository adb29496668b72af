"""Opening databases: SQLite files with WAL and a busy timeout, URLs, retries while locked, and
nothing unpickled when a database is opened, read or scraped."""

from __future__ import annotations

import pickle

import dill
import numpy as np
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

import autofit as af
from autofit import cli
from autofit.database import open_database
from autofit.database.schema import Fit, FitFile
from autofit.database.scrape import add_directory
from autofit.database.session import SQLITE_BUSY_TIMEOUT_MS, retry_on_lock
from autofit.database.writer import read_file
from test_autofit.database import fits


def test_a_sqlite_file_uses_the_wal_journal_and_waits_for_locks(tmp_path):
    path = tmp_path / "new" / "folder" / "results.sqlite"
    session = open_database(path)
    assert path.exists()
    connection = session.connection()
    assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert connection.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
    assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    fits.close(session)


def test_a_sqlalchemy_url_opens_the_same_database(tmp_path):
    path = tmp_path / "results.sqlite"
    first = open_database(path)
    first.add(Fit(id="f1", name="fit"))
    first.commit()
    second = open_database(f"sqlite:///{path}")
    assert second.get(Fit, "f1").name == "fit"
    for session in (first, second):
        fits.close(session)


def locked() -> OperationalError:
    return OperationalError("INSERT", {}, Exception("database is locked"))


def test_retry_on_lock_retries_until_the_lock_is_released():
    calls = []

    def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise locked()
        return "written"

    assert retry_on_lock(write, delay=0.001)() == "written"
    assert len(calls) == 3


def test_retry_on_lock_gives_up_after_its_attempts_and_passes_other_errors():
    calls = []

    def always_locked() -> None:
        calls.append(1)
        raise locked()

    with pytest.raises(OperationalError, match="locked"):
        retry_on_lock(always_locked, attempts=4, delay=0.001)()
    assert len(calls) == 4

    def broken() -> None:
        calls.append(1)
        raise OperationalError("SELECT", {}, Exception("no such table: fit"))

    calls.clear()
    with pytest.raises(OperationalError, match="no such table"):
        retry_on_lock(broken, delay=0.001)()
    assert len(calls) == 1


class PickleSavingAnalysis(af.ex.Analysis):
    """Saves a pickled object beside its JSON and NumPy files, as user code may."""

    def save_attributes(self, paths) -> None:
        super().save_attributes(paths)
        (paths.files_path / "user_object.pickle").write_bytes(pickle.dumps({"a": 1}))
        paths.save_json("settings", {"a": 1})


def test_opening_reading_and_scraping_never_unpickle(tmp_path, output_path, monkeypatch, capsys):
    path = tmp_path / "results.sqlite"
    data, noise_map = af.ex.simulate_data(noise=0.1)

    def fit():
        search = af.Drawer(name="drawer", total_draws=20, session=open_database(path))
        return search.fit(
            model=af.Model(af.ex.Gaussian),
            analysis=PickleSavingAnalysis(data, noise_map),
            info={"dataset": "a"},
        )

    first = fit()
    assert list(output_path.rglob("user_object.pickle"))

    def forbidden(*args, **kwargs):
        raise AssertionError("something was unpickled")

    for module in (pickle, dill):
        monkeypatch.setattr(module, "loads", forbidden)
        monkeypatch.setattr(module, "load", forbidden)
    monkeypatch.setattr(pickle, "Unpickler", forbidden)

    session = open_database(path)
    ((key, identifier),) = session.execute(select(Fit.id, Fit.identifier)).all()
    names = set(session.execute(select(FitFile.name)).scalars())
    assert {"samples.csv", "settings.json", "data.npy"} <= names
    assert not any(name.endswith(".pickle") for name in names)
    assert read_file(session, key, "samples_summary.json")
    again = fit()  # completed in the database: loaded from it
    np.testing.assert_array_equal(again.samples.parameters, first.samples.parameters)
    report = add_directory(open_database(tmp_path / "scraped.sqlite"), output_path)
    assert report.added == [identifier]
    assert cli.main(["db", "list", str(path)]) == 0
    assert "drawer" in capsys.readouterr().out
