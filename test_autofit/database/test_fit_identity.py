"""One fit per output folder: fits that differ only in name or path_prefix share an identifier
but are different fits in the database, the scrape, the directory aggregator and the reload of
completed fits; databases keyed by identifier alone are migrated."""

from __future__ import annotations

import io
import sqlite3

import numpy as np
from sqlalchemy import select

import autofit as af
from autofit.database import open_database
from autofit.database.schema import SCHEMA_VERSION, Fit, FitFile, Parameter, SchemaVersion
from autofit.database.scrape import add_directory
from autofit.database.writer import read_file, write_fit
from autofit.output.paths import fit_key
from test_autofit.database import fits

MODEL = af.Model(af.ex.Gaussian)


def dataset(centre: float) -> af.ex.Analysis:
    return af.ex.Analysis(*af.ex.simulate_data([af.ex.Gaussian(centre, 25.0, 5.0)], noise=0.1))


def lbfgs(path_prefix: str, session=None) -> af.LBFGS:
    return af.LBFGS(name="fit", path_prefix=path_prefix, seed=1, silence=True, session=session)


def test_a_second_dataset_under_another_path_prefix_is_fitted_not_reloaded(
    sqlite_path, output_path
):
    session = open_database(sqlite_path)
    first = lbfgs("dataset_a", session).fit(model=MODEL, analysis=dataset(30.0))
    second = lbfgs("dataset_b", session).fit(model=MODEL, analysis=dataset(70.0))
    assert abs(first.instance.centre - 30.0) < 0.5
    assert abs(second.instance.centre - 70.0) < 0.5
    rows = session.execute(select(Fit.path_prefix, Fit.identifier, Fit.id)).all()
    assert sorted(row.path_prefix for row in rows) == ["dataset_a", "dataset_b"]
    assert len({row.identifier for row in rows}) == 1 and len({row.id for row in rows}) == 2
    # Reloading each completed fit gives its own result.
    again = lbfgs("dataset_b", session).fit(model=MODEL, analysis=dataset(70.0))
    assert again.instance.centre == second.instance.centre
    agg = af.Aggregator.from_database(session)
    centres = {fit.path_prefix: fit.value("instance").centre for fit in agg}
    assert abs(centres["dataset_a"] - 30.0) < 0.5 and abs(centres["dataset_b"] - 70.0) < 0.5
    fits.close(session)


def test_folders_differing_only_in_name_are_all_listed_and_scraped(output_path, tmp_path):
    for name, centre in (("first", 30.0), ("second", 70.0)):
        af.LBFGS(name=name, seed=1, silence=True).fit(model=MODEL, analysis=dataset(centre))
    agg = af.Aggregator.from_directory(output_path)
    assert sorted(fit.name for fit in agg) == ["first", "second"]
    assert len(set(agg.ids)) == 1 and len({fit.key for fit in agg}) == 2
    session = open_database(tmp_path / "scraped.sqlite")
    report = add_directory(session, output_path)
    assert len(report.added) == 2 and report.skipped == []
    names = sorted(session.execute(select(Fit.name)).scalars())
    assert names == ["first", "second"]
    fits.close(session)


def version_1_database(url: str, contents: list[fits.FitContent]) -> None:
    """A database as the first release wrote it: no ``identifier`` column, every row (and its
    files and parameters) keyed by the fit's identifier."""
    session = open_database(url)
    for content in contents:
        write_fit(session, content)
    engine = session.get_bind()
    fits.close(session)
    if "://" not in url:
        connection = sqlite3.connect(url)  # foreign keys are not enforced here
        execute = connection.execute
    else:
        connection = engine.raw_connection()
        cursor = connection.cursor()
        cursor.execute("SET session_replication_role = replica")  # no foreign key checks

        def execute(statement, parameters=()):
            cursor.execute(statement.replace("?", "%s"), parameters)

    for content in contents:
        for table in ("fit", "fit_file", "parameter", "component", "info_item"):
            column = "id" if table == "fit" else "fit_id"
            execute(
                f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                (content.identifier, content.key),
            )
    execute("DROP INDEX ix_fit_identifier")
    execute("ALTER TABLE fit DROP COLUMN identifier")
    execute("UPDATE schema_version SET version = 1")
    connection.commit()
    connection.close()
    engine.dispose()


def stored_ids_and_version(session) -> tuple[list[str], list[int]]:
    ids = sorted(session.execute(select(Fit.id)).scalars())
    versions = session.execute(select(SchemaVersion.version)).scalars().all()
    return ids, versions


def test_a_version_1_database_is_migrated_to_one_row_per_folder(database_url):
    contents = [
        fits.make_content("f1", seed=1, name="first", path_prefix="study", info={"a": 1}),
        fits.make_content("f2", seed=2, name="second", unique_tag="tag"),
    ]
    version_1_database(database_url, contents)
    session = open_database(database_url)
    keys = sorted(content.key for content in contents)
    assert stored_ids_and_version(session) == (keys, [SCHEMA_VERSION])
    for content in contents:
        fit = session.get(
            Fit, fit_key(content.path_prefix, content.unique_tag, content.name, content.identifier)
        )
        assert (fit.identifier, fit.name, fit.unique_tag) == (
            content.identifier,
            content.name,
            content.unique_tag,
        )
        assert read_file(session, fit.id, "data.npy") == content.files["data.npy"]
        parameters = session.execute(select(Parameter.path).where(Parameter.fit_id == fit.id))
        assert len(parameters.all()) == 3
    assert not session.execute(select(FitFile).where(FitFile.fit_id.in_(["f1", "f2"]))).all()
    agg = af.Aggregator.from_database(session)
    assert sorted(agg.ids) == ["f1", "f2"]
    summaries = {fit.id: fit.value("samples_summary") for fit in agg}
    assert all(summary is not None for summary in summaries.values())
    # A fit of the same identifier under another name is now a second row, not an overwrite.
    write_fit(session, fits.make_content("f1", seed=3, name="third", path_prefix="study"))
    assert sorted(session.execute(select(Fit.name).where(Fit.identifier == "f1")).scalars()) == [
        "first",
        "third",
    ]
    np.testing.assert_array_equal(
        np.load(io.BytesIO(read_file(session, contents[0].key, "data.npy"))),
        np.arange(1.0, 11.0),
    )
    fits.close(session)


def test_explicit_database_paths_and_a_scrape_of_their_folder_give_one_row(
    sqlite_path, output_path
):
    """The metadata names the folder's own parts, so the scrape finds the row the fit wrote."""
    session = open_database(sqlite_path)
    paths = af.db.DatabasePaths(session, name="explicit", path_prefix="study")
    af.LBFGS(paths=paths, seed=1, silence=True).fit(model=MODEL, analysis=dataset(30.0))
    report = add_directory(session, output_path)
    assert report.added == [] and len(report.unchanged) == 1
    (row,) = session.execute(select(Fit.name, Fit.path_prefix)).all()
    assert tuple(row) == ("explicit", "study")
    fits.close(session)
