import concurrent.futures

import pytest

from autofit.parallel.executor import SerialExecutor, process_executor, run_jobs


def square(value):
    if value < 0:
        raise ValueError(f"negative {value}")
    return value * value


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

    results = run_jobs(jobs(), square, SerialExecutor, max_in_flight=1)
    assert next(results) == (0, 0)
    assert taken == [0]
    assert dict(results) == {1: 1, 2: 4, 3: 9, 4: 16}


def test_a_failing_job_is_named_in_its_error():
    with pytest.raises(ValueError, match="negative -2") as error:
        dict(run_jobs([1, -2], square, SerialExecutor, 1, describe=lambda job: f"job {job}"))
    assert "job -2" in "".join(error.value.__notes__)


def test_process_executor_runs_every_job():
    results = dict(run_jobs(range(6), square, lambda: process_executor(2), max_in_flight=2))
    assert results == {value: value * value for value in range(6)}
    with pytest.raises(ValueError, match="processes >= 1"):
        process_executor(0)
    with process_executor(1) as executor:
        assert isinstance(executor, concurrent.futures.ProcessPoolExecutor)
