"""Many jobs on a Dask LocalCluster of two worker processes: the same results as in series,
rows written from the workers into one SQLite database, a killed worker survived with its fit
resumed from its checkpoint, and a raising fit named while the others finish."""

from __future__ import annotations

import signal

import numpy as np
import pytest

import autofit as af
from autofit.parallel.executor import WorkerDiedException
from test_autofit.many.conftest import counted_calls, fit_jobs, gaussian_model

distributed = pytest.importorskip("distributed", reason='needs pip install "autofit[dask]"')

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@pytest.fixture(scope="module")
def client():
    import dask

    # Dask reruns the job of a worker that dies once, and reports KilledWorker at the second
    # death (the third by default), after which fit_many submits it again ``retries`` times.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_a_grid_search_on_dask_gives_the_serial_cells(client, output_path):
    truth = af.ex.Gaussian(centre=70.0, normalization=20.0, sigma=5.0)
    data, noise = af.ex.simulate_data([truth], noise=0.1, seed=3)
    analysis = af.ex.Analysis(data, noise)
    model = gaussian_model()

    def grid(name, **kwargs):
        search = af.Drawer(name=name, total_draws=20, seed=5)
        return af.SearchGridSearch(search=search, number_of_steps=4, **kwargs).fit(
            model=model, analysis=analysis, grid_priors=[model.centre]
        )

    serial = grid("serial")
    on_dask = grid("dask", executor=client)
    np.testing.assert_allclose(on_dask.log_likelihoods().native, serial.log_likelihoods().native)
    assert on_dask.best_index == serial.best_index == 2
    # Each cell's folder was written by a worker into this test's output folder.
    assert len(list((output_path / "dask").glob("*/cell_*/*/.completed"))) == 4


def test_fit_many_on_dask_writes_the_serial_fits_into_one_database(client, tmp_path):
    serial = af.fit_many(list(fit_jobs(6, name="serial")))
    database = tmp_path / "many.sqlite"
    session = af.db.open_database(database)
    results = af.fit_many(fit_jobs(6, name="dask", session=session), executor=client)

    assert [type(result) for result in results] == [af.StoredResult] * 6
    assert [result.log_likelihood for result in results] == pytest.approx(
        [result.log_likelihood for result in serial]
    )
    # The samples come from the database row, read when first used.
    assert not results[2].samples_loaded
    np.testing.assert_allclose(
        results[2].samples.log_likelihood_list, serial[2].samples.log_likelihood_list
    )
    agg = af.Aggregator.from_database(database)
    assert sorted(fit.unique_tag for fit in agg) == [f"dataset_{index}" for index in range(6)]
    assert all(fit.is_complete for fit in agg)


def test_a_worker_killed_mid_fit_is_survived_and_the_fit_resumes(client, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    database = tmp_path / "killed.sqlite"
    session = af.db.open_database(database)
    marker = tmp_path / "killed"
    jobs = fit_jobs(
        2, name="killed", session=session, search="emcee", calls=calls, kill=(1, 200, marker)
    )
    results = af.fit_many(jobs, executor=client)
    assert marker.exists()

    full = af.fit_many(list(fit_jobs([1], name="uninterrupted", search="emcee")))[0]
    steps = len(full.samples.log_likelihood_list)
    assert steps == 320
    per_process = counted_calls(calls, "dataset_1")
    assert len(per_process) == 2, per_process  # the killed worker, then the one resuming
    before, after = per_process
    assert before == 200
    # Resumed from the checkpoint after 160 of the 320 walker steps, not from scratch.
    assert after < steps - 100
    # The seeded chain goes on from its checkpoint as if it had never stopped.
    np.testing.assert_allclose(
        results[1].samples.log_likelihood_list, full.samples.log_likelihood_list
    )
    agg = af.Aggregator.from_database(database)
    keys = [fit.key for fit in agg]
    assert len(keys) == len(set(keys)) == 2
    assert all(fit.is_complete for fit in agg)


def test_a_fit_that_raises_is_named_and_the_others_finish(client, output_path):
    jobs = fit_jobs(4, name="raising", fail=2)
    with pytest.raises(af.exc.LikelihoodException, match="dataset 2 is broken") as error:
        af.fit_many(jobs, executor=client)
    assert "fit 2 (name 'raising', unique_tag 'dataset_2')" in "".join(error.value.__notes__)
    completed = sorted(path.parents[2].name for path in output_path.glob("*/raising/*/.completed"))
    assert completed == ["dataset_0", "dataset_1", "dataset_3"]


def test_a_fit_whose_workers_keep_dying_is_named(client):
    # Alone: a worker that dies also loses the finished results it held, which Dask then
    # recomputes (loading the finished fits), a second failure for them at allowed-failures=1.
    jobs = fit_jobs([1], name="deadly", kill=(1, 5, None))
    message = r"Dask workers running fit 0 \(name 'deadly', unique_tag 'dataset_1'\) kept dying"
    with pytest.raises(WorkerDiedException, match=message):
        af.fit_many(jobs, executor=client, retries=0)


def test_executor_dask_starts_and_closes_a_local_cluster_for_the_call(output_path):
    results = af.fit_many(fit_jobs(2, name="local"), executor="dask", number_of_cores=1)
    assert [type(result) for result in results] == [af.StoredResult] * 2
    assert len(list(output_path.glob("*/local/*/.completed"))) == 2
