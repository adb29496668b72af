"""Grid searches in the results database: written while they run, or scraped from folders."""

import sqlite3

import pytest

import autofit as af
from autofit.database.schema import SCHEMA_VERSION
from autofit.database.scrape import add_directory


def run_grid(model, analysis, name, session=None, cores=1, unique_tag=None):
    search = af.Drawer(name=name, total_draws=20, seed=8, session=session, unique_tag=unique_tag)
    grid = af.SearchGridSearch(search=search, number_of_steps=4, number_of_cores=cores)
    return grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])


def rows(grid):
    return [
        (cell.cell_number, cell.lower_limits, cell.upper_limits, cell.fit.key)
        for cell in grid.cells
    ]


@pytest.mark.parametrize("cores", [1, 2])
def test_a_grid_and_its_cells_are_written_with_their_links(model, analysis, tmp_path, cores):
    database = tmp_path / "grid.sqlite"
    session = af.db.open_database(database)
    result = run_grid(model, analysis, "stored", session=session, cores=cores)
    session.close()

    agg = af.Aggregator.from_database(database)
    assert len(agg) == 4
    (grid,) = agg.grid_searches()
    assert grid.name == "stored"
    assert grid.is_complete
    assert grid.shape == (4,)
    assert grid.grid_priors == ["centre"]
    assert grid.search["type"] == "Drawer"
    assert [cell.cell_number for cell in grid.cells] == [0, 1, 2, 3]
    assert [cell.lower_limits for cell in grid.cells] == [[0.0], [25.0], [50.0], [75.0]]
    assert [cell.upper_limits for cell in grid.cells] == [[25.0], [50.0], [75.0], [100.0]]
    assert {cell.fit.key for cell in grid.cells} == {fit.key for fit in agg}
    likelihoods = [cell.log_likelihood for cell in grid.cells]
    assert likelihoods == pytest.approx(list(result.log_likelihoods()))
    best = grid.best_fit()
    assert best.key == grid.cells[result.best_index].fit.key
    assert best.samples_summary.max_log_likelihood_value == pytest.approx(max(likelihoods))
    assert 50.0 <= best.instance.centre <= 75.0


def test_scraping_a_grid_folder_gives_the_same_rows(model, analysis, tmp_path, output_path):
    database = tmp_path / "live.sqlite"
    session = af.db.open_database(database)
    run_grid(model, analysis, "scraped", session=session)
    session.close()
    live = af.Aggregator.from_database(database).grid_searches()

    scraped_database = tmp_path / "scraped.sqlite"
    session = af.db.open_database(scraped_database)
    report = add_directory(session, output_path)
    session.close()
    assert len(report.grids) == 1
    agg = af.Aggregator.from_database(scraped_database)
    scraped = agg.grid_searches()
    assert [rows(grid) for grid in scraped] == [rows(grid) for grid in live]
    assert [grid.id for grid in scraped] == [grid.id for grid in live]
    assert scraped[0].best_fit().key == live[0].best_fit().key

    folders = af.Aggregator.from_directory(output_path).grid_searches()
    assert [rows(grid) for grid in folders] == [rows(grid) for grid in live]
    assert folders[0].best_fit().instance.centre == pytest.approx(
        live[0].best_fit().instance.centre
    )


def test_a_query_lists_the_grids_holding_matching_fits(model, analysis, tmp_path, output_path):
    run_grid(model, analysis, "first", unique_tag="dataset_1")
    run_grid(model, analysis, "second", unique_tag="dataset_2")
    database = tmp_path / "both.sqlite"
    session = af.db.open_database(database)
    add_directory(session, output_path)
    session.close()
    for agg in (af.Aggregator.from_database(database), af.Aggregator.from_directory(output_path)):
        assert [grid.name for grid in agg.grid_searches()] == ["first", "second"]
        narrowed = agg.query(agg.search.unique_tag == "dataset_2")
        assert [grid.name for grid in narrowed.grid_searches()] == ["second"]


def test_a_database_of_the_previous_schema_gets_the_grid_tables(tmp_path):
    path = tmp_path / "old.sqlite"
    af.db.open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE grid_cell")
        connection.execute("DROP TABLE grid_search")
        connection.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION - 1,))
    af.db.open_database(path).close()
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version FROM schema_version").fetchone()[0]
    assert {"grid_search", "grid_cell"} <= tables
    assert version == SCHEMA_VERSION
