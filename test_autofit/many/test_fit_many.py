"""af.fit_many in this process, in a local pool and on a concurrent.futures executor."""

from __future__ import annotations

import concurrent.futures

import numpy as np
import pytest

import autofit as af
from test_autofit.many.conftest import counted_calls, fit_jobs, gaussian_model


def test_serial_fits_are_the_searches_own_results_in_job_order(output_path):
    results = af.fit_many(fit_jobs(3, name="serial"))
    assert all(isinstance(result, af.ex.Result) for result in results)  # make_result's class
    for index, result in enumerate(results):
        search, model, analysis = next(fit_jobs([index], name="alone"))
        alone = search.fit(model=model, analysis=analysis)
        assert result.log_likelihood == pytest.approx(alone.log_likelihood)
    # The Gaussian of dataset i is at centre 40 + 5 i: the best draw is near it.
    centres = [result.instance.centre for result in results]
    assert np.all(np.diff(centres) > 0.0)


def test_a_process_pool_executor_runs_the_fits_into_one_database(tmp_path):
    serial = af.fit_many(list(fit_jobs(3, name="serial")))
    database = tmp_path / "pool.sqlite"
    session = af.db.open_database(database)
    calls = tmp_path / "calls"
    calls.mkdir()
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        results = af.fit_many(
            fit_jobs(3, name="pool", session=session, calls=calls), executor=executor
        )
    assert [type(result) for result in results] == [af.StoredResult] * 3
    assert [result.log_likelihood for result in results] == pytest.approx(
        [result.log_likelihood for result in serial]
    )
    assert results[0].samples.total_samples == 30
    assert len(af.Aggregator.from_database(database)) == 3

    # Run again: every fit is loaded from the database (one likelihood call to check the data).
    again = af.fit_many(fit_jobs(3, name="pool", session=session, calls=calls), number_of_cores=2)
    assert [result.log_likelihood for result in again] == pytest.approx(
        [result.log_likelihood for result in results]
    )
    assert sum(counted_calls(calls, "dataset_0")) <= 30 + 1 + 10
    assert len(af.Aggregator.from_database(database)) == 3


def test_a_search_writing_nothing_sends_its_samples_back():
    search = af.Drawer(total_draws=20, seed=1)
    data, noise = af.ex.simulate_data([af.ex.Gaussian(50.0, 20.0, 5.0)], noise=0.1, seed=1)
    jobs = [(search, gaussian_model(), af.ex.Analysis(data, noise))] * 2
    results = af.fit_many(jobs, number_of_cores=2)
    assert [result.samples.total_samples for result in results] == [20, 20]
    assert type(results[0]) is af.Result


def test_two_jobs_writing_one_folder_are_refused():
    jobs = list(fit_jobs(2, name="same"))
    for search, _, _ in jobs:
        search.unique_tag, search.seed = None, 1
    for cores in (1, 2):
        with pytest.raises(ValueError, match="jobs 0 and 1 would both write .*own unique_tag"):
            af.fit_many(jobs, number_of_cores=cores)


@pytest.mark.parametrize(
    ("job", "message"),
    [
        ("search", "job 0 must be a tuple \\(search, model, analysis\\)"),
        ((gaussian_model(), gaussian_model(), None), "job 0 must start with a search"),
    ],
)
def test_a_job_that_is_not_a_fit_is_refused(job, message):
    with pytest.raises(TypeError, match=message):
        af.fit_many([job])


def test_an_in_memory_database_cannot_be_shared_with_workers():
    session = af.db.open_database("sqlite://")
    with pytest.raises(af.exc.DatabaseException, match="in-memory SQLite database"):
        af.fit_many(fit_jobs(2, name="memory", session=session), number_of_cores=2)


def test_jobs_sharing_a_search_with_explicit_paths_keep_their_own_folders(output_path):
    search = af.Drawer(paths=af.DirectoryPaths(name="shared"), total_draws=20, seed=1)
    data, noise = af.ex.simulate_data([af.ex.Gaussian(30.0, 20.0, 5.0)], noise=0.1, seed=1)
    left = gaussian_model()
    left.centre = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
    right = gaussian_model()
    right.centre = af.UniformPrior(lower_limit=50.0, upper_limit=100.0)
    analysis = af.ex.Analysis(data, noise)
    results = af.fit_many([(search, left, analysis), (search, right, analysis)], number_of_cores=2)
    assert results[0].paths.identifier != results[1].paths.identifier
    assert results[0].samples.max_log_likelihood().centre < 50.0
    assert results[1].samples.max_log_likelihood().centre > 50.0
    assert len(list((output_path / "shared").glob("*/.completed"))) == 2
