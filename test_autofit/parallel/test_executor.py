import builtins
import concurrent.futures
import io
import logging
import os
import signal
import sys

import pytest

from autofit.parallel.executor import (
    SerialExecutor,
    WorkerDiedException,
    local_executor_factory,
    process_executor,
    run_jobs,
    run_many,
)


def square(value):
    if value < 0:
        raise ValueError(f"negative {value}")
    return value * value


def dies_at_three(value):
    if value == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def scaled(context, value):
    """``context["scale"] * value``, and the process it ran in."""
    return context["scale"] * value, os.getpid()


def loads_counted(context, value):
    """How many times this worker deserialised the context (see ``CountedContext``)."""
    return context.loads


class CountedContext:
    """Counts, in each process, how many times it was unpickled."""

    unpickled = 0

    def __init__(self):
        self.loads = 0

    def __setstate__(self, state):
        CountedContext.unpickled += 1
        self.__dict__.update(state)
        self.loads = CountedContext.unpickled


def test_the_serial_executor_runs_at_submission():
    executor = SerialExecutor()
    assert executor.submit(square, 3).result() == 9
    error = executor.submit(square, -1).exception()
    assert isinstance(error, ValueError)


def test_jobs_are_taken_lazily():
    taken = []

    def jobs():
        for value in range(5):
            taken.append(value)
            yield value

    results = run_many(jobs(), square, progress=False)
    assert next(results) == (0, 0)
    assert taken == [0]
    assert dict(results) == {1: 1, 2: 4, 3: 9, 4: 16}


def test_a_failing_job_is_named_and_the_others_still_run(caplog):
    done = []
    with caplog.at_level(logging.ERROR, logger="autofit.parallel"):
        with pytest.raises(ValueError, match="negative -2") as error:
            for _job, value in run_many(
                [1, -2, 3, -4, 5], square, describe=lambda job: f"job {job}", label="squares"
            ):
                done.append(value)
    assert done == [1, 9, 25]
    notes = "".join(error.value.__notes__)
    assert "(raised while running job -2)" in notes
    assert "1 other squares failed too: job -4" in notes
    assert "squares: job -4 failed: ValueError: negative -4" in caplog.text


def test_fail_fast_stops_at_the_first_error():
    done = []
    with pytest.raises(ValueError, match="negative -2"):
        for _, value in run_many([1, -2, 3], square, fail_fast=True, progress=False):
            done.append(value)
    assert done == [1]


def test_a_local_pool_runs_every_job_with_the_context_sent_once_per_worker():
    results = dict(run_many(range(6), scaled, number_of_cores=2, context={"scale": 3}))
    assert {job: value for job, (value, _) in results.items()} == {v: 3 * v for v in range(6)}
    assert {pid for _, pid in results.values()} - {os.getpid()}
    loads = dict(run_many(range(8), loads_counted, number_of_cores=2, context=CountedContext()))
    assert set(loads.values()) == {1}


def test_any_concurrent_futures_executor_gets_the_jobs_and_the_context():
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        results = dict(run_many(range(6), scaled, executor=executor, context={"scale": 2}))
        assert {job: value for job, (value, _) in results.items()} == {v: 2 * v for v in range(6)}
        # Sent with every job, the context is still deserialised once in each worker.
        loads = dict(run_many(range(8), loads_counted, executor=executor, context=CountedContext()))
        assert set(loads.values()) == {1}
        with pytest.raises(ValueError, match="negative -1") as error:
            dict(run_many([2, -1], square, executor=executor, describe=lambda job: f"job {job}"))
        assert "(raised while running job -1)" in "".join(error.value.__notes__)


def test_process_executor_needs_a_process():
    with pytest.raises(ValueError, match="processes >= 1"):
        process_executor(0)
    with process_executor(1) as executor:
        assert isinstance(executor, concurrent.futures.ProcessPoolExecutor)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"executor": "threads"}, TypeError, "executor= takes None"),
        ({"executor": 4}, TypeError, "executor= takes None"),
        ({"number_of_cores": 0}, ValueError, "number_of_cores must be >= 1"),
        ({"retries": -1}, ValueError, "retries must be >= 0"),
        ({"max_in_flight": 0}, ValueError, "max_in_flight must be >= 1"),
    ],
)
def test_bad_settings_raise_naming_them(arguments, error, message):
    with pytest.raises(error, match=message):
        dict(run_many([1], square, **arguments))


def test_dask_without_dask_installed_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ImportError, match=r'pip install "autofit\[dask\]"'):
        dict(run_many([1, 2], square, executor="dask"))


def test_run_jobs_on_a_kept_executor_raises_the_first_error_at_once():
    taken = []

    def jobs():
        for value in (1, -2, 3):
            taken.append(value)
            yield value

    results = run_jobs(jobs(), square, SerialExecutor, 1, describe=lambda job: f"job {job}")
    assert next(results) == (1, 1)
    with pytest.raises(ValueError, match="negative -2") as error:
        next(results)
    assert "job -2" in "".join(error.value.__notes__)
    assert taken == [1, -2]
    factory, in_flight = local_executor_factory({"scale": 1}, lambda context: None, 2)
    assert in_flight == 2
    assert dict(run_jobs(range(4), square, factory, in_flight)) == {0: 0, 1: 1, 2: 4, 3: 9}


def test_jobs_are_taken_lazily_with_a_bounded_number_in_flight():
    taken = []

    def jobs():
        for value in range(100):
            taken.append(value)
            yield value

    with concurrent.futures.ThreadPoolExecutor(2) as executor:
        results = run_many(jobs(), square, executor=executor, max_in_flight=3, progress=False)
        next(results)
        assert len(taken) <= 4
        assert len(dict(results)) == 99


def test_progress_is_logged_without_a_terminal(caplog, monkeypatch):
    from autofit.parallel.progress import JobProgress

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a file, not a terminal
    with caplog.at_level(logging.INFO, logger="autofit.parallel"):
        progress = JobProgress("fits", 3, log_interval=3600.0)
        progress.update()
        progress.update(failed=True)
        progress.update()
        progress.close()
    assert progress.mode == "log"
    assert [record.getMessage() for record in caplog.records] == [
        "fits: 1 of 3 done",
        "fits: 3 of 3 done (1 failed)",
    ]
    assert JobProgress("fits", 3, show=False).mode == "quiet"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_worker_dying_in_a_given_executor_is_named():
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        with pytest.raises(
            WorkerDiedException, match="died while running one of: .*job 3.*the executor is broken"
        ):
            dict(
                run_many(range(6), dies_at_three, executor=executor, describe=lambda j: f"job {j}")
            )
    # Jobs submitted after the pool broke fail to submit; the error still names the jobs.
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        with pytest.raises(WorkerDiedException, match="the executor is broken"):
            dict(run_many(range(100), dies_at_three, executor=executor, max_in_flight=2))
    # Without an executor the local pool is replaced and job 3 is named after its second death.
    with pytest.raises(WorkerDiedException, match="running job 3 died 2 times"):
        dict(run_many(range(6), dies_at_three, number_of_cores=2, describe=lambda j: f"job {j}"))


def output_folder(value):
    """The output folder and visualisation switch a job sees."""
    from autofit import config

    return str(config.instance.output_path), os.environ.get("AUTOFIT_SKIP_VISUALIZATION")


def test_workers_see_the_configuration_of_the_process_that_runs_the_jobs(tmp_path, monkeypatch):
    import autofit as af

    with concurrent.futures.ProcessPoolExecutor(1) as executor:
        executor.submit(abs, 1).result()  # the worker starts before the settings below
        monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "yes")
        af.conf.instance.push(new_path=tmp_path, output_path=tmp_path / "output")
        try:
            seen = dict(run_many([1], output_folder, executor=executor, progress=False))
        finally:
            af.conf.instance.reset()
    assert seen == {1: (str(tmp_path / "output"), "yes")}
