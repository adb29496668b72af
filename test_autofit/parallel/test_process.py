"""Tests of ``FunctionPool``: worker processes that receive the function once, then only inputs."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.analysis.fitness import Fitness
from autofit.parallel import FunctionPool, SerialPool


class CountedFunction:
    """Squares its input; every unpickling appends a line to ``counter`` (one per worker)."""

    pickled = 0

    def __init__(self, counter: Path):
        self.counter = str(counter)

    def __getstate__(self):
        type(self).pickled += 1
        return dict(self.__dict__)

    def __setstate__(self, state):
        self.__dict__.update(state)
        descriptor = os.open(self.counter, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, f"{os.getpid()}\n".encode())
        finally:
            os.close(descriptor)

    def __call__(self, x):
        return x * x


class RejectsLowCentreAnalysis(af.Analysis):
    def log_likelihood_function(self, instance):
        if instance.gaussian.centre < 20.0:
            raise af.exc.FitException("centre too low")
        return -instance.gaussian.centre


class FailingAnalysis(af.Analysis):
    def log_likelihood_function(self, instance):
        raise ZeroDivisionError("division in the likelihood")


class RejectingGaussianAnalysis(af.ex.Analysis):
    """The example analysis, rejecting centres below 40."""

    def log_likelihood_function(self, instance):
        if instance.centre < 40.0:
            raise af.exc.FitException("centre below 40")
        return super().log_likelihood_function(instance)


def summary_values(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, _, value = line.rpartition("  ")
        values[key.strip()] = value.strip()
    return values


def gaussian_model():
    return af.Collection(gaussian=af.Model(af.ex.Gaussian))


class TestFunctionPool:
    def test_fewer_than_two_processes_raise(self):
        for processes in (1, 0, -2):
            with pytest.raises(ValueError, match="processes"):
                FunctionPool(abs, processes)

    def test_lambda_closure_results_in_order(self):
        offset = 3.5
        with FunctionPool(lambda x: x * 2.0 + offset, 2) as pool:
            assert pool.map(None, range(20)) == [x * 2.0 + offset for x in range(20)]

    def test_class_defined_in_the_test(self):
        class Polynomial:
            def __init__(self, coefficients):
                self.coefficients = coefficients

            def __call__(self, x):
                return sum(c * x**power for power, c in enumerate(self.coefficients))

        function = Polynomial([1.0, -2.0, 0.5])
        with FunctionPool(function, 2) as pool:
            values = pool.map(function, [0.0, 1.0, 2.0, 3.0, 4.0])
        assert values == [1.0, -0.5, -1.0, -0.5, 1.0]

    def test_map_ignores_the_function_argument(self):
        with FunctionPool(lambda x: -x, 2) as pool:
            assert pool.map(abs, [1, 2, 3]) == [-1, -2, -3]

    def test_map_of_nothing_is_empty(self):
        with FunctionPool(abs, 2) as pool:
            assert pool.map(None, []) == []

    def test_workers_receive_the_function_once(self, tmp_path):
        counter = tmp_path / "unpickled.txt"
        function = CountedFunction(counter)
        CountedFunction.pickled = 0
        with FunctionPool(function, 2) as pool:
            for _ in range(3):
                assert pool.map(None, range(10)) == [x * x for x in range(10)]
        lines = counter.read_text().split()
        assert len(lines) == 2
        assert len(set(lines)) == 2
        assert str(os.getpid()) not in lines
        assert CountedFunction.pickled == 1

    def test_fitness_counters_are_kept_in_the_parent(self):
        centres = [5.0, 25.0, 10.0, 40.0, 60.0, 15.0, 80.0, 150.0, 90.0, 30.0]
        vectors = [[centre, 2.0, 5.0] for centre in centres]
        serial = Fitness(gaussian_model(), RejectsLowCentreAnalysis())
        expected = SerialPool().map(serial, vectors)
        fitness = Fitness(gaussian_model(), RejectsLowCentreAnalysis())
        with FunctionPool(fitness, 2) as pool:
            values = pool.map(fitness, vectors)
            assert (fitness.calls, fitness.rejected) == (10, 3)
            pool.map(fitness, vectors[:4])
        assert (fitness.calls, fitness.rejected) == (14, 5)
        assert values == expected
        assert sum(value == -math.inf for value in values) == 4
        assert (serial.calls, serial.rejected) == (10, 3)

    def test_analysis_and_model_classes_defined_in_the_test(self):
        class Line:
            def __init__(self, slope=1.0, intercept=0.0):
                self.slope = slope
                self.intercept = intercept

        class LineAnalysis(af.Analysis):
            def __init__(self, x, y):
                self.x, self.y = x, y

            def log_likelihood_function(self, instance):
                residual = self.y - (instance.slope * self.x + instance.intercept)
                return -0.5 * float(np.dot(residual, residual))

        x = np.linspace(0.0, 1.0, 5)
        model = af.Model(
            Line, slope=af.UniformPrior(-5.0, 5.0), intercept=af.UniformPrior(-5.0, 5.0)
        )
        fitness = Fitness(model, LineAnalysis(x, 2.0 * x + 1.0), use_log_prior=False)
        vectors = [[2.0, 1.0], [0.0, 0.0], [1.0, 1.0], [9.0, 0.0]]
        with FunctionPool(fitness, 2) as pool:
            values = pool.map(fitness, vectors)
        expected = [
            -0.5 * float(np.sum((2.0 * x + 1.0 - (a * x + b)) ** 2)) for a, b in vectors[:3]
        ]
        assert values[:3] == pytest.approx(expected, rel=1e-12)
        assert values[3] == -math.inf

    def test_likelihood_errors_propagate_with_the_parameters(self):
        fitness = Fitness(gaussian_model(), FailingAnalysis())
        with FunctionPool(fitness, 2) as pool:
            with pytest.raises(af.exc.LikelihoodException) as info:
                pool.map(fitness, [[50.0, 2.0, 5.0]])
        message = str(info.value)
        assert "gaussian.centre=50.0" in message
        assert "ZeroDivisionError" in message


class TestSearchWithProcesses:
    def test_two_cores_give_the_same_samples_and_counts_as_one(self, tmp_path):
        data, noise_map = af.ex.simulate_data(noise=0.5, seed=4)
        results = []
        for cores in (1, 2):
            search = af.Emcee(
                nwalkers=10,
                nsteps=20,
                auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
                seed=3,
                silence=True,
                number_of_cores=cores,
                paths=af.DirectoryPaths(name=f"cores_{cores}", output_root=tmp_path),
            )
            results.append(
                search.fit(
                    model=af.Model(af.ex.Gaussian),
                    analysis=RejectingGaussianAnalysis(data, noise_map),
                )
            )
        serial, pooled = results
        np.testing.assert_array_equal(serial.samples.parameters, pooled.samples.parameters)
        np.testing.assert_array_equal(serial.samples.log_likelihood, pooled.samples.log_likelihood)
        serial_summary = summary_values(serial.paths.output_path / "search.summary")
        pooled_summary = summary_values(pooled.paths.output_path / "search.summary")
        for key in ("Total Likelihood Calls", "Rejected Points"):
            assert serial_summary[key] == pooled_summary[key], key
        assert int(pooled_summary["Rejected Points"]) > 0
        assert int(pooled_summary["Total Likelihood Calls"]) >= 200
