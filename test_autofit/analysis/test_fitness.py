"""Tests of ``Fitness``: parameter vectors to log posteriors, rejections and error messages."""

from __future__ import annotations

import math
import pickle

import dill
import numpy as np
import pytest

import autofit as af
from autofit.analysis.fitness import Fitness

# Closed-form log densities of the default priors of af.ex.Gaussian:
# centre ~ U(0, 100), normalization ~ LogUniform(1e-6, 1e6), sigma ~ U(0, 25).
LOG_RANGE_OF_NORMALIZATION = math.log(math.log(1.0e6 / 1.0e-6))


def closed_form_log_prior(centre: float, normalization: float, sigma: float) -> float:
    del centre, sigma
    return -math.log(100.0) - math.log(normalization) - LOG_RANGE_OF_NORMALIZATION - math.log(25.0)


class QuadraticAnalysis(af.Analysis):
    """``-0.5 * ((centre - 50)^2 + (sigma - 10)^2)``; records every instance it sees."""

    def __init__(self):
        self.seen = []

    def log_likelihood_function(self, instance):
        self.seen.append(instance)
        gaussian = instance.gaussian
        return -0.5 * ((gaussian.centre - 50.0) ** 2 + (gaussian.sigma - 10.0) ** 2)


class ReturnsAnalysis(af.Analysis):
    """Returns a fixed value (or raises a fixed error) whatever the instance."""

    def __init__(self, value=0.0, error=None):
        self.value = value
        self.error = error
        self.calls = 0

    def log_likelihood_function(self, instance):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.value


class RejectsLowCentreAnalysis(af.Analysis):
    """Raises FitException below centre 20; otherwise ``-centre``."""

    def log_likelihood_function(self, instance):
        if instance.gaussian.centre < 20.0:
            raise af.exc.FitException("centre too low")
        return -instance.gaussian.centre


class Validated:
    """Validates its argument in the constructor."""

    def __init__(self, a=0.1):
        if a > 0.8:
            raise ValueError("a is too big")
        if a > 0.5:
            raise af.exc.FitException("a is outside the physical region")
        self.a = a


class ValidatedAnalysis(af.Analysis):
    def log_likelihood_function(self, instance):
        return -instance.validated.a


def validated_model():
    return af.Collection(validated=af.Model(Validated, a=af.UniformPrior(0.0, 1.0)))


def gaussian_model():
    return af.Collection(gaussian=af.Model(af.ex.Gaussian))


VECTOR = [40.0, 2.0, 12.0]


class TestLogPosterior:
    def test_returns_log_likelihood_plus_log_prior(self):
        model = gaussian_model()
        fitness = Fitness(model, QuadraticAnalysis())
        log_likelihood = -0.5 * (10.0**2 + 2.0**2)
        expected = log_likelihood + closed_form_log_prior(*VECTOR)
        assert fitness(VECTOR) == pytest.approx(expected, rel=1e-12)

    def test_log_prior_part_equals_the_sum_of_the_model_log_priors(self):
        model = gaussian_model()
        fitness = Fitness(model, ReturnsAnalysis(value=-3.5))
        expected = -3.5 + sum(model.log_prior_list_from_vector(VECTOR))
        assert fitness(VECTOR) == pytest.approx(expected, rel=1e-12)

    def test_without_log_prior_returns_the_likelihood_alone(self):
        fitness = Fitness(gaussian_model(), QuadraticAnalysis(), use_log_prior=False)
        assert fitness(VECTOR) == pytest.approx(-0.5 * (10.0**2 + 2.0**2), rel=1e-12)

    def test_the_likelihood_receives_the_instance_of_the_vector(self):
        analysis = QuadraticAnalysis()
        Fitness(gaussian_model(), analysis)(VECTOR)
        (instance,) = analysis.seen
        assert isinstance(instance.gaussian, af.ex.Gaussian)
        assert (
            instance.gaussian.centre,
            instance.gaussian.normalization,
            instance.gaussian.sigma,
        ) == (40.0, 2.0, 12.0)

    def test_log_likelihood_method_ignores_the_prior(self):
        fitness = Fitness(gaussian_model(), QuadraticAnalysis())
        assert fitness.log_likelihood(VECTOR) == pytest.approx(-52.0, rel=1e-12)

    def test_calls_counts_every_evaluation(self):
        fitness = Fitness(gaussian_model(), RejectsLowCentreAnalysis())
        for centre in (10.0, 30.0, 150.0, 60.0, 5.0):
            fitness([centre, 2.0, 12.0])
        assert fitness.calls == 5


class TestRejection:
    @pytest.mark.parametrize(
        "analysis",
        [
            ReturnsAnalysis(error=af.exc.FitException("reject me")),
            ReturnsAnalysis(value=math.nan),
            ReturnsAnalysis(value=math.inf),
            ReturnsAnalysis(value=-math.inf),
        ],
        ids=["fit-exception", "nan", "plus-inf", "minus-inf"],
    )
    def test_rejected_points_return_minus_inf_and_are_counted(self, analysis):
        fitness = Fitness(gaussian_model(), analysis)
        assert fitness(VECTOR) == -math.inf
        assert fitness(VECTOR) == -math.inf
        assert (fitness.calls, fitness.rejected) == (2, 2)

    def test_subclass_of_fit_exception_is_rejected(self):
        fitness = Fitness(gaussian_model(), RejectsLowCentreAnalysis())
        assert fitness([10.0, 2.0, 12.0]) == -math.inf
        assert fitness([30.0, 2.0, 12.0]) == pytest.approx(
            -30.0 + closed_form_log_prior(30.0, 2.0, 12.0), rel=1e-12
        )
        assert (fitness.calls, fitness.rejected) == (2, 1)

    def test_assertion_violation_is_rejected_without_calling_the_likelihood(self):
        model = gaussian_model()
        model.add_assertion(model.gaussian.centre > model.gaussian.sigma)
        analysis = ReturnsAnalysis(value=-1.0)
        fitness = Fitness(model, analysis)
        assert fitness([5.0, 2.0, 12.0]) == -math.inf
        assert (fitness.calls, fitness.rejected, analysis.calls) == (1, 1, 0)
        assert fitness([15.0, 2.0, 12.0]) == pytest.approx(
            -1.0 + closed_form_log_prior(15.0, 2.0, 12.0), rel=1e-12
        )
        assert (fitness.calls, fitness.rejected, analysis.calls) == (2, 1, 1)

    @pytest.mark.parametrize(
        "vector",
        [[150.0, 2.0, 12.0], [-1.0, 2.0, 12.0], [40.0, 1.0e7, 12.0], [40.0, 2.0, 26.0]],
    )
    def test_out_of_prior_limits_returns_minus_inf_without_counting_a_rejection(self, vector):
        analysis = ReturnsAnalysis(value=-1.0)
        fitness = Fitness(gaussian_model(), analysis)
        assert fitness(vector) == -math.inf
        assert (fitness.calls, fitness.rejected, analysis.calls) == (1, 0, 0)

    def test_resample_value_replaces_minus_inf(self):
        fitness = Fitness(gaussian_model(), ReturnsAnalysis(value=math.nan), resample_value=-1.0e99)
        assert fitness(VECTOR) == -1.0e99
        assert fitness([150.0, 2.0, 12.0]) == -1.0e99
        assert fitness.rejected == 1


class TestErrorsWhileBuildingTheInstance:
    def test_fit_exception_from_a_constructor_is_rejected(self):
        fitness = Fitness(validated_model(), ValidatedAnalysis())
        assert fitness([0.25]) == pytest.approx(-0.25, rel=1e-12)
        assert fitness([0.6]) == -math.inf
        assert (fitness.calls, fitness.rejected) == (2, 1)

    def test_other_constructor_errors_name_the_parameters(self):
        fitness = Fitness(validated_model(), ValidatedAnalysis())
        with pytest.raises(Exception, match=r"validated\.a=0\.9") as info:
            fitness([0.9])
        assert "ValueError" in str(info.value)
        assert "a is too big" in str(info.value)


class TestLikelihoodValues:
    """The likelihood must return one real number; anything else is an error naming the
    analysis class and what it returned (before, None raised a bare TypeError from math and a
    one-element array was accepted silently)."""

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (None, r"returned None; is its return statement missing\?"),
            ("-3.5", r"returned '-3\.5' of type str"),
            (1.0 + 2.0j, r"returned the complex number \(1\+2j\); return a real number"),
            (np.array([-1.0, -2.0]), r"returned an array of shape \(2,\); return one number"),
            (np.array([-1.0]), r"returned an array of shape \(1,\)"),
            (True, r"returned True of type bool"),
        ],
    )
    @pytest.mark.parametrize("method", ["__call__", "log_likelihood"])
    def test_a_value_that_is_not_one_real_number_is_an_error(self, value, shown, method):
        fitness = Fitness(gaussian_model(), ReturnsAnalysis(value=value))

        with pytest.raises(af.exc.LikelihoodException, match=shown) as info:
            getattr(fitness, method)(VECTOR)

        message = str(info.value)
        assert message.startswith(
            "ReturnsAnalysis.log_likelihood_function must return the log likelihood as one real "
            "number"
        )
        assert "gaussian.centre=40.0" in message

    @pytest.mark.parametrize(
        "value", [np.float64(-3.5), np.float32(-3.5), np.int64(-3), -3, np.array(-3.5)]
    )
    def test_numpy_scalars_and_integers_are_numbers(self, value):
        fitness = Fitness(gaussian_model(), ReturnsAnalysis(value=value), use_log_prior=False)

        result = fitness(VECTOR)

        assert type(result) is float
        assert result == float(value)

    def test_the_precision_of_a_float32_likelihood_is_recorded(self):
        fitness = Fitness(gaussian_model(), ReturnsAnalysis(value=np.float32(-3.5)))
        assert fitness.precision == np.finfo(np.float64).eps

        fitness(VECTOR)

        assert fitness.precision == np.finfo(np.float32).eps


class TestUnexpectedErrors:
    def test_other_exceptions_raise_likelihood_exception_naming_the_parameters(self):
        fitness = Fitness(gaussian_model(), ReturnsAnalysis(error=ZeroDivisionError("boom")))
        with pytest.raises(af.exc.LikelihoodException) as info:
            fitness(VECTOR)
        message = str(info.value)
        assert "gaussian.centre=40.0" in message
        assert "gaussian.normalization=2.0" in message
        assert "gaussian.sigma=12.0" in message
        assert "ZeroDivisionError" in message
        assert "boom" in message
        assert isinstance(info.value.__cause__, ZeroDivisionError)

    def test_likelihood_exception_is_an_autofit_error(self):
        fitness = Fitness(gaussian_model(), ReturnsAnalysis(error=KeyError("data")))
        with pytest.raises(af.exc.AutofitError, match="KeyError"):
            fitness(VECTOR)
        assert fitness.rejected == 0


class TestSerialisation:
    @pytest.mark.parametrize("module", [pickle, dill], ids=["pickle", "dill"])
    def test_round_trip_keeps_counters_and_evaluates(self, module):
        fitness = Fitness(gaussian_model(), RejectsLowCentreAnalysis())
        fitness([10.0, 2.0, 12.0])
        fitness([30.0, 2.0, 12.0])
        copy = module.loads(module.dumps(fitness))
        assert (copy.calls, copy.rejected) == (2, 1)
        assert copy([60.0, 2.0, 12.0]) == pytest.approx(
            -60.0 + closed_form_log_prior(60.0, 2.0, 12.0), rel=1e-12
        )
        assert copy([10.0, 2.0, 12.0]) == -math.inf
        assert (copy.calls, copy.rejected) == (4, 2)
        assert (fitness.calls, fitness.rejected) == (2, 1)

    def test_round_trip_keeps_use_log_prior(self):
        fitness = Fitness(gaussian_model(), QuadraticAnalysis(), use_log_prior=False)
        copy = pickle.loads(pickle.dumps(fitness))
        assert copy(VECTOR) == pytest.approx(-52.0, rel=1e-12)
